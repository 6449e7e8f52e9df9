import type { DeploymentRecord } from "./machine";
import { effectivePools, settingsOf } from "./scaling-settings";
import type { DeploymentRow } from "./store";

/**
 * What the API shows of a deployment (pure). Never the sealed token, never the workspace's internals.
 * The cost so far is an estimate: the always-on (minimum) workers' GPU time since the deployment became
 * ready, plus what its calls through the bridge were billed. RunPod bills the exact GPU seconds.
 */
export interface CostSoFar {
  /** Bridge calls billed to this deployment, micro-dollars. */
  callsMicros: number;
}

const usd = (micros: number) => Math.round(micros) / 1_000_000;

export function alwaysOnMicros(rec: Pick<DeploymentRecord, "readyAt" | "deletedAt" | "workerMicrosPerSecond" | "plan" | "state">, now: number): number {
  if (rec.readyAt === null) return 0;
  const end = rec.deletedAt ?? now;
  return Math.max(0, (end - rec.readyAt) / 1000) * rec.workerMicrosPerSecond * rec.plan.scaling.workersMin;
}

export function deploymentView(rec: DeploymentRecord, opts: { origin: string; runtimeBase: string; now: number; calls?: CostSoFar }) {
  const p = rec.plan;
  const alwaysOn = alwaysOnMicros(rec, opts.now);
  return {
    id: rec.id,
    name: rec.name,
    model: rec.model,
    engine: rec.engine,
    kind: p.kind,
    state: rec.state,
    error: rec.error,
    lastError: rec.lastError,
    createdAt: new Date(rec.createdAt).toISOString(),
    updatedAt: new Date(rec.updatedAt).toISOString(),
    readyAt: rec.readyAt === null ? null : new Date(rec.readyAt).toISOString(),
    deletedAt: rec.deletedAt === null ? null : new Date(rec.deletedAt).toISOString(),
    endpointId: rec.endpointId,
    /** How to call it: through the bridge, with a platform key, in any dialect. */
    bridge: { model: `runpod/${rec.name}`, openaiBaseUrl: `${opts.origin}/v1`, anthropicBaseUrl: opts.origin },
    /** RunPod's own OpenAI route for the endpoint (needs the RunPod account's key). */
    endpointOpenaiUrl: rec.endpointId ? `${opts.runtimeBase}/${rec.endpointId}/openai/v1` : null,
    gpu: p.gpu,
    scaling: p.scaling,
    pendingScaling: rec.pendingScaling,
    /** Predictive scaling and GPU pool fallback settings (the pool list as the watcher uses it). */
    autoscale: autoscaleSettings(rec),
    pendingPool: rec.pendingPool ?? null,
    env: Object.fromEntries(Object.entries(p.env).filter(([k]) => !/TOKEN|KEY|SECRET/i.test(k))),
    vram: p.vram,
    price: { inputPerMillionUsd: usd(rec.price.input), outputPerMillionUsd: usd(rec.price.output), workerPerHourUsd: usd(rec.workerMicrosPerSecond * 3600) },
    cost: {
      soFarUsd: usd(alwaysOn + (opts.calls?.callsMicros ?? 0)),
      alwaysOnUsd: usd(alwaysOn),
      callsUsd: usd(opts.calls?.callsMicros ?? 0),
      note: "estimate: minimum workers' GPU time since ready plus calls billed through the bridge",
    },
    steps: rec.history.map((h) => ({ state: h.state, at: new Date(h.at).toISOString(), note: h.note })),
  };
}

/** The list form, from the D1 mirror (no history, no plan). */
export function deploymentListItem(row: DeploymentRow, origin: string) {
  return {
    id: row.id,
    name: row.name,
    model: row.model,
    engine: row.engine,
    state: row.state,
    error: row.error,
    endpointId: row.endpointId,
    gpu: { pool: row.gpuPool, count: row.gpuCount },
    scaling: { workersMin: row.workersMin, workersMax: row.workersMax },
    bridge: { model: `runpod/${row.name}`, openaiBaseUrl: `${origin}/v1` },
    price: { inputPerMillionUsd: usd(row.price.input), outputPerMillionUsd: usd(row.price.output), workerPerHourUsd: usd(row.workerMicrosPerSecond * 3600) },
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    readyAt: row.readyAt === null ? null : new Date(row.readyAt).toISOString(),
  };
}

function autoscaleSettings(rec: DeploymentRecord) {
  const s = settingsOf(rec);
  return { ...s, pools: effectivePools(rec, rec.plannedPool ?? rec.plan.gpu.pool), poolsDefault: s.pools.length === 0 };
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** GET /api/deployments/:id/scaling: settings, the latest proposal and its explanation, the pool watch, the history of changes. */
export function scalingView(rec: DeploymentRecord) {
  const w = rec.poolWatch;
  return {
    id: rec.id,
    settings: autoscaleSettings(rec),
    scaling: rec.plan.scaling,
    pendingScaling: rec.pendingScaling,
    gpu: rec.plan.gpu,
    pendingPool: rec.pendingPool ?? null,
    latestProposal: rec.lastProposal ? { ...rec.lastProposal, at: iso(rec.lastProposal.at) } : null,
    poolWatch: w
      ? { current: w.current, throttledSince: iso(w.throttledSince), capacitySince: Object.fromEntries(Object.entries(w.capacitySince).map(([k, v]) => [k, iso(v)])), lastMoveAt: iso(w.lastMoveAt), lastCheckAt: iso(w.lastCheckAt), blocked: w.blocked }
      : null,
    history: [...(rec.scalingLog ?? [])].reverse().map((e) => ({ ...e, at: iso(e.at) })),
  };
}
