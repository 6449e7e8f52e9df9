import { asc, desc, eq, or } from "drizzle-orm";
import { entryView } from "../audit/query";
import { listByActor } from "../audit/store";
import { listMemberships } from "../auth/workspaces";
import { openDb } from "../db/client";
import { account, apiKey, bridgeMap, collection, collectionItem, deployment, emailOutbox, favorite, invitation, member, notificationEndpoint, session, ssoProvider, usageDaily, usageEvent, user, workspaceCostPolicy, workspaceLogging, workspacePlan } from "../db/schema";
import { toView } from "../keys/store";

/**
 * GET /api/account/export: everything the platform holds about one user, as JSON. Columns are listed one by
 * one (never `select *`) so a secret cannot ride along: no key hashes, no session tokens, no password
 * hashes, no OAuth tokens, no SSO client secrets, and mail is exported without its links, which carry
 * one-time tokens (password reset, address verification) that are still live.
 */
const LINK = /\bhttps?:\/\/[^\s"'<>]+/g;
const LINK_REMOVED = "[link removed from export]";

export async function exportAccount(d1: D1Database, userId: string, currentSessionId: string) {
  const db = openDb(d1);
  const profile = await db
    .select({ id: user.id, name: user.name, email: user.email, emailVerified: user.emailVerified, image: user.image, createdAt: user.createdAt, updatedAt: user.updatedAt })
    .from(user)
    .where(eq(user.id, userId))
    .get();
  if (!profile) return undefined;

  const memberships = await listMemberships(db, userId);
  const joined = await db.select({ organizationId: member.organizationId, createdAt: member.createdAt }).from(member).where(eq(member.userId, userId)).all();
  const joinedAt = new Map(joined.map((j) => [j.organizationId, j.createdAt]));
  const personal = memberships.find((w) => w.personal);

  const signInMethods = await db
    .select({ providerId: account.providerId, accountId: account.accountId, scope: account.scope, createdAt: account.createdAt, updatedAt: account.updatedAt })
    .from(account)
    .where(eq(account.userId, userId))
    .all();

  const sessions = await db
    .select({ id: session.id, createdAt: session.createdAt, updatedAt: session.updatedAt, expiresAt: session.expiresAt, ipAddress: session.ipAddress, userAgent: session.userAgent, activeWorkspaceId: session.activeOrganizationId })
    .from(session)
    .where(eq(session.userId, userId))
    .orderBy(desc(session.createdAt))
    .all();

  // Keys they created anywhere, and every key of their personal workspace. toView never carries the hash.
  const keyRows = await db
    .select()
    .from(apiKey)
    .where(personal ? or(eq(apiKey.createdBy, userId), eq(apiKey.workspaceId, personal.id)) : eq(apiKey.createdBy, userId))
    .orderBy(asc(apiKey.createdAt))
    .all();

  const invitations = await db
    .select({ id: invitation.id, workspaceId: invitation.organizationId, role: invitation.role, status: invitation.status, createdAt: invitation.createdAt, expiresAt: invitation.expiresAt })
    .from(invitation)
    .where(eq(invitation.email, profile.email.toLowerCase()))
    .all();

  const ssoProviders = await db
    .select({ providerId: ssoProvider.providerId, issuer: ssoProvider.issuer, domain: ssoProvider.domain, workspaceId: ssoProvider.organizationId })
    .from(ssoProvider)
    .where(eq(ssoProvider.userId, userId))
    .all();

  const emails = await db
    .select({ id: emailOutbox.id, kind: emailOutbox.kind, subject: emailOutbox.subject, body: emailOutbox.body, createdAt: emailOutbox.createdAt, sentAt: emailOutbox.sentAt })
    .from(emailOutbox)
    .where(eq(emailOutbox.toAddress, profile.email.toLowerCase()))
    .orderBy(asc(emailOutbox.createdAt))
    .all();

  let personalWorkspace = null;
  if (personal) {
    const plan = await db.select({ plan: workspacePlan.plan, monthlyTokens: workspacePlan.monthlyTokens }).from(workspacePlan).where(eq(workspacePlan.workspaceId, personal.id)).get();
    const map = await db.select({ rules: bridgeMap.rules, updatedAt: bridgeMap.updatedAt }).from(bridgeMap).where(eq(bridgeMap.workspaceId, personal.id)).get();
    const daily = await db.select().from(usageDaily).where(eq(usageDaily.workspaceId, personal.id)).orderBy(asc(usageDaily.day)).all();
    const events = await db.select().from(usageEvent).where(eq(usageEvent.workspaceId, personal.id)).orderBy(asc(usageEvent.at)).all();
    const costPolicy = await db
      .select({ autoscale: workspaceCostPolicy.autoscale, maxWorkerUsdPerHour: workspaceCostPolicy.maxWorkerUsdPerHour, gpuSpendCeilingUsdPerMonth: workspaceCostPolicy.gpuSpendCeilingUsdPerMonth, updatedAt: workspaceCostPolicy.updatedAt })
      .from(workspaceCostPolicy)
      .where(eq(workspaceCostPolicy.workspaceId, personal.id))
      .get();
    const logging = await db.select({ logPrompts: workspaceLogging.logPrompts }).from(workspaceLogging).where(eq(workspaceLogging.workspaceId, personal.id)).get();
    // Where the workspace's events go; never the signing secrets.
    const endpoints = await db
      .select({ id: notificationEndpoint.id, kind: notificationEndpoint.kind, target: notificationEndpoint.target, description: notificationEndpoint.description, events: notificationEndpoint.events, enabled: notificationEndpoint.enabled, createdAt: notificationEndpoint.createdAt })
      .from(notificationEndpoint)
      .where(eq(notificationEndpoint.workspaceId, personal.id))
      .orderBy(asc(notificationEndpoint.createdAt))
      .all();
    personalWorkspace = {
      id: personal.id,
      name: personal.name,
      plan: plan ?? { plan: "free", monthlyTokens: null },
      bridgeMap: map ? { rules: JSON.parse(map.rules) as unknown, updatedAt: map.updatedAt } : null,
      costPolicy: costPolicy ?? null,
      logPrompts: logging?.logPrompts ?? false,
      notificationEndpoints: endpoints.map((e) => ({ ...e, events: JSON.parse(e.events) as unknown })),
      usage: {
        daily: daily.map(({ workspaceId: _w, ...d }) => d),
        events: events.map(({ workspaceId: _w, ...e }) => ({ ...e, at: new Date(e.at).toISOString() })),
      },
    };
  }

  const auditEntries = (await listByActor(d1, userId)).map(entryView);

  // What they keep in the catalog: favorites, collections they own (personal or shared), items they added
  // anywhere, and the deployments they started.
  const favorites = await db.select({ modelId: favorite.modelId, note: favorite.note, createdAt: favorite.createdAt }).from(favorite).where(eq(favorite.userId, userId)).orderBy(asc(favorite.createdAt)).all();
  const ownCollections = await db
    .select({ id: collection.id, workspaceId: collection.workspaceId, name: collection.name, description: collection.description, createdAt: collection.createdAt, updatedAt: collection.updatedAt })
    .from(collection)
    .where(eq(collection.ownerId, userId))
    .orderBy(asc(collection.createdAt))
    .all();
  const addedItems = await db
    .select({ collectionId: collectionItem.collectionId, modelId: collectionItem.modelId, note: collectionItem.note, addedAt: collectionItem.addedAt })
    .from(collectionItem)
    .where(eq(collectionItem.addedBy, userId))
    .orderBy(asc(collectionItem.addedAt))
    .all();
  const deployments = await db
    .select({ id: deployment.id, workspaceId: deployment.workspaceId, name: deployment.name, model: deployment.model, engine: deployment.engine, state: deployment.state, createdAt: deployment.createdAt, readyAt: deployment.readyAt, deletedAt: deployment.deletedAt })
    .from(deployment)
    .where(eq(deployment.createdBy, userId))
    .orderBy(asc(deployment.createdAt))
    .all();

  return {
    format: "llm-platform-account-export/1",
    exportedAt: new Date().toISOString(),
    profile,
    signInMethods,
    sessions: sessions.map((s) => ({ ...s, current: s.id === currentSessionId })),
    workspaces: memberships.map((w) => ({ id: w.id, name: w.name, slug: w.slug, role: w.role, roles: w.roles, personal: w.personal, joinedAt: joinedAt.get(w.id) ?? null })),
    invitations,
    apiKeys: keyRows.map((r) => ({ workspaceId: r.workspaceId, ...toView(r) })),
    ssoProviders,
    personalWorkspace,
    auditEntries,
    catalog: { favorites, collections: ownCollections, collectionItemsAdded: addedItems },
    deployments,
    emails: emails.map((m) => ({ ...m, body: m.body.replace(LINK, LINK_REMOVED) })),
  };
}
