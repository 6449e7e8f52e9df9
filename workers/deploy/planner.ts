import { ENCODER_ONLY, ENGINE_IMAGE, ENGINE_LABEL, supports, type Engine, type ModelKind } from "./engines";
import { usdPerMillionTokens } from "./estimate";
import { GPU_POOLS, type GpuPool } from "./gpu-pools";
import type { ModelFacts } from "./model-facts";
import { buildEnv } from "./plan-env";
import { checkOptions, resolveScaling, TP_SIZES, type PlanOptions, type Scaling } from "./plan-options";
import { cheapest, contextLadder, enumerate, fmt, gib, MIN_CONTEXT, perSecond, refuse, tooLarge, type Candidate } from "./plan-search";
import { activeWeightFraction, coldStartSeconds, GIB, kvBytesPerToken, servingWeightBytes, throughput, type MemoryModel } from "./sizing";

/**
 * The deploy planner: from a model's facts and the user's wishes to an engine, a GPU pool and count,
 * a context length, worker env and scaling, or a refusal that says why. Pure and deterministic, so the
 * PWA's estimate, the MCP tool and the deploy itself all see the same plan.
 */

export type { Engine, ModelKind } from "./engines";
export type { PlanOptions, Scaling } from "./plan-options";
export { MIN_CONTEXT } from "./plan-search";

export interface DeploymentPlan {
  model: string;
  kind: ModelKind;
  engine: Engine;
  image: string;
  /** Worker env. Never contains HF_TOKEN: the integrator adds it as a secret when `needsHfToken`. */
  env: Record<string, string>;
  /** The name the worker serves (the HF id). */
  servedModel: string;
  gpu: { pool: string; label: string; count: number; memoryGb: number; usdPerSecond: number };
  /** GiB. totalGb is what the plan needs, availableGb the engine's share of the worker's VRAM. */
  vram: { weightsGb: number; kvCacheGb: number; overheadGb: number; totalGb: number; availableGb: number; maxModelLen: number; concurrency: number };
  scaling: Scaling;
  containerDiskGb: number;
  /** Per worker, aggregate under batching. Embedding models produce no output tokens. */
  throughput: { outputTokensPerSecond: number; inputTokensPerSecond: number; perSequenceTokensPerSecond: number };
  reasons: string[];
  warnings: string[];
  /** Logical parameters, and those one token uses (MoE: shared weights plus its experts). */
  parameters: number;
  activeParameters: number;
  /** The model is gated: the endpoint needs HF_TOKEN to download it. */
  needsHfToken: boolean;
  /** Estimated seconds from a cold worker to serving (weights download dominates). */
  coldStartSeconds: number;
}

export type PlanRefusal = {
  ok: false;
  code: "not_text_model" | "unsupported_architecture" | "too_large" | "gated_needs_token" | "unknown_size" | "invalid_option";
  reason: string;
};
export type PlanResult = { ok: true; plan: DeploymentPlan } | PlanRefusal;

/** Plans don't reserve more context than this unless asked: KV cache is what makes a GPU expensive. */
export const DEFAULT_CONTEXT_CAP = 32_768;
/**
 * Fraction of VRAM the engine may take: vLLM's GPU_MEMORY_UTILIZATION default; SGLang's static fraction
 * excludes activations and CUDA graphs, so it needs more headroom.
 */
export const MEMORY_FRACTION: Record<Engine, number> = { vllm: 0.9, sglang: 0.85 };
/**
 * Checkpoints above this are refused for serverless even when 8 big GPUs could hold them: every cold
 * start would download them (~20+ minutes at the assumed rate) while 8 GPUs bill by the second. They
 * belong on dedicated capacity.
 */
export const MAX_SERVERLESS_CHECKPOINT_BYTES = 500e9;

const CHAT_PIPELINES = new Set(["text-generation", "text2text-generation", "image-text-to-text", "conversational"]);
const EMBEDDING_PIPELINES = new Set(["sentence-similarity", "feature-extraction"]);

const round2 = (n: number) => Math.round(n * 100) / 100;

