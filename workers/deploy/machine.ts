import type { Price } from "../catalog/prices";
import type { DeploymentPlan, Scaling } from "./planner";
import type { PoolWatch } from "./pool-fallback";

/**
 * The deployment state machine, pure: a DeployObject's stored record is the truth, `nextAction` derives the
 * one idempotent step to run from it, and `applyOutcome` folds that step's result back into a new record
 * (with the time of the next alarm). Nothing here does I/O, so every path, retries and give-ups included,
 * is tested without a runtime (test/unit/deploy/machine.test.ts).
 *
 *   planned -> creating -> initializing -> ready
 *      \          \             \            \-> (scaling changes applied in place)
 *       `----------`-------------`-> failed (with a reason; resources torn down)
 *   any live state -> deleting -> deleted
 */
export type DeploymentState = "planned" | "creating" | "initializing" | "ready" | "failed" | "deleting" | "deleted";
export const DEPLOYMENT_STATES: readonly DeploymentState[] = ["planned", "creating", "initializing", "ready", "failed", "deleting", "deleted"];

export interface HistoryEntry {
  seq: number;
  at: number;
  state: DeploymentState;
  note: string;
}

export interface DeploymentRecord {
  id: string;
  workspaceId: string;
  createdBy: string | null;
  name: string;
  model: string;
  engine: DeploymentPlan["engine"];
  servedModel: string;
  plan: DeploymentPlan;
  /** What the bridge bills per million tokens on this deployment (micro-dollars). */
  price: Price;
  /** One worker's GPU price, micro-dollars per second. */
  workerMicrosPerSecond: number;
  /** The RunPod endpoint's name: carries the deployment id, so a retry finds what an earlier try made. */
  endpointName: string;
  idempotencyKey: string | null;
  /** The caller's Hugging Face token for a gated model, sealed (workers/byok/crypto.ts); never returned. */
  sealedHfToken: string | null;

  state: DeploymentState;
  /** Bumped by every change; the D1 mirror only accepts newer revisions. */
  rev: number;
  createdAt: number;
  updatedAt: number;
  /** When the current state was entered (bounds the time a state may take). */
  stateSince: number;
  endpointId: string | null;
  /** Failures of the current step in a row (drives backoff and give-up). */
  attempts: number;
  /** When the alarm should run next; null = nothing to do until someone asks. */
  nextAt: number | null;
  lastError: string | null;
  /** Why the deployment failed (state failed). */
  error: string | null;
  /** Failed with an endpoint that may still exist: the teardown keeps running until it is gone. */
  cleanup: boolean;
  /** Workers answered healthy; the bridge route is being registered. */
  healthyAt: number | null;
  /** A warm-up job was sent to make a scaled-to-zero endpoint start a worker. */
  warmupSentAt: number | null;
  /** A scaling change asked for and not yet applied to the endpoint. */
  pendingScaling: Scaling | null;
  readyAt: number | null;
  deletedAt: number | null;
  /** The last revision the D1 mirror holds. */
  mirroredRev: number;
  /** What the mirror last wrote (store.ts `mirrorKey`): revisions that change none of it skip the write. */
  mirroredKey: string | null;
  /** When the first create request was sent. Before that no endpoint can carry this deployment's name. */
  createSentAt: number | null;
  history: HistoryEntry[];

  // Predictive scaling and GPU pool fallback (issue 10). Optional: records stored before them lack them.
  /** The deployment's autoscale and pool settings (absent = defaults, see scaling-settings.ts). */
  scalingSettings?: ScalingSettings;
  /** A move to another GPU pool asked for by the pool watcher and not yet applied to the endpoint. */
  pendingPool?: PendingPool | null;
  /** The pool watcher's state (pool-fallback.ts). */
  poolWatch?: PoolWatch;
  /** The pool the planner picked, kept at the first pool move (the default pool list starts from it). */
  plannedPool?: string;
  /** The latest predictive-scaling proposal, with its explanation. */
  lastProposal?: ScalingProposalRecord | null;
  /** Scaling changes and pool moves made or proposed by the platform, newest last (bounded). */
  scalingLog?: ScalingLogEntry[];
}

