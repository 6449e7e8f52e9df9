/**
 * The report's date window, `?from=YYYY-MM-DD&to=YYYY-MM-DD`: whole UTC days, both inclusive. Default: the
 * last 30 days ending today; with only one end given, the other is 30 days from it. The cohort is everyone
 * who first arrived in the window (visitors by first visit, visit-less sign-ups by sign-up); the steps they
 * reached are counted up to now. Pure.
 */
export interface FunnelWindow {
  from: string;
  to: string;
  /** [fromMs, toMs): start of `from` to the end of `to`. */
  fromMs: number;
  toMs: number;
}

export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 366;
const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Epoch ms of a YYYY-MM-DD day's start (UTC), or null when it is not a real calendar day. */
function parseDay(value: string): number | null {
  if (!DAY.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) || dayOf(ms) !== value ? null : ms;
}

export function parseWindow(query: { from?: string | undefined; to?: string | undefined }, now: number): { ok: true; window: FunnelWindow } | { ok: false; message: string } {
  const today = parseDay(dayOf(now))!;
  let from: number | null = null;
  let to: number | null = null;
  if (query.from !== undefined) {
    from = parseDay(query.from);
    if (from === null) return { ok: false, message: `from must be a date as YYYY-MM-DD, got ${JSON.stringify(query.from)}` };
  }
  if (query.to !== undefined) {
    to = parseDay(query.to);
    if (to === null) return { ok: false, message: `to must be a date as YYYY-MM-DD, got ${JSON.stringify(query.to)}` };
  }
  if (from === null && to === null) to = today;
  if (to === null) to = Math.min(today, from! + (DEFAULT_DAYS - 1) * DAY_MS);
  if (from === null) from = to - (DEFAULT_DAYS - 1) * DAY_MS;
  if (from > to) return { ok: false, message: `from (${dayOf(from)}) is after to (${dayOf(to)})` };
  const days = (to - from) / DAY_MS + 1;
  if (days > MAX_DAYS) return { ok: false, message: `The window spans ${days} days; at most ${MAX_DAYS}` };
  return { ok: true, window: { from: dayOf(from), to: dayOf(to), fromMs: from, toMs: to + DAY_MS } };
}
