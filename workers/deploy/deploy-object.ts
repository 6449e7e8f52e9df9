import { DurableObject } from "cloudflare:workers";
import { openSecret } from "../byok/crypto";
import { encryptionKey } from "../byok/store";
import type { Env } from "../env";
import {
  applyOutcome,
  DEFAULT_LIMITS,
  markVanished,
  mergeObservation,
  nextAction,
  requestDelete,
  requestScaling,
  type DeploymentRecord,
  type MachineLimits,
  appendScalingLog,
  requestPoolMove,
  withScalingSettings,
  type ScalingProposalRecord,
  type ScalingRequest,
  type ScalingSettings,
} from "./machine";
import { appendAudit } from "../audit/store";
import { demandProfile } from "./forecast";
import { livePools } from "./gpu-catalog";
import { hourlyRequests } from "./request-history";
import type { Scaling } from "./planner";
import { autoscaleBounds, explainBounds, poolPriceCeiling } from "./cost-policy";
import { othersSpend, readCostPolicy, recordForecast, workspaceExpectedSpend } from "./cost-policy-store";
import { newPoolWatch, observePools, type PoolMove } from "./pool-fallback";
import { poolAvailability, RunpodClient, workerHealth } from "./runpod-client";
import { effectivePools, gpuOn, poolOptions, proposeFor, settingsOf } from "./scaling-settings";
import { runStep, type StepDeps } from "./steps";
import { mirror, mirrorKey } from "./store";
import { notifyDeployTransition } from "../notify/emitters";

/**
 * One Durable Object per deployment (named by its id). Its stored record is the truth; the alarm runs the
 * step the record calls for, folds the outcome back in, stores it, and sets the next alarm from it.
 * Requests (delete, scale) only change the record and wake the alarm, so every side effect happens in
 * exactly one place. While a step waits on RunPod, a request may change the record: the step's outcome
 * is then applied only if the record is still the one the step started from (else only what it learned,
 * such as the endpoint id, is kept), and the alarm re-derives the next step from the newer record.
 */
const MAX_STEPS_PER_ALARM = 8;
const MIRROR_RETRY_MS = 5_000;

function limitsFrom(env: Env): MachineLimits {
  const n = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);
  return {
    ...DEFAULT_LIMITS,
    initTimeoutMs: n(env.DEPLOY_INIT_TIMEOUT_MS, DEFAULT_LIMITS.initTimeoutMs),
    warmupAfterMs: n(env.DEPLOY_WARMUP_AFTER_MS, DEFAULT_LIMITS.warmupAfterMs),
  };
}

