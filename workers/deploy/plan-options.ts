import type { Engine } from "./engines";
import type { GpuPool } from "./gpu-pools";

/**
 * Validation of what a user may ask of the planner, and the scaling defaults. Options arrive from
 * JSON bodies and MCP tool calls, so every field is checked here even though the types promise it.
 */

export interface Scaling {
  workersMin: number;
  workersMax: number;
  idleTimeoutSeconds: number;
  scaler: "QUEUE_DELAY" | "REQUEST_COUNT";
  scalerValue: number;
  flashboot: boolean;
}

export interface PlanOptions {
  engine?: Engine;
  /** A pool id from GPU_POOLS. */
  gpu?: string;
  gpuCount?: number;
  maxModelLen?: number;
  scaling?: Partial<Scaling>;
  hfTokenAvailable: boolean;
}

/** The product's ceiling on workers per endpoint; RunPod allows more, a one-tap deploy shouldn't. */
export const MAX_WORKERS = 10;
export const DEFAULT_WORKERS_MAX = 2;
/** Seconds a request may wait in the queue before RunPod adds a worker (the v2 spec's example value). */
export const DEFAULT_QUEUE_DELAY = 4;
export const TP_SIZES = [1, 2, 4, 8] as const;
/** Below this a chat deployment is not useful; embedding models keep their own (often 512) limit. */
export const MIN_MAX_MODEL_LEN = 256;

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** The checks that need no model: engine, pool, count, context, scaling fields. */
export function checkOptions(options: PlanOptions, pools: readonly GpuPool[]): Checked<{ pool: GpuPool | undefined }> {
  if (options.engine !== undefined && options.engine !== "vllm" && options.engine !== "sglang") {
    return fail(`Unknown engine "${String(options.engine)}"; use "vllm" or "sglang".`);
  }
  let pool: GpuPool | undefined;
  if (options.gpu !== undefined) {
    pool = pools.find((p) => p.id === options.gpu);
    if (!pool) return fail(`Unknown GPU pool "${String(options.gpu)}"; choose one of ${pools.map((p) => p.id).join(", ")}.`);
  }
  if (options.gpuCount !== undefined) {
    if (!isInt(options.gpuCount) || !(TP_SIZES as readonly number[]).includes(options.gpuCount)) {
      return fail(`gpuCount must be 1, 2, 4 or 8 (tensor parallelism splits a model over a power of two GPUs), not ${String(options.gpuCount)}.`);
    }
    if (pool && options.gpuCount > pool.maxGpusPerWorker) {
      return fail(`${pool.id} workers take at most ${pool.maxGpusPerWorker} GPUs; asked for ${options.gpuCount}.`);
    }
  }
  if (options.maxModelLen !== undefined && (!isInt(options.maxModelLen) || options.maxModelLen < MIN_MAX_MODEL_LEN)) {
    return fail(`maxModelLen must be a whole number of tokens, at least ${MIN_MAX_MODEL_LEN}; got ${String(options.maxModelLen)}.`);
  }
  const scaling = checkScaling(options.scaling ?? {});
  return scaling.ok ? { ok: true, value: { pool } } : scaling;
}

function checkScaling(s: Partial<Scaling>): Checked<null> {
  for (const key of ["workersMin", "workersMax"] as const) {
    const v = s[key];
    if (v !== undefined && (!isInt(v) || v < 0 || v > MAX_WORKERS)) return fail(`${key} must be a whole number from 0 to ${MAX_WORKERS}; got ${String(v)}.`);
  }
  if (s.workersMax === 0) return fail("workersMax must be at least 1, or the endpoint can never serve a request.");
  if (s.workersMin !== undefined && s.workersMax !== undefined && s.workersMin > s.workersMax) {
    return fail(`workersMin (${s.workersMin}) cannot exceed workersMax (${s.workersMax}).`);
  }
  if (s.idleTimeoutSeconds !== undefined && (!isInt(s.idleTimeoutSeconds) || s.idleTimeoutSeconds < 1 || s.idleTimeoutSeconds > 3600)) {
    return fail(`idleTimeoutSeconds must be a whole number from 1 to 3600 (RunPod's range); got ${String(s.idleTimeoutSeconds)}.`);
  }
  if (s.scaler !== undefined && s.scaler !== "QUEUE_DELAY" && s.scaler !== "REQUEST_COUNT") {
    return fail(`scaler must be "QUEUE_DELAY" or "REQUEST_COUNT"; got ${String(s.scaler)}.`);
  }
  if (s.scalerValue !== undefined) {
    const v = s.scalerValue;
    // RunPod v2: queueDelay is a number ≥ 0.5 seconds, requestCount an integer ≥ 1.
    if ((s.scaler ?? "QUEUE_DELAY") === "QUEUE_DELAY") {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0.5 || v > 3600) return fail(`A QUEUE_DELAY scalerValue is seconds from 0.5 to 3600; got ${String(v)}.`);
    } else if (!isInt(v) || v < 1 || v > 1000) {
      return fail(`A REQUEST_COUNT scalerValue is a whole number of requests from 1 to 1000; got ${String(v)}.`);
    }
  }
  if (s.flashboot !== undefined && typeof s.flashboot !== "boolean") return fail(`flashboot must be true or false; got ${String(s.flashboot)}.`);
  return { ok: true, value: null };
}

/**
 * Scaling with defaults filled in. Scale-to-zero (workersMin 0) so an idle deployment costs nothing;
 * two workers for bursts. The idle timeout is about one cold start, rounded up to 30 s and kept
 * within 60-600 s: a worker that just paid to download its weights should not leave before a
 * follow-up request would have to pay the same again. REQUEST_COUNT defaults to the requests one
 * worker's KV cache holds.
 */
export function resolveScaling(asked: Partial<Scaling>, coldStartSeconds: number, concurrency: number): Scaling {
  const workersMin = asked.workersMin ?? 0;
  const workersMax = asked.workersMax ?? Math.max(DEFAULT_WORKERS_MAX, workersMin);
  const scaler = asked.scaler ?? "QUEUE_DELAY";
  const idle = Math.min(600, Math.max(60, Math.ceil(coldStartSeconds / 30) * 30));
  return {
    workersMin,
    workersMax,
    idleTimeoutSeconds: asked.idleTimeoutSeconds ?? idle,
    scaler,
    scalerValue: asked.scalerValue ?? (scaler === "QUEUE_DELAY" ? DEFAULT_QUEUE_DELAY : Math.max(1, Math.min(30, concurrency))),
    flashboot: asked.flashboot ?? true,
  };
}
