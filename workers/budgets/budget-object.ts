import { DurableObject } from "cloudflare:workers";
import { takeFromWindow, type WindowState } from "../platform/rate-window";
import { expire, freshState, nextAlarm, periodBounds, release, remaining, reserve, roll, settle, type BudgetState } from "./policy";
import type { Env } from "../env";
import { notifyBudgetCrossings } from "../notify/emitters";

/**
 * One Durable Object per billing principal (workspace). It is the only place a workspace's token budget
 * changes, so parallel requests are serialised here and can never overspend: reserve before the upstream
 * call, settle after, release on failure. It also keeps the per-key RPM/TPM windows, and an outbox of usage
 * events that it flushes to D1 until D1 has them (an event is deleted from the outbox only after its D1
 * write succeeded), so a D1 outage loses nothing.
 *
 * Stored: `state` (BudgetState: period, budget, used, open reservations), the SQLite `outbox` table, and
 * `settled`: the ids of events already counted (3 days), so settling one twice counts it once.
 * Windows live in memory only: they are at most a minute long, and losing them on eviction only forgives
 * one window, while persisting them would cost a write per request.
 * The next alarm is derived from the stored record: the earliest reservation expiry, or an outbox retry.
 */
export interface KeyLimits {
  keyId: string;
  rpm?: number | undefined;
  tpm?: number | undefined;
}

export interface ReserveInput {
  reservationId: string;
  /** The workspace's monthly budget in tokens (null: unlimited); the plan decides, the caller passes it. */
  budget: number | null;
  inputTokens: number;
  requestedOutput: number;
  limits?: KeyLimits;
}

export type ReserveResult =
  | { ok: true; maxOutputTokens: number; remaining: number; rate?: RateHeaders }
  | { ok: false; reason: "budget_exhausted" | "prompt_exceeds_budget" | "rpm" | "tpm"; remaining: number; retryAfterSeconds?: number; rate?: RateHeaders };

/** What x-ratelimit-* headers report. */
export interface RateHeaders {
  limitRequests?: number;
  remainingRequests?: number;
  limitTokens?: number;
  remainingTokens?: number;
  resetSeconds: number;
}

export interface UsageEvent {
  id: string;
  at: number;
  workspaceId: string;
  keyId: string | null;
  requested: string;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costMicros: number;
  savingsMicros: number;
  latencyMs: number;
  status: string;
}

const MINUTE = 60_000;
const FLUSH_RETRY_MS = 5_000;
const FLUSH_DELAY_MS = 200;
/** How long a settled event id is remembered (a retry of a call or a batch item comes within hours). */
const SETTLED_KEEP_MS = 3 * 24 * 3_600_000;

export class BudgetObject extends DurableObject<{ DB: D1Database }> {
  private state: BudgetState | undefined;
  private windows = new Map<string, WindowState>();
  /** Mirrors of stored facts, so the hot path does not read storage to decide whether to touch the alarm. */
  private alarmAt: number | null = null;
  private outboxSize = 0;

