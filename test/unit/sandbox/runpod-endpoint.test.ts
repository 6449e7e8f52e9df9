import { describe, expect, it } from "vitest";
import { buildEndpoint, patchEndpoint, type EndpointRecord } from "../../../workers/sandbox/runpod/endpoint";
import { endpointView, servedModelNames } from "../../../workers/sandbox/runpod/endpoint-view";
import { createEndpointRequest, updateEndpointRequest, type CreateEndpointInput, type UpdateEndpointInput } from "../../../workers/sandbox/runpod/schemas";
import { buildTemplate, patchTemplate } from "../../../workers/sandbox/runpod/template";

const NOW = Date.parse("2026-06-01T12:00:00.123Z");
const create = (body: unknown) => createEndpointRequest.parse(body) as CreateEndpointInput;
const update = (body: unknown) => updateEndpointRequest.parse(body) as UpdateEndpointInput;
const base = { name: "llm", image: "runpod/worker-v1-vllm:v2.25.2", type: "QUEUE", gpu: { pools: ["ADA_24"] }, scaling: { type: "QUEUE_DELAY", queueDelay: 4 } };

function built(body: unknown, template?: ReturnType<typeof buildTemplate>): EndpointRecord {
  const r = buildEndpoint(create(body), { id: "ep1", seq: 1, now: NOW, readyDelayMs: 3000, template });
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

describe("RunPod endpoint records", () => {
  it("fills the spec defaults and answers every Endpoint field", () => {
    const view = endpointView(built(base), "http://sb/runpod-ai/v2");
    expect(view).toEqual({
      id: "ep1",
      name: "llm",
      type: "QUEUE",
      requestUrls: {
        run: "http://sb/runpod-ai/v2/ep1/run",
        runSync: "http://sb/runpod-ai/v2/ep1/runsync",
        status: "http://sb/runpod-ai/v2/ep1/status/{job_id}",
        stream: "http://sb/runpod-ai/v2/ep1/stream/{job_id}",
        cancel: "http://sb/runpod-ai/v2/ep1/cancel/{job_id}",
        retry: "http://sb/runpod-ai/v2/ep1/retry/{job_id}",
        purgeQueue: "http://sb/runpod-ai/v2/ep1/purge-queue",
        health: "http://sb/runpod-ai/v2/ep1/health",
      },
      image: "runpod/worker-v1-vllm:v2.25.2",
      args: "",
      disk: 20,
      ports: [],
      env: {},
      registry: null,
      gpu: { pools: ["ADA_24"], count: 1, allowedCudaVersions: [], minCudaVersion: null },
      workers: { min: 0, max: 3, idleTimeout: 10 },
      scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
      dataCenterIds: [],
      networkVolumes: [],
      timeout: 300000,
      flashboot: "OFF",
      createdAt: "2026-06-01T12:00:00Z",
    });
    expect(built(base).readyAt).toBe(NOW + 3000);
  });

  it("gives load balancers base + health URLs and omits idleTimeout for request-count queues", () => {
    const lb = built({ ...base, type: "LOAD_BALANCER", scaling: { type: "REQUEST_COUNT", requestCount: 2 }, env: { HEALTH_CHECK_PATH: "/healthz" } });
    expect(endpointView(lb, "http://sb/rp").requestUrls).toEqual({ base: "http://sb/rp/ep1", health: "http://sb/rp/ep1/healthz" });
    const rc = built({ ...base, scaling: { type: "REQUEST_COUNT", requestCount: 2 } });
    expect(endpointView(rc, "x").workers).toEqual({ min: 0, max: 3 });
    const bad = buildEndpoint(create({ ...base, scaling: { type: "REQUEST_COUNT", requestCount: 2 }, workers: { idleTimeout: 5 } }), { id: "e", seq: 1, now: NOW, readyDelayMs: 0 });
    expect(bad).toMatchObject({ ok: false, status: 422, errors: ["$.workers.idleTimeout: not applicable to queue-based endpoints scaling on requestCount"] });
  });

  it("lists CPU endpoints with derived memory and no gpu block", () => {
    const { gpu: _gpu, ...cpuBase } = base;
    const view = endpointView(built({ ...cpuBase, cpu: [{ id: "cpu5c", vcpuCount: 4 }] }), "x");
    expect(view).toMatchObject({ cpu: [{ id: "cpu5c", vcpuCount: 4, memory: 8 }] });
    expect("gpu" in view).toBe(false);
  });

  it.each([
    ["unknown pool", { ...base, gpu: { pools: ["TPU_9000"] } }, "unknown GPU pool 'TPU_9000'"],
    ["exclusion outside the pools", { ...base, gpu: { pools: ["ADA_24"], excludedTypes: ["NVIDIA L4"] } }, "excluded GPU type 'NVIDIA L4' is not in pools ADA_24"],
    ["exclusion of the whole pool", { ...base, gpu: { pools: ["ADA_24"], excludedTypes: ["NVIDIA GeForce RTX 4090"] } }, "removes every GPU type"],
    ["CUDA set and floor", { ...base, gpu: { pools: ["ADA_24"], allowedCudaVersions: ["12.8"], minCudaVersion: "12.1" } }, "mutually exclusive"],
    ["no compute", { ...base, gpu: undefined }, "exactly one of gpu or cpu"],
    ["both computes", { ...base, cpu: [{ id: "cpu5c", vcpuCount: 4 }] }, "not both"],
    ["odd vCPU count", { ...base, gpu: undefined, cpu: [{ id: "cpu5c", vcpuCount: 6 }] }, "not a power of two"],
    ["min above max", { ...base, workers: { min: 4, max: 2 } }, "workers.min (4) exceeds workers.max (2)"],
  ])("refuses %s with a 400", (_name, body, detail) => {
    const r = buildEndpoint(create(body), { id: "e", seq: 1, now: NOW, readyDelayMs: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(400);
      expect(r.detail).toContain(detail);
    }
  });

  it("resolves a template at create: body wins, env merges per key, CUDA set seeds the gpu block", () => {
    const t = buildTemplate("tpl1", { name: "vllm", image: "runpod/worker-v1-vllm:v2.25.2", serverless: true, disk: 150, env: { MODEL_NAME: "a/b", MAX_MODEL_LEN: "8192" }, allowedCudaVersions: ["13.0"] });
    const { image: _i, ...noImage } = base;
    const rec = built({ ...noImage, templateId: "tpl1", env: { MAX_MODEL_LEN: "4096" } }, t);
    expect(rec).toMatchObject({ image: "runpod/worker-v1-vllm:v2.25.2", disk: 150, env: { MODEL_NAME: "a/b", MAX_MODEL_LEN: "4096" }, templateId: "tpl1" });
    expect(rec.gpu?.allowedCudaVersions).toEqual(["13.0"]);
    const podTemplate = buildTemplate("tpl2", { name: "pod", image: "x" });
    expect(buildEndpoint(create({ ...noImage, templateId: "tpl2" }), { id: "e", seq: 1, now: NOW, readyDelayMs: 0, template: podTemplate })).toMatchObject({ ok: false, status: 422 });
  });

  it("patches only the provided fields", () => {
    const rec = built({ ...base, env: { MODEL_NAME: "a/b" }, gpu: { pools: ["AMPERE_24"], excludedTypes: ["NVIDIA L4"] }, workers: { min: 0, max: 5, idleTimeout: 5 } });
    const r = patchEndpoint(rec, update({ workers: { max: 10 }, scaling: { type: "QUEUE_DELAY", queueDelay: 8 } }));
    if (!r.ok) throw new Error(r.detail);
    expect(r.value).toMatchObject({ workers: { min: 0, max: 10, idleTimeout: 5 }, scaling: { queueDelay: 8 }, env: { MODEL_NAME: "a/b" }, version: 1 });
    expect(r.value.gpu?.excludedTypes).toEqual(["NVIDIA L4"]);
    // Restating pools without exclusions clears them; env is replaced, which makes a new release.
    const r2 = patchEndpoint(r.value, update({ gpu: { pools: ["AMPERE_24", "ADA_24"] }, env: { MODEL_NAME: "c/d" } }));
    if (!r2.ok) throw new Error(r2.detail);
    expect(r2.value.gpu).toEqual({ pools: ["AMPERE_24", "ADA_24"], count: 1, allowedCudaVersions: [], minCudaVersion: null });
    expect(r2.value).toMatchObject({ env: { MODEL_NAME: "c/d" }, version: 2 });
    expect(rec.workers.max).toBe(5); // the stored record is not mutated
  });

  it("refuses patches that change the compute family or break the scaler rules", () => {
    const rec = built(base);
    expect(patchEndpoint(rec, update({ cpu: [{ id: "cpu5c", vcpuCount: 4 }] }))).toMatchObject({ ok: false, status: 400 });
    expect(patchEndpoint(rec, update({ gpu: { allowedCudaVersions: ["12.8"], minCudaVersion: "12.1" } }))).toMatchObject({ ok: false, status: 400 });
    const lb = built({ ...base, type: "LOAD_BALANCER", scaling: { type: "REQUEST_COUNT", requestCount: 2 } });
    expect(patchEndpoint(lb, update({ scaling: { type: "QUEUE_DELAY", queueDelay: 2 } }))).toMatchObject({ ok: false, status: 422 });
    const cleared = patchEndpoint(built({ ...base, gpu: { pools: ["ADA_24"], minCudaVersion: "12.1" } }), update({ gpu: { minCudaVersion: "" } }));
    expect(cleared.ok && cleared.value.gpu?.minCudaVersion).toBe(null);
  });

  it("knows the served model name the way vLLM and SGLang workers pick it", () => {
    const withEnv = (env: Record<string, string>) => ({ ...built(base), env });
    expect(servedModelNames(withEnv({ MODEL_NAME: "Qwen/Qwen2.5-7B-Instruct" }))).toEqual(["Qwen/Qwen2.5-7B-Instruct"]);
    expect(servedModelNames(withEnv({ MODEL_NAME: "a/b", OPENAI_SERVED_MODEL_NAME_OVERRIDE: "chat" }))).toEqual(["chat"]);
    expect(servedModelNames(withEnv({ MODEL_NAME: "a/b", SERVED_MODEL_NAME: "sg" }))).toEqual(["sg"]);
    expect(servedModelNames(withEnv({}))).toEqual([]);
  });

  it("patches templates field by field", () => {
    const t = buildTemplate("t", { name: "n", image: "i", mounts: { persistent: { size: 20, path: "/workspace" } } });
    expect(t).toMatchObject({ disk: 50, category: "NVIDIA", startSsh: true, startJupyter: true, serverless: false, public: false, allowedCudaVersions: [] });
    expect(patchTemplate(t, { name: "m", mounts: {} })).toMatchObject({ name: "m", image: "i", mounts: { persistent: { size: 20, path: "/workspace" } } });
  });
});
