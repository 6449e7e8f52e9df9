/**
 * The GPU catalog behind `GET /v2/catalog/gpus` (RunPod `GpuType`). GPU type ids, VRAM and serverless
 * pools follow RP-DOCS `references/gpu-types.mdx` (plus the pools `flash/configuration/gpu-types.mdx` adds:
 * ADA_32_PRO, BLACKWELL_96, BLACKWELL_180); serverless per-second prices follow the docs' serverless
 * pricing table (flex = active since 2026-05-13). See reference/upstream-apis.md §1.9.
 * Pod prices (`price.secure` / `price.community`) are not in the reference: they are plausible list
 * prices so the shape is complete, not quotes.
 */

export interface ServerlessPool {
  id: string;
  /** Smallest VRAM of the pool's cards, GB. */
  memory: number;
  usdPerSecond: number;
}

export const SERVERLESS_POOLS: readonly ServerlessPool[] = [
  { id: "AMPERE_16", memory: 16, usdPerSecond: 0.00016 },
  { id: "AMPERE_24", memory: 24, usdPerSecond: 0.00019 },
  { id: "ADA_24", memory: 24, usdPerSecond: 0.00031 },
  // Not in the pricing table; between the 24 GB PRO and 48 GB tiers, like the card's pod price.
  { id: "ADA_32_PRO", memory: 32, usdPerSecond: 0.00044 },
  { id: "AMPERE_48", memory: 48, usdPerSecond: 0.00034 },
  { id: "ADA_48_PRO", memory: 48, usdPerSecond: 0.00053 },
  { id: "AMPERE_80", memory: 80, usdPerSecond: 0.00076 },
  { id: "ADA_80_PRO", memory: 80, usdPerSecond: 0.00116 },
  { id: "BLACKWELL_96", memory: 96, usdPerSecond: 0.00111 },
  { id: "HOPPER_141", memory: 141, usdPerSecond: 0.00155 },
  { id: "BLACKWELL_180", memory: 180, usdPerSecond: 0.0024 },
];

export interface GpuType {
  id: string;
  name: string;
  pool: string | null;
  manufacturer: "NVIDIA" | "AMD" | "UNKNOWN";
  memory: number;
  secure: boolean;
  community: boolean;
  price: { secure: number; community: number; serverless?: number };
  maxCount: { secure: number; community: number };
  availability?: "NONE" | "LOW" | "MEDIUM" | "HIGH";
  dataCenters?: { id: string; name: string; availability: "NONE" | "LOW" | "MEDIUM" | "HIGH" }[];
}

type Row = [id: string, name: string, pool: string | null, memory: number, secure: number, community: number, maxSecure: number, maxCommunity: number];

const ROWS: Row[] = [
  ["NVIDIA RTX A4000", "RTX A4000", "AMPERE_16", 16, 0.25, 0.17, 8, 8],
  ["NVIDIA RTX A4500", "RTX A4500", "AMPERE_16", 20, 0.25, 0.19, 8, 4],
  ["NVIDIA RTX 4000 Ada Generation", "RTX 4000 Ada", "AMPERE_16", 20, 0.26, 0.2, 8, 8],
  ["NVIDIA RTX 2000 Ada Generation", "RTX 2000 Ada", "AMPERE_16", 16, 0.24, 0.23, 8, 4],
  ["NVIDIA L4", "L4", "AMPERE_24", 24, 0.43, 0.43, 8, 4],
  ["NVIDIA RTX A5000", "RTX A5000", "AMPERE_24", 24, 0.27, 0.16, 8, 8],
  ["NVIDIA GeForce RTX 3090", "RTX 3090", "AMPERE_24", 24, 0.46, 0.22, 8, 8],
  // Prices as in the v2 spec's GpuType example.
  ["NVIDIA GeForce RTX 4090", "RTX 4090", "ADA_24", 24, 0.44, 0.31, 8, 4],
  ["NVIDIA GeForce RTX 5090", "RTX 5090", "ADA_32_PRO", 32, 0.94, 0.69, 8, 8],
  ["NVIDIA RTX A6000", "RTX A6000", "AMPERE_48", 48, 0.49, 0.33, 8, 8],
  ["NVIDIA A40", "A40", "AMPERE_48", 48, 0.4, 0.35, 8, 4],
  ["NVIDIA L40", "L40", "ADA_48_PRO", 48, 0.99, 0.69, 8, 4],
  ["NVIDIA L40S", "L40S", "ADA_48_PRO", 48, 0.86, 0.79, 8, 8],
  ["NVIDIA RTX 6000 Ada Generation", "RTX 6000 Ada", "ADA_48_PRO", 48, 0.77, 0.74, 8, 8],
  ["NVIDIA A100 80GB PCIe", "A100 PCIe", "AMPERE_80", 80, 1.64, 1.19, 8, 8],
  ["NVIDIA A100-SXM4-80GB", "A100 SXM", "AMPERE_80", 80, 1.74, 1.39, 8, 8],
  ["NVIDIA H100 80GB HBM3", "H100 SXM", "ADA_80_PRO", 80, 2.69, 2.69, 8, 8],
  ["NVIDIA H100 PCIe", "H100 PCIe", "ADA_80_PRO", 80, 2.39, 1.99, 8, 8],
  ["NVIDIA H100 NVL", "H100 NVL", "ADA_80_PRO", 94, 2.79, 2.59, 8, 8],
  ["NVIDIA RTX PRO 6000 Blackwell Server Edition", "RTX PRO 6000", "BLACKWELL_96", 96, 1.84, 1.79, 8, 8],
  ["NVIDIA H200", "H200 SXM", "HOPPER_141", 141, 3.59, 3.59, 8, 8],
  ["NVIDIA B200", "B200", "BLACKWELL_180", 180, 5.98, 5.98, 8, 8],
  ["NVIDIA H200 NVL", "H200 NVL", null, 143, 3.39, 3.39, 8, 8],
  ["NVIDIA B300 SXM6 AC", "B300", null, 288, 7.99, 7.99, 8, 8],
  ["AMD Instinct MI300X OAM", "MI300X", null, 192, 2.49, 2.49, 8, 8],
];

