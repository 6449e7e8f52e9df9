import { describe, expect, it } from "vitest";
import { findPool, GPU_POOLS } from "../../../workers/deploy/gpu-pools";
import { planDeployment, type DeploymentPlan, type PlanOptions, type PlanResult } from "../../../workers/deploy/planner";
import { sampleFacts } from "./sample-facts";

const withToken: PlanOptions = { hfTokenAvailable: true };
const noToken: PlanOptions = { hfTokenAvailable: false };

function planOf(result: PlanResult): DeploymentPlan {
  if (!result.ok) throw new Error(`expected a plan, got ${result.code}: ${result.reason}`);
  return result.plan;
}

type Row =
  | { id: string; options?: PlanOptions; kind: "chat" | "embedding"; engine: "vllm" | "sglang"; pool: string; count: number; maxModelLen: number; why?: string }
  | { id: string; options?: PlanOptions; code: string; reason: RegExp[]; why?: string };

/**
 * Real model shapes from the shipped Hub sample, 0.5B to 235B, dense/MoE/quantized/VLM/embedding,
 * with the decision the planner must make for each. Arithmetic for the close calls is in `why`.
 */
const TABLE: Row[] = [
  { id: "Qwen/Qwen2.5-0.5B-Instruct", kind: "chat", engine: "vllm", pool: "AMPERE_16", count: 1, maxModelLen: 32_768 },
  {
    id: "Qwen/Qwen2.5-7B-Instruct", kind: "chat", engine: "vllm", pool: "AMPERE_24", count: 1, maxModelLen: 32_768,
    why: "14.2 GiB weights + 1.4 overhead + 1.75 KV = 17.4 GiB > 14.4 usable on 16 GB; AMPERE_24 is the cheapest 24 GB pool",
  },
  {
    id: "meta-llama/Llama-3.1-8B-Instruct", kind: "chat", engine: "vllm", pool: "AMPERE_24", count: 1, maxModelLen: 32_768,
    why: "14.96 + 1.5 + 4.0 (131,072 B × 32,768) = 20.5 GiB ≤ 21.6",
  },
  { id: "meta-llama/Llama-3.1-8B-Instruct", options: noToken, code: "gated_needs_token", reason: [/gated/, /authors approve/, /token/] },
  { id: "Qwen/Qwen3-30B-A3B", kind: "chat", engine: "vllm", pool: "AMPERE_48", count: 2, maxModelLen: 32_768, why: "65.6 GiB: 2 × 48 GB ($0.00068/s) undercuts 1 × A100 ($0.00076/s)" },
  { id: "mistralai/Mixtral-8x7B-Instruct-v0.1", kind: "chat", engine: "vllm", pool: "AMPERE_48", count: 4, maxModelLen: 32_768 },
  { id: "mistralai/Mixtral-8x7B-Instruct-v0.1", options: noToken, code: "gated_needs_token", reason: [/accepting its terms/] },
  { id: "meta-llama/Llama-3.3-70B-Instruct", kind: "chat", engine: "vllm", pool: "AMPERE_48", count: 4, maxModelLen: 32_768, why: "154.6 GiB > 144 on 2 × A100; 4 × 48 GB holds 172.8" },
  { id: "Qwen/Qwen2.5-7B-Instruct-AWQ", kind: "chat", engine: "vllm", pool: "AMPERE_16", count: 1, maxModelLen: 32_768, why: "4-bit weights are 5.6 GB, so the 16 GB pool fits" },
  { id: "Qwen/Qwen2.5-72B-Instruct-AWQ", kind: "chat", engine: "vllm", pool: "AMPERE_48", count: 2, maxModelLen: 32_768 },
  { id: "openai/gpt-oss-20b", kind: "chat", engine: "vllm", pool: "AMPERE_24", count: 1, maxModelLen: 32_768 },
  { id: "openai/gpt-oss-120b", kind: "chat", engine: "vllm", pool: "AMPERE_48", count: 2, maxModelLen: 32_768 },
  { id: "Qwen/Qwen3-235B-A22B", kind: "chat", engine: "vllm", pool: "AMPERE_80", count: 8, maxModelLen: 32_768, why: "470 GB checkpoint, under the 500 GB serverless ceiling" },
  { id: "deepseek-ai/DeepSeek-R1", code: "too_large", reason: [/689 GB/, /cold start/, /500 GB/, /8 × H200/] },
  { id: "moonshotai/Kimi-K2-Instruct", code: "too_large", reason: [/1,033 GB/] },
  { id: "Qwen/Qwen2.5-VL-7B-Instruct", kind: "chat", engine: "vllm", pool: "AMPERE_24", count: 1, maxModelLen: 32_768 },
  { id: "google/gemma-3-27b-it", kind: "chat", engine: "vllm", pool: "AMPERE_48", count: 2, maxModelLen: 32_768 },
  { id: "llava-hf/llava-1.5-7b-hf", kind: "chat", engine: "vllm", pool: "AMPERE_48", count: 1, maxModelLen: 4096, why: "full multi-head KV (512 KiB/token) for 8 × 4k sequences needs 16 GiB" },
  { id: "sentence-transformers/all-MiniLM-L6-v2", kind: "embedding", engine: "vllm", pool: "AMPERE_16", count: 1, maxModelLen: 512 },
  { id: "BAAI/bge-m3", kind: "embedding", engine: "vllm", pool: "AMPERE_16", count: 1, maxModelLen: 8192 },
  { id: "Qwen/Qwen3-Embedding-8B", kind: "embedding", engine: "vllm", pool: "AMPERE_24", count: 1, maxModelLen: 32_768 },
  { id: "stabilityai/stable-diffusion-xl-base-1.0", code: "not_text_model", reason: [/text-to-image/, /chat/, /embedding/] },
  { id: "openai/whisper-large-v3", code: "not_text_model", reason: [/automatic-speech-recognition/] },
  { id: "cross-encoder/ms-marco-MiniLM-L6-v2", code: "not_text_model", reason: [/reranker/] },
  { id: "google/flan-t5-base", code: "unsupported_architecture", reason: [/T5ForConditionalGeneration/] },
  { id: "meta-llama/Llama-3.2-11B-Vision-Instruct", code: "unsupported_architecture", reason: [/MllamaForConditionalGeneration/] },
  { id: "sentence-transformers/all-mpnet-base-v2", code: "unsupported_architecture", reason: [/MPNetModel/, /embeddings/] },
  { id: "unsloth/Qwen3-30B-A3B-GGUF", code: "unsupported_architecture", reason: [/GGUF/, /Qwen\/Qwen3-30B-A3B\b/] },
  { id: "Qwen/Qwen2.5-7B-Instruct", options: { hfTokenAvailable: true, engine: "sglang" }, kind: "chat", engine: "sglang", pool: "AMPERE_24", count: 1, maxModelLen: 32_768 },
  { id: "sentence-transformers/all-MiniLM-L6-v2", options: { hfTokenAvailable: true, engine: "sglang" }, code: "unsupported_architecture", reason: [/SGLang doesn't serve BertModel/, /vLLM does/] },
  { id: "microsoft/Phi-3.5-vision-instruct", options: { hfTokenAvailable: true, engine: "sglang" }, code: "unsupported_architecture", reason: [/Phi3VForCausalLM/, /engine "vllm"/] },
];

describe("planDeployment over real model shapes", () => {
  it.each(TABLE.map((row) => [`${row.id}${row.options ? ` ${JSON.stringify(row.options)}` : ""}`, row] as const))("%s", (_, row) => {
    const result = planDeployment(sampleFacts(row.id), row.options ?? withToken);
    if ("code" in row) {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.code).toBe(row.code);
      for (const re of row.reason) expect(result.reason).toMatch(re);
      return;
    }
    const plan = planOf(result);
    expect({ kind: plan.kind, engine: plan.engine, pool: plan.gpu.pool, count: plan.gpu.count, maxModelLen: plan.vram.maxModelLen }).toEqual({
      kind: row.kind, engine: row.engine, pool: row.pool, count: row.count, maxModelLen: row.maxModelLen,
    });
    // Invariants every plan keeps.
    expect(plan.vram.totalGb).toBeLessThanOrEqual(plan.vram.availableGb);
    expect(plan.env.MODEL_NAME).toBe(row.id);
    expect(plan.servedModel).toBe(row.id);
    expect(plan.env).not.toHaveProperty("HF_TOKEN");
    expect(plan.env.TENSOR_PARALLEL_SIZE).toBe(String(plan.gpu.count));
    expect(plan.image).toBe(plan.engine === "vllm" ? "runpod/worker-v1-vllm:v2.25.2" : "runpod/worker-sglang:2.0.1");
    expect(plan.gpu.usdPerSecond).toBe(findPool(plan.gpu.pool)!.usdPerSecond);
    expect(plan.containerDiskGb).toBeGreaterThanOrEqual(30);
    expect(plan.throughput.inputTokensPerSecond).toBeGreaterThan(0);
    expect(plan.reasons.length).toBeGreaterThan(2);
    if (plan.kind === "chat") {
      expect(plan.env[plan.engine === "vllm" ? "MAX_MODEL_LEN" : "CONTEXT_LENGTH"]).toBe(String(plan.vram.maxModelLen));
      expect(plan.throughput.outputTokensPerSecond).toBeGreaterThan(0);
    }
  });
});

describe("plan details", () => {
  it("picks the cheapest fitting worker by $/s: no cheaper pool × count holds the model", () => {
    for (const id of ["Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen3-30B-A3B", "meta-llama/Llama-3.3-70B-Instruct", "openai/gpt-oss-120b"]) {
      const plan = planOf(planDeployment(sampleFacts(id), withToken));
      const cost = plan.gpu.usdPerSecond * plan.gpu.count;
      for (const pool of GPU_POOLS) {
        for (const count of [1, 2, 4, 8].filter((n) => n <= pool.maxGpusPerWorker && pool.usdPerSecond * n < cost - 1e-12)) {
          const cheaper = planDeployment(sampleFacts(id), { hfTokenAvailable: true, gpu: pool.id, gpuCount: count });
          expect(cheaper.ok, `${id} on ${count} × ${pool.id} is cheaper and should not fit`).toBe(false);
        }
      }
    }
  });

  it("sizes Llama-3.1-8B's KV cache at 131,072 bytes per token (reference §2.3)", () => {
    const plan = planOf(planDeployment(sampleFacts("meta-llama/Llama-3.1-8B-Instruct"), withToken));
    // 32,768 tokens × 131,072 B = exactly 4 GiB; weights 16.06 GB = 14.96 GiB.
    expect(plan.vram.kvCacheGb).toBe(4);
    expect(plan.vram.weightsGb).toBeCloseTo(14.96, 2);
    expect(plan.vram.overheadGb).toBeCloseTo(1.5, 1);
    expect(plan.vram.availableGb).toBeCloseTo(24 * 0.9, 5);
    expect(plan.reasons.join(" ")).toMatch(/128 KiB per token/);
    expect(plan.needsHfToken).toBe(true);
  });

  it("lowers the context stepwise before moving to a bigger GPU, and says what full context costs", () => {
    const plan = planOf(planDeployment(sampleFacts("meta-llama/Llama-3.1-8B-Instruct"), { hfTokenAvailable: true, maxModelLen: 131_072 }));
    expect(plan.gpu.pool).toBe("AMPERE_24");
    expect(plan.vram.maxModelLen).toBe(32_768); // 131,072 needs 16 GiB of KV; 65,536 needs 8; 32,768 fits.
    expect(plan.env.MAX_MODEL_LEN).toBe("32768");
    expect(plan.warnings.join(" ")).toMatch(/Context reduced from 131,072 to 32,768 tokens/);
    expect(plan.warnings.join(" ")).toMatch(/131,072 fits on 1 × A6000/);
  });

  it("never lowers the context below 4,096 to squeeze onto a GPU", () => {
    // On AMPERE_16 even 4,096 tokens doesn't fit Llama-8B's 15 GiB of weights.
    const r = planDeployment(sampleFacts("meta-llama/Llama-3.1-8B-Instruct"), { hfTokenAvailable: true, gpu: "AMPERE_16", gpuCount: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe("too_large");
    expect(r.reason).toMatch(/even at 4,096 tokens/);
  });

  it("caps the context at 32,768 by default and honours a smaller ask", () => {
    const big = planOf(planDeployment(sampleFacts("meta-llama/Llama-3.3-70B-Instruct"), withToken));
    expect(big.vram.maxModelLen).toBe(32_768);
    expect(big.reasons.join(" ")).toMatch(/supports 131,072/);
    const small = planOf(planDeployment(sampleFacts("Qwen/Qwen2.5-7B-Instruct"), { hfTokenAvailable: true, maxModelLen: 8192 }));
    expect(small.vram.maxModelLen).toBe(8192);
    const over = planOf(planDeployment(sampleFacts("Qwen/Qwen2.5-7B-Instruct"), { hfTokenAvailable: true, maxModelLen: 200_000 }));
    expect(over.vram.maxModelLen).toBe(32_768);
    expect(over.warnings.join(" ")).toMatch(/asked for 200,000 tokens.*supports 32,768/);
  });

  it("writes engine-specific env: tool parsers per family, quantization kernels, embedding runner", () => {
    const env = (id: string, options: PlanOptions = withToken) => planOf(planDeployment(sampleFacts(id), options)).env;
    expect(env("Qwen/Qwen2.5-7B-Instruct")).toMatchObject({ ENABLE_AUTO_TOOL_CHOICE: "true", TOOL_CALL_PARSER: "hermes", GPU_MEMORY_UTILIZATION: "0.9" });
    expect(env("meta-llama/Llama-3.3-70B-Instruct")).toMatchObject({ TOOL_CALL_PARSER: "llama3_json", TENSOR_PARALLEL_SIZE: "4" });
    expect(env("mistralai/Mixtral-8x7B-Instruct-v0.1")).toMatchObject({ TOOL_CALL_PARSER: "mistral" });
    expect(env("openai/gpt-oss-20b")).toMatchObject({ QUANTIZATION: "mxfp4", TOOL_CALL_PARSER: "openai" });
    expect(env("Qwen/Qwen2.5-7B-Instruct-AWQ")).toMatchObject({ QUANTIZATION: "awq_marlin" });
    // A distill keeps Qwen2's architecture but not its tool-call template.
    expect(env("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B")).not.toHaveProperty("TOOL_CALL_PARSER");
    const sglang = env("Qwen/Qwen2.5-7B-Instruct", { hfTokenAvailable: true, engine: "sglang" });
    expect(sglang).toMatchObject({ CONTEXT_LENGTH: "32768", MEM_FRACTION_STATIC: "0.85", TOOL_CALL_PARSER: "qwen25" });
    expect(sglang).not.toHaveProperty("MAX_MODEL_LEN");
    expect(sglang).not.toHaveProperty("ENABLE_AUTO_TOOL_CHOICE");
    const embed = env("sentence-transformers/all-MiniLM-L6-v2");
    expect(embed).toMatchObject({ RUNNER: "pooling", CONVERT: "embed", DTYPE: "float16" });
    expect(embed).not.toHaveProperty("TOOL_CALL_PARSER");
    expect(embed).not.toHaveProperty("MAX_MODEL_LEN"); // the engine derives 512 itself
    expect(env("nomic-ai/nomic-embed-text-v1.5")).toMatchObject({ TRUST_REMOTE_CODE: "true" });
  });

  it("serves FP32 checkpoints at 16-bit and counts them that way", () => {
    const plan = planOf(planDeployment(sampleFacts("BAAI/bge-m3"), withToken));
    // 567,754,752 F32 parameters: 2.27 GB on disk, 1.06 GiB served.
    expect(plan.vram.weightsGb).toBeCloseTo((567_754_752 * 2) / 1024 ** 3, 2);
    expect(plan.vram.kvCacheGb).toBe(0);
    expect(plan.throughput.outputTokensPerSecond).toBe(0);
  });

  it("gives big models longer idle timeouts, bigger disks and a longer startup window", () => {
    const small = planOf(planDeployment(sampleFacts("Qwen/Qwen2.5-0.5B-Instruct"), withToken));
    const large = planOf(planDeployment(sampleFacts("meta-llama/Llama-3.3-70B-Instruct"), withToken));
    const huge = planOf(planDeployment(sampleFacts("Qwen/Qwen3-235B-A22B"), withToken));
    expect(small.scaling).toEqual({ workersMin: 0, workersMax: 2, idleTimeoutSeconds: 60, scaler: "QUEUE_DELAY", scalerValue: 4, flashboot: true });
    expect(large.scaling.idleTimeoutSeconds).toBeGreaterThan(300);
    expect(huge.scaling.idleTimeoutSeconds).toBe(600);
    expect(small.containerDiskGb).toBe(30);
    expect(large.containerDiskGb).toBe(Math.ceil(141.107 * 1.2 + 20));
    expect(huge.env.VLLM_STARTUP_TIMEOUT).toBeDefined();
    expect(Number(huge.env.VLLM_STARTUP_TIMEOUT)).toBeGreaterThan(1200);
    expect(small.env).not.toHaveProperty("VLLM_STARTUP_TIMEOUT");
  });

  it("estimates plausible throughput: a 7B BF16 model on a 24 GB pool does hundreds of tokens/s", () => {
    const l4 = planOf(planDeployment(sampleFacts("Qwen/Qwen2.5-7B-Instruct"), withToken));
    const r4090 = planOf(planDeployment(sampleFacts("Qwen/Qwen2.5-7B-Instruct"), { hfTokenAvailable: true, gpu: "ADA_24" }));
    for (const p of [l4, r4090]) {
      expect(p.throughput.outputTokensPerSecond).toBeGreaterThan(100);
      expect(p.throughput.outputTokensPerSecond).toBeLessThan(1500);
      expect(p.throughput.inputTokensPerSecond).toBeGreaterThan(p.throughput.outputTokensPerSecond);
    }
    // Same model, 3.4× the bandwidth.
    expect(r4090.throughput.outputTokensPerSecond).toBeGreaterThan(l4.throughput.outputTokensPerSecond * 2.5);
    const sglang = planOf(planDeployment(sampleFacts("Qwen/Qwen2.5-7B-Instruct"), { hfTokenAvailable: true, engine: "sglang" }));
    expect(sglang.throughput.perSequenceTokensPerSecond).toBeGreaterThan(l4.throughput.perSequenceTokensPerSecond);
  });

  it("credits an MoE for reading only its active experts per token", () => {
    const moe = planOf(planDeployment(sampleFacts("Qwen/Qwen3-30B-A3B"), { hfTokenAvailable: true, gpu: "AMPERE_80" }));
    const dense = planOf(planDeployment(sampleFacts("Qwen/Qwen2.5-32B-Instruct"), { hfTokenAvailable: true, gpu: "AMPERE_80" }));
    expect(moe.activeParameters).toBeLessThan(moe.parameters / 5);
    expect(dense.activeParameters).toBe(dense.parameters);
    expect(moe.throughput.perSequenceTokensPerSecond).toBeGreaterThan(dense.throughput.perSequenceTokensPerSecond * 3);
  });

  it("refuses a model the Hub gives no size for", () => {
    const facts = { ...sampleFacts("Qwen/Qwen2.5-7B-Instruct"), parameters: undefined, weightBytes: undefined, parametersByDtype: {} };
    const r = planDeployment(facts, withToken);
    expect(r).toMatchObject({ ok: false, code: "unknown_size" });
    if (!r.ok) expect(r.reason).toMatch(/no safetensors weights/);
  });

  it("sizes the KV cache conservatively when the config lacks attention dimensions, and says so", () => {
    const exact = sampleFacts("Qwen/Qwen2.5-7B-Instruct");
    const vague = { ...exact, layers: undefined, kvHeads: undefined, headDim: undefined, hiddenSize: undefined };
    const plan = planOf(planDeployment(vague, withToken));
    const exactPlan = planOf(planDeployment(exact, withToken));
    expect(plan.vram.kvCacheGb).toBeGreaterThan(exactPlan.vram.kvCacheGb);
    expect(plan.warnings.join(" ")).toMatch(/sized conservatively/);
  });

  it("refuses models too large for the largest worker when the big pools are unavailable", () => {
    const small = GPU_POOLS.filter((p) => p.memoryGb <= 48);
    const r = planDeployment(sampleFacts("Qwen/Qwen3-235B-A22B"), withToken, small);
    expect(r).toMatchObject({ ok: false, code: "too_large" });
    if (!r.ok) expect(r.reason).toMatch(/more than the largest worker, 8 × (A6000|L40)/);
  });

  it("respects the pools it is given (e.g. live prices from the RunPod catalog)", () => {
    const pricier = GPU_POOLS.map((p) => (p.id === "AMPERE_24" ? { ...p, usdPerSecond: 0.001 } : p));
    const plan = planOf(planDeployment(sampleFacts("Qwen/Qwen2.5-7B-Instruct"), withToken, pricier));
    expect(plan.gpu.pool).toBe("ADA_24");
    expect(plan.gpu.usdPerSecond).toBe(0.00031);
  });
});

describe("context length without a stated window", () => {
  it("assumes 4,096 for chat models and 512 for embedders, and warns", () => {
    const chat = planOf(planDeployment({ ...sampleFacts("Qwen/Qwen2.5-7B-Instruct"), contextLength: undefined }, withToken));
    expect(chat.vram.maxModelLen).toBe(4096);
    expect(chat.env.MAX_MODEL_LEN).toBe("4096");
    expect(chat.warnings.join(" ")).toMatch(/states no context length; planning for 4,096 tokens/);
    const embed = planOf(planDeployment({ ...sampleFacts("BAAI/bge-m3"), contextLength: undefined }, withToken));
    expect(embed.vram.maxModelLen).toBe(512);
    expect(embed.env.MAX_MODEL_LEN).toBe("512"); // written, since the engine can't be trusted to derive it here
  });

  it("takes the user's word for it when they ask", () => {
    const plan = planOf(planDeployment({ ...sampleFacts("Qwen/Qwen2.5-7B-Instruct"), contextLength: undefined }, { hfTokenAvailable: true, maxModelLen: 16_384 }));
    expect(plan.vram.maxModelLen).toBe(16_384);
    expect(plan.warnings.join(" ")).toMatch(/16,384 tokens you asked for/);
  });
});

describe("engine choice", () => {
  it("falls back to SGLang when only SGLang runs the architecture and no engine was asked for", () => {
    const grokLike = { ...sampleFacts("Qwen/Qwen2.5-7B-Instruct"), architecture: "Grok1ForCausalLM" };
    const plan = planOf(planDeployment(grokLike, withToken));
    expect(plan.engine).toBe("sglang");
    expect(plan.reasons[0]).toMatch(/vLLM doesn't list Grok1ForCausalLM/);
    const asked = planDeployment(grokLike, { hfTokenAvailable: true, engine: "vllm" });
    expect(asked).toMatchObject({ ok: false, code: "unsupported_architecture" });
    if (!asked.ok) expect(asked.reason).toMatch(/SGLang does: deploy with engine "sglang"/);
  });

  it("plans an untagged causal LM as chat, and refuses an untagged anything-else", () => {
    const untagged = { ...sampleFacts("Qwen/Qwen2.5-7B-Instruct"), pipelineTag: undefined };
    expect(planOf(planDeployment(untagged, withToken)).kind).toBe("chat");
    const other = planDeployment({ ...sampleFacts("BAAI/bge-m3"), pipelineTag: undefined }, withToken);
    expect(other).toMatchObject({ ok: false, code: "not_text_model" });
  });
});
