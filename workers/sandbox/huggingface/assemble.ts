import { hexOf, objectId, unit, fnv1a } from "./hash";
import type { InferenceProviderEntry } from "./types";

/**
 * Pieces of a Hub model record that the sample script and the generator assemble the same way: the
 * tag list in the Hub's order, the API's `config` digest, `transformersInfo`, quantisation configs and
 * the provider mapping.
 */

export interface TokenizerInfo {
  bos?: string | null | undefined;
  eos: string;
  pad?: string | undefined;
  chat_template?: string | undefined;
}

/** The API's `config` field: a digest of config.json plus the tokenizer's special tokens. */
export function apiConfigOf(configJson: Record<string, unknown>, tok?: TokenizerInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (configJson.architectures) out.architectures = configJson.architectures;
  if (configJson.model_type) out.model_type = configJson.model_type;
  if (configJson.architecture) out.architectures = [configJson.architecture];
  if (configJson.quantization_config) out.quantization_config = configJson.quantization_config;
  if (tok) {
    const tokenizer_config: Record<string, unknown> = {};
    if (tok.bos !== undefined) tokenizer_config.bos_token = tok.bos;
    if (tok.chat_template) tokenizer_config.chat_template = tok.chat_template;
    tokenizer_config.eos_token = tok.eos;
    if (tok.pad) tokenizer_config.pad_token = tok.pad;
    tokenizer_config.unk_token = null;
    out.tokenizer_config = tokenizer_config;
  }
  return out;
}

const AUTO_MODEL: Record<string, string> = {
  "text-generation": "AutoModelForCausalLM",
  "fill-mask": "AutoModelForMaskedLM",
  "text-classification": "AutoModelForSequenceClassification",
  "text-ranking": "AutoModelForSequenceClassification",
  "zero-shot-classification": "AutoModelForSequenceClassification",
  "token-classification": "AutoModelForTokenClassification",
  "question-answering": "AutoModelForQuestionAnswering",
  summarization: "AutoModelForSeq2SeqLM",
  translation: "AutoModelForSeq2SeqLM",
  "text2text-generation": "AutoModelForSeq2SeqLM",
  "image-classification": "AutoModelForImageClassification",
  "image-text-to-text": "AutoModelForImageTextToText",
  "image-to-text": "AutoModelForVision2Seq",
  "automatic-speech-recognition": "AutoModelForSpeechSeq2Seq",
  "object-detection": "AutoModelForObjectDetection",
  "zero-shot-object-detection": "AutoModelForZeroShotObjectDetection",
  "zero-shot-image-classification": "AutoModelForZeroShotImageClassification",
  "depth-estimation": "AutoModelForDepthEstimation",
  "image-segmentation": "AutoModelForSemanticSegmentation",
  "text-to-audio": "AutoModelForTextToWaveform",
  "text-to-speech": "AutoModelForTextToSpectrogram",
};

const VISION_TASKS = new Set(["image-classification", "object-detection", "zero-shot-object-detection", "depth-estimation", "image-segmentation", "image-feature-extraction", "mask-generation"]);
const MULTIMODAL_TASKS = new Set(["image-text-to-text", "image-to-text", "automatic-speech-recognition", "zero-shot-image-classification", "text-to-audio", "text-to-speech", "audio-text-to-text", "any-to-any"]);

export function transformersInfoFor(pipeline: string | undefined): { auto_model: string; pipeline_tag?: string; processor?: string } {
  const auto_model = (pipeline && AUTO_MODEL[pipeline]) ?? "AutoModel";
  const processor = pipeline && VISION_TASKS.has(pipeline) ? "AutoImageProcessor" : pipeline && MULTIMODAL_TASKS.has(pipeline) ? "AutoProcessor" : "AutoTokenizer";
  return pipeline ? { auto_model, pipeline_tag: pipeline, processor } : { auto_model, processor };
}

