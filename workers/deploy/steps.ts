import { applyOutcome, type Action, type DeploymentRecord, type Outcome } from "./machine";
import type { Scaling } from "./planner";
import { warmWorkers, workerHealth, type RunpodClient, type RunpodEndpoint } from "./runpod-client";
import { mirror } from "./store";

/**
 * The side effects of each deploy step, each safe to repeat (alarms run at least once, and a step may be
 * cut off after RunPod acted but before we saw the answer):
 * - create looks its endpoint up by name (which carries the deployment id) before creating one, so a
 *   retry finds what an earlier try made instead of making a second endpoint (only the very first try,
 *   recorded before it is sent, skips the look-up: nothing can carry a fresh deployment's name);
 * - register and the mirror are upserts keyed by revision;
 * - teardown deletes every endpoint carrying the name, and a 404 counts as done.
 */
export interface StepDeps {
  runpod: RunpodClient;
  db: D1Database;
  /** The gated model's Hugging Face token, unsealed only for the create call. */
  hfToken: () => Promise<string | undefined>;
  now: () => number;
}

/** Endpoint names carry the platform prefix and the deployment id: what reconcile and retries look for. */
export function endpointNameFor(prefix: string, deploymentId: string): string {
  return `${prefix}-${deploymentId}`;
}

export function scalingBody(s: Scaling): Record<string, unknown> {
  const scaling = s.scaler === "QUEUE_DELAY" ? { type: "QUEUE_DELAY", queueDelay: s.scalerValue } : { type: "REQUEST_COUNT", requestCount: s.scalerValue };
  // RunPod rejects idleTimeout on queue endpoints that scale on request count.
  const workers = s.scaler === "REQUEST_COUNT" ? { min: s.workersMin, max: s.workersMax } : { min: s.workersMin, max: s.workersMax, idleTimeout: s.idleTimeoutSeconds };
  return { workers, scaling, flashboot: s.flashboot ? "FLASHBOOT" : "OFF" };
}

/** The REST v2 create body for a deployment (reference §1.2). */
export function endpointBody(rec: DeploymentRecord, hfToken: string | undefined): Record<string, unknown> {
  const p = rec.plan;
  return {
    name: rec.endpointName,
    type: "QUEUE",
    image: p.image,
    gpu: { pools: [p.gpu.pool], count: p.gpu.count },
    ...scalingBody(p.scaling),
    env: { ...p.env, ...(hfToken ? { HF_TOKEN: hfToken } : {}), PLATFORM_DEPLOYMENT_ID: rec.id },
    disk: p.containerDiskGb,
    timeout: 600_000,
  };
}

function sameScaling(e: RunpodEndpoint, s: Scaling): boolean {
  const want = scalingBody(s) as { workers: { min: number; max: number; idleTimeout?: number }; scaling: Record<string, unknown> };
  return (
    e.workers.min === want.workers.min &&
    e.workers.max === want.workers.max &&
    (want.workers.idleTimeout === undefined || e.workers.idleTimeout === want.workers.idleTimeout) &&
    JSON.stringify(e.scaling) === JSON.stringify(want.scaling)
  );
}

async function ensureEndpoint(rec: DeploymentRecord, deps: StepDeps, firstTry: boolean): Promise<Outcome> {
  if (firstTry) return createEndpoint(rec, deps);
  const listed = await deps.runpod.listEndpoints();
  if (!listed.ok) return { ok: false, retryable: listed.retryable, message: listed.message };
  const mine = listed.value.endpoints.filter((e) => e.name === rec.endpointName);
  const existing = mine.find((e) => e.id === rec.endpointId) ?? mine[0];
  if (existing) {
    // Made by an earlier try; converge its scaling on the plan (it may have changed since that try).
    if (!sameScaling(existing, rec.plan.scaling)) {
      const patched = await deps.runpod.updateEndpoint(existing.id, scalingBody(rec.plan.scaling));
      if (!patched.ok) return { ok: false, retryable: patched.retryable, message: patched.message };
    }
    return { ok: true, endpointId: existing.id };
  }
  return createEndpoint(rec, deps);
}

