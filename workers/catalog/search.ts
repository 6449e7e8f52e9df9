import { globalFacets } from "./facets";
import type { ModelSummary } from "./summary";
import { choosePlan, countFacets, encodeCursor, FACET_SAMPLE, FACET_WINDOW, facetRowsSql, facetScanFits, ftsMatch, globalAsFacets, pageSql, scanDepthSql, SORTS, TEXT_WINDOW, type FacetCounts, type Plan, type SearchQuery } from "./search-query";

/**
 * Runs catalog searches on D1: one statement for the page, and (when asked) one per facet, all in one
 * batch so facets cost one round trip.
 */
export type { ModelSummary };

type Raw = Record<string, unknown>;

const iso = (v: unknown) => (typeof v === "number" && v > 0 ? new Date(v).toISOString() : null);

export function toSummary(r: Raw, hubBase = "https://huggingface.co"): ModelSummary {
  const gated = Number(r.gated);
  const deployable = Number(r.deployable);
  return {
    id: String(r.id),
    author: String(r.author),
    task: (r.task as string | null) ?? null,
    library: (r.library as string | null) ?? null,
    license: (r.license as string | null) ?? null,
    tags: String(r.tags ?? "").split(" ").filter(Boolean),
    downloads: Number(r.downloads),
    likes: Number(r.likes),
    trendingScore: Number(r.trending),
    createdAt: iso(r.created_at),
    lastModified: iso(r.modified_at),
    gated: gated === 2 ? "manual" : gated === 1 ? "auto" : false,
    parameters: r.params === null || r.params === undefined ? null : Number(r.params),
    contextLength: r.context_length === null || r.context_length === undefined ? null : Number(r.context_length),
    architecture: (r.architecture as string | null) ?? null,
    sizeBucket: String(r.size_bucket),
    categories: String(r.categories ?? "").split(",").filter(Boolean),
    deployable: { vllm: (deployable & 1) === 1, sglang: (deployable & 2) === 2 },
    hubUrl: `${hubBase}/${String(r.id)}`,
  };
}

export interface SearchResult {
  models: ModelSummary[];
  nextCursor: string | null;
  facets?: FacetCounts;
  /** Facets counted over the first FACET_SAMPLE matches only (a broad query); exact otherwise. */
  facetsApproximate?: boolean;
  plan: Plan;
}

const hasFilters = (q: SearchQuery) =>
  [q.task, q.library, q.license, q.size, q.deployable, q.gated, q.author, q.category].some((v) => v !== undefined);

/**
 * Text queries try the broad plan first, inside a window of the sort order: when the window yields a full
 * page, those are the first matches in order and no FTS5 work was needed (a prefix word like "llama*"
 * makes FTS5 merge every matching term's doclist, O(all matches)). When it does not, the matches are few
 * or deep, and FTS5 finds them exactly. Queries without text pick their plan from the filters' shares.
 */
export async function searchCatalog(env: { DB: D1Database; KV: KVNamespace }, query: SearchQuery): Promise<SearchResult> {
  const db = env.DB;
  const run = (q: { sql: string; params: unknown[] }) => db.prepare(q.sql).bind(...q.params).all<Record<string, unknown>>().then((r) => r.results);
  const global = query.q ? undefined : await globalFacets(env);
  let plan: Plan;
  let rows: Record<string, unknown>[];
  if (query.q && ftsMatch(query.q)) {
    rows = query.author !== undefined ? [] : await run(pageSql(query, "scan", TEXT_WINDOW));
    plan = "scan";
    if (rows.length <= query.limit) {
      plan = "seek";
      rows = await run(pageSql(query, "seek"));
    }
  } else {
    plan = choosePlan(query, global ? { global } : {});
    rows = await run(pageSql(query, plan));
  }
  const more = rows.length > query.limit;
  const shown = more ? rows.slice(0, query.limit) : rows;
  const last = shown.at(-1);
  const result: SearchResult = {
    models: shown.map((r) => toSummary(r)),
    nextCursor: more && last ? encodeCursor(Number(last[SORTS[query.sort]]), Number(last.rowid)) : null,
    plan,
  };
  if (query.facets) {
    if (!query.q && !hasFilters(query) && global) {
      result.facets = globalAsFacets(global);
      result.facetsApproximate = false;
    } else {
      // A scan plan's page says how dense the matches are near the top of the order: sample there when
      // FACET_SAMPLE matches are close, or else seek (unsorted) instead of walking the order for them.
      let f: Record<string, unknown>[] = [];
      if (plan === "scan" && more && last) {
        const [depth] = await run(scanDepthSql(query, { value: Number(last[SORTS[query.sort]]), rowid: Number(last.rowid) }));
        if (facetScanFits(shown.length, Number(depth?.n ?? 0))) f = await run(facetRowsSql(query, "scan", FACET_WINDOW));
      }
      // A window that fell short may have missed matches; a seek finds them (all of them, when few).
      if (f.length <= FACET_SAMPLE) f = await run(facetRowsSql(query, "seek"));
      result.facets = countFacets(f.slice(0, FACET_SAMPLE));
      result.facetsApproximate = f.length > FACET_SAMPLE;
    }
  }
  return result;
}
