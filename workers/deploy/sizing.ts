import type { GpuPool } from "./gpu-pools";
import { dtypeBytes, type ModelFacts } from "./model-facts";

/**
 * Serving memory and speed of a model on N GPUs of a pool: the arithmetic of reference §2.3 plus a
 * bandwidth model of decoding. These are heuristics, not measurements; every constant says what it
 * assumes so a measured deployment can replace it.
 */

export const GIB = 1024 ** 3;

/** A plan must hold this many average-length sequences at once, or one full-length one, whichever is more. */
export const MIN_CONCURRENT_SEQUENCES = 8;
export const AVERAGE_SEQUENCE_TOKENS = 4096;
/** vLLM's default --max-num-seqs; concurrency beyond it cannot happen. */
export const MAX_NUM_SEQS = 256;
/** Batches larger than this are not credited: the worker wrapper caps in-flight jobs at 64 in our plans. */
export const MAX_EFFECTIVE_BATCH = 64;

export interface MemoryModel {
  /** Bytes the engine holds for weights (FP32 checkpoints are served at 16-bit). */
  weightBytes: number;
  /** KV cache bytes per token across all layers, fp16 KV; 0 for encoder-only embedders. */
  kvBytesPerToken: number;
  /** True when the model's attention dimensions were unknown and KV was estimated from its size. */
  kvEstimated: boolean;
  kvHeads: number | undefined;
  /** Extra headroom for a vision encoder's activations during the engine's memory profiling. */
  extraOverheadBytes: number;
}

/**
 * Weight bytes in VRAM. vLLM's (and SGLang's) dtype "auto" serves FP32 checkpoints at 16-bit, so F32
 * tensors count 2 bytes, except in quantized checkpoints where they are scales kept as they are.
 * Falls back to parameters × bytes of the dominant dtype when the Hub lists no dtypes.
 */
export function servingWeightBytes(facts: ModelFacts): number | undefined {
  const entries = Object.entries(facts.parametersByDtype);
  if (entries.length === 0) {
    if (facts.weightBytes) return facts.weightBytes;
    return facts.parameters ? facts.parameters * Math.min(2, dtypeBytes(facts.dtype ?? "BF16")) : undefined;
  }
  const quantized = facts.quantization !== undefined;
  return entries.reduce((sum, [dtype, count]) => sum + count * (dtype === "F32" && !quantized ? 2 : dtypeBytes(dtype)), 0);
}

/**
 * KV cache per token (§2.3): 2 (K and V) × layers × kv heads × head dim × 2 bytes. Multi-head latent
 * attention caches one latent of kvLatentDim per layer instead. Without kv heads it assumes full
 * multi-head attention (an upper bound for grouped-query models); without any dimensions it derives an
 * MHA-sized cache from the parameter count: params ≈ 12·L·H² with depth L ≈ H/128 gives
 * H ≈ ∛(params·128/12) and KV = 4·L·H = params/(3H) bytes per token. Conservative by 4-8× for GQA models.
 */
export function kvBytesPerToken(facts: ModelFacts, encoderOnly: boolean): { bytes: number; estimated: boolean } {
  if (encoderOnly) return { bytes: 0, estimated: false };
  const { layers, kvHeads, headDim, hiddenSize, kvLatentDim, parameters } = facts;
  if (layers && kvLatentDim) return { bytes: layers * kvLatentDim * 2, estimated: false };
  if (layers && kvHeads && headDim) return { bytes: 2 * layers * kvHeads * headDim * 2, estimated: false };
  if (layers && hiddenSize) return { bytes: 2 * layers * hiddenSize * 2, estimated: true };
  if (!parameters) return { bytes: 0, estimated: true };
  const hidden = Math.cbrt((parameters * 128) / 12);
  return { bytes: Math.ceil(parameters / (3 * hidden)), estimated: true };
}

