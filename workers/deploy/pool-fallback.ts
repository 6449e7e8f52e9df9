import type { WorkerHealth } from "./runpod-client";

/**
 * GPU pool fallback ("spot" management), pure: a deployment lists the GPU pools it accepts in price order
 * (the first is the preferred one). When RunPod keeps every worker of the endpoint `throttled` (waiting on
 * capacity) while requests wait for `throttledForMs`, the endpoint moves to the next pool that has capacity
 * and whose price fits the ceiling; once the catalog shows capacity again on a more preferred pool for
 * `returnAfterMs`, it moves back. Hysteresis keeps it from flapping: both conditions must hold without a
 * break for their whole period, and no move follows another within `minDwellMs`.
 *
 * The watcher is fed one observation at a time (the endpoint's `/health` and the catalog's serverless
 * availability per pool) and returns the new watch state plus, at most, one move to make. The DeployObject
 * makes the move through its own step path (a RunPod PATCH of `gpu.pools`), so this module does no I/O.
 */
export interface PoolOption {
  id: string;
  /** One worker's price on this pool (the pool's GPU price × the plan's GPU count), USD per hour. */
  workerUsdPerHour: number;
}

export interface PoolWatch {
  /** The pool the endpoint runs on now. */
  current: string;
  /** Since when every worker has been throttled with requests waiting (null: not now). */
  throttledSince: number | null;
  /** Since when a more preferred pool has shown capacity, by pool id (cleared by any observation without). */
  capacitySince: Record<string, number>;
  lastMoveAt: number | null;
  lastCheckAt: number | null;
  /** Why the watcher did not move when it wanted to (price ceiling, no pool with capacity), null otherwise. */
  blocked: string | null;
}

export interface PoolPolicy {
  throttledForMs: number;
  returnAfterMs: number;
  minDwellMs: number;
}

export const DEFAULT_POOL_POLICY: PoolPolicy = { throttledForMs: 10 * 60_000, returnAfterMs: 15 * 60_000, minDwellMs: 15 * 60_000 };

export interface PoolObservation {
  now: number;
  /** The endpoint's worker counts and queued requests; null when `/health` could not be read. */
  health: (WorkerHealth & { inQueue: number }) | null;
  /** Whether RunPod's catalog shows serverless capacity on a pool; a pool absent from the map is unknown. */
  available: Record<string, boolean>;
}

export interface PoolMove {
  from: string;
  to: string;
  kind: "fallback" | "return";
  reason: string;
}

export interface PoolDecision {
  watch: PoolWatch;
  move: PoolMove | null;
}

export function newPoolWatch(current: string): PoolWatch {
  return { current, throttledSince: null, capacitySince: {}, lastMoveAt: null, lastCheckAt: null, blocked: null };
}

/** No capacity: workers exist only as throttled ones, none can take a request, and requests are waiting. */
export function starved(h: PoolObservation["health"]): boolean {
  if (!h) return false;
  const up = Math.max(h.idle, h.ready) + h.running + h.initializing;
  return h.throttled > 0 && up === 0 && h.inQueue > 0;
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const usd = (n: number) => `$${n.toFixed(2)}/h`;

/** The pools a move may go to: within the price ceiling (per worker-hour; null = no ceiling). */
function withinCeiling(p: PoolOption, ceilingUsdPerHour: number | null): boolean {
  return ceilingUsdPerHour === null || p.workerUsdPerHour <= ceilingUsdPerHour + 1e-9;
}

/**
 * One observation: updates the watch and decides at most one move. `pools` is the deployment's ordered
 * list; a current pool not in it (the list changed) counts as the least preferred.
 */
export function observePools(watch: PoolWatch, pools: readonly PoolOption[], ceilingUsdPerHour: number | null, obs: PoolObservation, policy: PoolPolicy = DEFAULT_POOL_POLICY): PoolDecision {
  const { now } = obs;
  const idx = pools.findIndex((p) => p.id === watch.current);
  const rank = idx === -1 ? pools.length : idx;
  const dwellOk = watch.lastMoveAt === null || now - watch.lastMoveAt >= policy.minDwellMs;
  const next: PoolWatch = { ...watch, lastCheckAt: now, capacitySince: {} };

  // Capacity seen on more preferred pools (within the ceiling): each needs an unbroken run of sightings.
  for (const p of pools.slice(0, rank)) {
    if (obs.available[p.id] === true && withinCeiling(p, ceilingUsdPerHour)) next.capacitySince[p.id] = watch.capacitySince[p.id] ?? now;
  }

  const isStarved = starved(obs.health);
  // A failed health read keeps the clock running as it was: it is neither proof of capacity nor of its lack.
  next.throttledSince = obs.health === null ? watch.throttledSince : isStarved ? (watch.throttledSince ?? now) : null;

  // Back to a more preferred pool (the most preferred one that qualifies), once its capacity has held.
  if (rank > 0 && dwellOk) {
    const back = pools.slice(0, rank).find((p) => next.capacitySince[p.id] !== undefined && now - next.capacitySince[p.id]! >= policy.returnAfterMs);
    if (back && !isStarved) {
      return moved(next, now, { from: watch.current, to: back.id, kind: "return", reason: `capacity back on ${back.id} for ${minutes(now - next.capacitySince[back.id]!)}: returning from ${watch.current} (${usd(back.workerUsdPerHour)} per worker)` });
    }
  }

  if (next.throttledSince === null || now - next.throttledSince < policy.throttledForMs) return { watch: { ...next, blocked: next.throttledSince === null ? null : watch.blocked }, move: null };
  if (!dwellOk) return { watch: { ...next, blocked: `throttled, but the last pool move was ${minutes(now - watch.lastMoveAt!)} ago (minimum ${minutes(policy.minDwellMs)})` }, move: null };

  // Fallback: the next pools in order, skipping those the catalog shows without capacity; first within the ceiling.
  const throttledFor = minutes(now - next.throttledSince);
  const ahead = pools.filter((p, i) => i !== idx && (i > rank || (i < rank && next.capacitySince[p.id] !== undefined)) && obs.available[p.id] !== false);
  // Preferred pools with capacity first (cheapest), then the later ones in order.
  const candidates = [...ahead.filter((p) => pools.indexOf(p) < rank), ...ahead.filter((p) => pools.indexOf(p) > rank)];
  const target = candidates.find((p) => withinCeiling(p, ceilingUsdPerHour));
  if (target) {
    return moved(next, now, { from: watch.current, to: target.id, kind: "fallback", reason: `all workers throttled on ${watch.current} with requests waiting for ${throttledFor}: moving to ${target.id} (${usd(target.workerUsdPerHour)} per worker)` });
  }
  const above = candidates.find((p) => !withinCeiling(p, ceilingUsdPerHour));
  const blocked = above
    ? `all workers throttled on ${watch.current} for ${throttledFor}, but the next pool ${above.id} costs ${usd(above.workerUsdPerHour)} per worker, above the ceiling of ${usd(ceilingUsdPerHour!)}: staying`
    : `all workers throttled on ${watch.current} for ${throttledFor}, and no other acceptable pool has capacity: staying`;
  return { watch: { ...next, blocked }, move: null };
}

function moved(watch: PoolWatch, now: number, move: PoolMove): PoolDecision {
  return { watch: { ...watch, current: move.to, throttledSince: null, capacitySince: {}, lastMoveAt: now, blocked: null }, move };
}
