/**
 * Catalog search as data (pure): query-string parsing with clear errors, the FTS5 match expression, and
 * the SQL for a page and for each facet. Pages use keyset cursors (the last row's sort value and rowid),
 * so a page costs the same at any depth and a sync running meanwhile never duplicates or skips a model
 * whose sort value did not change.
 */
export const SORTS = { trending: "trending", downloads: "downloads", likes: "likes", recent: "modified_at" } as const;
export type SortKey = keyof typeof SORTS;
export const SIZE_BUCKETS = ["tiny", "small", "medium", "large", "huge", "unknown"] as const;
export const FACETS = ["task", "library", "license", "size", "gated", "deployable", "category"] as const;
export type FacetName = (typeof FACETS)[number];

export interface SearchQuery {
  q?: string;
  task?: string;
  library?: string;
  license?: string;
  size?: (typeof SIZE_BUCKETS)[number];
  deployable?: "vllm" | "sglang" | "any";
  gated?: boolean;
  author?: string;
  category?: string;
  sort: SortKey;
  limit: number;
  cursor?: { value: number; rowid: number };
  facets: boolean;
}

export type Parsed = { ok: true; query: SearchQuery } | { ok: false; errors: { param: string; message: string }[] };

const ALLOWED = new Set(["q", "search", "task", "library", "license", "size", "deployable", "gated", "author", "category", "sort", "limit", "cursor", "facets"]);
const WORD = /^[\w.:+-]{1,100}$/;

export function encodeCursor(value: number, rowid: number): string {
  return btoa(`${value}:${rowid}`).replace(/=+$/, "");
}

export function decodeCursor(raw: string): { value: number; rowid: number } | undefined {
  try {
    const [v, r] = atob(raw).split(":");
    const value = Number(v);
    const rowid = Number(r);
    return Number.isFinite(value) && Number.isInteger(rowid) && rowid > 0 ? { value, rowid } : undefined;
  } catch {
    return undefined;
  }
}

export function parseSearchQuery(params: Record<string, string | undefined>): Parsed {
  const errors: { param: string; message: string }[] = [];
  for (const k of Object.keys(params)) if (!ALLOWED.has(k)) errors.push({ param: k, message: `unknown parameter; use ${[...ALLOWED].join(", ")}` });
  const query: SearchQuery = { sort: "trending", limit: 20, facets: false };
  const q = (params.q ?? params.search)?.trim();
  if (q) {
    if (q.length > 200) errors.push({ param: "q", message: "at most 200 characters" });
    else query.q = q;
  }
  for (const k of ["task", "library", "license", "author", "category"] as const) {
    const v = params[k]?.trim();
    if (v === undefined || v === "") continue;
    if (!WORD.test(v)) errors.push({ param: k, message: "letters, digits and . _ : + - only, at most 100" });
    else query[k] = k === "license" ? v.toLowerCase() : v;
  }
  if (params.size !== undefined) {
    if ((SIZE_BUCKETS as readonly string[]).includes(params.size)) query.size = params.size as SearchQuery["size"];
    else errors.push({ param: "size", message: `one of ${SIZE_BUCKETS.join(", ")}` });
  }
  if (params.deployable !== undefined) {
    if (["vllm", "sglang", "any"].includes(params.deployable)) query.deployable = params.deployable as SearchQuery["deployable"];
    else errors.push({ param: "deployable", message: "one of vllm, sglang, any" });
  }
  if (params.gated !== undefined) {
    if (params.gated === "true" || params.gated === "false") query.gated = params.gated === "true";
    else errors.push({ param: "gated", message: "true or false" });
  }
  if (params.sort !== undefined) {
    if (params.sort in SORTS) query.sort = params.sort as SortKey;
    else errors.push({ param: "sort", message: `one of ${Object.keys(SORTS).join(", ")}` });
  }
  if (params.limit !== undefined) {
    const n = Number(params.limit);
    if (Number.isInteger(n) && n >= 1 && n <= 100) query.limit = n;
    else errors.push({ param: "limit", message: "an integer from 1 to 100" });
  }
  if (params.cursor !== undefined) {
    const c = decodeCursor(params.cursor);
    if (c) query.cursor = c;
    else errors.push({ param: "cursor", message: "not a cursor this API gave out" });
  }
  if (params.facets !== undefined) {
    if (params.facets === "true" || params.facets === "false") query.facets = params.facets === "true";
    else errors.push({ param: "facets", message: "true or false" });
  }
  return errors.length ? { ok: false, errors } : { ok: true, query };
}

