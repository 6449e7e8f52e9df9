import { GPU_POOLS, type GpuPool } from "./gpu-pools";
import type { RunpodClient } from "./runpod-client";

/**
 * Live serverless prices from RunPod's GPU catalog (`GET /v2/catalog/gpus`, `price.serverless` per GPU
 * per hour, reference §1.9), merged into the planner's pool table: the table keeps what the catalog does
 * not carry (bandwidth, TFLOPS, TP limits), the catalog wins on price. A pool is priced at its dearest
 * card, because the scheduler may place a worker on any of them. When RunPod cannot be asked, the
 * table's documented prices stand.
 */
export interface CatalogGpu {
  id: string;
  pool?: string | null;
  memory?: number;
  price?: { serverless?: number };
}

/** Pure: the pools with the catalog's prices where it has one. */
export function withCatalogPrices(gpus: readonly CatalogGpu[], pools: readonly GpuPool[] = GPU_POOLS): GpuPool[] {
  const dearest = new Map<string, number>();
  for (const g of gpus) {
    const perHour = g.price?.serverless;
    if (!g.pool || typeof perHour !== "number" || !Number.isFinite(perHour) || perHour <= 0) continue;
    dearest.set(g.pool, Math.max(dearest.get(g.pool) ?? 0, perHour));
  }
  return pools.map((p) => {
    const perHour = dearest.get(p.id);
    return perHour === undefined ? p : { ...p, usdPerSecond: Math.round((perHour / 3600) * 1e8) / 1e8 };
  });
}

const TTL_MS = 60 * 60_000;
let cached: { at: number; pools: GpuPool[] } | undefined;

/** The pools at today's prices (cached per isolate for an hour; the documented table if RunPod is unreachable). */
export async function livePools(client: RunpodClient, now = Date.now()): Promise<readonly GpuPool[]> {
  if (cached && now - cached.at < TTL_MS) return cached.pools;
  const r = await client.gpuCatalog();
  if (!r.ok) return GPU_POOLS; // not cached: the next estimate asks again
  cached = { at: now, pools: withCatalogPrices(r.value.gpus) };
  return cached.pools;
}
