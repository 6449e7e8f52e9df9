/**
 * Token budget arithmetic for one billing principal (pure; the BudgetObject Durable Object owns the state
 * and calls these). The invariant: used + reserved never exceeds the monthly budget, so a burst of parallel
 * requests cannot spend past it. A request reserves its worst case (prompt estimate + output cap) before
 * the upstream call, its output cap is lowered to what the budget can still pay for, and the reservation
 * settles to the real usage afterwards (or is released when the call fails before any output).
 */
export interface Reservation {
  id: string;
  tokens: number;
  createdAt: number;
}

export interface BudgetState {
  /** Calendar month the counters belong to, "YYYY-MM" in UTC: budgets reset on the calendar month. */
  period: string;
  /** Monthly budget in tokens; null means unlimited (Enterprise without a cap). */
  budget: number | null;
  used: number;
  reservations: Record<string, Reservation>;
}

/** Reservations older than this are forgotten (a worker died mid-call); their tokens return to the pool. */
export const RESERVATION_TTL_MS = 15 * 60_000;

export function periodOf(now: number): string {
  const d = new Date(now);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

export function periodBounds(period: string): { start: string; end: string } {
  const [y, m] = period.split("-").map(Number) as [number, number];
  return { start: new Date(Date.UTC(y, m - 1, 1)).toISOString(), end: new Date(Date.UTC(y, m, 1)).toISOString() };
}

export function freshState(now: number, budget: number | null): BudgetState {
  return { period: periodOf(now), budget, used: 0, reservations: {} };
}

/** Rolls the state into the current month (usage resets; in-flight reservations carry over). */
export function roll(state: BudgetState, now: number): BudgetState {
  const period = periodOf(now);
  if (state.period === period) return state;
  return { ...state, period, used: 0 };
}

export function reservedTotal(state: BudgetState): number {
  let n = 0;
  for (const r of Object.values(state.reservations)) n += r.tokens;
  return n;
}

export function remaining(state: BudgetState): number {
  if (state.budget === null) return Number.POSITIVE_INFINITY;
  return Math.max(0, state.budget - state.used - reservedTotal(state));
}

export type ReserveDecision =
  | { ok: true; state: BudgetState; reservation: Reservation; maxOutputTokens: number }
  | { ok: false; state: BudgetState; remaining: number; reason: "budget_exhausted" | "prompt_exceeds_budget" };

/**
 * Reserve for a call whose prompt is about `inputTokens` and whose output may be up to `requestedOutput`
 * tokens. At least `minOutput` output tokens must be affordable, else the call is refused before it costs
 * anything; otherwise the output cap is whatever the budget still covers.
 */
export function reserve(
  prior: BudgetState,
  now: number,
  id: string,
  inputTokens: number,
  requestedOutput: number,
  minOutput = 1,
): ReserveDecision {
  const state = roll(expire(prior, now), now);
  const left = remaining(state);
  if (left <= 0) return { ok: false, state, remaining: 0, reason: "budget_exhausted" };
  if (inputTokens + minOutput > left) return { ok: false, state, remaining: left, reason: "prompt_exceeds_budget" };
  const maxOutputTokens = Math.max(minOutput, Math.min(requestedOutput, left - inputTokens));
  const reservation: Reservation = { id, tokens: inputTokens + maxOutputTokens, createdAt: now };
  return { ok: true, state: { ...state, reservations: { ...state.reservations, [id]: reservation } }, reservation, maxOutputTokens };
}

/**
 * The call finished: replace the reservation by what was really used. Usage is always recorded, even if it
 * exceeds the reservation (an upstream that ignored the cap): the ledger must equal what the upstream billed.
 */
export function settle(prior: BudgetState, now: number, id: string, usedTokens: number): BudgetState {
  const state = roll(prior, now);
  const { [id]: _gone, ...rest } = state.reservations;
  return { ...state, used: state.used + Math.max(0, usedTokens), reservations: rest };
}

export function release(prior: BudgetState, id: string): BudgetState {
  const { [id]: _gone, ...rest } = prior.reservations;
  return { ...prior, reservations: rest };
}

export function expire(prior: BudgetState, now: number): BudgetState {
  const live = Object.entries(prior.reservations).filter(([, r]) => now - r.createdAt < RESERVATION_TTL_MS);
  if (live.length === Object.keys(prior.reservations).length) return prior;
  return { ...prior, reservations: Object.fromEntries(live) };
}

/** When the DO should wake to expire reservations: the oldest one's deadline, or never. */
export function nextAlarm(state: BudgetState): number | undefined {
  const times = Object.values(state.reservations).map((r) => r.createdAt + RESERVATION_TTL_MS);
  return times.length ? Math.min(...times) : undefined;
}
