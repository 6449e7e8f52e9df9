import { eq } from "drizzle-orm";
import { openDb } from "../db/client";
import { bridgeMap } from "../db/platform-schema";
import { TtlCache } from "../keys/ttl-cache";
import type { BridgeRule } from "./resolve";

/**
 * A workspace's bridge map in D1, read on every bridge call through a 2-second in-isolate cache (an edit
 * reaches every isolate within two seconds, like a key revocation). The platform-wide default map is a
 * second layer: a workspace rule that matches wins over any default (see resolveRoute).
 */
const cache = new TtlCache<BridgeRule[]>(5_000);
export const BRIDGE_MAP_TTL_MS = 2_000;

export async function loadRules(db: D1Database, workspaceId: string, now: number): Promise<BridgeRule[]> {
  const hit = cache.get(workspaceId, now);
  if (hit) return hit;
  const [row] = await openDb(db).select().from(bridgeMap).where(eq(bridgeMap.workspaceId, workspaceId)).limit(1);
  const rules = row ? (JSON.parse(row.rules) as BridgeRule[]) : [];
  cache.set(workspaceId, rules, now, BRIDGE_MAP_TTL_MS);
  return rules;
}

export async function readMap(db: D1Database, workspaceId: string): Promise<{ rules: BridgeRule[]; updatedAt: string | null; updatedBy: string | null }> {
  const [row] = await openDb(db).select().from(bridgeMap).where(eq(bridgeMap.workspaceId, workspaceId)).limit(1);
  return row ? { rules: JSON.parse(row.rules) as BridgeRule[], updatedAt: row.updatedAt.toISOString(), updatedBy: row.updatedBy } : { rules: [], updatedAt: null, updatedBy: null };
}

export async function saveMap(db: D1Database, workspaceId: string, rules: BridgeRule[], userId: string): Promise<void> {
  const now = new Date();
  await openDb(db)
    .insert(bridgeMap)
    .values({ workspaceId, rules: JSON.stringify(rules), updatedBy: userId, updatedAt: now })
    .onConflictDoUpdate({ target: bridgeMap.workspaceId, set: { rules: JSON.stringify(rules), updatedBy: userId, updatedAt: now } });
  cache.delete(workspaceId);
}
