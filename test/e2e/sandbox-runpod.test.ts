import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { until } from "./wait";
import { replyFor } from "../../workers/sandbox/lib/text";

/**
 * The RunPod stand-ins over real HTTP: REST v2 (control plane) with fetch, as RunPod ships no JS SDK we
 * use, and the serverless runtime's OpenAI-compatible route with the official `openai` SDK.
 */
const sandbox = inject("sandboxUrl");
const REST = `${sandbox}/runpod/v2`;
const RUNTIME = `${sandbox}/runpod-ai/v2`;
const KEY = "rpa_sandbox_test_key";

type Json = any;

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }) {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? (JSON.parse(text) as Json) : null };
}

const rest = (method: string, path: string, body?: unknown) => call(method, `${REST}${path}`, body);
const runtime = (method: string, path: string, body?: unknown) => call(method, `${RUNTIME}${path}`, body, { authorization: KEY });

async function setReadyDelay(ms: number) {
  const res = await call("PATCH", `${sandbox}/_control/settings`, { runpodReadyDelayMs: ms }, {});
  expect(res.status).toBe(200);
}

let counter = 0;
function endpointBody(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    name: `rp-e2e-${counter}`,
    image: "runpod/worker-v1-vllm:v2.25.2",
    type: "QUEUE",
    gpu: { pools: ["ADA_24"], count: 1 },
    workers: { min: 0, max: 2, idleTimeout: 5 },
    scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
    env: { MODEL_NAME: `acme/model-${counter}` },
    ...overrides,
  };
}

async function createEndpoint(overrides: Record<string, unknown> = {}) {
  const res = await rest("POST", "/serverless", endpointBody(overrides));
  expect(res.status).toBe(201);
  return res.body as Json;
}

/** Cold start of a scaled-to-zero endpoint in these tests (FlashBoot: a quarter, priority: an eighth). */
const COLD_MS = 800;
let original = { runpodReadyDelayMs: 3000, runpodColdStartMs: 2000 };
beforeAll(async () => {
  const { runpodReadyDelayMs, runpodColdStartMs } = (await call("GET", `${sandbox}/_control/settings`, undefined, {})).body as Json;
  original = { runpodReadyDelayMs, runpodColdStartMs };
  await setReadyDelay(0);
  expect((await call("PATCH", `${sandbox}/_control/settings`, { runpodColdStartMs: COLD_MS }, {})).status).toBe(200);
});
// Settings are sandbox-wide: put back what other test files expect. Tests that depend on the boot delay
// live in this one file, as files run in parallel against one sandbox.
afterAll(async () => {
  await call("PATCH", `${sandbox}/_control/settings`, original, {});
});

