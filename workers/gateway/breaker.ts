/**
 * Circuit breaker per upstream target (pure state machine; the pipeline keeps one map per isolate).
 * A target that keeps failing is skipped for a cool-down instead of costing every caller a timeout;
 * a 429 with Retry-After closes it for exactly that long. After the cool-down one request probes it.
 */
export interface BreakerState {
  failures: number;
  openUntil: number;
}

export const BREAKER = { threshold: 3, coolDownMs: 30_000, maxRetryAfterMs: 300_000 } as const;

export function isOpen(state: BreakerState | undefined, now: number): boolean {
  return state !== undefined && state.openUntil > now;
}

export function recordFailure(state: BreakerState | undefined, now: number, retryAfterSeconds?: number): BreakerState {
  const failures = (state?.failures ?? 0) + 1;
  if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
    return { failures, openUntil: now + Math.min(retryAfterSeconds * 1000, BREAKER.maxRetryAfterMs) };
  }
  return { failures, openUntil: failures >= BREAKER.threshold ? now + BREAKER.coolDownMs : (state?.openUntil ?? 0) };
}

export function recordSuccess(): BreakerState {
  return { failures: 0, openUntil: 0 };
}

/** The order to try targets in: closed circuits first (in route order), then open ones as a last resort. */
export function orderTargets<T>(targets: T[], key: (t: T) => string, states: Map<string, BreakerState>, now: number): T[] {
  const closed = targets.filter((t) => !isOpen(states.get(key(t)), now));
  const open = targets.filter((t) => isOpen(states.get(key(t)), now));
  return [...closed, ...open];
}
