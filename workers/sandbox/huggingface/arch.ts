import type { Safetensors, Sibling } from "./types";

/**
 * Model anatomy shared by the sample-file script and the large-catalog generator: parameter counts from
 * a decoder's shape, its config.json, the safetensors dtype split of quantised variants, and the file
 * list a repository of that kind holds. The counts follow the real layer layout, so e.g. the Llama-3.1-8B
 * shape gives exactly 8,030,261,248 and a planner sees the weight sizes the real Hub reports.
 */

export interface DecoderShape {
  model_type: string;
  architectures: string[];
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim?: number;
  intermediate_size: number;
  vocab_size: number;
  max_position_embeddings: number;
  torch_dtype: "bfloat16" | "float16" | "float32";
  tie_word_embeddings?: boolean;
  /** Qwen2-style q/k/v biases. */
  qkv_bias?: boolean;
  /** Qwen3/Gemma3-style per-head q/k RMSNorm. */
  qk_norm?: boolean;
  /** RMSNorm weights per layer: 2 for Llama, 4 for Gemma 2/3. */
  norms_per_layer?: number;
  num_experts?: number;
  num_experts_per_tok?: number;
  moe_intermediate_size?: number;
  shared_expert_intermediate_size?: number;
  rope_theta?: number;
  bos_token_id?: number;
  eos_token_id?: number | number[];
  hidden_act?: string;
  rms_norm_eps?: number;
  /** Any further config.json keys (sliding_window, rope_scaling, ...). */
  extra?: Record<string, unknown>;
}

export const DTYPE_BYTES: Record<string, number> = {
  F64: 8, I64: 8, F32: 4, I32: 4, U32: 4, F16: 2, BF16: 2, I16: 2, F8_E4M3: 1, F8_E5M2: 1, I8: 1, U8: 1, BOOL: 1,
};

const TORCH_TO_SAFETENSORS = { bfloat16: "BF16", float16: "F16", float32: "F32" } as const;

export function headDim(s: DecoderShape): number {
  return s.head_dim ?? Math.floor(s.hidden_size / s.num_attention_heads);
}

/** Parameter count of a decoder-only transformer (dense or mixture-of-experts) from its shape. */
export function decoderParams(s: DecoderShape): number {
  const h = s.hidden_size;
  const hd = headDim(s);
  const qDim = s.num_attention_heads * hd;
  const kvDim = s.num_key_value_heads * hd;
  const attention = h * qDim + 2 * h * kvDim + qDim * h + (s.qkv_bias ? qDim + 2 * kvDim : 0) + (s.qk_norm ? 2 * hd : 0);
  let mlp = 3 * h * s.intermediate_size;
  if (s.num_experts) {
    const expert = 3 * h * (s.moe_intermediate_size ?? s.intermediate_size);
    mlp = s.num_experts * expert + h * s.num_experts;
    if (s.shared_expert_intermediate_size) mlp += 3 * h * s.shared_expert_intermediate_size + h;
  }
  const layer = attention + mlp + (s.norms_per_layer ?? 2) * h;
  const embeddings = s.vocab_size * h * (s.tie_word_embeddings ? 1 : 2);
  return embeddings + s.num_hidden_layers * layer + h;
}

/** Weights that stay unquantised in quantised checkpoints: the embedding matrix (and untied LM head). */
export function embeddingParams(config: Record<string, unknown>): number {
  const vocab = Number(config.vocab_size ?? 0);
  const hidden = Number(config.hidden_size ?? 0);
  return vocab * hidden * (config.tie_word_embeddings ? 1 : 2);
}

