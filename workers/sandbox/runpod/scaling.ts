import type { EndpointRecord } from "./endpoint";
import { isBusy, isColdStarting, workerPhase } from "./health";

/**
 * Scale to zero and cold starts, as RunPod flex workers behave: what one request (a `/run` or `/runsync`
 * job, an `/openai/v1/*` call) does to an endpoint's bookkeeping. Pure; the SandboxState DO applies it in
 * one step per request, so concurrent requests to a cold endpoint join one cold start instead of racing.
 * health.ts derives what `/health` and the workers listing show from the same fields.
 */

/** FlashBoot resumes a snapshot of a worker that ran before instead of booting it from scratch. */
const FLASHBOOT_DIVISOR: Record<EndpointRecord["flashboot"], number> = { OFF: 1, FLASHBOOT: 4, PRIORITY_FLASHBOOT: 8 };

/** How long a cold start takes on this endpoint, given the sandbox's `runpodColdStartMs`. */
export function coldStartMs(flashboot: EndpointRecord["flashboot"], settingMs: number): number {
  return Math.round(settingMs / FLASHBOOT_DIVISOR[flashboot]);
}

export interface Wake {
  record: EndpointRecord;
  /** When a worker takes the request up (now if one is warm). */
  servedAt: number;
}

/**
 * A request arriving at `now` that keeps its worker busy `busyMs` once served: it waits out the first boot,
 * joins a cold start under way, takes a warm worker, or, with none, starts one (a cold start of
 * `coldStartMs`). Either way the endpoint stays warm until `idleTimeout` after the request's end.
 */
export function wake(rec: EndpointRecord, now: number, coldStartSettingMs: number, busyMs: number, capacity = true): Wake {
  // No worker will ever take it: nothing changes, the request waits forever (or times out at the caller).
  // Likewise while the endpoint's GPU pools have no capacity (its workers are throttled).
  if (rec.workers.max === 0 || !capacity) return { record: rec, servedAt: Number.MAX_SAFE_INTEGER };
  const next: EndpointRecord = { ...rec };
  let servedAt: number;
  if (now < rec.readyAt) servedAt = rec.readyAt;
  else if (workerPhase(rec, now).warm > 0) {
    servedAt = now;
    // An always-on (`workers.min`) worker takes up an endpoint that had scaled down: the new spell is its alone.
    if (!isBusy(rec, now)) next.warmWorkers = 0;
  } else if (isColdStarting(rec, now)) servedAt = rec.coldStartUntil!;
  else {
    servedAt = now + coldStartMs(rec.flashboot, coldStartSettingMs);
    next.coldStartUntil = servedAt;
    next.warmWorkers = 1;
  }
  next.lastActiveAt = Math.max(rec.lastActiveAt ?? rec.readyAt, servedAt + busyMs);
  return { record: next, servedAt };
}

export type EndpointConfig = Omit<EndpointRecord, "lastActiveAt" | "coldStartUntil" | "warmWorkers">;

/** The record without scale bookkeeping: what a PATCH writes, so it never rolls back activity noted meanwhile. */
export function configOf(rec: EndpointRecord): EndpointConfig {
  const { lastActiveAt: _a, coldStartUntil: _c, warmWorkers: _w, ...config } = rec;
  return config;
}
