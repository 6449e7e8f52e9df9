import { stableId } from "../lib/text";
import { isoSeconds, type EndpointRecord } from "./endpoint";
import { gpuTypesInPools } from "./gpus";
import type { JobCounts } from "./jobs";

/**
 * Worker state of an endpoint, derived from time: every one of its `workers.max` workers initializes
 * (image pull, model load) from creation until `readyAt`, then sits idle, or runs while jobs are in
 * progress. As on RunPod, flex workers are listed idle even with `workers.min` 0: they are warm, just
 * not billed. `workers.max` 0 means no workers at all, so such an endpoint is never ready.
 */

export function isReady(rec: EndpointRecord, now: number): boolean {
  return rec.workers.max > 0 && now >= rec.readyAt;
}

export interface WorkerCounts {
  idle: number;
  initializing: number;
  ready: number;
  running: number;
  throttled: number;
  unhealthy: number;
}

export function workerCounts(rec: EndpointRecord, now: number, jobsInProgress: number): WorkerCounts {
  const total = rec.workers.max;
  if (now < rec.readyAt) return { idle: 0, initializing: total, ready: 0, running: 0, throttled: 0, unhealthy: 0 };
  const running = Math.min(total, jobsInProgress);
  // `ready` counts workers ready for a new job, like `idle` (the docs' example: idle 4, ready 4, running 1).
  return { idle: total - running, initializing: 0, ready: total - running, running, throttled: 0, unhealthy: 0 };
}

/** GET /health: `{jobs, workers}` with every documented key (plus `unhealthy`, see §1.5). */
export function healthBody(rec: EndpointRecord, now: number, jobs: JobCounts) {
  return { jobs, workers: workerCounts(rec, now, jobs.inProgress) };
}

export function workerId(rec: EndpointRecord, index: number): string {
  return stableId(`${rec.id}:worker:${index}`, 14);
}

/** GET /v2/serverless/{id}/workers (RP-V2-SPEC ListEndpointWorkersResponse). */
export function workersListing(rec: EndpointRecord, now: number, jobsInProgress: number) {
  const counts = workerCounts(rec, now, jobsInProgress);
  const placed = now >= rec.readyAt;
  const gpuType = rec.gpu ? (gpuTypesInPools(rec.gpu.pools).find((g) => !rec.gpu!.excludedTypes?.includes(g.id))?.id ?? null) : null;
  const workers = Array.from({ length: rec.workers.max }, (_, i) => ({
    id: workerId(rec, i),
    status: !placed ? "INITIALIZING" : i < counts.running ? "RUNNING" : "IDLE",
    isStale: false,
    version: rec.version,
    gpuCount: rec.gpu?.count ?? 0,
    image: rec.image,
    uptimeSeconds: placed ? Math.floor((now - rec.readyAt) / 1000) : null,
    gpuTypeId: placed ? gpuType : null,
    dataCenterId: placed ? (rec.dataCenterIds[i % Math.max(1, rec.dataCenterIds.length)] ?? "US-KS-2") : null,
    startedAt: placed ? isoSeconds(rec.readyAt) : null,
  }));
  const summary = { running: counts.running, idle: counts.idle, initializing: counts.initializing, throttled: 0, unhealthy: 0, total: workers.length };
  return { endpointVersion: rec.version, summary, workers };
}
