import { derivedSafetensors, ggufFiles, safetensorsBytes, safetensorsFiles, sortSiblings, storageOf, textRepoFiles, type WeightFormat } from "./arch";
import { DAY_MS, quantizationConfig, repoIds, repoTags, transformersInfoFor } from "./assemble";
import { mix32, unit } from "./hash";
import type { ModelLite } from "./lite";
import { layoutFor } from "./layout";
import { SAMPLE_MODELS } from "./sample";
import type { HubModel, Safetensors, Sibling } from "./types";

/**
 * The large catalog: model `i` of `n` generated models is a pure function of (i, n), so half a million
 * repositories exist without ever being held in memory. Every generated repo derives from a sample
 * model (a fine-tune, merge, LoRA or quantisation of it) and carries that base's real config.
 *
 * Order is built in: index i IS the rank by downloads (downloads fall with i), and every other sort key
 * is a function of a cheap permutation of i (block-shuffled for likes and lastModified, so they track
 * downloads and createdAt loosely; affine for trendingScore and createdAt), so any sorted page is
 * O(page) to produce. `npx tsx scripts/hf-generate.ts --bench` times it.
 */

const END = Date.parse("2026-11-20T00:00:00.000Z");
const SEED = 0x5eed;

type VariantKind = "finetune" | "merge" | "gguf" | "lora" | "awq" | "gptq" | "fp8" | "bnb-4bit" | "mlx-4bit";

const FORMAT: Record<VariantKind, WeightFormat> = {
  finetune: "full", merge: "full", gguf: "gguf", lora: "lora", awq: "awq", gptq: "gptq", fp8: "fp8", "bnb-4bit": "bnb-4bit", "mlx-4bit": "mlx-4bit",
};
const RELATION: Record<VariantKind, string> = {
  finetune: "finetune", merge: "merge", gguf: "quantized", lora: "adapter", awq: "quantized", gptq: "quantized", fp8: "quantized", "bnb-4bit": "quantized", "mlx-4bit": "quantized",
};
/** Cumulative odds of each derivation for LLM bases (others are always fine-tunes). */
const LLM_VARIANTS: Array<[VariantKind, number]> = [
  ["finetune", 0.34], ["gguf", 0.54], ["lora", 0.66], ["awq", 0.72], ["gptq", 0.76], ["fp8", 0.81], ["bnb-4bit", 0.87], ["mlx-4bit", 0.93], ["merge", 1],
];
const FINETUNE_LABELS = [
  "SFT", "DPO", "ORPO", "Medical", "Legal", "Finance", "Coder", "Math", "Roleplay", "Chat", "Instruct-v2", "German", "Japanese", "Korean",
  "French", "Spanish", "uncensored", "abliterated", "distilled", "Reasoning", "Tool-Use", "RAG", "Summarizer", "Storyteller",
];
const TASK_LABELS = ["finetuned", "sentiment", "ner", "emotion", "imdb", "squad2", "domain-adapted", "custom", "multilingual", "legal", "biomed"];
const MERGE_LABELS = ["slerp", "ties", "dare-ties", "passthrough", "model-stock"];
const QUANT_LABEL: Partial<Record<VariantKind, string>> = { gguf: "GGUF", lora: "lora", awq: "AWQ", gptq: "GPTQ-Int4", fp8: "FP8-dynamic", "bnb-4bit": "bnb-4bit", "mlx-4bit": "4bit-mlx" };

const PREFIXES = [
  "neural", "quant", "deep", "open", "tiny", "hyper", "lumen", "vector", "sparse", "cortex", "atlas", "ember", "nimbus", "orbit", "pixel", "quasar",
  "sigma", "tensor", "vertex", "aurora", "cobalt", "delta", "echo", "flux", "gamma", "helix", "ion", "jade", "kilo", "lattice", "mosaic", "nova",
  "onyx", "prism", "quill", "raven", "solar", "terra", "umbra", "vivid",
];
const SUFFIXES = ["labs", "forge", "ai", "works", "research", "mind", "hub", "ml", "stack", "core", "bits", "foundry", "nlp", "tune", "systems", "lab", "dev", "collective", "studio", "ops"];
const AUTHOR_COUNT = PREFIXES.length * SUFFIXES.length * 3;

