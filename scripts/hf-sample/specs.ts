import { type DecoderShape } from "../../workers/sandbox/huggingface/arch";

/**
 * Architecture shapes of the sample models (from their public config.json files). Decoder shapes give
 * their parameter count by layer arithmetic; other models carry a fixed count and a short config.json.
 */

export interface Tok {
  bos?: string | null;
  eos: string;
  pad?: string;
  template?: keyof typeof TEMPLATES;
}

export type Spec =
  | { kind: "decoder"; shape: DecoderShape; tok: Tok; headless?: boolean }
  | { kind: "multimodal"; text: DecoderShape; visionParams: number; model_type: string; architectures: string[]; tok: Tok; flat?: boolean }
  | { kind: "fixed"; params: number | Record<string, number>; dtype: string; config: Record<string, unknown>; tok?: Tok; pipe?: string; lib?: string; files?: string[] }
  | { kind: "diffusers"; className: string; gb: number }
  | { kind: "none"; files: Array<[string, number]> };

export const TEMPLATES = {
  llama3:
    "{{- bos_token }}{%- for message in messages %}{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{%- endfor %}{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}",
  chatml:
    "{%- for message in messages %}{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}",
  mistral:
    "{{- bos_token }}{%- for message in messages %}{%- if message['role'] == 'user' %}{{- '[INST] ' + message['content'] + '[/INST]' }}{%- else %}{{- message['content'] + eos_token }}{%- endif %}{%- endfor %}",
  gemma:
    "{{ bos_token }}{% for message in messages %}{{ '<start_of_turn>' + (message['role'] == 'assistant' and 'model' or message['role']) + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}",
  phi3:
    "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}",
  deepseek:
    "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '<｜User｜>' + message['content'] }}{% else %}{{ '<｜Assistant｜>' + message['content'] + '<｜end▁of▁sentence｜>' }}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<｜Assistant｜>' }}{% endif %}",
  zephyr:
    "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + eos_token + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}",
};

const TOK = {
  llama3: { bos: "<|begin_of_text|>", eos: "<|eot_id|>", template: "llama3" },
  llama3base: { bos: "<|begin_of_text|>", eos: "<|end_of_text|>" },
  llama2: { bos: "<s>", eos: "</s>", template: "mistral" },
  qwen: { bos: null, eos: "<|im_end|>", pad: "<|endoftext|>", template: "chatml" },
  mistral: { bos: "<s>", eos: "</s>", template: "mistral" },
  gemma: { bos: "<bos>", eos: "<eos>", pad: "<pad>", template: "gemma" },
  phi3: { bos: "<s>", eos: "<|endoftext|>", template: "phi3" },
  deepseek: { bos: "<｜begin▁of▁sentence｜>", eos: "<｜end▁of▁sentence｜>", template: "deepseek" },
  chatml: { bos: "<|startoftext|>", eos: "<|im_end|>", template: "chatml" },
  gpt2: { bos: "<|endoftext|>", eos: "<|endoftext|>" },
  bert: { eos: "[SEP]", bos: "[CLS]", pad: "[PAD]" },
  roberta: { eos: "</s>", bos: "<s>", pad: "<pad>" },
} satisfies Record<string, Tok>;

type ShapeArgs = [model_type: string, arch: string, hidden: number, layers: number, heads: number, kv: number, inter: number, vocab: number, maxPos: number];
function shape(args: ShapeArgs, more: Partial<DecoderShape> = {}): DecoderShape {
  const [model_type, arch, hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads, intermediate_size, vocab_size, max_position_embeddings] = args;
  return { model_type, architectures: [arch], hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads, intermediate_size, vocab_size, max_position_embeddings, torch_dtype: "bfloat16", ...more };
}

const llama3 = (h: number, l: number, hd: number, kv: number, inter: number, more: Partial<DecoderShape> = {}) =>
  shape(["llama", "LlamaForCausalLM", h, l, hd, kv, inter, 128256, 131072], {
    rope_theta: 500000, bos_token_id: 128000, eos_token_id: [128001, 128008, 128009],
    extra: { rope_scaling: { factor: 8, high_freq_factor: 4, low_freq_factor: 1, original_max_position_embeddings: 8192, rope_type: "llama3" } }, ...more,
  });
const qwen2 = (h: number, l: number, heads: number, kv: number, inter: number, vocab: number, tie: boolean) =>
  shape(["qwen2", "Qwen2ForCausalLM", h, l, heads, kv, inter, vocab, 32768], { qkv_bias: true, tie_word_embeddings: tie, rope_theta: 1000000, rms_norm_eps: 1e-6, bos_token_id: 151643, eos_token_id: 151645, extra: { sliding_window: 131072, use_sliding_window: false } });
const qwen3 = (h: number, l: number, heads: number, inter: number, tie: boolean) =>
  shape(["qwen3", "Qwen3ForCausalLM", h, l, heads, 8, inter, 151936, 40960], { head_dim: 128, qk_norm: true, tie_word_embeddings: tie, rope_theta: 1000000, rms_norm_eps: 1e-6, bos_token_id: 151643, eos_token_id: 151645 });
const qwen3moe = (h: number, l: number, heads: number, kv: number, moe: number, experts: number, inter: number) =>
  shape(["qwen3_moe", "Qwen3MoeForCausalLM", h, l, heads, kv, inter, 151936, 40960], { head_dim: 128, qk_norm: true, num_experts: experts, num_experts_per_tok: 8, moe_intermediate_size: moe, rope_theta: 1000000, rms_norm_eps: 1e-6, bos_token_id: 151643, eos_token_id: 151645 });
const mistral = (h: number, l: number, heads: number, kv: number, inter: number, vocab: number, maxPos: number, more: Partial<DecoderShape> = {}) =>
  shape(["mistral", "MistralForCausalLM", h, l, heads, kv, inter, vocab, maxPos], { rope_theta: 1000000, extra: { sliding_window: null }, ...more });
const gemma2 = (h: number, l: number, heads: number, kv: number, hd: number, inter: number) =>
  shape(["gemma2", "Gemma2ForCausalLM", h, l, heads, kv, inter, 256000, 8192], { head_dim: hd, tie_word_embeddings: true, norms_per_layer: 4, hidden_act: "gelu_pytorch_tanh", rms_norm_eps: 1e-6, bos_token_id: 2, eos_token_id: 1, extra: { attn_logit_softcapping: 50, final_logit_softcapping: 30, sliding_window: 4096 } });
const gemma3text = (h: number, l: number, heads: number, kv: number, hd: number, inter: number) =>
  shape(["gemma3_text", "Gemma3ForCausalLM", h, l, heads, kv, inter, 262144, 32768], { head_dim: hd, tie_word_embeddings: true, norms_per_layer: 4, qk_norm: true, hidden_act: "gelu_pytorch_tanh", rms_norm_eps: 1e-6, rope_theta: 1000000, bos_token_id: 2, eos_token_id: [1, 106], extra: { sliding_window: 512 } });
const phi3 = (h: number, l: number, heads: number, kv: number, inter: number, vocab: number, maxPos: number, tie = false) =>
  shape(["phi3", "Phi3ForCausalLM", h, l, heads, kv, inter, vocab, maxPos], { tie_word_embeddings: tie, bos_token_id: 1, eos_token_id: 32000 });
const bert = (arch: string, model_type: string, h: number, l: number, vocab: number, maxPos = 512) => ({
  architectures: [arch], model_type, hidden_size: h, num_hidden_layers: l, num_attention_heads: Math.max(1, h / 64), intermediate_size: 4 * h, vocab_size: vocab, max_position_embeddings: maxPos, torch_dtype: "float32",
});
const fixed = (params: number | Record<string, number>, config: Record<string, unknown>, more: { dtype?: string; tok?: Tok; pipe?: string; lib?: string; files?: string[] } = {}): Spec => ({
  kind: "fixed", params, dtype: more.dtype ?? "F32", config, ...more,
});
const mm = (text: DecoderShape, visionParams: number, model_type: string, arch: string, tok: Tok, flat = false): Spec => ({ kind: "multimodal", text, visionParams, model_type, architectures: [arch], tok, flat });
const dec = (s: DecoderShape, tok: Tok, headless = false): Spec => ({ kind: "decoder", shape: s, tok, headless });

const deepseekV3 = (total: number, experts: number, heads: number, vocab: number) =>
  fixed({ BF16: Math.round(total * 0.0057), F8_E4M3: Math.round(total * 0.9942), F32: Math.round(total * 0.0001) }, {
    architectures: ["DeepseekV3ForCausalLM"], model_type: "deepseek_v3", hidden_size: 7168, num_hidden_layers: 61, num_attention_heads: heads, num_key_value_heads: heads,
    intermediate_size: 18432, moe_intermediate_size: 2048, n_routed_experts: experts, n_shared_experts: 1, num_experts_per_tok: 8, first_k_dense_replace: 3,
    q_lora_rank: 1536, kv_lora_rank: 512, qk_nope_head_dim: 128, qk_rope_head_dim: 64, v_head_dim: 128, vocab_size: vocab, max_position_embeddings: 163840,
    torch_dtype: "bfloat16", quantization_config: { activation_scheme: "dynamic", fmt: "e4m3", quant_method: "fp8", weight_block_size: [128, 128] },
  }, { dtype: "mixed", tok: TOK.deepseek });

