import { describe, expect, it } from "vitest";
import { takeFromWindow, type WindowState } from "../../../workers/platform/rate-window";

const MIN = 60_000;

function run(times: number, at: number, state?: WindowState, limit = 5) {
  let s = state;
  const out: boolean[] = [];
  for (let i = 0; i < times; i++) {
    const d = takeFromWindow(s, at, limit, MIN);
    s = d.state;
    out.push(d.allowed);
  }
  return { allowed: out, state: s! };
}

describe("takeFromWindow", () => {
  it("allows exactly the limit inside one window, then refuses with a Retry-After", () => {
    const { allowed, state } = run(6, 10 * MIN + 1000);
    expect(allowed).toEqual([true, true, true, true, true, false]);
    const d = takeFromWindow(state, 10 * MIN + 1000, 5, MIN);
    expect(d.allowed).toBe(false);
    expect(d.retryAfter).toBeGreaterThanOrEqual(1);
    expect(d.retryAfter).toBeLessThanOrEqual(60);
  });

  it("does not let a burst at a bucket edge double the rate", () => {
    const late = run(5, 10 * MIN + MIN - 10).state; // 5 at the very end of a bucket
    // 20 ms later the new bucket has begun, but the previous one still weighs almost fully.
    expect(takeFromWindow(late, 11 * MIN + 10, 5, MIN).allowed).toBe(false);
  });

  it("forgives the previous bucket as it slides out", () => {
    const early = run(5, 10 * MIN).state;
    expect(takeFromWindow(early, 11 * MIN + MIN / 2, 5, MIN).allowed).toBe(true); // half decayed: 2.5 + 1 <= 5
    expect(takeFromWindow(early, 13 * MIN, 5, MIN).allowed).toBe(true); // far later: fresh
  });

  it("reports remaining capacity", () => {
    expect(takeFromWindow(undefined, 0, 5, MIN).remaining).toBe(4);
  });
});
