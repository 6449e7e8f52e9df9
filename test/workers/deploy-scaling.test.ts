import { env } from "cloudflare:test";
import { record, settle, type Stub } from "./deploy-alarms";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_COST_POLICY } from "../../workers/deploy/cost-policy";
import { othersSpend, workspaceExpectedSpend, writeCostPolicy } from "../../workers/deploy/cost-policy-store";
import { HOUR_MS, hourOfWeek, WEEK_MS } from "../../workers/deploy/forecast";
import type { DeploymentRecord } from "../../workers/deploy/machine";
import { runScalingCron } from "../../workers/deploy/scaling-run";
import { createDeployment, deploymentStub } from "../../workers/deploy/service";
import { scalingView } from "../../workers/deploy/view";

/**
 * Issue 10 against the RunPod stand-in over HTTP: GPU pool fallback driven by the stand-in's pool capacity
 * control (throttled workers, queued jobs), and predictive scaling from synthetic usage history. The
 * watcher and the forecaster take an injected clock; the DeployObject's alarm applies what they decide.
 * Needs the stand-in built with `runpodPoolCapacity` (SANDBOX_DIST=dist/sandbox-scale).
 */
const SANDBOX = env.TEST_SANDBOX_URL;
const WS = "ws-deploy-scaling";
const MIN = 60_000;
const rp = (path: string, init: RequestInit = {}) =>
  fetch(`${SANDBOX}/runpod/v2${path}`, { ...init, headers: { authorization: "Bearer sk-sandbox", "content-type": "application/json", ...(init.headers ?? {}) } });
const runtime = (path: string, init: RequestInit = {}) =>
  fetch(`${SANDBOX}/runpod-ai/v2${path}`, { ...init, headers: { authorization: "Bearer sk-sandbox", "content-type": "application/json", ...(init.headers ?? {}) } });