  constructor(ctx: DurableObjectState, env: { DB: D1Database }) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.state = await ctx.storage.get<BudgetState>("state");
      ctx.storage.sql.exec(
        "create table if not exists outbox (id text primary key, at integer not null, event text not null)",
      );
      ctx.storage.sql.exec("create table if not exists settled (id text primary key, at integer not null)");
      this.outboxSize = ctx.storage.sql.exec<{ n: number }>("select count(*) as n from outbox").one().n;
      this.alarmAt = await ctx.storage.getAlarm();
    });
  }

  private load(now: number, budget: number | null): BudgetState {
    const s = this.state ?? freshState(now, budget);
    // The plan is the truth for the budget size (a plan change mid-month applies at once).
    return roll({ ...s, budget }, now);
  }

  private async save(s: BudgetState): Promise<void> {
    this.state = s;
    await this.ctx.storage.put("state", s);
    await this.schedule();
  }

  /**
   * The next alarm, derived from the record: the earliest reservation expiry, or a flush shortly after new
   * outbox events (batching the D1 writes of a burst into one). Only moves the alarm earlier.
   */
  private async schedule(): Promise<void> {
    const times: number[] = [];
    const expiry = this.state ? nextAlarm(this.state) : undefined;
    if (expiry !== undefined) times.push(expiry);
    if (this.outboxSize > 0) times.push(Date.now() + FLUSH_DELAY_MS);
    if (!times.length) return;
    const next = Math.min(...times);
    if (this.alarmAt !== null && this.alarmAt <= next) return;
    this.alarmAt = next;
    await this.ctx.storage.setAlarm(next);
  }

  /** Per-key request and token windows; tokens are charged at the reserved worst case, then corrected. */
  private takeRate(limits: KeyLimits | undefined, tokens: number, now: number): { ok: boolean; retryAfter: number; rate?: RateHeaders; kind?: "rpm" | "tpm" } {
    if (!limits || (limits.rpm === undefined && limits.tpm === undefined)) return { ok: true, retryAfter: 0 };
    const rate: RateHeaders = { resetSeconds: Math.ceil((MINUTE - (now % MINUTE)) / 1000) };
    if (limits.rpm !== undefined) {
      const d = takeFromWindow(this.windows.get(`rpm:${limits.keyId}`), now, limits.rpm, MINUTE);
      rate.limitRequests = limits.rpm;
      rate.remainingRequests = d.remaining;
      if (!d.allowed) return { ok: false, retryAfter: d.retryAfter, rate, kind: "rpm" };
      this.windows.set(`rpm:${limits.keyId}`, d.state);
    }
    if (limits.tpm !== undefined) {
      const d = takeFromWindow(this.windows.get(`tpm:${limits.keyId}`), now, limits.tpm, MINUTE, Math.min(tokens, limits.tpm));
      rate.limitTokens = limits.tpm;
      rate.remainingTokens = d.remaining;
      if (!d.allowed) return { ok: false, retryAfter: d.retryAfter, rate, kind: "tpm" };
      this.windows.set(`tpm:${limits.keyId}`, d.state);
    }
    return { ok: true, retryAfter: 0, rate };
  }

  async reserve(input: ReserveInput): Promise<ReserveResult> {
    const now = Date.now();
    const state = this.load(now, input.budget);
    const left = remaining(state);
    const worst = input.inputTokens + Math.min(input.requestedOutput, Number.isFinite(left) ? Math.max(0, left - input.inputTokens) : input.requestedOutput);
    const rate = this.takeRate(input.limits, worst, now);
    if (!rate.ok) {
      return { ok: false, reason: rate.kind!, remaining: Number.isFinite(left) ? left : -1, retryAfterSeconds: rate.retryAfter, ...(rate.rate ? { rate: rate.rate } : {}) };
    }
    const d = reserve(state, now, input.reservationId, input.inputTokens, input.requestedOutput);
    if (!d.ok) {
      await this.save(d.state);
      return { ok: false, reason: d.reason, remaining: d.remaining, ...(rate.rate ? { rate: rate.rate } : {}) };
    }
    await this.save(d.state);
    const after = remaining(d.state);
    return { ok: true, maxOutputTokens: d.maxOutputTokens, remaining: Number.isFinite(after) ? after : -1, ...(rate.rate ? { rate: rate.rate } : {}) };
  }

  /** The call ended (complete, broken or aborted): real usage replaces the reservation, and the event is queued for D1. */
  async settle(reservationId: string | undefined, event: UsageEvent, opts: { charge?: boolean; ledger?: boolean } = {}): Promise<void> {
    const now = Date.now();
    const state = this.load(now, this.state?.budget ?? null);
    // An event counts once, like its ledger row: a caller that settles it again (a batch item charged
    // again after a restart lost its "charged" mark) changes nothing but a reservation it still held.
    if (this.ctx.storage.sql.exec("insert or ignore into settled (id, at) values (?, ?)", event.id, now).rowsWritten === 0) {
      if (reservationId && state.reservations[reservationId]) await this.save(release(state, reservationId));
      return;
    }
    // A key's own budget object only counts tokens; the workspace's object writes the ledger.
    if (opts.ledger !== false) {
      const inserted = this.ctx.storage.sql.exec("insert or ignore into outbox (id, at, event) values (?, ?, ?)", event.id, event.at, JSON.stringify(event)).rowsWritten;
      this.outboxSize += inserted > 0 ? 1 : 0;
    }
    const used = opts.charge === false ? 0 : event.inputTokens + event.outputTokens;
    await this.save(reservationId ? settle(state, now, reservationId, used) : { ...state, used: state.used + used });
    if (opts.ledger !== false && used > 0) this.ctx.waitUntil(notifyBudgetCrossings(this.env as Env, event.workspaceId, state, this.state!)); // 50/80/100% crossed: notifications
  }

  /** The call failed before any output: nothing was used. */
  async release(reservationId: string): Promise<void> {
    if (!this.state) return;
    await this.save(release(this.state, reservationId));
  }

  async snapshot(budget: number | null): Promise<{ period: { start: string; end: string }; budget: number | null; used: number; reserved: number; remaining: number | null }> {
    const s = this.load(Date.now(), budget);
    const left = remaining(s);
    return {
      period: periodBounds(s.period),
      budget: s.budget,
      used: s.used,
      reserved: Object.values(s.reservations).reduce((n, r) => n + r.tokens, 0),
      remaining: Number.isFinite(left) ? left : null,
    };
  }

  pendingEvents(): number {
    return this.outboxSize;
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.alarmAt = null;
    if (this.state) {
      this.state = expire(this.state, now);
      await this.ctx.storage.put("state", this.state);
    }
    await this.flush();
    await this.schedule();
  }

  /** Writes queued events to D1 (ledger + daily roll-up) in one batch; on failure they stay for the next alarm. */
  async flush(): Promise<number> {
    const rows = this.ctx.storage.sql.exec<{ id: string; event: string }>("select id, event from outbox order by at limit 100").toArray();
    if (!rows.length) return 0;
    const events = rows.map((r) => JSON.parse(r.event) as UsageEvent);
    try {
      await this.env.DB.batch(events.flatMap((e) => ledgerStatements(this.env.DB, e)));
    } catch (err) {
      console.error("usage flush to D1 failed; will retry", err);
      this.alarmAt = Date.now() + FLUSH_RETRY_MS;
      await this.ctx.storage.setAlarm(this.alarmAt);
      return 0;
    }
    for (const r of rows) this.ctx.storage.sql.exec("delete from outbox where id = ?", r.id);
    this.outboxSize = Math.max(0, this.outboxSize - rows.length);
    // Settled ids are kept long enough for any retry of a call or a batch item (hours), then dropped.
    this.ctx.storage.sql.exec("delete from settled where at < ?", Date.now() - SETTLED_KEEP_MS);
    return rows.length;
  }
}

