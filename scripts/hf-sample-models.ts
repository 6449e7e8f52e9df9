/**
 * Writes workers/sandbox/huggingface/sample-models.json, the Hugging Face Hub stand-in's shipped
 * catalog, from the curated list in scripts/hf-sample/. Deterministic: the same inputs give a
 * byte-identical file. Run: `npx tsx scripts/hf-sample-models.ts` (add `--check` to verify only).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  decoderConfigJson, decoderParams, dense, derivedSafetensors, ggufFiles, safetensorsBytes, safetensorsFiles, sortSiblings, storageOf,
  textRepoFiles, torchDtypeToSafetensors, type DecoderShape,
} from "../workers/sandbox/huggingface/arch";
import { apiConfigOf, DAY_MS, providerMapping, quantizationConfig, repoDates, repoIds, repoTags, transformersInfoFor, type TokenizerInfo } from "../workers/sandbox/huggingface/assemble";
import { fnv1a, unit } from "../workers/sandbox/huggingface/hash";
import type { HubModel, Safetensors, Sibling } from "../workers/sandbox/huggingface/types";
import { ENTRIES, type Entry } from "./hf-sample/models";
import { SPECS, TEMPLATES, type Tok } from "./hf-sample/specs";

const OUT = fileURLToPath(new URL("../workers/sandbox/huggingface/sample-models.json", import.meta.url));
const TRENDING_NOW = Date.parse("2025-12-01T00:00:00.000Z");
const ALL_TIME_END = Date.parse("2026-11-20T00:00:00.000Z");

interface Anatomy {
  configJson?: Record<string, unknown>;
  config?: Record<string, unknown>;
  safetensors?: Safetensors;
  tok?: Tok;
  modelType?: string;
  defaultPipe?: string;
  defaultLib?: string;
  extraFiles?: string[];
  noneFiles?: Array<[string, number]>;
  diffusers?: { className: string; gb: number };
  multimodal?: boolean;
  contextLength?: number;
}

function headlessArchitectures(shape: DecoderShape): string[] {
  return shape.architectures.map((a) => a.replace(/ForCausalLM$/, "Model"));
}

function anatomyOf(e: Entry): Anatomy {
  const spec = SPECS[e.spec];
  if (!spec) throw new Error(`${e.id}: unknown spec ${e.spec}`);
  switch (spec.kind) {
    case "decoder": {
      const s = spec.shape;
      const configJson = decoderConfigJson(s);
      let total = decoderParams(s);
      if (spec.headless) {
        configJson.architectures = headlessArchitectures(s);
        if (!s.tie_word_embeddings) total -= s.vocab_size * s.hidden_size;
      }
      return { configJson, safetensors: dense(total, torchDtypeToSafetensors(s.torch_dtype)), tok: spec.tok, modelType: s.model_type, contextLength: s.max_position_embeddings };
    }
    case "multimodal": {
      const text = decoderConfigJson(spec.text);
      const vision = { hidden_size: 1152, model_type: `${spec.model_type}_vision`, num_hidden_layers: 27, patch_size: 14 };
      const configJson = spec.flat
        ? { ...text, architectures: spec.architectures, model_type: spec.model_type, vision_config: vision }
        : { architectures: spec.architectures, model_type: spec.model_type, text_config: { ...text, architectures: undefined }, torch_dtype: spec.text.torch_dtype, transformers_version: "4.50.0", vision_config: vision };
      const total = decoderParams(spec.text) + spec.visionParams;
      return { configJson: JSON.parse(JSON.stringify(configJson)), safetensors: dense(total, torchDtypeToSafetensors(spec.text.torch_dtype)), tok: spec.tok, modelType: spec.model_type, defaultPipe: "image-text-to-text", multimodal: true, contextLength: spec.text.max_position_embeddings };
    }
    case "fixed": {
      const st = typeof spec.params === "number" ? dense(spec.params, spec.dtype) : { parameters: spec.params, total: Object.values(spec.params).reduce((a, b) => a + b, 0) };
      const cfg = spec.config;
      const ctx = Number(cfg.max_position_embeddings ?? (cfg.text_config as Record<string, unknown> | undefined)?.max_position_embeddings ?? 0) || undefined;
      return {
        configJson: cfg, safetensors: st, ...(spec.tok ? { tok: spec.tok } : {}), modelType: (cfg.model_type as string | undefined) ?? undefined,
        ...(spec.pipe ? { defaultPipe: spec.pipe } : {}), ...(spec.lib ? { defaultLib: spec.lib } : {}), ...(spec.files ? { extraFiles: spec.files } : {}),
        ...(ctx ? { contextLength: ctx } : {}),
      };
    }
    case "diffusers":
      return { config: { diffusers: { _class_name: spec.className } }, defaultLib: "diffusers", diffusers: { className: spec.className, gb: spec.gb } };
    case "none":
      return { noneFiles: spec.files };
  }
}

function tokenizerInfo(tok: Tok | undefined, instruct: boolean): TokenizerInfo | undefined {
  if (!tok) return undefined;
  return { bos: tok.bos, eos: tok.eos, pad: tok.pad, chat_template: instruct && tok.template ? TEMPLATES[tok.template] : undefined };
}

function diffusersFiles(className: string, gb: number): Sibling[] {
  const bytes = gb * 1e9;
  if (className === "ControlNetModel" || className === "AutoencoderKL") {
    return [{ rfilename: "config.json", size: 1_100 }, { rfilename: "diffusion_pytorch_model.safetensors", size: Math.round(bytes) }];
  }
  const denoiser = /Flux|SD3|StableDiffusion3|Wan|HiDream|QwenImage|LTX|Hunyuan/.test(className) ? "transformer" : "unet";
  return [
    { rfilename: "model_index.json", size: 600 },
    { rfilename: "scheduler/scheduler_config.json", size: 480 },
    { rfilename: "text_encoder/config.json", size: 620 },
    { rfilename: "text_encoder/model.safetensors", size: Math.round(bytes * 0.12) },
    { rfilename: "tokenizer/merges.txt", size: 524_619 },
    { rfilename: "tokenizer/special_tokens_map.json", size: 588 },
    { rfilename: "tokenizer/tokenizer_config.json", size: 705 },
    { rfilename: "tokenizer/vocab.json", size: 1_059_962 },
    { rfilename: `${denoiser}/config.json`, size: 1_800 },
    { rfilename: `${denoiser}/diffusion_pytorch_model.safetensors`, size: Math.round(bytes * 0.8) },
    { rfilename: "vae/config.json", size: 800 },
    { rfilename: "vae/diffusion_pytorch_model.safetensors", size: Math.round(bytes * 0.08) },
  ];
}

function build(e: Entry): HubModel {
  const a = anatomyOf(e);
  const [author = e.id] = e.id.split("/");
  const name = e.id.split("/")[1] ?? e.id;
  const fmt = e.fmt ?? "full";
  const instruct = e.instruct ?? false;
  const tok = tokenizerInfo(a.tok, instruct);
  const gguf = fmt === "gguf";
  const library = gguf ? e.lib : e.lib ?? a.defaultLib ?? (a.noneFiles ? undefined : "transformers");
  const pipeline = "pipe" in e ? e.pipe : a.defaultPipe ?? (a.configJson ? "text-generation" : undefined);

  let configJson = a.configJson ? { ...a.configJson } : undefined;
  let safetensors = a.safetensors;
  let ggufInfo: HubModel["gguf"];
  if (fmt !== "full" && safetensors && configJson) {
    const base = safetensors;
    safetensors = derivedSafetensors(base, configJson, fmt);
    const qc = quantizationConfig(fmt);
    if (qc) configJson = { ...configJson, quantization_config: qc, torch_dtype: fmt === "awq" || fmt === "gptq" ? "float16" : configJson.torch_dtype };
    if (fmt === "mlx-4bit") configJson = { ...configJson, quantization: { bits: 4, group_size: 64 } };
    if (gguf) {
      ggufInfo = {
        total: base.total, architecture: String(a.modelType ?? "llama").replace(/_moe$|_text$/, ""), context_length: a.contextLength ?? 4096,
        ...(tok?.chat_template ? { chat_template: tok.chat_template } : {}), ...(tok?.bos ? { bos_token: tok.bos } : {}), ...(tok ? { eos_token: tok.eos } : {}),
      };
      configJson = undefined;
    }
  }

  const formats = [
    safetensors ? "safetensors" : undefined,
    gguf ? "gguf" : undefined,
    fmt === "awq" ? "awq" : fmt === "gptq" ? "gptq" : fmt === "fp8" ? "fp8" : undefined,
    fmt === "awq" || fmt === "gptq" || fmt === "bnb-4bit" || fmt === "mlx-4bit" ? "4-bit" : undefined,
    fmt === "bnb-4bit" ? "bitsandbytes" : undefined,
    fmt === "fp8" ? "compressed-tensors" : undefined,
  ].filter((x): x is string => !!x);
  const license = e.lic ?? "other";
  const textGeneration = library === "transformers" && (pipeline === "text-generation" || pipeline === "image-text-to-text");
  const tags = repoTags({
    library, formats, modelType: gguf ? undefined : a.modelType, pipeline, cardTags: e.tags, conversational: instruct && !!pipeline && /text-generation|image-text-to-text/.test(pipeline),
    languages: e.lang, base: e.base, relation: e.rel, license, textGeneration,
  });

  let siblings: Sibling[];
  const vocab = Number(configJson?.vocab_size ?? (configJson?.text_config as Record<string, unknown> | undefined)?.vocab_size ?? 32000);
  if (gguf && ggufInfo) {
    siblings = [{ rfilename: ".gitattributes", size: 2_385 }, { rfilename: "README.md", size: 6_000 + (fnv1a(e.id) % 5_000) }, ...ggufFiles(name, ggufInfo.total)];
  } else if (a.diffusers) {
    siblings = [{ rfilename: ".gitattributes", size: 1_519 }, { rfilename: "README.md", size: 9_000 }, ...diffusersFiles(a.diffusers.className, a.diffusers.gb)];
  } else if (a.noneFiles) {
    siblings = [{ rfilename: ".gitattributes", size: 1_519 }, { rfilename: "README.md", size: 7_000 }, ...a.noneFiles.map(([rfilename, size]) => ({ rfilename, size }))];
  } else if (library === "timm") {
    const bytes = safetensors ? safetensorsBytes(safetensors) : 0;
    siblings = [{ rfilename: ".gitattributes", size: 1_519 }, { rfilename: "README.md", size: 5_000 }, { rfilename: "config.json", size: 900 }, { rfilename: "model.safetensors", size: bytes }, { rfilename: "pytorch_model.bin", size: bytes + 4_000 }];
  } else {
    const bytes = safetensors ? safetensorsBytes(safetensors) : 0;
    const extra = [...(a.extraFiles ?? [])];
    if (library === "sentence-transformers") extra.push("modules.json", "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json");
    if (author === "meta-llama") extra.push("USE_POLICY.md");
    siblings = a.tok
      ? textRepoFiles({ vocab, generation: pipeline === "text-generation" || !!a.multimodal, license: e.licenseFile, extra })
      : [{ rfilename: ".gitattributes", size: 1_519 }, { rfilename: "README.md", size: 5_500 }, { rfilename: "config.json", size: 1_200 }, ...extra.map((f) => ({ rfilename: f, size: 1_800 }))];
    siblings.push(...safetensorsFiles(bytes));
  }
  siblings = sortSiblings(siblings);

  const h = fnv1a(e.id);
  const { createdAt, lastModified } = repoDates(e.id, e.date);
  const { _id, sha } = repoIds(e.id, createdAt, lastModified);
  const downloads = Math.round(e.dl * (0.92 + 0.16 * unit(h, 1)));
  const likes = Math.max(0, Math.round(e.likes * (0.95 + 0.1 * unit(h, 2))));
  const ageMonths = Math.max(1, (ALL_TIME_END - Date.parse(createdAt)) / (30 * DAY_MS));
  const downloadsAllTime = Math.round(downloads * ageMonths * (0.55 + 0.5 * unit(h, 3)));
  const ageDays = Math.max(0, (TRENDING_NOW - Date.parse(createdAt)) / DAY_MS);
  const trendingScore = Math.round(Math.pow(likes, 0.75) * Math.exp(-ageDays / 150) * (0.8 + 0.4 * unit(h, 4)));

  const cardData: Record<string, unknown> = { license };
  if (license === "other" && e.licName) cardData.license_name = e.licName;
  if (e.lang?.length) cardData.language = e.lang;
  if (library) cardData.library_name = library;
  if (pipeline) cardData.pipeline_tag = pipeline;
  if (e.tags?.length) cardData.tags = e.tags;
  if (e.base) cardData.base_model = e.base;
  if (e.gated === "manual") cardData.extra_gated_prompt = `You need to agree to share your contact information to access ${name}.`;

  const model: HubModel = {
    _id, id: e.id, author, sha, createdAt, lastModified, private: false, gated: e.gated ?? false, disabled: false,
    downloads, downloadsAllTime, likes, trendingScore,
    ...(pipeline ? { pipeline_tag: pipeline } : {}),
    ...(library ? { library_name: library } : {}),
    tags, cardData, siblings, usedStorage: storageOf(siblings),
  };
  if (a.config) model.config = a.config;
  else if (configJson) model.config = apiConfigOf(configJson, tok);
  if (configJson) model.configJson = configJson;
  if (safetensors) model.safetensors = safetensors;
  if (ggufInfo) model.gguf = ggufInfo;
  if (library === "transformers") model.transformersInfo = transformersInfoFor(pipeline);
  if (e.prov?.length) model.inferenceProviderMapping = providerMapping(e.id, e.prov, instruct && pipeline === "text-generation" ? "conversational" : pipeline ?? "text-generation");
  if (pipeline === "fill-mask") model.mask_token = a.tok?.eos === "[SEP]" ? "[MASK]" : "<mask>";
  return model;
}

export function buildSample(): HubModel[] {
  const seen = new Set<string>();
  for (const e of ENTRIES) {
    if (seen.has(e.id.toLowerCase())) throw new Error(`duplicate id ${e.id}`);
    seen.add(e.id.toLowerCase());
  }
  return ENTRIES.map(build).sort((x, y) => y.downloads - x.downloads || (x.id < y.id ? -1 : 1));
}

export function serialise(models: HubModel[]): string {
  return `[\n${models.map((m) => JSON.stringify(m)).join(",\n")}\n]\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = serialise(buildSample());
  if (process.argv.includes("--check")) {
    const current = readFileSync(OUT, "utf8");
    if (current !== text) {
      console.error("sample-models.json is out of date; run `npx tsx scripts/hf-sample-models.ts`");
      process.exit(1);
    }
    console.log("sample-models.json is up to date");
  } else {
    writeFileSync(OUT, text);
    console.log(`wrote ${ENTRIES.length} models (${(text.length / 1024).toFixed(0)} KiB) to ${OUT}`);
  }
}