export interface Fit {
  weightsGb: number;
  kvCacheGb: number;
  overheadGb: number;
  totalGb: number;
  availableGb: number;
  /** Average-length sequences the KV cache left over after weights and overhead can hold. */
  concurrency: number;
  fits: boolean;
}

/** With more GPUs than KV heads, tensor parallelism replicates heads, so each GPU stores whole ones. */
function kvReplication(mem: MemoryModel, count: number): number {
  return mem.kvHeads && count > mem.kvHeads ? count / mem.kvHeads : 1;
}

/**
 * What the model needs on N GPUs at maxModelLen, in bytes: weights + runtime overhead + KV cache for
 * the larger of one full-length sequence and MIN_CONCURRENT_SEQUENCES average ones. Overhead is
 * max(1 GiB per GPU, 10% of weights): the CUDA context, graphs and activations each GPU carries, in
 * line with the ~0.8 GiB measured for an 8B model (§2.3).
 */
export function requirement(mem: MemoryModel, count: number, maxModelLen: number): { weights: number; overhead: number; kv: number; total: number } {
  const average = Math.min(AVERAGE_SEQUENCE_TOKENS, maxModelLen);
  const kvTokens = Math.max(maxModelLen, MIN_CONCURRENT_SEQUENCES * average);
  const kv = kvTokens * mem.kvBytesPerToken * kvReplication(mem, count);
  const overhead = Math.max(GIB * count, 0.1 * mem.weightBytes) + mem.extraOverheadBytes;
  return { weights: mem.weightBytes, overhead, kv, total: mem.weightBytes + overhead + kv };
}

/** Whether the requirement fits within the engine's memory fraction of N GPUs, and how many average sequences the rest holds. */
export function fitOnPool(mem: MemoryModel, pool: GpuPool, count: number, maxModelLen: number, memoryFraction: number): Fit {
  const need = requirement(mem, count, maxModelLen);
  const available = count * pool.memoryGb * GIB * memoryFraction;
  const perSequence = Math.min(AVERAGE_SEQUENCE_TOKENS, maxModelLen) * mem.kvBytesPerToken * kvReplication(mem, count);
  const free = available - need.weights - need.overhead;
  const concurrency = perSequence > 0 ? Math.min(MAX_NUM_SEQS, Math.max(0, Math.floor(free / perSequence))) : MAX_NUM_SEQS;
  return {
    weightsGb: need.weights / GIB,
    kvCacheGb: need.kv / GIB,
    overheadGb: need.overhead / GIB,
    totalGb: need.total / GIB,
    availableGb: available / GIB,
    concurrency,
    fits: need.total <= available,
  };
}

/**
 * Non-expert share of an MoE's weights (attention, embeddings, router, shared experts). Measured from
 * public configs: Qwen3-30B-A3B ≈ 0.05, Mixtral ≈ 0.04, gpt-oss-20b ≈ 0.05, DeepSeek-V3 ≈ 0.03.
 */
const MOE_SHARED_FRACTION = 0.05;

/**
 * Fraction of the weights one decoding step reads for a batch of B tokens. Dense models read all.
 * An MoE reads its shared part plus the experts any token routed to: with k of E experts per token the
 * chance an expert stays idle for all B tokens is (1 - k/E)^B, so batching erodes MoE's advantage.
 */
export function activeWeightFraction(moe: ModelFacts["moe"], batch: number): number {
  if (!moe) return 1;
  const touched = 1 - (1 - moe.activeExperts / moe.experts) ** Math.max(1, batch);
  return MOE_SHARED_FRACTION + (1 - MOE_SHARED_FRACTION) * touched;
}

/**
 * Share of the bandwidth a decode step achieves: ~75% on one GPU (vLLM with CUDA graphs), less as
 * tensor parallelism adds an all-reduce per layer.
 */
