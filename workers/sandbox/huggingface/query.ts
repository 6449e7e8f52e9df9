import type { ModelLite } from "./lite";

/**
 * `GET /api/models` query parameters: parsing, validation with the Hub's error wording (its validator
 * prefixes each problem with "✖", e.g. `{"error":"✖ Invalid sort parameter: trending"}`), and the
 * filter predicate. Pure, so it is unit-tested in Node.
 */

export const SORTS = ["downloads", "likes", "trendingScore", "createdAt", "lastModified", "likes30d", "num_parameters", "mainSize", "id"] as const;
export type SortKey = (typeof SORTS)[number];

/** Properties `expand` accepts (huggingface_hub ExpandModelProperty_T plus @huggingface/hub's gitalyUid). */
export const EXPANDABLE = [
  "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "disabled", "downloads", "downloadsAllTime", "evalResults",
  "gated", "gguf", "gitalyUid", "inference", "inferenceProviderMapping", "lastModified", "library_name", "likes", "mask_token", "model-index",
  "pipeline_tag", "private", "resourceGroup", "safetensors", "sha", "siblings", "spaces", "tags", "transformersInfo", "trendingScore",
  "usedStorage", "widgetData",
] as const;
export type ExpandKey = (typeof EXPANDABLE)[number];

export const MAX_LIMIT = 1000;

export interface ModelQuery {
  search?: string;
  author?: string;
  filters: string[];
  pipelineTag?: string;
  library?: string;
  gated?: boolean;
  numParameters?: { min?: number; max?: number };
  apps: string[];
  inferenceProviders: string[];
  inference?: "warm" | "cold";
  sort: SortKey;
  limit: number;
  full: boolean;
  config: boolean;
  cardData: boolean;
  expand?: ExpandKey[];
  cursor?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const problem = (message: string, path?: string) => `✖ ${message}${path ? `\n  → at ${path}` : ""}`;

function parseBool(raw: string | undefined, name: string): Parsed<boolean | undefined> {
  if (raw === undefined) return { ok: true, value: undefined };
  const v = raw.toLowerCase();
  if (v === "" || v === "true" || v === "1") return { ok: true, value: true };
  if (v === "false" || v === "0") return { ok: true, value: false };
  return { ok: false, error: problem(`Invalid input: expected boolean, received string`, name) };
}

const UNITS: Record<string, number> = { "": 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12 };

function parseCount(raw: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMBT]?)$/i.exec(raw.trim());
  return m ? Math.round(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!) : undefined;
}

/** `num_parameters=min:6B,max:128B` (either bound optional). */
export function parseNumParameters(raw: string): Parsed<{ min?: number; max?: number }> {
  const out: { min?: number; max?: number } = {};
  for (const part of raw.split(",")) {
    const [key, value] = part.split(":");
    const n = value === undefined ? undefined : parseCount(value);
    if ((key !== "min" && key !== "max") || n === undefined) return { ok: false, error: problem(`Invalid num_parameters: ${raw}`, "num_parameters") };
    out[key] = n;
  }
  return { ok: true, value: out };
}