/** One event: the raw ledger row (idempotent by id) and its day/model/key roll-up. */
export function ledgerStatements(db: D1Database, e: UsageEvent): D1PreparedStatement[] {
  const day = new Date(e.at).toISOString().slice(0, 10);
  return [
    db
      .prepare(
        `insert or ignore into usage_event (id, at, workspace_id, key_id, requested_model, provider, model, input_tokens, output_tokens, cached_input_tokens, cost_micros, savings_micros, latency_ms, status)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(e.id, e.at, e.workspaceId, e.keyId, e.requested, e.provider, e.model, e.inputTokens, e.outputTokens, e.cachedInputTokens, e.costMicros, e.savingsMicros, e.latencyMs, e.status),
    db
      .prepare(
        `insert into usage_daily (workspace_id, day, provider, model, key_id, requests, input_tokens, output_tokens, cost_micros, savings_micros)
         select ?, ?, ?, ?, ?, 1, ?, ?, ?, ? where changes() > 0
         on conflict (workspace_id, day, provider, model, key_id) do update set
           requests = requests + 1, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
           cost_micros = cost_micros + excluded.cost_micros, savings_micros = savings_micros + excluded.savings_micros`,
      )
      .bind(e.workspaceId, day, e.provider, e.model, e.keyId ?? "", e.inputTokens, e.outputTokens, e.costMicros, e.savingsMicros),
  ];
}
