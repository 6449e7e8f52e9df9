import { appendAudit } from "../audit/store";
import type { AuditInput } from "../audit/chain";
import { isPersonal } from "../auth/workspaces";
import type { Env } from "../env";
import { AppError } from "../errors";
import { flushMetrics } from "../observe/metrics";
import { planDeparture, type SharedWorkspace } from "./departure";

/**
 * Deletes an account, all or nothing: every write below (keys revoked, ownership handed over, memberships
 * ended, the personal workspace with its keys, usage, map and plan, the user's mail, sessions, sign-in
 * methods and the user) goes to D1 in one batch, which D1 runs as one transaction, together with the audit
 * entries that record it in the shared workspaces. A failure anywhere leaves everything as it was.
 *
 * Kept on purpose: audit entries the user wrote in shared workspaces (the teams' record of who changed
 * what; the chain would break if they were edited) and usage rows of shared workspaces (the team's bill).
 */
interface MembershipRow {
  organization_id: string;
  name: string;
  slug: string;
  metadata: string | null;
}

interface MemberRow {
  id: string;
  organization_id: string;
  user_id: string;
  role: string;
  created_at: number;
}

interface KeyRow {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
}

export interface DeletionResult {
  userId: string;
  personalWorkspaceId: string | null;
  left: Array<{ id: string; name: string }>;
  handedOver: Array<{ id: string; name: string; newOwnerId: string }>;
  revokedKeys: number;
}

export async function deleteAccount(env: Env, who: { id: string; email: string }): Promise<DeletionResult> {
  const d1 = env.DB;
  const { results: memberships } = await d1
    .prepare("select m.organization_id, o.name, o.slug, o.metadata from member m join organization o on o.id = m.organization_id where m.user_id = ?")
    .bind(who.id)
    .all<MembershipRow>();
  const personalSlug = `personal-${who.id}`;
  const personal = memberships.find((m) => m.slug === personalSlug && isPersonal(m.metadata));
  const shared = memberships.filter((m) => m !== personal);

  const members = shared.length
    ? (
        await d1
          .prepare(`select id, organization_id, user_id, role, created_at from member where organization_id in (${shared.map(() => "?").join(",")})`)
          .bind(...shared.map((m) => m.organization_id))
          .all<MemberRow>()
      ).results
    : [];
  const workspaces: SharedWorkspace[] = shared.map((m) => ({
    id: m.organization_id,
    name: m.name,
    members: members
      .filter((r) => r.organization_id === m.organization_id)
      .map((r) => ({ memberId: r.id, userId: r.user_id, roles: r.role, joinedAt: r.created_at })),
  }));
  const plan = planDeparture(who.id, workspaces);
  if (plan.blocked.length) {
    const names = plan.blocked.map((w) => `"${w.name}"`).join(", ");
    throw new AppError(
      409,
      "sole_owner",
      `You are the only owner of ${names} and there is no admin to hand it to. Promote an admin there or delete the workspace, then try again.`,
      { workspaces: plan.blocked },
    );
  }

  // The personal workspace's BudgetObject holds usage not yet written to D1; drain it first so the batch
  // below deletes it too (best effort: a call still in flight may land later, under a workspace id that
  // no longer names anyone).
  if (personal) {
    await env.BUDGETS.get(env.BUDGETS.idFromName(`ws:${personal.organization_id}`))
      .flush()
      .catch((err: unknown) => console.error("account deletion: budget flush failed", err));
    // Likewise this isolate's buffered request metrics (the local equivalent of Analytics Engine).
    await flushMetrics(d1);
  }

  const activeKeys = (await d1.prepare("select id, workspace_id, name, prefix from api_key where created_by = ? and revoked_at is null").bind(who.id).all<KeyRow>()).results;
  const now = Date.now();
  const actor = { id: who.id, email: who.email };
  const statements: D1PreparedStatement[] = [];
  const entries: AuditInput[] = [];
  const run = (sql: string, ...params: unknown[]) => statements.push(d1.prepare(sql).bind(...params));

  // Keys first: every key they made stops working (within the bridge's 2 s key cache) wherever it lives.
  run("update api_key set revoked_at = ? where created_by = ? and revoked_at is null", now, who.id);

  for (const d of plan.departures) {
    for (const k of activeKeys.filter((k) => k.workspace_id === d.workspaceId)) {
      entries.push({
        workspaceId: d.workspaceId,
        actor,
        action: "key.revoke",
        target: { type: "api_key", id: k.id },
        before: { name: k.name, prefix: k.prefix, revokedAt: null },
        after: { name: k.name, prefix: k.prefix, revokedAt: new Date(now).toISOString(), reason: "account_deleted" },
      });
    }
    if (d.successor) {
      run("update member set role = 'owner' where id = ?", d.successor.memberId);
      entries.push({
        workspaceId: d.workspaceId,
        actor,
        action: "member.role_change",
        target: { type: "member", id: d.successor.memberId },
        before: { userId: d.successor.userId, role: d.successor.roles },
        after: { userId: d.successor.userId, role: "owner", reason: "ownership_handover" },
      });
    }
    if (d.stewardUserId) run("update sso_provider set user_id = ? where user_id = ? and organization_id = ?", d.stewardUserId, who.id, d.workspaceId);
    run("delete from member where id = ?", d.member.memberId);
    entries.push({
      workspaceId: d.workspaceId,
      actor,
      action: "member.leave",
      target: { type: "member", id: d.member.memberId },
      before: { userId: who.id, email: who.email, role: d.member.roles },
      after: { reason: "account_deleted" },
    });
  }

  if (personal) {
    const ws = personal.organization_id;
    // Tables without a foreign key to the workspace go explicitly; the rest would cascade, but are named
    // here too so this list reads as the whole of what a personal workspace is.
    const tables = ["usage_event", "usage_daily", "audit_log", "bridge_map", "workspace_plan", "api_key", "request_metric", "workspace_cost_policy", "workspace_logging"];
    tables.push("notification_attempt", "notification_delivery", "notification_event", "notification_endpoint");
    for (const table of tables) run(`delete from ${table} where workspace_id = ?`, ws);
    run("delete from invitation where organization_id = ?", ws);
    run("delete from member where organization_id = ?", ws);
    run("delete from organization where id = ?", ws);
  }
  run("delete from email_outbox where to_address = ?", who.email.toLowerCase());
  // Invitations addressed to them name them too (accepted ones are also in the teams' audit logs).
  run("delete from invitation where lower(email) = ?", who.email.toLowerCase());
  run("delete from device_code where user_id = ?", who.id);
  run("delete from session where user_id = ?", who.id);
  run("delete from account where user_id = ?", who.id);
  // Cascades what is left (invitations they sent, SSO providers not handed over); key and map authorship
  // is set to null on rows that stay with shared workspaces.
  run("delete from user where id = ?", who.id);

  await appendAudit(d1, entries, statements);

  return {
    userId: who.id,
    personalWorkspaceId: personal?.organization_id ?? null,
    left: plan.departures.map((d) => ({ id: d.workspaceId, name: d.workspaceName })),
    handedOver: plan.departures.filter((d) => d.successor).map((d) => ({ id: d.workspaceId, name: d.workspaceName, newOwnerId: d.successor!.userId })),
    revokedKeys: activeKeys.length,
  };
}
