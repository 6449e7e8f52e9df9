/**
 * The Discover screen's state as data (pure, no DOM): what is typed and chosen, how it reads from and
 * writes to the address bar (so a search can be shared, reloaded or gone back to), the query string the
 * catalog API takes (workers/catalog/search-query.ts), merging pages, and the words and numbers a card shows.
 */
export const SORTS = ["trending", "downloads", "likes", "recent"] as const;
export type Sort = (typeof SORTS)[number];
export const SIZES = ["tiny", "small", "medium", "large", "huge"] as const;
export type Size = (typeof SIZES)[number];
export type DeployableEngine = "vllm" | "sglang";

/** What a person has typed and chosen. Every filter holds one value (the API takes one per parameter). */
export interface DiscoverFilters {
  q: string;
  task?: string;
  category?: string;
  size?: Size;
  deployable?: DeployableEngine;
  license?: string;
  gated?: boolean;
  sort: Sort;
}

/** The filter groups shown as chips, in order. */
export const FILTER_KEYS = ["deployable", "category", "task", "size", "license", "gated"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const EMPTY_FILTERS: DiscoverFilters = { q: "", sort: "trending" };

/** The API's own pattern for task, license and category values (anything else is a 400). */
const WORD = /^[\w.:+-]{1,100}$/;
export const PAGE_SIZE = 20;

/** Reads the address's query (?q=&task=&…&sort=); anything the API would refuse is dropped, not sent. */
export function filtersFromSearch(search: string): DiscoverFilters {
  const p = new URLSearchParams(search);
  const f: DiscoverFilters = { q: (p.get("q") ?? "").slice(0, 200), sort: "trending" };
  const sort = p.get("sort");
  if (sort && (SORTS as readonly string[]).includes(sort)) f.sort = sort as Sort;
  for (const k of ["task", "category", "license"] as const) {
    const v = p.get(k)?.trim();
    if (v && WORD.test(v)) f[k] = v;
  }
  const size = p.get("size");
  if (size && (SIZES as readonly string[]).includes(size)) f.size = size as Size;
  const deployable = p.get("deployable");
  if (deployable === "vllm" || deployable === "sglang") f.deployable = deployable;
  const gated = p.get("gated");
  if (gated === "true" || gated === "false") f.gated = gated === "true";
  return f;
}

/** The address's query for the filters ("" for a plain browse); the default sort is left out. */
export function filtersToSearch(f: DiscoverFilters): string {
  const p = new URLSearchParams();
  if (f.q.trim()) p.set("q", f.q);
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (v !== undefined) p.set(k, String(v));
  }
  if (f.sort !== "trending") p.set("sort", f.sort);
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** GET /api/models's query string for a page: facets with the first page only (later pages do not change them). */
export function searchQueryString(f: DiscoverFilters, cursor?: string | null, limit = PAGE_SIZE): string {
  const p = new URLSearchParams();
  const q = f.q.trim().slice(0, 200);
  if (q) p.set("q", q);
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (v !== undefined) p.set(k, String(v));
  }
  p.set("sort", f.sort);
  p.set("limit", String(limit));
  if (cursor) p.set("cursor", cursor);
  else p.set("facets", "true");
  return p.toString();
}

/** A key for remembering a search's first page (offline, or coming back): the same as its API query. */
export const cacheKey = (f: DiscoverFilters) => searchQueryString(f);

export const hasFilters = (f: DiscoverFilters) => FILTER_KEYS.some((k) => f[k] !== undefined);
/** Nothing typed, nothing chosen: the screen shows its browse sections (popular, verticals, categories). */
export const isBrowse = (f: DiscoverFilters) => !f.q.trim() && !hasFilters(f);

/** The filters with one changed: the same value again clears it (a chip tapped twice is off). */
export function toggleFilter<K extends FilterKey>(f: DiscoverFilters, key: K, value: DiscoverFilters[K]): DiscoverFilters {
  const next = { ...f };
  if (value === undefined || f[key] === value) delete next[key];
  else next[key] = value;
  return next;
}

export const clearFilters = (f: DiscoverFilters): DiscoverFilters => ({ q: "", sort: f.sort });

/** A later page appended to what is shown; a model already there is not shown twice. */
export function mergePage<T extends { id: string }>(shown: readonly T[], page: readonly T[]): T[] {
  const seen = new Set(shown.map((m) => m.id));
  const out = [...shown];
  for (const m of page) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    out.push(m);
  }
  return out;
}

const HF_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[\w.-]{1,96}$/;

