import { stableId } from "../lib/text";
import { isoSeconds, type EndpointRecord } from "./endpoint";
import { gpuTypesInPools } from "./gpus";
import type { JobCounts } from "./jobs";

/**
 * Worker state of an endpoint, derived from time and the record's bookkeeping, so nothing is scheduled:
 * - first boot: every one of `workers.max` workers initializes (image pull, model load) until `readyAt`;
 * - busy spell: from then until `idleTimeout` seconds after the last job or OpenAI request ends
 *   (`lastActiveAt`), the spell's workers are warm: idle, or running while jobs are in progress. The first
 *   spell keeps all `workers.max` up (as on RunPod, flex workers are listed idle: warm, just not billed);
 * - scaled down: past that only the `workers.min` active workers stay up; with min 0 nothing runs;
 * - cold start: a request that finds no warm worker starts one, which initializes until `coldStartUntil`
 *   and then serves a spell of its own (scaling.ts moves that bookkeeping).
 * `workers.max` 0 means no workers at all, so such an endpoint is never ready.
 */

/** The first boot is over (load balancers answer their health check from then). */
export function isReady(rec: EndpointRecord, now: number): boolean {
  return rec.workers.max > 0 && now >= rec.readyAt;
}

/** Within `idleTimeout` of the last activity: the busy spell's workers are still up. */
export function isBusy(rec: EndpointRecord, now: number): boolean {
  return now < (rec.lastActiveAt ?? rec.readyAt) + rec.workers.idleTimeout * 1000;
}

export const isColdStarting = (rec: EndpointRecord, now: number) => rec.coldStartUntil !== undefined && now < rec.coldStartUntil;

export interface WorkerPhase {
  /** Workers up and taking jobs (idle or running). */
  warm: number;
  initializing: number;
}

/** How many workers are up and how many are starting at `now`; jobs in progress keep their workers up. */
export function workerPhase(rec: EndpointRecord, now: number, jobsInProgress = 0): WorkerPhase {
  const { min, max } = rec.workers;
  if (max === 0) return { warm: 0, initializing: 0 };
  if (now < rec.readyAt) return { warm: 0, initializing: max };
  const floor = Math.min(min, max);
  if (isColdStarting(rec, now)) return { warm: floor, initializing: Math.min(1, max - floor) };
  if (jobsInProgress === 0 && !isBusy(rec, now)) return { warm: floor, initializing: 0 };
  return { warm: Math.min(max, Math.max(floor, rec.warmWorkers ?? max)), initializing: 0 };
}

export interface WorkerCounts {
  idle: number;
  initializing: number;
  ready: number;
  running: number;
  throttled: number;
  unhealthy: number;
}

/**
 * `capacity` false: the endpoint's GPU pools have no GPU free (sandbox `runpodPoolCapacity`), so every
 * worker it would run waits on capacity (`throttled`); jobs already running finish on their worker.
 */
export function workerCounts(rec: EndpointRecord, now: number, jobsInProgress: number, capacity = true): WorkerCounts {
  const { warm, initializing } = workerPhase(rec, now, jobsInProgress);
  const running = Math.min(warm, jobsInProgress);
  if (!capacity) return { idle: 0, initializing: 0, ready: 0, running, throttled: Math.max(0, rec.workers.max - running), unhealthy: 0 };
  // `ready` counts workers ready for a new job, like `idle` (the docs' example: idle 4, ready 4, running 1).
  return { idle: warm - running, initializing, ready: warm - running, running, throttled: 0, unhealthy: 0 };
}

/** GET /health: `{jobs, workers}` with every documented key (plus `unhealthy`, see §1.5). */
export function healthBody(rec: EndpointRecord, now: number, jobs: JobCounts, capacity = true) {
  return { jobs, workers: workerCounts(rec, now, jobs.inProgress, capacity) };
}

export function workerId(rec: EndpointRecord, index: number): string {
  return stableId(`${rec.id}:worker:${index}`, 14);
}

/** When warm worker `index` came up: the first boot, or for a flex worker the latest cold start. */
function startedAt(rec: EndpointRecord, index: number): number {
  return rec.coldStartUntil !== undefined && index >= rec.workers.min ? rec.coldStartUntil : rec.readyAt;
}

/**
 * GET /v2/serverless/{id}/workers (RP-V2-SPEC ListEndpointWorkersResponse): the workers that exist now,
 * warm ones first (indices from 0, so ids stay stable), then those initializing. Scaled to zero: none.
 */
export function workersListing(rec: EndpointRecord, now: number, jobsInProgress: number, capacity = true) {
  const counts = workerCounts(rec, now, jobsInProgress, capacity);
  const warm = counts.idle + counts.running;
  const gpuType = rec.gpu ? (gpuTypesInPools(rec.gpu.pools).find((g) => !rec.gpu!.excludedTypes?.includes(g.id))?.id ?? null) : null;
  const workers = Array.from({ length: warm + counts.initializing + counts.throttled }, (_, i) => {
    const placed = i < warm;
    if (i >= warm + counts.initializing) {
      // Waiting on a GPU: assigned to the endpoint, placed nowhere yet.
      return { id: workerId(rec, i), status: "THROTTLED", isStale: false, version: rec.version, gpuCount: rec.gpu?.count ?? 0, image: rec.image, uptimeSeconds: null, gpuTypeId: null, dataCenterId: null, startedAt: null };
    }
    const since = startedAt(rec, i);
    return {
      id: workerId(rec, i),
      status: !placed ? "INITIALIZING" : i < counts.running ? "RUNNING" : "IDLE",
      isStale: false,
      version: rec.version,
      gpuCount: rec.gpu?.count ?? 0,
      image: rec.image,
      uptimeSeconds: placed ? Math.floor((now - since) / 1000) : null,
      gpuTypeId: placed ? gpuType : null,
      dataCenterId: placed ? (rec.dataCenterIds[i % Math.max(1, rec.dataCenterIds.length)] ?? "US-KS-2") : null,
      startedAt: placed ? isoSeconds(since) : null,
    };
  });
  const summary = { running: counts.running, idle: counts.idle, initializing: counts.initializing, throttled: counts.throttled, unhealthy: 0, total: workers.length };
  return { endpointVersion: rec.version, summary, workers };
}
