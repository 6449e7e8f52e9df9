/**
 * What the planner needs to know about a Hub model, read from the Hub's model info and the repo's
 * config.json (reference/upstream-apis.md §2.1-2.3). Pure: the I/O is in hub.ts. Every field is
 * optional in spirit because Hub metadata is: the planner refuses or estimates conservatively when
 * something it needs is missing, so nothing here guesses beyond what the repo states.
 */

export type Gated = false | "auto" | "manual";

/**
 * The JSON of `GET /api/models/{id}` with safetensors, config, tags, library_name, cardData, gated and
 * pipeline_tag expanded, typed permissively. It also accepts what `@huggingface/hub`'s `modelInfo()`
 * returns, which renames fields: `id` becomes the Mongo `_id`, the repo id moves to `name`, and
 * `pipeline_tag` becomes `task`.
 */
export interface HubModelInfo {
  id?: string;
  _id?: string;
  name?: string;
  modelId?: string;
  pipeline_tag?: string;
  task?: string;
  library_name?: string;
  tags?: readonly string[];
  cardData?: unknown;
  gated?: boolean | "auto" | "manual";
  config?: unknown;
  /** Downloads over the last 30 days (one of @huggingface/hub's default fields). */
  downloads?: number;
  safetensors?: unknown;
  gguf?: unknown;
}

export interface ModelFacts {
  /** HF repo id "org/name". */
  id: string;
  pipelineTag: string | undefined;
  libraryName: string | undefined;
  tags: string[];
  /** cardData.license, or the `license:xxx` tag. */
  license: string | undefined;
  gated: Gated;
  /** config.architectures[0]. */
  architecture: string | undefined;
  /** config.model_type. */
  modelType: string | undefined;
  /** Logical parameter count: safetensors.total, unpacked for 4-bit packed checkpoints. */
  parameters: number | undefined;
  /** Bytes of the checkpoint: Σ count × bytes(dtype) over safetensors.parameters. */
  weightBytes: number | undefined;
  /** Parameter count per safetensors dtype, as the Hub reports it (the planner derives serving bytes from it). */
  parametersByDtype: Record<string, number>;
  /** The dtype holding the most parameters, e.g. "BF16". */
  dtype: string | undefined;
  /** "awq" | "gptq" | "fp8" | "bitsandbytes" | "mxfp4" | "compressed-tensors" | ... */
  quantization: string | undefined;
  /** Where `quantization` came from: the config is authoritative, tags and names are hints. */
  quantizationSource: "config" | "tags" | "name" | undefined;
  /** Bits per quantized weight when known (4 for AWQ/GPTQ-Int4/MXFP4/NF4, 8 for FP8). */
  quantBits: number | undefined;
  /** The model's own maximum context, capped at MAX_CONTEXT. */
  contextLength: number | undefined;
  layers: number | undefined;
  attentionHeads: number | undefined;
  kvHeads: number | undefined;
  headDim: number | undefined;
  hiddenSize: number | undefined;
  /**
   * Multi-head latent attention (DeepSeek V2/V3, Kimi): the cache holds one compressed vector of
   * kv_lora_rank + qk_rope_head_dim per layer and token instead of K and V per head.
   */
  kvLatentDim: number | undefined;
  moe: { experts: number; activeExperts: number } | undefined;
  /** "safetensors" when the Hub indexed safetensors weights; "gguf" for llama.cpp-only repos. */
  weightFormat: "safetensors" | "gguf" | undefined;
  /** cardData.base_model (first one), e.g. what a GGUF or quantized repo derives from. */
  baseModel: string | undefined;
  /** Hub downloads over the last 30 days, when the Hub said (the Free plan deploys popular models only). */
  downloads?: number | undefined;
  /** config.json declares `auto_map`, i.e. its classes live in the repo's own Python code. */
  customCode: boolean;
}

/**
 * Some configs claim absurd windows (Llama 4 Scout: 10M tokens; tokenizers: 1e30). Nothing we plan
 * serves more than 1M tokens on one worker, and a cap keeps later arithmetic finite.
 */