function authorAt(k: number): string {
  const p = PREFIXES[k % PREFIXES.length]!;
  const s = SUFFIXES[Math.floor(k / PREFIXES.length) % SUFFIXES.length]!;
  const style = Math.floor(k / (PREFIXES.length * SUFFIXES.length));
  return style === 0 ? `${p}-${s}` : style === 1 ? `${p}${s}` : `${p}_${s}${(k % 97) + 2}`;
}

interface Base {
  model: HubModel;
  name: string;
  conversational: boolean;
}

function isBase(m: HubModel): boolean {
  return (m.library_name === "transformers" || m.library_name === "sentence-transformers") && !!m.configJson && !!m.safetensors
    && !m.configJson.quantization_config && !m.configJson.quantization && !!m.pipeline_tag;
}

const ALL_BASES: Base[] = SAMPLE_MODELS.filter(isBase).map((model) => ({ model, name: model.id.split("/")[1] ?? model.id, conversational: model.tags.includes("conversational") }));
const LLM_BASES = ALL_BASES.filter((b) => b.model.pipeline_tag === "text-generation" && typeof b.model.configJson?.hidden_size === "number");
const OTHER_BASES = ALL_BASES.filter((b) => !LLM_BASES.includes(b));

interface Pick {
  base: Base;
  baseIndex: number;
  variant: VariantKind;
  author: string;
  id: string;
}

function pick(i: number): Pick {
  const llm = LLM_BASES.length > 0 && (OTHER_BASES.length === 0 || unit(i, SEED + 1) < 0.78);
  const pool = llm ? LLM_BASES : OTHER_BASES;
  const slot = mix32(i, SEED + 2) % pool.length;
  const base = pool[slot]!;
  let variant: VariantKind = "finetune";
  if (llm) {
    const u = unit(i, SEED + 3);
    variant = LLM_VARIANTS.find(([, p]) => u < p)?.[0] ?? "finetune";
  }
  const labelHash = mix32(i, SEED + 4);
  const label =
    variant === "finetune" ? (llm ? FINETUNE_LABELS : TASK_LABELS)[labelHash % (llm ? FINETUNE_LABELS.length : TASK_LABELS.length)]!
    : variant === "merge" ? `${MERGE_LABELS[labelHash % MERGE_LABELS.length]}-merge`
    : QUANT_LABEL[variant]!;
  const author = authorAt(Math.floor(AUTHOR_COUNT * Math.pow(unit(i, SEED + 5), 3)));
  return { base, baseIndex: llm ? slot : LLM_BASES.length + slot, variant, author, id: `${author}/${base.name}-${label}-${i.toString(36)}` };
}

function formatTags(variant: VariantKind): string[] {
  switch (variant) {
    case "gguf": return ["gguf"];
    case "awq": return ["safetensors", "awq", "4-bit"];
    case "gptq": return ["safetensors", "gptq", "4-bit"];
    case "fp8": return ["safetensors", "fp8", "compressed-tensors"];
    case "bnb-4bit": return ["safetensors", "4-bit", "bitsandbytes"];
    case "mlx-4bit": return ["safetensors", "4-bit"];
    default: return ["safetensors"];
  }
}

/** What every derivation of one base in one way shares (tags, weights), computed once per isolate. */
interface Template {
  library: string | undefined;
  tags: string[];
  safetensors: Safetensors | undefined;
  params: number;
  size: number;
}