/** The model a path names (/models/Qwen/Qwen2.5-7B-Instruct → Qwen/Qwen2.5-7B-Instruct), or null for the list. */
export function modelIdFromPath(pathname: string): string | null {
  const m = /^\/models\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
  if (!m) return null;
  let id: string;
  try {
    id = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`;
  } catch {
    return null;
  }
  return HF_ID.test(id) ? id : null;
}

/** The screen's path for a model; ids are letters, digits and . _ - so they need no escaping. */
export const modelPath = (id: string) => `/models/${id.split("/").map(encodeURIComponent).join("/")}`;
/** The API's path for a model (detail, favorites). */
export const apiModelPath = (prefix: string, id: string) => `${prefix}/${id.split("/").map(encodeURIComponent).join("/")}`;

/**
 * A whole number as en-US writes it: 1234567 → "1,234,567". Grouped by hand rather than through Intl: the
 * first Intl.NumberFormat in a page loads ICU's locale data (~40 ms on this machine, four times that on a
 * mid-range phone), `toLocaleString` builds a new formatter on every call, and a browse prints hundreds of
 * counts (chips, cards, titles); together they were most of the discover screen's main-thread blocking.
 */
export function wholeNumber(n: number): string {
  const digits = String(Math.round(Math.abs(n)));
  return (n < 0 ? "-" : "") + digits.replace(/\B(?=(\d{3})+$)/g, ",");
}

/** 577757 → "578K", 1_234_567 → "1.2M". */
export function compactNumber(n: number): string {
  if (!Number.isFinite(n)) return "–";
  const abs = Math.abs(n);
  const fmt = (v: number, unit: string) => `${v >= 100 ? Math.round(v) : Number(v.toFixed(1))}${unit}`;
  if (abs >= 1e9) return fmt(n / 1e9, "B");
  if (abs >= 1e6) return fmt(n / 1e6, "M");
  if (abs >= 1e3) return fmt(n / 1e3, "K");
  return String(Math.round(n));
}

/** Parameters: 135e6 → "135M", 7.6e9 → "7.6B", null → "unknown". */
export const parameterLabel = (n: number | null) => (n === null || n <= 0 ? "unknown" : compactNumber(n));

/** Context tokens: 32768 → "32K", 131072 → "128K" (binary thousands, as model cards write them). */
export function contextLabel(n: number | null): string {
  if (n === null || n <= 0) return "unknown";
  if (n >= 1024 && n % 1024 === 0) return n >= 1024 * 1024 ? `${n / (1024 * 1024)}M` : `${n / 1024}K`;
  return wholeNumber(n);
}

/** "text-generation" → "Text generation". */
export function taskLabel(task: string): string {
  const words = task.replace(/[-_]+/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : task;
}

export const SORT_LABELS: Record<Sort, string> = { trending: "Trending", downloads: "Downloads", likes: "Likes", recent: "Recent" };
export const SIZE_LABELS: Record<Size, string> = { tiny: "Tiny <1B", small: "Small 1–10B", medium: "Medium 10–40B", large: "Large 40–150B", huge: "Huge 150B+" };
export const ENGINE_LABELS: Record<DeployableEngine, string> = { vllm: "vLLM", sglang: "SGLang" };

/** What the filters ask for, in words, for the empty state ("No models match “qwen” · Code · vLLM"). */
export function describeFilters(f: DiscoverFilters, categoryLabel: (id: string) => string = (id) => id): string {
  const parts: string[] = [];
  if (f.q.trim()) parts.push(`“${f.q.trim()}”`);
  if (f.category) parts.push(categoryLabel(f.category));
  if (f.task) parts.push(taskLabel(f.task));
  if (f.size) parts.push(SIZE_LABELS[f.size]);
  if (f.deployable) parts.push(`deployable on ${ENGINE_LABELS[f.deployable]}`);
  if (f.license) parts.push(`license ${f.license}`);
  if (f.gated !== undefined) parts.push(f.gated ? "gated" : "open");
  return parts.join(" · ");
}

export const usd = (n: number, digits = 2) => `$${n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;

/** The scaling a person chose on the deploy form: only what they changed is sent; the plan fills the rest. */
export interface ScalingChoice {
  workersMin?: number;
  workersMax?: number;
  idleTimeoutSeconds?: number;
}

/** What the deploy form asks the planner for (the estimate's query and the POST's body agree on it). */
export interface DeployChoice {
  engine?: DeployableEngine;
  gpu?: string;
  scaling: ScalingChoice;
  hfToken?: string;
}

/** GET /api/deployments/estimate's query for a choice. */
export function estimateQueryString(model: string, c: DeployChoice): string {
  const p = new URLSearchParams({ model });
  if (c.engine) p.set("engine", c.engine);
  const gpu = c.gpu?.trim();
  if (gpu) p.set("gpu", gpu);
  for (const k of ["workersMin", "workersMax", "idleTimeoutSeconds"] as const) {
    const v = c.scaling[k];
    if (v !== undefined) p.set(k, String(v));
  }
  return p.toString();
}

/** POST /api/deployments's body for a choice. */
export function deployBody(model: string, c: DeployChoice): { model: string; engine?: DeployableEngine; gpu?: string; scaling?: ScalingChoice; settings?: { hfToken: string } } {
  const body: ReturnType<typeof deployBody> = { model };
  if (c.engine) body.engine = c.engine;
  const gpu = c.gpu?.trim();
  if (gpu) body.gpu = gpu;
  const scaling = Object.fromEntries(Object.entries(c.scaling).filter(([, v]) => v !== undefined)) as ScalingChoice;
  if (Object.keys(scaling).length) body.scaling = scaling;
  const token = c.hfToken?.trim();
  if (token) body.settings = { hfToken: token };
  return body;
}

/**
 * A worker-count change that keeps min ≤ max: raising the minimum above the maximum raises the maximum
 * with it, and lowering the maximum below the minimum lowers the minimum (the planner refuses min > max).
 */
export function setWorkers(choice: ScalingChoice, shown: { workersMin: number; workersMax: number }, key: "workersMin" | "workersMax", value: number): ScalingChoice {
  const next = { ...choice, [key]: value };
  if (key === "workersMin" && value > (next.workersMax ?? shown.workersMax)) next.workersMax = Math.max(1, value);
  if (key === "workersMax" && value < (next.workersMin ?? shown.workersMin)) next.workersMin = value;
  return next;
}
