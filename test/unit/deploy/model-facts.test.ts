import { describe, expect, it } from "vitest";
import { MAX_CONTEXT, modelFacts } from "../../../workers/deploy/model-facts";
import { sampleFacts, sampleModel } from "./sample-facts";

describe("modelFacts on real Hub records", () => {
  it("reads a dense BF16 chat model: size, dtype, context and attention shape from config.json", () => {
    const f = sampleFacts("Qwen/Qwen2.5-7B-Instruct");
    expect(f).toMatchObject({
      id: "Qwen/Qwen2.5-7B-Instruct",
      pipelineTag: "text-generation",
      libraryName: "transformers",
      license: "apache-2.0",
      gated: false,
      architecture: "Qwen2ForCausalLM",
      modelType: "qwen2",
      parameters: 7_615_616_512,
      weightBytes: 7_615_616_512 * 2,
      dtype: "BF16",
      contextLength: 32_768,
      layers: 28,
      attentionHeads: 28,
      kvHeads: 4,
      headDim: 3584 / 28,
      weightFormat: "safetensors",
    });
    expect(f.quantization).toBeUndefined();
    expect(f.moe).toBeUndefined();
  });

  it("keeps the gate and the license of a gated Llama", () => {
    const f = sampleFacts("meta-llama/Llama-3.1-8B-Instruct");
    expect(f.gated).toBe("manual");
    expect(f.license).toBe("llama3.1");
    expect(f.contextLength).toBe(131_072);
    expect([f.layers, f.kvHeads, f.headDim]).toEqual([32, 8, 128]);
    expect(sampleFacts("mistralai/Mixtral-8x7B-Instruct-v0.1").gated).toBe("auto");
  });

  it("sizes an AWQ checkpoint by its bytes and unpacks its logical parameter count", () => {
    const f = sampleFacts("Qwen/Qwen2.5-7B-Instruct-AWQ");
    // safetensors: I32 822,075,398 (eight 4-bit weights each) + F16 1,140,976,172.
    expect(f.weightBytes).toBe(822_075_398 * 4 + 1_140_976_172 * 2);
    expect(f.parameters).toBe(822_075_398 * 8 + 1_140_976_172);
    expect(f.parameters).toBeGreaterThan(sampleModel("Qwen/Qwen2.5-7B-Instruct-AWQ").safetensors!.total);
    expect(f).toMatchObject({ quantization: "awq", quantizationSource: "config", quantBits: 4, dtype: "F16" });
  });

  it("unpacks MXFP4 (two weights per U8) and reads gpt-oss's experts_per_token", () => {
    const f = sampleFacts("openai/gpt-oss-20b");
    expect(f.weightBytes).toBe(1_804_459_584 * 2 + 10_160_977_920);
    expect(f.parameters).toBe(1_804_459_584 + 10_160_977_920 * 2);
    expect(f).toMatchObject({ quantization: "mxfp4", quantBits: 4, moe: { experts: 32, activeExperts: 4 }, headDim: 64 });
  });

  it("unpacks bitsandbytes NF4 but not 8-bit FP8", () => {
    const bnb = sampleFacts("unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit");
    expect(bnb).toMatchObject({ quantization: "bitsandbytes", quantBits: 4 });
    expect(bnb.parameters).toBe(3_489_794_048 * 2 + 1_050_673_152 + 109_056_064);
    const r1 = sampleFacts("deepseek-ai/DeepSeek-R1");
    expect(r1).toMatchObject({ quantization: "fp8", quantBits: 8, parameters: 684_531_386_000, dtype: "F8_E4M3" });
  });

  it("reads MoE routing under each family's key names", () => {
    expect(sampleFacts("Qwen/Qwen3-30B-A3B").moe).toEqual({ experts: 128, activeExperts: 8 });
    expect(sampleFacts("mistralai/Mixtral-8x7B-Instruct-v0.1").moe).toEqual({ experts: 8, activeExperts: 2 });
    expect(sampleFacts("deepseek-ai/DeepSeek-R1").moe).toEqual({ experts: 256, activeExperts: 8 });
    expect(sampleFacts("databricks/dbrx-instruct").moe).toEqual({ experts: 16, activeExperts: 4 });
    expect(sampleFacts("meta-llama/Llama-3.1-8B-Instruct").moe).toBeUndefined();
  });

  it("prefers an explicit head_dim over hidden_size / heads (Qwen3-30B-A3B: 128, not 2048/32)", () => {
    const f = sampleFacts("Qwen/Qwen3-30B-A3B");
    expect(f.headDim).toBe(128);
    expect(f.hiddenSize! / f.attentionHeads!).toBe(64);
    expect(f.contextLength).toBe(40_960);
  });

  it("takes DeepSeek's latent KV width (kv_lora_rank + qk_rope_head_dim)", () => {
    expect(sampleFacts("deepseek-ai/DeepSeek-R1").kvLatentDim).toBe(512 + 64);
    expect(sampleFacts("Qwen/Qwen2.5-7B-Instruct").kvLatentDim).toBeUndefined();
  });

  it("reads a vision-language model's language part from text_config", () => {
    const gemma = sampleFacts("google/gemma-3-27b-it");
    expect(sampleModel("google/gemma-3-27b-it").configJson!.num_hidden_layers).toBeUndefined();
    expect(gemma).toMatchObject({ modelType: "gemma3", layers: 62, kvHeads: 16, headDim: 128, contextLength: 32_768, pipelineTag: "image-text-to-text" });
    // Qwen2.5-VL keeps the same fields at the top level.
    expect(sampleFacts("Qwen/Qwen2.5-VL-7B-Instruct")).toMatchObject({ layers: 28, kvHeads: 4, headDim: 128, contextLength: 32_768 });
  });

  it("caps absurd context windows", () => {
    const scout = sampleFacts("meta-llama/Llama-4-Scout-17B-16E-Instruct");
    expect((sampleModel("meta-llama/Llama-4-Scout-17B-16E-Instruct").configJson!.text_config as Record<string, number>).max_position_embeddings).toBe(10_485_760);
    expect(scout.contextLength).toBe(MAX_CONTEXT);
    expect(scout.moe).toEqual({ experts: 16, activeExperts: 1 });
  });

  it("removes RoBERTa's padding offset from the position table (8194 → 8192, 514 → 512)", () => {
    expect(sampleFacts("BAAI/bge-m3").contextLength).toBe(8192);
    expect(sampleFacts("intfloat/multilingual-e5-large").contextLength).toBe(512);
    expect(sampleFacts("sentence-transformers/all-MiniLM-L6-v2")).toMatchObject({ contextLength: 512, dtype: "F32", architecture: "BertModel" });
  });

  it("reads DBRX's own key names (n_layers, n_heads, d_model, max_seq_len)", () => {
    expect(sampleFacts("databricks/dbrx-instruct")).toMatchObject({ layers: 40, attentionHeads: 48, hiddenSize: 6144, contextLength: 32_768 });
  });

  it("recognises a GGUF-only repo and its base model", () => {
    const f = sampleFacts("unsloth/Qwen3-30B-A3B-GGUF");
    expect(f).toMatchObject({ weightFormat: "gguf", baseModel: "Qwen/Qwen3-30B-A3B", contextLength: 40_960, parameters: 30_532_122_624 });
    expect(f.architecture).toBeUndefined();
    expect(f.weightBytes).toBeUndefined();
  });
});