export function planDeployment(facts: ModelFacts, options: PlanOptions, pools: readonly GpuPool[] = GPU_POOLS): PlanResult {
  const checked = checkOptions(options, pools);
  if (!checked.ok) return refuse("invalid_option", checked.reason);

  const kind = modelKind(facts);
  if (typeof kind !== "string") return kind;
  const engine = chooseEngine(facts, kind, options.engine);
  if ("ok" in engine) return engine;

  if (facts.gated && !options.hfTokenAvailable) {
    const how = facts.gated === "manual" ? "its authors approve each request" : "access is granted on accepting its terms";
    return refuse("gated_needs_token", `${facts.id} is gated on Hugging Face (${how}). Request access with your Hugging Face account, add a token that has it, then deploy.`);
  }

  const weightBytes = servingWeightBytes(facts);
  if (!weightBytes || !facts.parameters) {
    return refuse("unknown_size", `The Hub lists no safetensors weights for ${facts.id}, so its memory needs (and the GPU it needs) can't be worked out.`);
  }
  const checkpointBytes = facts.weightBytes ?? weightBytes;
  const encoderOnly = kind === "embedding" && facts.architecture !== undefined && ENCODER_ONLY.has(facts.architecture);
  const kv = kvBytesPerToken(facts, encoderOnly);
  const mem: MemoryModel = {
    weightBytes,
    kvBytesPerToken: kv.bytes,
    kvEstimated: kv.estimated,
    kvHeads: facts.kvHeads,
    extraOverheadBytes: facts.pipelineTag === "image-text-to-text" ? GIB : 0,
  };

  const context = targetContext(facts, kind, options.maxModelLen);
  const ladder = contextLadder(context.target);
  const fraction = MEMORY_FRACTION[engine.engine];

  if (checkpointBytes > MAX_SERVERLESS_CHECKPOINT_BYTES) {
    const best = cheapest(enumerate(mem, facts, pools, undefined, ladder, fraction));
    const where = best ? ` In VRAM alone it would need ${best.count} × ${best.pool.label}.` : "";
    return refuse("too_large", `${facts.id}'s checkpoint is ${fmt(Math.round(checkpointBytes / 1e9))} GB. A serverless worker downloads it on every cold start (~${Math.round(coldStartSeconds(checkpointBytes) / 60)} min) while its GPUs bill by the second, so checkpoints above ${MAX_SERVERLESS_CHECKPOINT_BYTES / 1e9} GB are not deployed serverless.${where}`);
  }

  const heads = facts.attentionHeads;
  if (options.gpuCount !== undefined && heads && heads % options.gpuCount !== 0) {
    const valid = TP_SIZES.filter((n) => heads % n === 0).join(", ");
    return refuse("invalid_option", `${options.gpuCount} GPUs can't split ${facts.id}'s ${heads} attention heads evenly; use ${valid}.`);
  }
  const userPool = checked.value.pool;
  const candidates = enumerate(mem, facts, userPool ? [userPool] : pools, options.gpuCount, ladder, fraction);
  const chosen = cheapest(candidates);
  if (!chosen) return tooLarge({ facts, mem, pools, userPool, askedCount: options.gpuCount, ladder, fraction });

  return { ok: true, plan: buildPlan({ facts, kind, engine, options, mem, chosen, candidates, context, fraction, checkpointBytes }) };
}

function modelKind(facts: ModelFacts): ModelKind | PlanRefusal {
  const tag = facts.pipelineTag;
  if (tag && CHAT_PIPELINES.has(tag)) return "chat";
  if (tag && EMBEDDING_PIPELINES.has(tag)) return "embedding";
  // Untagged repos still deploy when their config says they are causal language models.
  if (!tag && facts.architecture?.endsWith("ForCausalLM")) return "chat";
  if (tag === "text-ranking") {
    return refuse("not_text_model", `${facts.id} is a reranker (text-ranking); the platform deploys chat and embedding models, not rerankers.`);
  }
  const what = tag ? `tagged ${tag}, not a text model` : "not tagged as a text model";
  return refuse("not_text_model", `${facts.id} is ${what}. One-tap deploys run vLLM or SGLang, which serve chat (text generation, vision-language) and embedding models only.`);
}

function chooseEngine(facts: ModelFacts, kind: ModelKind, asked: Engine | undefined): { engine: Engine; reason: string } | PlanRefusal {
  const arch = facts.architecture;
  if (!arch) {
    if (facts.weightFormat === "gguf") {
      const base = facts.baseModel ? ` Deploy the original safetensors model (${facts.baseModel}) instead.` : "";
      return refuse("unsupported_architecture", `${facts.id} ships only GGUF files (the llama.cpp format); vLLM and SGLang serve safetensors checkpoints.${base}`);
    }
    return refuse("unsupported_architecture", `${facts.id} has no config.json architecture, so no engine can be matched to it.`);
  }
  const what = kind === "embedding" ? "embeddings" : "chat";
  const other: Engine = asked === "sglang" ? "vllm" : "sglang";
  if (asked) {
    if (supports(asked, kind, arch)) return { engine: asked, reason: `${ENGINE_LABEL[asked]}, as requested; it runs ${arch}.` };
    const hint = supports(other, kind, arch) ? ` ${ENGINE_LABEL[other]} does: deploy with engine "${other}".` : "";
    return refuse("unsupported_architecture", `${ENGINE_LABEL[asked]} doesn't serve ${arch} for ${what}.${hint}`);
  }
  if (supports("vllm", kind, arch)) return { engine: "vllm", reason: `vLLM, the default engine: the widest architecture support, and it runs ${arch}.` };
  if (supports("sglang", kind, arch)) return { engine: "sglang", reason: `SGLang: vLLM doesn't list ${arch}, SGLang runs it.` };
  const note = kind === "embedding" ? " for embeddings (vLLM pools BERT, RoBERTa/XLM-R, Nomic, GTE and Qwen/Mistral/Llama-based embedders)" : "";
  return refuse("unsupported_architecture", `${arch} isn't an architecture vLLM or SGLang serve${note}, so ${facts.id} can't be deployed.`);
}