export class DeployObject extends DurableObject<Env> {
  private rec: DeploymentRecord | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.rec = await ctx.storage.get<DeploymentRecord>("record");
    });
  }

  /** Creates the deployment; a second call (a retried POST) returns the record that exists. */
  async init(record: DeploymentRecord): Promise<DeploymentRecord> {
    if (this.rec) return this.rec;
    await this.commit(record);
    return record;
  }

  get(): DeploymentRecord | null {
    return this.rec ?? null;
  }

  /** Callers waiting for the record to change (the progress stream): woken by every commit. */
  private watchers: (() => void)[] = [];

  /**
   * The record once its revision is past `afterRev`, or as it is after `timeoutMs`: a live view without
   * polling, so a deploy's progress reaches the PWA the moment a step lands.
   */
  async watch(afterRev: number, timeoutMs: number): Promise<DeploymentRecord | null> {
    if (!this.rec || this.rec.rev > afterRev) return this.rec ?? null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      this.watchers.push(resolve);
      timer = setTimeout(resolve, Math.min(Math.max(0, timeoutMs), 30_000));
    });
    clearTimeout(timer);
    return this.rec ?? null;
  }

  async remove(): Promise<DeploymentRecord | null> {
    if (!this.rec) return null;
    await this.commit(requestDelete(this.rec, Date.now()));
    return this.rec;
  }

  async scale(scaling: Scaling): Promise<ScalingRequest> {
    if (!this.rec) return { ok: false, reason: "no such deployment" };
    const r = requestScaling(this.rec, scaling, Date.now());
    if (r.ok) await this.commit(r.record);
    return r;
  }

  async configure(settings: ScalingSettings): Promise<ScalingRequest> {
    if (!this.rec) return { ok: false, reason: "no such deployment" };
    const r = withScalingSettings(this.rec, settings, Date.now());
    if (r.ok) await this.commit(r.record);
    return r;
  }

  /**
   * The GPU pool watcher (pool-fallback.ts), called by the cron for ready deployments: reads the endpoint's
   * /health and the catalog's availability, and when the rules say so asks for a pool move, which the alarm
   * applies like a scaling change. `at` is the watcher's clock (tests pass their own).
   */
  async watchPools(at?: number): Promise<{ skipped?: string; move?: PoolMove; blocked?: string | null }> {
    const rec = this.rec;
    if (!rec || rec.state !== "ready" || !rec.endpointId) return { skipped: "not ready" };
    if (rec.pendingPool || rec.pendingScaling) return { skipped: "a change is pending" };
    const now = at ?? Date.now();
    const client = new RunpodClient(this.env as unknown as Record<string, unknown>);
    const live = await livePools(client);
    const ids = effectivePools(rec, rec.plannedPool ?? rec.plan.gpu.pool, live);
    if (ids.length < 2 && ids[0] === rec.plan.gpu.pool) return { skipped: "only one acceptable pool" };
    const [h, avail] = await Promise.all([client.health(rec.endpointId), client.gpuAvailability(rec.plan.gpu.count)]);
    const health = h.ok ? { ...workerHealth(h.value), inQueue: Number(h.value.jobs?.inQueue ?? 0) } : null;
    const available = avail.ok ? poolAvailability(avail.value.gpus) : {};
    const prior = rec.poolWatch && rec.poolWatch.current === rec.plan.gpu.pool ? rec.poolWatch : { ...newPoolWatch(rec.plan.gpu.pool), lastMoveAt: rec.poolWatch?.lastMoveAt ?? null };
    // The lower of the deployment's own price ceiling and its workspace's (cost-policy.ts).
    const ceiling = poolPriceCeiling(settingsOf(rec), await readCostPolicy(this.env.DB, rec.workspaceId));
    const decision = observePools(prior, poolOptions(ids, rec.plan.gpu.count, live), ceiling, { now, health, available });
    // The record changed while RunPod was asked (a PATCH, a delete): this observation is stale, drop it.
    const current = this.rec;
    if (!current || current.rev !== rec.rev) return { skipped: "the deployment changed meanwhile" };
    let next: DeploymentRecord = { ...current, poolWatch: decision.watch };
    if (decision.watch.blocked && decision.watch.blocked !== prior.blocked) {
      next.scalingLog = appendScalingLog(current.scalingLog, { at: now, kind: "pool_blocked", summary: decision.watch.blocked });
    }
    const move = decision.move;
    const gpu = move ? gpuOn(rec.plan, move.to, live) : undefined;
    if (move && gpu) {
      const r = requestPoolMove(next, gpu, move.reason, Date.now());
      if (!r.ok) return { skipped: r.reason };
      next = { ...r.record, scalingLog: appendScalingLog(next.scalingLog, { at: now, kind: "pool_move", summary: move.reason, before: { pool: move.from }, after: { pool: move.to } }) };
    }
    await this.commit(next);
    if (move && gpu) await this.auditSystem("deployment.pool_move", { pool: move.from }, { pool: move.to, kind: move.kind, reason: move.reason });
    return { ...(move ? { move } : {}), blocked: decision.watch.blocked };
  }

  /**
   * Predictive scaling (forecast.ts), called by the cron: reads the deployment's request history by hour
   * (last 4 weeks), proposes the scaling for the hours ahead within the cost ceiling, and on `apply` sets
   * it through the same path as a PATCH (the alarm updates the endpoint). Each new proposal is logged;
   * applied ones are audited with their explanation. `at` is the forecaster's clock (tests pass their own).
   */
  async autoscale(at?: number): Promise<{ skipped?: string; proposal?: ScalingProposalRecord }> {
    const rec = this.rec;
    if (!rec || rec.state !== "ready" || !rec.endpointId) return { skipped: "not ready" };
    const settings = settingsOf(rec);
    if (settings.autoscale === "off") return { skipped: "autoscale is off" };
    // The workspace's policy bounds the deployment's own settings: the mode it allows at most, and its
    // monthly GPU ceiling less what the workspace's other deployments are expected to cost.
    const policy = await readCostPolicy(this.env.DB, rec.workspaceId);
    // The siblings' spend matters only under a workspace GPU ceiling.
    const spend = policy.gpuSpendCeilingUsdPerMonth === null ? new Map<string, number>() : await workspaceExpectedSpend(this.env.DB, rec.workspaceId);
    const bounds = autoscaleBounds(settings, policy, othersSpend(spend, rec.id));
    if (bounds.mode === "off") return { skipped: `autoscale is off: ${bounds.modeReason}` };
    const now = at ?? Date.now();
    const history = await hourlyRequests(this.env.DB, { workspaceId: rec.workspaceId, endpointId: rec.endpointId, servedModel: rec.servedModel, now });
    const profile = demandProfile(history, now, { since: rec.readyAt ?? rec.createdAt });
    const p = explainBounds(proposeFor(rec, profile, now, bounds.ceilingUsdPerMonth), bounds);
    const current = this.rec;
    if (!current || current.rev !== rec.rev) return { skipped: "the deployment changed meanwhile" };
    const base = current.pendingScaling ?? current.plan.scaling;
    const scaling: Scaling = { ...base, workersMin: p.workersMin, workersMax: p.workersMax, idleTimeoutSeconds: p.idleTimeoutSeconds };
    const differs = scaling.workersMin !== base.workersMin || scaling.workersMax !== base.workersMax || scaling.idleTimeoutSeconds !== base.idleTimeoutSeconds;
    const apply = bounds.mode === "apply" && differs;
    const proposal: ScalingProposalRecord = { at: now, scaling, explanation: p.explanation, capped: p.capped, applied: apply };
    const same = (a: Scaling | undefined, b: Scaling) => !!a && a.workersMin === b.workersMin && a.workersMax === b.workersMax && a.idleTimeoutSeconds === b.idleTimeoutSeconds;
    const summary = `${scaling.workersMin}-${scaling.workersMax} workers, idle timeout ${scaling.idleTimeoutSeconds} s: ${p.explanation[0]}`;
    let next: DeploymentRecord = { ...current, lastProposal: proposal };
    if (apply) {
      const r = requestScaling(next, scaling, Date.now());
      if (!r.ok) return { skipped: r.reason };
      next = { ...r.record, scalingLog: appendScalingLog(current.scalingLog, { at: now, kind: "applied", summary, before: { scaling: base }, after: { scaling } }) };
    } else if (differs && !same(current.lastProposal?.scaling, scaling)) {
      next.scalingLog = appendScalingLog(current.scalingLog, { at: now, kind: "proposal", summary, before: { scaling: base }, after: { scaling } });
    }
    await this.commit(next);
    await recordForecast(this.env.DB, { deploymentId: rec.id, workspaceId: rec.workspaceId, monthlyUsd: p.monthlyUsd, at: now });
    if (apply) await this.auditSystem("deployment.autoscale", { scaling: base }, { scaling, explanation: p.explanation, capped: p.capped });
    return { proposal };
  }

  /** An audit entry for a change the platform made on its own (no user): the actor is null. */
  private async auditSystem(action: string, before: unknown, after: unknown): Promise<void> {
    if (!this.rec) return;
    try {
      await appendAudit(this.env.DB, [{ workspaceId: this.rec.workspaceId, actor: null, action, target: { type: "deployment", id: this.rec.id }, before, after }]);
    } catch (err) {
      console.error(`deployment ${this.rec.id}: audit of ${action} failed`, err);
    }
  }

  /** Reconcile: the endpoint disappeared on RunPod. */
  async vanished(): Promise<DeploymentRecord | null> {
    if (!this.rec) return null;
    const next = markVanished(this.rec, Date.now());
    if (next !== this.rec) await this.commit(next);
    return this.rec;
  }

  /** Reconcile: make sure a deployment with work to do has an alarm (a lost alarm must not strand it). */
  async resume(): Promise<boolean> {
    if (!this.rec || this.rec.nextAt === null) return false;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Math.max(Date.now(), this.rec.nextAt));
    return true;
  }

  /** The step loop in flight, if any: a second alarm invocation waits for it instead of racing it. */
  private running: Promise<void> | undefined;

  override async alarm(): Promise<void> {
    // The runtime runs one alarm at a time, but a manually triggered alarm (tests, a future "retry now")
    // could overlap a scheduled one: two overlapping create steps would both find no endpoint and both
    // create one. Chaining makes the second run re-derive its step from what the first stored.
    const run = (this.running ?? Promise.resolve()).then(() => this.runSteps());
    this.running = run.catch(() => undefined);
    await run;
  }

  private async runSteps(): Promise<void> {
    const limits = limitsFrom(this.env);
    const deps = this.deps();
    for (let i = 0; i < MAX_STEPS_PER_ALARM && this.rec; i++) {
      const rec = this.rec;
      const now = Date.now();
      if (rec.nextAt === null || rec.nextAt > now) break;
      const action = nextAction(rec);
      if (action.kind === "none") {
        await this.commit({ ...rec, nextAt: null });
        break;
      }
      let firstCreate = false;
      if (action.kind === "create" && rec.createSentAt === null) {
        // Stored before the request goes out: any later try knows an endpoint may exist and looks first.
        firstCreate = true;
        this.rec = { ...rec, createSentAt: now };
        await this.ctx.storage.put("record", this.rec);
      }
      // One clock reading for the step and its outcome: the register step writes to D1 the very record
      // committed below, so that write also counts as this revision's mirror.
      const at = Date.now();
      const outcome = await runStep(action, this.rec!, { ...deps, now: () => at }, limits.warmupAfterMs, firstCreate);
      const current = this.rec!;
      let next = current.rev === rec.rev ? applyOutcome(current, action, outcome, at, limits) : mergeObservation(current, outcome);
      if (action.kind === "register" && outcome.ok && current.rev === rec.rev) next = { ...next, mirroredRev: next.rev, mirroredKey: mirrorKey(next) };
      if (next !== current) await this.commit(next);
    }
    await this.syncMirror();
  }

  private deps(): StepDeps {
    return {
      runpod: new RunpodClient(this.env as unknown as Record<string, unknown>),
      db: this.env.DB,
      now: Date.now,
      hfToken: async () => (this.rec?.sealedHfToken ? openSecret(encryptionKey(this.env), this.rec.sealedHfToken, this.rec.id) : undefined),
    };
  }

  /** Stores the record and points the alarm at its next step; then mirrors it to D1 (retried if D1 fails). */
  private async commit(rec: DeploymentRecord): Promise<void> {
    this.ctx.waitUntil(notifyDeployTransition(this.env, this.rec, rec)); // ready/failed -> notifications (after the put below is durable: output gate)
    this.rec = rec;
    await this.ctx.storage.put("record", rec);
    const woken = this.watchers;
    this.watchers = [];
    for (const wake of woken) wake();
    await this.schedule();
    await this.syncMirror();
  }

  private async schedule(): Promise<void> {
    const rec = this.rec;
    const mirrorDue = rec && rec.mirroredRev < rec.rev ? Date.now() + MIRROR_RETRY_MS : null;
    const at = [rec?.nextAt ?? null, mirrorDue].filter((t): t is number => t !== null);
    if (at.length) await this.ctx.storage.setAlarm(Math.min(...at));
    else await this.ctx.storage.deleteAlarm();
  }

  private async syncMirror(): Promise<void> {
    const rec = this.rec;
    if (!rec || rec.mirroredRev >= rec.rev) return;
    const key = mirrorKey(rec);
    try {
      // Retry counters and poll times are the object's own business: only what the row shows is written.
      if (key !== rec.mirroredKey) await mirror(this.env.DB, rec);
    } catch (err) {
      if (String(err).includes("FOREIGN KEY") && this.rec) {
        // The workspace was deleted (its rows went with it): release the GPUs, and stop mirroring a row
        // that can never be written again.
        const gone = requestDelete(this.rec, Date.now());
        this.rec = { ...gone, mirroredRev: gone.rev };
        await this.ctx.storage.put("record", this.rec);
        await this.schedule();
        return;
      }
      console.error(`deployment ${rec.id}: D1 mirror failed (retrying)`, err);
      await this.schedule();
      return;
    }
    // Only the mirror bookkeeping changes; a newer record committed meanwhile keeps its own value.
    if (this.rec && this.rec.rev === rec.rev) {
      this.rec = { ...this.rec, mirroredRev: rec.rev, mirroredKey: key };
      await this.ctx.storage.put("record", this.rec);
      await this.schedule();
    }
  }
}
