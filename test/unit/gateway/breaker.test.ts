import { describe, expect, it } from "vitest";
import { BREAKER, isOpen, orderTargets, recordFailure, recordSuccess, type BreakerState } from "../../../workers/gateway/breaker";

describe("circuit breaker", () => {
  it("opens after the threshold of consecutive failures and closes after the cool-down", () => {
    let s: BreakerState | undefined;
    for (let i = 0; i < BREAKER.threshold - 1; i++) s = recordFailure(s, 1000);
    expect(isOpen(s, 1000)).toBe(false);
    s = recordFailure(s, 1000);
    expect(isOpen(s, 1000)).toBe(true);
    expect(isOpen(s, 1000 + BREAKER.coolDownMs)).toBe(false);
    expect(isOpen(recordSuccess(), 1000)).toBe(false);
  });

  it("honours Retry-After on the first 429, capped", () => {
    expect(recordFailure(undefined, 0, 7).openUntil).toBe(7000);
    expect(recordFailure(undefined, 0, 86_400).openUntil).toBe(BREAKER.maxRetryAfterMs);
  });

  it("tries closed targets first, keeping open ones as a last resort", () => {
    const states = new Map<string, BreakerState>([["a", { failures: 3, openUntil: 10_000 }]]);
    expect(orderTargets(["a", "b", "c"], (t) => t, states, 5000)).toEqual(["b", "c", "a"]);
    expect(orderTargets(["a", "b"], (t) => t, states, 20_000)).toEqual(["a", "b"]);
  });
});
