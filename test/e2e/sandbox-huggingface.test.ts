import { downloadFile, HubApiError, listFiles, listModels, modelInfo, whoAmI } from "@huggingface/hub";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generatedLite, generatedModel } from "../../workers/sandbox/huggingface/generate";
import { SAMPLE_MODELS } from "../../workers/sandbox/huggingface/sample";

/**
 * The Hugging Face Hub stand-in driven by the official @huggingface/hub client (listModels follows the
 * Link header, modelInfo, downloadFile, whoAmI) plus raw HTTP for filters, projections, errors and the
 * large generated catalog.
 */
const sandbox = inject("sandboxUrl");
const hubUrl = `${sandbox}/hf`;
const TOKEN = "hf_sandbox_test_token";

async function api(path: string, init: RequestInit = {}) {
  const res = await fetch(`${hubUrl}${path}`, init);
  const text = await res.text();
  return { res, status: res.status, body: text ? (JSON.parse(text) as any) : null };
}

/** A fetch for the client that shrinks the first page size so the listing spans several Link-followed pages. */
function pagingFetch(pageSize: number, urls: string[]): typeof fetch {
  return (input, init) => {
    const url = new URL(String(input));
    if (urls.length === 0) url.searchParams.set("limit", String(pageSize));
    urls.push(url.toString());
    return fetch(url, init);
  };
}

async function caught(p: Promise<unknown>): Promise<HubApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HubApiError) return err;
    throw err;
  }
  throw new Error("expected a HubApiError");
}

const LINK = /<(https?:[/][/][^>]+)>;\s+rel="([^"]+)"/;

