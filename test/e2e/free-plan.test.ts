import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall as api, me, operatorAccount, signUp, uniqueEmail, type SignedUp } from "./auth-client";

/**
 * The Free plan serves open models only (10k tokens a month): a Free workspace's call to a Western model
 * on the platform's keys is refused in the caller's dialect, naming the ways out; its own provider key
 * opens that provider; an upgrade opens everything at once.
 */
const platform = inject("platformUrl");
const sandbox = inject("sandboxUrl");
let user: SignedUp;
let workspaceId = "";
let key = "";

beforeAll(async () => {
  user = await signUp(uniqueEmail("free-plan"));
  workspaceId = (await me(user.browser)).workspaces[0]!.id;
  key = (await api(user, "POST", "/api/keys", { name: "free" })).body.key;
});

const openai = () => new OpenAI({ baseURL: `${platform}/v1`, apiKey: key, maxRetries: 0 });
/** Deployable, but downloaded 92,433 times in 30 days (the Hub stand-in's recorded figure): not "popular". */
const RARE = "deepseek-ai/deepseek-coder-1.3b-instruct";
const FREE_REFUSAL = /Free plan serves open models only.*runpod\/<name>.*own provider key.*upgrade to Pro/;

describe("the Free plan", () => {
  it("refuses Western models in each dialect with 403 and the ways out", async () => {
    const viaOpenAi = await openai()
      .chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(viaOpenAi).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((viaOpenAi as InstanceType<typeof OpenAI.PermissionDeniedError>).message).toMatch(FREE_REFUSAL);

    const viaAnthropic = await new Anthropic({ baseURL: platform, apiKey: key, maxRetries: 0 }).messages
      .create({ model: "claude-haiku-4-5", max_tokens: 50, messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(viaAnthropic).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect((viaAnthropic as InstanceType<typeof Anthropic.PermissionDeniedError>).error).toMatchObject({ type: "error", error: { type: "permission_error" } });

    const viaGemini = await fetch(`${platform}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: "POST",
      headers: { "x-goog-api-key": key, "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
    });
    expect(viaGemini.status).toBe(403);
    expect(((await viaGemini.json()) as { error: { status: string; message: string } }).error).toMatchObject({ status: "PERMISSION_DENIED", message: expect.stringMatching(FREE_REFUSAL) });

    const embeddings = await openai().embeddings.create({ model: "openai/text-embedding-3-small", input: "hi" }).catch((e: unknown) => e);
    expect(embeddings).toBeInstanceOf(OpenAI.PermissionDeniedError);

    // Nothing was spent on the refusals.
    expect((await api(user, "GET", "/api/usage")).body.usedTokens).toBe(0);
  });

  it("lists only what it may call in /v1/models, and its own key opens that provider alone", async () => {
    const before = await openai().models.list();
    expect(before.data.filter((m) => /^(openai|anthropic|google)\//.test(m.id))).toEqual([]);

    const own = await api(user, "PUT", "/api/provider-keys/openai", { apiKey: "sk-own-free-5678", baseUrl: `${sandbox}/openai/v1` });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const after = (await openai().models.list()).data.map((m) => m.id);
    expect(after).toContain("openai/gpt-4o-mini");
    expect(after.some((id) => id.startsWith("anthropic/"))).toBe(false);

    const { data, response } = await openai().chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "with my own key" }] }).withResponse();
    expect(data.choices[0]!.message.content).toContain("with my own key");
    expect(response.headers.get("x-bridge-credentials")).toBe("workspace");

    // A route mixing providers keeps what the plan serves and says what it skipped.
    expect((await api(user, "PUT", "/api/bridge", { rules: [{ match: "house-chat", targets: ["anthropic/claude-haiku-4-5", "openai/gpt-4o-mini"] }] })).status).toBe(200);
    const mixed = await openai().chat.completions.create({ model: "house-chat", messages: [{ role: "user", content: "mixed" }] }).withResponse();
    expect(mixed.response.headers.get("x-provider")).toBe("openai");
    expect(mixed.response.headers.get("x-bridge-warnings")).toContain("fallback to anthropic/claude-haiku-4-5 skipped: the Free plan serves open models only");
  });

  it("deploys popular open models only; the refusal names the model's downloads and changes nothing", async () => {
    const rare = await api(user, "POST", "/api/deployments", { model: RARE });
    expect(rare.status, JSON.stringify(rare.body)).toBe(403);
    expect(rare.body.error).toMatchObject({ code: "plan_required", message: expect.stringContaining(`downloaded 92,433 times in the last 30 days, so ${RARE} needs Pro or above`) });
    expect((await api(user, "GET", "/api/deployments")).body.deployments).toEqual([]);
    // Its estimate stays open to everyone: pricing is how people decide to upgrade.
    expect((await api(user, "GET", `/api/deployments/estimate?model=${encodeURIComponent(RARE)}`)).status).toBe(200);
  });

  it("serves every provider as soon as an operator moves the workspace to Pro", async () => {
    const operator = await operatorAccount();
    expect((await api(operator, "PUT", `/api/admin/orgs/${workspaceId}/plan`, { plan: "pro" })).status).toBe(200);
    const message = await new Anthropic({ baseURL: platform, apiKey: key, maxRetries: 0 }).messages.create({ model: "claude-haiku-4-5", max_tokens: 50, messages: [{ role: "user", content: "now on pro" }] });
    expect(message.content[0]).toMatchObject({ type: "text", text: expect.stringContaining("now on pro") });
    expect((await openai().models.list()).data.some((m) => m.id.startsWith("google/"))).toBe(true);
    // And deploys any model the planner accepts.
    const rare = await api(user, "POST", "/api/deployments", { model: RARE, scaling: { workersMin: 0, workersMax: 1 } });
    expect(rare.status, JSON.stringify(rare.body)).toBe(202);
    expect((await api(user, "DELETE", `/api/deployments/${rare.body.id}`)).status).toBeLessThan(300);
  });
});
