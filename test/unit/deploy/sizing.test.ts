import { describe, expect, it } from "vitest";
import { findPool, GPU_POOLS } from "../../../workers/deploy/gpu-pools";
import {
  activeWeightFraction, coldStartSeconds, fitOnPool, GIB, kvBytesPerToken, requirement, servingWeightBytes, throughput, type MemoryModel,
} from "../../../workers/deploy/sizing";
import { sampleFacts } from "./sample-facts";

const pool = (id: string) => findPool(id)!;

function memoryOf(id: string, encoderOnly = false): MemoryModel {
  const facts = sampleFacts(id);
  const kv = kvBytesPerToken(facts, encoderOnly);
  return { weightBytes: servingWeightBytes(facts)!, kvBytesPerToken: kv.bytes, kvEstimated: kv.estimated, kvHeads: facts.kvHeads, extraOverheadBytes: 0 };
}

describe("KV cache per token (2 × layers × kv heads × head dim × 2 bytes)", () => {
  it.each([
    ["meta-llama/Llama-3.1-8B-Instruct", 131_072], // the reference's check value (kvplan)
    ["meta-llama/Llama-3.3-70B-Instruct", 2 * 80 * 8 * 128 * 2],
    ["Qwen/Qwen2.5-7B-Instruct", 2 * 28 * 4 * 128 * 2],
    ["Qwen/Qwen3-30B-A3B", 2 * 48 * 4 * 128 * 2],
    ["google/gemma-3-27b-it", 2 * 62 * 16 * 128 * 2],
    ["deepseek-ai/DeepSeek-R1", 61 * (512 + 64) * 2], // latent attention caches one 576-wide vector per layer
  ])("%s → %i bytes", (id, bytes) => {
    expect(kvBytesPerToken(sampleFacts(id), false)).toEqual({ bytes, estimated: false });
  });

  it("is zero for encoder-only embedders", () => {
    expect(kvBytesPerToken(sampleFacts("BAAI/bge-m3"), true)).toEqual({ bytes: 0, estimated: false });
  });

  it("falls back to a multi-head upper bound, then to the parameter count", () => {
    const llama = sampleFacts("meta-llama/Llama-3.1-8B-Instruct");
    const noKvHeads = kvBytesPerToken({ ...llama, kvHeads: undefined, headDim: undefined }, false);
    expect(noKvHeads).toEqual({ bytes: 2 * 32 * 4096 * 2, estimated: true });
    const nothing = kvBytesPerToken({ ...llama, layers: undefined, kvHeads: undefined, headDim: undefined, hiddenSize: undefined }, false);
    expect(nothing.estimated).toBe(true);
    // MHA-sized for an 8B model: several times the GQA truth, within 2× of the exact MHA figure above.
    expect(nothing.bytes).toBeGreaterThan(131_072 * 4);
    expect(nothing.bytes).toBeLessThan(noKvHeads.bytes * 2);
    expect(nothing.bytes).toBeGreaterThan(noKvHeads.bytes / 2);
  });
});

describe("serving weights", () => {
  it("halves FP32 checkpoints (served at 16-bit) but keeps packed and 16-bit ones as stored", () => {
    expect(servingWeightBytes(sampleFacts("sentence-transformers/all-MiniLM-L6-v2"))).toBe(22_713_216 * 2);
    expect(servingWeightBytes(sampleFacts("Qwen/Qwen2.5-7B-Instruct"))).toBe(7_615_616_512 * 2);
    const awq = sampleFacts("Qwen/Qwen2.5-7B-Instruct-AWQ");
    expect(servingWeightBytes(awq)).toBe(awq.weightBytes);
    // bnb keeps its F32 tensors: they are quantization state, not weights to cast.
    const bnb = sampleFacts("unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit");
    expect(servingWeightBytes(bnb)).toBe(bnb.weightBytes);
  });

  it("falls back to parameters × dtype bytes when the Hub lists no dtypes", () => {
    const f = { ...sampleFacts("Qwen/Qwen2.5-7B-Instruct"), parametersByDtype: {}, weightBytes: undefined };
    expect(servingWeightBytes(f)).toBe(7_615_616_512 * 2);
    expect(servingWeightBytes({ ...f, parameters: undefined })).toBeUndefined();
  });
});

