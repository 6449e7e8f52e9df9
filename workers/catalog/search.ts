import { globalFacets } from "./facets";
import { FACET_SAMPLE, choosePlan, countFacets, encodeCursor, facetRowsSql, ftsCountSql, ftsMatch, globalAsFacets, pageSql, SORTS, type FacetCounts, type Plan, type SearchQuery } from "./search-query";

/**
 * Runs catalog searches on D1: one statement for the page, and (when asked) one per facet, all in one
 * batch so facets cost one round trip.
 */
export interface ModelSummary {
  id: string;
  author: string;
  task: string | null;
  library: string | null;
  license: string | null;
  tags: string[];
  downloads: number;
  likes: number;
  trendingScore: number;
  createdAt: string | null;
  lastModified: string | null;
  gated: false | "auto" | "manual";
  parameters: number | null;
  contextLength: number | null;
  architecture: string | null;
  sizeBucket: string;
  categories: string[];
  deployable: { vllm: boolean; sglang: boolean };
  hubUrl: string;
}

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

export async function searchCatalog(env: { DB: D1Database; KV: KVNamespace }, query: SearchQuery): Promise<SearchResult> {
  const db = env.DB;
  const match = query.q ? ftsMatch(query.q) : undefined;
  const [global, ftsMatches] = await Promise.all([
    query.q ? Promise.resolve(undefined) : globalFacets(env),
    match ? db.prepare(ftsCountSql(match).sql).bind(...ftsCountSql(match).params).first<{ n: number }>().then((r) => Number(r?.n ?? 0)) : Promise.resolve(undefined),
  ]);
  const plan = choosePlan(query, { ...(ftsMatches !== undefined ? { ftsMatches } : {}), ...(global ? { global } : {}) });
  const page = pageSql(query, plan);
  const statements = [db.prepare(page.sql).bind(...page.params)];
  const everything = !query.q && !hasFilters(query);
  const facetRows = query.facets && !(everything && global);
  if (facetRows) {
    const f = facetRowsSql(query, plan);
    statements.push(db.prepare(f.sql).bind(...f.params));
  }
  const [rows, facetResult] = await db.batch<Record<string, unknown>>(statements);
  const results = rows!.results;
  const more = results.length > query.limit;
  const shown = more ? results.slice(0, query.limit) : results;
  const last = shown.at(-1);
  const result: SearchResult = {
    models: shown.map((r) => toSummary(r)),
    nextCursor: more && last ? encodeCursor(Number(last[SORTS[query.sort]]), Number(last.rowid)) : null,
    plan,
  };
  if (query.facets) {
    if (!facetRows && global) {
      result.facets = globalAsFacets(global);
      result.facetsApproximate = false;
    } else {
      const f = facetResult!.results;
      result.facets = countFacets(f.slice(0, FACET_SAMPLE));
      result.facetsApproximate = f.length > FACET_SAMPLE;
    }
  }
  return result;
}
