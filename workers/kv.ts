/**
 * The KV schema: every key prefix the platform uses, with its TTL in seconds, as typed builders.
 * Nothing else spells a KV key by hand; the README's storage map mirrors this file.
 */
export const kvKeys = {
  /** Read (never written) by /api/health to prove the KV binding answers. */
  healthProbe: () => ({ key: "health:probe", ttl: 60 }),
  /** Bridge exact-match response cache, scoped by principal inside the hash (see gateway/cache.ts). */
  responseCache: (hash: string, ttl = 3600) => ({ key: `cache:resp:${hash}`, ttl }),
  /** Catalog-wide facet counts, recomputed by the catalog cron (workers/catalog/facets.ts). */
  catalogFacets: () => ({ key: "catalog:facets", ttl: 86_400 }),
} as const;

export type KvEntry = ReturnType<(typeof kvKeys)[keyof typeof kvKeys]>;

/** KV refuses expirationTtl below 60 s; clamp so a builder can never produce a failing put. */
export function kvTtl(entry: KvEntry): number {
  return Math.max(60, entry.ttl);
}