export const MAX_CONTEXT = 1_048_576;

/** Bytes per element of each safetensors dtype (§2.3); packed 4-bit weights appear as U8/I32. */
const DTYPE_BYTES: Record<string, number> = {
  F64: 8, I64: 8, U64: 8,
  F32: 4, I32: 4, U32: 4,
  F16: 2, BF16: 2, I16: 2, U16: 2,
  F8_E4M3: 1, F8_E5M2: 1, F8_E8M0: 1, I8: 1, U8: 1, BOOL: 1,
  F4: 0.5, F6_E2M3: 0.75, F6_E3M2: 0.75,
};

/** Unknown dtypes count as 16-bit: the common case, and it errs neither way by much. */
export function dtypeBytes(dtype: string): number {
  return DTYPE_BYTES[dtype] ?? 2;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** The first key holding a positive finite number, across the given objects in order. */
function num(sources: readonly (Obj | undefined)[], keys: readonly string[]): number | undefined {
  for (const src of sources) {
    if (!src) continue;
    for (const k of keys) {
      const v = src[k];
      if (typeof v === "number" && Number.isFinite(v) && v > 0) return v;
    }
  }
  return undefined;
}

function repoId(info: HubModelInfo): string {
  // @huggingface/hub puts the repo id in `name` and the Mongo id in `id`; the raw API has the repo id in `id`.
  return str(info.modelId) ?? str(info.name) ?? str(info.id) ?? "";
}

function normalizeGated(g: HubModelInfo["gated"]): Gated {
  if (g === "manual" || g === "auto") return g;
  return g === true ? "auto" : false;
}

function license(card: Obj | undefined, tags: readonly string[]): string | undefined {
  const fromCard = card?.license;
  if (typeof fromCard === "string" && fromCard) return fromCard;
  if (Array.isArray(fromCard) && typeof fromCard[0] === "string") return fromCard[0];
  return tags.find((t) => t.startsWith("license:"))?.slice("license:".length) || undefined;
}

function baseModel(card: Obj | undefined): string | undefined {
  const b = card?.base_model;
  if (typeof b === "string") return b || undefined;
  return Array.isArray(b) && typeof b[0] === "string" ? b[0] : undefined;
}

/**
 * The language-model part of a config: multimodal configs nest it (text_config for Llava/Gemma 3/Llama 4,
 * llm_config for InternVL, language_config for DeepSeek-VL), while Qwen2-VL keeps it at the top level.
 */
function textConfig(config: Obj): Obj | undefined {
  return obj(config.text_config) ?? obj(config.llm_config) ?? obj(config.language_config);
}

function quantConfig(config: Obj, hubConfig: Obj | undefined): Obj | undefined {
  return obj(config.quantization_config) ?? obj(hubConfig?.quantization_config) ?? obj(config.compression_config);
}

/** Bits per quantized weight as the quantization config states them. */
function quantBitsOf(method: string, qc: Obj | undefined): number | undefined {
  if (method === "mxfp4") return 4;
  if (method === "fp8" || method === "fbgemm_fp8") return 8;
  if (method === "bitsandbytes") return qc?.load_in_4bit === true ? 4 : qc?.load_in_8bit === true ? 8 : undefined;
  if (method === "compressed-tensors") {
    for (const group of Object.values(obj(qc?.config_groups) ?? {})) {
      const bits = num([obj(obj(group)?.weights)], ["num_bits"]);
      if (bits) return bits;
    }
    return undefined;
  }
  return num([qc], ["bits", "w_bit", "weight_bits"]);
}

const TAG_QUANT = ["awq", "gptq", "mxfp4", "fp8", "bitsandbytes"] as const;
const NAME_QUANT: readonly [RegExp, string][] = [
  [/[-_.]awq\b/i, "awq"],
  [/[-_.]gptq\b/i, "gptq"],
  [/mxfp4/i, "mxfp4"],
  [/[-_.]fp8\b/i, "fp8"],
  [/bnb-(4|8)bit/i, "bitsandbytes"],
];

function quantization(id: string, tags: readonly string[], qc: Obj | undefined): Pick<ModelFacts, "quantization" | "quantizationSource" | "quantBits"> {
  const method = str(qc?.quant_method)?.toLowerCase();
  if (method) return { quantization: method, quantizationSource: "config", quantBits: quantBitsOf(method, qc) };
  const tag = TAG_QUANT.find((q) => tags.includes(q));
  if (tag) return { quantization: tag, quantizationSource: "tags", quantBits: quantBitsOf(tag, undefined) ?? (tags.includes("4-bit") ? 4 : undefined) };
  const name = id.split("/").pop() ?? id;
  const hit = NAME_QUANT.find(([re]) => re.test(name));
  if (hit) return { quantization: hit[1], quantizationSource: "name", quantBits: quantBitsOf(hit[1], undefined) ?? (/int4|4bit/i.test(name) ? 4 : undefined) };
  return { quantization: undefined, quantizationSource: undefined, quantBits: undefined };
}

/**
 * The logical parameter count of a packed checkpoint: AWQ/GPTQ pack 32/bits weights into each I32, and
 * MXFP4/NF4 pack two 4-bit weights into each U8, so safetensors.total undercounts them (Qwen2.5-7B-AWQ
 * reports 1.96B). Scales and zero points ride along in the same dtypes, so the result is slightly high.
 */
function logicalParameters(byDtype: Record<string, number>, total: number, bits: number | undefined, quantized: boolean): number {
  if (!quantized || !bits || bits >= 8) return total;
  let sum = 0;
  for (const [dtype, count] of Object.entries(byDtype)) {
    if (dtype === "I32" || dtype === "U32") sum += count * (32 / bits);
    else if (dtype === "U8" || dtype === "I8") sum += count * (8 / bits);
    else sum += count;
  }
  return Math.round(sum);
}

/** RoBERTa-family position tables carry two extra slots for the padding offset (514 = 512 + 2). */
const PADDING_OFFSET_TYPES = new Set(["roberta", "xlm-roberta", "camembert", "xlm-roberta-xl"]);

function contextLength(sources: (Obj | undefined)[], modelType: string | undefined, gguf: Obj | undefined): number | undefined {
  let ctx = num(sources, ["max_position_embeddings", "max_seq_len", "seq_length", "max_sequence_length", "n_positions", "n_ctx"]);
  if (ctx === undefined) ctx = num([gguf], ["context_length"]);
  if (ctx === undefined) return undefined;
  if (modelType && PADDING_OFFSET_TYPES.has(modelType) && Number.isInteger(Math.log2(ctx - 2))) ctx -= 2;
  return Math.min(Math.floor(ctx), MAX_CONTEXT);
}

function moeOf(sources: (Obj | undefined)[]): ModelFacts["moe"] {
  const ffn = sources.map((s) => obj(s?.ffn_config));
  const all = [...sources, ...ffn];
  const experts = num(all, ["num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts"]);
  if (!experts || experts < 2) return undefined;
  // Without a stated top-k, assume every expert runs: the conservative (slowest) reading.
  const active = num(all, ["num_experts_per_tok", "experts_per_token", "moe_k", "moe_topk", "moe_top_k", "num_selected_experts"]) ?? experts;
  return { experts, activeExperts: Math.min(active, experts) };
}

function attentionShape(sources: (Obj | undefined)[]): Pick<ModelFacts, "layers" | "attentionHeads" | "kvHeads" | "headDim" | "hiddenSize" | "kvLatentDim"> {
  const layers = num(sources, ["num_hidden_layers", "n_layer", "num_layers", "n_layers"]);
  const attentionHeads = num(sources, ["num_attention_heads", "n_head", "n_heads", "num_heads"]);
  const hiddenSize = num(sources, ["hidden_size", "n_embd", "d_model"]);
  const multiQuery = sources.some((s) => s?.multi_query === true);
  const kvHeads =
    num(sources, ["num_key_value_heads", "num_kv_heads", "multi_query_group_num"]) ??
    num(sources.map((s) => obj(s?.attn_config)), ["kv_n_heads"]) ??
    (multiQuery ? 1 : attentionHeads);
  const derived = hiddenSize && attentionHeads && Number.isInteger(hiddenSize / attentionHeads) ? hiddenSize / attentionHeads : undefined;
  const headDim = num(sources, ["head_dim", "kv_channels"]) ?? derived;
  const rank = num(sources, ["kv_lora_rank"]);
  const kvLatentDim = rank ? rank + (num(sources, ["qk_rope_head_dim"]) ?? 0) : undefined;
  return { layers, attentionHeads, kvHeads, headDim, hiddenSize, kvLatentDim };
}

function safetensorsOf(v: unknown): { byDtype: Record<string, number>; total: number | undefined } {
  const st = obj(v);
  const byDtype: Record<string, number> = {};
  for (const [dtype, count] of Object.entries(obj(st?.parameters) ?? {})) {
    if (typeof count === "number" && Number.isFinite(count) && count > 0) byDtype[dtype] = count;
  }
  const sum = Object.values(byDtype).reduce((a, b) => a + b, 0);
  const total = typeof st?.total === "number" && st.total > 0 ? st.total : sum > 0 ? sum : undefined;
  return { byDtype, total };
}

/** Facts from the Hub's model info and (when readable) the repo's config.json, which is preferred. */
export function modelFacts(info: HubModelInfo, configJson?: Record<string, unknown>): ModelFacts {
  const id = repoId(info);
  const tags = (info.tags ?? []).filter((t): t is string => typeof t === "string");
  const card = obj(info.cardData);
  const hubConfig = obj(info.config);
  // config.json is the full file; the API's `config` carries only architectures, model_type and quantization_config.
  const config = obj(configJson) ?? hubConfig ?? {};
  const text = textConfig(config);
  const sources = [text, config];
  const gguf = obj(info.gguf);

  const architectures = Array.isArray(config.architectures) ? config.architectures : hubConfig?.architectures;
  const architecture = Array.isArray(architectures) ? str(architectures[0]) : undefined;
  const modelType = str(config.model_type) ?? str(hubConfig?.model_type) ?? str(text?.model_type);

  const { byDtype, total } = safetensorsOf(info.safetensors);
  const hasSafetensors = total !== undefined;
  const weightBytes = hasSafetensors ? Object.entries(byDtype).reduce((sum, [d, n]) => sum + n * dtypeBytes(d), 0) : undefined;
  const dtype = Object.entries(byDtype).sort((a, b) => b[1] - a[1])[0]?.[0];
  const quant = quantization(id, tags, quantConfig(config, hubConfig));
  const parameters = hasSafetensors
    ? logicalParameters(byDtype, total, quant.quantBits, quant.quantization !== undefined)
    : num([gguf], ["total"]);

  return {
    id,
    pipelineTag: str(info.pipeline_tag) ?? str(info.task),
    libraryName: str(info.library_name),
    tags,
    license: license(card, tags),
    gated: normalizeGated(info.gated),
    downloads: typeof info.downloads === "number" && Number.isFinite(info.downloads) ? info.downloads : undefined,
    architecture,
    modelType,
    parameters,
    weightBytes: weightBytes && weightBytes > 0 ? Math.round(weightBytes) : undefined,
    parametersByDtype: byDtype,
    dtype,
    ...quant,
    contextLength: contextLength(sources, modelType, gguf),
    ...attentionShape(sources),
    moe: moeOf(sources),
    weightFormat: hasSafetensors ? "safetensors" : gguf || tags.includes("gguf") ? "gguf" : undefined,
    baseModel: baseModel(card),
    customCode: obj(config.auto_map) !== undefined,
  };
}
