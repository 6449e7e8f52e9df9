import { kvKeys, kvTtl } from "../kv";
import type { GlobalFacets } from "./search-query";

/**
 * Catalog-wide facet counts: what a browse with no text and no filter shows, and how selective a filter
 * is (search-query.ts choosePlan). Counting them scans the whole mirror, so the cron does it after each
 * sync and keeps the result in KV; requests read it from KV (cached in the isolate a few minutes).
 */
const ISOLATE_TTL_MS = 5 * 60_000;
/** Below this many models, a missing count is computed on the spot (a fresh install, tests). */
const COMPUTE_INLINE_BELOW = 50_000;

let cached: { at: number; facets: GlobalFacets } | undefined;

async function groupCounts(db: D1Database, sql: string): Promise<Record<string, number>> {
  const { results } = await db.prepare(sql).all<{ value: string | null; n: number }>();
  return Object.fromEntries(results.filter((r) => r.value !== null && r.value !== "").map((r) => [String(r.value), Number(r.n)]));
}

export async function computeGlobalFacets(db: D1Database): Promise<GlobalFacets> {
  const [total, task, library, license, size, gated, deployable, category] = await Promise.all([
    db.prepare("SELECT count(*) AS n FROM hf_model").first<{ n: number }>(),
    groupCounts(db, "SELECT task AS value, count(*) AS n FROM hf_model GROUP BY task"),
    groupCounts(db, "SELECT library AS value, count(*) AS n FROM hf_model GROUP BY library"),
    groupCounts(db, "SELECT license AS value, count(*) AS n FROM hf_model GROUP BY license"),
    groupCounts(db, "SELECT size_bucket AS value, count(*) AS n FROM hf_model GROUP BY size_bucket"),
    groupCounts(db, "SELECT CASE WHEN gated > 0 THEN 'gated' ELSE 'open' END AS value, count(*) AS n FROM hf_model GROUP BY 1"),
    groupCounts(db, "SELECT 'vllm' AS value, count(*) AS n FROM hf_model WHERE (deployable & 1) = 1 UNION ALL SELECT 'sglang', count(*) FROM hf_model WHERE (deployable & 2) = 2"),
    groupCounts(db, "SELECT category AS value, count(*) AS n FROM hf_model_category GROUP BY category"),
  ]);
  return { total: Number(total?.n ?? 0), task, library, license, size, gated, deployable, category };
}

/** Recompute and store (the cron, after a sync). */
export async function refreshGlobalFacets(env: { DB: D1Database; KV: KVNamespace }): Promise<GlobalFacets> {
  const facets = await computeGlobalFacets(env.DB);
  const entry = kvKeys.catalogFacets();
  await env.KV.put(entry.key, JSON.stringify(facets), { expirationTtl: kvTtl(entry) });
  cached = { at: Date.now(), facets };
  return facets;
}

/** The counts, or undefined while a large catalog has none stored yet. */
export async function globalFacets(env: { DB: D1Database; KV: KVNamespace }): Promise<GlobalFacets | undefined> {
  if (cached && Date.now() - cached.at < ISOLATE_TTL_MS) return cached.facets;
  const stored = await env.KV.get<GlobalFacets>(kvKeys.catalogFacets().key, "json");
  if (stored) {
    cached = { at: Date.now(), facets: stored };
    return stored;
  }
  const size = await env.DB.prepare("SELECT count(*) AS n FROM (SELECT 1 FROM hf_model LIMIT ?)").bind(COMPUTE_INLINE_BELOW).first<{ n: number }>();
  if (Number(size?.n ?? 0) >= COMPUTE_INLINE_BELOW) return undefined;
  const facets = await computeGlobalFacets(env.DB);
  cached = { at: Date.now(), facets };
  return facets;
}

/** After this isolate changed the mirror (tests, on-demand fetches can wait for the cron). */
export function forgetGlobalFacets(): void {
  cached = undefined;
}
