import type { SandboxSettings } from "../state";
import type { EndpointRecord } from "./endpoint";

/**
 * GPU capacity per serverless pool (the `runpodPoolCapacity` setting): RunPod places a worker on any of
 * the endpoint's pools, so an endpoint lacks capacity only when every one of its pools is at 0. While it
 * does, its workers are `throttled` ("waiting on compute capacity") and no job starts.
 */
export function poolHasCapacity(pool: string, settings: Pick<SandboxSettings, "runpodPoolCapacity">): boolean {
  const cap = settings.runpodPoolCapacity?.[pool];
  return cap === undefined || cap > 0;
}

export function hasCapacity(rec: Pick<EndpointRecord, "gpu">, settings: Pick<SandboxSettings, "runpodPoolCapacity">): boolean {
  if (!rec.gpu || rec.gpu.pools.length === 0) return true;
  return rec.gpu.pools.some((p) => poolHasCapacity(p, settings));
}
