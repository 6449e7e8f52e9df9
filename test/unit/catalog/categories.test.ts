import { describe, expect, it } from "vitest";
import {
  CATEGORY_LABELS,
  CATEGORY_RULES,
  categorize,
  compileRules,
  deployableMask,
  sizeBucket,
  type Category,
  type CategoryRule,
} from "../../../workers/catalog/categories";
import { planDeployment } from "../../../workers/deploy/planner";
import { SAMPLE_MODELS } from "../../../workers/sandbox/huggingface/sample";
import { sampleFacts } from "../deploy/sample-facts";
import { categoryInput, sampleInput } from "./sample-input";

/** Real Hub ids from the shipped sample and what a person browsing would file them under, primary first. */
const EXPECTED: [string, Category[]][] = [
  ["Qwen/Qwen2.5-Coder-7B-Instruct", ["code", "chat"]],
  ["Qwen/Qwen2.5-Coder-7B", ["code", "base-model"]],
  ["bigcode/starcoder2-7b", ["code", "base-model"]],
  ["bartowski/Qwen2.5-Coder-32B-Instruct-GGUF", ["code", "chat"]],
  ["deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", ["reasoning", "chat"]],
  ["mlx-community/DeepSeek-R1-Distill-Qwen-7B-4bit", ["reasoning", "chat"]],
  ["deepseek-ai/DeepSeek-R1", ["reasoning", "chat"]],
  ["Qwen/QwQ-32B", ["reasoning", "chat"]],
  ["Qwen/QwQ-32B-Preview", ["reasoning", "chat"]],
  ["Qwen/Qwen3-4B-Thinking-2507", ["reasoning", "chat"]],
  ["Qwen/Qwen3-8B", ["reasoning", "chat"]],
  ["Qwen/Qwen3-4B-Instruct-2507", ["chat"]],
  ["Qwen/Qwen3-8B-Base", ["base-model"]],
  ["microsoft/Phi-4-reasoning", ["reasoning", "chat"]],
  ["openai/gpt-oss-20b", ["reasoning", "chat"]],
  ["agentica-org/DeepScaleR-1.5B-Preview", ["math", "reasoning", "chat"]],
  ["Qwen/Qwen2.5-Math-7B-Instruct", ["math", "chat"]],
  ["mistralai/Mathstral-7B-v0.1", ["math", "chat"]],
  ["deepseek-ai/deepseek-math-7b-instruct", ["math", "chat"]],
  ["microsoft/phi-4", ["chat"]],
  ["Qwen/Qwen2.5-VL-7B-Instruct", ["vision-language", "chat"]],
  ["llava-hf/llava-1.5-7b-hf", ["vision-language", "chat"]],
  ["google/gemma-3-4b-it", ["vision-language", "chat"]],
  ["google/gemma-3-27b-pt", ["vision-language", "base-model"]],
  ["microsoft/Florence-2-large", ["vision-language"]],
  ["microsoft/Phi-4-multimodal-instruct", ["vision-language", "speech-to-text"]],
  ["deepseek-ai/Janus-Pro-7B", ["vision-language"]],
  ["sentence-transformers/all-MiniLM-L6-v2", ["embeddings"]],
  ["BAAI/bge-m3", ["embeddings"]],
  ["Qwen/Qwen3-Embedding-0.6B", ["embeddings"]],
  ["jinaai/jina-embeddings-v3", ["embeddings"]],
  ["google/embeddinggemma-300m", ["embeddings"]],
  ["google/electra-base-discriminator", ["other"]],
  ["BAAI/bge-reranker-v2-m3", ["reranking"]],
  ["BAAI/bge-reranker-base", ["reranking"]],
  ["cross-encoder/ms-marco-MiniLM-L6-v2", ["reranking"]],
  ["Qwen/Qwen3-Reranker-0.6B", ["reranking"]],
  ["openai/whisper-large-v3", ["speech-to-text"]],
  ["facebook/wav2vec2-base-960h", ["speech-to-text"]],
  ["Qwen/Qwen2-Audio-7B-Instruct", ["speech-to-text", "chat"]],
  ["hexgrad/Kokoro-82M", ["text-to-speech"]],
  ["stabilityai/stable-diffusion-xl-base-1.0", ["image-generation"]],
  ["black-forest-labs/FLUX.1-dev", ["image-generation"]],
  ["madebyollin/sdxl-vae-fp16-fix", ["image-generation"]],
  ["Wan-AI/Wan2.1-T2V-14B-Diffusers", ["video-generation"]],
  ["stabilityai/stable-video-diffusion-img2vid-xt", ["video-generation"]],
  ["Helsinki-NLP/opus-mt-en-de", ["translation"]],
  ["facebook/nllb-200-distilled-600M", ["translation"]],
  ["google-t5/t5-small", ["translation", "summarization"]],
  ["facebook/bart-large-cnn", ["summarization"]],
  ["facebook/detr-resnet-50", ["object-detection"]],
  ["ProsusAI/finbert", ["classification"]],
  ["Falconsai/nsfw_image_detection", ["classification"]],
  ["meta-llama/Llama-Guard-3-8B", ["classification"]],
  ["google/shieldgemma-2b", ["classification"]],
  ["NousResearch/Hermes-3-Llama-3.1-8B", ["agents", "chat"]],
  ["teknium/OpenHermes-2.5-Mistral-7B", ["chat"]],
  ["mistralai/Devstral-Small-2505", ["code", "agents", "chat"]],
  ["Qwen/Qwen3-Coder-30B-A3B-Instruct", ["code", "agents", "chat"]],
  ["zai-org/GLM-4.5-Air", ["agents", "chat"]],
  ["meta-llama/Llama-3.1-8B-Instruct", ["chat"]],
  ["google/gemma-3-1b-it", ["chat"]],
  ["meta-llama/Llama-3.1-8B", ["base-model"]],
  ["mistralai/Mistral-7B-v0.1", ["base-model"]],
  ["Qwen/Qwen2.5-7B", ["base-model"]],
  ["openai-community/gpt2", ["base-model"]],
  ["google-bert/bert-base-uncased", ["other"]],
  ["facebook/musicgen-small", ["other"]],
];

