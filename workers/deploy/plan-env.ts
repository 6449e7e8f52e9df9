import { ENCODER_ONLY, ENGINE_LABEL, NEEDS_REMOTE_CODE, quantizationFlag, TOOL_PARSER, toolFamily, type Engine, type ModelKind } from "./engines";
import type { ModelFacts } from "./model-facts";

/**
 * The worker environment for a plan (reference §1.7 for vLLM, §1.8 for SGLang). Only settings the
 * plan decided are written; everything else keeps the worker's defaults. HF_TOKEN is never written
 * here: it is a secret, and the deploy step adds it from the organisation's vault.
 */

export interface EnvInput {
  facts: ModelFacts;
  kind: ModelKind;
  engine: Engine;
  gpuCount: number;
  maxModelLen: number;
  memoryFraction: number;
  /** Requests the KV cache holds at once; caps the worker's in-flight jobs. */
  concurrency: number;
  coldStartSeconds: number;
}

export interface EnvResult {
  env: Record<string, string>;
  reasons: string[];
  warnings: string[];
}

/** vLLM's worker waits this long (VLLM_STARTUP_TIMEOUT default) for the engine, download included. */
const DEFAULT_STARTUP_TIMEOUT = 1200;

export function buildEnv(input: EnvInput): EnvResult {
  const { facts, kind, engine, gpuCount, maxModelLen, memoryFraction } = input;
  const env: Record<string, string> = { MODEL_NAME: facts.id };
  const reasons: string[] = [];
  const warnings: string[] = [];
  const vllm = engine === "vllm";

  if (kind === "embedding") {
    // The pooling runner serves /v1/embeddings; `convert embed` turns decoder LLM embedders
    // (Qwen3-Embedding, e5-mistral) into embedders instead of generators. Both are plain vLLM serve
    // flags, which the worker maps from upper-cased env names.
    env.RUNNER = "pooling";
    env.CONVERT = "embed";
    reasons.push("Embedding model: vLLM's pooling runner (RUNNER=pooling, CONVERT=embed) serves it on /v1/embeddings.");
    // Let the engine derive the window itself unless memory forced it lower: it knows each family's
    // position quirks (RoBERTa's offset) better than a number copied from config.json.
    if (facts.contextLength === undefined || maxModelLen < facts.contextLength) env.MAX_MODEL_LEN = String(maxModelLen);
  } else if (vllm) {
    env.MAX_MODEL_LEN = String(maxModelLen);
  } else {
    env.CONTEXT_LENGTH = String(maxModelLen);
  }

  if (vllm) env.GPU_MEMORY_UTILIZATION = String(memoryFraction);
  else env.MEM_FRACTION_STATIC = String(memoryFraction);
  env.TENSOR_PARALLEL_SIZE = String(gpuCount);

  quantizationEnv(facts, engine, env, reasons, warnings);
  dtypeEnv(facts, kind, env, reasons);

  if (facts.customCode || (facts.architecture !== undefined && NEEDS_REMOTE_CODE.has(facts.architecture))) {
    env.TRUST_REMOTE_CODE = "true";
    warnings.push(`${facts.architecture ?? facts.id} loads Python code from the model repository (TRUST_REMOTE_CODE=true); only deploy repos you trust.`);
  }

  if (kind === "chat") {
    const family = toolFamily(facts.id, facts.architecture);
    if (family) {
      const parser = TOOL_PARSER[engine][family];
      // SGLang turns tool calling on with the parser alone; vLLM also needs auto tool choice.
      if (vllm) env.ENABLE_AUTO_TOOL_CHOICE = "true";
      env.TOOL_CALL_PARSER = parser;
      reasons.push(`Tool calling on, with ${ENGINE_LABEL[engine]}'s ${parser} parser for the ${family} family's tool-call format.`);
    }
    if (vllm) {
      // The worker's wrapper takes 30 jobs by default; matching it to what the KV cache holds makes
      // bursts wait in RunPod's queue (which scales out) instead of inside one saturated worker.
      const jobs = Math.max(4, Math.min(64, input.concurrency));
      env.MAX_CONCURRENCY = String(jobs);
      reasons.push(`MAX_CONCURRENCY=${jobs}: about as many 4k-token requests as the KV cache holds at once; more wait in RunPod's queue and trigger scale-out.`);
    }
  }

  if (vllm && input.coldStartSeconds * 1.5 > DEFAULT_STARTUP_TIMEOUT) {
    const timeout = Math.min(3600, Math.ceil((input.coldStartSeconds * 1.5) / 60) * 60);
    env.VLLM_STARTUP_TIMEOUT = String(timeout);
    reasons.push(`VLLM_STARTUP_TIMEOUT=${timeout}: downloading and loading the weights takes ~${Math.round(input.coldStartSeconds / 60)} min, longer than the worker's default 20-minute wait allows with margin.`);
  }
  return { env, reasons, warnings };
}

function quantizationEnv(facts: ModelFacts, engine: Engine, env: Record<string, string>, reasons: string[], warnings: string[]): void {
  const method = facts.quantization;
  if (!method) return;
  if (facts.quantizationSource !== "config") {
    // A name or tag is a hint, not a format: forcing a quantization the checkpoint doesn't declare makes the engine fail to load it.
    warnings.push(`"${method}" quantization is only suggested by the repo's ${facts.quantizationSource}; config.json declares none, so the engine loads the weights as they are.`);
    return;
  }
  const flag = quantizationFlag(method);
  const bits = facts.quantBits ? `${facts.quantBits}-bit ` : "";
  if (!flag) {
    warnings.push(`config.json declares "${method}" quantization, which the planner doesn't map; ${ENGINE_LABEL[engine]} must recognise it from the config on its own.`);
    return;
  }
  env.QUANTIZATION = flag;
  reasons.push(`${bits}${method.toUpperCase()} weights (declared in config.json), served with QUANTIZATION=${flag}.`);
}

function dtypeEnv(facts: ModelFacts, kind: ModelKind, env: Record<string, string>, reasons: string[]): void {
  if (facts.dtype !== "F32" || facts.quantization) return;
  // Pin what "auto" would pick for an FP32 checkpoint so the memory estimate (16-bit) holds. Embedders
  // keep fp16's finer mantissa (vLLM's own choice); decoders take bf16's range to avoid fp16 overflow.
  const encoder = facts.architecture !== undefined && ENCODER_ONLY.has(facts.architecture);
  env.DTYPE = kind === "embedding" && encoder ? "float16" : "bfloat16";
  reasons.push(`The checkpoint is FP32; DTYPE=${env.DTYPE} serves it at half the memory.`);
}