/**
 * The FTS5 expression for what a person typed: each word (split at anything but letters and digits, as the
 * index's tokenizer does) must appear, the last one as a prefix so results follow the typing. Quoting every
 * term means no input is ever FTS5 syntax.
 */
export function ftsMatch(q: string): string | undefined {
  const words = searchWords(q);
  if (!words.length) return undefined;
  const { indexed } = splitWords(words);
  return indexed.map((w) => `"${w.word}"${w.prefix ? "*" : ""}`).join(" ");
}

/**
 * Which words FTS5 looks up and which are tested on `search_text`: a one-character word ("5" in
 * "qwen2.5") is in most ids, and intersecting its doclist costs more than testing the few rows the other
 * words leave. A query of only such words uses FTS5 for all of them.
 */
export function splitWords(words: string[]): { indexed: { word: string; prefix: boolean }[]; tested: string[] } {
  const all = words.map((word, i) => ({ word, prefix: i === words.length - 1 }));
  const selective = all.filter((w) => w.word.length > 1);
  if (!selective.length) return { indexed: all, tested: [] };
  return { indexed: selective, tested: all.filter((w) => w.word.length <= 1).map((w) => (w.prefix ? ` ${w.word}` : ` ${w.word} `)) };
}

/** Words as the index's tokenizer (unicode61) sees them: lowercased, split at anything but letters and digits. */
export function searchWords(text: string, max = 8): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, max);
}

/** A model's " tok1 tok2 … " (id, author, tags) for the word tests of a broad search. */
export function searchText(id: string, author: string, tags: string[]): string {
  return ` ${searchWords(`${id} ${author} ${tags.join(" ")}`, 400).join(" ")} `;
}

interface Where {
  sql: string[];
  params: unknown[];
  join: string;
}

/**
 * How a page is found. `seek`: take the matches (FTS, or a filter's index) and sort them; cheap when they
 * are few. `scan`: walk the sort order's index and keep what matches (FTS checked per row by rowid); cheap
 * when matches are many, because a page fills after a few rows. The cut-over is BROAD matches.
 */
export type Plan = "seek" | "scan";
export const BROAD = 2000;

const SORT_INDEX: Record<SortKey, string> = {
  trending: "hf_model_trending_idx",
  downloads: "hf_model_downloads_idx",
  likes: "hf_model_likes_idx",
  recent: "hf_model_modified_idx",
};

