import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKey } from "../db/platform-schema";
import { displayPrefix, generateKey, hashKey } from "./format";
import { parseScopes, type KeyScope } from "./scopes";
import type { KeyLimits, KeyView } from "./view";

/** API key rows in D1. Every query is scoped by workspace id, so one tenant's ids mean nothing in another. */
export type { KeyLimits, KeyView };

/** What the bridge needs to know about a key on every call. */
export interface KeyRecord extends KeyLimits {
  id: string;
  workspaceId: string;
  /** The person the key acts for: it carries their role in the workspace, never more. */
  createdBy: string | null;
  scopes: KeyScope[];
  expiresAt: number | null;
  revokedAt: number | null;
}

type Row = typeof apiKey.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function limitsOf(r: Row): KeyLimits {
  return { rpm: r.rpm, tpm: r.tpm, monthlyTokens: r.monthlyTokens, allowedModels: r.allowedModels ? (JSON.parse(r.allowedModels) as string[]) : null };
}

export function toView(r: Row): KeyView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: parseScopes(r.scopes),
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: iso(r.lastUsedAt),
    expiresAt: iso(r.expiresAt),
    revokedAt: iso(r.revokedAt),
    ...limitsOf(r),
  };
}

export interface NewKey {
  workspaceId: string;
  createdBy: string;
  name: string;
  rpm?: number | undefined;
  tpm?: number | undefined;
  monthlyTokens?: number | undefined;
  allowedModels?: string[] | undefined;
  expiresAt?: Date | undefined;
  scopes?: readonly KeyScope[] | undefined;
}

export async function createKey(db: Db, input: NewKey): Promise<{ view: KeyView; key: string }> {
  const key = generateKey();
  const row = {
    id: `key_${crypto.randomUUID().replaceAll("-", "")}`,
    workspaceId: input.workspaceId,
    createdBy: input.createdBy,
    name: input.name,
    prefix: displayPrefix(key),
    hash: await hashKey(key),
    rpm: input.rpm ?? null,
    tpm: input.tpm ?? null,
    monthlyTokens: input.monthlyTokens ?? null,
    allowedModels: input.allowedModels ? JSON.stringify(input.allowedModels) : null,
    expiresAt: input.expiresAt ?? null,
    scopes: JSON.stringify(input.scopes ?? ["bridge"]),
  };
  const [inserted] = await db.insert(apiKey).values(row).returning();
  return { view: toView(inserted!), key };
}

export async function listKeys(db: Db, workspaceId: string): Promise<KeyView[]> {
  const rows = await db.select().from(apiKey).where(eq(apiKey.workspaceId, workspaceId)).orderBy(desc(apiKey.createdAt));
  return rows.map(toView);
}

export async function getKey(db: Db, workspaceId: string, id: string): Promise<Row | undefined> {
  const [row] = await db.select().from(apiKey).where(and(eq(apiKey.workspaceId, workspaceId), eq(apiKey.id, id))).limit(1);
  return row;
}

export async function updateKey(db: Db, workspaceId: string, id: string, patch: Partial<Pick<NewKey, "name" | "rpm" | "tpm" | "monthlyTokens" | "allowedModels">> & { clear?: Array<"rpm" | "tpm" | "monthlyTokens" | "allowedModels"> }): Promise<KeyView | undefined> {
  const set: Partial<typeof apiKey.$inferInsert> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.rpm !== undefined) set.rpm = patch.rpm;
  if (patch.tpm !== undefined) set.tpm = patch.tpm;
  if (patch.monthlyTokens !== undefined) set.monthlyTokens = patch.monthlyTokens;
  if (patch.allowedModels !== undefined) set.allowedModels = JSON.stringify(patch.allowedModels);
  for (const field of patch.clear ?? []) set[field] = null;
  if (!Object.keys(set).length) {
    const row = await getKey(db, workspaceId, id);
    return row ? toView(row) : undefined;
  }
  const [row] = await db.update(apiKey).set(set).where(and(eq(apiKey.workspaceId, workspaceId), eq(apiKey.id, id), isNull(apiKey.revokedAt))).returning();
  return row ? toView(row) : undefined;
}

export async function revokeKey(db: Db, workspaceId: string, id: string): Promise<KeyView | undefined> {
  const [row] = await db
    .update(apiKey)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKey.workspaceId, workspaceId), eq(apiKey.id, id), isNull(apiKey.revokedAt)))
    .returning();
  return row ? toView(row) : undefined;
}

export async function findByHash(db: Db, hash: string): Promise<KeyRecord | undefined> {
  const [r] = await db.select().from(apiKey).where(eq(apiKey.hash, hash)).limit(1);
  if (!r) return undefined;
  return { id: r.id, workspaceId: r.workspaceId, createdBy: r.createdBy, scopes: parseScopes(r.scopes), expiresAt: r.expiresAt?.getTime() ?? null, revokedAt: r.revokedAt?.getTime() ?? null, ...limitsOf(r) };
}

/** Best-effort "last used" stamp, at most once a minute per key (a write per call would cost D1 on the hot path). */
export async function touchKey(db: Db, id: string, now: Date): Promise<void> {
  await db.update(apiKey).set({ lastUsedAt: now }).where(eq(apiKey.id, id));
}