interface ContextTarget {
  target: number;
  notes: string[];
  warnings: string[];
}

function targetContext(facts: ModelFacts, kind: ModelKind, asked: number | undefined): ContextTarget {
  const notes: string[] = [];
  const warnings: string[] = [];
  const model = facts.contextLength;
  if (model === undefined) {
    // Without a stated window, assume one every model of the kind has (BERT-era 512 for embedders),
    // unless the user, who may know the model, asks for another.
    const assumed = kind === "embedding" ? 512 : MIN_CONTEXT;
    const target = asked ?? assumed;
    warnings.push(
      asked === undefined
        ? `config.json states no context length; planning for ${fmt(target)} tokens, a window every model of this kind supports.`
        : `config.json states no context length; planning for the ${fmt(target)} tokens you asked for, which the model may not support.`,
    );
    return { target, notes, warnings };
  }
  if (asked !== undefined && asked > model) {
    warnings.push(`You asked for ${fmt(asked)} tokens of context; ${facts.id} supports ${fmt(model)}, so the plan uses ${fmt(model)}.`);
  }
  const target = Math.min(model, asked ?? DEFAULT_CONTEXT_CAP);
  if (target < model && asked === undefined) {
    notes.push(`MAX_MODEL_LEN ${fmt(target)}: the model supports ${fmt(model)}, but plans cap context at ${fmt(DEFAULT_CONTEXT_CAP)} unless asked, because KV cache is what makes a GPU expensive.`);
  } else if (target === model) {
    notes.push(`MAX_MODEL_LEN ${fmt(target)}: the model's full context.`);
  } else {
    notes.push(`MAX_MODEL_LEN ${fmt(target)}, as requested.`);
  }
  return { target, notes, warnings };
}

/**
 * The cheapest worker per second is not always the cheapest per token: a faster pool can serve a
 * million tokens for less once traffic keeps it busy. Worth a sentence when the gap is a third or more.
 */
function cheaperPerToken(input: BuildInput, speed: { outputTokensPerSecond: number; inputTokensPerSecond: number }): string | undefined {
  const { facts, kind, mem, chosen, candidates, engine } = input;
  const embedding = kind === "embedding";
  const perMillion = (c: Candidate, t: { outputTokensPerSecond: number; inputTokensPerSecond: number }) => usdPerMillionTokens(c.pool.usdPerSecond * c.count, t, embedding);
  const ours = perMillion(chosen, speed);
  let best: { c: Candidate; usd: number } | undefined;
  for (const c of candidates) {
    if (c.maxModelLen < chosen.maxModelLen) continue;
    const usd = perMillion(c, throughput(mem, facts, c.pool, c.count, c.fit.concurrency, c.maxModelLen, engine.engine));
    if (!best || usd < best.usd) best = { c, usd };
  }
  if (!best || best.c === chosen || best.usd > ours * (2 / 3)) return undefined;
  const { c, usd } = best;
  return `Under steady traffic ${c.count} × ${c.pool.label} (${perSecond(c.pool, c.count)}) serves tokens cheaper: ~$${usd.toFixed(3)} vs ~$${ours.toFixed(3)} per million at full load.`;
}

interface BuildInput {
  facts: ModelFacts;
  kind: ModelKind;
  engine: { engine: Engine; reason: string };
  options: PlanOptions;
  mem: MemoryModel;
  chosen: Candidate;
  candidates: Candidate[];
  context: ContextTarget;
  fraction: number;
  checkpointBytes: number;
}