function where(query: SearchQuery, plan: Plan): Where {
  const w: Where = { sql: [], params: [], join: "" };
  const match = query.q ? ftsMatch(query.q) : undefined;
  if (query.q && !match) w.sql.push("0"); // only punctuation: nothing can match
  if (match && plan === "seek") {
    w.sql.push("m.rowid IN (SELECT rowid FROM hf_model_fts WHERE hf_model_fts MATCH ?)");
    w.params.push(match);
    for (const t of splitWords(searchWords(query.q!)).tested) {
      w.sql.push("instr(m.search_text, ?) > 0");
      w.params.push(t);
    }
  } else if (match) {
    // Many matches: walking the sort index and testing each row's words is cheaper than collecting every
    // FTS match to sort them (an FTS probe per row by rowid is worse still: a doclist walk each time). Same
    // meaning as the FTS expression: every word a whole token, the last one a prefix.
    const words = searchWords(query.q!);
    words.forEach((word, i) => {
      w.sql.push("instr(m.search_text, ?) > 0");
      w.params.push(i === words.length - 1 ? ` ${word}` : ` ${word} `);
    });
  }
  const eq = (col: string, v: unknown) => {
    if (v === undefined) return;
    w.sql.push(`${col} = ?`);
    w.params.push(v);
  };
  eq("m.task", query.task);
  eq("m.library", query.library);
  eq("m.license", query.license);
  eq("m.size_bucket", query.size);
  eq("m.author", query.author);
  if (query.gated !== undefined) w.sql.push(query.gated ? "m.gated > 0" : "m.gated = 0");
  if (query.deployable !== undefined) w.sql.push(query.deployable === "vllm" ? "(m.deployable & 1) = 1" : query.deployable === "sglang" ? "(m.deployable & 2) = 2" : "m.deployable > 0");
  if (query.category !== undefined) {
    if (plan === "scan") {
      w.sql.push("m.categories LIKE ?");
      w.params.push(`%,${query.category},%`);
    } else {
      w.join = " JOIN hf_model_category c ON c.model_id = m.id AND c.category = ?";
      w.params.unshift(query.category);
    }
  }
  return w;
}

export const ROW_COLUMNS =
  "m.rowid, m.id, m.author, m.task, m.library, m.license, m.tags, m.downloads, m.likes, m.trending, m.created_at, m.modified_at, m.gated, m.params, m.context_length, m.architecture, m.size_bucket, m.categories, m.deployable";

const FACET_COLUMNS = "m.task, m.library, m.license, m.size_bucket, m.gated, m.deployable, m.categories";

/** SQLite's smallest integer: below every sort value. */
const MIN_INT = "-9223372036854775808";

/**
 * `window`: look at no more than this many models of the sort order (a scan that would otherwise walk the
 * whole index when its matches are few). The window is a co-routine SQLite reads only as far as needed.
 */
function ordered(query: SearchQuery, plan: Plan, columns: string, limit: number, withCursor: boolean, window?: number, sorted = true): { sql: string; params: unknown[] } {
  const w = where(query, plan);
  const col = `m.${SORTS[query.sort]}`;
  const sql = [...w.sql];
  const params = [...w.params];
  const keyset: string[] = [];
  const keysetParams: unknown[] = [];
  if (withCursor && query.cursor) {
    keyset.push(`(${col} < ? OR (${col} = ? AND m.rowid < ?))`);
    keysetParams.push(query.cursor.value, query.cursor.value, query.cursor.rowid);
  }
  if (plan === "scan" && window !== undefined) {
    // The plain `<=` repeats what the cursor's OR says, so SQLite starts both index walks at the cursor: an
    // OR is no range, and beside the window's lower bound the walk would start at the top of the order.
    if (withCursor && query.cursor) {
      keyset.unshift(`${col} <= ?`);
      keysetParams.unshift(query.cursor.value);
    }
    // The window's far end first: the sort value and rowid of the `window`-th row from the page's start
    // (an index-only walk). The scan proper is then a plain walk of the sort index between the start and
    // that row, filtered, in the index's own order: it stops at `limit` matches, never sorts, and decodes
    // a whole row only for a match. (Windowing with a LIMIT subquery copied every row of the window,
    // whole, into a co-routine and sorted them: 27 ms for 'qwen2.5 coder 7b' against 13 ms.)
    const bound = `SELECT ${col} AS v, m.rowid AS r FROM hf_model m INDEXED BY ${SORT_INDEX[query.sort]}${keyset.length ? ` WHERE ${keyset.join(" AND ")}` : ""} ORDER BY ${col} DESC, m.rowid DESC LIMIT 1 OFFSET ?`;
    // Fewer rows than the window after the start: no far end, the whole rest of the order.
    const inWindow = [`${col} >= coalesce((SELECT v FROM b), ${MIN_INT})`, `(${col} > coalesce((SELECT v FROM b), ${MIN_INT}) OR m.rowid >= coalesce((SELECT r FROM b), 0))`];
    return {
      sql: `WITH b AS MATERIALIZED (${bound}) SELECT ${columns} FROM hf_model m INDEXED BY ${SORT_INDEX[query.sort]}${w.join} WHERE ${[...keyset, ...inWindow, ...sql].join(" AND ")} ORDER BY ${col} DESC, m.rowid DESC LIMIT ?`,
      params: [...keysetParams, window - 1, ...keysetParams, ...params, limit],
    };
  }
  const from = plan === "scan" ? `hf_model m INDEXED BY ${SORT_INDEX[query.sort]}` : "hf_model m";
  const all = [...sql, ...keyset];
  // A seek sorts its (few) matches: "+" keeps SQLite from walking the sort index instead, which for a
  // limit the matches cannot fill means walking all of it.
  const orderCol = plan === "seek" ? `+${col}` : col;
  const order = sorted ? ` ORDER BY ${orderCol} DESC, m.rowid DESC` : "";
  return {
    sql: `SELECT ${columns} FROM ${from}${w.join}${all.length ? ` WHERE ${all.join(" AND ")}` : ""}${order} LIMIT ?`,
    params: [...params, ...keysetParams, limit],
  };
}