describe("RunPod REST v2: serverless endpoints", () => {
  it("creates an endpoint: 201 with every Endpoint field and rate-limit headers", async () => {
    const body = endpointBody({ dataCenterIds: ["US-KS-2"], timeout: 120000, flashboot: "FLASHBOOT", ports: ["8000/http"] });
    const res = await rest("POST", "/serverless", body);
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("ratelimit")).toMatch(/^"minute";r=\d+;t=\d+, "hour";r=\d+;t=\d+, "day";r=\d+;t=\d+$/);
    expect(res.headers.get("ratelimit-policy")).toBe(`"minute";q=60;w=60, "hour";q=3000;w=3600, "day";q=50000;w=86400`);
    const id = res.body.id as string;
    expect(id).toMatch(/^[a-z0-9]{14}$/);
    const urls = `${RUNTIME}/${id}`;
    expect(res.body).toEqual({
      id,
      name: body.name,
      type: "QUEUE",
      requestUrls: {
        run: `${urls}/run`,
        runSync: `${urls}/runsync`,
        status: `${urls}/status/{job_id}`,
        stream: `${urls}/stream/{job_id}`,
        cancel: `${urls}/cancel/{job_id}`,
        retry: `${urls}/retry/{job_id}`,
        purgeQueue: `${urls}/purge-queue`,
        health: `${urls}/health`,
      },
      image: "runpod/worker-v1-vllm:v2.25.2",
      args: "",
      disk: 20,
      ports: ["8000/http"],
      env: body.env,
      registry: null,
      gpu: { pools: ["ADA_24"], count: 1, allowedCudaVersions: [], minCudaVersion: null },
      workers: { min: 0, max: 2, idleTimeout: 5 },
      scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
      dataCenterIds: ["US-KS-2"],
      networkVolumes: [],
      timeout: 120000,
      flashboot: "FLASHBOOT",
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
  });

  it("gets, lists (wrapped, oldest first), patches only the given fields, deletes with 204", async () => {
    const a = await createEndpoint();
    const b = await createEndpoint();
    expect((await rest("GET", `/serverless/${a.id}`)).body).toEqual(a);

    const list = await rest("GET", "/serverless");
    expect(list.status).toBe(200);
    expect(Object.keys(list.body)).toEqual(["endpoints"]);
    const ids = (list.body.endpoints as Json[]).map((e) => e.id);
    expect(ids.indexOf(a.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(b.id)).toBeGreaterThan(ids.indexOf(a.id));

    const patched = await rest("PATCH", `/serverless/${a.id}`, { workers: { max: 10 }, scaling: { type: "QUEUE_DELAY", queueDelay: 8 }, name: "renamed" });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...a, name: "renamed", workers: { min: 0, max: 10, idleTimeout: 5 }, scaling: { type: "QUEUE_DELAY", queueDelay: 8 } });
    expect((await rest("GET", `/serverless/${a.id}`)).body.name).toBe("renamed");

    const del = await rest("DELETE", `/serverless/${a.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    const gone = await rest("GET", `/serverless/${a.id}`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get("content-type")).toContain("application/problem+json");
    expect(gone.body).toEqual({ title: "Not Found", status: 404, detail: "resource not found" });
    expect((await rest("DELETE", `/serverless/${a.id}`)).status).toBe(404);
    expect((await rest("PATCH", `/serverless/${a.id}`, { name: "x" })).status).toBe(404);
  });

  it("answers validation failures with 422 problem+json listing each error", async () => {
    const res = await rest("POST", "/serverless", { ...endpointBody(), bogus: true });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toEqual({ title: "Unprocessable Entity", status: 422, detail: "Request validation failed.", errors: ["$: additional properties 'bogus' not allowed"] });

    const many = await rest("POST", "/serverless", { name: "", type: "QUEUE", scaling: { type: "QUEUE_DELAY", queueDelay: 0 }, gpu: { pools: ["ADA_24"] }, image: "x" });
    expect(many.status).toBe(422);
    expect(many.body.errors).toEqual(["$.name: minLength: got 0, want 1", "$.scaling.queueDelay: minimum: got 0, want 0.5"]);

    const lb = await rest("POST", "/serverless", endpointBody({ type: "LOAD_BALANCER" }));
    expect(lb.body.errors).toEqual(['$.scaling.type: value must be "REQUEST_COUNT"']);

    const { type: _t, scaling: _s, ...missing } = endpointBody();
    expect((await rest("POST", "/serverless", missing)).body.errors).toEqual(["$: missing properties 'type', 'scaling'"]);

    const created = await createEndpoint();
    const typeChange = await rest("PATCH", `/serverless/${created.id}`, { type: "LOAD_BALANCER" });
    expect(typeChange.status).toBe(422);
    expect(typeChange.body.errors).toEqual(["$: additional properties 'type' not allowed"]);
  });

  it("answers rule violations with 400 and malformed JSON with 400", async () => {
    const pool = await rest("POST", "/serverless", endpointBody({ gpu: { pools: ["H100_NOPE"] } }));
    expect(pool.status).toBe(400);
    expect(pool.body).toMatchObject({ title: "Bad Request", status: 400, detail: expect.stringContaining("unknown GPU pool 'H100_NOPE'") });
    const cuda = await rest("POST", "/serverless", endpointBody({ gpu: { pools: ["ADA_24"], allowedCudaVersions: ["12.8"], minCudaVersion: "12.1" } }));
    expect(cuda.status).toBe(400);

    for (const path of ["/serverless", "/templates"]) {
      const bad = await rest("POST", path, "{not json");
      expect(bad.status).toBe(400);
      expect(bad.headers.get("content-type")).toContain("application/problem+json");
      expect(bad.body).toEqual({ title: "Bad Request", status: 400, detail: "request body is not valid JSON" });
    }
    const notObject = await rest("POST", "/serverless", "[1,2]");
    expect(notObject.status).toBe(422);
    expect(notObject.body.errors).toEqual(["$: got array, want object"]);
  });

  it("requires a bearer key (401 problem+json) and answers 405 for wrong methods", async () => {
    const none = await call("GET", `${REST}/serverless`, undefined, {});
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toContain("application/problem+json");
    expect(none.body).toEqual({ title: "Unauthorized", status: 401, detail: "missing bearer token" });
    expect((await call("GET", `${REST}/serverless`, undefined, { authorization: KEY })).status).toBe(401);
    expect((await call("GET", `${REST}/catalog/gpus`, undefined, { authorization: "Bearer " })).status).toBe(401);

    const put = await rest("PUT", "/serverless", {});
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST");
    expect(put.body.title).toBe("Method Not Allowed");
  });

  it("lists the workers of an endpoint with a summary", async () => {
    const ep = await createEndpoint({ workers: { min: 0, max: 3 } });
    const res = await rest("GET", `/serverless/${ep.id}/workers`);
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ running: 0, idle: 3, initializing: 0, throttled: 0, unhealthy: 0, total: 3 });
    expect(res.body.workers[0]).toMatchObject({ status: "IDLE", isStale: false, gpuCount: 1, gpuTypeId: "NVIDIA GeForce RTX 4090", image: ep.image });
  });
});

describe("RunPod REST v2: templates and the GPU catalog", () => {
  it("creates a serverless template and endpoints from it; a template in use cannot be deleted", async () => {
    const t = await rest("POST", "/templates", { name: "vllm-qwen", image: "runpod/worker-v1-vllm:v2.25.2", serverless: true, disk: 150, env: { MODEL_NAME: "Qwen/Qwen2.5-7B-Instruct", MAX_MODEL_LEN: "8192" } });
    expect(t.status).toBe(201);
    expect(t.body).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{10}$/),
      name: "vllm-qwen",
      image: "runpod/worker-v1-vllm:v2.25.2",
      args: "",
      disk: 150,
      mounts: {},
      ports: [],
      env: { MODEL_NAME: "Qwen/Qwen2.5-7B-Instruct", MAX_MODEL_LEN: "8192" },
      registry: null,
      serverless: true,
      public: false,
      category: "NVIDIA",
      startSsh: true,
      startJupyter: true,
      allowedCudaVersions: [],
    });
    const { image: _image, env: _env, ...noImage } = endpointBody();
    const ep = await rest("POST", "/serverless", { ...noImage, templateId: t.body.id, env: { MAX_MODEL_LEN: "4096" } });
    expect(ep.status).toBe(201);
    expect(ep.body).toMatchObject({ image: "runpod/worker-v1-vllm:v2.25.2", disk: 150, env: { MODEL_NAME: "Qwen/Qwen2.5-7B-Instruct", MAX_MODEL_LEN: "4096" } });
    expect((await rest("POST", "/serverless", { ...noImage, templateId: "nosuchtpl" })).status).toBe(404);

    const inUse = await rest("DELETE", `/templates/${t.body.id}`);
    expect(inUse.status).toBe(400);
    expect(inUse.body.detail).toBe("Template is in use by a pod or serverless endpoint and cannot be deleted");
    expect((await rest("GET", "/templates")).body.templates.map((x: Json) => x.id)).toContain(t.body.id);
    expect((await rest("PATCH", `/templates/${t.body.id}`, { name: "renamed" })).body).toMatchObject({ name: "renamed", disk: 150 });
    expect((await rest("DELETE", `/serverless/${ep.body.id}`)).status).toBe(204);
    expect((await rest("DELETE", `/templates/${t.body.id}`)).status).toBe(204);
    expect((await rest("GET", `/templates/${t.body.id}`)).status).toBe(404);
  });

  it("serves the GPU catalog with pools, VRAM and serverless prices", async () => {
    const res = await rest("GET", "/catalog/gpus");
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit")).toBeTruthy();
    const gpus = res.body.gpus as Json[];
    expect(gpus.find((g) => g.id === "NVIDIA GeForce RTX 4090")).toEqual({
      id: "NVIDIA GeForce RTX 4090",
      name: "RTX 4090",
      pool: "ADA_24",
      manufacturer: "NVIDIA",
      memory: 24,
      secure: true,
      community: true,
      price: { secure: 0.44, community: 0.31, serverless: 1.116 },
      maxCount: { secure: 8, community: 4 },
    });
    expect(gpus.find((g) => g.id === "NVIDIA A100 80GB PCIe")).toMatchObject({ pool: "AMPERE_80", memory: 80, price: { serverless: 2.736 } });
    expect(gpus.find((g) => g.id === "NVIDIA H200")).toMatchObject({ pool: "HOPPER_141", memory: 141, price: { serverless: 5.58 } });
    expect(new Set(gpus.map((g) => g.pool).filter(Boolean))).toEqual(
      new Set(["AMPERE_16", "AMPERE_24", "ADA_24", "ADA_32_PRO", "AMPERE_48", "ADA_48_PRO", "AMPERE_80", "ADA_80_PRO", "BLACKWELL_96", "HOPPER_141", "BLACKWELL_180"]),
    );
    const one = await rest("GET", `/catalog/gpus/${encodeURIComponent("NVIDIA L40S")}?include=AVAILABILITY&product=SERVERLESS`);
    expect(one.body).toMatchObject({ id: "NVIDIA L40S", pool: "ADA_48_PRO", availability: "HIGH" });
    expect((await rest("GET", "/catalog/gpus?include=AVAILABILITY")).status).toBe(400);
    expect((await rest("GET", "/catalog/gpus/NVIDIA%20TPU")).status).toBe(404);
  });
});

describe("RunPod serverless runtime", () => {
  it("reports workers initializing until the ready delay has passed, then ready", async () => {
    await setReadyDelay(300);
    const ep = await createEndpoint();
    await setReadyDelay(0);
    const first = await runtime("GET", `/${ep.id}/health`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      jobs: { completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 },
      workers: { idle: 0, initializing: 2, ready: 0, running: 0, throttled: 0, unhealthy: 0 },
    });
    expect((await rest("GET", `/serverless/${ep.id}/workers`)).body.summary.initializing).toBe(2);
    const ready = await until(() => runtime("GET", `/${ep.id}/health`), (r) => r.body.workers.initializing === 0, 10_000, 50);
    expect(ready.body.workers).toEqual({ idle: 2, initializing: 0, ready: 2, running: 0, throttled: 0, unhealthy: 0 });
  });

  it("answers 404 for an unknown endpoint and 401 without a key; takes the raw key or Bearer", async () => {
    const unknown = await runtime("GET", "/nosuchendpoint/health");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toContain("nosuchendpoint");
    const ep = await createEndpoint();
    const noKey = await call("GET", `${RUNTIME}/${ep.id}/health`, undefined, {});
    expect(noKey.status).toBe(401);
    expect(noKey.body).toEqual({ error: "Unauthorized" });
    expect((await call("GET", `${RUNTIME}/${ep.id}/health`, undefined, { authorization: `Bearer ${KEY}` })).status).toBe(200);
  });

  it("runs /runsync to completion with the vLLM worker's output", async () => {
    const ep = await createEndpoint();
    const model = ep.env.MODEL_NAME as string;
    const res = await runtime("POST", `/${ep.id}/runsync`, { input: { prompt: "What is RunPod?", sampling_params: { max_tokens: 200, temperature: 0 } } });
    expect(res.status).toBe(200);
    const text = replyFor("What is RunPod?", model);
    expect(res.body).toEqual({
      delayTime: expect.any(Number),
      executionTime: expect.any(Number),
      id: expect.stringMatching(/^sync-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      output: [{ choices: [{ tokens: [text] }], usage: { input: 4, output: Math.ceil(text.length / 4) } }],
      status: "COMPLETED",
      workerId: expect.stringMatching(/^[a-z0-9]{14}$/),
    });
    // Same request, same answer; default max_tokens (16) cuts the reply short, as vLLM does.
    const again = await runtime("POST", `/${ep.id}/runsync`, { input: { prompt: "What is RunPod?", sampling_params: { max_tokens: 200, temperature: 0 } } });
    expect(again.body.output).toEqual(res.body.output);
    const short = await runtime("POST", `/${ep.id}/runsync`, { input: { messages: [{ role: "user", content: "What is RunPod?" }] } });
    expect(short.body.output[0].usage.output).toBeLessThanOrEqual(16);
    expect(text.startsWith(short.body.output[0].choices[0].tokens[0])).toBe(true);
  });

  it("queues /run jobs while workers initialize and completes them once ready; /status follows", async () => {
    await setReadyDelay(300);
    const ep = await createEndpoint();
    await setReadyDelay(0);
    const run = await runtime("POST", `/${ep.id}/run`, { input: { prompt: "queued please", sampling_params: { max_tokens: 100 } } });
    expect(run.status).toBe(200);
    expect(run.body).toEqual({ id: expect.stringMatching(/-u1$/), status: "IN_QUEUE" });
    expect((await runtime("GET", `/${ep.id}/status/${run.body.id}`)).body).toEqual({ id: run.body.id, status: "IN_QUEUE" });
    expect((await runtime("GET", `/${ep.id}/health`)).body.jobs.inQueue).toBe(1);
    const done = await until(() => runtime("GET", `/${ep.id}/status/${run.body.id}`), (r) => r.body.status === "COMPLETED", 10_000, 50);
    expect(done.body).toMatchObject({ id: run.body.id, status: "COMPLETED", output: [{ choices: [{ tokens: [replyFor("queued please", ep.env.MODEL_NAME)] }] }] });
    expect(done.body.delayTime).toBeGreaterThan(100);
    expect((await runtime("GET", `/${ep.id}/stream/${run.body.id}`)).body).toEqual({ status: "COMPLETED", stream: [{ output: done.body.output[0] }] });
    expect((await runtime("GET", `/${ep.id}/health`)).body.jobs).toMatchObject({ completed: 1, inQueue: 0 });
    expect((await runtime("GET", `/${ep.id}/status/nosuchjob`)).status).toBe(404);
  });

  it("returns a non-terminal job from /runsync when ?wait runs out, and cancels and purges queued jobs", async () => {
    await setReadyDelay(5000);
    const ep = await createEndpoint();
    await setReadyDelay(0);
    const started = Date.now();
    const sync = await runtime("POST", `/${ep.id}/runsync?wait=1000`, { input: { prompt: "slow" } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sync.body).toEqual({ id: expect.stringMatching(/^sync-/), status: "IN_QUEUE" });

    const a = await runtime("POST", `/${ep.id}/run`, { input: { prompt: "a" } });
    const cancel = await runtime("POST", `/${ep.id}/cancel/${a.body.id}`);
    expect(cancel.body).toEqual({ id: a.body.id, status: "CANCELLED" });
    expect((await runtime("GET", `/${ep.id}/status/${a.body.id}`)).body.status).toBe("CANCELLED");
    await runtime("POST", `/${ep.id}/run`, { input: { prompt: "b" } });
    const purge = await runtime("POST", `/${ep.id}/purge-queue`);
    expect(purge.body).toEqual({ removed: 2, status: "completed" });
    expect((await runtime("GET", `/${ep.id}/health`)).body.jobs.inQueue).toBe(0);
  });

  it("refuses a job without input and malformed JSON with 400", async () => {
    const ep = await createEndpoint();
    expect((await runtime("POST", `/${ep.id}/run`, { prompt: "no input wrapper" })).status).toBe(400);
    const bad = await runtime("POST", `/${ep.id}/runsync`, "{oops");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBeTruthy();
  });
});

describe("RunPod OpenAI-compatible route through the official SDK", () => {
  const client = (id: string, maxRetries = 0) => new OpenAI({ baseURL: `${RUNTIME}/${id}/openai/v1`, apiKey: KEY, maxRetries });

  it("lists the served model and answers chat completions (JSON)", async () => {
    const ep = await createEndpoint({ env: { MODEL_NAME: "Qwen/Qwen2.5-7B-Instruct", OPENAI_SERVED_MODEL_NAME_OVERRIDE: "qwen-chat" } });
    const openai = client(ep.id);
    const models = await openai.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["qwen-chat"]);
    expect(models.data[0]!.owned_by).toBe("vllm");

    const completion = await openai.chat.completions.create({ model: "qwen-chat", messages: [{ role: "user", content: "Say hi" }] });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("qwen-chat");
    expect(completion.choices[0]!.message.content).toBe(replyFor("Say hi", "qwen-chat"));
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);

    await expect(openai.chat.completions.create({ model: "Qwen/Qwen2.5-7B-Instruct", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 404 });
  });

  it("streams chat completions", async () => {
    const ep = await createEndpoint({ env: { MODEL_NAME: "meta-llama/Llama-3.1-8B-Instruct" } });
    const stream = await client(ep.id).chat.completions.create({
      model: "meta-llama/Llama-3.1-8B-Instruct",
      messages: [{ role: "user", content: "Stream a reply" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe(replyFor("Stream a reply", "meta-llama/Llama-3.1-8B-Instruct"));
    expect(finish).toBe("stop");
  });

  it("holds requests to a cold endpoint until its workers are ready; 404 for unknown endpoints, 401 without key", async () => {
    await setReadyDelay(400);
    const ep = await createEndpoint();
    await setReadyDelay(0);
    const started = Date.now();
    const completion = await client(ep.id).chat.completions.create({ model: ep.env.MODEL_NAME, messages: [{ role: "user", content: "cold" }] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(completion.choices[0]!.message.content).toBe(replyFor("cold", ep.env.MODEL_NAME));

    await expect(client("nosuchendpoint").models.list()).rejects.toMatchObject({ status: 404 });
    const noKey = await call("GET", `${RUNTIME}/${ep.id}/openai/v1/models`, undefined, {});
    expect(noKey.status).toBe(401);
  });

  it("answers 503 when an endpoint has no workers at all; load balancers only expose their health check", async () => {
    const none = await createEndpoint({ workers: { min: 0, max: 0 } });
    await expect(client(none.id).chat.completions.create({ model: none.env.MODEL_NAME, messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 503 });
    expect((await runtime("GET", `/${none.id}/health`)).body.workers).toMatchObject({ idle: 0, initializing: 0, ready: 0 });

    const lb = await createEndpoint({ type: "LOAD_BALANCER", scaling: { type: "REQUEST_COUNT", requestCount: 4 } });
    expect(lb.requestUrls).toEqual({ base: `${RUNTIME}/${lb.id}`, health: `${RUNTIME}/${lb.id}/ping` });
    expect((await runtime("GET", `/${lb.id}/ping`)).body).toEqual({ status: "healthy" });
    expect((await runtime("POST", `/${lb.id}/run`, { input: {} })).status).toBe(404);
  });
});

describe("RunPod fault injection", () => {
  it("answers an injected 429 on the REST API with Retry-After in RunPod's problem shape", async () => {
    const ep = await createEndpoint();
    const fault = await call("POST", `${sandbox}/_control/faults`, { service: "runpod", match: { path: `/serverless/${ep.id}` }, status: 429, retryAfterSeconds: 7, message: "rate limit exceeded for the minute window", times: 1 }, {});
    expect(fault.status).toBe(201);
    const limited = await rest("GET", `/serverless/${ep.id}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.headers.get("content-type")).toContain("application/problem+json");
    expect(limited.body).toEqual({ title: "Too Many Requests", status: 429, detail: "rate limit exceeded for the minute window" });
    expect((await rest("GET", `/serverless/${ep.id}`)).status).toBe(200);
  });

  it("surfaces an injected 503 on the OpenAI route as an SDK error", async () => {
    const ep = await createEndpoint({ env: { MODEL_NAME: "fault/runpod-e2e-503" } });
    await call("POST", `${sandbox}/_control/faults`, { service: "runpod-serverless", match: { model: "fault/runpod-e2e-503" }, status: 503, times: 1 }, {});
    const openai = client(ep.id);
    await expect(openai.chat.completions.create({ model: "fault/runpod-e2e-503", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 503 });
    const ok = await openai.chat.completions.create({ model: "fault/runpod-e2e-503", messages: [{ role: "user", content: "x" }] });
    expect(ok.choices[0]!.message.content).toBe(replyFor("x", "fault/runpod-e2e-503"));
  });

  function client(id: string) {
    return new OpenAI({ baseURL: `${RUNTIME}/${id}/openai/v1`, apiKey: KEY, maxRetries: 0 });
  }
});

describe("RunPod scale to zero and cold starts", () => {
  const none = { idle: 0, initializing: 0, ready: 0, running: 0, throttled: 0, unhealthy: 0 };
  const health = (id: string) => runtime("GET", `/${id}/health`);
  /** Polls /health (which wakes nothing) until the endpoint has scaled to zero: idleTimeout 1 s after its last activity. */
  async function scaledToZero(id: string) {
    const res = await until(() => health(id), (r) => r.body.workers.idle === 0 && r.body.workers.initializing === 0, 5000, 50);
    expect(res.body.workers).toEqual(none);
    return res;
  }
  const flex = (overrides: Record<string, unknown> = {}) => createEndpoint({ workers: { min: 0, max: 2, idleTimeout: 1 }, ...overrides });

  it("stops idle flex workers after idleTimeout; the next job cold-starts one, seen in /health and in its delay", async () => {
    const ep = await flex();
    expect((await health(ep.id)).body.workers).toMatchObject({ idle: 2, ready: 2 });
    const down = await scaledToZero(ep.id);
    expect(down.body.jobs).toEqual({ completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 });
    const listing = await rest("GET", `/serverless/${ep.id}/workers`);
    expect(listing.body).toMatchObject({ workers: [], summary: { running: 0, idle: 0, initializing: 0, total: 0 } });

    const started = Date.now();
    const pending = runtime("POST", `/${ep.id}/runsync`, { input: { prompt: "wake up" } });
    const starting = await until(() => health(ep.id), (r) => r.body.workers.initializing === 1, 2000, 20);
    expect(starting.body).toEqual({ jobs: { completed: 0, failed: 0, inProgress: 0, inQueue: 1, retried: 0 }, workers: { ...none, initializing: 1 } });
    // A second job meanwhile joins the same cold start rather than starting another worker.
    const second = await runtime("POST", `/${ep.id}/run`, { input: { prompt: "me too" } });
    expect(second.body.status).toBe("IN_QUEUE");
    expect((await health(ep.id)).body.workers.initializing).toBe(1);
    expect((await rest("GET", `/serverless/${ep.id}/workers`)).body.workers).toEqual([expect.objectContaining({ status: "INITIALIZING", startedAt: null })]);

    const sync = await pending;
    expect(Date.now() - started).toBeGreaterThanOrEqual(COLD_MS - 50);
    expect(sync.body).toMatchObject({ status: "COMPLETED", output: [{ choices: [{ tokens: [expect.stringContaining("wake up")] }] }] });
    expect(sync.body.delayTime).toBeGreaterThan(COLD_MS - 100);
    expect(sync.body.delayTime).toBeLessThanOrEqual(COLD_MS);
    const after = await until(() => runtime("GET", `/${ep.id}/status/${second.body.id}`), (r) => r.body.status === "COMPLETED", 2000, 20);
    expect(after.body.delayTime).toBeLessThanOrEqual(COLD_MS);
    expect((await health(ep.id)).body.workers).toEqual({ ...none, idle: 1, ready: 1 });
    expect((await rest("GET", `/serverless/${ep.id}/workers`)).body.workers).toEqual([expect.objectContaining({ status: "IDLE", gpuTypeId: "NVIDIA GeForce RTX 4090" })]);
    await scaledToZero(ep.id);
  });

  it("holds an OpenAI-route call to a scaled-down endpoint for the cold start; a warm worker answers at once", async () => {
    const ep = await flex();
    const openai = new OpenAI({ baseURL: `${RUNTIME}/${ep.id}/openai/v1`, apiKey: KEY, maxRetries: 0 });
    const ask = async () => {
      const started = Date.now();
      const completion = await openai.chat.completions.create({ model: ep.env.MODEL_NAME, messages: [{ role: "user", content: "cold or warm" }] });
      expect(completion.choices[0]!.message.content).toBe(replyFor("cold or warm", ep.env.MODEL_NAME));
      return Date.now() - started;
    };
    await scaledToZero(ep.id);
    expect(await ask()).toBeGreaterThanOrEqual(COLD_MS - 50);
    expect(await ask()).toBeLessThan(COLD_MS / 2);
    expect((await health(ep.id)).body.workers).toMatchObject({ idle: 1, initializing: 0 });
  });

  it("shortens cold starts with FlashBoot (a quarter) and priority FlashBoot (an eighth)", async () => {
    for (const [flashboot, expected] of [["FLASHBOOT", COLD_MS / 4], ["PRIORITY_FLASHBOOT", COLD_MS / 8]] as const) {
      const ep = await flex({ flashboot });
      await scaledToZero(ep.id);
      const started = Date.now();
      const res = await runtime("POST", `/${ep.id}/runsync`, { input: { prompt: "flash" } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(expected - 50);
      expect(res.body.status).toBe("COMPLETED");
      expect(res.body.delayTime).toBeGreaterThan(expected - 60);
      expect(res.body.delayTime).toBeLessThanOrEqual(expected);
    }
  });

  it("keeps workers.min warm however long it idles; PATCHing workers.min takes effect at once", async () => {
    const ep = await createEndpoint({ workers: { min: 1, max: 2, idleTimeout: 1 } });
    expect((await health(ep.id)).body.workers.idle).toBe(2);
    // The flex worker idles out; the active one stays.
    const settled = await until(() => health(ep.id), (r) => r.body.workers.idle === 1, 5000, 50);
    expect(settled.body.workers).toEqual({ ...none, idle: 1, ready: 1 });
    await new Promise((r) => setTimeout(r, 1200));
    expect((await health(ep.id)).body.workers).toEqual({ ...none, idle: 1, ready: 1 });
    const job = await runtime("POST", `/${ep.id}/runsync`, { input: { prompt: "no wait" } });
    expect(job.body.delayTime).toBeLessThan(100);
    await new Promise((r) => setTimeout(r, 1100));

    expect((await rest("PATCH", `/serverless/${ep.id}`, { workers: { min: 0 } })).status).toBe(200);
    expect((await health(ep.id)).body.workers).toEqual(none);
    expect((await rest("GET", `/serverless/${ep.id}/workers`)).body.summary.total).toBe(0);
    const patched = await rest("PATCH", `/serverless/${ep.id}`, { workers: { min: 1 } });
    expect(patched.body.workers).toEqual({ min: 1, max: 2, idleTimeout: 1 });
    expect(patched.body).not.toHaveProperty("lastActiveAt");
    expect((await health(ep.id)).body.workers).toEqual({ ...none, idle: 1, ready: 1 });
    expect((await runtime("POST", `/${ep.id}/runsync`, { input: { prompt: "still no wait" } })).body.delayTime).toBeLessThan(100);
  });
});