describe("Hugging Face Hub stand-in: sample catalog", () => {
  it("listModels follows the Link header across pages and returns every match once", async () => {
    const urls: string[] = [];
    const seen: Array<{ id: string; name: string; task?: string; downloads: number; likes: number; updatedAt: Date; safetensors?: any; library_name?: string }> = [];
    for await (const m of listModels({ search: { query: "qwen" }, additionalFields: ["safetensors", "config", "library_name"], hubUrl, fetch: pagingFetch(7, urls) })) {
      seen.push(m as any);
    }
    const expected = SAMPLE_MODELS.filter((m) => m.id.toLowerCase().includes("qwen"));
    expect(seen.length).toBe(expected.length);
    expect(new Set(seen.map((m) => m.name)).size).toBe(expected.length);
    expect(urls.length).toBe(Math.ceil(expected.length / 7));
    expect(urls.slice(1).every((u) => u.startsWith(`${hubUrl}/api/models?`) && new URL(u).searchParams.has("cursor"))).toBe(true);
    // default order: trendingScore descending
    const trending = seen.map((m) => SAMPLE_MODELS.find((s) => s.id === m.name)!.trendingScore);
    expect(trending).toEqual([...trending].sort((a, b) => b - a));
    const qwen7b = seen.find((m) => m.name === "Qwen/Qwen2.5-7B-Instruct")!;
    expect(qwen7b.id).toMatch(/^[0-9a-f]{24}$/);
    expect(qwen7b.task).toBe("text-generation");
    expect(qwen7b.library_name).toBe("transformers");
    expect(qwen7b.safetensors).toEqual({ parameters: { BF16: 7_615_616_512 }, total: 7_615_616_512 });
    expect(qwen7b.updatedAt).toBeInstanceOf(Date);
    expect(Number.isNaN(qwen7b.updatedAt.getTime())).toBe(false);
  });

  it("listModels filters by owner and task, sorts by downloads and stops at limit", async () => {
    const got = [];
    for await (const m of listModels({ search: { owner: "meta-llama", task: "text-generation" }, sort: "downloads", limit: 5, hubUrl })) got.push(m);
    expect(got.map((m) => m.name)).toEqual(
      SAMPLE_MODELS.filter((m) => m.author === "meta-llama" && m.pipeline_tag === "text-generation").slice(0, 5).map((m) => m.id),
    );
    expect(got[0]!.name).toBe("meta-llama/Llama-3.1-8B-Instruct");
    expect(got.map((m) => m.downloads)).toEqual([...got.map((m) => m.downloads)].sort((a, b) => b - a));
    expect(got.every((m) => m.gated === "manual")).toBe(true);
  });

  it("modelInfo returns safetensors, config, card data and files", async () => {
    const info = await modelInfo({ name: "meta-llama/Llama-3.1-8B-Instruct", hubUrl, additionalFields: ["safetensors", "config", "cardData", "filePaths", "sha"] });
    expect(info.name).toBe("meta-llama/Llama-3.1-8B-Instruct");
    expect(info.gated).toBe("manual");
    expect(info.task).toBe("text-generation");
    expect(info.safetensors).toEqual({ parameters: { BF16: 8_030_261_248 }, total: 8_030_261_248 });
    expect(info.config).toMatchObject({ architectures: ["LlamaForCausalLM"], model_type: "llama", tokenizer_config: { eos_token: "<|eot_id|>" } });
    expect(info.cardData).toMatchObject({ license: "llama3.1", base_model: "meta-llama/Llama-3.1-8B" });
    expect(info.filePaths).toEqual(expect.arrayContaining(["config.json", "model-00001-of-00004.safetensors", "model.safetensors.index.json", "tokenizer.json"]));
    expect(info.sha).toMatch(/^[0-9a-f]{40}$/);

    const again = await modelInfo({ name: "meta-llama/Llama-3.1-8B-Instruct", hubUrl, revision: info.sha as string, additionalFields: ["sha"] });
    expect(again.sha).toBe(info.sha);
  });

  it("model info without expand carries the Hub's full default shape", async () => {
    const { status, body } = await api("/api/models/Qwen/Qwen3-8B");
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: "Qwen/Qwen3-8B", modelId: "Qwen/Qwen3-8B", author: "Qwen", private: false, gated: false, library_name: "transformers" });
    for (const key of ["_id", "sha", "lastModified", "createdAt", "tags", "siblings", "safetensors", "config", "cardData", "transformersInfo", "usedStorage", "spaces"]) {
      expect(body).toHaveProperty([key]);
    }
    expect(body.safetensors.total).toBe(8_190_735_360);
    expect(body.siblings[0]).toEqual({ rfilename: expect.any(String) });
    // model info is case-insensitive on the id, like the Hub
    expect((await api("/api/models/qwen/qwen3-8b")).body.id).toBe("Qwen/Qwen3-8B");
  });

  it("unknown repos are 401 anonymously and 404 with a token, in the Hub's error shape", async () => {
    const anon = await caught(modelInfo({ name: "nobody/no-such-model", hubUrl }));
    expect(anon.statusCode).toBe(401);
    expect(anon.message).toContain("Repository not found");
    const authed = await caught(modelInfo({ name: "nobody/no-such-model", hubUrl, accessToken: TOKEN }));
    expect(authed.statusCode).toBe(404);
    const raw = await api("/api/models/nobody/no-such-model");
    expect(raw.body).toEqual({ error: "Repository not found" });
    expect(raw.res.headers.get("x-error-code")).toBe("RepoNotFound");
    const badRev = await api("/api/models/Qwen/Qwen3-8B/revision/nope");
    expect(badRev.status).toBe(404);
    expect(badRev.body).toEqual({ error: "Invalid rev id: nope" });
    expect(badRev.res.headers.get("x-error-code")).toBe("RevisionNotFound");
    const badAuth = await api("/api/models/Qwen/Qwen3-8B", { headers: { authorization: "Token abc" } });
    expect(badAuth.status).toBe(401);
    expect(badAuth.body).toEqual({ error: "Invalid credentials in Authorization header" });
  });

  it("serves config.json under resolve, gating gated repos for anonymous callers", async () => {
    const gated = await api("/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json");
    expect(gated.status).toBe(401);
    expect(gated.res.headers.get("x-error-code")).toBe("GatedRepo");
    const authed = await api("/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(authed.status).toBe(200);
    expect(authed.body).toMatchObject({ architectures: ["LlamaForCausalLM"], hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, vocab_size: 128256, torch_dtype: "bfloat16" });
    expect(authed.res.headers.get("x-repo-commit")).toMatch(/^[0-9a-f]{40}$/);
    const head = await fetch(`${hubUrl}/Qwen/Qwen3-8B/resolve/main/config.json`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toMatch(/^"[0-9a-f]{40}"$/);
    const weights = await fetch(`${hubUrl}/Qwen/Qwen3-8B/resolve/main/model-00001-of-00004.safetensors`, { headers: { range: "bytes=0-9" } });
    expect(weights.status).toBe(206);
    expect(weights.headers.get("content-range")).toMatch(/^bytes 0-9\/\d+$/);
    expect(Number(weights.headers.get("x-linked-size"))).toBeGreaterThan(1e9);
    const missing = await api("/Qwen/Qwen3-8B/resolve/main/nope.json");
    expect(missing.status).toBe(404);
    expect(missing.res.headers.get("x-error-code")).toBe("EntryNotFound");

    const blob = await downloadFile({ repo: "Qwen/Qwen2.5-7B-Instruct", path: "config.json", hubUrl });
    const config = JSON.parse(await blob!.text());
    expect(config).toMatchObject({ model_type: "qwen2", hidden_size: 3584, num_hidden_layers: 28, num_key_value_heads: 4, vocab_size: 152064 });
    expect(await downloadFile({ repo: "Qwen/Qwen2.5-7B-Instruct", path: "missing.bin", hubUrl })).toBeNull();
    const files = [];
    for await (const f of listFiles({ repo: "Qwen/Qwen2.5-7B-Instruct", hubUrl })) files.push(f.path);
    expect(files).toEqual(expect.arrayContaining(["config.json", "model-00001-of-00004.safetensors"]));
  });

  it("whoAmI needs a token", async () => {
    const me = await whoAmI({ accessToken: TOKEN, hubUrl });
    expect(me).toMatchObject({ type: "user", name: "sandbox-user", auth: { type: "access_token" } });
    const anon = await api("/api/whoami-v2");
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({ error: "Invalid username or password." });
  });

  it("filters by tags (repeatable), pipeline, library, author, gated and parameter range", async () => {
    const both = await api("/api/models?filter=gguf&filter=conversational&limit=100");
    expect(both.body.length).toBe(SAMPLE_MODELS.filter((m) => m.tags.includes("gguf") && m.tags.includes("conversational")).length);
    expect(both.body.every((m: any) => m.tags.includes("gguf") && m.tags.includes("conversational"))).toBe(true);

    const st = await api("/api/models?pipeline_tag=sentence-similarity&library=sentence-transformers&sort=downloads&limit=3");
    expect(st.body.map((m: any) => m.id)).toEqual(["sentence-transformers/all-MiniLM-L6-v2", "sentence-transformers/all-mpnet-base-v2", "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"]);

    const likes = await api("/api/models?author=Qwen&sort=likes&limit=1000");
    expect(likes.body.every((m: any) => m.id.startsWith("Qwen/"))).toBe(true);
    expect(likes.body.map((m: any) => m.likes)).toEqual([...likes.body.map((m: any) => m.likes)].sort((a: number, b: number) => b - a));

    const gated = await api("/api/models?gated=true&expand=gated&limit=1000");
    expect(gated.body.length).toBe(SAMPLE_MODELS.filter((m) => m.gated).length);
    expect(gated.body.every((m: any) => m.gated !== false)).toBe(true);

    const sized = await api("/api/models?num_parameters=min:7B,max:8.1B&expand=safetensors&limit=1000");
    expect(sized.body.length).toBeGreaterThan(10);
    expect(sized.body.every((m: any) => m.safetensors === undefined || (m.safetensors.total >= 7e9 && m.safetensors.total <= 8.1e9))).toBe(true);

    const created = await api("/api/models?search=llama&sort=createdAt&expand=createdAt&limit=1000");
    const dates = created.body.map((m: any) => Date.parse(m.createdAt));
    expect(dates).toEqual([...dates].sort((a: number, b: number) => b - a));

    const vllm = await api("/api/models?apps=vllm&search=Llama-3.1-8B&expand=library_name&limit=100");
    expect(vllm.body.map((m: any) => m.id)).toContain("meta-llama/Llama-3.1-8B-Instruct");
    expect(vllm.body.map((m: any) => m.id)).not.toContain("bartowski/Meta-Llama-3.1-8B-Instruct-GGUF");
  });

  it("projects list items: default keys, full, config, and expand (only the expanded keys plus _id and id)", async () => {
    const plain = await api("/api/models?search=Qwen/Qwen3-8B-Base&limit=1");
    expect(Object.keys(plain.body[0])).toEqual(["_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag", "library_name", "createdAt", "modelId"]);
    const full = await api("/api/models?search=Qwen/Qwen3-8B-Base&limit=1&full=true&config=true");
    expect(full.body[0]).toMatchObject({ author: "Qwen", gated: false, sha: expect.stringMatching(/^[0-9a-f]{40}$/), config: { model_type: "qwen3" } });
    expect(full.body[0].siblings.length).toBeGreaterThan(3);
    const expanded = await api("/api/models?search=Qwen/Qwen3-8B-Base&limit=1&expand=safetensors&expand=config&expand[]=downloads");
    expect(Object.keys(expanded.body[0])).toEqual(["_id", "id", "safetensors", "config", "downloads"]);
  });

  it("emits an absolute Link with a cursor while more items exist, none on the last page", async () => {
    const first = await api("/api/models?sort=downloads&limit=200&expand=downloads");
    const link = first.res.headers.get("link")!;
    const [, next, rel] = LINK.exec(link)!;
    expect(rel).toBe("next");
    expect(next).toMatch(new RegExp(`^${hubUrl.replace(/[.]/g, "\\.")}/api/models\\?`));
    expect(new URL(next!).searchParams.get("limit")).toBe("200");
    const second = await fetch(next!);
    const page2 = (await second.json()) as any[];
    expect(page2[0].downloads).toBeLessThanOrEqual(first.body.at(-1).downloads);
    const third = await fetch(LINK.exec(second.headers.get("link")!)![1]!);
    const page3 = (await third.json()) as any[];
    expect(third.headers.get("link")).toBeNull();
    const ids = [...first.body, ...page2, ...page3].map((m: any) => m.id);
    expect(ids).toEqual(SAMPLE_MODELS.map((m) => m.id));
  });

  it.each([
    ["limit=abc", "✖ Invalid input: expected number, received NaN\n  → at limit"],
    ["limit=0", "✖ Too small: expected number to be >=1\n  → at limit"],
    ["limit=2.5", "✖ Invalid input: expected int, received number\n  → at limit"],
    ["sort=bogus", "✖ Invalid sort parameter: bogus"],
    ["sort=trending", "✖ Invalid sort parameter: trending"],
    ["direction=2", '✖ Invalid option: expected one of "-1"|"1"\n  → at direction'],
    ["full=maybe", "✖ Invalid input: expected boolean, received string\n  → at full"],
    ["cursor=notacursor", "✖ Invalid cursor\n  → at cursor"],
    ["num_parameters=min:lots", "✖ Invalid num_parameters: min:lots\n  → at num_parameters"],
  ])("rejects %s with a 400 in the Hub's shape", async (qs, error) => {
    const { status, body, res } = await api(`/api/models?${qs}`);
    expect(status).toBe(400);
    expect(body).toEqual({ error });
    expect(res.headers.get("content-type")).toContain("application/json");
  });

  it("rejects unknown expand properties and clamps huge limits", async () => {
    const bad = await api("/api/models?expand=nope");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^✖ Invalid option: expected one of "author"\|/);
    const infoBad = await api("/api/models/Qwen/Qwen3-8B?expand=nope");
    expect(infoBad.status).toBe(400);
    const huge = await api("/api/models?limit=5000&expand=downloads");
    expect(huge.status).toBe(200);
    expect(huge.body.length).toBe(SAMPLE_MODELS.length);
    expect((await api("/api/models?direction=-1&limit=1")).status).toBe(200);
  });

  it("answers injected faults in the Hub's error shape", async () => {
    const rule = await fetch(`${sandbox}/_control/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: "huggingface", match: { path: "/api/models/hf-fault-test-org" }, status: 503, times: 1 }),
    });
    expect(rule.status).toBe(201);
    const err = await caught(modelInfo({ name: "hf-fault-test-org/some-model", hubUrl }));
    expect(err.statusCode).toBe(503);
    expect(err.message).toContain("Injected fault: HTTP 503");
    // the rule is spent: the next call reaches the stand-in, which does not know the repo
    expect((await caught(modelInfo({ name: "hf-fault-test-org/some-model", hubUrl }))).statusCode).toBe(401);

    await fetch(`${sandbox}/_control/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: "huggingface", match: { path: "/api/models/hf-slow-org" }, latencyMs: 300, times: 1 }),
    });
    const started = Date.now();
    expect((await api("/api/models/hf-slow-org/x")).status).toBe(401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });
});