describe("fitOnPool", () => {
  it("reproduces the reference arithmetic for Llama-3.1-8B on one 24 GB GPU", () => {
    const mem = memoryOf("meta-llama/Llama-3.1-8B-Instruct");
    const f = fitOnPool(mem, pool("AMPERE_24"), 1, 32_768, 0.9);
    expect(f.kvCacheGb).toBe(4); // 32,768 tokens × 131,072 B
    expect(f.weightsGb).toBeCloseTo(8_030_261_248 * 2 / GIB, 6);
    expect(f.overheadGb).toBeCloseTo(0.1 * f.weightsGb, 6); // 10% of weights beats the 1 GiB floor
    expect(f.totalGb).toBeCloseTo(f.weightsGb + f.overheadGb + 4, 6);
    expect(f.availableGb).toBeCloseTo(21.6, 6);
    expect(f.fits).toBe(true);
    // What's left (21.6 − 15 − 1.5 ≈ 5.1 GiB) holds ten 4k sequences at 0.5 GiB each.
    expect(f.concurrency).toBe(10);
    expect(fitOnPool(mem, pool("AMPERE_16"), 1, 4096, 0.9).fits).toBe(false);
  });

  it("reserves KV for eight average sequences even when the context is short", () => {
    const mem = memoryOf("meta-llama/Llama-3.1-8B-Instruct");
    expect(requirement(mem, 1, 4096).kv).toBe(8 * 4096 * 131_072);
    expect(requirement(mem, 1, 65_536).kv).toBe(65_536 * 131_072);
  });

  it("charges 1 GiB of runtime per GPU for small models and replicates KV heads past their count", () => {
    const mem = memoryOf("Qwen/Qwen2.5-0.5B-Instruct"); // 2 KV heads
    expect(requirement(mem, 1, 4096).overhead).toBe(GIB);
    expect(requirement(mem, 2, 4096).overhead).toBe(2 * GIB);
    expect(requirement(mem, 2, 4096).kv).toBe(requirement(mem, 1, 4096).kv);
    expect(requirement(mem, 8, 4096).kv).toBe(4 * requirement(mem, 1, 4096).kv);
  });
});

describe("throughput", () => {
  it("reads only the routed experts for one sequence and nearly all of them under a big batch", () => {
    const mixtral = sampleFacts("mistralai/Mixtral-8x7B-Instruct-v0.1").moe;
    expect(activeWeightFraction(undefined, 64)).toBe(1);
    expect(activeWeightFraction(mixtral, 1)).toBeCloseTo(0.05 + 0.95 * (2 / 8), 10);
    expect(activeWeightFraction(mixtral, 32)).toBeGreaterThan(0.99);
  });

  it("is memory-bound for a single sequence: bandwidth / bytes read per token", () => {
    const facts = sampleFacts("meta-llama/Llama-3.1-8B-Instruct");
    const mem = memoryOf("meta-llama/Llama-3.1-8B-Instruct");
    const t = throughput(mem, facts, pool("AMPERE_24"), 1, 10, 32_768, "vllm");
    // 300 GB/s × 75% over 16.06 GB of weights + 2,048 tokens × 128 KiB of KV ≈ 13.8 tokens/s.
    const expected = (300e9 * 0.75) / (mem.weightBytes + 2048 * 131_072);
    expect(t.perSequenceTokensPerSecond).toBe(Math.round(expected));
    expect(t.batch).toBe(10);
    expect(t.outputTokensPerSecond).toBeGreaterThan(t.perSequenceTokensPerSecond * 5);
    expect(t.outputTokensPerSecond).toBeLessThan(t.perSequenceTokensPerSecond * 10);
  });

  it("floors a decode step, so tiny models don't get thousands of tokens/s per sequence", () => {
    const facts = sampleFacts("Qwen/Qwen2.5-0.5B-Instruct");
    const t = throughput(memoryOf("Qwen/Qwen2.5-0.5B-Instruct"), facts, pool("BLACKWELL_180"), 1, 256, 32_768, "vllm");
    expect(t.perSequenceTokensPerSecond).toBeLessThanOrEqual(250);
    expect(t.batch).toBe(64);
  });

  it("caps prefill by compute and puts SGLang ~10% above vLLM", () => {
    const facts = sampleFacts("Qwen/Qwen2.5-7B-Instruct");
    const mem = memoryOf("Qwen/Qwen2.5-7B-Instruct");
    const v = throughput(mem, facts, pool("AMPERE_24"), 1, 27, 32_768, "vllm");
    const s = throughput(mem, facts, pool("AMPERE_24"), 1, 27, 32_768, "sglang");
    expect(s.outputTokensPerSecond / v.outputTokensPerSecond).toBeCloseTo(1.1, 2);
    // 71 TFLOPS × 40% / (2 × 7.6B) ≈ 1,865 tokens/s, below 10 × decode.
    expect(v.inputTokensPerSecond).toBe(Math.round((71e12 * 0.4) / (2 * 7_615_616_512)));
    expect(v.inputTokensPerSecond).toBeLessThan(v.outputTokensPerSecond * 10);
  });

  it("scales with the pool's bandwidth", () => {
    const facts = sampleFacts("Qwen/Qwen2.5-7B-Instruct");
    const mem = memoryOf("Qwen/Qwen2.5-7B-Instruct");
    const rates = GPU_POOLS.filter((p) => p.memoryGb >= 24).map((p) => throughput(mem, facts, p, 1, 1, 32_768, "vllm").perSequenceTokensPerSecond);
    expect(Math.max(...rates)).toBeGreaterThan(Math.min(...rates) * 5);
  });
});

describe("cold start", () => {
  it("is dominated by the download at the assumed 0.4 GB/s", () => {
    expect(coldStartSeconds(0)).toBe(30);
    expect(coldStartSeconds(16e9)).toBe(70);
    expect(coldStartSeconds(400e9)).toBe(1030);
  });
});