export type AutoscaleMode = "off" | "propose" | "apply";

export interface ScalingSettings {
  autoscale: AutoscaleMode;
  /** Monthly ceiling on the deployment's GPU spend that proposals keep to; null = none. */
  costCeilingUsdPerMonth: number | null;
  /** Acceptable GPU pools in price order (first = preferred); empty = the planner's pick and the next that fit. */
  pools: string[];
  /** Pool moves never go to a pool whose worker costs more than this per hour; null = none. */
  maxWorkerUsdPerHour: number | null;
}

export interface PendingPool {
  gpu: DeploymentPlan["gpu"];
  reason: string;
}

export interface ScalingProposalRecord {
  at: number;
  scaling: Scaling;
  explanation: string[];
  capped: string | null;
  applied: boolean;
}

export interface ScalingLogEntry {
  at: number;
  kind: "pool_move" | "pool_blocked" | "proposal" | "applied";
  summary: string;
  before?: { pool?: string; scaling?: Scaling };
  after?: { pool?: string; scaling?: Scaling };
}

export const SCALING_LOG_LIMIT = 50;

export function appendScalingLog(log: ScalingLogEntry[] | undefined, entry: ScalingLogEntry): ScalingLogEntry[] {
  return [...(log ?? []), entry].slice(-SCALING_LOG_LIMIT);
}

export type Action =
  | { kind: "begin" }
  | { kind: "create" }
  | { kind: "health" }
  | { kind: "register" }
  | { kind: "scale"; scaling: Scaling }
  | { kind: "move"; gpu: DeploymentPlan["gpu"] }
  | { kind: "teardown" }
  | { kind: "none" };

/** What a step's I/O came back with. `retryable` failures back off; the others fail the step for good. */
export type Outcome =
  | { ok: true; endpointId?: string; healthy?: boolean; workersSeen?: number; warmupSent?: boolean }
  | { ok: false; retryable: boolean; message: string; gone?: boolean };

export interface MachineLimits {
  /** Tries to create the endpoint before the deployment fails. */
  maxCreateAttempts: number;
  /** Longest a deployment may stay initializing (image pull, model load) before it fails. */
  initTimeoutMs: number;
  /** Tries to apply a scaling change before it is dropped with an error. */
  maxScaleAttempts: number;
  /** With no worker at all for this long while initializing, send one warm-up job. */
  warmupAfterMs: number;
}

/** vLLM's own startup bound is 20 minutes (VLLM_STARTUP_TIMEOUT 1200 s); ours matches it. */
export const DEFAULT_LIMITS: MachineLimits = { maxCreateAttempts: 6, initTimeoutMs: 20 * 60_000, maxScaleAttempts: 6, warmupAfterMs: 30_000 };

const HISTORY_LIMIT = 100;

