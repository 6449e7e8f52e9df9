import { env } from "cloudflare:test";
import { fire, record, settle, type Stub } from "./deploy-alarms";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { newRecord, type DeploymentRecord } from "../../workers/deploy/machine";
import { runReconcile } from "../../workers/deploy/reconcile-run";
import { createDeployment, deploymentStub } from "../../workers/deploy/service";
import { getRow, insertPlanned } from "../../workers/deploy/store";

/**
 * The DeployObject against the RunPod stand-in over HTTP (started by vitest.config.ts), with alarms fired
 * directly. Backoff waits are skipped by moving the record's next alarm to "now" before firing, which is
 * what the passing of time would do; nothing else about the record is touched.
 */
const SANDBOX = env.TEST_SANDBOX_URL;
const WS = "ws-deploy-test";
const rp = (path: string, init: RequestInit = {}) =>
  fetch(`${SANDBOX}/runpod/v2${path}`, { ...init, headers: { authorization: "Bearer sk-sandbox", "content-type": "application/json", ...(init.headers ?? {}) } });

async function control(path: string, method: string, body?: unknown) {
  const res = await fetch(`${SANDBOX}/_control${path}`, { method, headers: { "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

async function endpoints(): Promise<{ id: string; name: string }[]> {
  return ((await (await rp("/serverless")).json()) as { endpoints: { id: string; name: string }[] }).endpoints;
}

async function deploy(model = "Qwen/Qwen2.5-0.5B-Instruct", extra: Partial<Parameters<typeof createDeployment>[1]> = {}) {
  const { record: rec } = await createDeployment(env, { workspaceId: WS, userId: null, model, options: { scaling: { workersMin: 0, workersMax: 1 } }, ...extra });
  return { rec, stub: deploymentStub(env, rec.id) as Stub };
}

beforeAll(async () => {
  await env.DB.prepare("INSERT OR IGNORE INTO organization (id, name, slug, created_at) VALUES (?, ?, ?, ?)").bind(WS, "Deploy tests", WS, Date.now()).run();
});

afterEach(async () => {
  await control("/faults", "DELETE");
});

describe("DeployObject", () => {
  it("takes a model from planned to ready, registers it for the bridge, and mirrors every step to D1", async () => {
    const { rec, stub } = await deploy();
    expect(rec.state).toBe("planned");
    expect(rec.name).toBe("qwen2-5-0-5b-instruct");
    const ready = await settle(stub);
    expect(ready.state).toBe("ready");
    expect(ready.history.map((h) => h.state)).toEqual(["planned", "creating", "initializing", "ready"]);
    const mine = (await endpoints()).filter((e) => e.name === ready.endpointName);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.id).toBe(ready.endpointId);
    // The endpoint carries the plan: engine image, model, GPU pool.
    const ep = (await (await rp(`/serverless/${ready.endpointId}`)).json()) as { image: string; env: Record<string, string>; gpu: { pools: string[] } };
    expect(ep.image).toBe(ready.plan.image);
    expect(ep.env.MODEL_NAME).toBe("Qwen/Qwen2.5-0.5B-Instruct");
    expect(ep.env.PLATFORM_DEPLOYMENT_ID).toBe(ready.id);
    expect(ep.gpu.pools).toEqual([ready.plan.gpu.pool]);
    const row = await getRow(env.DB, WS, rec.id);
    expect(row).toMatchObject({ state: "ready", endpointId: ready.endpointId, name: ready.name, rev: ready.rev });
    const { results } = await env.DB.prepare("SELECT state FROM deployment_event WHERE deployment_id = ? ORDER BY seq").bind(rec.id).all<{ state: string }>();
    expect(results.map((r) => r.state)).toEqual(["planned", "creating", "initializing", "ready"]);
  });

  it("adopts an endpoint an earlier, unanswered try made instead of creating a second", async () => {
    // A deployment whose first create went through on RunPod but whose answer never came back: the try was
    // recorded as sent (createSentAt) and the endpoint exists under the deployment's name.
    const { rec: template } = await deploy("Qwen/Qwen3-0.6B");
    const id = `dep-adopt${Date.now().toString(36)}`;
    const rec: DeploymentRecord = { ...newRecord({ ...template, id, name: "adopted", endpointName: `${env.RUNPOD_ENDPOINT_PREFIX}-${id}` }, Date.now()), createSentAt: Date.now() };
    const made = await rp("/serverless", {
      method: "POST",
      body: JSON.stringify({ name: rec.endpointName, image: rec.plan.image, type: "QUEUE", gpu: { pools: [rec.plan.gpu.pool] }, workers: { min: 0, max: 1, idleTimeout: 7 }, scaling: { type: "QUEUE_DELAY", queueDelay: 4 }, env: { MODEL_NAME: rec.model } }),
    });
    const endpoint = (await made.json()) as { id: string };
    expect(await insertPlanned(env.DB, rec)).toEqual({ ok: true });
    const stub = deploymentStub(env, id) as Stub;
    // Duplicate inits (a retried POST) and overlapping alarms change nothing.
    await Promise.all([stub.init(rec), stub.init(rec)]);
    await Promise.all([fire(stub), fire(stub)]);
    const ready = await settle(stub);
    expect(ready.state).toBe("ready");
    expect(ready.endpointId).toBe(endpoint.id);
    const owned = (await endpoints()).filter((e) => e.name === rec.endpointName);
    expect(owned.map((e) => e.id)).toEqual([endpoint.id]);
    // The endpoint was converged on the plan's scaling (the earlier try's settings may have differed).
    const ep = (await (await rp(`/serverless/${endpoint.id}`)).json()) as { workers: { idleTimeout: number } };
    expect(ep.workers.idleTimeout).toBe(rec.plan.scaling.idleTimeoutSeconds);
  });

  it("ends every deployment ready or failed with a reason under 30% control-plane failures and timeouts, one endpoint each", async () => {
    await control("/faults", "POST", { service: "runpod", status: 503, probability: 0.3, seed: 7 });
    await control("/faults", "POST", { service: "runpod", latencyMs: 2500, probability: 0.1, seed: 11 });
    await control("/faults", "POST", { service: "runpod-serverless", match: { path: "/" }, latencyMs: 300, probability: 0.5, seed: 3 });
    const made = await Promise.all(Array.from({ length: 8 }, (_, i) => deploy("Qwen/Qwen2.5-0.5B-Instruct", { name: `chaos-${i}` })));
    const finals = await Promise.all(made.map(({ stub }) => settle(stub)));
    await control("/faults", "DELETE"); // the test's own look at RunPod must not be faulted
    const listed = await endpoints();
    for (const f of finals) {
      expect(["ready", "failed"]).toContain(f.state);
      if (f.state === "failed") expect(f.error).toBeTruthy();
      const owned = listed.filter((e) => e.name === f.endpointName);
      expect(owned.length).toBe(f.state === "ready" ? 1 : 0);
      if (f.state === "ready") expect(owned[0]!.id).toBe(f.endpointId);
    }
    expect(finals.filter((f) => f.state === "ready").length).toBeGreaterThan(4);
  });

  it("deletes: route first, then the endpoint, even while a create is in flight", async () => {
    const { rec, stub } = await deploy("Qwen/Qwen2.5-1.5B-Instruct");
    await settle(stub);
    expect((await getRow(env.DB, WS, rec.id))!.state).toBe("ready");
    await stub.remove();
    expect((await getRow(env.DB, WS, rec.id))!.state).toBe("deleting");
    const gone = await settle(stub);
    expect(gone.state).toBe("deleted");
    expect((await endpoints()).some((e) => e.name === rec.endpointName)).toBe(false);

    // Deleting before the first step ran leaves nothing behind either.
    const early = await deploy("Qwen/Qwen2.5-1.5B-Instruct");
    await early.stub.remove();
    expect((await settle(early.stub)).state).toBe("deleted");
    expect((await endpoints()).some((e) => e.name === early.rec.endpointName)).toBe(false);
  });

  it("applies a scaling change to the live endpoint", async () => {
    const { stub } = await deploy("HuggingFaceTB/SmolLM2-135M-Instruct");
    const ready = await settle(stub);
    const r = await stub.scale({ ...ready.plan.scaling, workersMin: 1, workersMax: 3 });
    expect(r.ok).toBe(true);
    const after = await settle(stub);
    expect(after.pendingScaling).toBeNull();
    const ep = (await (await rp(`/serverless/${after.endpointId}`)).json()) as { workers: { min: number; max: number } };
    expect(ep.workers).toMatchObject({ min: 1, max: 3 });
  });

  it("reconcile deletes orphans, marks vanished deployments, and leaves live ones alone", async () => {
    const { stub } = await deploy("Qwen/Qwen3-1.7B");
    const live = await settle(stub);
    const victim = await deploy("Qwen/Qwen3-1.7B", { name: "victim" });
    const victimReady = await settle(victim.stub);
    const prefix = env.RUNPOD_ENDPOINT_PREFIX;
    const orphan = (await (await rp("/serverless", {
      method: "POST",
      body: JSON.stringify({ name: `${prefix}-dep-nobody`, image: "x", type: "QUEUE", gpu: { pools: ["ADA_24"] }, scaling: { type: "QUEUE_DELAY", queueDelay: 4 } }),
    })).json()) as { id: string };
    await rp(`/serverless/${victimReady.endpointId}`, { method: "DELETE" });

    const report = await runReconcile(env);
    expect(report.errors).toEqual([]);
    expect(report.deleteEndpoints.map((e) => e.id)).toContain(orphan.id);
    expect(report.vanished).toEqual([victim.rec.id]);
    const after = await endpoints();
    expect(after.some((e) => e.id === orphan.id)).toBe(false);
    expect(after.some((e) => e.id === live.endpointId)).toBe(true);
    const marked = await record(victim.stub);
    expect(marked).toMatchObject({ state: "failed", error: `endpoint ${victimReady.endpointId} no longer exists on RunPod` });
    // Nothing of ours is left without a live owner.
    const again = await runReconcile(env);
    expect(again.deleteEndpoints).toEqual([]);
  });
});
