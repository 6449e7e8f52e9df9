import { generatedId, generatedIndexAt, generatedIndexOf, generatedLite, generatedModel } from "./generate";
import type { ModelLite } from "./lite";
import { matchesQuery, sortsBefore, sortValue, type ModelQuery, type SortKey } from "./query";
import { SAMPLE_LITE, SAMPLE_MODELS, sampleIndexOf } from "./sample";
import type { HubModel } from "./types";

/**
 * The catalog the Hub stand-in serves and its cursor pagination. A catalog is one or two ordered
 * streams (the sample; in "large" mode also the generated models) merged by the sort key, and a cursor
 * is simply each stream's position, so a page costs O(limit) model builds however deep it is.
 */

export interface Stream {
  readonly length: number;
  /** The id alone, cheaper than `lite` for generated models: search scans test it first. */
  id(pos: number): string;
  lite(pos: number): ModelLite;
  full(pos: number): HubModel;
}

export interface CatalogSettings {
  hfCatalog: "sample" | "large";
  hfLargeSize: number;
}

export interface Catalog {
  /** Total number of models (sample + generated). */
  readonly size: number;
  streams(sort: SortKey): Stream[];
  lookup(id: string): HubModel | undefined;
}

function orderBy(length: number, key: (i: number) => number | string): Uint32Array {
  const keys = Array.from({ length }, (_, i) => key(i));
  const order = Uint32Array.from({ length }, (_, i) => i);
  order.sort((a, b) => (sortsBefore(keys[a]!, keys[b]!) ? -1 : sortsBefore(keys[b]!, keys[a]!) ? 1 : a - b));
  return order;
}

const sampleOrders = new Map<SortKey, Uint32Array>();
function sampleStream(sort: SortKey): Stream {
  let order = sampleOrders.get(sort);
  if (!order) {
    order = orderBy(SAMPLE_LITE.length, (i) => sortValue(SAMPLE_LITE[i]!, sort));
    sampleOrders.set(sort, order);
  }
  const o = order;
  return { length: o.length, id: (pos) => SAMPLE_LITE[o[pos]!]!.id, lite: (pos) => SAMPLE_LITE[o[pos]!]!, full: (pos) => SAMPLE_MODELS[o[pos]!]! };
}

/** Orders without a built-in permutation (likes30d, num_parameters, mainSize, id) are sorted once per isolate. */
const generatedOrders = new Map<string, Uint32Array>();
function generatedStream(sort: SortKey, n: number): Stream {
  if (sort === "downloads" || sort === "likes" || sort === "trendingScore" || sort === "createdAt" || sort === "lastModified") {
    return {
      length: n,
      id: (pos) => generatedId(generatedIndexAt(sort, pos, n)),
      lite: (pos) => generatedLite(generatedIndexAt(sort, pos, n), n),
      full: (pos) => generatedModel(generatedIndexAt(sort, pos, n), n),
    };
  }
  const cacheKey = `${sort}:${n}`;
  let order = generatedOrders.get(cacheKey);
  if (!order) {
    if (generatedOrders.size >= 4) generatedOrders.clear();
    order = orderBy(n, sort === "id" ? (i) => generatedId(i).toLowerCase() : (i) => sortValue(generatedLite(i, n), sort));
    generatedOrders.set(cacheKey, order);
  }
  const o = order;
  return { length: n, id: (pos) => generatedId(o[pos]!), lite: (pos) => generatedLite(o[pos]!, n), full: (pos) => generatedModel(o[pos]!, n) };
}

export function generatedCount(settings: CatalogSettings): number {
  return settings.hfCatalog === "large" ? Math.max(0, settings.hfLargeSize - SAMPLE_MODELS.length) : 0;
}

export function catalogFor(settings: CatalogSettings): Catalog {
  const n = generatedCount(settings);
  return {
    size: SAMPLE_MODELS.length + n,
    streams: (sort) => (n > 0 ? [sampleStream(sort), generatedStream(sort, n)] : [sampleStream(sort)]),
    lookup: (id) => {
      const i = sampleIndexOf(id);
      if (i !== undefined) return SAMPLE_MODELS[i];
      const g = n > 0 ? generatedIndexOf(id, n) : undefined;
      return g === undefined ? undefined : generatedModel(g, n);
    },
  };
}

// ---- cursors: opaque base64url JSON, like the Hub's

interface CursorState {
  sort: SortKey;
  pos: number[];
}

export function encodeCursor(state: CursorState): string {
  return btoa(JSON.stringify(state)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string, sort: SortKey, streams: number): number[] | undefined {
  try {
    const json = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const state = JSON.parse(json) as Partial<CursorState>;
    if (state.sort !== sort || !Array.isArray(state.pos) || state.pos.length > streams) return undefined;
    if (!state.pos.every((p) => Number.isSafeInteger(p) && p >= 0)) return undefined;
    return state.pos;
  } catch {
    return undefined;
  }
}

export interface Page {
  items: HubModel[];
  /** Positions to resume from, when more matching models exist. */
  next?: number[];
}

function nextMatch(stream: Stream, from: number, q: ModelQuery): number {
  const needle = q.search?.toLowerCase();
  for (let pos = from; pos < stream.length; pos++) {
    if (needle !== undefined && !stream.id(pos).toLowerCase().includes(needle)) continue;
    if (matchesQuery(stream.lite(pos), q)) return pos;
  }
  return stream.length;
}

/** One page of the merged, filtered, sorted catalog starting at `positions`. */
export function listPage(streams: Stream[], q: ModelQuery, positions: number[] = []): Page {
  const heads = streams.map((s, k) => nextMatch(s, positions[k] ?? 0, q));
  const headKeys = heads.map((h, k) => (h < streams[k]!.length ? sortValue(streams[k]!.lite(h), q.sort) : undefined));
  const items: HubModel[] = [];
  while (items.length < q.limit) {
    let best = -1;
    for (let k = 0; k < streams.length; k++) {
      const key = headKeys[k];
      if (key === undefined) continue;
      if (best < 0 || sortsBefore(key, headKeys[best]!)) best = k;
    }
    if (best < 0) break;
    const stream = streams[best]!;
    items.push(stream.full(heads[best]!));
    heads[best] = nextMatch(stream, heads[best]! + 1, q);
    headKeys[best] = heads[best]! < stream.length ? sortValue(stream.lite(heads[best]!), q.sort) : undefined;
  }
  const more = heads.some((h, k) => h < streams[k]!.length);
  return more ? { items, next: heads } : { items };
}
