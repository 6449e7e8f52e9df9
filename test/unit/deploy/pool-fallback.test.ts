import { describe, expect, it } from "vitest";
import { DEFAULT_POOL_POLICY, newPoolWatch, observePools, starved, type PoolObservation, type PoolOption, type PoolWatch } from "../../../workers/deploy/pool-fallback";

const POOLS: PoolOption[] = [
  { id: "AMPERE_16", workerUsdPerHour: 0.58 },
  { id: "AMPERE_24", workerUsdPerHour: 0.68 },
  { id: "ADA_24", workerUsdPerHour: 1.12 },
];
const T0 = 1_700_000_000_000;
const MIN = 60_000;

const throttled = { idle: 0, initializing: 0, ready: 0, running: 0, throttled: 2, unhealthy: 0, inQueue: 3 };
const healthy = { idle: 1, initializing: 0, ready: 1, running: 0, throttled: 0, unhealthy: 0, inQueue: 0 };
const quietThrottled = { ...throttled, inQueue: 0 };

function obs(minute: number, health: PoolObservation["health"], available: Record<string, boolean> = {}): PoolObservation {
  return { now: T0 + minute * MIN, health, available };
}

/** Feeds observations once a minute; returns every move made and the final watch. */
function run(watch: PoolWatch, steps: PoolObservation[], ceiling: number | null = null) {
  const moves = [];
  for (const o of steps) {
    const d = observePools(watch, POOLS, ceiling, o);
    watch = d.watch;
    if (d.move) moves.push({ at: (o.now - T0) / MIN, ...d.move });
  }
  return { watch, moves };
}

const minutes = (from: number, to: number, f: (m: number) => PoolObservation) => Array.from({ length: to - from + 1 }, (_, i) => f(from + i));

describe("starved", () => {
  it("needs throttled workers, none up, and requests waiting", () => {
    expect(starved(throttled)).toBe(true);
    expect(starved(quietThrottled)).toBe(false);
    expect(starved({ ...throttled, running: 1 })).toBe(false);
    expect(starved({ ...throttled, initializing: 1 })).toBe(false);
    expect(starved(healthy)).toBe(false);
    expect(starved(null)).toBe(false);
  });
});

describe("observePools", () => {
  it("moves to the next pool only after the whole threshold of throttling with requests waiting", () => {
    const { moves, watch } = run(newPoolWatch("AMPERE_16"), minutes(0, 10, (m) => obs(m, throttled)));
    expect(moves).toEqual([{ at: 10, from: "AMPERE_16", to: "AMPERE_24", kind: "fallback", reason: expect.stringContaining("throttled on AMPERE_16 with requests waiting for 10 min") }]);
    expect(watch).toMatchObject({ current: "AMPERE_24", throttledSince: null, lastMoveAt: T0 + 10 * MIN });
  });

  it("restarts the clock when capacity shows up or the queue empties in between", () => {
    const steps = [...minutes(0, 6, (m) => obs(m, throttled)), obs(7, healthy), ...minutes(8, 12, (m) => obs(m, throttled)), obs(13, quietThrottled), ...minutes(14, 20, (m) => obs(m, throttled))];
    expect(run(newPoolWatch("AMPERE_16"), steps).moves).toEqual([]);
  });

  it("keeps the clock through a failed health read", () => {
    const steps = [...minutes(0, 5, (m) => obs(m, throttled)), obs(6, null), ...minutes(7, 10, (m) => obs(m, throttled))];
    expect(run(newPoolWatch("AMPERE_16"), steps).moves.map((m) => m.at)).toEqual([10]);
  });

  it("skips pools the catalog shows without capacity", () => {
    const { moves } = run(newPoolWatch("AMPERE_16"), minutes(0, 10, (m) => obs(m, throttled, { AMPERE_24: false })));
    expect(moves.map((m) => m.to)).toEqual(["ADA_24"]);
  });

  it("does not move above the price ceiling, and says why", () => {
    const { moves, watch } = run(newPoolWatch("AMPERE_16"), minutes(0, 12, (m) => obs(m, throttled, { AMPERE_24: false })), 1.0);
    expect(moves).toEqual([]);
    expect(watch.current).toBe("AMPERE_16");
    expect(watch.blocked).toBe("all workers throttled on AMPERE_16 for 12 min, but the next pool ADA_24 costs $1.12/h per worker, above the ceiling of $1.00/h: staying");
    // Once the pressure is off, the reason goes too.
    expect(observePools(watch, POOLS, 1.0, obs(13, healthy)).watch.blocked).toBeNull();
  });

  it("stays put with the reason when no acceptable pool has capacity", () => {
    const { moves, watch } = run(newPoolWatch("AMPERE_16"), minutes(0, 10, (m) => obs(m, throttled, { AMPERE_24: false, ADA_24: false })));
    expect(moves).toEqual([]);
    expect(watch.blocked).toContain("no other acceptable pool has capacity");
  });

  it("returns to the preferred pool once its capacity has held for the return period, and not before", () => {
    let { watch } = run(newPoolWatch("AMPERE_16"), minutes(0, 10, (m) => obs(m, throttled, { AMPERE_16: false })));
    expect(watch.current).toBe("AMPERE_24");
    // Capacity flickers back on AMPERE_16 at minute 12, goes at 20, comes back at 21 for good.
    const flicker = minutes(11, 40, (m) => obs(m, healthy, { AMPERE_16: m >= 12 && m !== 20 }));
    const r = run(watch, flicker);
    expect(r.moves).toEqual([{ at: 36, from: "AMPERE_24", to: "AMPERE_16", kind: "return", reason: expect.stringContaining("capacity back on AMPERE_16 for 15 min") }]);
    watch = r.watch;
    expect(watch.current).toBe("AMPERE_16");
  });

  it("waits out the minimum dwell between moves (no flapping)", () => {
    // Fallback at minute 10; the new pool starves at once; the next move must wait until minute 25.
    const { moves } = run(newPoolWatch("AMPERE_16"), minutes(0, 30, (m) => obs(m, throttled, { AMPERE_16: false })));
    expect(moves.map((m) => [m.at, m.to])).toEqual([
      [10, "AMPERE_24"],
      [25, "ADA_24"],
    ]);
    expect(DEFAULT_POOL_POLICY.minDwellMs).toBe(15 * MIN);
  });

  it("never returns while the preferred pool's capacity is not seen at all", () => {
    const { watch } = run(newPoolWatch("AMPERE_16"), minutes(0, 10, (m) => obs(m, throttled)));
    const r = run(watch, minutes(11, 120, (m) => obs(m, healthy, {})));
    expect(r.moves).toEqual([]);
  });

  it("treats a current pool no longer in the list as least preferred", () => {
    const { moves } = run(newPoolWatch("AMPERE_80"), minutes(0, 15, (m) => obs(m, healthy, { AMPERE_16: true })));
    expect(moves.map((m) => [m.at, m.kind, m.to])).toEqual([[15, "return", "AMPERE_16"]]);
  });
});