describe("modelFacts input shapes", () => {
  it("accepts @huggingface/hub's modelInfo() shape (Mongo id in `id`, repo id in `name`, `task`)", () => {
    const m = sampleModel("Qwen/Qwen2.5-7B-Instruct");
    const fromLibrary = {
      id: m._id,
      name: m.id,
      task: m.pipeline_tag,
      gated: m.gated,
      private: false,
      likes: 1,
      downloads: 2,
      updatedAt: new Date(m.lastModified),
      safetensors: m.safetensors,
      config: m.config,
      tags: m.tags,
      library_name: m.library_name,
      cardData: m.cardData,
    };
    const f = modelFacts(fromLibrary, m.configJson);
    expect(f.id).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect(f.pipelineTag).toBe("text-generation");
    expect(f.parameters).toBe(7_615_616_512);
  });

  it("falls back to the API's config field when config.json is unreadable (gated, no token)", () => {
    const m = sampleModel("Qwen/Qwen2.5-7B-Instruct-AWQ");
    const f = modelFacts(m);
    expect(f.architecture).toBe("Qwen2ForCausalLM");
    expect(f.quantization).toBe("awq");
    expect(f.layers).toBeUndefined();
    expect(f.contextLength).toBeUndefined();
  });

  it("takes quantization hints from tags and names when the config declares none", () => {
    const m = sampleModel("Qwen/Qwen2.5-7B-Instruct");
    const byName = modelFacts({ ...m, id: "someone/Qwen2.5-7B-Instruct-AWQ" }, m.configJson);
    expect(byName).toMatchObject({ quantization: "awq", quantizationSource: "name" });
    const byTag = modelFacts({ ...m, tags: [...m.tags, "gptq", "4-bit"] }, m.configJson);
    expect(byTag).toMatchObject({ quantization: "gptq", quantizationSource: "tags", quantBits: 4 });
  });

  it("normalises `gated: true` and reads the license from tags when the card has none", () => {
    const m = sampleModel("Qwen/Qwen2.5-7B-Instruct");
    const f = modelFacts({ ...m, gated: true, cardData: {} }, m.configJson);
    expect(f.gated).toBe("auto");
    expect(f.license).toBe("apache-2.0");
  });

  it("marks repos whose config needs their own code (auto_map)", () => {
    const m = sampleModel("Qwen/Qwen2.5-7B-Instruct");
    expect(modelFacts(m, { ...m.configJson, auto_map: { AutoConfig: "configuration_x.XConfig" } }).customCode).toBe(true);
    expect(modelFacts(m, m.configJson).customCode).toBe(false);
  });

  it("survives an empty record", () => {
    const f = modelFacts({});
    expect(f).toMatchObject({ id: "", gated: false, tags: [], parameters: undefined, weightBytes: undefined, architecture: undefined });
  });
});