/** Control calls of the Hub stand-in (PUT/DELETE /_control/hf/models/..., /_control/hf/malformed). */
async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sandbox}/_control${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : null };
}

/** Every page of a raw listing, following Link headers; `between` runs before each next page is requested. */
async function walk(first: string, between?: (page: number) => Promise<void>) {
  const pages: unknown[][] = [];
  let url: string | undefined = `${hubUrl}${first}`;
  while (url) {
    const res: Response = await fetch(url);
    expect(res.status).toBe(200);
    pages.push((await res.json()) as unknown[]);
    url = LINK.exec(res.headers.get("link") ?? "")?.[1];
    if (pages.length > 200) throw new Error("the listing does not end");
    if (url && between) await between(pages.length);
  }
  return pages;
}

const isEntry = (e: unknown): e is { id: string } => typeof e === "object" && e !== null && !Array.isArray(e) && typeof (e as { id?: unknown }).id === "string";

/**
 * A fetch for listModels that does what a careful sync does: drops entries that are not model objects
 * with a string id (the library would crash on `null`) and counts them; optionally resumes at a stored URL.
 */
function skippingFetch(log: { urls: string[]; skipped: number }, opts: { pageSize?: number; resumeAt?: string } = {}): typeof fetch {
  return async (input, init) => {
    let url = new URL(opts.resumeAt && log.urls.length === 0 ? opts.resumeAt : String(input));
    if (opts.pageSize && log.urls.length === 0 && !url.searchParams.has("cursor")) url.searchParams.set("limit", String(opts.pageSize));
    log.urls.push(url.toString());
    const res = await fetch(url, init);
    if (!res.ok) return res;
    const items = (await res.json()) as unknown[];
    const clean = items.filter(isEntry);
    log.skipped += items.length - clean.length;
    return new Response(JSON.stringify(clean), { status: res.status, headers: res.headers });
  };
}

