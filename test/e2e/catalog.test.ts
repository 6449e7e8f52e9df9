import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, query, signUp, uniqueEmail } from "./auth-client";
import { getWithHost } from "./host-request";
import { until } from "./wait";
import { catalogReady } from "./catalog-ready";

/**
 * Discovery through the running platform: the mirror is filled by the catalog cron from the Hub stand-in
 * (the 465-model sample), then searched, browsed, faceted and paged; a model's detail carries the deploy
 * planner's verdict and price; verticals and switch suggestions follow the brand.
 */
const platform = inject("platformUrl");

async function get(path: string, host?: string) {
  if (host) {
    const raw = await getWithHost(platform, host, path);
    return { status: raw.status, body: JSON.parse(raw.text) as any };
  }
  const res = await fetch(`${platform}${path}`);
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(() => catalogReady(platform), 60_000);

describe("model discovery", () => {
  it("searches id, author and tags with prefix matching, sorted, and pages with stable cursors", async () => {
    const qwen = await get("/api/models?q=qwen&sort=downloads&limit=5");
    expect(qwen.status).toBe(200);
    expect(qwen.body.models).toHaveLength(5);
    for (const m of qwen.body.models) expect(`${m.id} ${m.author} ${m.tags.join(" ")}`.toLowerCase()).toContain("qwen");
    const downloads = qwen.body.models.map((m: { downloads: number }) => m.downloads);
    expect([...downloads].sort((a, b) => b - a)).toEqual(downloads);
    // Prefix: what a phone user has typed so far.
    const partial = await get("/api/models?q=mistr&limit=3");
    expect(partial.body.models.length).toBeGreaterThan(0);

    // Walk every page of a filtered browse: no duplicates, nothing skipped, same total as the facet count.
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { models: { id: string }[]; nextCursor: string | null } } = await get(`/api/models?task=text-generation&sort=likes&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      for (const m of page.body.models) {
        expect(seen.has(m.id)).toBe(false);
        seen.add(m.id);
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    const n = (await query<{ n: number }>("SELECT count(*) AS n FROM hf_model WHERE task = 'text-generation'"))[0]!.n;
    expect(seen.size).toBe(Number(n));
  });

  it("filters by task, license, size, deployability, gated and category, with facet counts", async () => {
    const r = await get("/api/models?task=text-generation&deployable=vllm&gated=false&facets=true&limit=100");
    expect(r.status).toBe(200);
    for (const m of r.body.models) {
      expect(m.task).toBe("text-generation");
      expect(m.deployable.vllm).toBe(true);
      expect(m.gated).toBe(false);
    }
    expect(r.body.facetsApproximate).toBe(false);
    const total = r.body.facets.task.find((f: { value: string }) => f.value === "text-generation").count;
    const n = (await query<{ n: number }>("SELECT count(*) AS n FROM hf_model WHERE task = 'text-generation' AND (deployable & 1) = 1 AND gated = 0"))[0]!.n;
    expect(total).toBe(Number(n));
    const code = await get("/api/models?category=code&limit=50");
    expect(code.body.models.length).toBeGreaterThan(0);
    for (const m of code.body.models) expect(m.categories).toContain("code");
    const small = await get("/api/models?size=small&license=apache-2.0&limit=20");
    for (const m of small.body.models) expect([m.sizeBucket, m.license]).toEqual(["small", "apache-2.0"]);
    const everything = await get("/api/models?facets=true&limit=1");
    expect(everything.body.facets.category.length).toBeGreaterThan(5);
  });

  it("counts facets of a text search over every match when they are few", async () => {
    const r = await get("/api/models?q=qwen&facets=true&limit=5");
    expect(r.body.facetsApproximate).toBe(false);
    const byTask = await query<{ task: string; n: number }>(
      "SELECT task, count(*) AS n FROM hf_model WHERE rowid IN (SELECT rowid FROM hf_model_fts WHERE hf_model_fts MATCH '\"qwen\"*') AND task IS NOT NULL GROUP BY task",
    );
    const expected = Object.fromEntries(byTask.map((t) => [t.task, Number(t.n)]));
    const got = Object.fromEntries(r.body.facets.task.map((f: { value: string; count: number }) => [f.value, f.count]));
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
    expect(got).toEqual(expected);
  });

  it("measures a page's depth in the sort order as a walk of that order would", async () => {
    const order = await query<{ rowid: number; downloads: number }>("SELECT rowid, downloads FROM hf_model ORDER BY downloads DESC, rowid DESC");
    const { scanDepthSql, parseSearchQuery, encodeCursor } = await import("../../workers/catalog/search-query");
    for (const [from, to] of [[-1, 0], [-1, 37], [9, 60], [120, 121]] as const) {
      const params: Record<string, string> = { sort: "downloads" };
      if (from >= 0) params.cursor = encodeCursor(order[from]!.downloads, order[from]!.rowid);
      const parsed = parseSearchQuery(params);
      if (!parsed.ok) throw new Error("parse");
      const sql = scanDepthSql(parsed.query, { value: order[to]!.downloads, rowid: order[to]!.rowid });
      const [row] = await query<{ n: number }>(sql.sql, sql.params);
      expect(Number(row!.n)).toBe(to - from);
    }
  });

  it("answers bad query parameters with a clear 400", async () => {
    for (const q of ["sort=random", "limit=0", "limit=1000", "size=enormous", "gated=perhaps", "cursor=forged", "deployable=tpu", "task=a%20b", "nonsense=1"]) {
      const r = await get(`/api/models?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe("invalid_request");
      expect(r.body.error.details.length).toBeGreaterThan(0);
    }
    const punctuation = await get(`/api/models?q=${encodeURIComponent('" * - ^')}`);
    expect(punctuation.status).toBe(200);
    expect(punctuation.body.models).toEqual([]);
  });

  it("shows a model's detail: facts, deployability with price, what it replaces, and fetches unmirrored ones on demand", async () => {
    const d = await get("/api/models/Qwen/Qwen2.5-7B-Instruct");
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ id: "Qwen/Qwen2.5-7B-Instruct", task: "text-generation", deploy: { deployable: true, engine: "vllm" } });
    expect(d.body.categories).toContain("chat");
    expect(d.body.deploy.estimate.perWorker.usdPerHour).toBeGreaterThan(0);
    expect(d.body.replaces.length).toBeGreaterThan(0);
    expect(d.body.links.hub).toBe("https://huggingface.co/Qwen/Qwen2.5-7B-Instruct");
    expect(d.body.platform).toEqual({ requests7d: expect.any(Number), deployments7d: expect.any(Number) });

    const image = await get("/api/models/stabilityai/stable-diffusion-xl-base-1.0");
    expect(image.body.deploy).toMatchObject({ deployable: false, code: "not_text_model" });
    expect(image.body.categories).toContain("image-generation");

    // Not mirrored yet: removed from the mirror, then asked for.
    await query("DELETE FROM hf_model_category WHERE model_id = 'Qwen/Qwen3-0.6B'");
    await query("DELETE FROM hf_model WHERE id = 'Qwen/Qwen3-0.6B'");
    const fresh = await get("/api/models/Qwen/Qwen3-0.6B");
    expect(fresh.status).toBe(200);
    expect(fresh.body.fetchedOnDemand).toBe(true);
    expect((await query<{ n: number }>("SELECT count(*) AS n FROM hf_model WHERE id = 'Qwen/Qwen3-0.6B'"))[0]!.n).toBe(1);

    expect((await get("/api/models/nobody/no-such-model")).status).toBe(404);
    expect((await get("/api/models/-bad/x")).status).toBe(400);
  });

  it("lists categories, brand-worded verticals and switch suggestions with savings", async () => {
    const cats = await get("/api/models/categories");
    expect(cats.body.categories.find((c: { id: string }) => c.id === "chat").count).toBeGreaterThan(10);
    const sw = await get("/api/models/verticals", "swaggystacks.localhost");
    const sc = await get("/api/models/verticals", "scientiacapital.localhost");
    expect(sw.body.verticals.map((v: { id: string }) => v.id)).not.toEqual(sc.body.verticals.map((v: { id: string }) => v.id));
    expect(sc.body.verticals[0].id).toBe("finance");
    const list = await get("/api/models/switch");
    expect(list.body.suggestions.some((s: { western: string }) => s.western === "openai/gpt-4o-mini")).toBe(true);
    const one = await get("/api/models/switch/openai/gpt-4o-mini");
    expect(one.status).toBe(200);
    const priced = one.body.alternatives.filter((a: { savingPercent?: number }) => typeof a.savingPercent === "number");
    expect(priced.length).toBeGreaterThan(0);
    expect((await get("/api/models/switch/openai/no-such-model")).status).toBe(404);
  });

  it("counts what this platform's users deploy, anonymously, as 'popular on' the brand", async () => {
    const alice = await signUp(uniqueEmail("catalog-pop"));
    const made = await apiCall(alice, "POST", "/api/deployments", { model: "HuggingFaceTB/SmolLM2-135M-Instruct", name: "pop-test" });
    expect(made.status).toBe(202);
    await fetch(`${platform}/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*`);
    const popular = await until(
      () => get("/api/models/popular"),
      (r) => r.body.models.some((m: { id: string }) => m.id === "HuggingFaceTB/SmolLM2-135M-Instruct"),
      20_000,
      250,
    );
    expect(popular.body.label).toBe("Popular on SwaggyStacks");
    const entry = popular.body.models.find((m: { id: string }) => m.id === "HuggingFaceTB/SmolLM2-135M-Instruct");
    expect(entry.platform.deployments7d).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(popular.body)).not.toContain(alice.email);
    await apiCall(alice, "DELETE", `/api/deployments/${made.body.id}`);
  }, 40_000);
});
