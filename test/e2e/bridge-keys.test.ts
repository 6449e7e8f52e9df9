import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall as api, me, query, setPlan, signUp, signUpOnPlan, uniqueEmail, type SignedUp } from "./auth-client";
import { until } from "./wait";

/**
 * The bridge with real workspaces: API keys from /api/keys, the workspace's bridge map from /api/bridge,
 * budgets and rate limits in the BudgetObject, the usage ledger in D1.
 */
const platform = inject("platformUrl");
let alice: SignedUp;
let aliceWs = "";

async function newKey(user: SignedUp, body: Record<string, unknown> = {}) {
  const res = await api(user, "POST", "/api/keys", { name: "test key", ...body });
  expect(res.status).toBe(201);
  return res.body as { id: string; key: string; prefix: string };
}

const openai = (key: string) => new OpenAI({ baseURL: `${platform}/v1`, apiKey: key, maxRetries: 0 });

beforeAll(async () => {
  // Pro: these tests call the Western stand-ins, which the Free plan does not serve.
  alice = await signUp(uniqueEmail("keys-alice"));
  aliceWs = (await me(alice.browser)).workspaces[0]!.id;
  await setPlan(aliceWs, "pro");
});

describe("API keys", () => {
  it("creates a key shown once, lists only its prefix, and the bridge accepts it", async () => {
    const created = await newKey(alice);
    expect(created.key).toMatch(/^sk-[0-9A-Za-z]{38}$/);
    expect(created.prefix).toBe(`${created.key.slice(0, 7)}…${created.key.slice(-4)}`);
    const list = await api(alice, "GET", "/api/keys");
    expect(list.status).toBe(200);
    const listed = list.body.keys.find((k: { id: string }) => k.id === created.id);
    expect(listed.prefix).toBe(created.prefix);
    expect(JSON.stringify(list.body)).not.toContain(created.key);

    const { data, response } = await openai(created.key).chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "with a real key" }] }).withResponse();
    expect(data.choices[0]!.message.content).toContain("with a real key");
    expect(response.headers.get("x-provider")).toBe("openai");

    // The ledger gets the call (from the BudgetObject's outbox) with the upstream's token counts.
    const rows = await until(
      () => query<{ input_tokens: number; output_tokens: number; key_id: string }>("select input_tokens, output_tokens, key_id from usage_event where workspace_id = ?", [aliceWs]),
      (r) => r.length > 0,
    );
    expect(rows[0]).toMatchObject({ input_tokens: data.usage!.prompt_tokens, output_tokens: data.usage!.completion_tokens, key_id: created.id });
  });

  it("refuses forged, truncated and revoked keys with 401 in the caller's dialect", async () => {
    const { key, id } = await newKey(alice);
    const forged = key.slice(0, 10) + (key[10] === "a" ? "b" : "a") + key.slice(11);
    for (const bad of [forged, key.slice(0, -2)]) {
      const err = await openai(bad).chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    }
    const viaAnthropic = await new Anthropic({ baseURL: platform, apiKey: forged, maxRetries: 0 }).messages.create({ model: "claude-haiku-4-5", max_tokens: 5, messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(viaAnthropic).toBeInstanceOf(Anthropic.AuthenticationError);

    await openai(key).chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "warm the cache" }] });
    const revoked = await api(alice, "DELETE", `/api/keys/${id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBeTruthy();
    const started = Date.now();
    const err = await until(
      () => openai(key).chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).then(() => undefined, (e) => e),
      (e) => e instanceof OpenAI.AuthenticationError,
      5_000,
    );
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it("keeps tenants apart: another user can neither see nor revoke the key", async () => {
    const { id } = await newKey(alice);
    const bob = await signUp(uniqueEmail("keys-bob"));
    expect((await api(bob, "DELETE", `/api/keys/${id}`)).status).toBe(404);
    expect((await api(bob, "GET", "/api/keys", undefined, { "x-workspace-id": aliceWs })).status).toBe(404);
    const bobs = await api(bob, "GET", "/api/keys");
    expect(bobs.body.keys.map((k: { id: string }) => k.id)).not.toContain(id);
  });

  it("validates key bodies", async () => {
    expect((await api(alice, "POST", "/api/keys", { name: "" })).status).toBe(400);
    expect((await api(alice, "POST", "/api/keys", { name: "x", rpm: -1 })).status).toBe(400);
    expect((await api(alice, "POST", "/api/keys", { name: "x", bogus: 1 })).status).toBe(400);
    const raw = await alice.browser.fetch("/api/keys", { method: "POST", body: "{nope", headers: { "content-type": "application/json" } });
    expect(raw.status).toBe(400);
  });

  it("enforces a key's model allowlist with 403", async () => {
    const { key } = await newKey(alice, { allowedModels: ["openai/*", "gpt-*"] });
    expect((await openai(key).chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "ok" }] })).choices).toHaveLength(1);
    const err = await openai(key).chat.completions.create({ model: "anthropic/claude-haiku-4-5", messages: [{ role: "user", content: "no" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
  });

  it("holds a key's RPM exactly under a parallel burst", async () => {
    // A fresh workspace, and small answers, so the monthly budget is not what refuses.
    const frank = await signUpOnPlan("rpm-frank");
    const { key } = await newKey(frank, { rpm: 10 });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => openai(key).chat.completions.create({ model: "gpt-4o-mini", max_tokens: 20, messages: [{ role: "user", content: `burst ${i}` }] }).then(() => "ok", (e) => e)),
    );
    const ok = results.filter((r) => r === "ok").length;
    // One object serialises the window, so a burst gets the limit (within one, if it straddles a minute boundary).
    expect(Math.abs(ok - 10)).toBeLessThanOrEqual(1);
    for (const r of results.filter((x) => x !== "ok")) {
      expect(r).toBeInstanceOf(OpenAI.RateLimitError);
      expect(r.code).toBe("rate_limit_exceeded");
    }
  });

  it("refuses an expired key", async () => {
    const { key, id } = await newKey(alice, { expiresInDays: 1 });
    await query("update api_key set expires_at = ? where id = ?", [Date.now() - 1000, id]);
    const err = await until(
      () => openai(key).chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).then(() => undefined, (e) => e),
      (e) => e instanceof OpenAI.AuthenticationError,
      5_000,
    );
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("enforces a key's RPM with 429, Retry-After and x-ratelimit headers", async () => {
    const { key } = await newKey(alice, { rpm: 3 });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await openai(key).chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: `rpm ${i}` }] }).withResponse().catch((e) => e));
    const ok = results.slice(0, 3) as Array<{ response: Response }>;
    expect(ok[2]!.response.headers.get("x-ratelimit-limit-requests")).toBe("3");
    expect(ok[2]!.response.headers.get("x-ratelimit-remaining-requests")).toBe("0");
    const err = results[3];
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(Number(err.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("workspace bridge map", () => {
  it("routes an alias to another provider for this workspace only", async () => {
    const put = await api(alice, "PUT", "/api/bridge", { rules: [{ match: "house-*", targets: ["anthropic/claude-haiku-4-5"] }] });
    expect(put.status).toBe(200);
    expect(put.body.rules).toEqual([{ match: "house-*", targets: ["anthropic/claude-haiku-4-5"] }]);
    const { key } = await newKey(alice);
    const { response } = await openai(key).chat.completions.create({ model: "house-model", messages: [{ role: "user", content: "alias" }] }).withResponse();
    expect(response.headers.get("x-provider")).toBe("anthropic");
    expect(response.headers.get("x-bridge-rule")).toBe("house-*");

    const carol = await signUp(uniqueEmail("map-carol"));
    const carolKey = (await newKey(carol)).key;
    const err = await openai(carolKey).chat.completions.create({ model: "house-model", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("lists the workspace's own names with prices in /v1/models, filtered by the key's allowlist", async () => {
    await api(alice, "PUT", "/api/bridge", { rules: [{ match: "house-*", targets: ["anthropic/claude-haiku-4-5"] }, { match: "team-coder", targets: ["openai/gpt-4o-mini"] }] });
    const { key } = await newKey(alice);
    const models = [];
    for await (const m of openai(key).models.list()) models.push(m as OpenAI.Model & { pricing?: { input_per_million_usd: number }; targets?: string[] });
    const alias = models.find((m) => m.id === "team-coder");
    expect(alias?.targets).toEqual(["openai/gpt-4o-mini"]);
    expect(alias?.pricing?.input_per_million_usd).toBe(0.15);
    expect(models.some((m) => m.id === "house-*")).toBe(false);
    const limited = (await newKey(alice, { allowedModels: ["team-*"] })).key;
    const few = [];
    for await (const m of openai(limited).models.list()) few.push(m.id);
    expect(few).toEqual(["team-coder"]);
  });

  it("refuses invalid maps with 400", async () => {
    expect((await api(alice, "PUT", "/api/bridge", { rules: [{ match: "x", targets: ["acme/nope"] }] })).status).toBe(400);
    expect((await api(alice, "PUT", "/api/bridge", { rules: "all" })).status).toBe(400);
  });
});

describe("budgets hold under concurrency", () => {
  it("a burst against a small budget never spends past it; the refused get insufficient_quota", async () => {
    const dave = await signUp(uniqueEmail("budget-dave"));
    const ws = (await me(dave.browser)).workspaces[0]!.id;
    await query("insert into workspace_plan (workspace_id, plan, monthly_tokens, updated_at) values (?, 'enterprise', 2000, ?)", [ws, Date.now()]);
    const { key } = await newKey(dave);
    const client = openai(key);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => client.chat.completions.create({ model: "gpt-4o-mini", max_tokens: 200, messages: [{ role: "user", content: `burst ${i}` }] }).then((r) => r, (e) => e)),
    );
    const ok = results.filter((r) => !(r instanceof Error)) as OpenAI.ChatCompletion[];
    const refused = results.filter((r) => r instanceof OpenAI.RateLimitError);
    expect(ok.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(ok.length + refused.length).toBe(40);
    for (const e of refused) expect(e.code).toBe("insufficient_quota");
    const billed = ok.reduce((n, r) => n + r.usage!.prompt_tokens + r.usage!.completion_tokens, 0);
    expect(billed).toBeLessThanOrEqual(2000);
    const ledger = await until(
      () => query<{ n: number; tokens: number }>("select count(*) as n, coalesce(sum(input_tokens + output_tokens), 0) as tokens from usage_event where workspace_id = ?", [ws]),
      (r) => r[0]!.n === ok.length,
    );
    expect(ledger[0]).toEqual({ n: ok.length, tokens: billed });
  });
});

describe("GET /api/usage", () => {
  it("reports the month's budget, spend and breakdowns for the active workspace", async () => {
    const erin = await signUpOnPlan("usage-erin");
    const { key, id } = await newKey(erin);
    const r = await openai(key).chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "usage please" }] });
    const usage = await until(
      () => api(erin, "GET", "/api/usage"),
      (u) => u.body.byModel.length > 0,
    );
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ plan: "pro", budgetTokens: 1_000_000, usedTokens: r.usage!.total_tokens, remainingTokens: 1_000_000 - r.usage!.total_tokens });
    expect(usage.body.byModel[0]).toMatchObject({ model: "openai/gpt-4o", requests: 1, inputTokens: r.usage!.prompt_tokens });
    expect(usage.body.byKey[0].keyId).toBe(id);
    expect(usage.body.costUsd).toBeGreaterThan(0);
    expect(usage.body.period.start).toMatch(/^\d{4}-\d{2}-01T00:00:00.000Z$/);
  });
});