function buildPlan(input: BuildInput): DeploymentPlan {
  const { facts, kind, engine, options, mem, chosen, context, fraction, checkpointBytes } = input;
  const { pool, count, maxModelLen, fit: f } = chosen;
  const reasons = [engine.reason];
  const warnings = [...context.warnings];

  reasons.push(
    `Needs ~${gib(f.totalGb)}: ${gib(f.weightsGb)} of weights${facts.dtype ? ` (${facts.dtype})` : ""}, ${gib(f.overheadGb)} runtime overhead and ${gib(f.kvCacheGb)} of KV cache` +
      (mem.kvBytesPerToken > 0 ? ` (${fmt(Math.round(mem.kvBytesPerToken / 1024))} KiB per token).` : " (an encoder keeps no KV cache)."),
  );
  const where = `${count} × ${pool.label} at ${perSecond(pool, count)} (${gib(f.availableGb)} usable at ${Math.round(fraction * 100)}%)`;
  reasons.push(options.gpu ? `${where}: the smallest worker on the pool you chose that fits.` : `${where}: the cheapest worker that fits.`);
  if (count > 1) {
    reasons.push(`Split over ${count} GPUs with tensor parallelism${facts.attentionHeads ? ` (${count} divides its ${facts.attentionHeads} attention heads)` : ""}.`);
  }
  if (maxModelLen < context.target) {
    const full = cheapest(input.candidates.filter((c) => c.maxModelLen === context.target));
    const alt = full ? ` ${fmt(context.target)} fits on ${full.count} × ${full.pool.label} (${perSecond(full.pool, full.count)}).` : "";
    warnings.push(`Context reduced from ${fmt(context.target)} to ${fmt(maxModelLen)} tokens to fit ${count} × ${pool.label}.${alt}`);
  } else {
    reasons.push(...context.notes);
  }
  if (mem.kvEstimated) warnings.push("config.json lacks attention dimensions, so the KV cache was sized conservatively from the parameter count.");

  const cold = coldStartSeconds(checkpointBytes);
  const built = buildEnv({ facts, kind, engine: engine.engine, gpuCount: count, maxModelLen, memoryFraction: fraction, concurrency: f.concurrency, coldStartSeconds: cold });
  reasons.push(...built.reasons);
  warnings.push(...built.warnings);

  const scaling = resolveScaling(options.scaling ?? {}, cold, f.concurrency);
  reasons.push(
    `Scales ${scaling.workersMin}→${scaling.workersMax} workers; idle workers stay ${scaling.idleTimeoutSeconds} s (a cold start downloads ${fmt(Math.round(checkpointBytes / 1e9))} GB, ~${cold} s)${scaling.flashboot ? "; FlashBoot on for faster restarts" : ""}.`,
  );
  if (scaling.workersMin > 0) warnings.push(`workersMin ${scaling.workersMin} keeps ${scaling.workersMin === 1 ? "a worker" : `${scaling.workersMin} workers`} (and the bill) running around the clock.`);
  if (scaling.scaler === "REQUEST_COUNT") warnings.push("RunPod ignores (and rejects) an idle timeout on REQUEST_COUNT scaling; workers stop when requests run out.");
  if (facts.gated) reasons.push("Gated model: the endpoint gets your Hugging Face token as the HF_TOKEN secret.");

  const speed = throughput(mem, facts, pool, count, f.concurrency, maxModelLen, engine.engine);
  if (!options.gpu) {
    const hint = cheaperPerToken(input, speed);
    if (hint) reasons.push(hint);
  }
  return {
    model: facts.id,
    kind,
    engine: engine.engine,
    image: ENGINE_IMAGE[engine.engine],
    env: built.env,
    servedModel: facts.id,
    gpu: { pool: pool.id, label: pool.label, count, memoryGb: pool.memoryGb, usdPerSecond: pool.usdPerSecond },
    vram: {
      weightsGb: round2(f.weightsGb),
      kvCacheGb: round2(f.kvCacheGb),
      overheadGb: round2(f.overheadGb),
      totalGb: round2(f.totalGb),
      availableGb: round2(f.availableGb),
      maxModelLen,
      concurrency: f.concurrency,
    },
    scaling,
    containerDiskGb: Math.max(30, Math.ceil((checkpointBytes / 1e9) * 1.2 + 20)),
    throughput: {
      outputTokensPerSecond: kind === "embedding" ? 0 : speed.outputTokensPerSecond,
      inputTokensPerSecond: speed.inputTokensPerSecond,
      perSequenceTokensPerSecond: kind === "embedding" ? 0 : speed.perSequenceTokensPerSecond,
    },
    reasons,
    warnings,
    parameters: facts.parameters ?? 0,
    activeParameters: Math.round((facts.parameters ?? 0) * activeWeightFraction(facts.moe, 1)),
    needsHfToken: facts.gated !== false,
    coldStartSeconds: cold,
  };
}
