import { describe, expect, it } from "vitest";
import { catalogFor, decodeCursor, encodeCursor, listPage, marksAt, seekAll, type Catalog } from "../../../workers/sandbox/huggingface/catalog";
import { listItem, modelInfo } from "../../../workers/sandbox/huggingface/fields";
import { repoFile } from "../../../workers/sandbox/huggingface/files";
import { objectId } from "../../../workers/sandbox/huggingface/hash";
import {
  deleteModel, describeOverlay, emptyOverlay, malformedEntries, malformedInput, MALFORMED_KINDS, modelPatch, putModel, repoIdOf, withEntry, withMalformed,
  type HubOverlay,
} from "../../../workers/sandbox/huggingface/overlay";
import { parseModelQuery, type ModelQuery } from "../../../workers/sandbox/huggingface/query";
import { SAMPLE_MODELS } from "../../../workers/sandbox/huggingface/sample";
import type { HubModel } from "../../../workers/sandbox/huggingface/types";
import { nextRandom } from "../../../workers/sandbox/lib/prng";

const query = (qs: string): ModelQuery => {
  const parsed = parseModelQuery(new URLSearchParams(qs));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};

const T0 = Date.parse("2026-12-01T12:00:00.000Z");
const SAMPLE = { hfCatalog: "sample" as const, hfLargeSize: 500_000 };
let versions = 0;

/** What the state object does on PUT: the pure outcome stored as the new overlay. */
function put(o: HubOverlay, id: string, body: unknown, now = T0): HubOverlay {
  const out = putModel(o, id, modelPatch.parse(body), now);
  if (!out.ok) throw new Error(out.message);
  return withEntry(o, id.toLowerCase(), out.entry, `v${++versions}`, out.createdCount);
}

function del(o: HubOverlay, id: string): HubOverlay {
  const out = deleteModel(o, id);
  if (!out) throw new Error(`no ${id}`);
  return withEntry(o, out.key, out.entry, `v${++versions}`);
}

/** Follows cursors as a client follows Link headers; `between` may change the catalog between page requests. */
function listAll(catalog: () => Catalog, qs: string, between?: (page: number, items: HubModel[]) => void): HubModel[] {
  const q = query(qs);
  const out: HubModel[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const streams = catalog().streams(q.sort);
    const positions = cursor ? seekAll(streams, decodeCursor(cursor, q.sort, streams.length)!) : undefined;
    if (cursor) expect(positions).toBeDefined();
    const page = listPage(streams, q, positions);
    out.push(...page.items);
    pages++;
    if (pages > 10_000) throw new Error("the walk does not end");
    cursor = page.next ? encodeCursor({ sort: q.sort, pos: marksAt(streams, page.next) }) : undefined;
    if (cursor) between?.(pages, page.items);
  } while (cursor);
  return out;
}

const ids = (ms: HubModel[]) => ms.map((m) => m.id);