/** How far an optimistic scan for a text query looks before trusting FTS5 instead. */
export const TEXT_WINDOW = 10_000;
/**
 * The most rows of the sort order a facet sample may walk (about what a page scan costs). A scan that would
 * need more to find FACET_SAMPLE matches is replaced by a seek that reads its first matches in index order.
 */
export const FACET_WINDOW = 8_000;

/** One page: `limit + 1` rows, so the caller knows whether another page follows. */
export function pageSql(query: SearchQuery, plan: Plan = "seek", window?: number): { sql: string; params: unknown[] } {
  return ordered(query, plan, ROW_COLUMNS, query.limit + 1, true, window);
}

/**
 * The facet columns of FACET_SAMPLE + 1 matches: up to FACET_SAMPLE matches the counts are exact; past it
 * they are counted over a sample of FACET_SAMPLE (the caller says so), because counting every match of a
 * broad query costs time proportional to the whole catalog. A scan samples the first matches in the
 * query's order; a seek takes the first it finds, unsorted: sorting would read every match (thousands of
 * rows for a query like "qwen2.5 coder 7b") only to pick which 500 to count.
 */
export function facetRowsSql(query: SearchQuery, plan: Plan, window?: number): { sql: string; params: unknown[] } {
  return ordered(query, plan, FACET_COLUMNS, FACET_SAMPLE + 1, false, window, plan === "scan");
}

/**
 * How many rows of the sort order lie after the page's start (its cursor, or the top) up to and including
 * `last`: how far a scan walked to fill the page. Counted on the sort index alone (well under a millisecond
 * for thousands of rows), with ties on the sort value split by rowid, as the keyset order does.
 */
export function scanDepthSql(query: SearchQuery, last: { value: number; rowid: number }): { sql: string; params: unknown[] } {
  const col = SORTS[query.sort];
  const idx = SORT_INDEX[query.sort];
  const through = `(SELECT count(*) FROM hf_model INDEXED BY ${idx} WHERE ${col} > ?) + (SELECT count(*) FROM hf_model INDEXED BY ${idx} WHERE ${col} = ? AND rowid >= ?)`;
  const c = query.cursor;
  return c
    ? { sql: `SELECT ${through} - (${through}) AS n`, params: [last.value, last.value, last.rowid, c.value, c.value, c.rowid] }
    : { sql: `SELECT ${through} AS n`, params: [last.value, last.value, last.rowid] };
}

/**
 * Whether a facet sample should scan the sort order: a page that took `found` matches from `depth` rows
 * predicts how many rows FACET_SAMPLE + 1 matches need; a quarter to spare, since a window that falls short
 * is wasted work before the seek.
 */
