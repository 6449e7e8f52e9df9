import type { GpuPool } from "./gpu-pools";
import type { ModelFacts } from "./model-facts";
import { TP_SIZES } from "./plan-options";
import type { PlanRefusal } from "./planner";
import { fitOnPool, GIB, requirement, type Fit, type MemoryModel } from "./sizing";

/**
 * The search behind a plan: which pool × GPU count holds the model at which context length, the
 * cheapest of them, and the refusal that explains what would fit when nothing the user allowed does.
 */

/** Context is lowered in halving steps to fit, never below this (or the model's own window if smaller). */
export const MIN_CONTEXT = 4096;

export const refuse = (code: PlanRefusal["code"], reason: string): PlanRefusal => ({ ok: false, code, reason });
export const fmt = (n: number) => n.toLocaleString("en-US");
/** GiB with one decimal. */
export const gib = (n: number) => `${n.toFixed(1)} GiB`;
/** A worker's price per second, as the reasons print it. */
export const perSecond = (pool: GpuPool, count: number) => `$${(pool.usdPerSecond * count).toFixed(5)}/s`;

/** The target, then halvings (as powers of two) down to MIN_CONTEXT or the target if smaller. */
export function contextLadder(target: number): number[] {
  const floor = Math.min(MIN_CONTEXT, target);
  const steps = [target];
  let next = 2 ** Math.floor(Math.log2(target));
  if (next === target) next /= 2;
  for (; next >= floor; next /= 2) steps.push(next);
  if (steps[steps.length - 1] !== floor) steps.push(floor);
  return steps;
}

export interface Candidate {
  pool: GpuPool;
  count: number;
  maxModelLen: number;
  fit: Fit;
}

/**
 * Every pool × GPU count that fits, each at the longest context of the ladder that fits. Counts are
 * tensor-parallel sizes, so they must divide the attention heads when the config states them.
 */
export function enumerate(
  mem: MemoryModel,
  facts: ModelFacts,
  pools: readonly GpuPool[],
  askedCount: number | undefined,
  ladder: number[],
  fraction: number,
): Candidate[] {
  const heads = facts.attentionHeads;
  const list: Candidate[] = [];
  for (const pool of pools) {
    const counts = askedCount !== undefined ? [askedCount] : TP_SIZES.filter((n) => n <= pool.maxGpusPerWorker);
    for (const count of counts) {
      if (count > pool.maxGpusPerWorker || (heads && heads % count !== 0)) continue;
      const maxModelLen = ladder.find((len) => fitOnPool(mem, pool, count, len, fraction).fits);
      if (maxModelLen !== undefined) list.push({ pool, count, maxModelLen, fit: fitOnPool(mem, pool, count, maxModelLen, fraction) });
    }
  }
  return list;
}

/** Lowest $/s per worker; ties go to fewer GPUs (no all-reduce), then longer context, then faster memory. */
export function cheapest(list: Candidate[]): Candidate | undefined {
  const cost = (c: Candidate) => c.pool.usdPerSecond * c.count;
  return [...list].sort(
    (a, b) => cost(a) - cost(b) || a.count - b.count || b.maxModelLen - a.maxModelLen || b.pool.bandwidthGBs - a.pool.bandwidthGBs,
  )[0];
}

export interface TooLargeInput {
  facts: ModelFacts;
  mem: MemoryModel;
  pools: readonly GpuPool[];
  userPool: GpuPool | undefined;
  askedCount: number | undefined;
  ladder: number[];
  fraction: number;
}

/** The refusal when nothing fits: what the model needs, what was tried, and what would fit instead. */
export function tooLarge({ facts, mem, pools, userPool, askedCount, ladder, fraction }: TooLargeInput): PlanRefusal {
  const shortest = ladder[ladder.length - 1] ?? MIN_CONTEXT;
  const need = requirement(mem, askedCount ?? 1, shortest).total;
  const needs = `${facts.id} needs about ${gib(need / GIB)} (${gib(mem.weightBytes / GIB)} of weights, plus runtime and KV cache) even at ${fmt(shortest)} tokens of context`;
  if (userPool || askedCount !== undefined) {
    const tried = userPool
      ? askedCount !== undefined
        ? `${askedCount} × ${userPool.label}`
        : `${userPool.maxGpusPerWorker} × ${userPool.label} (the most a worker on ${userPool.id} takes)`
      : `${askedCount} GPUs of any pool`;
    const alt = cheapest(enumerate(mem, facts, pools, undefined, ladder, fraction));
    const suggestion = alt ? ` It fits on ${alt.count} × ${alt.pool.label} (${alt.pool.id}) at ${perSecond(alt.pool, alt.count)}.` : "";
    return refuse("too_large", `${needs}: more than ${tried} provides.${suggestion}`);
  }
  const biggest = [...pools].sort((a, b) => b.memoryGb * b.maxGpusPerWorker - a.memoryGb * a.maxGpusPerWorker)[0];
  const largest = biggest ? `the largest worker, ${biggest.maxGpusPerWorker} × ${biggest.label} (${gib(biggest.memoryGb * biggest.maxGpusPerWorker * fraction)} usable)` : "any GPU pool";
  return refuse("too_large", `${needs}: more than ${largest} holds.`);
}