describe("Hub overlay: changed models", () => {
  it("an empty overlay lists exactly as the sample does", () => {
    for (const sort of ["trendingScore", "downloads", "lastModified", "createdAt", "id"]) {
      const plain = listAll(() => catalogFor(SAMPLE), `sort=${sort}&limit=100`);
      const o = put(emptyOverlay(), "Qwen/Qwen3-8B", {});
      const withOther = listAll(() => catalogFor(SAMPLE, emptyOverlay()), `sort=${sort}&limit=100`);
      expect(ids(withOther)).toEqual(ids(plain));
      expect(plain.length).toBe(SAMPLE_MODELS.length);
      expect(catalogFor(SAMPLE, o).size).toBe(SAMPLE_MODELS.length);
    }
  });

  it("PUT changes an existing model: lastModified now sorts it first; fields, tags, filters and lookup follow", () => {
    const before = SAMPLE_MODELS.find((m) => m.id === "Qwen/Qwen3-8B")!;
    const o = put(emptyOverlay(), "qwen/qwen3-8b", { downloads: 5, likes: 1, pipeline_tag: "text-classification", trendingScore: 9999 });
    const catalog = catalogFor(SAMPLE, o);
    const m = catalog.lookup("Qwen/Qwen3-8B")!;
    expect(m).toMatchObject({ id: "Qwen/Qwen3-8B", _id: before._id, createdAt: before.createdAt, lastModified: new Date(T0).toISOString(), downloads: 5, likes: 1, pipeline_tag: "text-classification" });
    expect(m.downloadsAllTime).toBe(before.downloadsAllTime);
    expect(m.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(m.sha).not.toBe(before.sha);
    expect(m.tags).toContain("text-classification");
    expect(m.tags).not.toContain("text-generation");
    expect(m.tags.at(-1)).toBe("region:us");
    expect(m.safetensors).toEqual(before.safetensors);

    expect(listAll(() => catalog, "sort=lastModified&limit=3")[0]!.id).toBe("Qwen/Qwen3-8B");
    expect(listAll(() => catalog, "limit=3")[0]!.id).toBe("Qwen/Qwen3-8B"); // trendingScore 9999
    const byDownloads = ids(listAll(() => catalog, "sort=downloads&limit=50"));
    expect(byDownloads.at(-1)).toBe("Qwen/Qwen3-8B");
    expect(byDownloads.length).toBe(SAMPLE_MODELS.length);
    expect(ids(listAll(() => catalog, "pipeline_tag=text-classification&search=qwen3"))).toEqual(["Qwen/Qwen3-8B"]);
    expect(ids(listAll(() => catalog, "filter=text-generation&search=Qwen/Qwen3-8B"))).not.toContain("Qwen/Qwen3-8B");
    expect(listItem(m, query("expand=downloads&expand=lastModified"))).toEqual({ _id: before._id, id: m.id, downloads: 5, lastModified: m.lastModified });
    expect(catalogFor(SAMPLE).lookup("Qwen/Qwen3-8B")).toBe(before); // the sample itself is untouched

    // a second change moves it again and keeps what the first set
    const o2 = put(o, "Qwen/Qwen3-8B", { likes: 2 }, T0 + 1000);
    expect(catalogFor(SAMPLE, o2).lookup("qwen/QWEN3-8B")).toMatchObject({ downloads: 5, likes: 2, lastModified: new Date(T0 + 1000).toISOString() });
    expect(describeOverlay(o2).models).toEqual([{ id: "Qwen/Qwen3-8B", status: "changed", lastModified: new Date(T0 + 1000).toISOString() }]);
  });

  it("PUT creates a model with Hub-like defaults that every listing feature sees", () => {
    const o = put(emptyOverlay(), "sandbox-org/Tiny-Llama-1B", {
      pipeline_tag: "text-generation",
      library_name: "transformers",
      downloads: 10,
      gated: "auto",
      safetensors: { parameters: { BF16: 1_100_000_000 } },
      configJson: { architectures: ["LlamaForCausalLM"], model_type: "llama", max_position_embeddings: 4096 },
      cardData: { license: "apache-2.0", base_model: "meta-llama/Llama-3.2-1B" },
    });
    const catalog = catalogFor(SAMPLE, o);
    expect(catalog.size).toBe(SAMPLE_MODELS.length + 1);
    const m = catalog.lookup("sandbox-org/tiny-llama-1b")!;
    const iso = new Date(T0).toISOString();
    expect(m).toMatchObject({ id: "sandbox-org/Tiny-Llama-1B", author: "sandbox-org", createdAt: iso, lastModified: iso, private: false, gated: "auto", likes: 0, downloadsAllTime: 10 });
    expect(m._id).toBe(objectId(m.id, iso));
    expect(m.safetensors).toEqual({ parameters: { BF16: 1_100_000_000 }, total: 1_100_000_000 });
    expect(m.config).toEqual({ architectures: ["LlamaForCausalLM"], model_type: "llama" });
    expect(m.tags).toEqual(["transformers", "safetensors", "llama", "text-generation", "license:apache-2.0", "region:us"]);
    expect(m.siblings.map((s) => s.rfilename)).toEqual([".gitattributes", "README.md", "config.json", "model.safetensors"]);
    expect(m.usedStorage).toBe(m.siblings.reduce((a, s) => a + s.size, 0));

    for (const sort of ["createdAt", "lastModified"]) expect(listAll(() => catalog, `sort=${sort}&limit=1`)[0]!.id).toBe(m.id);
    expect(ids(listAll(() => catalog, "search=tiny-llama"))).toEqual([m.id]);
    expect(ids(listAll(() => catalog, "author=sandbox-org&filter=llama&gated=true&num_parameters=min:1B,max:1.2B&apps=vllm"))).toEqual([m.id]);
    expect(ids(listAll(() => catalog, "sort=id&limit=100"))).toContain(m.id);
    expect(modelInfo(m, ["baseModels", "config"])).toEqual({ _id: m._id, id: m.id, baseModels: { relation: "finetune", models: [{ id: "meta-llama/Llama-3.2-1B" }] }, config: m.config });
    expect(JSON.parse(repoFile(m, "config.json")!.body)).toEqual(m.configJson);
    expect(repoFile(m, "README.md")!.body).toContain("license: apache-2.0");
    expect(describeOverlay(o).models).toEqual([{ id: m.id, status: "created", lastModified: iso }]);
  });

  it("honours a given lastModified and createdAt, and null removes an optional field", () => {
    const past = "2024-05-01T00:00:00.000Z";
    let o = put(emptyOverlay(), "sandbox-org/old-model", { lastModified: "2024-05-01T02:00:00+02:00" });
    expect(catalogFor(SAMPLE, o).lookup("sandbox-org/old-model")).toMatchObject({ lastModified: past, createdAt: past, tags: ["region:us"] });
    expect(listAll(() => catalogFor(SAMPLE, o), "sort=lastModified&limit=1000")[0]!.id).not.toBe("sandbox-org/old-model");

    o = put(o, "meta-llama/Llama-3.1-8B-Instruct", { pipeline_tag: null, createdAt: "2020-01-01T00:00:00Z", cardData: { license: "mit" } });
    const m = catalogFor(SAMPLE, o).lookup("meta-llama/Llama-3.1-8B-Instruct")!;
    expect(m).not.toHaveProperty("pipeline_tag");
    expect(m.tags).not.toContain("text-generation");
    expect(m.tags).toContain("license:mit");
    expect(m.tags).not.toContain("license:llama3.1");
    expect(m.createdAt).toBe("2020-01-01T00:00:00.000Z");
    expect(m.cardData).toEqual({ license: "mit" }); // top-level fields replace
  });

  it("refuses bodies that do not fit", () => {
    expect(modelPatch.safeParse({ downloads: -1 }).success).toBe(false);
    expect(modelPatch.safeParse({ lastModified: "yesterday" }).success).toBe(false);
    expect(modelPatch.safeParse({ gated: true }).success).toBe(false);
    expect(modelPatch.safeParse({ download: 3 }).success).toBe(false); // typo: unknown field
    expect(modelPatch.safeParse({ id: "Qwen/Qwen3-8B", modelId: "Qwen/Qwen3-8B", downloads: 1 }).success).toBe(true);
    const mismatch = putModel(emptyOverlay(), "Qwen/Qwen3-8B", modelPatch.parse({ id: "Qwen/Other" }), T0);
    expect(mismatch).toMatchObject({ ok: false, status: 400 });
    const huge = putModel(emptyOverlay(), "a/b", modelPatch.parse({ cardData: { blob: "x".repeat(300_000) } }), T0);
    expect(huge).toMatchObject({ ok: false, status: 400 });
    expect(repoIdOf("Qwen", "Qwen3-8B")).toBe("Qwen/Qwen3-8B");
    for (const [owner, name] of [["-x", "y"], ["x", "y z"], ["x", "y.git"], ["", "y"]]) expect(repoIdOf(owner!, name!)).toBeUndefined();
  });
});

describe("Hub overlay: deleted models", () => {
  it("a deleted sample model leaves listings and lookups; a created one is simply dropped; recreating makes a new repo", () => {
    const gone = "sentence-transformers/all-MiniLM-L6-v2";
    let o = put(emptyOverlay(), "sandbox-org/short-lived", {});
    o = del(o, gone);
    o = del(o, "sandbox-org/short-lived");
    expect(o.models.size).toBe(1);
    expect(deleteModel(o, gone)).toBeUndefined();
    expect(deleteModel(o, "nobody/nothing")).toBeUndefined();
    const catalog = catalogFor(SAMPLE, o);
    expect(catalog.lookup(gone)).toBeUndefined();
    expect(catalog.lookup("sandbox-org/short-lived")).toBeUndefined();
    expect(catalog.size).toBe(SAMPLE_MODELS.length - 1);
    for (const sort of ["downloads", "id", "lastModified"]) {
      const listed = ids(listAll(() => catalog, `sort=${sort}&limit=64`));
      expect(listed.length).toBe(SAMPLE_MODELS.length - 1);
      expect(listed).not.toContain(gone);
    }
    expect(describeOverlay(o).models).toEqual([{ id: gone, status: "deleted" }]);

    o = put(o, gone, { downloads: 1 }, T0 + 5);
    const again = catalogFor(SAMPLE, o).lookup(gone)!;
    expect(again.createdAt).toBe(new Date(T0 + 5).toISOString());
    expect(again.pipeline_tag).toBeUndefined();
    expect(describeOverlay(o).models[0]!.status).toBe("created");
  });
});

describe("Hub overlay: cursors across changes", () => {
  /** Deterministic changes between page requests: update seen and unseen models, delete some, create some. */
  function churn(sort: string, seed: number) {
    let o = emptyOverlay();
    let rng = seed;
    const rand = (n: number) => {
      const r = nextRandom(rng);
      rng = r.state;
      return Math.floor(r.value * n);
    };
    const touched = new Set<string>();
    const live = () => listAll(() => catalogFor(SAMPLE, o), "sort=id&limit=1000");
    const before = ids(live());
    let now = T0;
    let created = 0;
    const listed = listAll(() => catalogFor(SAMPLE, o), `sort=${sort}&limit=17&search=`, () => {
      const current = live();
      for (let k = 0; k < 3; k++) {
        const victim = current[rand(current.length)]!.id;
        const action = rand(4);
        now += 1000;
        touched.add(victim.toLowerCase());
        if (action === 0) {
          o = del(o, victim);
          current.splice(current.findIndex((m) => m.id === victim), 1);
        } else if (action === 1) {
          const id = `sandbox-churn/new-${created++}`;
          touched.add(id);
          o = put(o, id, { downloads: rand(1_000_000), likes: rand(5000), trendingScore: rand(300) }, now);
        } else {
          o = put(o, victim, { downloads: rand(200_000_000), likes: rand(5000), trendingScore: rand(300), createdAt: new Date(T0 - rand(1e11)).toISOString() }, now);
        }
      }
    });
    return { before, listed: ids(listed), touched };
  }

  it.each([
    ["lastModified", 1], ["createdAt", 2], ["downloads", 3], ["trendingScore", 4], ["likes", 5], ["id", 6], ["num_parameters", 7],
  ])("sort=%s: every untouched model is listed exactly once, however the catalog changes meanwhile (seed %i)", (sort, seed) => {
    const { before, listed, touched } = churn(sort, seed);
    const counts = new Map<string, number>();
    for (const id of listed) counts.set(id, (counts.get(id) ?? 0) + 1);
    const untouched = before.filter((id) => !touched.has(id.toLowerCase()));
    expect(touched.size).toBeGreaterThan(60); // ~27 page turns with 3 changes each
    expect(untouched.length).toBeGreaterThan(SAMPLE_MODELS.length / 2);
    for (const id of untouched) expect(counts.get(id)).toBe(1);
    // a touched model may be listed twice (changed after being listed, moved behind the cursor), never more
    for (const [id, n] of counts) expect(n).toBeLessThanOrEqual(touched.has(id.toLowerCase()) ? 2 : 1);
  });

  it("a cursor issued before a change still resumes right after the last model listed", () => {
    const q = query("sort=downloads&limit=10");
    const streams = catalogFor(SAMPLE).streams("downloads");
    const first = listPage(streams, q);
    const cursor = encodeCursor({ sort: "downloads", pos: marksAt(streams, first.next!) });
    // delete the last model of page 1 and the first of page 2, and create one that sorts first
    let o = del(emptyOverlay(), first.items.at(-1)!.id);
    o = del(o, SAMPLE_MODELS[10]!.id);
    o = put(o, "sandbox-org/top", { downloads: 1e12 });
    const after = catalogFor(SAMPLE, o).streams("downloads");
    const page2 = listPage(after, q, seekAll(after, decodeCursor(cursor, "downloads", 1)!));
    expect(ids(page2.items)).toEqual(SAMPLE_MODELS.slice(11, 21).map((m) => m.id));
  });
});

describe("Hub overlay: the large catalog ignores it", () => {
  it("lists and looks up only generated and sample models", () => {
    let o = put(emptyOverlay(), "sandbox-org/only-in-sample-mode", { downloads: 1e12 });
    o = del(o, SAMPLE_MODELS[0]!.id);
    const large = catalogFor({ hfCatalog: "large", hfLargeSize: SAMPLE_MODELS.length + 50 }, o);
    expect(large.lookup("sandbox-org/only-in-sample-mode")).toBeUndefined();
    expect(large.lookup(SAMPLE_MODELS[0]!.id)).toBe(SAMPLE_MODELS[0]);
    expect(listAll(() => large, "sort=downloads&limit=7")[0]!.id).toBe(SAMPLE_MODELS[0]!.id);
  });
});

describe("malformed listing entries", () => {
  const isValid = (e: unknown) => typeof e === "object" && e !== null && !Array.isArray(e) && typeof (e as { id?: unknown }).id === "string";

  it("cycles through entries a client must refuse", () => {
    const entries = malformedEntries(7);
    expect(entries).toHaveLength(7);
    expect(entries.some(isValid)).toBe(false);
    expect(entries[0]).toMatchObject({ _id: expect.stringMatching(/^[0-9a-f]{24}$/) });
    expect(entries[0]).not.toHaveProperty("id");
    expect(typeof (entries[1] as { id: unknown }).id).toBe("number");
    expect(entries[2]).toBeNull();
    expect(typeof entries[3]).toBe("string");
    expect(Array.isArray(entries[4])).toBe(true);
    expect(MALFORMED_KINDS).toHaveLength(5);
    expect(malformedEntries(7)).toEqual(entries); // deterministic
  });

  it("go at the start of the first page or the end of the last", () => {
    const items = [{ id: "a/b" }, { id: "c/d" }];
    expect(withMalformed(items, null, { first: true, last: true })).toBe(items);
    expect(withMalformed(items, { count: 2, position: "first" }, { first: true, last: false }).map(isValid)).toEqual([false, false, true, true]);
    expect(withMalformed(items, { count: 2, position: "first" }, { first: false, last: true })).toBe(items);
    expect(withMalformed(items, { count: 3, position: "last" }, { first: false, last: true }).map(isValid)).toEqual([true, true, false, false, false]);
    expect(withMalformed(items, { count: 3, position: "last" }, { first: true, last: false })).toBe(items);
    expect(withMalformed([], { count: 1, position: "last" }, { first: true, last: true })).toHaveLength(1);
  });

  it("validates the control request", () => {
    expect(malformedInput.parse({})).toEqual({});
    expect(malformedInput.safeParse({ count: 0 }).success).toBe(false);
    expect(malformedInput.safeParse({ position: "middle" }).success).toBe(false);
    expect(malformedInput.safeParse({ count: 2, extra: 1 }).success).toBe(false);
  });
});

describe("listing stays correct for the untouched sample", () => {
  it("ranks tie-break equal keys in sample order, and the total walk equals a single page", () => {
    const catalog = catalogFor(SAMPLE, put(emptyOverlay(), "sandbox-org/x", {}));
    for (const sort of ["trendingScore", "likes30d", "mainSize"]) {
      const paged = ids(listAll(() => catalog, `sort=${sort}&limit=13`));
      const single = ids(listAll(() => catalog, `sort=${sort}&limit=1000`));
      expect(paged).toEqual(single);
      expect(new Set(paged).size).toBe(SAMPLE_MODELS.length + 1);
    }
  });
});