export function facetScanFits(found: number, depth: number): boolean {
  if (found <= 0) return false;
  const need = ((FACET_SAMPLE + 1) * Math.max(depth, found)) / found;
  return need * 1.25 <= FACET_WINDOW;
}

/** Facets of a query with more matches than this are counted over its first FACET_SAMPLE, in its order. */
export const FACET_SAMPLE = 500;

/** How many documents match the text, counted up to BROAD (the question is only "few or many"). */
export function ftsCountSql(match: string): { sql: string; params: unknown[] } {
  return { sql: `SELECT count(*) AS n FROM (SELECT 1 FROM hf_model_fts WHERE hf_model_fts MATCH ? LIMIT ${BROAD})`, params: [match] };
}

/** Catalog-wide counts per facet value (the cron refreshes them); used to guess how selective filters are. */
export interface GlobalFacets {
  total: number;
  task: Record<string, number>;
  library: Record<string, number>;
  license: Record<string, number>;
  size: Record<string, number>;
  gated: Record<string, number>;
  deployable: Record<string, number>;
  category: Record<string, number>;
}

/**
 * Seek or scan. Text: the capped FTS count decides. Filters alone: their catalog-wide shares multiplied
 * give the expected matches (independence is a fair guess for these columns); an author filter has its
 * own index and is always few, so it seeks.
 */
export function choosePlan(query: SearchQuery, est: { ftsMatches?: number; global?: GlobalFacets }): Plan {
  if (query.author !== undefined) return "seek";
  if (query.q) return (est.ftsMatches ?? 0) >= BROAD ? "scan" : "seek";
  const g = est.global;
  if (!g || g.total === 0) return "seek";
  let expected = g.total;
  const share = (table: Record<string, number>, value: string | undefined) => (value === undefined ? 1 : (table[value] ?? 0) / g.total);
  expected *= share(g.task, query.task) * share(g.library, query.library) * share(g.license, query.license) * share(g.size, query.size) * share(g.category, query.category);
  if (query.gated !== undefined) expected *= share(g.gated, query.gated ? "gated" : "open");
  if (query.deployable !== undefined && query.deployable !== "any") expected *= share(g.deployable, query.deployable);
  return expected >= BROAD ? "scan" : "seek";
}

export type FacetCounts = Record<FacetName, { value: string; count: number }[]>;

/** Counts per facet over rows of facet columns (pure), top `top` values each. */
export function countFacets(rows: Record<string, unknown>[], top = 20): FacetCounts {
  const tallies: Record<FacetName, Map<string, number>> = { task: new Map(), library: new Map(), license: new Map(), size: new Map(), gated: new Map(), deployable: new Map(), category: new Map() };
  const add = (f: FacetName, v: unknown) => {
    if (v === null || v === undefined || v === "") return;
    const key = String(v);
    tallies[f].set(key, (tallies[f].get(key) ?? 0) + 1);
  };
  for (const r of rows) {
    add("task", r.task);
    add("library", r.library);
    add("license", r.license);
    add("size", r.size_bucket);
    add("gated", Number(r.gated) > 0 ? "gated" : "open");
    const d = Number(r.deployable);
    if (d & 1) add("deployable", "vllm");
    if (d & 2) add("deployable", "sglang");
    for (const c of String(r.categories ?? "").split(",")) add("category", c);
  }
  return fromTallies(tallies, top);
}

export function fromTallies(tallies: Record<FacetName, Map<string, number>>, top = 20): FacetCounts {
  const out = {} as FacetCounts;
  for (const f of FACETS) out[f] = [...tallies[f]].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, top);
  return out;
}

/** The catalog-wide counts as facets (for a browse with no text and no filter: exact and precomputed). */
export function globalAsFacets(g: GlobalFacets, top = 20): FacetCounts {
  const tallies = {} as Record<FacetName, Map<string, number>>;
  for (const f of FACETS) tallies[f] = new Map(Object.entries(g[f]));
  return fromTallies(tallies, top);
}
