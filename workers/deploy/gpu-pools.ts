/**
 * RunPod serverless GPU pools (reference/upstream-apis.md §1.9) as the planner sees them: VRAM, the
 * per-GPU price (flex and active are billed alike since 2026-05-13) and the speed of the *slowest* card
 * the scheduler may place a worker on, because a pool is a promise of memory, not of a particular card,
 * and an estimate should hold whichever card we get.
 *
 * Prices are the docs' table of 2026-06-08; production should refresh them from `GET /v2/catalog/gpus`
 * (`price.serverless` per GPU per hour) and pass the result as the planner's `pools` argument.
 */
export interface GpuPool {
  /** Serverless pool id as `gpu.pools` on `POST /v2/serverless` takes it. */
  id: string;
  label: string;
  /** VRAM per GPU. Spec-sheet "GB" on GPUs is binary (an "80 GB" A100 has 80 GiB), so the planner treats it as GiB. */
  memoryGb: number;
  /** Price per GPU per second, USD. A worker with N GPUs costs N times this. */
  usdPerSecond: number;
  /** Memory bandwidth per GPU, GB/s, of the slowest card in the pool. Decoding is bound by it. */
  bandwidthGBs: number;
  /** Largest tensor-parallel worker we plan on this pool (1, 2, 4 or 8). */
  maxGpusPerWorker: number;
  /**
   * Dense FP16/BF16 tensor TFLOPS (FP32 accumulate, no sparsity) of the slowest card, approximate; only
   * used to cap prefill and embedding throughput, which are compute- rather than bandwidth-bound.
   */
  fp16Tflops: number;
}

/**
 * The workstation/consumer pools (16-32 GB cards, no NVLink) stop at 4 GPUs, AMPERE_16 at 2: past that
 * a PCIe-only tensor-parallel split costs more in all-reduce than it saves, and a 48/80 GB data-centre
 * card is the better buy for anything that large. Data-centre pools go to 8 (TP 8, one 8-GPU server).
 * AMPERE_16's bandwidth is the A4000's 448 GB/s; the docs also list RTX 4000/2000 Ada (360/224 GB/s)
 * in this pool, so its throughput figure is the optimistic end (UNVERIFIED which cards serve it today).
 * ADA_32_PRO (RTX 5090) is not in the docs' price table; $0.00044/s is RunPod's earlier list price for it
 * (UNVERIFIED); at that price it is never the cheapest fit, so it only matters when a user asks for it.
 */
export const GPU_POOLS: readonly GpuPool[] = [
  { id: "AMPERE_16", label: "A4000 / A4500 / RTX 4000 · 16 GB", memoryGb: 16, usdPerSecond: 0.00016, bandwidthGBs: 448, maxGpusPerWorker: 2, fp16Tflops: 76 },
  { id: "AMPERE_24", label: "L4 / A5000 / RTX 3090 · 24 GB", memoryGb: 24, usdPerSecond: 0.00019, bandwidthGBs: 300, maxGpusPerWorker: 4, fp16Tflops: 71 },
  { id: "ADA_24", label: "RTX 4090 · 24 GB", memoryGb: 24, usdPerSecond: 0.00031, bandwidthGBs: 1008, maxGpusPerWorker: 4, fp16Tflops: 165 },
  { id: "ADA_32_PRO", label: "RTX 5090 · 32 GB", memoryGb: 32, usdPerSecond: 0.00044, bandwidthGBs: 1792, maxGpusPerWorker: 4, fp16Tflops: 209 },
  { id: "AMPERE_48", label: "A6000 / A40 · 48 GB", memoryGb: 48, usdPerSecond: 0.00034, bandwidthGBs: 696, maxGpusPerWorker: 8, fp16Tflops: 149 },
  { id: "ADA_48_PRO", label: "L40 / L40S / 6000 Ada · 48 GB", memoryGb: 48, usdPerSecond: 0.00053, bandwidthGBs: 864, maxGpusPerWorker: 8, fp16Tflops: 181 },
  { id: "AMPERE_80", label: "A100 · 80 GB", memoryGb: 80, usdPerSecond: 0.00076, bandwidthGBs: 1935, maxGpusPerWorker: 8, fp16Tflops: 312 },
  { id: "ADA_80_PRO", label: "H100 · 80 GB", memoryGb: 80, usdPerSecond: 0.00116, bandwidthGBs: 2000, maxGpusPerWorker: 8, fp16Tflops: 756 },
  { id: "BLACKWELL_96", label: "RTX PRO 6000 · 96 GB", memoryGb: 96, usdPerSecond: 0.00111, bandwidthGBs: 1792, maxGpusPerWorker: 8, fp16Tflops: 500 },
  { id: "HOPPER_141", label: "H200 · 141 GB", memoryGb: 141, usdPerSecond: 0.00155, bandwidthGBs: 4800, maxGpusPerWorker: 8, fp16Tflops: 989 },
  { id: "BLACKWELL_180", label: "B200 · 180 GB", memoryGb: 180, usdPerSecond: 0.0024, bandwidthGBs: 8000, maxGpusPerWorker: 8, fp16Tflops: 2250 },
];

/** The pool with this id (exact, as RunPod spells it), or undefined. */
export function findPool(id: string, pools: readonly GpuPool[] = GPU_POOLS): GpuPool | undefined {
  return pools.find((p) => p.id === id);
}