export const SPECS: Record<string, Spec> = {
  // ---- Llama
  "llama3-8b": dec(llama3(4096, 32, 32, 8, 14336), TOK.llama3),
  "llama3-8b-base": dec(llama3(4096, 32, 32, 8, 14336, { eos_token_id: 128001 }), TOK.llama3base),
  "llama3.0-8b": dec(llama3(4096, 32, 32, 8, 14336, { max_position_embeddings: 8192, extra: {} }), TOK.llama3),
  "llama3-70b": dec(llama3(8192, 80, 64, 8, 28672), TOK.llama3),
  "llama3.0-70b": dec(llama3(8192, 80, 64, 8, 28672, { max_position_embeddings: 8192, extra: {} }), TOK.llama3),
  "llama3-405b": dec(llama3(16384, 126, 128, 8, 53248), TOK.llama3),
  "llama3.2-1b": dec(llama3(2048, 16, 32, 8, 8192, { head_dim: 64, tie_word_embeddings: true }), TOK.llama3),
  "llama3.2-3b": dec(llama3(3072, 28, 24, 8, 8192, { head_dim: 128, tie_word_embeddings: true }), TOK.llama3),
  "llama-guard-1b": dec(llama3(2048, 16, 32, 8, 8192, { head_dim: 64 }), TOK.llama3),
  "llama3.2-11b-vision": mm(llama3(4096, 40, 32, 8, 14336), 897_000_000, "mllama", "MllamaForConditionalGeneration", TOK.llama3),
  "llama3.2-90b-vision": mm(llama3(8192, 100, 64, 8, 28672), 897_000_000, "mllama", "MllamaForConditionalGeneration", TOK.llama3),
  "llama4-scout": fixed(108_641_793_536, { architectures: ["Llama4ForConditionalGeneration"], model_type: "llama4", text_config: { hidden_size: 5120, num_hidden_layers: 48, num_attention_heads: 40, num_key_value_heads: 8, head_dim: 128, num_local_experts: 16, num_experts_per_tok: 1, intermediate_size: 8192, intermediate_size_mlp: 16384, vocab_size: 202048, max_position_embeddings: 10485760 }, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.llama3, pipe: "image-text-to-text" }),
  "llama4-maverick": fixed(401_583_781_376, { architectures: ["Llama4ForConditionalGeneration"], model_type: "llama4", text_config: { hidden_size: 5120, num_hidden_layers: 48, num_attention_heads: 40, num_key_value_heads: 8, head_dim: 128, num_local_experts: 128, num_experts_per_tok: 1, intermediate_size: 8192, intermediate_size_mlp: 16384, vocab_size: 202048, max_position_embeddings: 1048576 }, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.llama3, pipe: "image-text-to-text" }),
  "llama2-7b": dec(shape(["llama", "LlamaForCausalLM", 4096, 32, 32, 32, 11008, 32000, 4096], { torch_dtype: "float16" }), TOK.llama2),
  "llama2-13b": dec(shape(["llama", "LlamaForCausalLM", 5120, 40, 40, 40, 13824, 32000, 4096], { torch_dtype: "float16" }), TOK.llama2),
  "llama2-70b": dec(shape(["llama", "LlamaForCausalLM", 8192, 80, 64, 8, 28672, 32000, 4096], { torch_dtype: "float16" }), TOK.llama2),
  "codellama-7b": dec(shape(["llama", "LlamaForCausalLM", 4096, 32, 32, 32, 11008, 32016, 16384], { rope_theta: 1000000 }), TOK.llama2),
  "codellama-13b": dec(shape(["llama", "LlamaForCausalLM", 5120, 40, 40, 40, 13824, 32016, 16384], { rope_theta: 1000000 }), TOK.llama2),
  "codellama-34b": dec(shape(["llama", "LlamaForCausalLM", 8192, 48, 64, 8, 22016, 32000, 16384], { rope_theta: 1000000 }), TOK.llama2),
  tinyllama: dec(shape(["llama", "LlamaForCausalLM", 2048, 22, 32, 4, 5632, 32000, 2048]), { ...TOK.llama2, template: "zephyr" }),
  "smollm2-135m": dec(shape(["llama", "LlamaForCausalLM", 576, 30, 9, 3, 1536, 49152, 8192], { tie_word_embeddings: true, rope_theta: 100000 }), TOK.chatml),
  "smollm2-360m": dec(shape(["llama", "LlamaForCausalLM", 960, 32, 15, 5, 2560, 49152, 8192], { tie_word_embeddings: true, rope_theta: 100000 }), TOK.chatml),
  "smollm2-1.7b": dec(shape(["llama", "LlamaForCausalLM", 2048, 24, 32, 32, 8192, 49152, 8192], { tie_word_embeddings: true, rope_theta: 130000 }), TOK.chatml),
  "smollm3-3b": dec(shape(["smollm3", "SmolLM3ForCausalLM", 2048, 36, 16, 4, 11008, 128256, 65536], { tie_word_embeddings: true, rope_theta: 5000000 }), TOK.chatml),
  // ---- Qwen
  "qwen2.5-0.5b": dec(qwen2(896, 24, 14, 2, 4864, 151936, true), TOK.qwen),
  "qwen2.5-1.5b": dec(qwen2(1536, 28, 12, 2, 8960, 151936, true), TOK.qwen),
  "qwen2.5-3b": dec(qwen2(2048, 36, 16, 2, 11008, 151936, true), TOK.qwen),
  "qwen2.5-7b": dec(qwen2(3584, 28, 28, 4, 18944, 152064, false), TOK.qwen),
  "qwen2.5-14b": dec(qwen2(5120, 48, 40, 8, 13824, 152064, false), TOK.qwen),
  "qwen2.5-32b": dec(qwen2(5120, 64, 40, 8, 27648, 152064, false), TOK.qwen),
  "qwen2.5-72b": dec(qwen2(8192, 80, 64, 8, 29568, 152064, false), TOK.qwen),
  "qwen2.5-7b-embed": dec(qwen2(3584, 28, 28, 4, 18944, 151646, false), TOK.qwen, true),
  "qwen2.5-1.5b-embed": dec(qwen2(1536, 28, 12, 2, 8960, 151646, true), TOK.qwen, true),
  "qwen3-0.6b": dec(qwen3(1024, 28, 16, 3072, true), TOK.qwen),
  "qwen3-1.7b": dec(qwen3(2048, 28, 16, 6144, true), TOK.qwen),
  "qwen3-4b": dec(qwen3(2560, 36, 32, 9728, true), TOK.qwen),
  "qwen3-8b": dec(qwen3(4096, 36, 32, 12288, false), TOK.qwen),
  "qwen3-14b": dec(qwen3(5120, 40, 40, 17408, false), TOK.qwen),
  "qwen3-32b": dec(qwen3(5120, 64, 64, 25600, false), TOK.qwen),
  "qwen3-8b-embed": dec(qwen3(4096, 36, 32, 12288, false), TOK.qwen, true),
  "qwen3-30b-a3b": dec(qwen3moe(2048, 48, 32, 4, 768, 128, 6144), TOK.qwen),
  "qwen3-235b-a22b": dec(qwen3moe(4096, 94, 64, 4, 1536, 128, 12288), TOK.qwen),
  "qwen3-coder-480b": dec(qwen3moe(6144, 62, 96, 8, 2560, 160, 8192), TOK.qwen),
  "qwen3-next-80b": fixed(81_324_235_264, { architectures: ["Qwen3NextForCausalLM"], model_type: "qwen3_next", hidden_size: 2048, num_hidden_layers: 48, num_attention_heads: 16, num_key_value_heads: 2, head_dim: 256, num_experts: 512, num_experts_per_tok: 10, moe_intermediate_size: 512, vocab_size: 151936, max_position_embeddings: 262144, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.qwen }),
  "qwen2.5-vl-3b": mm(qwen2(2048, 36, 16, 2, 11008, 151936, true), 668_683_776, "qwen2_5_vl", "Qwen2_5_VLForConditionalGeneration", TOK.qwen, true),
  "qwen2.5-vl-7b": mm(qwen2(3584, 28, 28, 4, 18944, 152064, false), 676_550_656, "qwen2_5_vl", "Qwen2_5_VLForConditionalGeneration", TOK.qwen, true),
  "qwen2.5-vl-32b": mm(qwen2(5120, 64, 40, 8, 27648, 152064, false), 676_550_656, "qwen2_5_vl", "Qwen2_5_VLForConditionalGeneration", TOK.qwen, true),
  "qwen2.5-vl-72b": mm(qwen2(8192, 80, 64, 8, 29568, 152064, false), 676_550_656, "qwen2_5_vl", "Qwen2_5_VLForConditionalGeneration", TOK.qwen, true),
  "qwen2-vl-7b": mm(qwen2(3584, 28, 28, 4, 18944, 152064, false), 675_753_984, "qwen2_vl", "Qwen2VLForConditionalGeneration", TOK.qwen, true),
  "qwen2-audio-7b": mm(qwen2(4096, 32, 32, 32, 11008, 156032, false), 636_000_000, "qwen2_audio", "Qwen2AudioForConditionalGeneration", TOK.qwen),
  // ---- Mistral
  "mistral-7b-v0.1": dec(mistral(4096, 32, 32, 8, 14336, 32000, 32768, { rope_theta: 10000, extra: { sliding_window: 4096 } }), TOK.mistral),
  "mistral-7b-v0.3": dec(mistral(4096, 32, 32, 8, 14336, 32768, 32768), TOK.mistral),
  "mistral-7b-v0.2": dec(mistral(4096, 32, 32, 8, 14336, 32000, 32768), TOK.mistral),
  "mixtral-8x7b": dec(shape(["mixtral", "MixtralForCausalLM", 4096, 32, 32, 8, 14336, 32000, 32768], { num_experts: 8, num_experts_per_tok: 2, rope_theta: 1000000 }), TOK.mistral),
  "mixtral-8x22b": dec(shape(["mixtral", "MixtralForCausalLM", 6144, 56, 48, 8, 16384, 32768, 65536], { num_experts: 8, num_experts_per_tok: 2, rope_theta: 1000000 }), TOK.mistral),
  "mistral-nemo-12b": dec(mistral(5120, 40, 32, 8, 14336, 131072, 1024000, { head_dim: 128 }), TOK.mistral),
  "mistral-small-24b": dec(mistral(5120, 40, 32, 8, 32768, 131072, 32768, { head_dim: 128, rope_theta: 100000000 }), TOK.mistral),
  "mistral-small-3.1": mm(mistral(5120, 40, 32, 8, 32768, 131072, 131072, { head_dim: 128, rope_theta: 1000000000 }), 438_967_296, "mistral3", "Mistral3ForConditionalGeneration", TOK.mistral),
  "mistral-large-2407": dec(mistral(12288, 88, 96, 8, 28672, 32768, 131072), TOK.mistral),
  "codestral-22b": dec(mistral(6144, 56, 48, 8, 16384, 32768, 32768), TOK.mistral),
  "ministral-8b": dec(mistral(4096, 36, 32, 8, 12288, 131072, 32768, { head_dim: 128, rope_theta: 100000000 }), TOK.mistral),
  "minitron-8b": dec(mistral(4096, 40, 32, 8, 11520, 131072, 8192, { head_dim: 128 }), TOK.mistral),
  "solar-10.7b": dec(shape(["llama", "LlamaForCausalLM", 4096, 48, 32, 8, 14336, 32000, 4096], { torch_dtype: "float16" }), TOK.llama2),
  "mamba-codestral": fixed(7_285_403_648, { architectures: ["Mamba2ForCausalLM"], model_type: "mamba2", hidden_size: 4096, num_hidden_layers: 64, state_size: 128, n_groups: 8, vocab_size: 32768, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.mistral }),
  // ---- Gemma
  "gemma-2b": dec(shape(["gemma", "GemmaForCausalLM", 2048, 18, 8, 1, 16384, 256000, 8192], { head_dim: 256, tie_word_embeddings: true, hidden_act: "gelu", rms_norm_eps: 1e-6, bos_token_id: 2, eos_token_id: 1 }), TOK.gemma),
  "gemma-7b": dec(shape(["gemma", "GemmaForCausalLM", 3072, 28, 16, 16, 24576, 256000, 8192], { head_dim: 256, tie_word_embeddings: true, hidden_act: "gelu", rms_norm_eps: 1e-6, bos_token_id: 2, eos_token_id: 1 }), TOK.gemma),
  "gemma-2-2b": dec(gemma2(2304, 26, 8, 4, 256, 9216), TOK.gemma),
  "gemma-2-9b": dec(gemma2(3584, 42, 16, 8, 256, 14336), TOK.gemma),
  "gemma-2-27b": dec(gemma2(4608, 46, 32, 16, 128, 36864), TOK.gemma),
  "gemma-3-270m": dec(gemma3text(640, 18, 4, 1, 256, 2048), TOK.gemma),
  "gemma-3-1b": dec(gemma3text(1152, 26, 4, 1, 256, 6912), TOK.gemma),
  "gemma-3-4b": mm(gemma3text(2560, 34, 8, 4, 256, 10240), 416_866_032, "gemma3", "Gemma3ForConditionalGeneration", TOK.gemma),
  "gemma-3-12b": mm(gemma3text(3840, 48, 16, 8, 256, 15360), 416_866_032, "gemma3", "Gemma3ForConditionalGeneration", TOK.gemma),
  "gemma-3-27b": mm(gemma3text(5376, 62, 32, 16, 128, 21504), 416_866_032, "gemma3", "Gemma3ForConditionalGeneration", TOK.gemma),
  "gemma-3n-e4b": fixed(7_849_978_192, { architectures: ["Gemma3nForConditionalGeneration"], model_type: "gemma3n", text_config: { hidden_size: 2048, num_hidden_layers: 35, num_attention_heads: 8, num_key_value_heads: 2, head_dim: 256, vocab_size: 262400 }, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.gemma, pipe: "image-text-to-text" }),
  "gemma-3n-e2b": fixed(5_439_438_272, { architectures: ["Gemma3nForConditionalGeneration"], model_type: "gemma3n", text_config: { hidden_size: 2048, num_hidden_layers: 30, num_attention_heads: 8, num_key_value_heads: 2, head_dim: 256, vocab_size: 262400 }, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.gemma, pipe: "image-text-to-text" }),
  "paligemma2-3b": fixed(3_032_242_416, { architectures: ["PaliGemmaForConditionalGeneration"], model_type: "paligemma", text_config: { hidden_size: 2304, num_hidden_layers: 26, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, vocab_size: 257216 }, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.gemma, pipe: "image-text-to-text" }),
  "recurrentgemma-2b": fixed(2_682_862_080, { architectures: ["RecurrentGemmaForCausalLM"], model_type: "recurrent_gemma", hidden_size: 2560, num_hidden_layers: 26, num_attention_heads: 10, vocab_size: 256000, torch_dtype: "bfloat16" }, { dtype: "F32", tok: TOK.gemma }),
  // ---- Phi
  "phi-1_5": fixed(1_418_270_720, { architectures: ["PhiForCausalLM"], model_type: "phi", hidden_size: 2048, num_hidden_layers: 24, num_attention_heads: 32, num_key_value_heads: 32, intermediate_size: 8192, vocab_size: 51200, max_position_embeddings: 2048, torch_dtype: "float16" }, { dtype: "F16", tok: TOK.gpt2 }),
  "phi-2": fixed(2_779_683_840, { architectures: ["PhiForCausalLM"], model_type: "phi", hidden_size: 2560, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, intermediate_size: 10240, vocab_size: 51200, max_position_embeddings: 2048, torch_dtype: "float16" }, { dtype: "F16", tok: TOK.gpt2 }),
  "phi3-mini-4k": dec(phi3(3072, 32, 32, 32, 8192, 32064, 4096), TOK.phi3),
  "phi3-mini-128k": dec(phi3(3072, 32, 32, 32, 8192, 32064, 131072), TOK.phi3),
  "phi3-medium": dec(phi3(5120, 40, 40, 10, 17920, 32064, 4096), TOK.phi3),
  "phi-4": dec(phi3(5120, 40, 40, 10, 17920, 100352, 16384), { bos: "<|endoftext|>", eos: "<|im_end|>", template: "chatml" }),
  "phi-4-mini": dec(phi3(3072, 32, 24, 8, 8192, 200064, 131072, true), { bos: "<|endoftext|>", eos: "<|end|>", template: "phi3" }),
  "phi-3.5-moe": dec(shape(["phimoe", "PhiMoEForCausalLM", 4096, 32, 32, 8, 6400, 32064, 131072], { num_experts: 16, num_experts_per_tok: 2 }), TOK.phi3),
  "phi-3.5-vision": fixed(4_146_621_440, { architectures: ["Phi3VForCausalLM"], model_type: "phi3_v", hidden_size: 3072, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, intermediate_size: 8192, vocab_size: 32064, max_position_embeddings: 131072, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.phi3, pipe: "image-text-to-text" }),
  "phi-4-multimodal": fixed(5_574_460_384, { architectures: ["Phi4MMForCausalLM"], model_type: "phi4mm", hidden_size: 3072, num_hidden_layers: 32, num_attention_heads: 24, num_key_value_heads: 8, intermediate_size: 8192, vocab_size: 200064, max_position_embeddings: 131072, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.phi3, pipe: "automatic-speech-recognition" }),
  bitnet: fixed({ BF16: 328_955_904, U8: 520_224_768 }, { architectures: ["BitNetForCausalLM"], model_type: "bitnet", hidden_size: 2560, num_hidden_layers: 30, num_attention_heads: 20, num_key_value_heads: 5, intermediate_size: 6912, vocab_size: 128256, max_position_embeddings: 4096, torch_dtype: "bfloat16", quantization_config: { quant_method: "bitnet", linear_class: "autobitlinear" } }, { dtype: "mixed", tok: TOK.llama3 }),
  // ---- DeepSeek and friends
  "deepseek-v3": deepseekV3(684_531_386_000, 256, 128, 129280),
  "kimi-k2": deepseekV3(1_026_408_232_448, 384, 64, 163840),
  "deepseek-v2-lite": fixed(15_706_484_224, { architectures: ["DeepseekV2ForCausalLM"], model_type: "deepseek_v2", hidden_size: 2048, num_hidden_layers: 27, num_attention_heads: 16, num_key_value_heads: 16, n_routed_experts: 64, n_shared_experts: 2, num_experts_per_tok: 6, moe_intermediate_size: 1408, kv_lora_rank: 512, vocab_size: 102400, max_position_embeddings: 163840, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.deepseek }),
  "deepseek-coder-1.3b": dec(shape(["llama", "LlamaForCausalLM", 2048, 24, 16, 16, 5504, 32256, 16384], { rope_theta: 100000 }), TOK.deepseek),
  "deepseek-coder-6.7b": dec(shape(["llama", "LlamaForCausalLM", 4096, 32, 32, 32, 11008, 32256, 16384], { rope_theta: 100000 }), TOK.deepseek),
  "deepseek-coder-33b": dec(shape(["llama", "LlamaForCausalLM", 7168, 62, 56, 8, 19200, 32256, 16384], { rope_theta: 100000 }), TOK.deepseek),
  "deepseek-llm-7b": dec(shape(["llama", "LlamaForCausalLM", 4096, 30, 32, 32, 11008, 102400, 4096]), TOK.deepseek),
  "janus-pro-7b": fixed(7_420_434_432, { architectures: ["MultiModalityCausalLM"], model_type: "multi_modality", language_config: { hidden_size: 4096, num_hidden_layers: 30, num_attention_heads: 32, vocab_size: 102400 }, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.deepseek, pipe: "any-to-any" }),
  "deepseek-ocr": fixed(3_336_106_240, { architectures: ["DeepseekOCRForCausalLM"], model_type: "deepseek_vl_v2", hidden_size: 1280, num_hidden_layers: 12, n_routed_experts: 64, vocab_size: 129280, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.deepseek, pipe: "image-text-to-text" }),
  "gpt-oss-20b": fixed({ BF16: 1_804_459_584, U8: 10_160_977_920 }, { architectures: ["GptOssForCausalLM"], model_type: "gpt_oss", hidden_size: 2880, num_hidden_layers: 24, num_attention_heads: 64, num_key_value_heads: 8, head_dim: 64, num_local_experts: 32, experts_per_token: 4, intermediate_size: 2880, vocab_size: 201088, max_position_embeddings: 131072, sliding_window: 128, torch_dtype: "bfloat16", quantization_config: { modules_to_not_convert: ["model.layers.*.self_attn", "model.layers.*.mlp.router", "model.embed_tokens", "lm_head"], quant_method: "mxfp4" } }, { dtype: "mixed", tok: { bos: "<|startoftext|>", eos: "<|return|>", pad: "<|endoftext|>" } }),
  "gpt-oss-120b": fixed({ BF16: 2_109_738_048, U8: 60_926_607_360 }, { architectures: ["GptOssForCausalLM"], model_type: "gpt_oss", hidden_size: 2880, num_hidden_layers: 36, num_attention_heads: 64, num_key_value_heads: 8, head_dim: 64, num_local_experts: 128, experts_per_token: 4, intermediate_size: 2880, vocab_size: 201088, max_position_embeddings: 131072, sliding_window: 128, torch_dtype: "bfloat16", quantization_config: { modules_to_not_convert: ["model.layers.*.self_attn", "model.layers.*.mlp.router", "model.embed_tokens", "lm_head"], quant_method: "mxfp4" } }, { dtype: "mixed", tok: { bos: "<|startoftext|>", eos: "<|return|>", pad: "<|endoftext|>" } }),
  // ---- other open LLMs
  "yi-1.5-6b": dec(shape(["llama", "LlamaForCausalLM", 4096, 32, 32, 4, 11008, 64000, 4096], { rope_theta: 5000000 }), TOK.chatml),
  "yi-1.5-9b": dec(shape(["llama", "LlamaForCausalLM", 4096, 48, 32, 4, 11008, 64000, 4096], { rope_theta: 5000000 }), TOK.chatml),
  "yi-1.5-34b": dec(shape(["llama", "LlamaForCausalLM", 7168, 60, 56, 8, 20480, 64000, 4096], { rope_theta: 5000000 }), TOK.chatml),
  "falcon3-7b": dec(shape(["llama", "LlamaForCausalLM", 3072, 28, 12, 4, 23040, 131072, 32768], { head_dim: 256, rope_theta: 1000042 }), TOK.chatml),
  "falcon3-10b": dec(shape(["llama", "LlamaForCausalLM", 3072, 40, 12, 4, 23040, 131072, 32768], { head_dim: 256, rope_theta: 1000042 }), TOK.chatml),
  "falcon-7b": fixed(6_921_720_704, { architectures: ["FalconForCausalLM"], model_type: "falcon", hidden_size: 4544, num_hidden_layers: 32, num_attention_heads: 71, vocab_size: 65024, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: { eos: "<|endoftext|>" } }),
  "falcon-40b": fixed(41_835_061_248, { architectures: ["FalconForCausalLM"], model_type: "falcon", hidden_size: 8192, num_hidden_layers: 60, num_attention_heads: 128, num_kv_heads: 8, vocab_size: 65024, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: { eos: "<|endoftext|>" } }),
  "falcon-h1-7b": fixed(7_586_000_000, { architectures: ["FalconH1ForCausalLM"], model_type: "falcon_h1", hidden_size: 3072, num_hidden_layers: 44, num_attention_heads: 12, num_key_value_heads: 2, vocab_size: 130049, max_position_embeddings: 262144, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.chatml }),
  "granite-3.3-8b": dec(shape(["granite", "GraniteForCausalLM", 4096, 40, 32, 8, 12800, 49159, 131072], { tie_word_embeddings: true, rope_theta: 10000000 }), { bos: "<|end_of_text|>", eos: "<|end_of_text|>", template: "chatml" }),
  "granite-3.3-2b": dec(shape(["granite", "GraniteForCausalLM", 2048, 40, 32, 8, 8192, 49159, 131072], { tie_word_embeddings: true, rope_theta: 10000000 }), { bos: "<|end_of_text|>", eos: "<|end_of_text|>", template: "chatml" }),
  "granite-4-h-small": fixed(32_208_285_696, { architectures: ["GraniteMoeHybridForCausalLM"], model_type: "granitemoehybrid", hidden_size: 4096, num_hidden_layers: 40, num_attention_heads: 32, num_key_value_heads: 8, num_local_experts: 72, num_experts_per_tok: 10, vocab_size: 100352, max_position_embeddings: 131072, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.chatml }),
  "olmo2-7b": dec(shape(["olmo2", "Olmo2ForCausalLM", 4096, 32, 32, 32, 11008, 100352, 4096], { qk_norm: true, rope_theta: 500000 }), { bos: "<|endoftext|>", eos: "<|endoftext|>", template: "zephyr" }),
  "olmo2-13b": dec(shape(["olmo2", "Olmo2ForCausalLM", 5120, 40, 40, 40, 13824, 100352, 4096], { qk_norm: true, rope_theta: 500000 }), { bos: "<|endoftext|>", eos: "<|endoftext|>", template: "zephyr" }),
  "olmo2-32b": dec(shape(["olmo2", "Olmo2ForCausalLM", 5120, 64, 40, 8, 27648, 100352, 4096], { qk_norm: true, rope_theta: 500000 }), { bos: "<|endoftext|>", eos: "<|endoftext|>", template: "zephyr" }),
  "internlm2.5-7b": dec(shape(["internlm2", "InternLM2ForCausalLM", 4096, 32, 32, 8, 14336, 92544, 32768], { rope_theta: 1000000 }), TOK.chatml),
  "internlm3-8b": dec(shape(["internlm3", "InternLM3ForCausalLM", 4096, 48, 32, 2, 10240, 128512, 32768], { head_dim: 128, rope_theta: 50000000 }), TOK.chatml),
  "glm-4-9b": fixed(9_399_951_360, { architectures: ["ChatGLMForConditionalGeneration"], model_type: "chatglm", hidden_size: 4096, num_layers: 40, num_attention_heads: 32, multi_query_group_num: 2, ffn_hidden_size: 13696, padded_vocab_size: 151552, seq_length: 131072, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: { eos: "<|endoftext|>", template: "chatml" } }),
  "glm-4-32b": fixed(32_566_081_536, { architectures: ["Glm4ForCausalLM"], model_type: "glm4", hidden_size: 6144, num_hidden_layers: 61, num_attention_heads: 48, num_key_value_heads: 2, head_dim: 128, intermediate_size: 23040, vocab_size: 151552, max_position_embeddings: 32768, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: { eos: "<|endoftext|>", template: "chatml" } }),
  "glm-4.5": fixed(358_337_791_296, { architectures: ["Glm4MoeForCausalLM"], model_type: "glm4_moe", hidden_size: 5120, num_hidden_layers: 92, num_attention_heads: 96, num_key_value_heads: 8, head_dim: 128, n_routed_experts: 160, num_experts_per_tok: 8, moe_intermediate_size: 1536, vocab_size: 151552, max_position_embeddings: 131072, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: { eos: "<|endoftext|>", template: "chatml" } }),
  "glm-4.5-air": fixed(110_468_824_832, { architectures: ["Glm4MoeForCausalLM"], model_type: "glm4_moe", hidden_size: 4096, num_hidden_layers: 46, num_attention_heads: 96, num_key_value_heads: 8, head_dim: 128, n_routed_experts: 128, num_experts_per_tok: 8, moe_intermediate_size: 1408, vocab_size: 151552, max_position_embeddings: 131072, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: { eos: "<|endoftext|>", template: "chatml" } }),
  "glm-4v-9b": fixed(13_906_320_384, { architectures: ["ChatGLMModel"], model_type: "chatglm", hidden_size: 4096, num_layers: 40, num_attention_heads: 32, padded_vocab_size: 151552, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: { eos: "<|endoftext|>" }, pipe: "image-text-to-text" }),
  "command-r": dec(shape(["cohere", "CohereForCausalLM", 8192, 40, 64, 64, 22528, 256000, 131072], { tie_word_embeddings: true, norms_per_layer: 1, bos_token_id: 5, eos_token_id: 255001, rope_theta: 8000000 }), { bos: "<BOS_TOKEN>", eos: "<|END_OF_TURN_TOKEN|>", template: "chatml" }),
  "command-r-plus": dec(shape(["cohere", "CohereForCausalLM", 12288, 64, 96, 8, 33792, 256000, 131072], { tie_word_embeddings: true, norms_per_layer: 1, bos_token_id: 5, eos_token_id: 255001, rope_theta: 75000000 }), { bos: "<BOS_TOKEN>", eos: "<|END_OF_TURN_TOKEN|>", template: "chatml" }),
  "command-a": fixed(111_057_580_032, { architectures: ["Cohere2ForCausalLM"], model_type: "cohere2", hidden_size: 12288, num_hidden_layers: 64, num_attention_heads: 96, num_key_value_heads: 8, intermediate_size: 36864, vocab_size: 256000, max_position_embeddings: 131072, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: { bos: "<BOS_TOKEN>", eos: "<|END_OF_TURN_TOKEN|>", template: "chatml" } }),
  "aya-expanse-8b": dec(shape(["cohere", "CohereForCausalLM", 4096, 32, 32, 8, 14336, 256000, 8192], { tie_word_embeddings: true, norms_per_layer: 1, bos_token_id: 5, eos_token_id: 255001 }), { bos: "<BOS_TOKEN>", eos: "<|END_OF_TURN_TOKEN|>", template: "chatml" }),
  "nemotron-super-49b": fixed(49_867_145_216, { architectures: ["DeciLMForCausalLM"], model_type: "nemotron-nas", hidden_size: 8192, num_hidden_layers: 80, num_attention_heads: 64, vocab_size: 128256, max_position_embeddings: 131072, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.llama3 }),
  "nemotron-nano-9b": fixed(8_888_227_328, { architectures: ["NemotronHForCausalLM"], model_type: "nemotron_h", hidden_size: 4480, num_hidden_layers: 56, num_attention_heads: 40, num_key_value_heads: 8, vocab_size: 131072, max_position_embeddings: 131072, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.chatml }),
  "starcoder2-3b": fixed(3_030_371_328, { architectures: ["Starcoder2ForCausalLM"], model_type: "starcoder2", hidden_size: 3072, num_hidden_layers: 30, num_attention_heads: 24, num_key_value_heads: 2, intermediate_size: 12288, vocab_size: 49152, max_position_embeddings: 16384, torch_dtype: "float32" }, { dtype: "F32", tok: TOK.gpt2 }),
  "starcoder2-7b": fixed(7_173_923_840, { architectures: ["Starcoder2ForCausalLM"], model_type: "starcoder2", hidden_size: 4608, num_hidden_layers: 32, num_attention_heads: 36, num_key_value_heads: 4, intermediate_size: 18432, vocab_size: 49152, max_position_embeddings: 16384, torch_dtype: "float32" }, { dtype: "F32", tok: TOK.gpt2 }),
  "starcoder2-15b": fixed(15_957_889_024, { architectures: ["Starcoder2ForCausalLM"], model_type: "starcoder2", hidden_size: 6144, num_hidden_layers: 40, num_attention_heads: 48, num_key_value_heads: 4, intermediate_size: 24576, vocab_size: 49152, max_position_embeddings: 16384, torch_dtype: "float32" }, { dtype: "F32", tok: TOK.gpt2 }),
  dbrx: fixed(131_596_523_520, { architectures: ["DbrxForCausalLM"], model_type: "dbrx", d_model: 6144, n_layers: 40, n_heads: 48, vocab_size: 100352, max_seq_len: 32768, ffn_config: { moe_num_experts: 16, moe_top_k: 4 }, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.chatml }),
  "stablelm-2-1.6b": fixed(1_644_515_328, { architectures: ["StableLmForCausalLM"], model_type: "stablelm", hidden_size: 2048, num_hidden_layers: 24, num_attention_heads: 32, num_key_value_heads: 32, intermediate_size: 5632, vocab_size: 100352, max_position_embeddings: 4096, torch_dtype: "float16" }, { dtype: "F16", tok: TOK.chatml }),
  "lfm2-1.2b": fixed(1_170_340_608, { architectures: ["Lfm2ForCausalLM"], model_type: "lfm2", hidden_size: 2048, num_hidden_layers: 16, num_attention_heads: 32, num_key_value_heads: 8, vocab_size: 65536, max_position_embeddings: 128000, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.chatml }),
  "lfm2-350m": fixed(354_483_968, { architectures: ["Lfm2ForCausalLM"], model_type: "lfm2", hidden_size: 1024, num_hidden_layers: 16, num_attention_heads: 16, num_key_value_heads: 8, vocab_size: 65536, max_position_embeddings: 128000, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.chatml }),
  "minimax-m1": fixed(456_090_000_000, { architectures: ["MiniMaxM1ForCausalLM"], model_type: "minimax_m1", hidden_size: 6144, num_hidden_layers: 80, num_attention_heads: 64, num_key_value_heads: 8, num_local_experts: 32, num_experts_per_tok: 2, vocab_size: 200064, max_position_embeddings: 10240000, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.chatml }),
  "minimax-m2": fixed({ BF16: 1_640_000_000, F8_E4M3: 227_050_000_000, F32: 40_000_000 }, { architectures: ["MiniMaxM2ForCausalLM"], model_type: "minimax_m2", hidden_size: 3072, num_hidden_layers: 62, num_attention_heads: 48, num_key_value_heads: 8, head_dim: 128, num_local_experts: 256, num_experts_per_tok: 8, vocab_size: 200064, max_position_embeddings: 196608, torch_dtype: "bfloat16", quantization_config: { quant_method: "fp8", fmt: "float8_e4m3fn", weight_block_size: [128, 128] } }, { dtype: "mixed", tok: TOK.chatml }),
  "ernie-4.5-21b": fixed(21_825_437_440, { architectures: ["Ernie4_5_MoeForCausalLM"], model_type: "ernie4_5_moe", hidden_size: 2560, num_hidden_layers: 28, num_attention_heads: 20, num_key_value_heads: 4, moe_num_experts: 64, moe_k: 6, vocab_size: 103424, max_position_embeddings: 131072, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.chatml }),
  "hunyuan-a13b": fixed(80_393_183_232, { architectures: ["HunYuanMoEV1ForCausalLM"], model_type: "hunyuan_v1_moe", hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, num_experts: 64, moe_topk: 8, vocab_size: 128167, max_position_embeddings: 32768, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.chatml }),
  "seed-oss-36b": dec(shape(["seed_oss", "SeedOssForCausalLM", 5120, 64, 80, 8, 27648, 155136, 524288], { head_dim: 128, qkv_bias: true, rope_theta: 10000000 }), TOK.chatml),
  "apertus-8b": dec(shape(["apertus", "ApertusForCausalLM", 4096, 32, 32, 8, 21504, 131072, 65536], { qk_norm: true, rope_theta: 12000000 }), TOK.chatml),
  // ---- encoders, embeddings, rerankers
  "bert-base": fixed(110_106_428, bert("BertForMaskedLM", "bert", 768, 12, 30522), { tok: TOK.bert, pipe: "fill-mask" }),
  "bert-base-cased": fixed(108_340_804, bert("BertForMaskedLM", "bert", 768, 12, 28996), { tok: TOK.bert, pipe: "fill-mask" }),
  "bert-large": fixed(336_226_108, bert("BertForMaskedLM", "bert", 1024, 24, 30522), { tok: TOK.bert, pipe: "fill-mask" }),
  "mbert": fixed(178_566_653, bert("BertForMaskedLM", "bert", 768, 12, 119547), { tok: TOK.bert, pipe: "fill-mask" }),
  distilbert: fixed(66_985_530, bert("DistilBertForMaskedLM", "distilbert", 768, 6, 30522), { tok: TOK.bert, pipe: "fill-mask" }),
  "distilbert-cls": fixed(66_955_010, bert("DistilBertForSequenceClassification", "distilbert", 768, 6, 30522), { tok: TOK.bert, pipe: "text-classification" }),
  "roberta-base": fixed(124_697_433, bert("RobertaForMaskedLM", "roberta", 768, 12, 50265, 514), { tok: TOK.roberta, pipe: "fill-mask" }),
  "roberta-large": fixed(355_412_057, bert("RobertaForMaskedLM", "roberta", 1024, 24, 50265, 514), { tok: TOK.roberta, pipe: "fill-mask" }),
  "roberta-cls": fixed(124_647_939, bert("RobertaForSequenceClassification", "roberta", 768, 12, 50265, 514), { tok: TOK.roberta, pipe: "text-classification" }),
  "distilroberta-cls": fixed(82_123_783, bert("RobertaForSequenceClassification", "roberta", 768, 6, 50265, 514), { tok: TOK.roberta, pipe: "text-classification" }),
  "xlm-roberta-base": fixed(278_295_186, bert("XLMRobertaForMaskedLM", "xlm-roberta", 768, 12, 250002, 514), { tok: TOK.roberta, pipe: "fill-mask" }),
  "xlm-roberta-large": fixed(560_142_482, bert("XLMRobertaForMaskedLM", "xlm-roberta", 1024, 24, 250002, 514), { tok: TOK.roberta, pipe: "fill-mask" }),
  "xlmr-cls": fixed(278_058_516, bert("XLMRobertaForSequenceClassification", "xlm-roberta", 768, 12, 250002, 514), { tok: TOK.roberta, pipe: "text-classification" }),
  "bert-cls": fixed(109_484_547, bert("BertForSequenceClassification", "bert", 768, 12, 30522), { tok: TOK.bert, pipe: "text-classification" }),
  "mbert-cls": fixed(167_360_261, bert("BertForSequenceClassification", "bert", 768, 12, 105879), { tok: TOK.bert, pipe: "text-classification" }),
  "bert-ner": fixed(107_726_601, bert("BertForTokenClassification", "bert", 768, 12, 28996), { tok: TOK.bert, pipe: "token-classification" }),
  "roberta-qa": fixed(124_056_578, bert("RobertaForQuestionAnswering", "roberta", 768, 12, 50265, 514), { tok: TOK.roberta, pipe: "question-answering" }),
  "deberta-v3-base": fixed(184_423_682, bert("DebertaV2ForMaskedLM", "deberta-v2", 768, 12, 128100), { tok: TOK.bert, pipe: "fill-mask" }),
  "deberta-v3-large": fixed(435_063_810, bert("DebertaV2ForMaskedLM", "deberta-v2", 1024, 24, 128100), { tok: TOK.bert, pipe: "fill-mask" }),
  "modernbert-base": fixed(149_655_232, bert("ModernBertForMaskedLM", "modernbert", 768, 22, 50368, 8192), { tok: TOK.bert, pipe: "fill-mask" }),
  "modernbert-large": fixed(395_831_296, bert("ModernBertForMaskedLM", "modernbert", 1024, 28, 50368, 8192), { tok: TOK.bert, pipe: "fill-mask" }),
  electra: fixed(108_891_650, bert("ElectraForPreTraining", "electra", 768, 12, 30522), { tok: TOK.bert, pipe: "feature-extraction" }),
  "minilm-l6": fixed(22_713_216, bert("BertModel", "bert", 384, 6, 30522), { tok: TOK.bert, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "minilm-l12": fixed(33_360_000, bert("BertModel", "bert", 384, 12, 30522), { tok: TOK.bert, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "minilm-l12-multi": fixed(117_653_760, bert("BertModel", "bert", 384, 12, 250037), { tok: TOK.bert, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "mpnet-base": fixed(109_486_464, bert("MPNetModel", "mpnet", 768, 12, 30527, 514), { tok: TOK.roberta, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "mpnet-multi": fixed(278_043_648, bert("XLMRobertaModel", "xlm-roberta", 768, 12, 250002, 514), { tok: TOK.roberta, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "distilbert-embed": fixed(66_362_880, bert("DistilBertModel", "distilbert", 768, 6, 30522), { tok: TOK.bert, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "distilroberta-embed": fixed(82_118_400, bert("RobertaModel", "roberta", 768, 6, 50265, 514), { tok: TOK.roberta, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "bge-small": fixed(33_360_000, bert("BertModel", "bert", 384, 12, 30522), { tok: TOK.bert, pipe: "feature-extraction", lib: "sentence-transformers" }),
  "bge-base": fixed(109_482_240, bert("BertModel", "bert", 768, 12, 30522), { tok: TOK.bert, pipe: "feature-extraction", lib: "sentence-transformers" }),
  "bge-large": fixed(335_141_888, bert("BertModel", "bert", 1024, 24, 30522), { tok: TOK.bert, pipe: "feature-extraction", lib: "sentence-transformers" }),
  "xlmr-large-embed": fixed(567_754_752, bert("XLMRobertaModel", "xlm-roberta", 1024, 24, 250002, 8194), { tok: TOK.roberta, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "me5-large": fixed(559_890_432, bert("XLMRobertaModel", "xlm-roberta", 1024, 24, 250002, 514), { tok: TOK.roberta, pipe: "feature-extraction", lib: "sentence-transformers" }),
  "me5-small": fixed(117_653_760, bert("BertModel", "bert", 384, 12, 250037), { tok: TOK.bert, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "xlmr-reranker": fixed(567_755_777, bert("XLMRobertaForSequenceClassification", "xlm-roberta", 1024, 24, 250002, 8194), { tok: TOK.roberta, pipe: "text-classification", lib: "sentence-transformers" }),
  "xlmr-base-reranker": fixed(278_044_417, bert("XLMRobertaForSequenceClassification", "xlm-roberta", 768, 12, 250002, 514), { tok: TOK.roberta, pipe: "text-classification", lib: "sentence-transformers" }),
  "minilm-reranker": fixed(22_713_601, bert("BertForSequenceClassification", "bert", 384, 6, 30522), { tok: TOK.bert, pipe: "text-ranking", lib: "sentence-transformers" }),
  "minilm12-reranker": fixed(33_360_769, bert("BertForSequenceClassification", "bert", 384, 12, 30522), { tok: TOK.bert, pipe: "text-ranking", lib: "sentence-transformers" }),
  "nomic-embed": fixed(136_731_648, { ...bert("NomicBertModel", "nomic_bert", 768, 12, 30528, 8192), n_positions: 8192 }, { tok: TOK.bert, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "gte-large-1.5": fixed(434_139_136, bert("NewModel", "new", 1024, 24, 30528, 8192), { tok: TOK.bert, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "gte-multi": fixed(305_368_320, bert("NewModel", "new", 768, 12, 250048, 8192), { tok: TOK.bert, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "jina-v2-base": fixed(137_368_320, bert("JinaBertForMaskedLM", "bert", 768, 12, 30528, 8192), { tok: TOK.bert, pipe: "feature-extraction", lib: "sentence-transformers" }),
  "jina-v3": fixed(572_310_396, bert("XLMRobertaModel", "xlm-roberta", 1024, 24, 250002, 8194), { tok: TOK.roberta, pipe: "feature-extraction", lib: "transformers", dtype: "BF16" }),
  "arctic-m": fixed(108_891_648, bert("BertModel", "bert", 768, 12, 30522), { tok: TOK.bert, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "embeddinggemma": fixed(307_581_696, { architectures: ["Gemma3TextModel"], model_type: "gemma3_text", hidden_size: 768, num_hidden_layers: 24, num_attention_heads: 3, num_key_value_heads: 1, head_dim: 256, vocab_size: 262144, max_position_embeddings: 2048, torch_dtype: "float32" }, { tok: TOK.gemma, pipe: "sentence-similarity", lib: "sentence-transformers" }),
  "nv-embed-v2": fixed(7_851_016_192, { architectures: ["NVEmbedModel"], model_type: "nvembed", hidden_size: 4096, num_hidden_layers: 32, vocab_size: 32000, torch_dtype: "float16" }, { dtype: "F16", tok: TOK.mistral, pipe: "feature-extraction", lib: "sentence-transformers" }),
  // ---- classic generative / seq2seq
  gpt2: fixed(137_022_720, { architectures: ["GPT2LMHeadModel"], model_type: "gpt2", n_embd: 768, n_layer: 12, n_head: 12, n_ctx: 1024, n_positions: 1024, vocab_size: 50257, torch_dtype: "float32" }, { tok: TOK.gpt2, pipe: "text-generation" }),
  "gpt2-medium": fixed(379_988_992, { architectures: ["GPT2LMHeadModel"], model_type: "gpt2", n_embd: 1024, n_layer: 24, n_head: 16, n_positions: 1024, vocab_size: 50257, torch_dtype: "float32" }, { tok: TOK.gpt2, pipe: "text-generation" }),
  "gpt2-large": fixed(812_301_312, { architectures: ["GPT2LMHeadModel"], model_type: "gpt2", n_embd: 1280, n_layer: 36, n_head: 20, n_positions: 1024, vocab_size: 50257, torch_dtype: "float32" }, { tok: TOK.gpt2, pipe: "text-generation" }),
  "gpt2-xl": fixed(1_607_942_400, { architectures: ["GPT2LMHeadModel"], model_type: "gpt2", n_embd: 1600, n_layer: 48, n_head: 25, n_positions: 1024, vocab_size: 50257, torch_dtype: "float32" }, { tok: TOK.gpt2, pipe: "text-generation" }),
  distilgpt2: fixed(88_203_264, { architectures: ["GPT2LMHeadModel"], model_type: "gpt2", n_embd: 768, n_layer: 6, n_head: 12, n_positions: 1024, vocab_size: 50257, torch_dtype: "float32" }, { tok: TOK.gpt2, pipe: "text-generation" }),
  dialogpt: fixed(354_823_168, { architectures: ["GPT2LMHeadModel"], model_type: "gpt2", n_embd: 1024, n_layer: 24, n_head: 16, n_positions: 1024, vocab_size: 50257, torch_dtype: "float32" }, { tok: TOK.gpt2, pipe: "text-generation" }),
  "gpt-neo-125m": fixed(125_198_592, { architectures: ["GPTNeoForCausalLM"], model_type: "gpt_neo", hidden_size: 768, num_layers: 12, num_heads: 12, max_position_embeddings: 2048, vocab_size: 50257, torch_dtype: "float32" }, { tok: TOK.gpt2, pipe: "text-generation" }),
  "pythia-160m": fixed(162_322_944, { architectures: ["GPTNeoXForCausalLM"], model_type: "gpt_neox", hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, max_position_embeddings: 2048, vocab_size: 50304, torch_dtype: "float16" }, { dtype: "F16", tok: TOK.gpt2, pipe: "text-generation" }),
  "gpt-j-6b": fixed(6_050_882_784, { architectures: ["GPTJForCausalLM"], model_type: "gptj", n_embd: 4096, n_layer: 28, n_head: 16, n_positions: 2048, vocab_size: 50400, torch_dtype: "float32" }, { tok: TOK.gpt2, pipe: "text-generation" }),
  "opt-125m": fixed(125_239_296, { architectures: ["OPTForCausalLM"], model_type: "opt", hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, ffn_dim: 3072, max_position_embeddings: 2048, vocab_size: 50272, torch_dtype: "float16" }, { dtype: "F16", tok: { bos: "</s>", eos: "</s>" }, pipe: "text-generation" }),
  "opt-1.3b": fixed(1_315_758_080, { architectures: ["OPTForCausalLM"], model_type: "opt", hidden_size: 2048, num_hidden_layers: 24, num_attention_heads: 32, ffn_dim: 8192, max_position_embeddings: 2048, vocab_size: 50272, torch_dtype: "float16" }, { dtype: "F16", tok: { bos: "</s>", eos: "</s>" }, pipe: "text-generation" }),
  "bloom-560m": fixed(559_214_592, { architectures: ["BloomForCausalLM"], model_type: "bloom", hidden_size: 1024, n_layer: 24, n_head: 16, vocab_size: 250880, torch_dtype: "float16" }, { dtype: "F16", tok: { bos: "<s>", eos: "</s>" }, pipe: "text-generation" }),
  "t5-small": fixed(60_506_624, { architectures: ["T5ForConditionalGeneration"], model_type: "t5", d_model: 512, num_layers: 6, num_heads: 8, d_ff: 2048, vocab_size: 32128, torch_dtype: "float32" }, { tok: { eos: "</s>", pad: "<pad>" }, pipe: "translation" }),
  "t5-base": fixed(222_903_552, { architectures: ["T5ForConditionalGeneration"], model_type: "t5", d_model: 768, num_layers: 12, num_heads: 12, d_ff: 3072, vocab_size: 32128, torch_dtype: "float32" }, { tok: { eos: "</s>", pad: "<pad>" }, pipe: "translation" }),
  "flan-t5-base": fixed(247_577_856, { architectures: ["T5ForConditionalGeneration"], model_type: "t5", d_model: 768, num_layers: 12, num_heads: 12, d_ff: 2048, vocab_size: 32128, torch_dtype: "float32" }, { tok: { eos: "</s>", pad: "<pad>" }, pipe: "text2text-generation" }),
  "flan-t5-large": fixed(783_150_080, { architectures: ["T5ForConditionalGeneration"], model_type: "t5", d_model: 1024, num_layers: 24, num_heads: 16, d_ff: 2816, vocab_size: 32128, torch_dtype: "float32" }, { tok: { eos: "</s>", pad: "<pad>" }, pipe: "text2text-generation" }),
  "flan-t5-xl": fixed(2_849_757_184, { architectures: ["T5ForConditionalGeneration"], model_type: "t5", d_model: 2048, num_layers: 24, num_heads: 32, d_ff: 5120, vocab_size: 32128, torch_dtype: "float32" }, { tok: { eos: "</s>", pad: "<pad>" }, pipe: "text2text-generation" }),
  "bart-large-cnn": fixed(406_290_432, { architectures: ["BartForConditionalGeneration"], model_type: "bart", d_model: 1024, encoder_layers: 12, decoder_layers: 12, vocab_size: 50264, max_position_embeddings: 1024, torch_dtype: "float32" }, { tok: TOK.roberta, pipe: "summarization" }),
  "bart-large-mnli": fixed(407_344_133, { architectures: ["BartForSequenceClassification"], model_type: "bart", d_model: 1024, encoder_layers: 12, decoder_layers: 12, vocab_size: 50265, max_position_embeddings: 1024, torch_dtype: "float32" }, { tok: TOK.roberta, pipe: "zero-shot-classification" }),
  marian: fixed(73_886_208, { architectures: ["MarianMTModel"], model_type: "marian", d_model: 512, encoder_layers: 6, decoder_layers: 6, vocab_size: 58101, torch_dtype: "float32" }, { tok: { eos: "</s>", pad: "<pad>" }, pipe: "translation" }),
  nllb: fixed(615_073_792, { architectures: ["M2M100ForConditionalGeneration"], model_type: "m2m_100", d_model: 1024, encoder_layers: 12, decoder_layers: 12, vocab_size: 256206, torch_dtype: "float32" }, { tok: { bos: "<s>", eos: "</s>" }, pipe: "translation" }),
  m2m100: fixed(483_905_536, { architectures: ["M2M100ForConditionalGeneration"], model_type: "m2m_100", d_model: 1024, encoder_layers: 12, decoder_layers: 12, vocab_size: 128112, torch_dtype: "float32" }, { tok: { bos: "<s>", eos: "</s>" }, pipe: "translation" }),
  // ---- vision
  "vit-base": fixed(86_567_656, { architectures: ["ViTForImageClassification"], model_type: "vit", hidden_size: 768, num_hidden_layers: 12, image_size: 224, patch_size: 16, torch_dtype: "float32" }, { pipe: "image-classification", files: ["preprocessor_config.json"] }),
  "vit-nsfw": fixed(85_800_194, { architectures: ["ViTForImageClassification"], model_type: "vit", hidden_size: 768, num_hidden_layers: 12, image_size: 224, patch_size: 16, id2label: { 0: "normal", 1: "nsfw" }, torch_dtype: "float32" }, { pipe: "image-classification", files: ["preprocessor_config.json"] }),
  "vit-age": fixed(85_806_346, { architectures: ["ViTForImageClassification"], model_type: "vit", hidden_size: 768, num_hidden_layers: 12, image_size: 224, patch_size: 16, torch_dtype: "float32" }, { pipe: "image-classification", files: ["preprocessor_config.json"] }),
  "dinov2-small": fixed(22_056_576, { architectures: ["Dinov2Model"], model_type: "dinov2", hidden_size: 384, num_hidden_layers: 12, patch_size: 14, torch_dtype: "float32" }, { pipe: "image-feature-extraction", files: ["preprocessor_config.json"] }),
  "dinov2-base": fixed(86_580_480, { architectures: ["Dinov2Model"], model_type: "dinov2", hidden_size: 768, num_hidden_layers: 12, patch_size: 14, torch_dtype: "float32" }, { pipe: "image-feature-extraction", files: ["preprocessor_config.json"] }),
  "dinov2-large": fixed(304_368_640, { architectures: ["Dinov2Model"], model_type: "dinov2", hidden_size: 1024, num_hidden_layers: 24, patch_size: 14, torch_dtype: "float32" }, { pipe: "image-feature-extraction", files: ["preprocessor_config.json"] }),
  detr: fixed(41_631_008, { architectures: ["DetrForObjectDetection"], model_type: "detr", d_model: 256, backbone: "resnet50", num_queries: 100, torch_dtype: "float32" }, { pipe: "object-detection", files: ["preprocessor_config.json"] }),
  rtdetr: fixed(42_935_360, { architectures: ["RTDetrForObjectDetection"], model_type: "rt_detr", d_model: 256, num_queries: 300, torch_dtype: "float32" }, { pipe: "object-detection", files: ["preprocessor_config.json"] }),
  "table-transformer": fixed(28_818_373, { architectures: ["TableTransformerForObjectDetection"], model_type: "table-transformer", d_model: 256, torch_dtype: "float32" }, { pipe: "object-detection", files: ["preprocessor_config.json"] }),
  "grounding-dino": fixed(172_249_090, { architectures: ["GroundingDinoForObjectDetection"], model_type: "grounding-dino", d_model: 256, torch_dtype: "float32" }, { pipe: "zero-shot-object-detection", files: ["preprocessor_config.json"] }),
  "sam-base": fixed(93_735_472, { architectures: ["SamModel"], model_type: "sam", vision_config: { hidden_size: 768, num_hidden_layers: 12 }, torch_dtype: "float32" }, { pipe: "mask-generation", files: ["preprocessor_config.json"] }),
  "sam-huge": fixed(641_090_608, { architectures: ["SamModel"], model_type: "sam", vision_config: { hidden_size: 1280, num_hidden_layers: 32 }, torch_dtype: "float32" }, { pipe: "mask-generation", files: ["preprocessor_config.json"] }),
  "resnet-50": fixed(25_557_032, { architectures: ["ResNetForImageClassification"], model_type: "resnet", depths: [3, 4, 6, 3], hidden_sizes: [256, 512, 1024, 2048], torch_dtype: "float32" }, { pipe: "image-classification", files: ["preprocessor_config.json"] }),
  segformer: fixed(3_752_694, { architectures: ["SegformerForSemanticSegmentation"], model_type: "segformer", hidden_sizes: [32, 64, 160, 256], torch_dtype: "float32" }, { pipe: "image-segmentation", files: ["preprocessor_config.json"] }),
  convnext: fixed(28_589_128, { architectures: ["ConvNextForImageClassification"], model_type: "convnext", hidden_sizes: [96, 192, 384, 768], torch_dtype: "float32" }, { pipe: "image-classification", files: ["preprocessor_config.json"] }),
  mobilevit: fixed(5_578_632, { architectures: ["MobileViTForImageClassification"], model_type: "mobilevit", torch_dtype: "float32" }, { pipe: "image-classification", files: ["preprocessor_config.json"] }),
  "depth-anything-s": fixed(24_785_089, { architectures: ["DepthAnythingForDepthEstimation"], model_type: "depth_anything", torch_dtype: "float32" }, { pipe: "depth-estimation", files: ["preprocessor_config.json"] }),
  "dpt-large": fixed(342_343_745, { architectures: ["DPTForDepthEstimation"], model_type: "dpt", hidden_size: 1024, num_hidden_layers: 24, torch_dtype: "float32" }, { pipe: "depth-estimation", files: ["preprocessor_config.json"] }),
  "clip-b32": fixed(151_277_313, { architectures: ["CLIPModel"], model_type: "clip", projection_dim: 512, text_config: { hidden_size: 512 }, vision_config: { hidden_size: 768, patch_size: 32 }, torch_dtype: "float32" }, { pipe: "zero-shot-image-classification", files: ["preprocessor_config.json", "vocab.json", "merges.txt"] }),
  "clip-b16": fixed(149_620_737, { architectures: ["CLIPModel"], model_type: "clip", projection_dim: 512, text_config: { hidden_size: 512 }, vision_config: { hidden_size: 768, patch_size: 16 }, torch_dtype: "float32" }, { pipe: "zero-shot-image-classification", files: ["preprocessor_config.json", "vocab.json", "merges.txt"] }),
  "clip-l14": fixed(427_616_513, { architectures: ["CLIPModel"], model_type: "clip", projection_dim: 768, text_config: { hidden_size: 768 }, vision_config: { hidden_size: 1024, patch_size: 14 }, torch_dtype: "float32" }, { pipe: "zero-shot-image-classification", files: ["preprocessor_config.json", "vocab.json", "merges.txt"] }),
  siglip: fixed(877_960_498, { architectures: ["SiglipModel"], model_type: "siglip", text_config: { hidden_size: 1152 }, vision_config: { hidden_size: 1152, patch_size: 14, image_size: 384 }, torch_dtype: "float32" }, { pipe: "zero-shot-image-classification", files: ["preprocessor_config.json"] }),
  "blip-large": fixed(469_733_436, { architectures: ["BlipForConditionalGeneration"], model_type: "blip", text_config: { hidden_size: 768 }, vision_config: { hidden_size: 1024 }, torch_dtype: "float32" }, { pipe: "image-to-text", files: ["preprocessor_config.json", "vocab.txt"] }),
  "blip-base": fixed(247_414_076, { architectures: ["BlipForConditionalGeneration"], model_type: "blip", text_config: { hidden_size: 768 }, vision_config: { hidden_size: 768 }, torch_dtype: "float32" }, { pipe: "image-to-text", files: ["preprocessor_config.json", "vocab.txt"] }),
  "vit-gpt2": fixed(239_195_904, { architectures: ["VisionEncoderDecoderModel"], model_type: "vision-encoder-decoder", torch_dtype: "float32" }, { pipe: "image-to-text", files: ["preprocessor_config.json", "vocab.json"] }),
  trocr: fixed(333_921_792, { architectures: ["VisionEncoderDecoderModel"], model_type: "vision-encoder-decoder", torch_dtype: "float32" }, { pipe: "image-to-text", files: ["preprocessor_config.json", "vocab.json"] }),
  "florence-2": fixed(776_720_384, { architectures: ["Florence2ForConditionalGeneration"], model_type: "florence2", text_config: { d_model: 1024, vocab_size: 51289 }, vision_config: { model_type: "davit" }, torch_dtype: "float32" }, { pipe: "image-text-to-text", files: ["preprocessor_config.json", "processing_florence2.py", "modeling_florence2.py"] }),
  "llava-1.5-7b": mm(shape(["llama", "LlamaForCausalLM", 4096, 32, 32, 32, 11008, 32064, 4096], { torch_dtype: "float16" }), 324_993_024, "llava", "LlavaForConditionalGeneration", TOK.llama2),
  "llava-next-mistral": mm(mistral(4096, 32, 32, 8, 14336, 32064, 32768), 324_993_024, "llava_next", "LlavaNextForConditionalGeneration", TOK.mistral),
  "llava-ov-7b": mm(qwen2(3584, 28, 28, 4, 18944, 152000, false), 412_000_000, "llava_onevision", "LlavaOnevisionForConditionalGeneration", TOK.qwen),
  smolvlm: fixed(2_246_784_880, { architectures: ["Idefics3ForConditionalGeneration"], model_type: "idefics3", text_config: { hidden_size: 2048, num_hidden_layers: 24, vocab_size: 49155 }, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.chatml, pipe: "image-text-to-text" }),
  smolvlm2: fixed(2_246_784_880, { architectures: ["SmolVLMForConditionalGeneration"], model_type: "smolvlm", text_config: { hidden_size: 2048, num_hidden_layers: 24, vocab_size: 49280 }, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.chatml, pipe: "image-text-to-text" }),
  "internvl3-8b": fixed(7_944_373_248, { architectures: ["InternVLChatModel"], model_type: "internvl_chat", llm_config: { hidden_size: 3584, num_hidden_layers: 28, vocab_size: 151674 }, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.qwen, pipe: "image-text-to-text" }),
  "minicpm-v-2.6": fixed(8_099_175_152, { architectures: ["MiniCPMV"], model_type: "minicpmv", hidden_size: 3584, num_hidden_layers: 28, vocab_size: 151666, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.qwen, pipe: "image-text-to-text" }),
  moondream2: fixed(1_927_237_104, { architectures: ["HfMoondream"], model_type: "moondream1", torch_dtype: "bfloat16" }, { dtype: "BF16", pipe: "image-text-to-text" }),
  "molmo-7b": fixed(8_021_025_280, { architectures: ["MolmoForCausalLM"], model_type: "molmo", hidden_size: 3584, num_hidden_layers: 28, vocab_size: 152064, torch_dtype: "float32" }, { dtype: "F32", tok: TOK.qwen, pipe: "image-text-to-text" }),
  "kimi-vl": fixed(16_407_657_472, { architectures: ["KimiVLForConditionalGeneration"], model_type: "kimi_vl", text_config: { hidden_size: 2048, num_hidden_layers: 27, n_routed_experts: 64 }, torch_dtype: "bfloat16" }, { dtype: "BF16", tok: TOK.chatml, pipe: "image-text-to-text" }),
  "olmocr-7b": mm(qwen2(3584, 28, 28, 4, 18944, 152064, false), 676_550_656, "qwen2_vl", "Qwen2VLForConditionalGeneration", TOK.qwen, true),
  "timm-resnet50": fixed(25_557_032, { architecture: "resnet50", num_classes: 1000, num_features: 2048, pretrained_cfg: { input_size: [3, 224, 224], crop_pct: 0.95 } }, { pipe: "image-classification", lib: "timm" }),
  "timm-mobilenetv3": fixed(2_542_856, { architecture: "mobilenetv3_small_100", num_classes: 1000, num_features: 1024, pretrained_cfg: { input_size: [3, 224, 224], crop_pct: 0.875 } }, { pipe: "image-classification", lib: "timm" }),
  "timm-vit": fixed(86_567_656, { architecture: "vit_base_patch16_224", num_classes: 1000, num_features: 768, pretrained_cfg: { input_size: [3, 224, 224], crop_pct: 0.9 } }, { pipe: "image-classification", lib: "timm" }),
  // ---- audio
  "whisper-large-v3": fixed(1_543_490_560, { architectures: ["WhisperForConditionalGeneration"], model_type: "whisper", d_model: 1280, encoder_layers: 32, decoder_layers: 32, num_mel_bins: 128, vocab_size: 51866, torch_dtype: "float16" }, { dtype: "F16", pipe: "automatic-speech-recognition", files: ["preprocessor_config.json", "added_tokens.json", "vocab.json", "merges.txt", "normalizer.json"] }),
  "whisper-large-v3-turbo": fixed(808_878_080, { architectures: ["WhisperForConditionalGeneration"], model_type: "whisper", d_model: 1280, encoder_layers: 32, decoder_layers: 4, num_mel_bins: 128, vocab_size: 51866, torch_dtype: "float16" }, { dtype: "F16", pipe: "automatic-speech-recognition", files: ["preprocessor_config.json", "added_tokens.json", "vocab.json", "merges.txt", "normalizer.json"] }),
  "whisper-large-v2": fixed(1_543_304_960, { architectures: ["WhisperForConditionalGeneration"], model_type: "whisper", d_model: 1280, encoder_layers: 32, decoder_layers: 32, num_mel_bins: 80, vocab_size: 51865, torch_dtype: "float32" }, { pipe: "automatic-speech-recognition", files: ["preprocessor_config.json", "vocab.json", "merges.txt", "normalizer.json"] }),
  "whisper-medium": fixed(763_857_920, { architectures: ["WhisperForConditionalGeneration"], model_type: "whisper", d_model: 1024, encoder_layers: 24, decoder_layers: 24, num_mel_bins: 80, vocab_size: 51865, torch_dtype: "float32" }, { pipe: "automatic-speech-recognition", files: ["preprocessor_config.json", "vocab.json", "merges.txt", "normalizer.json"] }),
  "whisper-small": fixed(241_734_912, { architectures: ["WhisperForConditionalGeneration"], model_type: "whisper", d_model: 768, encoder_layers: 12, decoder_layers: 12, num_mel_bins: 80, vocab_size: 51865, torch_dtype: "float32" }, { pipe: "automatic-speech-recognition", files: ["preprocessor_config.json", "vocab.json", "merges.txt", "normalizer.json"] }),
  "whisper-base": fixed(72_593_920, { architectures: ["WhisperForConditionalGeneration"], model_type: "whisper", d_model: 512, encoder_layers: 6, decoder_layers: 6, num_mel_bins: 80, vocab_size: 51865, torch_dtype: "float32" }, { pipe: "automatic-speech-recognition", files: ["preprocessor_config.json", "vocab.json", "merges.txt", "normalizer.json"] }),
  "whisper-tiny": fixed(37_760_640, { architectures: ["WhisperForConditionalGeneration"], model_type: "whisper", d_model: 384, encoder_layers: 4, decoder_layers: 4, num_mel_bins: 80, vocab_size: 51865, torch_dtype: "float32" }, { pipe: "automatic-speech-recognition", files: ["preprocessor_config.json", "vocab.json", "merges.txt", "normalizer.json"] }),
  "distil-whisper": fixed(756_220_160, { architectures: ["WhisperForConditionalGeneration"], model_type: "whisper", d_model: 1280, encoder_layers: 32, decoder_layers: 2, num_mel_bins: 128, vocab_size: 51866, torch_dtype: "float16" }, { dtype: "F16", pipe: "automatic-speech-recognition", files: ["preprocessor_config.json", "vocab.json", "merges.txt", "normalizer.json"] }),
  wav2vec2: fixed(94_396_320, { architectures: ["Wav2Vec2ForCTC"], model_type: "wav2vec2", hidden_size: 768, num_hidden_layers: 12, vocab_size: 32, torch_dtype: "float32" }, { pipe: "automatic-speech-recognition", files: ["preprocessor_config.json", "vocab.json"] }),
  hubert: fixed(315_461_792, { architectures: ["HubertForCTC"], model_type: "hubert", hidden_size: 1024, num_hidden_layers: 24, vocab_size: 32, torch_dtype: "float32" }, { pipe: "automatic-speech-recognition", files: ["preprocessor_config.json", "vocab.json"] }),
  musicgen: fixed(590_415_936, { architectures: ["MusicgenForConditionalGeneration"], model_type: "musicgen", decoder: { hidden_size: 1024, num_hidden_layers: 24 }, torch_dtype: "float32" }, { pipe: "text-to-audio", files: ["preprocessor_config.json"] }),
  speecht5: fixed(144_433_897, { architectures: ["SpeechT5ForTextToSpeech"], model_type: "speecht5", hidden_size: 768, torch_dtype: "float32" }, { pipe: "text-to-speech", files: ["preprocessor_config.json", "spm_char.model"] }),
  "mms-tts": fixed(36_255_850, { architectures: ["VitsModel"], model_type: "vits", hidden_size: 192, torch_dtype: "float32" }, { pipe: "text-to-speech", files: ["vocab.json"] }),
  "csm-1b": fixed(1_553_374_240, { architectures: ["CsmForConditionalGeneration"], model_type: "csm", hidden_size: 2048, num_hidden_layers: 16, vocab_size: 128256, torch_dtype: "float32" }, { pipe: "text-to-speech", files: ["preprocessor_config.json"] }),
  vibevoice: fixed(2_704_021_985, { architectures: ["VibeVoiceForConditionalGeneration"], model_type: "vibevoice", decoder_config: { hidden_size: 1536, num_hidden_layers: 28 }, torch_dtype: "bfloat16" }, { dtype: "BF16", pipe: "text-to-speech", files: ["preprocessor_config.json"] }),
  // ---- libraries without transformers weights
  "diffusers-sdxl": { kind: "diffusers", className: "StableDiffusionXLPipeline", gb: 13.9 },
  "diffusers-sd15": { kind: "diffusers", className: "StableDiffusionPipeline", gb: 5.2 },
  "diffusers-sd3": { kind: "diffusers", className: "StableDiffusion3Pipeline", gb: 27.1 },
  "diffusers-flux": { kind: "diffusers", className: "FluxPipeline", gb: 33.7 },
  "diffusers-flux-kontext": { kind: "diffusers", className: "FluxKontextPipeline", gb: 33.7 },
  "diffusers-qwen-image": { kind: "diffusers", className: "QwenImagePipeline", gb: 57.7 },
  "diffusers-hidream": { kind: "diffusers", className: "HiDreamImagePipeline", gb: 47.2 },
  "diffusers-wan": { kind: "diffusers", className: "WanPipeline", gb: 69.1 },
  "diffusers-ltx": { kind: "diffusers", className: "LTXPipeline", gb: 9.4 },
  "diffusers-hunyuan-video": { kind: "diffusers", className: "HunyuanVideoPipeline", gb: 41.0 },
  "diffusers-svd": { kind: "diffusers", className: "StableVideoDiffusionPipeline", gb: 9.6 },
  "diffusers-kandinsky": { kind: "diffusers", className: "KandinskyV22Pipeline", gb: 5.0 },
  "diffusers-controlnet": { kind: "diffusers", className: "ControlNetModel", gb: 1.4 },
  "diffusers-vae": { kind: "diffusers", className: "AutoencoderKL", gb: 0.33 },
  nemo: { kind: "none", files: [["parakeet-tdt-0.6b-v2.nemo", 2_471_782_400]] },
  "pyannote-pipeline": { kind: "none", files: [["config.yaml", 469]] },
  "pyannote-model": { kind: "none", files: [["pytorch_model.bin", 5_905_440], ["config.yaml", 399]] },
  kokoro: { kind: "none", files: [["kokoro-v1_0.pth", 327_212_226], ["config.json", 2_351], ["voices/af_heart.pt", 523_425]] },
  xtts: { kind: "none", files: [["model.pth", 1_867_929_118], ["config.json", 4_368], ["vocab.json", 361_219], ["speakers_xtts.pth", 7_754_818]] },
  speechbrain: { kind: "none", files: [["embedding_model.ckpt", 83_316_686], ["hyperparams.yaml", 1_921]] },
  chatterbox: { kind: "none", files: [["t3_cfg.safetensors", 2_135_092_264], ["s3gen.safetensors", 1_057_165_948], ["ve.safetensors", 5_698_800], ["tokenizer.json", 25_470]] },
  bark: { kind: "none", files: [["pytorch_model.bin", 4_491_495_253], ["config.json", 8_797], ["speaker_embeddings_path.json", 60_470]] },
  grok: { kind: "none", files: [["ckpt-0/tensor00000_000", 4_194_304_000]] },
  "ip-adapter": { kind: "none", files: [["models/ip-adapter_sd15.safetensors", 44_642_768], ["sdxl_models/ip-adapter_sdxl.safetensors", 702_585_097]] },
};