async function control(path: string, method: string, body?: unknown) {
  const res = await fetch(`${SANDBOX}/_control${path}`, { method, headers: { "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

async function deployReady(name: string, model = "Qwen/Qwen2.5-0.5B-Instruct", workspaceId = WS, workersMin = 0) {
  const { record: rec } = await createDeployment(env, { workspaceId, userId: null, model, name, options: { scaling: { workersMin, workersMax: Math.max(1, workersMin) } } });
  const stub = deploymentStub(env, rec.id) as Stub;
  const ready = await settle(stub);
  expect(ready.state).toBe("ready");
  return { stub, ready };
}

/** A price per worker-hour that admits only the pool the deployment is on. */
const justAbove = (rec: DeploymentRecord) => Math.round(((rec.workerMicrosPerSecond * 3600) / 1e6 + 0.01) * 100) / 100;

/** The deployment's pool loses its capacity and a request waits: every worker shows throttled with work queued. */
async function throttle(rec: DeploymentRecord) {
  await control("/settings", "PATCH", { runpodPoolCapacity: { [rec.plan.gpu.pool]: 0 } });
  await runtime(`/${rec.endpointId}/run`, { method: "POST", body: JSON.stringify({ input: { prompt: "waiting" } }) });
}

async function endpointPools(id: string): Promise<string[]> {
  return ((await (await rp(`/serverless/${id}`)).json()) as { gpu: { pools: string[] } }).gpu.pools;
}

async function audits(id: string, action: string, workspaceId = WS) {
  const { results } = await env.DB.prepare("SELECT actor_id, before, after FROM audit_log WHERE workspace_id = ? AND target_id = ? AND action = ? ORDER BY seq").bind(workspaceId, id, action).all<{ actor_id: string | null; before: string; after: string }>();
  return results.map((r) => ({ actor: r.actor_id, before: JSON.parse(r.before), after: JSON.parse(r.after) }));
}

beforeAll(async () => {
  await env.DB.prepare("INSERT OR IGNORE INTO organization (id, name, slug, created_at) VALUES (?, ?, ?, ?)").bind(WS, "Scaling tests", WS, Date.now()).run();
});

afterEach(async () => {
  await control("/settings", "PATCH", { runpodPoolCapacity: null });
});

describe("RunPod stand-in pool capacity", () => {
  it("throttles an endpoint's workers and holds its jobs while its pool has no capacity", async () => {
    const { ready } = await deployReady("capacity-probe");
    const pool = ready.plan.gpu.pool;
    await control("/settings", "PATCH", { runpodPoolCapacity: { [pool]: 0 } });
    const job = (await (await runtime(`/${ready.endpointId}/run`, { method: "POST", body: JSON.stringify({ input: { prompt: "hi" } }) })).json()) as { id: string; status: string };
    expect(job.status).toBe("IN_QUEUE");
    const health = (await (await runtime(`/${ready.endpointId}/health`)).json()) as { jobs: { inQueue: number }; workers: Record<string, number> };
    expect(health.workers).toMatchObject({ idle: 0, ready: 0, running: 0, initializing: 0, throttled: 1 });
    expect(health.jobs.inQueue).toBe(1);
    const listing = (await (await rp(`/serverless/${ready.endpointId}/workers`)).json()) as { summary: { throttled: number }; workers: { status: string }[] };
    expect(listing.summary.throttled).toBe(1);
    expect(listing.workers.map((w) => w.status)).toEqual(["THROTTLED"]);
    const catalog = (await (await rp("/catalog/gpus?include=AVAILABILITY&product=SERVERLESS")).json()) as { gpus: { pool: string | null; availability: string }[] };
    expect(catalog.gpus.filter((g) => g.pool === pool).every((g) => g.availability === "NONE")).toBe(true);
    expect(catalog.gpus.filter((g) => g.pool === "AMPERE_80").every((g) => g.availability !== "NONE")).toBe(true);
    expect((await (await runtime(`/${ready.endpointId}/status/${job.id}`)).json()) as { status: string }).toMatchObject({ status: "IN_QUEUE" });

    // Capacity back: no worker throttled, new jobs run.
    await control("/settings", "PATCH", { runpodPoolCapacity: null });
    const after = (await (await runtime(`/${ready.endpointId}/health`)).json()) as { workers: Record<string, number> };
    expect(after.workers.throttled).toBe(0);
    const next = (await (await runtime(`/${ready.endpointId}/runsync`, { method: "POST", body: JSON.stringify({ input: { prompt: "hi" } }) })).json()) as { status: string };
    expect(next.status).toBe("COMPLETED");
  });
});

describe("GPU pool fallback", () => {
  it("moves to the next pool after the threshold, and back once the preferred pool's capacity holds", async () => {
    const { stub, ready } = await deployReady("pool-fallback");
    const preferred = ready.plan.gpu.pool;
    const view0 = scalingView(ready);
    const [, second] = view0.settings.pools;
    expect(view0.settings.pools[0]).toBe(preferred);
    expect(second).toBeTruthy();

    await throttle(ready);
    const t0 = Date.now();
    expect(await stub.watchPools(t0)).toEqual({ blocked: null });
    expect((await record(stub)).poolWatch?.throttledSince).toBe(t0);
    expect((await stub.watchPools(t0 + 5 * MIN)).move).toBeUndefined();
    const moved = await stub.watchPools(t0 + 10 * MIN);
    expect(moved.move).toMatchObject({ from: preferred, to: second, kind: "fallback" });
    expect(moved.move!.reason).toContain(`all workers throttled on ${preferred} with requests waiting for 10 min`);
    // The move goes through the alarm, like a scaling change: RunPod's endpoint is on the new pool.
    const onSecond = await settle(stub);
    expect(onSecond.plan.gpu.pool).toBe(second);
    expect(onSecond.pendingPool).toBeNull();
    expect(await endpointPools(ready.endpointId!)).toEqual([second]);
    expect(onSecond.history.at(-1)!.note).toContain(`GPU pool ${preferred} → ${second}`);
    expect(await audits(ready.id, "deployment.pool_move")).toEqual([{ actor: null, before: { pool: preferred }, after: { pool: second, kind: "fallback", reason: moved.move!.reason } }]);
    // The D1 row shows the new pool.
    const row = await env.DB.prepare("SELECT gpu_pool FROM deployment WHERE id = ?").bind(ready.id).first<{ gpu_pool: string }>();
    expect(row?.gpu_pool).toBe(second);

    // Capacity returns; the watcher waits for it to hold (and for the minimum dwell) before moving back.
    await control("/settings", "PATCH", { runpodPoolCapacity: null });
    expect((await stub.watchPools(t0 + 11 * MIN)).move).toBeUndefined();
    expect((await stub.watchPools(t0 + 20 * MIN)).move).toBeUndefined();
    const back = await stub.watchPools(t0 + 26 * MIN);
    expect(back.move).toMatchObject({ from: second, to: preferred, kind: "return" });
    const home = await settle(stub);
    expect(home.plan.gpu.pool).toBe(preferred);
    expect(await endpointPools(ready.endpointId!)).toEqual([preferred]);
    // Pool list stays anchored on the planner's pick; the history lists both moves, newest first.
    const view = scalingView(home);
    expect(view.settings.pools[0]).toBe(preferred);
    expect(view.history.map((h) => [h.kind, h.after?.pool])).toEqual([["pool_move", preferred], ["pool_move", second]]);
    expect((await audits(ready.id, "deployment.pool_move")).length).toBe(2);
  });

  it("does not move above the price ceiling, and records why", async () => {
    const { stub, ready } = await deployReady("pool-ceiling");
    const preferred = ready.plan.gpu.pool;
    // The ceiling admits only the preferred pool's price.
    const r = await stub.configure({ autoscale: "off", costCeilingUsdPerMonth: null, pools: [], maxWorkerUsdPerHour: justAbove(ready) });
    expect(r.ok).toBe(true);
    await throttle(ready);
    const t0 = Date.now();
    await stub.watchPools(t0);
    const w = await stub.watchPools(t0 + 12 * MIN);
    expect(w.move).toBeUndefined();
    expect(w.blocked).toMatch(new RegExp(`^all workers throttled on ${preferred} for 12 min, but the next pool \\w+ costs \\$[\\d.]+/h per worker, above the ceiling of \\$[\\d.]+/h: staying$`));
    const rec = await settle(stub);
    expect(rec.plan.gpu.pool).toBe(preferred);
    expect(await endpointPools(ready.endpointId!)).toEqual([preferred]);
    const view = scalingView(rec);
    expect(view.poolWatch?.blocked).toBe(w.blocked);
    expect(view.history[0]).toMatchObject({ kind: "pool_blocked", summary: w.blocked });
    expect(await audits(ready.id, "deployment.pool_move")).toEqual([]);
  });
});

/** Four weeks of requests in one hour-of-week slot (40 an hour, 2 s each), all before `now`. */
async function seedHistory(rec: DeploymentRecord, now: number) {
  const slot = hourOfWeek(now);
  const rows: D1PreparedStatement[] = [];
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  for (let week = 1; week <= 4; week++) {
    const hour = currentHour - week * WEEK_MS;
    expect(hourOfWeek(hour)).toBe(slot);
    for (let i = 0; i < 40; i++) {
      rows.push(
        env.DB.prepare(
          "INSERT INTO usage_event (id, at, workspace_id, key_id, requested_model, provider, model, input_tokens, output_tokens, cached_input_tokens, cost_micros, savings_micros, latency_ms, status) VALUES (?, ?, ?, NULL, ?, 'runpod', ?, 10, 10, 0, 1, 0, 2000, 'ok')",
        ).bind(`${rec.id}-${week}-${i}`, hour + i * 60_000, rec.workspaceId, `runpod/${rec.name}`, `${rec.endpointId}/${rec.servedModel}`),
      );
    }
  }
  await env.DB.batch(rows);
}

/** An injected clock five weeks ahead (mid-hour), so all synthetic history lies after the deployment became ready. */
const future = () => Math.floor((Date.now() + 5 * WEEK_MS) / HOUR_MS) * HOUR_MS + 20 * MIN;

describe("predictive scaling", () => {

  it("only proposes on `propose`, and applies through the alarm on `apply`, audited with its explanation", async () => {
    const { stub, ready } = await deployReady("autoscale");
    const now = future();
    await seedHistory(ready, now);
    expect(await stub.autoscale(now)).toEqual({ skipped: "autoscale is off" });

    await stub.configure({ autoscale: "propose", costCeilingUsdPerMonth: null, pools: [], maxWorkerUsdPerHour: null });
    const proposed = await stub.autoscale(now);
    expect(proposed.proposal).toMatchObject({ applied: false, capped: null, scaling: { workersMin: 1, idleTimeoutSeconds: 600 } });
    expect(proposed.proposal!.explanation[0]).toContain("expects 40 requests/h, 0.02 concurrent");
    let rec = await settle(stub);
    expect(rec.plan.scaling.workersMin).toBe(0);
    expect(rec.pendingScaling).toBeNull();
    expect(scalingView(rec).history[0]).toMatchObject({ kind: "proposal" });
    expect(await audits(ready.id, "deployment.autoscale")).toEqual([]);

    await stub.configure({ autoscale: "apply", costCeilingUsdPerMonth: null, pools: [], maxWorkerUsdPerHour: null });
    const applied = await stub.autoscale(now);
    expect(applied.proposal).toMatchObject({ applied: true, scaling: { workersMin: 1, idleTimeoutSeconds: 600 } });
    rec = await settle(stub);
    expect(rec.plan.scaling).toMatchObject({ workersMin: 1, idleTimeoutSeconds: 600 });
    const ep = (await (await rp(`/serverless/${ready.endpointId}`)).json()) as { workers: { min: number; idleTimeout: number } };
    expect(ep.workers).toMatchObject({ min: 1, idleTimeout: 600 });
    const [entry] = await audits(ready.id, "deployment.autoscale");
    expect(entry!.actor).toBeNull();
    expect(entry!.before.scaling.workersMin).toBe(0);
    expect(entry!.after.scaling.workersMin).toBe(1);
    expect(entry!.after.explanation).toEqual(applied.proposal!.explanation);

    // Idempotent: the same hour proposes the same scaling again, which changes nothing and audits nothing.
    const again = await stub.autoscale(now + 5 * MIN);
    expect(again.proposal!.applied).toBe(false);
    expect((await audits(ready.id, "deployment.autoscale")).length).toBe(1);

    // Twelve hours later the slot has no history: back to zero always-on workers and a short idle timeout.
    await stub.autoscale(now + 12 * HOUR_MS);
    rec = await settle(stub);
    expect(rec.plan.scaling).toMatchObject({ workersMin: 0, idleTimeoutSeconds: 60 });
  });

  it("caps the proposal by the monthly ceiling and says so; the cron runs both watchers", async () => {
    const { stub, ready } = await deployReady("autoscale-ceiling");
    const now = future();
    await seedHistory(ready, now);
    await stub.configure({ autoscale: "propose", costCeilingUsdPerMonth: 0.5, pools: [], maxWorkerUsdPerHour: null });
    const report = await runScalingCron(env, now);
    expect(report.errors).toEqual([]);
    expect(report.proposals).toContainEqual({ id: ready.id, applied: false });
    const rec = await record(stub);
    expect(rec.lastProposal!.scaling.workersMin).toBe(0);
    expect(rec.lastProposal!.capped).toMatch(/^capped by the ceiling of \$0\.50\/month/);
    expect(rec.lastProposal!.explanation.at(-1)).toBe(rec.lastProposal!.capped);
    // The pool watcher looked at it too (one acceptable pool or more: either way it did not fail).
    expect(report.looked).toBeGreaterThanOrEqual(1);
    expect(rec.poolWatch?.lastCheckAt).toBe(now);
  });
});

describe("the workspace's cost policy bounds every deployment", () => {
  /** Each case in a workspace of its own: the policy and the sibling spend are workspace-wide. */
  async function workspace(name: string): Promise<string> {
    const id = `ws-policy-${name}`;
    await env.DB.prepare("INSERT OR IGNORE INTO organization (id, name, slug, created_at) VALUES (?, ?, ?, ?)").bind(id, name, id, Date.now()).run();
    return id;
  }

  it("a pool move keeps to the workspace's price ceiling when the deployment has none", async () => {
    const ws = await workspace("pool");
    const { stub, ready } = await deployReady("ws-pool-ceiling", undefined, ws);
    const preferred = ready.plan.gpu.pool;
    expect((await record(stub)).scalingSettings?.maxWorkerUsdPerHour ?? null).toBeNull();
    await writeCostPolicy(env.DB, ws, { ...DEFAULT_COST_POLICY, maxWorkerUsdPerHour: justAbove(ready) }, null);
    await throttle(ready);
    const t0 = Date.now();
    await stub.watchPools(t0);
    const w = await stub.watchPools(t0 + 12 * MIN);
    expect(w.move).toBeUndefined();
    expect(w.blocked).toMatch(/above the ceiling of \$[\d.]+\/h: staying$/);
    expect(await endpointPools(ready.endpointId!)).toEqual([preferred]);

    // The workspace lifts its ceiling: the same throttling now moves the endpoint.
    await writeCostPolicy(env.DB, ws, DEFAULT_COST_POLICY, null);
    const moved = await stub.watchPools(t0 + 13 * MIN);
    expect(moved.move).toMatchObject({ from: preferred, kind: "fallback" });
    expect((await settle(stub)).plan.gpu.pool).toBe(moved.move!.to);
  });

  it("a deployment set to apply only proposes when the workspace allows propose, and stops when it says off", async () => {
    const ws = await workspace("mode");
    const { stub, ready } = await deployReady("ws-mode", undefined, ws);
    const now = future();
    await seedHistory(ready, now);
    await stub.configure({ autoscale: "apply", costCeilingUsdPerMonth: null, pools: [], maxWorkerUsdPerHour: null });
    await writeCostPolicy(env.DB, ws, { ...DEFAULT_COST_POLICY, autoscale: "propose" }, null);
    const proposed = await stub.autoscale(now);
    expect(proposed.proposal).toMatchObject({ applied: false, scaling: { workersMin: 1 } });
    expect(proposed.proposal!.explanation).toContain("proposed only: the workspace allows autoscale 'propose' at most (this deployment asks for 'apply')");
    const rec = await settle(stub);
    expect(rec.plan.scaling.workersMin).toBe(0);
    expect(await audits(ready.id, "deployment.autoscale", ws)).toEqual([]);

    await writeCostPolicy(env.DB, ws, { ...DEFAULT_COST_POLICY, autoscale: "off" }, null);
    expect(await stub.autoscale(now)).toEqual({ skipped: "autoscale is off: the workspace allows autoscale 'off' at most (this deployment asks for 'apply')" });

    await writeCostPolicy(env.DB, ws, DEFAULT_COST_POLICY, null);
    expect((await stub.autoscale(now)).proposal).toMatchObject({ applied: true });
    expect((await settle(stub)).plan.scaling.workersMin).toBe(1);
  });

  it("one deployment's proposal gets what the workspace's GPU ceiling leaves after its siblings", async () => {
    const ws = await workspace("spend");
    // A sibling with one always-on worker: with no forecast yet, it is expected to cost its always-on worker.
    const sibling = await deployReady("ws-spend-sibling", undefined, ws, 1);
    const siblingMonthly = (sibling.ready.workerMicrosPerSecond * 3600 * 730) / 1e6;
    const { stub, ready } = await deployReady("ws-spend", undefined, ws);
    const now = future();
    await seedHistory(ready, now);
    await stub.configure({ autoscale: "propose", costCeilingUsdPerMonth: null, pools: [], maxWorkerUsdPerHour: null });

    // Uncapped first: what this deployment's pattern costs.
    const free = await stub.autoscale(now);
    expect(free.proposal!.capped).toBeNull();
    expect(free.proposal!.scaling.workersMin).toBe(1);
    const forecast = await env.DB.prepare("SELECT workspace_id, monthly_usd FROM deployment_forecast WHERE deployment_id = ?").bind(ready.id).first<{ workspace_id: string; monthly_usd: number }>();
    expect(forecast!.workspace_id).toBe(ws);
    expect(forecast!.monthly_usd).toBeGreaterThan(0);

    // A workspace ceiling that leaves this deployment $0.50 after the sibling's always-on worker.
    const ceiling = Math.round((siblingMonthly + 0.5) * 100) / 100;
    await writeCostPolicy(env.DB, ws, { ...DEFAULT_COST_POLICY, gpuSpendCeilingUsdPerMonth: ceiling }, null);
    const capped = await stub.autoscale(now + 5 * MIN);
    expect(capped.proposal!.scaling.workersMin).toBe(0);
    expect(capped.proposal!.capped).toMatch(/^capped by the ceiling of \$0\.50\/month/);
    expect(capped.proposal!.capped).toContain(`the workspace's GPU ceiling of $${ceiling.toFixed(2)}/month less $${siblingMonthly.toFixed(2)}/month expected on its other deployments leaves $0.50/month`);
    expect(capped.proposal!.explanation.at(-1)).toBe(capped.proposal!.capped);

    // The policy and the spend it bounds, as the API shows them.
    const spend = await workspaceExpectedSpend(env.DB, ws);
    expect(spend.get(sibling.ready.id)).toBeCloseTo(siblingMonthly, 6);
    expect(othersSpend(spend, ready.id)).toBeCloseTo(siblingMonthly, 2);
  });
});
