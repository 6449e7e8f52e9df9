import { beforeAll, describe, expect, it } from "vitest";
import { apiCall, Browser, me, operatorAccount, PASSWORD, query, signUp, uniqueEmail, type SignedUp } from "./auth-client";
import { deployReady } from "./deploy-ready";
import { until } from "./wait";

/**
 * The PWA's playground API over HTTP (/api/playground/models and /chat): a person signed in chats with
 * their workspace's RunPod deployment through the bridge pipeline, streamed and whole, and the calls show
 * up in /api/usage without a key. Refusals: signed out, API keys, another workspace, bad bodies, an
 * unknown model, an exhausted budget. Western models are called only after the workspace moves to Pro
 * (the Free plan serves open models only).
 */
const DEPLOYED = "Qwen/Qwen2.5-0.5B-Instruct";

let alice: SignedUp;
let aliceWs = "";
let model = "";

/** The data frames of an SSE body, parsed; `[DONE]` kept as the string. */
function frames(text: string): unknown[] {
  return [...text.matchAll(/^data: (.*)$/gm)].map((m) => (m[1] === "[DONE]" ? "[DONE]" : JSON.parse(m[1]!)));
}

type Chunk = { choices: { delta?: { content?: string } }[]; usage?: { prompt_tokens: number; completion_tokens: number; cost_usd: number; savings_usd: number } };

/** Invites `who` into `orgId` as `role` and has them accept through the invitation id from their mail. */
async function inviteAndAccept(inviter: SignedUp, orgId: string, who: SignedUp, role: string) {
  const invited = await inviter.browser.post("/api/auth/organization/invite-member", { email: who.email, role, organizationId: orgId });
  expect(invited.status, await invited.clone().text()).toBe(200);
  const { id } = (await invited.json()) as { id: string };
  const [mail] = await query<{ url: string }>("select url from email_outbox where to_address = ? and kind = 'invitation' order by created_at desc", [who.email.toLowerCase()]);
  expect(mail?.url).toMatch(new RegExp(`/invitations/${id}$`));
  const accepted = await who.browser.post("/api/auth/organization/accept-invitation", { invitationId: id });
  expect(accepted.status, await accepted.clone().text()).toBe(200);
}

const chat = (who: SignedUp | Browser, body: unknown, headers: Record<string, string> = {}) => apiCall(who, "POST", "/api/playground/chat", body, headers);

beforeAll(async () => {
  alice = await signUp(uniqueEmail("play-alice"));
  aliceWs = (await me(alice.browser)).workspaces[0]!.id;
  model = (await deployReady(alice, { model: DEPLOYED, name: "play-qwen" })).bridge.model as string;
  expect(model).toBe("runpod/play-qwen");
}, 60_000);

describe("GET /api/playground/models", () => {
  it("lists the workspace's ready deployments first, then what /v1/models lists for it", async () => {
    const res = await apiCall(alice, "GET", "/api/playground/models");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const models = res.body.models as { id: string; kind: string; servedModel?: string; outputPerMillionUsd: number | null }[];
    expect(models[0]).toMatchObject({ id: model, kind: "deployment", servedModel: DEPLOYED });
    expect(models[0]!.outputPerMillionUsd).toBeGreaterThan(0);
    // Free serves open models only: no Western model, nor a platform bridge-map name that only reaches them.
    expect(models.filter((m) => m.kind === "western")).toEqual([]);
    expect(models.find((m) => m.id === "fallback-chat")).toBeUndefined(); // the platform's bridge map (global-setup)
  });
});