describe("categorize over real Hub models", () => {
  it.each(EXPECTED)("%s → %j", (id, expected) => {
    expect(categorize(sampleInput(id))).toEqual(expected);
  });

  it("gives every sample model at least one category, without duplicates, never chat and base-model at once", () => {
    for (const m of SAMPLE_MODELS) {
      const cats = categorize(categoryInput(m));
      expect(cats.length, m.id).toBeGreaterThan(0);
      expect(new Set(cats).size, m.id).toBe(cats.length);
      expect(cats.includes("chat") && cats.includes("base-model"), m.id).toBe(false);
      if (cats.includes("other")) expect(cats, m.id).toEqual(["other"]);
    }
  });

  it("fills every category from the sample", () => {
    const seen = new Set(SAMPLE_MODELS.flatMap((m) => categorize(categoryInput(m))));
    expect([...seen].sort()).toEqual(Object.keys(CATEGORY_LABELS).sort());
  });

  it("files every instruction-tuned text generator as chat and every plain one as base", () => {
    for (const m of SAMPLE_MODELS.filter((x) => x.pipeline_tag === "text-generation")) {
      const cats = categorize(categoryInput(m));
      if (cats.includes("classification")) continue; // safety classifiers (Llama Guard, ShieldGemma)
      const conversational = m.tags.includes("conversational");
      if (conversational) expect(cats, m.id).toContain("chat");
      expect(cats.includes("chat") || cats.includes("base-model"), m.id).toBe(true);
    }
  });
});

describe("the rule interpreter", () => {
  const model = { id: "acme/Widget-7B-Instruct", task: "text-generation", tags: ["Code", "conversational"], architecture: "LlamaForCausalLM", library: "transformers", params: 7e9 };

  it("ANDs the fields of `when`, ORs the values within one field", () => {
    const rules: CategoryRule[] = [
      { category: "code", when: { tasks: ["text-generation"], tags: ["python", "code"] } },
      { category: "math", when: { tasks: ["text-generation"], tags: ["math"] } },
      { category: "agents", when: { tasks: ["summarization", "text-generation"], libraries: ["TRANSFORMERS"], architectures: ["^Llama"], name: ["widget"] } },
    ];
    expect(categorize(model, rules)).toEqual(["code", "agents"]);
  });

  it("lets any one field of `unless` veto the rule", () => {
    const rule = (unless: CategoryRule["unless"]): CategoryRule[] => [{ category: "chat", when: { tasks: ["text-generation"] }, unless }];
    expect(categorize(model, rule({ tags: ["nope"], name: ["nope"] }))).toEqual(["chat"]);
    expect(categorize(model, rule({ tags: ["nope"], name: ["instruct$"] }))).toEqual(["other"]);
    expect(categorize(model, rule({ libraries: ["diffusers"], params: { min: 5e9 } }))).toEqual(["other"]);
  });

  it("orders by the first rule that fires, dedupes, and falls back to other", () => {
    const rules: CategoryRule[] = [
      { category: "chat", when: { tags: ["conversational"] } },
      { category: "code", when: { tags: ["code"] } },
      { category: "chat", when: { name: ["widget"] } },
    ];
    expect(categorize(model, rules)).toEqual(["chat", "code"]);
    expect(categorize(model, rules.slice(0, 2).reverse())).toEqual(["code", "chat"]);
    expect(categorize({ id: "a/b", tags: [] }, rules)).toEqual(["other"]);
  });

  it("matches tags, tasks and names case-insensitively, architectures case-sensitively", () => {
    expect(categorize(model, [{ category: "code", when: { tags: ["CODE"], name: ["^ACME/"] } }])).toEqual(["code"]);
    expect(categorize(model, [{ category: "code", when: { architectures: ["^llama"] } }])).toEqual(["other"]);
    expect(categorize(model, [{ category: "code", when: { architectures: ["^Llama"] } }])).toEqual(["code"]);
  });

  it("never matches a field the model does not have", () => {
    const bare = { id: "acme/thing", tags: [] as string[] };
    const rules: CategoryRule[] = [
      { category: "chat", when: { tasks: ["text-generation"] } },
      { category: "code", when: { architectures: [".*"] } },
      { category: "math", when: { libraries: ["transformers"] } },
      { category: "agents", when: { params: { max: 1e12 } } },
      { category: "reasoning", when: { name: ["thing"] }, unless: { tasks: ["x"], architectures: [".*"], params: { min: 0 } } },
    ];
    expect(categorize(bare, rules)).toEqual(["reasoning"]);
  });

  it("bounds parameters inclusively", () => {
    const rules: CategoryRule[] = [{ category: "chat", when: { params: { min: 1e9, max: 7e9 } } }];
    expect(categorize(model, rules)).toEqual(["chat"]);
    expect(categorize({ ...model, params: 7e9 + 1 }, rules)).toEqual(["other"]);
    expect(categorize({ ...model, params: null }, rules)).toEqual(["other"]);
  });

  it("refuses malformed rules up front", () => {
    const bad: [CategoryRule, RegExp][] = [
      [{ category: "chat", when: {} }, /no conditions/],
      [{ category: "chat", when: { tags: [] } }, /non-empty/],
      [{ category: "chat", when: { name: ["(unclosed"] } }, /not a valid regular expression/],
      [{ category: "chat", when: { tags: ["x"] }, unless: { task: ["y"] } as never }, /unknown field 'task'/],
      [{ category: "chatty" as Category, when: { tags: ["x"] } }, /unknown category/],
    ];
    for (const [rule, message] of bad) {
      expect(() => compileRules([rule])).toThrow(message);
      expect(() => categorize(model, [rule])).toThrow(message);
    }
  });

  it("ships valid rules for known categories only", () => {
    expect(() => compileRules(CATEGORY_RULES)).not.toThrow();
    for (const r of CATEGORY_RULES) expect(CATEGORY_LABELS[r.category]).toBeTruthy();
  });
});

