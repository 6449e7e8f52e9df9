import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { member, organization, user } from "../db/schema";
import { primaryRole, type WorkspaceRole } from "./roles";

/**
 * Workspaces are better-auth organizations. The organization plugin owns their lifecycle over HTTP
 * (create, invite, accept, change roles, leave); this file is the few direct reads and the one write the
 * rest of the platform needs on its hot paths, where a round trip through the plugin would cost more.
 */
export interface Workspace {
  id: string;
  name: string;
  slug: string;
  role: WorkspaceRole;
  /** The exact role string stored (may list several roles, e.g. "admin,member"). */
  roles: string;
  personal: boolean;
}

const PERSONAL_METADATA = JSON.stringify({ personal: true });

/** Accepts the stored JSON text or the object better-auth hands to hooks after parsing it. */
export function isPersonal(metadata: unknown): boolean {
  let value = metadata;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return false;
    }
  }
  return typeof value === "object" && value !== null && (value as { personal?: unknown }).personal === true;
}

/**
 * The user's own workspace, created on first need with them as owner. Called from two better-auth hooks:
 * a new session (which wants it as the active workspace, and during sign-up runs before the user's
 * after-create hook, which better-auth defers to the end of the request) and user creation. Idempotent:
 * the slug is unique per user, so a second caller finds the first one's workspace. Organization and
 * membership go in one D1 batch (a transaction): nobody is left owning half a workspace.
 */
export async function ensurePersonalWorkspace(db: Db, userId: string): Promise<string> {
  const slug = `personal-${userId}`;
  const existing = await db.select({ id: organization.id }).from(organization).where(eq(organization.slug, slug)).get();
  if (existing) return existing.id;
  const owner = await db.select({ name: user.name, email: user.email }).from(user).where(eq(user.id, userId)).get();
  const label = owner?.name.trim() || owner?.email.split("@")[0] || "My";
  const id = crypto.randomUUID();
  const now = new Date();
  try {
    await db.batch([
      db.insert(organization).values({ id, name: `${label}'s workspace`, slug, createdAt: now, metadata: PERSONAL_METADATA }),
      db.insert(member).values({ id: crypto.randomUUID(), organizationId: id, userId, role: "owner", createdAt: now }),
    ]);
    return id;
  } catch (err) {
    // Lost a race with the other hook: the winner's workspace is the one.
    const winner = await db.select({ id: organization.id }).from(organization).where(eq(organization.slug, slug)).get();
    if (winner) return winner.id;
    throw err;
  }
}

const membershipColumns = {
  id: organization.id,
  name: organization.name,
  slug: organization.slug,
  metadata: organization.metadata,
  roles: member.role,
};

function toWorkspace(row: { id: string; name: string; slug: string; metadata: string | null; roles: string }): Workspace {
  return { id: row.id, name: row.name, slug: row.slug, roles: row.roles, role: primaryRole(row.roles), personal: isPersonal(row.metadata) };
}

/** The caller's membership in one workspace, or undefined when they are not a member (or it does not exist). */
export async function findMembership(db: Db, userId: string, workspaceId: string): Promise<Workspace | undefined> {
  const row = await db
    .select(membershipColumns)
    .from(member)
    .innerJoin(organization, eq(member.organizationId, organization.id))
    .where(and(eq(member.userId, userId), eq(member.organizationId, workspaceId)))
    .get();
  return row ? toWorkspace(row) : undefined;
}

/** The user's personal workspace membership (found by its per-user slug). */
export async function findPersonalMembership(db: Db, userId: string): Promise<Workspace | undefined> {
  const row = await db
    .select(membershipColumns)
    .from(member)
    .innerJoin(organization, eq(member.organizationId, organization.id))
    .where(and(eq(member.userId, userId), eq(organization.slug, `personal-${userId}`)))
    .get();
  return row ? toWorkspace(row) : undefined;
}

/** Every workspace the user belongs to: the personal one first, then by when they joined. */
export async function listMemberships(db: Db, userId: string): Promise<Workspace[]> {
  const rows = await db
    .select(membershipColumns)
    .from(member)
    .innerJoin(organization, eq(member.organizationId, organization.id))
    .where(eq(member.userId, userId))
    .orderBy(asc(member.createdAt))
    .all();
  return rows.map(toWorkspace).sort((a, b) => Number(b.personal) - Number(a.personal));
}
