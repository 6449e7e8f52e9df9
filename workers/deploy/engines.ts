/**
 * Which model architectures (config.json `architectures[0]`) each serving engine runs, as data, plus
 * the per-engine worker images and knobs the planner writes into the endpoint's env.
 *
 * vLLM's list follows its "Supported Models" page for the version the RunPod worker ships (vLLM 0.2x,
 * V1 engine). Left out on purpose: encoder-decoder models the V1 engine dropped (T5, BART, Florence-2,
 * Mllama), and architectures vLLM has no native implementation for (GPT-Neo, BitNet, RecurrentGemma,
 * Moondream), which would fall back to the slow Transformers backend or not load at all.
 * SGLang's list is narrower and pinned to the worker's base image (lmsysorg/sglang v0.5.2): the common
 * decoder families and a few vision-language models. The RunPod SGLang worker exposes chat/completions
 * and models only (reference §1.8), so it gets no embedding architectures.
 */

export type Engine = "vllm" | "sglang";
export type ModelKind = "chat" | "embedding";

export const ENGINE_LABEL: Record<Engine, string> = { vllm: "vLLM", sglang: "SGLang" };

/** Worker images (reference §1.7, §1.8): the latest release tags at the research date. */
export const ENGINE_IMAGE: Record<Engine, string> = {
  vllm: "runpod/worker-v1-vllm:v2.25.2",
  sglang: "runpod/worker-sglang:2.0.1",
};

const VLLM_TEXT = [
  "ApertusForCausalLM", "BaichuanForCausalLM", "BloomForCausalLM", "ChatGLMForConditionalGeneration", "ChatGLMModel", "CohereForCausalLM",
  "Cohere2ForCausalLM", "DbrxForCausalLM", "DeciLMForCausalLM", "DeepseekForCausalLM", "DeepseekV2ForCausalLM", "DeepseekV3ForCausalLM",
  "DeepseekV32ForCausalLM", "Ernie4_5ForCausalLM", "Ernie4_5_MoeForCausalLM", "ExaoneForCausalLM", "Exaone4ForCausalLM", "FalconForCausalLM",
  "FalconH1ForCausalLM", "GemmaForCausalLM", "Gemma2ForCausalLM", "Gemma3ForCausalLM", "GlmForCausalLM", "Glm4ForCausalLM",
  "Glm4MoeForCausalLM", "GPT2LMHeadModel", "GPTBigCodeForCausalLM", "GPTJForCausalLM", "GPTNeoXForCausalLM", "GptOssForCausalLM",
  "GraniteForCausalLM", "GraniteMoeForCausalLM", "GraniteMoeHybridForCausalLM", "HunYuanDenseV1ForCausalLM", "HunYuanMoEV1ForCausalLM",
  "InternLM2ForCausalLM", "InternLM3ForCausalLM", "JambaForCausalLM", "Lfm2ForCausalLM", "LlamaForCausalLM", "MambaForCausalLM",
  "Mamba2ForCausalLM", "MiniCPMForCausalLM", "MiniCPM3ForCausalLM", "MiniMaxM1ForCausalLM", "MiniMaxM2ForCausalLM", "MiniMaxText01ForCausalLM",
  "MistralForCausalLM", "MixtralForCausalLM", "NemotronForCausalLM", "NemotronHForCausalLM", "OlmoForCausalLM", "Olmo2ForCausalLM",
  "OlmoeForCausalLM", "OPTForCausalLM", "PhiForCausalLM", "Phi3ForCausalLM", "PhiMoEForCausalLM", "Qwen2ForCausalLM", "Qwen2MoeForCausalLM",
  "Qwen3ForCausalLM", "Qwen3MoeForCausalLM", "Qwen3NextForCausalLM", "SeedOssForCausalLM", "SmolLM3ForCausalLM", "StableLmForCausalLM",
  "Starcoder2ForCausalLM",
];

const VLLM_VISION = [
  "DeepseekOCRForCausalLM", "DeepseekVLV2ForCausalLM", "Gemma3ForConditionalGeneration", "Gemma3nForConditionalGeneration",
  "Idefics3ForConditionalGeneration", "InternVLChatModel", "KimiVLForConditionalGeneration", "LlavaForConditionalGeneration",
  "LlavaNextForConditionalGeneration", "LlavaOnevisionForConditionalGeneration", "Llama4ForConditionalGeneration", "MiniCPMV",
  "Mistral3ForConditionalGeneration", "MolmoForCausalLM", "PaliGemmaForConditionalGeneration", "Phi3VForCausalLM", "Phi4MMForCausalLM",
  "Qwen2VLForConditionalGeneration", "Qwen2_5_VLForConditionalGeneration", "Qwen3VLForConditionalGeneration",
  "Qwen3VLMoeForConditionalGeneration", "SmolVLMForConditionalGeneration",
];

/** Pooling (embedding) architectures. Decoder LLMs in this list serve embeddings through vLLM's embed conversion. */
const VLLM_EMBEDDING = [
  "BertModel", "RobertaModel", "XLMRobertaModel", "NomicBertModel", "NewModel", "GteModel", "ModernBertModel", "Gemma3TextModel",
  "Qwen2Model", "Qwen3Model", "Qwen2ForCausalLM", "Qwen3ForCausalLM", "LlamaModel", "LlamaForCausalLM", "MistralModel",
  "MistralForCausalLM", "Gemma2Model", "Gemma2ForCausalLM",
];

