import { openDb } from "../db/client";
import { hashKey, isWellFormedKey } from "./format";
import { findByHash, touchKey, type KeyRecord } from "./store";
import { TtlCache } from "./ttl-cache";

/**
 * The bridge's key check. Warm: one in-isolate Map read (the cache is keyed by the key itself, so no hash
 * is computed). Cold: SHA-256 and one D1 lookup by the unique hash. Entries live 2 seconds, which is how
 * fast a revocation reaches every isolate; KV is deliberately not in this path, because its edge caches
 * may serve a deleted entry for up to 60 seconds, which would break that promise.
 * Malformed keys (bad checksum, truncated) are refused before any lookup.
 */
export const KEY_CACHE_TTL_MS = 2_000;
const TOUCH_EVERY_MS = 60_000;

const cache = new TtlCache<KeyRecord | null>(20_000);
const touched = new Map<string, number>();

export type KeyCheck = { ok: true; record: KeyRecord } | { ok: false; reason: "malformed" | "unknown" | "revoked" | "expired" };

export async function verifyApiKey(db: D1Database, key: string, now: number, waitUntil?: (p: Promise<unknown>) => void): Promise<KeyCheck> {
  if (!isWellFormedKey(key)) return { ok: false, reason: "malformed" };
  let record = cache.get(key, now);
  if (record === undefined) {
    record = (await findByHash(openDb(db), await hashKey(key))) ?? null;
    cache.set(key, record, now, KEY_CACHE_TTL_MS);
  }
  if (!record) return { ok: false, reason: "unknown" };
  if (record.revokedAt !== null && record.revokedAt <= now) return { ok: false, reason: "revoked" };
  if (record.expiresAt !== null && record.expiresAt <= now) return { ok: false, reason: "expired" };
  if (waitUntil && now - (touched.get(record.id) ?? 0) > TOUCH_EVERY_MS) {
    touched.set(record.id, now);
    waitUntil(touchKey(openDb(db), record.id, new Date(now)).catch((e) => console.error("key touch failed", e)));
  }
  return { ok: true, record };
}
