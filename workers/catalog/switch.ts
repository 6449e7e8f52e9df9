import { parseModelName } from "../gateway/resolve";
import { priceFor, WESTERN_PRICES } from "./prices";

/**
 * The bridge's "switch" suggestions (pure data): for each Western model the bridge prices, the open
 * models that can take its traffic, with the reason in one line. Curated by hand on purpose: which open
 * model stands in for which closed one is a judgement (capability class, modality, context, license),
 * not something the Hub's metadata can answer. Every alternative is a real Hub model from the sandbox
 * sample that one-tap deploys without a Hugging Face token (test/unit/catalog pins both), so the route
 * can price each one with the deploy estimate.
 */

export interface SwitchAlternative {
  model: string;
  why: string;
}

export interface SwitchSuggestion {
  /** The WESTERN_PRICES key, e.g. "anthropic/claude-sonnet-4-5". */
  western: string;
  label: string;
  provider: string;
  kind: "chat" | "embedding";
  /** List prices, USD per 1M tokens (WESTERN_PRICES holds micro-dollars). */
  inputPerMillionUsd: number;
  outputPerMillionUsd: number;
  alternatives: SwitchAlternative[];
}

interface Entry {
  label: string;
  kind?: "embedding";
  alternatives: SwitchAlternative[];
}

