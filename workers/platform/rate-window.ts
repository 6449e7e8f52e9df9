/**
 * Sliding-window rate limit arithmetic (pure). The window is approximated from two fixed buckets,
 * weighting the previous bucket by how much of it still overlaps the sliding window; this is the
 * classic approach that needs O(1) state per key and never lets a burst at a bucket edge double the rate.
 */
export interface WindowState {
  bucketStart: number;
  current: number;
  previous: number;
}

export interface WindowDecision {
  allowed: boolean;
  remaining: number;
  /** Seconds until one more request would be allowed (0 when allowed). */
  retryAfter: number;
  state: WindowState;
}

export function rollWindow(state: WindowState | undefined, now: number, windowMs: number): WindowState {
  const bucketStart = Math.floor(now / windowMs) * windowMs;
  if (!state) return { bucketStart, current: 0, previous: 0 };
  if (bucketStart === state.bucketStart) return state;
  if (bucketStart - state.bucketStart === windowMs) return { bucketStart, current: 0, previous: state.current };
  return { bucketStart, current: 0, previous: 0 };
}

export function takeFromWindow(
  prior: WindowState | undefined,
  now: number,
  limit: number,
  windowMs: number,
  cost = 1,
): WindowDecision {
  const state = rollWindow(prior, now, windowMs);
  const overlap = 1 - (now - state.bucketStart) / windowMs;
  const used = state.previous * overlap + state.current;
  if (used + cost > limit) {
    // Time until the weighted previous bucket decays enough for `cost` more, bounded by the bucket end.
    const excess = used + cost - limit;
    const decayMs = state.previous > 0 ? (excess / state.previous) * windowMs : windowMs - (now - state.bucketStart);
    const retryAfter = Math.max(1, Math.ceil(Math.min(decayMs, windowMs - (now - state.bucketStart) + windowMs) / 1000));
    return { allowed: false, remaining: 0, retryAfter, state };
  }
  const next = { ...state, current: state.current + cost };
  return { allowed: true, remaining: Math.max(0, Math.floor(limit - used - cost)), retryAfter: 0, state: next };
}
