import OpenAI from "openai";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, signUp, signUpOnPlan, uniqueEmail, type SignedUp } from "./auth-client";
import { deployReady } from "./deploy-ready";

/**
 * Capability routing over real HTTP with the official openai SDK: `auto…` names pick the cheapest healthy
 * target among the workspace's deployment (on the RunPod stand-in) and the Western stand-ins its plan
 * serves, say why in x-route-reason, fall back when the choice fails, and report savings as any call.
 */
const platform = inject("platformUrl");
const sandbox = inject("sandboxUrl");
const DEPLOYED = "HuggingFaceTB/SmolLM2-135M-Instruct";
let owner: SignedUp & { workspaceId: string };
let client: OpenAI;

beforeAll(async () => {
  owner = await signUpOnPlan("auto-route", "pro");
  await deployReady(owner, { model: DEPLOYED, name: "auto-smol" });
  const key = (await apiCall(owner, "POST", "/api/keys", { name: "auto" })).body.key as string;
  client = new OpenAI({ baseURL: `${platform}/v1`, apiKey: key, maxRetries: 0 });
}, 60_000);

const ask = (model: string, headers: Record<string, string> = {}) =>
  client.chat.completions.create({ model, max_tokens: 20, messages: [{ role: "user", content: `route me (${model})` }] }, { headers }).withResponse();

describe("auto routing", () => {
  it("auto picks the workspace's own deployment, the cheapest, and measures the saving against gpt-4o", async () => {
    const { data, response } = await ask("auto");
    expect(response.headers.get("x-provider")).toBe("runpod");
    expect(response.headers.get("x-deployment")).toBe("auto-smol");
    expect(response.headers.get("x-route-reason")).toMatch(/^auto -> runpod\/auto-smol: cheapest at \$[\d.]+\/M of \d+ meeting chat; next /);
    expect(Number(response.headers.get("x-savings-usd"))).toBeGreaterThan(0);
    expect(data.choices[0]!.message.content).toBeTruthy();
  });

  it("a quality floor sends it to the cheapest Western model that meets it; a price ceiling is honoured", async () => {
    const floor = await ask("auto", { "x-route-min-quality": "3" });
    expect(floor.response.headers.get("x-provider")).toBe("google");
    expect(floor.response.headers.get("x-model")).toBe("gemini-2.0-flash");
    const capped = await ask("auto:code", { "x-route-min-quality": "4", "x-route-max-price": "0.7" });
    expect(capped.response.headers.get("x-route-reason")).toContain("auto:code -> openai/gpt-5-mini");
    const none = await ask("auto:reasoning", { "x-route-min-quality": "5", "x-route-max-price": "0.5" }).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(OpenAI.NotFoundError);
    expect((none as Error).message).toContain("No model this workspace may call meets auto:reasoning (reasoning, quality >= 5, <= $0.5000/M)");
  });

  it("falls back to the runner-up when the chosen target fails", async () => {
    const rule = await fetch(`${sandbox}/_control/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: "gemini", match: { model: "gemini-2.0-flash" }, status: 503, times: 1 }),
    });
    expect(rule.ok, await rule.clone().text()).toBe(true);
    const { response } = await ask("auto", { "x-route-min-quality": "3" });
    expect(response.headers.get("x-provider")).toBe("openai");
    expect(response.headers.get("x-bridge-attempts")).toMatch(/^google\/gemini-2\.0-flash=503, openai\/gpt-4o-mini=200$/);
  });

  it("refuses an unknown class and bad constraints with 400; lists the auto names in /v1/models", async () => {
    const unknown = await ask("auto:poetry").catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = await ask("auto", { "x-route-min-quality": "9" }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as Error).message).toContain("x-route-min-quality must be an integer from 1 to 5");
    const ids = (await client.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["auto", "auto:code", "auto:reasoning", "auto:cheap", "auto:fast"]));
  });

  it("on Free, considers only what the plan serves", async () => {
    const free = await signUp(uniqueEmail("auto-free"));
    const key = (await apiCall(free, "POST", "/api/keys", { name: "auto" })).body.key as string;
    const err = await new OpenAI({ baseURL: `${platform}/v1`, apiKey: key, maxRetries: 0 }).chat.completions.create({ model: "auto", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as Error).message).toContain("deploy one, relax the constraints, or name a model");
  });
});
