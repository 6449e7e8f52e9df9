import { generatedId, generatedIndexAt, generatedIndexOf, generatedLite, generatedModel } from "./generate";
import { liteOf, type ModelLite } from "./lite";
import type { HubOverlay } from "./overlay";
import { matchesQuery, sortsBefore, sortValue, type ModelQuery, type SortKey } from "./query";
import { SAMPLE_LITE, SAMPLE_MODELS, sampleIndexOf } from "./sample";
import type { HubModel } from "./types";

/**
 * The catalog the Hub stand-in serves and its cursor pagination. A catalog is one or two ordered
 * streams merged by the sort key: the sample (with the control API's changes, when there are any) and,
 * in "large" mode, the generated models. A cursor holds a mark per stream, so a page costs O(limit)
 * model builds however deep it is:
 * - the sample stream's mark is the sort key and rank (tie-breaker) of the last model passed, so a cursor
 *   stays right when models are created, changed or deleted between page requests: the next page starts
 *   after that point of the order, like the Hub's own cursors (a model changed meanwhile may move, show up
 *   again or not at all; every untouched model is listed exactly once, and a walk always ends);
 * - a generated stream's mark is a position (the generated catalog never changes).
 */

/** Where a stream resumes: a position, or "after (key, rank)" (null: from the start). */
export type Mark = number | null | [number | string, number];

