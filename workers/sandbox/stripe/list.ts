import { noSuch } from "./errors";
import type { Params } from "./params";

export interface StripeList<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

/** A stored object with its insertion order: Stripe lists newest first, and ties in `created` are common. */
export interface Rec<T> {
  seq: number;
  obj: T;
}

export const listOf = <T>(data: T[], url: string, hasMore = false): StripeList<T> => ({ object: "list", data, has_more: hasMore, url });

/**
 * One page of `recs` (already filtered, any order) with Stripe's cursor semantics: newest first,
 * `limit` 1..100 (default 10), `starting_after` / `ending_before` naming an object of this list's kind.
 * `seqOf` finds a cursor's position even when the cursor object itself is filtered out of this list.
 */
export function paginate<T extends { id: string }>(
  recs: Rec<T>[],
  params: Params,
  url: string,
  kind: string,
  seqOf: (id: string) => number | undefined,
): StripeList<T> {
  const limit = params.int("limit", { min: 1, max: 100 }) ?? 10;
  const after = params.str("starting_after");
  const before = params.str("ending_before");
  const sorted = [...recs].sort((a, b) => b.seq - a.seq);
  if (after !== undefined) {
    const seq = seqOf(after);
    if (seq === undefined) throw noSuch(kind, after, "starting_after");
    const rest = sorted.filter((r) => r.seq < seq);
    return listOf(rest.slice(0, limit).map((r) => r.obj), url, rest.length > limit);
  }
  if (before !== undefined) {
    const seq = seqOf(before);
    if (seq === undefined) throw noSuch(kind, before, "ending_before");
    const newer = sorted.filter((r) => r.seq > seq);
    const page = newer.slice(Math.max(0, newer.length - limit));
    return listOf(page.map((r) => r.obj), url, newer.length > limit);
  }
  return listOf(sorted.slice(0, limit).map((r) => r.obj), url, sorted.length > limit);
}

/** `created=123` or `created[gt|gte|lt|lte]=123`, as a predicate. */
export function rangeFilter(params: Params, key = "created"): (value: number) => boolean {
  if (!params.has(key)) return () => true;
  const range = params.raw[key];
  if (typeof range === "string") {
    const exact = params.int(key);
    return (v) => exact === undefined || v === exact;
  }
  const p = params.obj(key)!.only(["gt", "gte", "lt", "lte"]);
  const gt = p.int("gt");
  const gte = p.int("gte");
  const lt = p.int("lt");
  const lte = p.int("lte");
  return (v) => (gt === undefined || v > gt) && (gte === undefined || v >= gte) && (lt === undefined || v < lt) && (lte === undefined || v <= lte);
}