const templates = new Map<string, Template>();
function templateOf(p: Pick): Template {
  const key = `${p.baseIndex}:${p.variant}`;
  let t = templates.get(key);
  if (t) return t;
  const b = p.base.model;
  const library = p.variant === "gguf" ? undefined : p.variant === "lora" ? "peft" : p.variant === "mlx-4bit" ? "mlx" : b.library_name;
  const format = FORMAT[p.variant];
  const tags = repoTags({
    library, formats: formatTags(p.variant), modelType: p.variant === "gguf" ? undefined : String(b.configJson?.model_type ?? ""), pipeline: b.pipeline_tag,
    cardTags: p.variant === "merge" ? ["mergekit", "merge"] : p.variant === "lora" ? ["lora"] : [],
    conversational: p.base.conversational && p.variant !== "lora", languages: b.cardData.language as string[] | undefined,
    base: b.id, relation: RELATION[p.variant], license: String(b.cardData.license ?? "other"), textGeneration: library === "transformers" && b.pipeline_tag === "text-generation",
  });
  const st = format === "gguf" ? undefined : derivedSafetensors(b.safetensors!, b.configJson!, format);
  t = { library, tags, safetensors: st, params: st?.total ?? b.safetensors!.total, size: st ? safetensorsBytes(st) : Math.round((b.safetensors!.total * 4.85) / 8) };
  templates.set(key, t);
  return t;
}

/** The filterable, sortable facts of generated model i of n (cheap; no config or file list). */
export function generatedLite(i: number, n: number): ModelLite {
  const layout = layoutFor(n);
  const p = pick(i);
  const t = templateOf(p);
  return {
    id: p.id, author: p.author, pipeline_tag: p.base.model.pipeline_tag, library_name: t.library, tags: t.tags, gated: unit(i, SEED + 6) < 0.015 ? "auto" : false,
    downloads: layout.downloadsAt(i), likes: layout.likesAt(layout.likesRank(i)), trendingScore: layout.trendingAt(layout.trendingRank(i)),
    createdAtMs: layout.createdAt(layout.createdRank(i)), lastModifiedMs: layout.modifiedAt(layout.modifiedRank(i)),
    params: t.params, size: t.size, providers: [],
  };
}

/** Ids alone, for `sort=id` over the whole catalog. */
export function generatedId(i: number): string {
  return pick(i).id;
}

