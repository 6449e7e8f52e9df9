import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildSample, serialise } from "../../../scripts/hf-sample-models";
import { decoderParams, derivedSafetensors, safetensorsBytes, type DecoderShape } from "../../../workers/sandbox/huggingface/arch";
import { catalogFor, decodeCursor, encodeCursor, listPage, marksAt, seekAll } from "../../../workers/sandbox/huggingface/catalog";
import { listItem, modelInfo } from "../../../workers/sandbox/huggingface/fields";
import { repoFile } from "../../../workers/sandbox/huggingface/files";
import { generatedIndexAt, generatedIndexOf, generatedLite, generatedModel } from "../../../workers/sandbox/huggingface/generate";
import { AffinePermutation, BlockPermutation } from "../../../workers/sandbox/huggingface/permute";
import { matchesQuery, parseModelQuery, type ModelQuery } from "../../../workers/sandbox/huggingface/query";
import { SAMPLE_LITE, SAMPLE_MODELS } from "../../../workers/sandbox/huggingface/sample";

const query = (qs: string): ModelQuery => {
  const parsed = parseModelQuery(new URLSearchParams(qs));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};

describe("sample catalog", () => {
  it("is the script's deterministic output, sorted by downloads, with unique ids", () => {
    const file = readFileSync(new URL("../../../workers/sandbox/huggingface/sample-models.json", import.meta.url), "utf8");
    expect(serialise(buildSample())).toBe(file);
    expect(SAMPLE_MODELS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(SAMPLE_MODELS.map((m) => m.id.toLowerCase())).size).toBe(SAMPLE_MODELS.length);
    const downloads = SAMPLE_MODELS.map((m) => m.downloads);
    expect(downloads).toEqual([...downloads].sort((a, b) => b - a));
  });

  it("covers the families and tasks a model browser needs", () => {
    for (const org of ["meta-llama", "Qwen", "mistralai", "google", "microsoft", "deepseek-ai", "sentence-transformers", "BAAI", "openai", "black-forest-labs"]) {
      expect(SAMPLE_MODELS.some((m) => m.author === org)).toBe(true);
    }
    for (const task of ["text-generation", "image-text-to-text", "feature-extraction", "sentence-similarity", "automatic-speech-recognition", "text-to-image", "image-classification", "text-classification"]) {
      expect(SAMPLE_MODELS.some((m) => m.pipeline_tag === task)).toBe(true);
    }
  });

  it("has internally consistent records", () => {
    for (const m of SAMPLE_MODELS) {
      expect(m._id).toMatch(/^[0-9a-f]{24}$/);
      expect(parseInt(m._id.slice(0, 8), 16)).toBe(Math.floor(Date.parse(m.createdAt) / 1000));
      expect(m.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(Date.parse(m.lastModified)).toBeGreaterThanOrEqual(Date.parse(m.createdAt));
      expect(m.tags).toContain(`license:${m.cardData.license}`);
      if (m.pipeline_tag) expect(m.tags).toContain(m.pipeline_tag);
      if (m.safetensors) expect(Object.values(m.safetensors.parameters).reduce((a, b) => a + b, 0)).toBe(m.safetensors.total);
      if (m.configJson) expect(m.siblings.map((s) => s.rfilename)).toContain("config.json");
      expect(m.usedStorage).toBe(m.siblings.reduce((a, s) => a + s.size, 0));
    }
  });

  it("counts parameters like the real checkpoints", () => {
    const total = (id: string) => SAMPLE_MODELS.find((m) => m.id === id)?.safetensors?.total;
    expect(total("meta-llama/Llama-3.1-8B-Instruct")).toBe(8_030_261_248);
    expect(total("meta-llama/Llama-3.2-1B")).toBe(1_235_814_400);
    expect(total("Qwen/Qwen2.5-7B-Instruct")).toBe(7_615_616_512);
    expect(total("Qwen/Qwen3-8B")).toBe(8_190_735_360);
    expect(total("Qwen/Qwen3-30B-A3B")).toBe(30_532_122_624);
    expect(total("mistralai/Mixtral-8x7B-Instruct-v0.1")).toBe(46_702_792_704);
    expect(total("google/gemma-2-9b-it")).toBe(9_241_705_984);
  });
});

describe("arch", () => {
  const llama8b: DecoderShape = {
    model_type: "llama", architectures: ["LlamaForCausalLM"], hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8,
    intermediate_size: 14336, vocab_size: 128256, max_position_embeddings: 131072, torch_dtype: "bfloat16",
  };

  it("derives quantised dtype splits that shrink the weights", () => {
    const base = { parameters: { BF16: decoderParams(llama8b) }, total: decoderParams(llama8b) };
    const config = { vocab_size: 128256, hidden_size: 4096, num_hidden_layers: 32, intermediate_size: 14336 };
    const awq = derivedSafetensors(base, config, "awq")!;
    expect(Object.keys(awq.parameters).sort()).toEqual(["F16", "I32"]);
    expect(safetensorsBytes(awq)).toBeLessThan(safetensorsBytes(base) / 2.5);
    const fp8 = derivedSafetensors(base, config, "fp8")!;
    expect(fp8.parameters.F8_E4M3).toBeGreaterThan(6e9);
    expect(safetensorsBytes(fp8)).toBeLessThan(safetensorsBytes(base) * 0.6);
    expect(derivedSafetensors(base, config, "gguf")).toBeUndefined();
    expect(derivedSafetensors(base, config, "lora")!.total).toBeLessThan(1e8);
  });
});

describe("permutations", () => {
  it.each([1, 2, 63, 64, 65, 1000, 4097])("are bijections with exact inverses for n=%i", (n) => {
    for (const perm of [new AffinePermutation(n, 0.618, 7), new BlockPermutation(n)]) {
      const seen = new Set<number>();
      for (let x = 0; x < n; x++) {
        const y = perm.forward(x);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThan(n);
        expect(perm.inverse(y)).toBe(x);
        seen.add(y);
      }
      expect(seen.size).toBe(n);
    }
  });
});

describe("generated catalog", () => {
  const n = 10_000;

  it("is a pure function of (index, size)", () => {
    expect(generatedModel(1234, n)).toEqual(generatedModel(1234, n));
    expect(generatedLite(77, n).id).toBe(generatedLite(77, 500_000).id);
  });

  it("keeps every built-in order monotone, dates consistent, and ids invertible", () => {
    for (const sort of ["downloads", "likes", "trendingScore", "createdAt", "lastModified"] as const) {
      let prev = Infinity;
      for (let pos = 0; pos < n; pos++) {
        const m = generatedLite(generatedIndexAt(sort, pos, n), n);
        const key = sort === "createdAt" ? m.createdAtMs : sort === "lastModified" ? m.lastModifiedMs : m[sort];
        expect(key).toBeLessThanOrEqual(prev);
        prev = key;
      }
    }
    for (const i of [0, 1, 999, n - 1]) {
      const m = generatedModel(i, n);
      expect(generatedIndexOf(m.id, n)).toBe(i);
      expect(generatedIndexOf(m.id.toUpperCase(), n)).toBe(i);
      expect(Date.parse(m.lastModified)).toBeGreaterThanOrEqual(Date.parse(m.createdAt));
      expect(m.tags.some((t) => t.startsWith("base_model:"))).toBe(true);
    }
    expect(generatedIndexOf(generatedLite(n, n + 1).id, n)).toBeUndefined();
    expect(generatedIndexOf("someone/else-1", n)).toBeUndefined();
  });

  it("derives models from real bases: configs and weights follow the variant", () => {
    const models = Array.from({ length: 400 }, (_, i) => generatedModel(i, n));
    const gguf = models.find((m) => m.tags.includes("gguf"))!;
    expect(gguf.safetensors).toBeUndefined();
    expect(gguf.gguf!.total).toBeGreaterThan(0);
    expect(gguf.siblings.some((s) => s.rfilename.endsWith("-Q4_K_M.gguf"))).toBe(true);
    const awq = models.find((m) => m.tags.includes("awq"))!;
    expect(awq.configJson!.quantization_config).toMatchObject({ quant_method: "awq", bits: 4 });
    expect(Object.keys(awq.safetensors!.parameters).sort()).toEqual(["F16", "I32"]);
    const lora = models.find((m) => m.library_name === "peft")!;
    expect(lora.siblings.map((s) => s.rfilename)).toContain("adapter_config.json");
  });
});

describe("query parsing", () => {
  it("parses repeatable filters, expand, bounds and defaults", () => {
    const q = query("search=llama&author=meta-llama&filter=gguf&filter=conversational&sort=likes&direction=-1&limit=20&expand=safetensors&expand[]=config&full=True");
    expect(q).toMatchObject({ search: "llama", author: "meta-llama", filters: ["gguf", "conversational"], sort: "likes", limit: 20, expand: ["safetensors", "config"], full: true });
    expect(query("").sort).toBe("trendingScore");
    expect(query("").limit).toBe(1000);
    expect(query("limit=99999").limit).toBe(1000);
    expect(query("num_parameters=min:6B,max:128B").numParameters).toEqual({ min: 6e9, max: 128e9 });
  });

  it.each([
    ["limit=abc", "✖ Invalid input: expected number, received NaN\n  → at limit"],
    ["limit=-3", "✖ Too small: expected number to be >=1\n  → at limit"],
    ["sort=trending", "✖ Invalid sort parameter: trending"],
    ["direction=2", '✖ Invalid option: expected one of "-1"|"1"\n  → at direction'],
    ["gated=perhaps", "✖ Invalid input: expected boolean, received string\n  → at gated"],
    ["inference=hot", '✖ Invalid option: expected one of "warm"|"cold"\n  → at inference'],
  ])("rejects %s", (qs, error) => {
    expect(parseModelQuery(new URLSearchParams(qs))).toEqual({ ok: false, error });
  });

  it("matches filters against the lite record", () => {
    const llama = SAMPLE_LITE.find((m) => m.id === "meta-llama/Llama-3.1-8B-Instruct")!;
    expect(matchesQuery(llama, query("search=LLAMA-3.1&author=META-LLAMA&filter=conversational&pipeline_tag=text-generation&library=transformers"))).toBe(true);
    expect(matchesQuery(llama, query("filter=gguf"))).toBe(false);
    expect(matchesQuery(llama, query("gated=true&num_parameters=min:7B,max:9B&apps=vllm&inference_provider=together"))).toBe(true);
    expect(matchesQuery(llama, query("apps=llama.cpp"))).toBe(false);
    expect(matchesQuery(llama, query("inference=cold"))).toBe(false);
  });
});

describe("listing", () => {
  it("pages through a merged large catalog with cursors, without gaps or repeats", () => {
    const catalog = catalogFor({ hfCatalog: "large", hfLargeSize: SAMPLE_MODELS.length + 700 });
    expect(catalog.size).toBe(SAMPLE_MODELS.length + 700);
    for (const sort of ["downloads", "trendingScore", "id"] as const) {
      const q = query(`sort=${sort}&limit=97`);
      const streams = catalog.streams(sort);
      const ids: string[] = [];
      let pos: number[] | undefined;
      do {
        const page = listPage(streams, q, pos);
        ids.push(...page.items.map((m) => m.id));
        const marks = page.next ? decodeCursor(encodeCursor({ sort, pos: marksAt(streams, page.next) }), sort, streams.length) : undefined;
        pos = marks && seekAll(streams, marks);
      } while (pos);
      expect(ids.length).toBe(catalog.size);
      expect(new Set(ids).size).toBe(catalog.size);
    }
    expect(catalog.lookup(generatedLite(699, 700).id)?.id).toBe(generatedLite(699, 700).id);
    expect(catalog.lookup(generatedLite(700, 701).id)).toBeUndefined();
    expect(catalogFor({ hfCatalog: "sample", hfLargeSize: 500_000 }).lookup(generatedLite(0, 700).id)).toBeUndefined();
  });

  it("rejects cursors for another sort or of the wrong shape", () => {
    const cursor = encodeCursor({ sort: "likes", pos: [[812, 3], 4] });
    expect(decodeCursor(cursor, "likes", 2)).toEqual([[812, 3], 4]);
    // the sample stream resumes after (key, rank), a generated stream at a position; a mark of the other kind does not fit
    const streams = catalogFor({ hfCatalog: "large", hfLargeSize: SAMPLE_MODELS.length + 10 }).streams("likes");
    expect(seekAll(streams, [[812, 3], 4])).toEqual([expect.any(Number), 4]);
    expect(seekAll(streams, [3, 4])).toBeUndefined();
    expect(seekAll(streams, [null, [812, 3]])).toBeUndefined();
    expect(seekAll(streams, [["812", 3], 4])).toBeUndefined();
    expect(decodeCursor(encodeCursor({ sort: "likes", pos: [[1, 1.5]] }), "likes", 2)).toBeUndefined();
    expect(decodeCursor(cursor, "downloads", 2)).toBeUndefined();
    expect(decodeCursor(cursor, "likes", 1)).toBeUndefined();
    expect(decodeCursor("%%%", "likes", 2)).toBeUndefined();
    expect(decodeCursor(encodeCursor({ sort: "likes", pos: [-1] }), "likes", 2)).toBeUndefined();
  });
});

describe("projections and files", () => {
  const m = SAMPLE_MODELS.find((x) => x.id === "Qwen/Qwen2.5-7B-Instruct")!;

  it("projects list items and model info", () => {
    expect(Object.keys(listItem(m, {}))).toEqual(["_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag", "library_name", "createdAt", "modelId"]);
    expect(listItem(m, { expand: ["gated", "safetensors"] })).toEqual({ _id: m._id, id: m.id, gated: false, safetensors: m.safetensors });
    const info = modelInfo(m, undefined);
    expect(info).toMatchObject({ id: m.id, modelId: m.id, config: { model_type: "qwen2" }, inferenceProviderMapping: expect.any(Array) });
    expect(info).not.toHaveProperty("configJson");
    expect(modelInfo(m, ["baseModels", "childrenModelCount"])).toEqual({ _id: m._id, id: m.id, baseModels: { relation: "finetune", models: [{ id: "Qwen/Qwen2.5-7B" }] }, childrenModelCount: expect.any(Number) });
  });

  it("renders small repo files and placeholders for weights", () => {
    const config = repoFile(m, "config.json")!;
    expect(JSON.parse(config.body)).toEqual(m.configJson);
    expect(repoFile(m, "README.md")!.body).toMatch(/^---\nlicense: apache-2.0\n/);
    expect(JSON.parse(repoFile(m, "tokenizer_config.json")!.body)).toMatchObject({ eos_token: "<|im_end|>", chat_template: expect.stringContaining("<|im_start|>") });
    const shard = repoFile(m, "model-00001-of-00004.safetensors")!;
    expect(shard.placeholder).toBe(true);
    expect(shard.size).toBeGreaterThan(1e9);
    expect(repoFile(m, "nope.txt")).toBeUndefined();
  });
});
