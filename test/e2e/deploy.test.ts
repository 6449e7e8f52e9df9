import OpenAI from "openai";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, signUp, uniqueEmail, type SignedUp } from "./auth-client";
import { until } from "./wait";

/**
 * One-tap deploys through the running platform, as the PWA and a developer use them: price a model, tap
 * deploy, watch it come up, chat with it through the official openai SDK as runpod/<name>, delete it.
 * RunPod and the Hub are the sandbox stand-ins, reached over HTTP by the platform's real client code.
 */
const platform = inject("platformUrl");
const sandbox = inject("sandboxUrl");

let alice: SignedUp;
let aliceKey = "";

async function api(user: SignedUp, method: string, path: string, json?: unknown, headers: Record<string, string> = {}) {
  return apiCall(user, method, path, json, headers);
}

async function waitState(user: SignedUp, id: string, states: string[], ms = 30_000) {
  return until(
    () => api(user, "GET", `/api/deployments/${id}`),
    (r) => states.includes(r.body?.state),
    ms,
    200,
  );
}

beforeAll(async () => {
  alice = await signUp(uniqueEmail("deploy-alice"));
  aliceKey = (await api(alice, "POST", "/api/keys", { name: "deploy e2e" })).body.key;
});

describe("deploy estimate", () => {
  it("prices a model before the tap: per second, per hour, monthly range, per million tokens, against Western models", async () => {
    const res = await fetch(`${platform}/api/deployments/estimate?model=Qwen/Qwen2.5-7B-Instruct&workersMin=1&workersMax=3`);
    expect(res.status).toBe(200);
    const { plan, estimate } = (await res.json()) as { plan: Record<string, any>; estimate: Record<string, any> };
    expect(plan.engine).toBe("vllm");
    expect(plan.env).toBeUndefined(); // no env (it could hold secrets) in a public answer
    expect(estimate.perWorker.usdPerHour).toBeCloseTo(estimate.perWorker.usdPerSecond * 3600, 6);
    expect(estimate.monthly.minUsd).toBeGreaterThan(0); // one always-on worker
    expect(estimate.monthly.maxUsd).toBeCloseTo(estimate.monthly.minUsd * 3, 0);
    expect(estimate.perMillionTokens.usd).toBeGreaterThan(0);
    expect(estimate.comparison.length).toBeGreaterThan(0);
    for (const c of estimate.comparison) expect(typeof c.savingPercent).toBe("number");
  });

  it("explains why a model cannot be deployed, and refuses bad queries with a clear error", async () => {
    const image = await fetch(`${platform}/api/deployments/estimate?model=stabilityai/stable-diffusion-xl-base-1.0`);
    expect(image.status).toBe(422);
    expect(((await image.json()) as any).error.code).toBe("not_text_model");
    const huge = await fetch(`${platform}/api/deployments/estimate?model=deepseek-ai/DeepSeek-R1`);
    expect(huge.status).toBe(422);
    expect(((await huge.json()) as any).error.code).toBe("too_large");
    const missing = await fetch(`${platform}/api/deployments/estimate?model=nobody/no-such-model-here`);
    expect(missing.status).toBe(404);
    const bad = await fetch(`${platform}/api/deployments/estimate?model=not-a-repo-id&workersMax=zero`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe("invalid_request");
  });
});

describe("one-tap deploy", () => {
  it("taps to ready, chats as runpod/<name> through the openai SDK with cost headers, then deletes", async () => {
    const created = await api(alice, "POST", "/api/deployments", { model: "Qwen/Qwen2.5-0.5B-Instruct", scaling: { workersMin: 0, workersMax: 1 } });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    expect(created.body).toMatchObject({ name: "qwen2-5-0-5b-instruct", state: "planned", bridge: { model: "runpod/qwen2-5-0-5b-instruct" } });
    const id = created.body.id as string;

    // Live progress over server-sent events until ready.
    const sse = await alice.browser.fetch(`/api/deployments/${id}/events`);
    expect(sse.headers.get("content-type")).toContain("text/event-stream");
    const text = await sse.text();
    const states = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!).state).filter(Boolean);
    expect(states.at(-1)).toBe("ready");
    expect(states).toContain("initializing");

    const ready = await waitState(alice, id, ["ready"]);
    expect(ready.body.endpointId).toBeTruthy();
    expect(ready.body.steps.map((s: { state: string }) => s.state)).toEqual(["planned", "creating", "initializing", "ready"]);
    expect(ready.body.price.outputPerMillionUsd).toBeGreaterThan(0);

    const list = await api(alice, "GET", "/api/deployments");
    expect(list.body.deployments.map((d: { id: string }) => d.id)).toContain(id);

    const client = new OpenAI({ baseURL: `${platform}/v1`, apiKey: aliceKey, maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain("runpod/qwen2-5-0-5b-instruct");
    const { data, response } = await client.chat.completions.create({ model: "runpod/qwen2-5-0-5b-instruct", messages: [{ role: "user", content: "Hello deployed model" }] }).withResponse();
    expect(data.choices[0]!.message.content).toContain("Hello deployed model");
    expect(response.headers.get("x-provider")).toBe("runpod");
    expect(response.headers.get("x-deployment")).toBe("qwen2-5-0-5b-instruct");
    expect(response.headers.get("x-model")).toBe(`${ready.body.endpointId}/Qwen/Qwen2.5-0.5B-Instruct`);
    expect(Number(response.headers.get("x-cost-usd"))).toBeGreaterThan(0);

    const stream = await client.chat.completions.create({ model: "runpod/qwen2-5-0-5b-instruct", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Stream please" }] });
    let streamed = "";
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? "";
    expect(streamed).toContain("Stream please");

    const del = await api(alice, "DELETE", `/api/deployments/${id}`);
    expect(del.status).toBe(202);
    expect(["deleting", "deleted"]).toContain(del.body.state);
    const gone = await waitState(alice, id, ["deleted"]);
    expect(gone.body.steps.at(-1).state).toBe("deleted");
    const endpoints = (await (await fetch(`${sandbox}/runpod/v2/serverless`, { headers: { authorization: "Bearer sk-sandbox" } })).json()) as { endpoints: { id: string }[] };
    expect(endpoints.endpoints.some((e) => e.id === ready.body.endpointId)).toBe(false);
    await until(
      () => client.chat.completions.create({ model: "runpod/qwen2-5-0-5b-instruct", messages: [{ role: "user", content: "still there?" }] }).then(() => 200, (e: { status?: number }) => e.status ?? 0),
      (s) => s === 404,
      10_000,
      250,
    );
  }, 60_000);

  it("is idempotent on Idempotency-Key, names apart, and refuses what cannot be deployed", async () => {
    const key = `idem-${Date.now()}`;
    const body = { model: "Qwen/Qwen3-0.6B", scaling: { workersMin: 0, workersMax: 1 } };
    const [a, b] = await Promise.all([api(alice, "POST", "/api/deployments", body, { "idempotency-key": key }), api(alice, "POST", "/api/deployments", body, { "idempotency-key": key })]);
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    expect(a.body.id).toBe(b.body.id);
    const second = await api(alice, "POST", "/api/deployments", body);
    expect(second.status).toBe(202);
    expect(second.body.name).toBe("qwen3-0-6b-2");
    const taken = await api(alice, "POST", "/api/deployments", { ...body, name: "qwen3-0-6b" });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("name_taken");

    const gated = await api(alice, "POST", "/api/deployments", { model: "meta-llama/Llama-3.2-1B-Instruct" });
    expect(gated.status).toBe(422);
    expect(gated.body.error.code).toBe("gated_needs_token");
    const withToken = await api(alice, "POST", "/api/deployments", { model: "meta-llama/Llama-3.2-1B-Instruct", settings: { hfToken: "hf_test_token_abcdef" } });
    expect(withToken.status).toBe(202);
    expect(JSON.stringify(withToken.body)).not.toContain("hf_test_token_abcdef");

    for (const [bad, code] of [
      [{ model: "Qwen/Qwen3-0.6B", scaling: { workersMin: 3, workersMax: 1 } }, 422],
      [{ model: "Qwen/Qwen3-0.6B", gpu: "NO_SUCH_POOL" }, 422],
      [{ model: 42 }, 400],
      [{ model: "Qwen/Qwen3-0.6B", surprise: true }, 400],
      [{ model: "nobody/missing-model" }, 404],
    ] as const) {
      const r = await api(alice, "POST", "/api/deployments", bad);
      expect(r.status, JSON.stringify(bad)).toBe(code);
      expect(r.body.error.code).toBeTruthy();
    }
    const malformed = await alice.browser.fetch("/api/deployments", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(malformed.status).toBe(400);
    for (const id of [a.body.id, second.body.id, withToken.body.id]) await api(alice, "DELETE", `/api/deployments/${id}`);
  });

  it("keeps tenants apart: another workspace's deployment is a 404 everywhere, and its name does not route", async () => {
    const mine = await api(alice, "POST", "/api/deployments", { model: "HuggingFaceTB/SmolLM2-135M-Instruct", name: "alice-private" });
    expect(mine.status).toBe(202);
    await waitState(alice, mine.body.id, ["ready"]);
    const bob = await signUp(uniqueEmail("deploy-bob"));
    for (const [method, path, json] of [
      ["GET", `/api/deployments/${mine.body.id}`, undefined],
      ["GET", `/api/deployments/${mine.body.id}/events`, undefined],
      ["PATCH", `/api/deployments/${mine.body.id}`, { scaling: { workersMax: 5 } }],
      ["DELETE", `/api/deployments/${mine.body.id}`, undefined],
    ] as const) {
      const r = await api(bob, method, path, json);
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    expect((await api(bob, "GET", "/api/deployments")).body.deployments).toEqual([]);
    const bobKey = (await api(bob, "POST", "/api/keys", { name: "bob" })).body.key;
    const bobClient = new OpenAI({ baseURL: `${platform}/v1`, apiKey: bobKey, maxRetries: 0 });
    await expect(bobClient.chat.completions.create({ model: "runpod/alice-private", messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ status: 404 });
    // Nor can Bob reach Alice's endpoint by its RunPod id on the platform's account.
    const ready = await api(alice, "GET", `/api/deployments/${mine.body.id}`);
    await expect(bobClient.chat.completions.create({ model: `runpod/${ready.body.endpointId}/HuggingFaceTB/SmolLM2-135M-Instruct`, messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ status: 404 });

    // PATCH scaling reaches the endpoint.
    const patched = await api(alice, "PATCH", `/api/deployments/${mine.body.id}`, { scaling: { workersMin: 1, workersMax: 2 } });
    expect(patched.status).toBe(202);
    const applied = await until(() => api(alice, "GET", `/api/deployments/${mine.body.id}`), (r) => r.body.pendingScaling === null && r.body.scaling.workersMin === 1);
    expect(applied.body.scaling).toMatchObject({ workersMin: 1, workersMax: 2 });
    await api(alice, "DELETE", `/api/deployments/${mine.body.id}`);
  }, 60_000);
});

describe("cold starts", () => {
  it("a call to a deployment scaled to zero waits for its worker and says so in headers", async () => {
    const made = await api(alice, "POST", "/api/deployments", { model: "Qwen/Qwen3-0.6B", name: "sleepy", scaling: { workersMin: 0, workersMax: 1, idleTimeoutSeconds: 1 } });
    expect(made.status, JSON.stringify(made.body)).toBe(202);
    await waitState(alice, made.body.id, ["ready"]);
    const client = new OpenAI({ baseURL: `${platform}/v1`, apiKey: aliceKey, maxRetries: 0 });
    // Past the idle timeout (and the bridge's few-second view of worker health) the worker has stopped.
    await new Promise((r) => setTimeout(r, 3_500));
    const health = (await (await fetch(`${sandbox}/runpod-ai/v2/${(await api(alice, "GET", `/api/deployments/${made.body.id}`)).body.endpointId}/health`, { headers: { authorization: "Bearer sk-sandbox" } })).json()) as { workers: Record<string, number> };
    expect((health.workers.idle ?? 0) + (health.workers.running ?? 0)).toBe(0);
    const { data, response } = await client.chat.completions.create({ model: "runpod/sleepy", messages: [{ role: "user", content: "wake up" }] }).withResponse();
    expect(data.choices[0]!.message.content).toContain("wake up");
    expect(response.headers.get("x-cold-start")).toBe("true");
    expect(Number(response.headers.get("x-cold-start-ms"))).toBeGreaterThan(0);
    // Warm now: the next call does not wait.
    const warm = await client.chat.completions.create({ model: "runpod/sleepy", messages: [{ role: "user", content: "again" }] }).withResponse();
    expect(warm.response.headers.get("x-deployment")).toBe("sleepy");
    await api(alice, "DELETE", `/api/deployments/${made.body.id}`);
  }, 30_000);
});