export function parseModelQuery(params: URLSearchParams, defaultSort: SortKey = "trendingScore"): Parsed<ModelQuery> {
  const one = (name: string) => params.get(name) ?? undefined;
  const q: ModelQuery = { filters: params.getAll("filter").filter(Boolean), apps: [], inferenceProviders: [], sort: defaultSort, limit: MAX_LIMIT, full: false, config: false, cardData: false };

  const limit = one("limit");
  if (limit !== undefined) {
    const n = Number(limit);
    if (limit.trim() === "" || !Number.isFinite(n)) return { ok: false, error: problem(`Invalid input: expected number, received NaN`, "limit") };
    if (!Number.isInteger(n)) return { ok: false, error: problem(`Invalid input: expected int, received number`, "limit") };
    if (n < 1) return { ok: false, error: problem(`Too small: expected number to be >=1`, "limit") };
    q.limit = Math.min(n, MAX_LIMIT);
  }

  const sort = one("sort");
  if (sort !== undefined && sort !== "") {
    if (!(SORTS as readonly string[]).includes(sort)) return { ok: false, error: problem(`Invalid sort parameter: ${sort}`) };
    q.sort = sort as SortKey;
  }

  // Sorting is always descending on today's Hub; `direction` is still accepted from older clients.
  const direction = one("direction");
  if (direction !== undefined && direction !== "-1" && direction !== "1") {
    return { ok: false, error: problem(`Invalid option: expected one of "-1"|"1"`, "direction") };
  }

  for (const name of ["full", "config", "cardData"] as const) {
    const parsed = parseBool(one(name), name);
    if (!parsed.ok) return parsed;
    q[name] = parsed.value ?? false;
  }
  const gated = parseBool(one("gated"), "gated");
  if (!gated.ok) return gated;
  if (gated.value !== undefined) q.gated = gated.value;

  const expand = parseExpand(params);
  if (!expand.ok) return expand;
  if (expand.value) q.expand = expand.value;

  const numParameters = one("num_parameters");
  if (numParameters !== undefined) {
    const parsed = parseNumParameters(numParameters);
    if (!parsed.ok) return parsed;
    q.numParameters = parsed.value;
  }

  const inference = one("inference");
  if (inference !== undefined) {
    if (inference !== "warm" && inference !== "cold") return { ok: false, error: problem(`Invalid option: expected one of "warm"|"cold"`, "inference") };
    q.inference = inference;
  }

  const search = one("search");
  if (search) q.search = search;
  const author = one("author");
  if (author) q.author = author;
  const pipelineTag = one("pipeline_tag");
  if (pipelineTag) q.pipelineTag = pipelineTag;
  const library = one("library");
  if (library) q.library = library;
  q.apps = (one("apps") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  q.inferenceProviders = (one("inference_provider") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const cursor = one("cursor");
  if (cursor) q.cursor = cursor;
  return { ok: true, value: q };
}

const GENERATIVE_TASKS = new Set(["text-generation", "image-text-to-text"]);

/** Whether a local app can run the model, by the artefacts it needs. */
function appSupports(app: string, m: ModelLite): boolean {
  const has = (t: string) => m.tags.includes(t);
  switch (app) {
    case "vllm":
    case "sglang":
    case "tgi":
      return m.library_name === "transformers" && has("safetensors") && GENERATIVE_TASKS.has(m.pipeline_tag ?? "");
    case "llama.cpp":
    case "ollama":
    case "lmstudio":
    case "jan":
    case "localai":
      return has("gguf");
    case "mlx-lm":
      return m.library_name === "mlx";
    default:
      return false;
  }
}

const lower = (s: string | undefined) => (s ?? "").toLowerCase();

/** Whether a model satisfies every filter of the query (all filters AND together, like the Hub). */
export function matchesQuery(m: ModelLite, q: ModelQuery): boolean {
  if (q.search && !m.id.toLowerCase().includes(q.search.toLowerCase())) return false;
  if (q.author && lower(m.author) !== q.author.toLowerCase()) return false;
  if (q.pipelineTag && m.pipeline_tag !== q.pipelineTag) return false;
  if (q.library && lower(m.library_name) !== q.library.toLowerCase() && !m.tags.includes(q.library)) return false;
  for (const f of q.filters) {
    const tag = f.toLowerCase();
    if (!m.tags.some((t) => t.toLowerCase() === tag)) return false;
  }
  if (q.gated !== undefined && (m.gated !== false) !== q.gated) return false;
  if (q.numParameters) {
    if (m.params < 0) return false;
    if (q.numParameters.min !== undefined && m.params < q.numParameters.min) return false;
    if (q.numParameters.max !== undefined && m.params > q.numParameters.max) return false;
  }
  if (q.apps.length && !q.apps.some((app) => appSupports(app, m))) return false;
  if (q.inferenceProviders.length && !(q.inferenceProviders.includes("all") ? m.providers.length > 0 : m.providers.some((p) => q.inferenceProviders.includes(p)))) return false;
  if (q.inference === "warm" && m.providers.length === 0) return false;
  if (q.inference === "cold" && m.providers.length > 0) return false;
  return true;
}

/** The numeric sort key of a model (larger first), or its id for `sort=id` (alphabetical). */
export function sortValue(m: ModelLite, sort: SortKey): number | string {
  switch (sort) {
    case "downloads": return m.downloads;
    case "likes": return m.likes;
    case "trendingScore": return m.trendingScore;
    case "createdAt": return m.createdAtMs;
    case "lastModified": return m.lastModifiedMs;
    case "likes30d": return m.trendingScore * 3 + Math.floor(m.likes / 50);
    case "num_parameters": return m.params;
    case "mainSize": return m.size;
    case "id": return m.id.toLowerCase();
  }
}

/** Whether a sorts strictly before b. */
export function sortsBefore(a: number | string, b: number | string): boolean {
  if (typeof a === "string" || typeof b === "string") return String(a) < String(b);
  return a > b;
}

/** `expand` of a single-model request (the only query parameter model info validates). */
export function parseExpand(params: URLSearchParams): Parsed<ExpandKey[] | undefined> {
  const raw = params.getAll("expand").concat(params.getAll("expand[]"));
  if (!raw.length) return { ok: true, value: undefined };
  const keys: ExpandKey[] = [];
  for (const [i, key] of raw.entries()) {
    if (!(EXPANDABLE as readonly string[]).includes(key)) {
      return { ok: false, error: problem(`Invalid option: expected one of ${EXPANDABLE.map((k) => `"${k}"`).join("|")}`, `expand[${i}]`) };
    }
    if (!keys.includes(key as ExpandKey)) keys.push(key as ExpandKey);
  }
  return { ok: true, value: keys };
}