async function createEndpoint(rec: DeploymentRecord, deps: StepDeps): Promise<Outcome> {
  const created = await deps.runpod.createEndpoint(endpointBody(rec, await deps.hfToken()));
  if (!created.ok) return { ok: false, retryable: created.retryable, message: created.message };
  return { ok: true, endpointId: created.value.id };
}

async function checkHealth(rec: DeploymentRecord, deps: StepDeps, warmupAfterMs: number): Promise<Outcome> {
  if (!rec.endpointId) return { ok: false, retryable: false, message: "no endpoint id" };
  const h = await deps.runpod.health(rec.endpointId);
  if (!h.ok) return { ok: false, retryable: h.retryable || h.status === 404, message: h.message };
  const w = workerHealth(h.value);
  if (warmWorkers(w) > 0) return { ok: true, healthy: true, workersSeen: warmWorkers(w) };
  // A scaled-to-zero endpoint may start no worker until a job arrives: send one harmless job, once.
  const nothing = w.initializing + w.throttled + w.unhealthy === 0;
  if (nothing && rec.warmupSentAt === null && deps.now() - rec.stateSince >= warmupAfterMs) {
    const sent = await deps.runpod.warmup(rec.endpointId);
    return { ok: true, healthy: false, workersSeen: 0, warmupSent: sent.ok };
  }
  return { ok: true, healthy: false, workersSeen: 0 };
}

async function teardown(rec: DeploymentRecord, deps: StepDeps): Promise<Outcome> {
  // First take the route away (the mirror row leaves `ready`), so the bridge stops sending traffic.
  try {
    await mirror(deps.db, rec);
  } catch (err) {
    // A deleted workspace took its rows with it: there is no route left to take away.
    if (!String(err).includes("FOREIGN KEY")) return { ok: false, retryable: true, message: `could not update the deployment list: ${String(err)}` };
  }
  const listed = await deps.runpod.listEndpoints();
  if (!listed.ok) return { ok: false, retryable: true, message: listed.message };
  const ids = new Set(listed.value.endpoints.filter((e) => e.name === rec.endpointName).map((e) => e.id));
  if (rec.endpointId) ids.add(rec.endpointId);
  for (const id of ids) {
    const r = await deps.runpod.deleteEndpoint(id);
    if (!r.ok) return { ok: false, retryable: true, message: r.message };
  }
  return { ok: true };
}

/** Runs the step `action` names for `rec`; returns what came of it (never throws for RunPod or D1 trouble). */
/** `firstCreate`: no create was ever sent for this deployment (so nothing can carry its name yet). */
export async function runStep(action: Action, rec: DeploymentRecord, deps: StepDeps, warmupAfterMs: number, firstCreate = false): Promise<Outcome> {
  switch (action.kind) {
    case "none":
    case "begin":
      return { ok: true };
    case "create":
      return ensureEndpoint(rec, deps, firstCreate);
    case "health":
      return checkHealth(rec, deps, warmupAfterMs);
    case "register":
      try {
        // The route is live once D1 says `ready`: write exactly the record the machine will commit.
        await mirror(deps.db, applyOutcome(rec, action, { ok: true }, deps.now()));
        // deps.now is the DeployObject's clock for this step: it commits this very record next.
        return { ok: true };
      } catch (err) {
        return { ok: false, retryable: true, message: `could not register the route: ${String(err)}` };
      }
    case "scale": {
      if (!rec.endpointId) return { ok: false, retryable: false, message: "no endpoint to scale" };
      const r = await deps.runpod.updateEndpoint(rec.endpointId, scalingBody(action.scaling));
      return r.ok ? { ok: true } : { ok: false, retryable: r.retryable, message: r.message };
    }
    case "move": {
      // Idempotent: the PATCH names the pool outright, so a repeat after a lost answer changes nothing.
      if (!rec.endpointId) return { ok: false, retryable: false, message: "no endpoint to move" };
      const r = await deps.runpod.updateEndpoint(rec.endpointId, { gpu: { pools: [action.gpu.pool], count: action.gpu.count } });
      return r.ok ? { ok: true } : { ok: false, retryable: r.retryable, message: r.message };
    }
    case "teardown":
      return teardown(rec, deps);
  }
}