// Tests in a file run one after another; this block changes the shared Hub catalog, so it clears it in afterAll.
describe("Hugging Face Hub stand-in: catalog changes for sync tests", () => {
  const faults: string[] = [];
  afterAll(async () => {
    await control("DELETE", "/hf");
    for (const id of faults) await control("DELETE", `/faults/${id}`);
  });

  it("PUT changes an existing model: it sorts first by lastModified and every view shows the new values", async () => {
    const id = "Qwen/Qwen2.5-7B-Instruct";
    const before = SAMPLE_MODELS.find((m) => m.id === id)!;
    const started = Date.now();
    const put = await control("PUT", `/hf/models/${id}`, { downloads: 4242, likes: 7, trendingScore: 0 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ created: false, model: { id, _id: before._id, downloads: 4242, likes: 7, createdAt: before.createdAt } });
    expect(Date.parse(put.body.model.lastModified)).toBeGreaterThanOrEqual(started - 1000);

    const recent = [];
    for await (const m of listModels({ sort: "lastModified", limit: 3, hubUrl, additionalFields: ["library_name", "createdAt"] })) recent.push(m);
    expect(recent[0]).toMatchObject({ name: id, id: before._id, downloads: 4242, likes: 7, library_name: "transformers", createdAt: before.createdAt });
    expect(Math.abs(recent[0]!.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(recent[1]!.updatedAt.getTime()).toBeLessThanOrEqual(recent[0]!.updatedAt.getTime());

    const info = await modelInfo({ name: id, hubUrl, additionalFields: ["sha", "safetensors"] });
    expect(info).toMatchObject({ downloads: 4242, likes: 7, safetensors: before.safetensors });
    expect(info.sha).not.toBe(before.sha);
    const byDownloads = await api(`/api/models?search=Qwen2.5-7B&sort=downloads&expand=downloads&limit=1000`);
    expect(byDownloads.body.at(-1)).toMatchObject({ id, downloads: 4242 });

    // a given lastModified is kept (a change dated in the past sorts where that date belongs)
    const dated = await control("PUT", `/hf/models/${id}`, { lastModified: "2025-01-02T03:04:05Z" });
    expect(dated.body.model.lastModified).toBe("2025-01-02T03:04:05.000Z");
    expect((await api(`/api/models/${id}?expand=lastModified&expand=downloads`)).body).toMatchObject({ lastModified: "2025-01-02T03:04:05.000Z", downloads: 4242 });
  });

  it("PUT creates a model that search, filters, sorts, expand, model info and files all see", async () => {
    const id = "sandbox-sync-e2e/Tiny-Chat-1B";
    const created = await control("PUT", `/hf/models/${id}`, {
      pipeline_tag: "text-generation",
      library_name: "transformers",
      downloads: 99,
      likes: 3,
      safetensors: { parameters: { BF16: 1_100_000_000 } },
      configJson: { architectures: ["LlamaForCausalLM"], model_type: "llama", max_position_embeddings: 4096 },
      cardData: { license: "apache-2.0", base_model: "meta-llama/Llama-3.2-1B" },
    });
    expect(created.status).toBe(201);
    expect(created.body.created).toBe(true);
    expect(created.body.model.createdAt).toBe(created.body.model.lastModified);

    const found = [];
    for await (const m of listModels({ search: { owner: "sandbox-sync-e2e", task: "text-generation", tags: ["transformers", "safetensors"] }, hubUrl, additionalFields: ["safetensors", "config", "cardData", "tags", "createdAt"] })) found.push(m);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      name: id, task: "text-generation", downloads: 99, likes: 3, gated: false, private: false,
      safetensors: { parameters: { BF16: 1_100_000_000 }, total: 1_100_000_000 },
      config: { architectures: ["LlamaForCausalLM"], model_type: "llama" },
      cardData: { license: "apache-2.0" },
      tags: expect.arrayContaining(["transformers", "safetensors", "llama", "text-generation", "license:apache-2.0"]),
    });
    expect(found[0]!.id).toMatch(/^[0-9a-f]{24}$/);
    const newest = [];
    for await (const m of listModels({ sort: "createdAt", limit: 1, hubUrl })) newest.push(m.name);
    expect(newest).toEqual([id]);
    expect((await api("/api/models?num_parameters=min:1B,max:1.2B&apps=vllm&search=tiny-chat")).body.map((m: any) => m.id)).toEqual([id]);

    const info = await modelInfo({ name: id.toLowerCase(), hubUrl, additionalFields: ["filePaths", "author"] });
    expect(info).toMatchObject({ name: id, author: "sandbox-sync-e2e" });
    expect(info.filePaths).toEqual(expect.arrayContaining(["README.md", "config.json", "model.safetensors"]));
    const config = JSON.parse(await (await downloadFile({ repo: id, path: "config.json", hubUrl }))!.text());
    expect(config).toEqual({ architectures: ["LlamaForCausalLM"], model_type: "llama", max_position_embeddings: 4096 });

    const listed = await control("GET", "/hf");
    expect(listed.body).toMatchObject({ catalog: "sample", malformed: null });
    expect(listed.body.models).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: "Qwen/Qwen2.5-7B-Instruct", status: "changed" }),
      expect.objectContaining({ id, status: "created" }),
    ]));
  });

  it.each([
    ["an unknown field", "/hf/models/a-org/b", { download: 1 }, 400],
    ["a negative count", "/hf/models/a-org/b", { likes: -1 }, 400],
    ["a bad date", "/hf/models/a-org/b", { lastModified: "soon" }, 400],
    ["an id that differs from the path", "/hf/models/a-org/b", { id: "c-org/d" }, 400],
    ["an invalid repo name", "/hf/models/-bad/b", {}, 400],
    ["malformed JSON", "/hf/models/a-org/b", "{nope", 400],
  ])("refuses a PUT with %s", async (_name, path, body, status) => {
    const res = await control("PUT", path, body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toMatch(/^invalid_/);
  });

  it("DELETE removes a model: gone from listings, and model info and files answer as for a missing repo", async () => {
    const id = "google-bert/bert-base-uncased";
    expect((await control("DELETE", `/hf/models/${id}`)).status).toBe(204);
    const names = [];
    for await (const m of listModels({ search: { query: "bert-base" }, hubUrl })) names.push(m.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names).not.toContain(id);
    expect((await caught(modelInfo({ name: id, hubUrl, accessToken: TOKEN }))).statusCode).toBe(404);
    expect((await caught(modelInfo({ name: id, hubUrl }))).statusCode).toBe(401);
    const raw = await api(`/api/models/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(raw.body).toEqual({ error: "Repository not found" });
    expect(raw.res.headers.get("x-error-code")).toBe("RepoNotFound");
    expect((await api(`/${id}/resolve/main/config.json`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    expect(await downloadFile({ repo: id, path: "config.json", hubUrl, accessToken: TOKEN }).catch((e: HubApiError) => e.statusCode)).toBe(404);
    expect((await api(`/api/models/${id}/tree/main`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    const again = await control("DELETE", `/hf/models/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("not_found");

    // a model created through the control API goes away too
    expect((await control("PUT", "/hf/models/sandbox-sync-e2e/short-lived", {})).status).toBe(201);
    expect((await control("DELETE", "/hf/models/sandbox-sync-e2e/short-lived")).status).toBe(204);
    expect((await caught(modelInfo({ name: "sandbox-sync-e2e/short-lived", hubUrl, accessToken: TOKEN }))).statusCode).toBe(404);
    expect((await control("GET", "/hf")).body.models).toEqual(expect.arrayContaining([{ id, status: "deleted" }]));
  });

  it("malformed entries join the listing at the end (or start); a client that skips and counts them still sees every model", async () => {
    const valid = (await walk("/api/models?sort=createdAt&limit=1000")).flat();
    expect(valid.every(isEntry)).toBe(true);

    const set = await control("POST", "/hf/malformed", { count: 5, position: "last" });
    expect(set).toEqual({ status: 200, body: { malformed: { count: 5, position: "last" } } });
    const pages = await walk("/api/models?sort=createdAt&limit=100");
    expect(pages.slice(0, -1).every((p) => p.every(isEntry))).toBe(true);
    const last = pages.at(-1)!;
    expect(last.slice(-5).some(isEntry)).toBe(false);
    expect(last.slice(-5)).toContain(null);

    const log = { urls: [] as string[], skipped: 0 };
    const names: string[] = [];
    for await (const m of listModels({ sort: "createdAt", hubUrl, fetch: skippingFetch(log, { pageSize: 100 }) })) names.push(m.name);
    expect(log.skipped).toBe(5);
    expect(names).toEqual(valid.map((m) => (m as { id: string }).id));
    // without skipping, the official client trips over the non-object entries
    await expect((async () => {
      for await (const _ of listModels({ sort: "createdAt", hubUrl })) void _;
    })()).rejects.toThrow(TypeError);

    expect((await control("POST", "/hf/malformed", {})).body.malformed).toEqual({ count: 3, position: "first" });
    const first = (await api("/api/models?limit=10&expand=downloads")).body as unknown[];
    expect(first).toHaveLength(13);
    expect(first.slice(0, 3).some(isEntry)).toBe(false);
    expect(first.slice(3).every(isEntry)).toBe(true);
    expect(((await api(`/api/models?search=${encodeURIComponent("Tiny-Chat")}`)).body as unknown[]).filter((e) => !isEntry(e))).toHaveLength(3);
    expect((await control("POST", "/hf/malformed", { position: "middle" })).status).toBe(400);
    expect((await control("DELETE", "/hf/malformed")).status).toBe(204);
    expect(((await api("/api/models?limit=10")).body as unknown[]).every(isEntry)).toBe(true);
  });

  it("a fault with `after` fails page 3 of a listing; the walk resumes from the stored next-page URL", async () => {
    const everything = (await walk("/api/models?sort=createdAt&limit=1000")).flat().map((m) => (m as { id: string }).id);
    const rule = await control("POST", "/faults", { service: "huggingface", match: { path: "/api/models", method: "GET" }, status: 503, after: 2, times: 1 });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ after: 2, times: 1 });
    faults.push(rule.body.id);

    const log = { urls: [] as string[], skipped: 0 };
    const names: string[] = [];
    const err = await caught((async () => {
      for await (const m of listModels({ sort: "createdAt", hubUrl, fetch: skippingFetch(log, { pageSize: 100 }) })) names.push(m.name);
    })());
    expect(err.statusCode).toBe(503);
    expect(err.message).toContain("Injected fault: HTTP 503");
    expect(log.urls).toHaveLength(3);
    expect(names).toEqual(everything.slice(0, 200));
    expect(((await control("GET", "/faults")).body.faults as Array<{ id: string }>).map((f) => f.id)).not.toContain(rule.body.id);

    const resumed = { urls: [] as string[], skipped: 0 };
    for await (const m of listModels({ sort: "createdAt", hubUrl, fetch: skippingFetch(resumed, { resumeAt: log.urls[2]! }) })) names.push(m.name);
    expect(resumed.urls[0]).toBe(log.urls[2]);
    expect(names).toEqual(everything);
  });

  it("a cursor stays valid when models change between page requests; untouched models are listed once each", async () => {
    const before = (await walk("/api/models?sort=lastModified&limit=1000")).flat().map((m) => (m as { id: string }).id);
    const touched = new Set<string>();
    const pages = await walk("/api/models?sort=lastModified&limit=60&expand=lastModified", async (page) => {
      if (page === 1) {
        touched.add(before[5]!).add(before[300]!).add(before[301]!).add("sandbox-sync-e2e/mid-walk");
        expect((await control("PUT", `/hf/models/${before[5]}`, { likes: 1 })).status).toBe(200); // seen; moves to the front
        expect((await control("PUT", `/hf/models/${before[300]}`, { likes: 1 })).status).toBe(200); // unseen; moves behind the cursor
        expect((await control("DELETE", `/hf/models/${before[301]}`)).status).toBe(204);
        expect((await control("PUT", "/hf/models/sandbox-sync-e2e/mid-walk", {})).status).toBe(201);
      }
    });
    const listed = pages.flat().map((m) => (m as { id: string }).id);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).not.toContain(before[301]);
    expect(listed).not.toContain(before[300]);
    expect(listed.filter((id) => id === before[5])).toHaveLength(1);
    expect(listed.filter((id) => !touched.has(id))).toEqual(before.filter((id) => !touched.has(id)));
    // each page is ordered, and the walk goes strictly down the order
    const dates = pages.flat().map((m) => Date.parse((m as { lastModified: string }).lastModified));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    // the next walk sees the changes first
    expect((await walk("/api/models?sort=lastModified&limit=3&expand=likes"))[0]!.slice(0, 3).map((m) => (m as { id: string }).id).sort()).toEqual(
      [before[5], before[300], "sandbox-sync-e2e/mid-walk"].sort(),
    );
  });

  it("DELETE /_control/hf restores the shipped sample", async () => {
    expect((await control("DELETE", "/hf")).status).toBe(204);
    expect(await control("GET", "/hf")).toEqual({ status: 200, body: { catalog: "sample", models: [], malformed: null } });
    const all = (await walk("/api/models?sort=downloads&limit=1000")).flat().map((m) => (m as { id: string }).id);
    expect(all).toEqual(SAMPLE_MODELS.map((m) => m.id));
    expect((await modelInfo({ name: "google-bert/bert-base-uncased", hubUrl })).downloads).toBe(SAMPLE_MODELS.find((m) => m.id === "google-bert/bert-base-uncased")!.downloads);
  });
});