/** Exponential backoff for control-plane retries: 1 s, 2 s, 4 s … capped. */
export function backoffMs(attempts: number, capMs = 60_000): number {
  return Math.min(capMs, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** Health polls: quick at first (a cached image is ready in seconds), growing by half each time to every 10 s. */
export function pollDelayMs(polls: number): number {
  return Math.min(10_000, Math.round(500 * 1.5 ** Math.max(0, polls)));
}

export const isLive = (s: DeploymentState) => s !== "deleted" && s !== "failed" && s !== "deleting";

/** What a new deployment starts from; the rest of the record is the machine's own bookkeeping. */
export type NewDeployment = Pick<
  DeploymentRecord,
  "id" | "workspaceId" | "createdBy" | "name" | "plan" | "price" | "workerMicrosPerSecond" | "endpointName" | "idempotencyKey" | "sealedHfToken"
>;

export function newRecord(d: NewDeployment, now: number): DeploymentRecord {
  return {
    ...d,
    model: d.plan.model,
    engine: d.plan.engine,
    servedModel: d.plan.servedModel,
    state: "planned",
    rev: 1,
    createdAt: now,
    updatedAt: now,
    stateSince: now,
    endpointId: null,
    attempts: 0,
    nextAt: now,
    lastError: null,
    error: null,
    cleanup: false,
    healthyAt: null,
    warmupSentAt: null,
    pendingScaling: null,
    readyAt: null,
    deletedAt: null,
    mirroredRev: 0,
    mirroredKey: null,
    createSentAt: null,
    history: [{ seq: 1, at: now, state: "planned", note: `planned ${d.plan.model} on ${d.plan.gpu.count}× ${d.plan.gpu.label} with ${d.plan.engine}` }],
  };
}

function bump(rec: DeploymentRecord, now: number, changes: Partial<DeploymentRecord>): DeploymentRecord {
  return { ...rec, ...changes, rev: rec.rev + 1, updatedAt: now };
}

function note(history: HistoryEntry[], at: number, state: DeploymentState, text: string): HistoryEntry[] {
  const seq = (history.at(-1)?.seq ?? 0) + 1;
  return [...history, { seq, at, state, note: text }].slice(-HISTORY_LIMIT);
}

/** Moves to `state`, noting why; resets the per-step counters. */
export function transition(rec: DeploymentRecord, state: DeploymentState, now: number, why: string, changes: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return bump(rec, now, {
    state,
    stateSince: now,
    attempts: 0,
    lastError: null,
    nextAt: now,
    history: note(rec.history, now, state, why),
    ...changes,
  });
}

function fail(rec: DeploymentRecord, now: number, reason: string): DeploymentRecord {
  // An endpoint may exist even when we never saw its id (a create that timed out after RunPod made it).
  return transition(rec, "failed", now, reason, { error: reason, cleanup: true, nextAt: now, pendingScaling: null });
}

/** The one step the record calls for now (or none). Pure and total: every state has an answer. */
export function nextAction(rec: DeploymentRecord): Action {
  switch (rec.state) {
    case "planned":
      return { kind: "begin" };
    case "creating":
      return { kind: "create" };
    case "initializing":
      return rec.healthyAt !== null ? { kind: "register" } : { kind: "health" };
    case "ready":
      if (rec.pendingScaling) return { kind: "scale", scaling: rec.pendingScaling };
      return rec.pendingPool ? { kind: "move", gpu: rec.pendingPool.gpu } : { kind: "none" };
    case "deleting":
      return { kind: "teardown" };
    case "failed":
      return rec.cleanup ? { kind: "teardown" } : { kind: "none" };
    case "deleted":
      return { kind: "none" };
  }
}

/** Folds a step's outcome into the record. `begin` needs no I/O: pass `{ ok: true }`. */
export function applyOutcome(rec: DeploymentRecord, action: Action, outcome: Outcome, now: number, limits: MachineLimits = DEFAULT_LIMITS): DeploymentRecord {
  switch (action.kind) {
    case "none":
      return rec;
    case "begin":
      return transition(rec, "creating", now, "creating the RunPod endpoint");

    case "create": {
      if (outcome.ok && outcome.endpointId) {
        return transition(rec, "initializing", now, `endpoint ${outcome.endpointId} exists; waiting for workers to load ${rec.model}`, { endpointId: outcome.endpointId });
      }
      const message = outcome.ok ? "RunPod returned no endpoint id" : outcome.message;
      const attempts = rec.attempts + 1;
      if ((!outcome.ok && !outcome.retryable) || attempts >= limits.maxCreateAttempts) {
        const why = !outcome.ok && !outcome.retryable ? `RunPod refused the endpoint: ${message}` : `could not create the endpoint after ${attempts} attempts: ${message}`;
        return fail(rec, now, why);
      }
      return bump(rec, now, { attempts, lastError: message, nextAt: now + backoffMs(attempts) });
    }

    case "health": {
      if (outcome.ok && outcome.healthy) return bump(rec, now, { healthyAt: now, attempts: 0, lastError: null, nextAt: now });
      if (now - rec.stateSince >= limits.initTimeoutMs) {
        const last = outcome.ok ? "workers still loading" : outcome.message;
        return fail(rec, now, `workers did not become healthy within ${Math.round(limits.initTimeoutMs / 1000)} s (${last})`);
      }
      const attempts = rec.attempts + 1;
      const changes: Partial<DeploymentRecord> = { attempts, nextAt: now + pollDelayMs(attempts) };
      if (!outcome.ok) changes.lastError = outcome.message;
      if (outcome.ok && outcome.warmupSent) changes.warmupSentAt = now;
      return bump(rec, now, changes);
    }

    case "register": {
      if (outcome.ok) return transition(rec, "ready", now, `serving as runpod/${rec.name}`, { readyAt: now, nextAt: rec.pendingScaling ? now : null });
      if (now - rec.stateSince >= limits.initTimeoutMs) return fail(rec, now, `could not register the bridge route: ${outcome.message}`);
      const attempts = rec.attempts + 1;
      return bump(rec, now, { attempts, lastError: outcome.message, nextAt: now + backoffMs(attempts, 30_000) });
    }

    case "scale": {
      // Only the change that was asked for is cleared: a newer one that arrived meanwhile stays pending.
      const same = JSON.stringify(rec.pendingScaling) === JSON.stringify(action.scaling);
      if (outcome.ok) {
        const s = action.scaling;
        return bump(rec, now, {
          plan: { ...rec.plan, scaling: s },
          pendingScaling: same ? null : rec.pendingScaling,
          attempts: 0,
          lastError: null,
          nextAt: same && !rec.pendingPool ? null : now,
          history: note(rec.history, now, rec.state, `scaling set to ${s.workersMin}-${s.workersMax} workers, idle timeout ${s.idleTimeoutSeconds} s`),
        });
      }
      const attempts = rec.attempts + 1;
      if (!outcome.retryable || attempts >= limits.maxScaleAttempts) {
        const why = `scaling change not applied: ${outcome.message}`;
        return bump(rec, now, { pendingScaling: same ? null : rec.pendingScaling, attempts: 0, lastError: why, nextAt: same && !rec.pendingPool ? null : now, history: note(rec.history, now, rec.state, why) });
      }
      return bump(rec, now, { attempts, lastError: outcome.message, nextAt: now + backoffMs(attempts) });
    }

    case "move": {
      // Only the move that was asked for is cleared; the endpoint's GPU (and so its worker price) changes.
      const pending = rec.pendingPool ?? null;
      const same = pending !== null && pending.gpu.pool === action.gpu.pool;
      const rest = { pendingPool: same ? null : pending, attempts: 0, lastError: null, nextAt: same ? null : now };
      if (outcome.ok) {
        const why = pending && same ? pending.reason : `moved to ${action.gpu.pool}`;
        // The bridge bills this deployment's tokens from its GPU price, which is linear in the card's $/s:
        // the per-token price follows the new pool's (the model and its settings are unchanged).
        const workerMicrosPerSecond = Math.round(action.gpu.usdPerSecond * action.gpu.count * 1_000_000);
        const ratio = rec.workerMicrosPerSecond > 0 ? workerMicrosPerSecond / rec.workerMicrosPerSecond : 1;
        return bump(rec, now, {
          ...rest,
          plan: { ...rec.plan, gpu: action.gpu },
          price: scalePrice(rec.price, ratio),
          workerMicrosPerSecond,
          history: note(rec.history, now, rec.state, `GPU pool ${rec.plan.gpu.pool} → ${action.gpu.pool}: ${why}`),
        });
      }
      const attempts = rec.attempts + 1;
      if (!outcome.retryable || attempts >= limits.maxScaleAttempts) {
        const why = `GPU pool move to ${action.gpu.pool} not applied: ${outcome.message}`;
        // The watcher goes back to the pool the endpoint is really on.
        const poolWatch = rec.poolWatch ? { ...rec.poolWatch, current: rec.plan.gpu.pool } : rec.poolWatch;
        return bump(rec, now, { ...rest, lastError: why, ...(poolWatch ? { poolWatch } : {}), history: note(rec.history, now, rec.state, why) });
      }
      return bump(rec, now, { attempts, lastError: outcome.message, nextAt: now + backoffMs(attempts) });
    }

    case "teardown": {
      if (outcome.ok) {
        if (rec.state === "failed") return bump(rec, now, { cleanup: false, attempts: 0, nextAt: null, history: note(rec.history, now, "failed", "resources released") });
        return transition(rec, "deleted", now, "endpoint deleted; route removed", { deletedAt: now, nextAt: null });
      }
      // Paid resources are never abandoned: keep trying, less often, for as long as it takes.
      const attempts = rec.attempts + 1;
      return bump(rec, now, { attempts, lastError: outcome.message, nextAt: now + backoffMs(attempts, 5 * 60_000) });
    }
  }
}

/** A delete request: from any state but deleted. Idempotent (deleting twice changes nothing). */
export function requestDelete(rec: DeploymentRecord, now: number): DeploymentRecord {
  if (rec.state === "deleted" || rec.state === "deleting") return rec;
  return transition(rec, "deleting", now, "delete requested", { pendingScaling: null, pendingPool: null, cleanup: false });
}

/** The pool watcher asks to move a ready deployment's endpoint to another GPU pool (applied by the alarm). */
export function requestPoolMove(rec: DeploymentRecord, gpu: DeploymentPlan["gpu"], reason: string, now: number): ScalingRequest {
  if (rec.state !== "ready" || !rec.endpointId) return { ok: false, reason: `a ${rec.state} deployment cannot change GPU pool` };
  if (rec.plan.gpu.pool === gpu.pool && !rec.pendingPool) return { ok: true, record: rec };
  return { ok: true, record: bump(rec, now, { pendingPool: { gpu, reason }, plannedPool: rec.plannedPool ?? rec.plan.gpu.pool, nextAt: now }) };
}

export type ScalingRequest = { ok: true; record: DeploymentRecord } | { ok: false; reason: string };

/** A scaling change: applied when the endpoint exists; before that it becomes the plan the endpoint is made with. */
export function requestScaling(rec: DeploymentRecord, scaling: Scaling, now: number): ScalingRequest {
  if (!isLive(rec.state)) return { ok: false, reason: `a ${rec.state} deployment cannot be scaled` };
  if (rec.state === "planned" || (rec.state === "creating" && !rec.endpointId)) {
    return { ok: true, record: bump(rec, now, { plan: { ...rec.plan, scaling } }) };
  }
  return { ok: true, record: bump(rec, now, { pendingScaling: scaling, nextAt: rec.state === "ready" ? now : rec.nextAt }) };
}

/** Reconcile found the endpoint gone behind our back. */
export function markVanished(rec: DeploymentRecord, now: number): DeploymentRecord {
  if (!isLive(rec.state) || !rec.endpointId) return rec;
  const reason = `endpoint ${rec.endpointId} no longer exists on RunPod`;
  return transition(rec, "failed", now, reason, { error: reason, cleanup: false, nextAt: null, pendingScaling: null });
}

/** After I/O, when someone changed the record meanwhile (a delete during a create): keep what the step learned. */
export function mergeObservation(rec: DeploymentRecord, outcome: Outcome): DeploymentRecord {
  if (outcome.ok && outcome.endpointId && !rec.endpointId) return { ...rec, endpointId: outcome.endpointId, rev: rec.rev + 1 };
  return rec;
}

/** New autoscale/pool settings (validated by the caller). */
export function withScalingSettings(rec: DeploymentRecord, settings: ScalingSettings, now: number): ScalingRequest {
  if (!isLive(rec.state)) return { ok: false, reason: `a ${rec.state} deployment cannot be changed` };
  return { ok: true, record: bump(rec, now, { scalingSettings: settings }) };
}

/** A price multiplied through (per-token prices in integer micro-dollars per million, rounded). */
export function scalePrice(price: Price, ratio: number): Price {
  const scaled = (v: number | undefined) => (v === undefined ? undefined : Math.round(v * ratio));
  return {
    input: scaled(price.input)!,
    output: scaled(price.output)!,
    ...(price.cachedInput !== undefined ? { cachedInput: scaled(price.cachedInput)! } : {}),
    ...(price.cacheWrite !== undefined ? { cacheWrite: scaled(price.cacheWrite)! } : {}),
  };
}