export interface Stream {
  readonly length: number;
  /** The id alone, cheaper than `lite` for generated models: search scans test it first. */
  id(pos: number): string;
  lite(pos: number): ModelLite;
  full(pos: number): HubModel;
  /** The mark of resuming at `pos` (0..length). */
  mark(pos: number): Mark;
  /** The position to resume at for a mark, undefined when the mark is not one of this stream's. */
  seek(mark: Mark): number | undefined;
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

/** A model of the (overlaid) sample with its rank, the tie-breaker of every order. */
export interface Ranked {
  lite: ModelLite;
  full: HubModel;
  rank: number;
}

/** Total order of (key, rank): the sort's direction first, then the lower rank. */
function compareKeyed(ka: number | string, ra: number, kb: number | string, rb: number): number {
  return sortsBefore(ka, kb) ? -1 : sortsBefore(kb, ka) ? 1 : ra - rb;
}

/** A stream over models held in memory, sorted by (key, rank), resuming by key. */
export function keyedStream(models: readonly Ranked[], sort: SortKey): Stream {
  const keyed = models.map((m) => ({ m, key: sortValue(m.lite, sort) }));
  keyed.sort((a, b) => compareKeyed(a.key, a.m.rank, b.key, b.m.rank));
  const keyType = sort === "id" ? "string" : "number";
  return {
    length: keyed.length,
    id: (pos) => keyed[pos]!.m.lite.id,
    lite: (pos) => keyed[pos]!.m.lite,
    full: (pos) => keyed[pos]!.m.full,
    mark: (pos) => (pos <= 0 ? null : [keyed[pos - 1]!.key, keyed[pos - 1]!.m.rank]),
    seek: (mark) => {
      if (mark === null) return 0;
      if (!Array.isArray(mark) || mark.length !== 2) return undefined;
      const [key, rank] = mark;
      if (typeof key !== keyType || !Number.isSafeInteger(rank)) return undefined;
      // first position strictly after the mark
      let lo = 0;
      let hi = keyed.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareKeyed(keyed[mid]!.key, keyed[mid]!.m.rank, key, rank) <= 0) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}

const SAMPLE_RANKED: readonly Ranked[] = SAMPLE_MODELS.map((full, rank) => ({ full, lite: SAMPLE_LITE[rank]!, rank }));

const sampleOrders = new Map<SortKey, Stream>();
function sampleStream(sort: SortKey): Stream {
  let stream = sampleOrders.get(sort);
  if (!stream) {
    stream = keyedStream(SAMPLE_RANKED, sort);
    sampleOrders.set(sort, stream);
  }
  return stream;
}

/** The sample with the overlay applied: deleted models gone, changed ones replaced, created ones added. */
export function overlaidModels(overlay: HubOverlay): Ranked[] {
  const out: Ranked[] = [];
  for (const r of SAMPLE_RANKED) if (!overlay.models.has(r.full.id.toLowerCase())) out.push(r);
  for (const e of overlay.models.values()) if (!e.deleted) out.push({ full: e.model, lite: liteOf(e.model), rank: e.rank });
  return out;
}

/** Per overlay object (callers keep one per overlay version): its models and sorted streams. */
const overlaid = new WeakMap<HubOverlay, { models: Ranked[]; streams: Map<SortKey, Stream> }>();
function overlayView(overlay: HubOverlay) {
  let view = overlaid.get(overlay);
  if (!view) {
    view = { models: overlaidModels(overlay), streams: new Map() };
    overlaid.set(overlay, view);
  }
  return view;
}

function overlayStream(overlay: HubOverlay, sort: SortKey): Stream {
  const view = overlayView(overlay);
  let stream = view.streams.get(sort);
  if (!stream) {
    stream = keyedStream(view.models, sort);
    view.streams.set(sort, stream);
  }
  return stream;
}

/** Marks of a generated stream: plain positions. */
const byPosition = { mark: (pos: number): Mark => pos, seek: (mark: Mark) => (typeof mark === "number" && Number.isSafeInteger(mark) && mark >= 0 ? mark : undefined) };

/** Orders without a built-in permutation (likes30d, num_parameters, mainSize, id) are sorted once per isolate. */
const generatedOrders = new Map<string, Uint32Array>();
function generatedStream(sort: SortKey, n: number): Stream {
  if (sort === "downloads" || sort === "likes" || sort === "trendingScore" || sort === "createdAt" || sort === "lastModified") {
    return {
      length: n,
      id: (pos) => generatedId(generatedIndexAt(sort, pos, n)),
      lite: (pos) => generatedLite(generatedIndexAt(sort, pos, n), n),
      full: (pos) => generatedModel(generatedIndexAt(sort, pos, n), n),
      ...byPosition,
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
  return { length: n, id: (pos) => generatedId(o[pos]!), lite: (pos) => generatedLite(o[pos]!, n), full: (pos) => generatedModel(o[pos]!, n), ...byPosition };
}

export function generatedCount(settings: CatalogSettings): number {
  return settings.hfCatalog === "large" ? Math.max(0, settings.hfLargeSize - SAMPLE_MODELS.length) : 0;
}

/**
 * The catalog for the settings. The overlay (the control API's changes) applies to the sample catalog only:
 * the large catalog ignores it (the control API refuses changes while it is selected).
 */
export function catalogFor(settings: CatalogSettings, overlay?: HubOverlay): Catalog {
  const n = generatedCount(settings);
  const ov = n === 0 && overlay && overlay.models.size > 0 ? overlay : undefined;
  if (ov) {
    return {
      get size() {
        return overlayView(ov).models.length;
      },
      streams: (sort) => [overlayStream(ov, sort)],
      lookup: (id) => {
        const e = ov.models.get(id.toLowerCase());
        if (e) return e.deleted ? undefined : e.model;
        const i = sampleIndexOf(id);
        return i === undefined ? undefined : SAMPLE_MODELS[i];
      },
    };
  }
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
  pos: Mark[];
}

export function encodeCursor(state: CursorState): string {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function isMark(m: unknown): m is Mark {
  if (m === null) return true;
  if (typeof m === "number") return Number.isSafeInteger(m) && m >= 0;
  return Array.isArray(m) && m.length === 2 && (typeof m[0] === "string" || (typeof m[0] === "number" && Number.isFinite(m[0]))) && Number.isSafeInteger(m[1]);
}

/** The marks of a cursor issued for `sort` over at most `streams` streams, or undefined when it is not one. */
export function decodeCursor(cursor: string, sort: SortKey, streams: number): Mark[] | undefined {
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const json = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
    const state = JSON.parse(json) as Partial<CursorState>;
    if (state.sort !== sort || !Array.isArray(state.pos) || state.pos.length > streams) return undefined;
    if (!state.pos.every(isMark)) return undefined;
    return state.pos;
  } catch {
    return undefined;
  }
}

/** Each stream's position for a cursor's marks (missing marks start at the beginning), or undefined when one does not fit its stream. */
export function seekAll(streams: Stream[], marks: Mark[]): number[] | undefined {
  const positions: number[] = [];
  for (const [k, stream] of streams.entries()) {
    const pos = k < marks.length ? stream.seek(marks[k]!) : 0;
    if (pos === undefined) return undefined;
    positions.push(pos);
  }
  return positions;
}

/** The marks to put in the cursor of a page that ended at `positions`. */
export function marksAt(streams: Stream[], positions: number[]): Mark[] {
  return streams.map((s, k) => s.mark(Math.min(positions[k] ?? 0, s.length)));
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
