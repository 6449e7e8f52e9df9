import { propose, type Proposal, type SlotDemand } from "./forecast";
import { GPU_POOLS, type GpuPool } from "./gpu-pools";
import type { DeploymentRecord, ScalingSettings } from "./machine";
import { MEMORY_FRACTION, type DeploymentPlan } from "./planner";
import type { PoolOption } from "./pool-fallback";

/**
 * A deployment's autoscale and pool settings (issue 10), pure: defaults, the pools a plan fits, and the
 * ordered pool list the watcher works from. Settings live on the DeployObject's record.
 */
export const DEFAULT_SCALING_SETTINGS: ScalingSettings = { autoscale: "off", costCeilingUsdPerMonth: null, pools: [], maxWorkerUsdPerHour: null };

/** How many pools the default list holds: the planner's pick and the next ones that fit, by price. */
export const DEFAULT_POOL_COUNT = 3;

export function settingsOf(rec: Pick<DeploymentRecord, "scalingSettings">): ScalingSettings {
  return { ...DEFAULT_SCALING_SETTINGS, ...(rec.scalingSettings ?? {}) };
}

/** Whether a worker of `plan.gpu.count` GPUs of `pool` holds what the plan needs (weights, KV cache, overhead). */
export function poolFits(pool: GpuPool, plan: Pick<DeploymentPlan, "gpu" | "vram" | "engine">): boolean {
  if (plan.gpu.count > pool.maxGpusPerWorker) return false;
  return pool.memoryGb * plan.gpu.count * MEMORY_FRACTION[plan.engine] + 1e-9 >= plan.vram.totalGb;
}

/** The planner's pick, then the cheapest other pools that fit, in price order. */
export function defaultPools(plan: Pick<DeploymentPlan, "gpu" | "vram" | "engine">, pools: readonly GpuPool[] = GPU_POOLS): string[] {
  const others = pools
    .filter((p) => p.id !== plan.gpu.pool && poolFits(p, plan))
    .sort((a, b) => a.usdPerSecond - b.usdPerSecond || a.id.localeCompare(b.id))
    .map((p) => p.id);
  return [plan.gpu.pool, ...others].slice(0, DEFAULT_POOL_COUNT);
}

/**
 * The pool list the watcher uses. The deployment's own list is taken as planned when the endpoint was
 * made (its first pool may not be the one it runs on now after a move): `plannedPool` anchors the default.
 */
export function effectivePools(rec: Pick<DeploymentRecord, "scalingSettings" | "plan">, plannedPool: string, pools: readonly GpuPool[] = GPU_POOLS): string[] {
  const s = settingsOf(rec);
  if (s.pools.length) return s.pools;
  return defaultPools({ ...rec.plan, gpu: { ...rec.plan.gpu, pool: plannedPool } }, pools);
}

/** The pools with one worker's price at today's prices (unknown ids are dropped). */
export function poolOptions(ids: readonly string[], gpuCount: number, pools: readonly GpuPool[] = GPU_POOLS): PoolOption[] {
  return ids.flatMap((id) => {
    const p = pools.find((x) => x.id === id);
    return p ? [{ id, workerUsdPerHour: Math.round(p.usdPerSecond * gpuCount * 3600 * 10_000) / 10_000 }] : [];
  });
}

/** The plan's `gpu` on another pool (same GPU count), at that pool's price. */
export function gpuOn(plan: Pick<DeploymentPlan, "gpu">, poolId: string, pools: readonly GpuPool[] = GPU_POOLS): DeploymentPlan["gpu"] | undefined {
  const p = pools.find((x) => x.id === poolId);
  return p ? { pool: p.id, label: p.label, count: plan.gpu.count, memoryGb: p.memoryGb, usdPerSecond: p.usdPerSecond } : undefined;
}

/** Checks a requested pool list against the plan: known pools, no repeats, each one fitting the model. */
export function checkPools(ids: readonly string[], plan: Pick<DeploymentPlan, "gpu" | "vram" | "engine">, pools: readonly GpuPool[] = GPU_POOLS): string | null {
  const seen = new Set<string>();
  for (const id of ids) {
    const p = pools.find((x) => x.id === id);
    if (!p) return `unknown GPU pool '${id}'; valid pools: ${pools.map((x) => x.id).join(", ")}`;
    if (seen.has(id)) return `GPU pool '${id}' is listed twice`;
    seen.add(id);
    if (!poolFits(p, plan)) return `GPU pool '${id}' (${plan.gpu.count} × ${p.memoryGb} GB) cannot hold this deployment (${plan.vram.totalGb} GB needed)`;
  }
  return null;
}

/** The idle timeout a plan gets by default (plan-options.ts resolveScaling): about one cold start, 60-600 s. */
export function baseIdleTimeout(coldStartSeconds: number): number {
  return Math.min(600, Math.max(60, Math.ceil(coldStartSeconds / 30) * 30));
}

/** The forecaster's view of a deployment: per-worker concurrency, worker price, cold start. */
export function proposeFor(rec: Pick<DeploymentRecord, "plan" | "workerMicrosPerSecond">, profile: readonly SlotDemand[], now: number, ceilingUsdPerMonth: number | null): Proposal {
  const plan = rec.plan;
  return propose(profile, now, {
    perWorkerConcurrency: Math.max(1, plan.vram.concurrency),
    workerUsdPerHour: (rec.workerMicrosPerSecond * 3600) / 1_000_000,
    coldStartSeconds: Math.max(1, Math.round(plan.coldStartSeconds)),
    baseIdleTimeoutSeconds: baseIdleTimeout(plan.coldStartSeconds),
  }, ceilingUsdPerMonth);
}