const DECODE_EFFICIENCY = 0.75;
const TP_EFFICIENCY: Record<number, number> = { 1: 1, 2: 0.9, 4: 0.8, 8: 0.7 };
/**
 * A decode step never takes less than ~4 ms (kernel launches, sampling, scheduling) plus ~0.1 ms per
 * running sequence (attention kernels, detokenising, streaming), so tiny models on fast GPUs don't
 * get credited with memory-bound speeds they never reach: ≤ ~240 tokens/s per sequence.
 */
const STEP_FLOOR_SECONDS = 0.004;
const STEP_SECONDS_PER_SEQUENCE = 0.0001;
/** Model FLOPs utilisation for compute-bound work (prefill, big batches); 40% is typical for vLLM. */
const MFU = 0.4;
/** Prefill runs about ten times faster than decode (the convention workers/catalog/prices.ts prices with). */
const PREFILL_OVER_DECODE = 10;
/** SGLang is assumed ~10% above vLLM on decode throughput (published comparisons vary by model and version). */
const ENGINE_SPEEDUP = { vllm: 1, sglang: 1.1 } as const;

export interface Throughput {
  /** One sequence on its own. */
  perSequenceTokensPerSecond: number;
  /** Aggregate decode under batching, per worker. */
  outputTokensPerSecond: number;
  /** Aggregate prefill (or embedding) tokens per second, per worker. */
  inputTokensPerSecond: number;
  /** Sequences the estimate assumes are decoding together. */
  batch: number;
}

/**
 * Decode is bound by memory bandwidth: each step streams the active weights plus every running
 * sequence's KV cache (half the average length, on average), and yields one token per sequence. A step
 * also takes at least the fixed floor, and no less than its FLOPs (2 per active parameter per token)
 * at MFU. Prefill is ten times decode, capped by compute.
 */
export function throughput(
  mem: MemoryModel,
  facts: ModelFacts,
  pool: GpuPool,
  count: number,
  concurrency: number,
  maxModelLen: number,
  engine: keyof typeof ENGINE_SPEEDUP,
): Throughput {
  const bandwidth = pool.bandwidthGBs * 1e9 * count * DECODE_EFFICIENCY * (TP_EFFICIENCY[count] ?? 0.7);
  const flops = count * pool.fp16Tflops * 1e12 * MFU;
  const kvPerSequence = (Math.min(AVERAGE_SEQUENCE_TOKENS, maxModelLen) / 2) * mem.kvBytesPerToken * kvReplication(mem, count);
  const activeParameters = (facts.parameters ?? mem.weightBytes / 2) * activeWeightFraction(facts.moe, 1);
  const stepSeconds = (b: number) =>
    Math.max(
      STEP_FLOOR_SECONDS + b * STEP_SECONDS_PER_SEQUENCE,
      (mem.weightBytes * activeWeightFraction(facts.moe, b) + b * kvPerSequence) / bandwidth,
      (2 * activeParameters * b) / flops,
    );
  const batch = Math.max(1, Math.min(concurrency, MAX_EFFECTIVE_BATCH));
  const speedup = ENGINE_SPEEDUP[engine];
  const decode = (batch / stepSeconds(batch)) * speedup;
  const prefillCompute = (flops / (2 * activeParameters)) * speedup;
  return {
    perSequenceTokensPerSecond: Math.round(speedup / stepSeconds(1)),
    outputTokensPerSecond: Math.round(decode),
    inputTokensPerSecond: Math.round(Math.min(decode * PREFILL_OVER_DECODE, prefillCompute)),
    batch,
  };
}

/**
 * A serverless worker downloads the weights from the Hub on every cold start (FlashBoot aside). The
 * rate is an assumption (~0.4 GB/s sustained, UNVERIFIED; datacentre links vary), plus ~30 s to pull
 * the worker image and start the engine.
 */
export const DOWNLOAD_BYTES_PER_SECOND = 0.4e9;
export function coldStartSeconds(checkpointBytes: number): number {
  return Math.round(30 + checkpointBytes / DOWNLOAD_BYTES_PER_SECOND);
}
