import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSyncState } from "../../workers/catalog/mirror";
import { searchCatalog } from "../../workers/catalog/search";
import { parseSearchQuery } from "../../workers/catalog/search-query";
import { syncCatalog } from "../../workers/catalog/sync";

/**
 * The catalog sync against the Hub stand-in over HTTP (started by vitest.config.ts, serving the 465-model
 * sample), through @huggingface/hub's listModels: Link pagination, resuming after a failure mid-way,
 * incremental updates, deletions, malformed entries.
 */
const SANDBOX = env.TEST_SANDBOX_URL;
const HUB = `${SANDBOX}/hf`;

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${SANDBOX}/_control${path}`, { method, headers: { "content-type": "application/json" }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok && res.status !== 404) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

async function count(where = "1") {
  return Number((await env.DB.prepare(`SELECT count(*) AS n FROM hf_model WHERE ${where}`).first<{ n: number }>())!.n);
}

async function hubTotal(): Promise<number> {
  let n = 0;
  let url: string | null = `${HUB}/api/models?limit=500`;
  while (url) {
    const res: Response = await fetch(url);
    n += ((await res.json()) as unknown[]).length;
    url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get("link") ?? "")?.[1] ?? null;
  }
  return n;
}

beforeEach(async () => {
  await control("POST", "/reset");
  await env.DB.batch([env.DB.prepare("DELETE FROM hf_model_category"), env.DB.prepare("DELETE FROM hf_model"), env.DB.prepare("DELETE FROM catalog_sync")]);
});
afterEach(async () => {
  await control("POST", "/reset");
});

describe("catalog sync", () => {
  it("backfills the whole Hub page by page, and resumes where a failure stopped it", async () => {
    const total = await hubTotal();
    // Page 3 of the walk fails once (after two pages went through).
    await control("POST", "/faults", { service: "huggingface", match: { path: "/api/models", method: "GET" }, status: 500, after: 2, times: 1 });
    const first = await syncCatalog(env.DB, "backfill", { hubUrl: HUB, maxPages: 100, pageSize: 50 });
    expect(first.error).toBeTruthy();
    expect(first.complete).toBe(false);
    expect(first.pages).toBe(3);
    expect(await count()).toBe(100);
    const saved = await loadSyncState(env.DB, "backfill");
    expect(saved.cursor).toMatch(/cursor=/);
    expect(saved.error).toBeTruthy();

    // The next run starts at the failed page, not at the beginning, and finishes the pass.
    const second = await syncCatalog(env.DB, "backfill", { hubUrl: HUB, maxPages: 100, pageSize: 50 });
    expect(second.error).toBeUndefined();
    expect(second.complete).toBe(true);
    expect(second.pass).toBe(first.pass);
    expect(second.pages).toBe(Math.ceil((total - 100) / 50));
    expect(await count()).toBe(total);
    expect(await loadSyncState(env.DB, "backfill")).toMatchObject({ cursor: null, error: null });
    // Everything is searchable and categorised.
    const fts = await env.DB.prepare("SELECT count(*) AS n FROM hf_model_fts WHERE hf_model_fts MATCH 'qwen'").first<{ n: number }>();
    expect(fts!.n).toBeGreaterThan(10);
    expect(await count("categories != ',,'")).toBe(total);
  });

  it("stops at its page budget and carries on next run", async () => {
    const a = await syncCatalog(env.DB, "backfill", { hubUrl: HUB, maxPages: 2, pageSize: 100 });
    expect(a).toMatchObject({ pages: 2, complete: false });
    expect(await count()).toBe(200);
    const b = await syncCatalog(env.DB, "backfill", { hubUrl: HUB, maxPages: 10, pageSize: 100 });
    expect(b.complete).toBe(true);
    expect(await count()).toBe(await hubTotal());
  });

  it("picks up changes incrementally, and a finished pass deletes what the Hub deleted", async () => {
    await syncCatalog(env.DB, "backfill", { hubUrl: HUB, maxPages: 100, pageSize: 200 });
    await syncCatalog(env.DB, "incremental", { hubUrl: HUB, maxPages: 5, pageSize: 100 }); // sets the watermark
    const before = await env.DB.prepare("SELECT downloads FROM hf_model WHERE id = 'Qwen/Qwen2.5-7B-Instruct'").first<{ downloads: number }>();
    await control("PUT", "/hf/models/Qwen/Qwen2.5-7B-Instruct", { downloads: before!.downloads + 12345, tags: ["text-generation", "conversational", "brand-new-tag"] });
    await control("PUT", "/hf/models/acme/brand-new-coder-7b", { pipeline_tag: "text-generation", library_name: "transformers", tags: ["code", "text-generation"], downloads: 5, likes: 1 });
    const inc = await syncCatalog(env.DB, "incremental", { hubUrl: HUB, maxPages: 5, pageSize: 100 });
    expect(inc.complete).toBe(true);
    expect(inc.pages).toBe(1); // stopped at the watermark on the first page
    expect((await env.DB.prepare("SELECT downloads FROM hf_model WHERE id = 'Qwen/Qwen2.5-7B-Instruct'").first<{ downloads: number }>())!.downloads).toBe(before!.downloads + 12345);
    expect(await count("id = 'acme/brand-new-coder-7b'")).toBe(1);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM hf_model_fts WHERE hf_model_fts MATCH '\"brand\" \"new\" \"tag\"'").first<{ n: number }>())!.n).toBe(1);

    await control("DELETE", "/hf/models/acme/brand-new-coder-7b");
    await control("DELETE", "/hf/models/openai-community/gpt2");
    const pass = await syncCatalog(env.DB, "backfill", { hubUrl: HUB, maxPages: 100, pageSize: 200 });
    expect(pass.complete).toBe(true);
    expect(pass.deleted).toBe(2);
    expect(await count("id IN ('acme/brand-new-coder-7b', 'openai-community/gpt2')")).toBe(0);
    expect(await count()).toBe(await hubTotal());
  });

  it("skips and counts malformed entries without stopping", async () => {
    await control("POST", "/hf/malformed", { count: 3, position: "first" });
    const r = await syncCatalog(env.DB, "backfill", { hubUrl: HUB, maxPages: 100, pageSize: 100 });
    expect(r.complete).toBe(true);
    expect(r.skipped).toBe(3);
    expect(await count()).toBe(await hubTotal() - 3);
  });

  it("keeps paging stable while a sync changes the catalog between pages", async () => {
    await syncCatalog(env.DB, "backfill", { hubUrl: HUB, maxPages: 100, pageSize: 200 });
    await syncCatalog(env.DB, "incremental", { hubUrl: HUB, maxPages: 5, pageSize: 100 });
    const all = (await env.DB.prepare("SELECT id FROM hf_model").all<{ id: string }>()).results.map((r) => r.id);
    const seen: string[] = [];
    const changed = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; ; page++) {
      const parsed = parseSearchQuery({ sort: "downloads", limit: "40", ...(cursor ? { cursor } : {}) });
      if (!parsed.ok) throw new Error("parse");
      const r = await searchCatalog(env, parsed.query);
      seen.push(...r.models.map((m) => m.id));
      if (!r.nextCursor) break;
      cursor = r.nextCursor;
      // Meanwhile on the Hub: a model from far down the list jumps to the top, another drops out of sight.
      const riser = all[(page * 37 + 11) % all.length]!;
      changed.add(riser);
      await control("PUT", `/hf/models/${riser}`, { downloads: 900_000_000 + page });
      await syncCatalog(env.DB, "incremental", { hubUrl: HUB, maxPages: 5, pageSize: 100 });
    }
    // No model is listed twice unless it moved, and every model that did not change was listed.
    const dupes = seen.filter((id, i) => seen.indexOf(id) !== i);
    for (const id of dupes) expect(changed.has(id)).toBe(true);
    for (const id of all) if (!changed.has(id)) expect(seen).toContain(id);
  });
});
