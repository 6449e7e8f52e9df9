/**
 * Observed speed per upstream target (pure update; one map per isolate, like the circuit breakers): an
 * exponentially weighted average of time to first byte, so `auto:fast` follows what targets do now and
 * one slow call moves it only part of the way.
 */
export interface TargetStats {
  latencyMs: number;
  samples: number;
}

/** Weight of the newest sample. */
export const EWMA_ALPHA = 0.3;

export function observeLatency(prev: TargetStats | undefined, ms: number): TargetStats {
  if (!prev) return { latencyMs: ms, samples: 1 };
  return { latencyMs: prev.latencyMs + EWMA_ALPHA * (ms - prev.latencyMs), samples: prev.samples + 1 };
}

export const isolateTargetStats = new Map<string, TargetStats>();