/** The config.json of a decoder, keys in the alphabetical order `transformers` writes them. */
export function decoderConfigJson(s: DecoderShape, transformersVersion = "4.46.0"): Record<string, unknown> {
  const config: Record<string, unknown> = {
    architectures: s.architectures,
    attention_bias: s.qkv_bias ?? false,
    attention_dropout: 0,
    bos_token_id: s.bos_token_id ?? 1,
    eos_token_id: s.eos_token_id ?? 2,
    ...(s.head_dim !== undefined ? { head_dim: s.head_dim } : {}),
    hidden_act: s.hidden_act ?? "silu",
    hidden_size: s.hidden_size,
    initializer_range: 0.02,
    intermediate_size: s.intermediate_size,
    max_position_embeddings: s.max_position_embeddings,
    ...(s.moe_intermediate_size !== undefined ? { moe_intermediate_size: s.moe_intermediate_size } : {}),
    model_type: s.model_type,
    num_attention_heads: s.num_attention_heads,
    ...(s.num_experts !== undefined ? { num_experts: s.num_experts, num_experts_per_tok: s.num_experts_per_tok ?? 2 } : {}),
    num_hidden_layers: s.num_hidden_layers,
    num_key_value_heads: s.num_key_value_heads,
    rms_norm_eps: s.rms_norm_eps ?? 1e-5,
    rope_theta: s.rope_theta ?? 10000,
    ...(s.shared_expert_intermediate_size !== undefined ? { shared_expert_intermediate_size: s.shared_expert_intermediate_size } : {}),
    tie_word_embeddings: s.tie_word_embeddings ?? false,
    torch_dtype: s.torch_dtype,
    transformers_version: transformersVersion,
    use_cache: true,
    vocab_size: s.vocab_size,
    ...(s.extra ?? {}),
  };
  return Object.fromEntries(Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function dense(total: number, dtype: string): Safetensors {
  return { parameters: { [dtype]: total }, total };
}

export function torchDtypeToSafetensors(torchDtype: unknown): string {
  return TORCH_TO_SAFETENSORS[torchDtype as keyof typeof TORCH_TO_SAFETENSORS] ?? "BF16";
}

/** How a derived repository stores its weights. */
export type WeightFormat = "full" | "awq" | "gptq" | "fp8" | "bnb-4bit" | "mlx-4bit" | "gguf" | "lora";

function split(parts: Record<string, number>): Safetensors {
  const parameters: Record<string, number> = {};
  for (const [k, v] of Object.entries(parts)) if (v > 0) parameters[k] = Math.round(v);
  return { parameters, total: Object.values(parameters).reduce((a, b) => a + b, 0) };
}

/**
 * The safetensors dtype split of a checkpoint derived from a base model. Element counts, not bytes, as
 * the Hub reports them: 4-bit weights packed eight to an I32 count an eighth, so an AWQ 7B shows ~2B "params".
 */
export function derivedSafetensors(base: Safetensors, baseConfig: Record<string, unknown>, format: WeightFormat, dtype = "BF16"): Safetensors | undefined {
  const embed = Math.min(embeddingParams(baseConfig), base.total);
  const linear = base.total - embed;
  switch (format) {
    case "full":
      return dense(base.total, dtype);
    case "awq":
    case "gptq":
      return split({ I32: linear / 8 + linear / 1024, F16: embed + linear / 128 });
    case "fp8":
      return split({ F8_E4M3: linear, BF16: embed + linear / Math.max(1, Number(baseConfig.hidden_size ?? 4096)) });
    case "bnb-4bit":
      return split({ U8: linear / 2, BF16: embed, F32: linear / 64 });
    case "mlx-4bit":
      return split({ U32: (linear + embed) / 8, BF16: (linear + embed) / 32 });
    case "lora": {
      const h = Number(baseConfig.hidden_size ?? 4096);
      const layers = Number(baseConfig.num_hidden_layers ?? 32);
      const inter = Number(baseConfig.intermediate_size ?? 4 * h);
      const rank = 16;
      return split({ F32: layers * rank * (4 * 2 * h + 3 * (h + inter)) });
    }
    case "gguf":
      return undefined;
  }
}

export function safetensorsBytes(st: Safetensors): number {
  return Object.entries(st.parameters).reduce((sum, [dtype, n]) => sum + n * (DTYPE_BYTES[dtype] ?? 2), 0);
}

/** GGUF quantisation levels and their effective bits per weight (llama.cpp k-quants). */
export const GGUF_LEVELS: Array<[string, number]> = [
  ["Q2_K", 3.0], ["Q3_K_M", 3.9], ["Q4_K_M", 4.85], ["Q5_K_M", 5.7], ["Q6_K", 6.6], ["Q8_0", 8.5],
];

const pad5 = (n: number) => String(n).padStart(5, "0");

/** Weight files for `bytes` of safetensors, sharded at 5 GB as `transformers` does. */
export function safetensorsFiles(bytes: number, prefix = "model"): Sibling[] {
  const shardBytes = 5_000_000_000;
  const shards = Math.max(1, Math.ceil(bytes / shardBytes));
  if (shards === 1) return [{ rfilename: `${prefix}.safetensors`, size: Math.round(bytes) }];
  const files: Sibling[] = [];
  let left = Math.round(bytes);
  for (let i = 1; i <= shards; i++) {
    const size = i === shards ? left : Math.min(left, Math.round(bytes / shards));
    left -= size;
    files.push({ rfilename: `${prefix}-${pad5(i)}-of-${pad5(shards)}.safetensors`, size });
  }
  files.push({ rfilename: `${prefix}.safetensors.index.json`, size: 20_000 + shards * 4_000 });
  return files;
}

/** The .gguf files of a GGUF repository: one per quantisation level, named after the model. */
export function ggufFiles(repoName: string, params: number): Sibling[] {
  const stem = repoName.replace(/[-_.]?gguf$/i, "");
  return GGUF_LEVELS.map(([level, bits]) => ({ rfilename: `${stem}-${level}.gguf`, size: Math.round((params * bits) / 8) + 8_000_000 }));
}

/** Files every text-model repository carries besides its weights. */
export function textRepoFiles(opts: { vocab: number; generation: boolean; license?: string | undefined; extra?: string[] }): Sibling[] {
  const files: Sibling[] = [
    { rfilename: ".gitattributes", size: 1_519 },
    { rfilename: "README.md", size: 4_000 + (opts.vocab % 9_000) },
    { rfilename: "config.json", size: 700 + (opts.vocab % 300) },
  ];
  if (opts.generation) files.push({ rfilename: "generation_config.json", size: 184 + (opts.vocab % 60) });
  if (opts.license) files.push({ rfilename: opts.license, size: 7_000 + (opts.vocab % 4_000) });
  files.push(
    { rfilename: "special_tokens_map.json", size: 400 + (opts.vocab % 200) },
    { rfilename: "tokenizer.json", size: Math.round(opts.vocab * 72) },
    { rfilename: "tokenizer_config.json", size: 2_000 + (opts.vocab % 50_000) },
  );
  for (const f of opts.extra ?? []) files.push({ rfilename: f, size: 2_000 });
  return files;
}

export function sortSiblings(files: Sibling[]): Sibling[] {
  return [...files].sort((a, b) => (a.rfilename < b.rfilename ? -1 : a.rfilename > b.rfilename ? 1 : 0));
}

/** Bytes of all files, as the Hub's `usedStorage` counts them. */
export function storageOf(files: Sibling[]): number {
  return files.reduce((sum, f) => sum + f.size, 0);
}