describe("sizeBucket", () => {
  it.each([
    [null, "unknown"], [undefined, "unknown"], [0, "unknown"], [Number.NaN, "unknown"], [-5, "unknown"],
    [22_713_216, "tiny"], [999_999_999, "tiny"], [1e9, "small"], [8_030_261_248, "small"], [10e9, "medium"],
    [32_763_876_352, "medium"], [40e9, "large"], [70_553_706_496, "large"], [150e9, "huge"], [684_531_386_000, "huge"],
  ] as const)("%s → %s", (params, bucket) => {
    expect(sizeBucket(params)).toBe(bucket);
  });
});

describe("deployableMask", () => {
  it.each([
    ["Qwen/Qwen2.5-7B-Instruct", 3],
    ["google/gemma-3-4b-it", 3],
    ["OpenGVLab/InternVL3-8B", 1],
    ["MiniMaxAI/MiniMax-M2", 1],
    ["BAAI/bge-m3", 1],
    ["Qwen/Qwen3-Embedding-0.6B", 1],
    ["Qwen/Qwen3-Reranker-0.6B", 0],
    ["microsoft/Florence-2-large", 0],
    ["openai/whisper-large-v3", 0],
    ["ggml-org/gpt-oss-20b-GGUF", 0],
    ["xai-org/grok-1", 0],
    ["mlx-community/Qwen3-8B-4bit", 0],
  ] as const)("%s → %d", (id, mask) => {
    expect(deployableMask(sampleInput(id))).toBe(mask);
  });

  it("reads an untagged causal LM as chat, like the planner", () => {
    expect(deployableMask({ task: null, architecture: "LlamaForCausalLM", tags: [] })).toBe(3);
    expect(deployableMask({ task: null, architecture: "BertModel", tags: [] })).toBe(0);
    expect(deployableMask({ task: "text-generation", architecture: null, tags: [] })).toBe(0);
  });

  // The badge in search must agree with what a deploy does: over the whole sample, the engine bit is set
  // exactly when the planner, asked for that engine, gets past its model-kind and architecture checks.
  it("agrees with the planner for every sample model and both engines", () => {
    let checked = 0;
    for (const m of SAMPLE_MODELS) {
      if (m.tags.includes("mlx")) continue; // stricter than the planner on purpose (see categories.ts)
      const mask = deployableMask(categoryInput(m));
      for (const [engine, bit] of [["vllm", 1], ["sglang", 2]] as const) {
        const result = planDeployment(sampleFacts(m.id), { engine, hfTokenAvailable: true });
        const refusedForWhatItIs = !result.ok && (result.code === "not_text_model" || result.code === "unsupported_architecture");
        expect((mask & bit) !== 0, `${m.id} on ${engine}: ${result.ok ? "planned" : result.reason}`).toBe(!refusedForWhatItIs);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(900);
  });
});
