import { describe, expect, it } from "vitest";
import { buildEndpoint, patchEndpoint, type EndpointRecord } from "../../../workers/sandbox/runpod/endpoint";
import { endpointView } from "../../../workers/sandbox/runpod/endpoint-view";
import { workerCounts, workerPhase, workersListing } from "../../../workers/sandbox/runpod/health";
import { coldStartMs, configOf, wake } from "../../../workers/sandbox/runpod/scaling";
import { createEndpointRequest, updateEndpointRequest } from "../../../workers/sandbox/runpod/schemas";

const T0 = 1_780_000_000_000;
const COLD = 2000;

/** An endpoint created at T0 with no boot delay and a 1 s idle timeout, unless told otherwise. */
function endpoint(workers: Record<string, number> = {}, extra: Record<string, unknown> = {}, readyDelayMs = 0): EndpointRecord {
  const body = createEndpointRequest.parse({ name: "e", image: "i", type: "QUEUE", gpu: { pools: ["ADA_24"] }, scaling: { type: "QUEUE_DELAY", queueDelay: 4 }, workers: { min: 0, max: 2, idleTimeout: 1, ...workers }, ...extra });
  const r = buildEndpoint(body, { id: "ep1", seq: 1, now: T0, readyDelayMs });
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

const counts = (rec: EndpointRecord, now: number, jobs = 0) => workerCounts(rec, now, jobs);
const zero = { idle: 0, initializing: 0, ready: 0, running: 0, throttled: 0, unhealthy: 0 };

describe("RunPod scale to zero", () => {
  it("keeps the first boot's workers warm for idleTimeout after readyAt, then stops them all", () => {
    const rec = endpoint({}, {}, 3000);
    expect(counts(rec, T0 + 2999)).toEqual({ ...zero, initializing: 2 });
    expect(counts(rec, T0 + 3000)).toEqual({ ...zero, idle: 2, ready: 2 });
    expect(counts(rec, T0 + 3999)).toEqual({ ...zero, idle: 2, ready: 2 });
    expect(counts(rec, T0 + 4000)).toEqual(zero);
    const listing = workersListing(rec, T0 + 60_000, 0);
    expect(listing.workers).toEqual([]);
    expect(listing.summary).toEqual({ running: 0, idle: 0, initializing: 0, throttled: 0, unhealthy: 0, total: 0 });
    // Jobs in progress keep their workers up whatever the bookkeeping says.
    expect(counts(rec, T0 + 60_000, 1)).toMatchObject({ running: 1, idle: 1 });
  });

  it("cold-starts one worker for the next request; requests meanwhile join it; it then idles out again", () => {
    const cold = endpoint();
    const first = wake(cold, T0 + 5000, COLD, 0);
    expect(first.servedAt).toBe(T0 + 7000);
    expect(first.record).toMatchObject({ coldStartUntil: T0 + 7000, lastActiveAt: T0 + 7000, warmWorkers: 1 });
    expect(cold.coldStartUntil).toBeUndefined(); // pure: the input record is untouched

    const rec = first.record;
    expect(counts(rec, T0 + 5000)).toEqual({ ...zero, initializing: 1 });
    const starting = workersListing(rec, T0 + 6000, 0);
    expect(starting.workers).toEqual([expect.objectContaining({ status: "INITIALIZING", gpuTypeId: null, startedAt: null, uptimeSeconds: null })]);
    expect(starting.summary).toMatchObject({ initializing: 1, total: 1 });

    const joined = wake(rec, T0 + 6000, COLD, 250);
    expect(joined.servedAt).toBe(T0 + 7000);
    expect(joined.record).toMatchObject({ coldStartUntil: T0 + 7000, lastActiveAt: T0 + 7250 });

    expect(counts(rec, T0 + 7000)).toEqual({ ...zero, idle: 1, ready: 1 });
    const up = workersListing(rec, T0 + 7999, 0);
    expect(up.workers).toEqual([expect.objectContaining({ status: "IDLE", startedAt: "2026-05-28T20:26:47Z", uptimeSeconds: 0, gpuTypeId: "NVIDIA GeForce RTX 4090" })]);
    expect(up.workers[0]!.id).toBe(starting.workers[0]!.id);
    expect(counts(rec, T0 + 8000)).toEqual(zero);
    // A warm worker takes the next request at once: no second cold start.
    const warm = wake(rec, T0 + 7500, COLD, 0);
    expect(warm.servedAt).toBe(T0 + 7500);
    expect(warm.record.coldStartUntil).toBe(T0 + 7000);
  });

  it("counts a job's run as activity: the worker stays warm until idleTimeout after the job ends", () => {
    const { record, servedAt } = wake(endpoint(), T0 + 5000, COLD, 3000);
    expect(servedAt).toBe(T0 + 7000);
    expect(record.lastActiveAt).toBe(T0 + 10_000);
    expect(counts(record, T0 + 10_999)).toMatchObject({ idle: 1 });
    expect(counts(record, T0 + 11_000)).toEqual(zero);
  });

  it("holds requests during the first boot until readyAt, without a cold start", () => {
    const { record, servedAt } = wake(endpoint({}, {}, 3000), T0 + 1000, COLD, 100);
    expect(servedAt).toBe(T0 + 3000);
    expect(record).toMatchObject({ lastActiveAt: T0 + 3100 });
    expect(record.coldStartUntil).toBeUndefined();
    expect(counts(record, T0 + 4000)).toMatchObject({ idle: 2 });
  });

  it("shortens cold starts with FlashBoot", () => {
    expect(coldStartMs("OFF", COLD)).toBe(2000);
    expect(coldStartMs("FLASHBOOT", COLD)).toBe(500);
    expect(coldStartMs("PRIORITY_FLASHBOOT", COLD)).toBe(250);
    expect(wake(endpoint({}, { flashboot: "FLASHBOOT" }), T0 + 5000, COLD, 0).servedAt).toBe(T0 + 5500);
    const instant = wake(endpoint(), T0 + 5000, 0, 0);
    expect(instant.servedAt).toBe(T0 + 5000);
    expect(counts(instant.record, T0 + 5000)).toMatchObject({ idle: 1, initializing: 0 });
  });

  it("never scales below workers.min: those stay warm and take requests at once", () => {
    const rec = endpoint({ min: 1, max: 3 });
    expect(counts(rec, T0 + 999)).toMatchObject({ idle: 3 });
    expect(counts(rec, T0 + 1000)).toMatchObject({ idle: 1, initializing: 0 });
    expect(counts(rec, T0 + 86_400_000)).toMatchObject({ idle: 1 });
    const { record, servedAt } = wake(rec, T0 + 86_400_000, COLD, 0);
    expect(servedAt).toBe(T0 + 86_400_000);
    expect(record.coldStartUntil).toBeUndefined();
    // The always-on worker serves the new spell alone: the flex workers stay down.
    expect(counts(record, T0 + 86_400_500)).toMatchObject({ idle: 1 });
    expect(workersListing(record, T0 + 86_400_500, 0).workers[0]).toMatchObject({ status: "IDLE", startedAt: "2026-05-28T20:26:40Z" });
  });

  it("applies a PATCH of workers.min at once, both ways", () => {
    const patch = (rec: EndpointRecord, workers: object) => {
      const r = patchEndpoint(rec, updateEndpointRequest.parse({ workers }));
      if (!r.ok) throw new Error(r.detail);
      return r.value;
    };
    const scaledDown = endpoint();
    expect(counts(scaledDown, T0 + 10_000)).toEqual(zero);
    const pinned = patch(scaledDown, { min: 1 });
    expect(counts(pinned, T0 + 10_000)).toMatchObject({ idle: 1, initializing: 0 });
    expect(wake(pinned, T0 + 10_000, COLD, 0).servedAt).toBe(T0 + 10_000);
    expect(counts(patch(pinned, { min: 0 }), T0 + 10_000)).toEqual(zero);
    // A larger idleTimeout, too: the same spell now lasts longer.
    expect(counts(patch(scaledDown, { idleTimeout: 60 }), T0 + 10_000)).toMatchObject({ idle: 2 });
  });

  it("leaves endpoints without workers alone and keeps the bookkeeping out of responses and PATCH writes", () => {
    const none = endpoint({ max: 0 });
    const w = wake(none, T0 + 5000, COLD, 0);
    expect(w).toEqual({ record: none, servedAt: Number.MAX_SAFE_INTEGER });
    expect(workerPhase(none, T0 + 5000)).toEqual({ warm: 0, initializing: 0 });

    const rec = wake(endpoint(), T0 + 5000, COLD, 0).record;
    const view = endpointView(rec, "http://sb");
    for (const key of ["readyAt", "lastActiveAt", "coldStartUntil", "warmWorkers"]) expect(view).not.toHaveProperty(key);
    const config = configOf(rec);
    for (const key of ["lastActiveAt", "coldStartUntil", "warmWorkers"]) expect(config).not.toHaveProperty(key);
    expect(config).toMatchObject({ id: "ep1", readyAt: T0 });
    // Records stored before scale-to-zero existed count their first boot as the last activity.
    const { lastActiveAt: _gone, ...legacy } = endpoint();
    expect(counts(legacy, T0 + 999)).toMatchObject({ idle: 2 });
    expect(counts(legacy, T0 + 1000)).toEqual(zero);
  });
});