// Shared reasons, so one model is described the same way wherever it is suggested.
const alt = (model: string, why: string): SwitchAlternative => ({ model, why });
const GPT_OSS_120B = alt("openai/gpt-oss-120b", "OpenAI's own open-weight reasoning model (Apache-2.0): 117B MoE with ~5B active, fits one 80 GB GPU.");
const GPT_OSS_20B = alt("openai/gpt-oss-20b", "OpenAI's small open-weight reasoning model (Apache-2.0) with tool calling; runs in 16 GB.");
const QWEN3_235B = alt("Qwen/Qwen3-235B-A22B-FP8", "Frontier-class open MoE (22B active) with switchable thinking, FP8 so it fits fewer GPUs.");
const GLM_AIR = alt("zai-org/GLM-4.5-Air", "106B MoE (12B active) built for agentic coding and tool use, MIT license.");
const QWEN3_30B_INSTRUCT = alt("Qwen/Qwen3-30B-A3B-Instruct-2507", "MoE with 3B active: mid-size quality at small-model speed, strong instruction following.");
const QWEN3_30B_THINKING = alt("Qwen/Qwen3-30B-A3B-Thinking-2507", "The thinking twin of Qwen3-30B-A3B: step-by-step reasoning with only 3B active parameters.");
const QWEN3_32B = alt("Qwen/Qwen3-32B", "Dense 32B with thinking on demand: a dependable general-purpose workhorse.");
const QWEN3_8B = alt("Qwen/Qwen3-8B", "8B with thinking on demand and native tool calling, cheap to keep warm.");
const QWEN3_4B = alt("Qwen/Qwen3-4B-Instruct-2507", "4B that punches above its size on instructions, for high-volume simple calls.");
const QWEN25_7B = alt("Qwen/Qwen2.5-7B-Instruct", "Proven 7B for extraction, classification and JSON output at very low cost.");
const PHI4_MINI = alt("microsoft/Phi-4-mini-instruct", "3.8B with a 128k context (MIT): long inputs on the smallest GPUs.");
const MISTRAL_SMALL = alt("mistralai/Mistral-Small-3.2-24B-Instruct-2506", "24B that reads images, calls tools and holds 128k tokens (Apache-2.0).");
const QWEN_VL_72B = alt("Qwen/Qwen2.5-VL-72B-Instruct", "Qwen's flagship vision-language model: documents, charts and screenshots.");
const QWEN_VL_32B = alt("Qwen/Qwen2.5-VL-32B-Instruct", "Vision-language 32B (Apache-2.0): image understanding plus solid text reasoning.");
const QWEN_VL_7B = alt("Qwen/Qwen2.5-VL-7B-Instruct", "Small vision-language model: captions, OCR and image Q&A on one modest GPU.");
const LLAMA_70B = alt("RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic", "Llama 3.3 70B in FP8, no gated download: broad knowledge, 128k context, half the memory of BF16.");
const QWQ = alt("Qwen/QwQ-32B", "32B reasoning model for math, code and multi-step analysis.");
const R1_LLAMA_70B = alt("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "DeepSeek-R1's reasoning distilled into Llama 70B (MIT): long chains of thought.");
const PHI4_REASONING = alt("microsoft/Phi-4-reasoning", "14B reasoning model (MIT) trained on curated reasoning traces: fast on one GPU.");
const QWEN3_CODER = alt("Qwen/Qwen3-Coder-30B-A3B-Instruct", "Agentic coding MoE (3B active) built for tool-calling coding agents like Claude Code's loop.");
const DEVSTRAL = alt("mistralai/Devstral-Small-2505", "24B trained for software-engineering agents (Apache-2.0), 128k context.");
const QWEN_CODER_32B = alt("Qwen/Qwen2.5-Coder-32B-Instruct", "Dense 32B code model: completion, edits and code review.");

const TABLE: Record<string, Entry> = {
  "openai/gpt-5": { label: "GPT-5", alternatives: [GPT_OSS_120B, QWEN3_235B, GLM_AIR] },
  "openai/gpt-5-mini": { label: "GPT-5 mini", alternatives: [GPT_OSS_20B, QWEN3_30B_THINKING, QWEN3_32B] },
  "openai/gpt-5-nano": { label: "GPT-5 nano", alternatives: [QWEN3_4B, QWEN3_8B, PHI4_MINI] },
  "openai/gpt-4.1": { label: "GPT-4.1", alternatives: [LLAMA_70B, QWEN3_235B, QWEN_CODER_32B] },
  "openai/gpt-4.1-mini": { label: "GPT-4.1 mini", alternatives: [QWEN3_30B_INSTRUCT, MISTRAL_SMALL, QWEN3_32B] },
  "openai/gpt-4.1-nano": { label: "GPT-4.1 nano", alternatives: [QWEN25_7B, QWEN3_4B, PHI4_MINI] },
  "openai/gpt-4o": { label: "GPT-4o", alternatives: [QWEN_VL_72B, MISTRAL_SMALL, QWEN_VL_32B] },
  "openai/gpt-4o-mini": { label: "GPT-4o mini", alternatives: [QWEN_VL_7B, QWEN3_8B, QWEN25_7B] },
  "openai/o3": { label: "o3", alternatives: [GPT_OSS_120B, QWEN3_235B, R1_LLAMA_70B] },
  "openai/o4-mini": { label: "o4-mini", alternatives: [QWEN3_30B_THINKING, GPT_OSS_20B, QWQ, PHI4_REASONING] },
  "openai/text-embedding-3-small": {
    label: "text-embedding-3-small",
    kind: "embedding",
    alternatives: [
      alt("BAAI/bge-small-en-v1.5", "33M-parameter English embedder: near-free to run, 384 dimensions."),
      alt("nomic-ai/nomic-embed-text-v1.5", "8k context and Matryoshka dimensions you can shorten, like OpenAI's `dimensions`."),
      alt("Qwen/Qwen3-Embedding-0.6B", "0.6B multilingual embedder with a 32k context."),
    ],
  },
  "openai/text-embedding-3-large": {
    label: "text-embedding-3-large",
    kind: "embedding",
    alternatives: [
      alt("Qwen/Qwen3-Embedding-8B", "Top-ranked multilingual embedder on MMTEB at release, adjustable dimensions."),
      alt("BAAI/bge-m3", "Multilingual (100+ languages), 8k tokens per input, MIT license."),
      alt("Snowflake/snowflake-arctic-embed-l-v2.0", "Multilingual retrieval embedder whose vectors compress to 256 dimensions (Apache-2.0)."),
    ],
  },
  "anthropic/claude-opus-4-5": { label: "Claude Opus 4.5", alternatives: [QWEN3_235B, GLM_AIR, GPT_OSS_120B] },
  "anthropic/claude-opus-4-1": { label: "Claude Opus 4.1", alternatives: [QWEN3_235B, GLM_AIR, GPT_OSS_120B] },
  "anthropic/claude-sonnet-4-5": { label: "Claude Sonnet 4.5", alternatives: [QWEN3_CODER, GLM_AIR, DEVSTRAL] },
  "anthropic/claude-sonnet-4": { label: "Claude Sonnet 4", alternatives: [QWEN3_CODER, GLM_AIR, DEVSTRAL] },
  "anthropic/claude-haiku-4-5": { label: "Claude Haiku 4.5", alternatives: [QWEN3_30B_INSTRUCT, MISTRAL_SMALL, GPT_OSS_20B] },
  "anthropic/claude-3-5-haiku": { label: "Claude 3.5 Haiku", alternatives: [QWEN3_30B_INSTRUCT, QWEN3_8B, MISTRAL_SMALL] },
  "google/gemini-3-pro-preview": { label: "Gemini 3 Pro (preview)", alternatives: [QWEN3_235B, QWEN_VL_72B, GPT_OSS_120B] },
  "google/gemini-2.5-pro": { label: "Gemini 2.5 Pro", alternatives: [QWEN3_235B, QWEN_VL_72B, GLM_AIR] },
  "google/gemini-2.5-flash": { label: "Gemini 2.5 Flash", alternatives: [QWEN3_30B_THINKING, MISTRAL_SMALL, QWEN_VL_32B] },
  "google/gemini-2.5-flash-lite": { label: "Gemini 2.5 Flash-Lite", alternatives: [QWEN_VL_7B, QWEN3_4B, QWEN25_7B] },
  "google/gemini-2.0-flash": { label: "Gemini 2.0 Flash", alternatives: [QWEN_VL_7B, QWEN3_8B, MISTRAL_SMALL] },
};

const toUsd = (micros: number) => micros / 1_000_000;

function suggestion(key: string, entry: Entry): SwitchSuggestion {
  const price = WESTERN_PRICES[key]!;
  return {
    western: key,
    label: entry.label,
    provider: key.slice(0, key.indexOf("/")),
    kind: entry.kind ?? "chat",
    inputPerMillionUsd: toUsd(price.input),
    outputPerMillionUsd: toUsd(price.output),
    alternatives: entry.alternatives.map((a) => ({ ...a })),
  };
}

/** Every priced Western model with its open alternatives, in WESTERN_PRICES order (grouped by provider). */
export function switchSuggestions(): SwitchSuggestion[] {
  return Object.keys(WESTERN_PRICES).flatMap((key) => (TABLE[key] ? [suggestion(key, TABLE[key])] : []));
}

/**
 * One Western model's suggestion. Accepts what clients send: `provider/model`, the `gemini/` alias,
 * bare names (`gpt-4o`, `claude-sonnet-4-5`), and dated snapshots (`claude-sonnet-4-5-20250929`), which
 * resolve to their family by priceFor's longest-prefix rule.
 */
export function alternativesFor(westernModel: string): SwitchSuggestion | undefined {
  const ref = parseModelName(westernModel.trim());
  if (!ref || ref.provider === "runpod") return undefined;
  const price = priceFor(`${ref.provider}/${ref.model}`);
  // priceFor returns the table's own object, so identity finds the key it matched.
  const key = price && Object.keys(WESTERN_PRICES).find((k) => WESTERN_PRICES[k] === price);
  const entry = key ? TABLE[key] : undefined;
  return key && entry ? suggestion(key, entry) : undefined;
}