const SGLANG_TEXT = [
  "LlamaForCausalLM", "MistralForCausalLM", "MixtralForCausalLM", "Qwen2ForCausalLM", "Qwen2MoeForCausalLM", "Qwen3ForCausalLM",
  "Qwen3MoeForCausalLM", "GemmaForCausalLM", "Gemma2ForCausalLM", "Gemma3ForCausalLM", "DeepseekV2ForCausalLM", "DeepseekV3ForCausalLM",
  "Phi3ForCausalLM", "GptOssForCausalLM", "Glm4ForCausalLM", "Glm4MoeForCausalLM", "CohereForCausalLM", "DbrxForCausalLM",
  "InternLM2ForCausalLM", "Olmo2ForCausalLM", "OlmoeForCausalLM", "GraniteForCausalLM", "GraniteMoeForCausalLM", "ExaoneForCausalLM",
  "StableLmForCausalLM", "MiniCPMForCausalLM", "Grok1ForCausalLM",
];

const SGLANG_VISION = [
  "Qwen2VLForConditionalGeneration", "Qwen2_5_VLForConditionalGeneration", "Gemma3ForConditionalGeneration", "LlavaForConditionalGeneration",
  "Llama4ForConditionalGeneration", "MiniCPMV",
];

export const SUPPORTED: Record<Engine, Record<ModelKind, ReadonlySet<string>>> = {
  vllm: { chat: new Set([...VLLM_TEXT, ...VLLM_VISION]), embedding: new Set(VLLM_EMBEDDING) },
  sglang: { chat: new Set([...SGLANG_TEXT, ...SGLANG_VISION]), embedding: new Set() },
};

export function supports(engine: Engine, kind: ModelKind, architecture: string): boolean {
  return SUPPORTED[engine][kind].has(architecture);
}

/**
 * Encoder-only embedders keep no KV cache between steps; their memory is weights plus activations.
 * Decoder-based embedders (e5-mistral, gte-Qwen2, Qwen3-Embedding) do allocate one.
 */
export const ENCODER_ONLY = new Set(["BertModel", "RobertaModel", "XLMRobertaModel", "NomicBertModel", "NewModel", "GteModel", "ModernBertModel", "Gemma3TextModel"]);

/**
 * Architectures whose config or model classes come from the repository's own Python code (auto_map),
 * so the engine must be started with trust-remote-code. config.json's auto_map is checked too; this list
 * covers repos whose mirrored config omits it.
 */
export const NEEDS_REMOTE_CODE = new Set([
  "NomicBertModel", "NewModel", "InternVLChatModel", "MiniCPMV", "Phi3VForCausalLM", "ChatGLMModel", "ChatGLMForConditionalGeneration",
  "DeepseekOCRForCausalLM", "MolmoForCausalLM", "KimiVLForConditionalGeneration", "DeciLMForCausalLM", "Phi4MMForCausalLM",
]);

export type ToolFamily = "qwen" | "llama3" | "mistral" | "gpt-oss";

/** Tool-call parser names differ per engine (vLLM --tool-call-parser vs SGLang --tool-call-parser). */
export const TOOL_PARSER: Record<Engine, Record<ToolFamily, string>> = {
  vllm: { qwen: "hermes", llama3: "llama3_json", mistral: "mistral", "gpt-oss": "openai" },
  sglang: { qwen: "qwen25", llama3: "llama3", mistral: "mistral", "gpt-oss": "gpt-oss" },
};

/**
 * The family whose tool-call format we know, from the architecture and repo name. Distills keep their
 * base architecture but not its tool template (DeepSeek-R1-Distill-Qwen is a Qwen2ForCausalLM that
 * never emits Hermes tool calls), so the name has to agree with the architecture.
 */
export function toolFamily(id: string, architecture: string | undefined): ToolFamily | undefined {
  const name = id.toLowerCase();
  const arch = architecture ?? "";
  if (/distill/.test(name)) return undefined;
  if (arch === "GptOssForCausalLM") return "gpt-oss";
  if (/^Qwen[23]/.test(arch) && name.includes("qwen")) return "qwen";
  if (arch === "LlamaForCausalLM" && /llama-?3/.test(name)) return "llama3";
  if (/^(Mistral|Mixtral)/.test(arch) && /mistral|mixtral|ministral|codestral|devstral/.test(name)) return "mistral";
  return undefined;
}

/**
 * vLLM's --quantization values for what checkpoints declare. AWQ and GPTQ map to their Marlin kernels
 * explicitly: naming plain "awq"/"gptq" pins vLLM to the older, several-times slower kernels, and every
 * pool we plan on is Ampere or newer, which Marlin needs. SGLang accepts the same names.
 */
export function quantizationFlag(method: string): string | undefined {
  switch (method) {
    case "awq": return "awq_marlin";
    case "gptq": return "gptq_marlin";
    case "fp8": case "mxfp4": case "bitsandbytes": case "compressed-tensors": case "modelopt": case "fbgemm_fp8":
      return method;
    default: return undefined;
  }
}