const POOLS_BY_ID = new Map(SERVERLESS_POOLS.map((p) => [p.id, p]));

/** Dollars per GPU-hour, as the catalog quotes it (per-second price × 3600, to the cent fraction). */
export function poolUsdPerHour(poolId: string): number | undefined {
  const pool = POOLS_BY_ID.get(poolId);
  return pool ? Math.round(pool.usdPerSecond * 3600 * 10_000) / 10_000 : undefined;
}

export const GPU_TYPES: readonly GpuType[] = ROWS.map(([id, name, pool, memory, secure, community, maxSecure, maxCommunity]) => {
  const serverless = pool ? poolUsdPerHour(pool) : undefined;
  return {
    id,
    name,
    pool,
    manufacturer: id.startsWith("AMD") ? "AMD" : "NVIDIA",
    memory,
    secure: true,
    community: true,
    price: serverless === undefined ? { secure, community } : { secure, community, serverless },
    maxCount: { secure: maxSecure, community: maxCommunity },
  };
});

export function isPool(id: string): boolean {
  return POOLS_BY_ID.has(id);
}

export function gpuTypesInPools(pools: readonly string[]): GpuType[] {
  return GPU_TYPES.filter((g) => g.pool !== null && pools.includes(g.pool));
}

export function findGpuType(id: string): GpuType | undefined {
  return GPU_TYPES.find((g) => g.id === id);
}

const DATA_CENTERS = [
  { id: "US-KS-2", name: "US Kansas 2" },
  { id: "US-TX-3", name: "US Texas 3" },
  { id: "EU-RO-1", name: "EU Romania 1" },
];

export type CatalogQuery =
  | { ok: true; availability: boolean; count: number }
  | { ok: false; status: 400 | 422; detail: string; errors?: string[] };

/**
 * The catalog query rules of the spec: `include=AVAILABILITY` requires `product`, `product`/`count`/`cloud`
 * are only valid with it (400 either way); an unknown enum value fails validation (422).
 */
export function parseCatalogQuery(q: Record<string, string | undefined>): CatalogQuery {
  const include = q.include?.split(",").filter(Boolean) ?? [];
  const products = q.product?.split(",").filter(Boolean) ?? [];
  const errors: string[] = [];
  for (const v of include) if (v !== "AVAILABILITY") errors.push(`$.include: value must be one of "AVAILABILITY"`);
  for (const v of products) if (!["POD", "CLUSTER", "SERVERLESS"].includes(v)) errors.push(`$.product: value must be one of "POD", "CLUSTER", "SERVERLESS"`);
  if (q.cloud !== undefined && !["SECURE", "COMMUNITY"].includes(q.cloud)) errors.push(`$.cloud: value must be one of "SECURE", "COMMUNITY"`);
  const count = q.count === undefined ? 1 : Number(q.count);
  if (!Number.isInteger(count) || count < 1) errors.push(`$.count: minimum: got ${q.count}, want 1`);
  if (errors.length) return { ok: false, status: 422, detail: "Request validation failed.", errors };
  const availability = include.includes("AVAILABILITY");
  if (availability && products.length === 0) return { ok: false, status: 400, detail: "product is required with include=AVAILABILITY" };
  if (!availability && (products.length || q.count !== undefined || q.cloud !== undefined)) {
    return { ok: false, status: 400, detail: "product, count and cloud are only valid with include=AVAILABILITY" };
  }
  return { ok: true, availability, count };
}

/** A GPU type as listed, with deterministic availability when asked for (larger asks are scarcer). */
/** `poolAvailable` false: the sandbox took the card's serverless pool's capacity away (`runpodPoolCapacity`). */
export function catalogEntry(gpu: GpuType, query: { availability: boolean; count: number }, poolAvailable = true): GpuType {
  if (!query.availability) return gpu;
  const level = query.count > gpu.maxCount.secure || !poolAvailable ? "NONE" : query.count > 4 ? "LOW" : gpu.memory >= 141 ? "MEDIUM" : "HIGH";
  if (level === "NONE") return { ...gpu, availability: level };
  return { ...gpu, availability: level, dataCenters: DATA_CENTERS.map((dc) => ({ ...dc, availability: level })) };
}