/** The full repository record of generated model i of n. */
export function generatedModel(i: number, n: number): HubModel {
  const lite = generatedLite(i, n);
  const createdAt = new Date(lite.createdAtMs).toISOString();
  const lastModified = new Date(lite.lastModifiedMs).toISOString();
  const p = pick(i);
  const b = p.base.model;
  const format = FORMAT[p.variant];
  const baseConfig = b.configJson!;
  const name = lite.id.split("/")[1]!;
  const st = templateOf(p).safetensors;
  const qc = quantizationConfig(format);
  let configJson: Record<string, unknown> | undefined;
  if (format !== "gguf" && format !== "lora") {
    configJson = { ...baseConfig, ...(qc ? { quantization_config: qc } : {}), ...(format === "mlx-4bit" ? { quantization: { bits: 4, group_size: 64 } } : {}) };
  }
  const tokenizer = (b.config?.tokenizer_config ?? undefined) as Record<string, unknown> | undefined;
  const config: Record<string, unknown> | undefined =
    format === "lora" ? { peft: { base_model_name_or_path: b.id, task_type: lite.pipeline_tag === "text-generation" ? "CAUSAL_LM" : "FEATURE_EXTRACTION" } }
    : configJson ? { architectures: configJson.architectures, model_type: configJson.model_type, ...(qc ? { quantization_config: qc } : {}), ...(tokenizer ? { tokenizer_config: tokenizer } : {}) }
    : undefined;

  let siblings: Sibling[];
  const vocab = Number(baseConfig.vocab_size ?? 32000);
  if (format === "gguf") {
    siblings = [{ rfilename: ".gitattributes", size: 2_385 }, { rfilename: "README.md", size: 3_000 + (i % 4_000) }, ...ggufFiles(name, b.safetensors!.total).filter((_, k) => (mix32(i, k) & 3) !== 0 || k === 2)];
  } else if (format === "lora") {
    siblings = [
      { rfilename: ".gitattributes", size: 1_519 }, { rfilename: "README.md", size: 5_000 + (i % 3_000) }, { rfilename: "adapter_config.json", size: 780 },
      { rfilename: "adapter_model.safetensors", size: safetensorsBytes(st!) }, { rfilename: "tokenizer.json", size: vocab * 72 }, { rfilename: "tokenizer_config.json", size: 5_200 },
    ];
  } else {
    siblings = [...textRepoFiles({ vocab, generation: lite.pipeline_tag === "text-generation" }), ...safetensorsFiles(safetensorsBytes(st!))];
  }
  siblings = sortSiblings(siblings);

  const cardData: Record<string, unknown> = { license: b.cardData.license ?? "other" };
  if (b.cardData.license_name) cardData.license_name = b.cardData.license_name;
  if (b.cardData.language) cardData.language = b.cardData.language;
  if (lite.library_name) cardData.library_name = lite.library_name;
  if (lite.pipeline_tag) cardData.pipeline_tag = lite.pipeline_tag;
  cardData.base_model = b.id;
  cardData.tags = p.variant === "merge" ? ["mergekit", "merge"] : p.variant === "lora" ? ["lora", "peft"] : ["trl", "sft"];

  const { _id, sha } = repoIds(lite.id, createdAt, lastModified);
  const months = Math.max(1, (END - lite.createdAtMs) / (30 * DAY_MS));
  const model: HubModel = {
    _id, id: lite.id, author: lite.author, sha, createdAt, lastModified, private: false, gated: lite.gated, disabled: false,
    downloads: lite.downloads, downloadsAllTime: Math.round(lite.downloads * months * (0.6 + 0.4 * unit(i, SEED + 7))), likes: lite.likes, trendingScore: lite.trendingScore,
    ...(lite.pipeline_tag ? { pipeline_tag: lite.pipeline_tag } : {}), ...(lite.library_name ? { library_name: lite.library_name } : {}),
    tags: lite.tags, cardData, siblings, usedStorage: storageOf(siblings),
  };
  if (config) model.config = config;
  if (configJson) model.configJson = configJson;
  if (st) model.safetensors = st;
  if (format === "gguf") {
    model.gguf = {
      total: b.safetensors!.total, architecture: String(baseConfig.model_type ?? "llama").replace(/_moe$|_text$/, ""), context_length: Number(baseConfig.max_position_embeddings ?? 4096),
      ...(tokenizer?.chat_template ? { chat_template: String(tokenizer.chat_template) } : {}), ...(typeof tokenizer?.eos_token === "string" ? { eos_token: tokenizer.eos_token } : {}),
    };
  }
  if (lite.library_name === "transformers") model.transformersInfo = transformersInfoFor(lite.pipeline_tag);
  return model;
}

/** Index of a generated id in a catalog of n, or undefined: the id's last segment is the index in base 36. */
export function generatedIndexOf(id: string, n: number): number | undefined {
  const match = /-([0-9a-z]+)$/i.exec(id);
  if (!match || !id.includes("/")) return undefined;
  const i = parseInt(match[1]!, 36);
  if (!Number.isSafeInteger(i) || i < 0 || i >= n) return undefined;
  return pick(i).id.toLowerCase() === id.toLowerCase() ? i : undefined;
}

/** The index at position `pos` of the catalog ordered by `sort` (descending), for the sorts with a built-in order. */
export function generatedIndexAt(sort: "downloads" | "likes" | "trendingScore" | "createdAt" | "lastModified", pos: number, n: number): number {
  const layout = layoutFor(n);
  switch (sort) {
    case "downloads": return pos;
    case "likes": return layout.indexAtLikesRank(pos);
    case "trendingScore": return layout.indexAtTrendingRank(pos);
    case "createdAt": return layout.indexAtCreatedRank(pos);
    case "lastModified": return layout.indexAtModifiedRank(pos);
  }
}