export interface TagInput {
  library?: string | undefined;
  formats: string[];
  modelType?: string | undefined;
  pipeline?: string | undefined;
  cardTags?: string[] | undefined;
  conversational?: boolean | undefined;
  languages?: string[] | undefined;
  base?: string | undefined;
  relation?: string | undefined;
  license: string;
  textGeneration?: boolean | undefined;
}

/** Tags in the order the Hub lists them: library, formats, architecture, task, card tags, ..., region. */
export function repoTags(t: TagInput): string[] {
  const tags = [
    t.library,
    ...t.formats,
    t.modelType,
    t.pipeline,
    ...(t.cardTags ?? []),
    t.conversational ? "conversational" : undefined,
    ...(t.languages ?? []),
    t.base ? `base_model:${t.base}` : undefined,
    t.base && t.relation ? `base_model:${t.relation}:${t.base}` : undefined,
    `license:${t.license}`,
    t.textGeneration ? "autotrain_compatible" : undefined,
    t.textGeneration ? "text-generation-inference" : undefined,
    t.library === "transformers" || t.library === "sentence-transformers" ? "endpoints_compatible" : undefined,
    "region:us",
  ];
  const seen = new Set<string>();
  return tags.filter((x): x is string => {
    if (!x || seen.has(x)) return false;
    seen.add(x);
    return true;
  });
}

export function quantizationConfig(format: string): Record<string, unknown> | undefined {
  switch (format) {
    case "awq":
      return { bits: 4, group_size: 128, modules_to_not_convert: null, quant_method: "awq", version: "gemm", zero_point: true };
    case "gptq":
      return { bits: 4, damp_percent: 0.01, desc_act: false, group_size: 128, quant_method: "gptq", static_groups: false, sym: true, true_sequential: true };
    case "fp8":
      return {
        config_groups: { group_0: { input_activations: { dynamic: true, num_bits: 8, strategy: "token", type: "float" }, targets: ["Linear"], weights: { dynamic: false, num_bits: 8, strategy: "channel", type: "float" } } },
        format: "float-quantized", ignore: ["lm_head"], quant_method: "compressed-tensors", quantization_status: "compressed",
      };
    case "bnb-4bit":
      return { _load_in_4bit: true, bnb_4bit_compute_dtype: "bfloat16", bnb_4bit_quant_type: "nf4", bnb_4bit_use_double_quant: true, load_in_4bit: true, quant_method: "bitsandbytes" };
    default:
      return undefined;
  }
}

/** Where each provider knows the model: most use the Hub id, some their own slug. */
export function providerMapping(repoId: string, providers: string[], task: string): InferenceProviderEntry[] {
  const name = repoId.split("/")[1] ?? repoId;
  return providers.map((provider) => {
    const providerId =
      provider === "fireworks-ai" ? `accounts/fireworks/models/${name.toLowerCase().replace(/\./g, "p")}` :
      provider === "groq" || provider === "cerebras" || provider === "sambanova" ? name.toLowerCase() :
      repoId;
    return { provider, providerId, status: "live" as const, task };
  });
}

export const DAY_MS = 86_400_000;

/** createdAt/lastModified for a repository first pushed on `date`, stable per id. */
export function repoDates(id: string, date: string, maxAgeDays = 240, cap = "2026-11-20T00:00:00.000Z"): { createdAt: string; lastModified: string } {
  const h = fnv1a(id);
  const created = Date.parse(`${date}T00:00:00.000Z`) + (h % 86_400) * 1000;
  const modified = Math.min(created + Math.floor(unit(h, 7) * maxAgeDays * DAY_MS), Date.parse(cap));
  return { createdAt: new Date(created).toISOString(), lastModified: new Date(modified).toISOString() };
}

export function repoIds(id: string, createdAt: string, lastModified: string): { _id: string; sha: string } {
  return { _id: objectId(id, createdAt), sha: hexOf(`sha:${id}:${lastModified}`, 40) };
}