describe("POST /api/playground/chat", () => {
  it("streams from a deployment through the bridge, with the usage frame and the bridge's headers", async () => {
    const res = await alice.browser.fetch("/api/playground/chat", { method: "POST", json: { model, stream: true, messages: [{ role: "user", content: "Hello playground" }] } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(res.headers.get("x-provider")).toBe("runpod");
    expect(res.headers.get("x-deployment")).toBe("play-qwen");
    expect(res.headers.get("x-model")).toContain(DEPLOYED);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const all = frames(await res.text());
    expect(all.at(-1)).toBe("[DONE]");
    const chunks = all.filter((f): f is Chunk => typeof f === "object");
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
    expect(text).toContain("Hello playground");
    expect(chunks.filter((c) => c.choices[0]?.delta?.content).length).toBeGreaterThan(1); // deltas, not one lump
    const usage = chunks.at(-1)!.usage!;
    expect(usage.prompt_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBeGreaterThan(0);
    expect(usage.cost_usd).toBeGreaterThan(0);
  }, 30_000);

  it("answers whole with x-cost-usd and x-savings-usd, and keeps the conversation's turns", async () => {
    const res = await chat(alice, {
      model,
      max_tokens: 64,
      temperature: 0.2,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "First turn" },
        { role: "assistant", content: "First answer" },
        { role: "user", content: "Second turn" },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.choices[0].message.content).toContain("Second turn");
    expect(res.body.usage.prompt_tokens).toBeGreaterThan(0);
    expect(Number(res.headers.get("x-cost-usd"))).toBeGreaterThan(0);
    expect(res.headers.get("x-savings-usd")).toMatch(/^\d+\.\d{6}$/);
    expect(res.headers.get("x-provider")).toBe("runpod");
  });

  it("shows in /api/usage as the workspace's, without a key", async () => {
    const usage = await until(
      () => apiCall(alice, "GET", "/api/usage"),
      (r) => (r.body?.byKey ?? []).some((k: { keyId: string | null; requests: number }) => k.keyId === null && k.requests >= 2),
      10_000,
      200,
    );
    const noKey = usage.body.byKey.find((k: { keyId: string | null }) => k.keyId === null);
    expect(noKey.requests).toBeGreaterThanOrEqual(2);
    expect(noKey.costUsd).toBeGreaterThan(0);
    expect(usage.body.usedTokens).toBeGreaterThan(0);
    expect(usage.body.byModel.map((m: { model: string }) => m.model)).toContainEqual(expect.stringMatching(/^runpod\/.*Qwen2\.5-0\.5B-Instruct$/));
  });

  it("needs a person signed in: 401 signed out, 403 for an API key", async () => {
    const anonymous = new Browser();
    for (const [method, path, body] of [
      ["POST", "/api/playground/chat", { model, messages: [{ role: "user", content: "hi" }] }],
      ["GET", "/api/playground/models", undefined],
    ] as const) {
      const res = await apiCall(anonymous, method, path, body);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    const key = (await apiCall(alice, "POST", "/api/keys", { name: "not for the playground" })).body.key as string;
    const withKey = await chat(new Browser(), { model, messages: [{ role: "user", content: "hi" }] }, { authorization: `Bearer ${key}` });
    expect(withKey.status).toBe(403);
    expect(withKey.body.error.code).toBe("session_required");
  });

  it("a member of another workspace cannot spend this one", async () => {
    const mallory = await signUp(uniqueEmail("play-mallory"));
    const before = (await apiCall(alice, "GET", "/api/usage")).body.usedTokens as number;
    const res = await chat(mallory, { model, messages: [{ role: "user", content: "on alice's budget" }] }, { "x-workspace-id": aliceWs });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("workspace_not_found");
    // Her own workspace has no such deployment: the bridge's own answer.
    const own = await chat(mallory, { model, messages: [{ role: "user", content: "hi" }] });
    expect(own.status).toBe(404);
    expect(own.body.error).toMatchObject({ code: "model_not_found" });
    expect(own.body.error.message).toContain("No ready deployment named 'play-qwen'");
    expect((await apiCall(alice, "GET", "/api/usage")).body.usedTokens).toBe(before);
  });

  it("members of a team spend the team's budget; viewers may look but not chat", async () => {
    const admin = await operatorAccount();
    const [dev, viv] = await Promise.all([signUp(uniqueEmail("play-dev")), signUp(uniqueEmail("play-viv"))]);
    const created = await alice.browser.post("/api/auth/organization/create", { name: "Play Team", slug: `play-team-${Date.now().toString(36)}` });
    expect(created.status).toBe(200);
    const teamId = ((await created.json()) as { id: string }).id;
    // Creating a workspace makes it the active one; the other tests here act in alice's personal one.
    expect((await alice.browser.post("/api/auth/organization/set-active", { organizationId: aliceWs })).status).toBe(200);
    await inviteAndAccept(alice, teamId, dev, "member");
    await inviteAndAccept(alice, teamId, viv, "viewer");
    expect((await apiCall(admin, "PUT", `/api/admin/orgs/${teamId}/plan`, { plan: "pro" })).status).toBe(200);
    const team = { "x-workspace-id": teamId };
    const body = { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "On the team's budget" }] };

    const ok = await chat(dev, body, team);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.headers.get("x-provider")).toBe("openai");
    await until(
      () => apiCall(dev, "GET", "/api/usage", undefined, team),
      (r) => r.body?.usedTokens > 0,
      10_000,
      200,
    );

    const viewer = await chat(viv, body, team);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error).toMatchObject({ code: "forbidden" });
    expect(viewer.body.error.message).toContain("(viewer) may not call models");
    expect((await apiCall(viv, "GET", "/api/playground/models", undefined, team)).status).toBe(200);
  });

  it("refuses bad bodies with {error: {code, message}} and each problem", async () => {
    const notJson = await alice.browser.fetch("/api/playground/chat", { method: "POST", body: "{nope", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe("invalid_json");

    for (const [body, path] of [
      [{ messages: [{ role: "user", content: "hi" }] }, "model"],
      [{ model }, "messages"],
      [{ model, messages: [] }, "messages"],
      [{ model, messages: [{ role: "user", content: "   " }] }, "messages"],
      [{ model, messages: [{ role: "tool", content: "hi" }] }, "messages.0.role"],
      [{ model, messages: [{ role: "user", content: "hi" }], temperature: 5 }, "temperature"],
      [{ model, messages: [{ role: "user", content: "hi" }], max_tokens: 0 }, "max_tokens"],
      [{ model, messages: [{ role: "user", content: "hi" }], stream: "yes" }, "stream"],
      [{ model, messages: [{ role: "user", content: "hi" }], tools: [] }, ""],
    ] as const) {
      const res = await chat(alice, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.body.error.message).toBe("Invalid chat request");
      expect(res.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(res.body)).toContain(path);
    }
  });

  it("an unknown model is the bridge's refusal, in the API's {error: {code, message}}", async () => {
    const res = await chat(alice, { model: "no-such-model-anywhere", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("model_not_found");
    expect(res.body.error.message).toContain("The model 'no-such-model-anywhere' does not exist");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("an exhausted budget is the 429 with the plan's sentence", async () => {
    const admin = await operatorAccount();
    const carol = await signUp(uniqueEmail("play-carol"));
    const ws = (await me(carol.browser)).workspaces[0]!.id;
    const set = await apiCall(admin, "PUT", `/api/admin/orgs/${ws}/plan`, { plan: "enterprise", monthlyTokens: 5 });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const res = await chat(carol, { model: "openai/gpt-4o-mini", stream: true, messages: [{ role: "user", content: "a question longer than five tokens, surely" }] });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe("insufficient_quota");
    expect(res.body.error.message).toMatch(/Enterprise plan/);
  });

  it("a Pro workspace compares a deployment with a Western model, each priced", async () => {
    const admin = await operatorAccount();
    expect((await apiCall(admin, "PUT", `/api/admin/orgs/${aliceWs}/plan`, { plan: "pro" })).status).toBe(200);
    const listed = (await apiCall(alice, "GET", "/api/playground/models")).body.models as { id: string; kind: string }[];
    expect(listed.find((m) => m.id === "openai/gpt-4o-mini")).toMatchObject({ kind: "western" });
    expect(listed.find((m) => m.id === "fallback-chat")).toMatchObject({ kind: "bridge" });
    const prompt = [{ role: "user", content: "Which is cheaper?" }];
    const [open, western] = await Promise.all([chat(alice, { model, messages: prompt }), chat(alice, { model: "openai/gpt-4o-mini", messages: prompt })]);
    expect(open.status, JSON.stringify(open.body)).toBe(200);
    expect(western.status, JSON.stringify(western.body)).toBe(200);
    expect(western.headers.get("x-provider")).toBe("openai");
    expect(Number(western.headers.get("x-cost-usd"))).toBeGreaterThan(0);
    expect(Number(open.headers.get("x-cost-usd"))).toBeGreaterThan(0);
  });
});