// Tests in a file run one after another; this block flips a global setting, so it restores it in afterAll.
describe("Hugging Face Hub stand-in: large generated catalog", () => {
  let before: { hfCatalog: string; hfLargeSize: number };
  const settings = async (patch: Record<string, unknown>) => {
    const res = await fetch(`${sandbox}/_control/settings`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(patch) });
    expect(res.status).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    before = (await (await fetch(`${sandbox}/_control/settings`)).json()) as typeof before;
  });
  afterAll(async () => {
    await settings({ hfCatalog: "sample", hfLargeSize: before?.hfLargeSize ?? 500_000 });
  });

  it("serves 500,000 models sorted by downloads, paging in O(page) through the official client", async () => {
    await settings({ hfCatalog: "large", hfLargeSize: 500_000 });
    const urls: string[] = [];
    const got: Array<{ name: string; downloads: number }> = [];
    const started = Date.now();
    for await (const m of listModels({ sort: "downloads", limit: 1200, hubUrl, fetch: (u, i) => (urls.push(String(u)), fetch(u, i)) })) got.push(m);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(urls.length).toBe(3); // pages of 500 via Link
    expect(got.length).toBe(1200);
    expect(new Set(got.map((m) => m.name)).size).toBe(1200);
    expect(got.map((m) => m.downloads)).toEqual([...got.map((m) => m.downloads)].sort((a, b) => b - a));
    expect(got[0]!.name).toBe(SAMPLE_MODELS[0]!.id);
    const generated = got.filter((m) => !SAMPLE_MODELS.some((s) => s.id === m.name));
    expect(generated.length).toBeGreaterThan(700);
    // the generated catalog is ordered by construction: its models appear in index order
    const n = 500_000 - SAMPLE_MODELS.length;
    expect(generated.slice(0, 5).map((m) => m.name)).toEqual([0, 1, 2, 3, 4].map((i) => generatedLite(i, n).id));
  });

  it("looks up generated models by id, exactly as the generator defines them", async () => {
    const n = 500_000 - SAMPLE_MODELS.length;
    const last = generatedModel(n - 1, n);
    const info = await api(`/api/models/${last.id}?expand=safetensors&expand=config&expand=gguf&expand=downloads&expand=createdAt&expand=sha`);
    expect(info.status).toBe(200);
    expect(info.body).toEqual(JSON.parse(JSON.stringify({ _id: last._id, id: last.id, safetensors: last.safetensors, config: last.config, gguf: last.gguf, downloads: last.downloads, createdAt: last.createdAt, sha: last.sha })));
    const viaClient = await modelInfo({ name: generatedLite(123_456, n).id, hubUrl, additionalFields: ["cardData"] });
    expect(viaClient.cardData).toHaveProperty("base_model");
    // one past the end does not exist, nor does a sample-mode lookup of a generated id
    const pastEnd = generatedLite(n, n + 1).id;
    expect((await api(`/api/models/${pastEnd}`)).status).toBe(401);
    const found = await api(`/api/models?search=${encodeURIComponent(last.id)}`);
    expect(found.body.map((m: any) => m.id)).toEqual([last.id]);
  });

  it("every sort is a cheap order over the same models: a small catalog walks to exactly hfLargeSize unique ids", async () => {
    await settings({ hfCatalog: "large", hfLargeSize: 1500 });
    const walk = async (sort: string) => {
      const ids: string[] = [];
      const keys: number[] = [];
      let url: string | undefined = `${hubUrl}/api/models?sort=${sort}&limit=400&expand=${sort}`;
      while (url) {
        const res: Response = await fetch(url);
        expect(res.status).toBe(200);
        for (const m of (await res.json()) as any[]) {
          ids.push(m.id);
          keys.push(typeof m[sort] === "string" ? Date.parse(m[sort]) : m[sort]);
        }
        url = LINK.exec(res.headers.get("link") ?? "")?.[1];
      }
      return { ids, keys };
    };
    const byDownloads = await walk("downloads");
    expect(byDownloads.ids.length).toBe(1500);
    expect(new Set(byDownloads.ids).size).toBe(1500);
    for (const sort of ["likes", "trendingScore", "createdAt", "lastModified"]) {
      const w = await walk(sort);
      expect(w.keys).toEqual([...w.keys].sort((a, b) => b - a));
      expect([...w.ids].sort()).toEqual([...byDownloads.ids].sort());
    }
    const expectedIds = [...SAMPLE_MODELS.map((m) => m.id), ...Array.from({ length: 1500 - SAMPLE_MODELS.length }, (_, i) => generatedLite(i, 1500 - SAMPLE_MODELS.length).id)];
    expect([...byDownloads.ids].sort()).toEqual(expectedIds.sort());

    // filters apply to generated models too: GGUF quantisations of Qwen models
    const qwenGguf = await api("/api/models?filter=gguf&search=qwen&limit=1000&expand=tags");
    const count = expectedIds.filter((id) => id.toLowerCase().includes("qwen")).length;
    expect(qwenGguf.body.length).toBeGreaterThan(0);
    expect(qwenGguf.body.length).toBeLessThan(count);
    expect(qwenGguf.body.every((m: any) => m.tags.includes("gguf") && m.id.toLowerCase().includes("qwen"))).toBe(true);
  });

  it("refuses catalog changes while the large catalog is selected", async () => {
    expect(((await settings({ hfCatalog: "large" })) as { hfCatalog: string }).hfCatalog).toBe("large");
    for (const [method, path, body] of [["PUT", "/hf/models/sandbox-sync-e2e/x", {}], ["DELETE", `/hf/models/${SAMPLE_MODELS[0]!.id}`, undefined], ["POST", "/hf/malformed", {}]] as const) {
      const res = await control(method, path, body);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("conflict");
    }
    expect((await control("DELETE", "/hf/malformed")).status).toBe(204);
    expect((await control("GET", "/hf")).body).toEqual({ catalog: "large", models: [], malformed: null });
  });

  it("switches back to the sample catalog", async () => {
    await settings({ hfCatalog: "sample" });
    const n = 1500 - SAMPLE_MODELS.length;
    expect((await api(`/api/models/${generatedLite(0, n).id}`)).status).toBe(401);
    const all = await api("/api/models?limit=1000&expand=downloads");
    expect(all.body.length).toBe(SAMPLE_MODELS.length);
  });
});
