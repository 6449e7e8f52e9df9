import { describe, expect, it } from "vitest";
import { hasCapacity, poolHasCapacity } from "../../../workers/sandbox/runpod/capacity";
import { buildEndpoint, type EndpointRecord } from "../../../workers/sandbox/runpod/endpoint";
import { catalogEntry, GPU_TYPES } from "../../../workers/sandbox/runpod/gpus";
import { healthBody, workerCounts, workersListing } from "../../../workers/sandbox/runpod/health";
import { wake } from "../../../workers/sandbox/runpod/scaling";
import { createEndpointRequest } from "../../../workers/sandbox/runpod/schemas";

const T0 = 1_780_000_000_000;

function endpoint(pools: string[], workers: Record<string, number> = {}): EndpointRecord {
  const body = createEndpointRequest.parse({ name: "e", image: "i", type: "QUEUE", gpu: { pools }, scaling: { type: "QUEUE_DELAY", queueDelay: 4 }, workers: { min: 0, max: 2, idleTimeout: 5, ...workers } });
  const r = buildEndpoint(body, { id: "ep1", seq: 1, now: T0, readyDelayMs: 0 });
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

describe("RunPod pool capacity (sandbox runpodPoolCapacity)", () => {
  it("lacks capacity only when every pool of the endpoint is at 0", () => {
    const settings = { runpodPoolCapacity: { AMPERE_16: 0, ADA_24: 3 } };
    expect(poolHasCapacity("AMPERE_16", settings)).toBe(false);
    expect(poolHasCapacity("ADA_24", settings)).toBe(true);
    expect(poolHasCapacity("AMPERE_80", settings)).toBe(true);
    expect(poolHasCapacity("AMPERE_16", { runpodPoolCapacity: null })).toBe(true);
    expect(hasCapacity(endpoint(["AMPERE_16"]), settings)).toBe(false);
    expect(hasCapacity(endpoint(["AMPERE_16", "AMPERE_24"]), settings)).toBe(true);
  });

  it("shows every worker throttled and keeps jobs queued while there is none", () => {
    const rec = endpoint(["AMPERE_16"], { min: 1 });
    expect(workerCounts(rec, T0 + 1000, 0, false)).toEqual({ idle: 0, initializing: 0, ready: 0, running: 0, throttled: 2, unhealthy: 0 });
    expect(healthBody(rec, T0 + 1000, { completed: 0, failed: 0, inProgress: 0, inQueue: 1, retried: 0 }, false).workers.throttled).toBe(2);
    const listing = workersListing(rec, T0 + 1000, 0, false);
    expect(listing.summary).toMatchObject({ throttled: 2, total: 2 });
    expect(listing.workers.map((w) => [w.status, w.gpuTypeId])).toEqual([["THROTTLED", null], ["THROTTLED", null]]);
    const woke = wake(rec, T0 + 1000, 2000, 500, false);
    expect(woke.servedAt).toBe(Number.MAX_SAFE_INTEGER);
    expect(woke.record).toBe(rec);
    // With capacity the same request is served at once by the always-on worker.
    expect(wake(rec, T0 + 1000, 2000, 500, true).servedAt).toBe(T0 + 1000);
  });

  it("answers NONE for the pool's cards in the catalog's serverless availability", () => {
    const a4000 = GPU_TYPES.find((g) => g.pool === "AMPERE_16")!;
    expect(catalogEntry(a4000, { availability: true, count: 1 }, false)).toMatchObject({ availability: "NONE" });
    expect(catalogEntry(a4000, { availability: true, count: 1 }, false).dataCenters).toBeUndefined();
    expect(catalogEntry(a4000, { availability: true, count: 1 }).availability).toBe("HIGH");
  });
});
