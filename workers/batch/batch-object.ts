import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type { UsageEvent } from "../budgets/budget-object";
import { admit, release } from "../budgets/admission";
import { DEFAULT_OUTPUT_RESERVATION } from "../gateway/pipeline";
import { putFile } from "./files";
import type { BatchInputItem } from "./jsonl";
import { afterFailure, assembleFiles, discountedCostMicros, interpretJob, usageEventId, type FinishedItem, type JobOutcome } from "./items";
import { RunpodJobs } from "./runpod-jobs";
import { notifyBatchFinished } from "../notify/emitters";
import { batchView, errorFileIdOf, isTerminalBatch, newSecret, outputFileIdOf, sha256Hex, type BatchRecord, type BatchView, type RequestCounts } from "./view";

/**
 * One batch (issue 10): its record and items in SQLite, an alarm that drives them. Each tick charges
 * completed items not charged yet, polls RunPod for submitted items whose webhook is late, submits pending
 * items (at most `maxInFlight` per endpoint in flight, `SUBMIT_PER_TICK` per tick, so a big batch spreads
 * over time and workers), and finalizes once every item is done: output and error files in input order.
 *
 * Restart safety: every change is written before the side effect it enables (a claim with the webhook
 * token's hash before `/run`; `completed, charged = 0` before the usage event; `finalizing` before the
 * files); Durable Object output gates hold outgoing requests until those writes are durable. Whatever a
 * restart interrupts, the next tick redoes idempotently: an item submitted without a recorded job is
 * resubmitted after `LOST_AFTER_MS` (the old token is void), an uncharged completed item is charged with
 * its fixed usage-event id, finalizing writes the same file ids again. The alarm lives in storage; any
 * read of the batch (GET) also re-arms it.
 */

const SUBMIT_PER_TICK = 16;
const TICK_MS = 100;
const POLL_AFTER_MS = 3_000;
const POLL_EVERY_MS = 2_000;
/** Longer than a /run call may take (runpod-jobs.ts times out at 10 s): no answer by then means it was lost. */
const LOST_AFTER_MS = 15_000;
/** How often request counts reach the D1 list while items complete (status changes reach it at once). */
const MIRROR_EVERY_MS = 2_000;
const POLLS_PER_TICK = 50;
const IDLE_TICK_MS = 5_000;

type ItemRow = {
  idx: number;
  custom_id: string;
  body: string;
  endpoint_id: string;
  served_model: string;
  requested: string;
  price: string;
  state: string;
  attempts: number;
  job_id: string | null;
  token_hash: string | null;
  next_at: number;
  submitted_at: number | null;
  finished_at: number | null;
  status_code: number | null;
  response: string | null;
  error: string | null;
  input_tokens: number;
  output_tokens: number;
  charged: number;
  /** The budget reservation made before the item's first submission (held across retries). */
  reservation_id: string | null;
  /** The output cap that reservation could pay for, applied to every attempt. */
  max_output: number | null;
};

export interface CreateBatchInput {
  record: BatchRecord;
  items: BatchInputItem[];
  maxInFlight: number;
}

export type WebhookResult = { status: 200 | 401 | 404; message: string };

export class BatchObject extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private mirroredAt = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`create table if not exists meta (k text primary key, v text not null)`);
    this.sql.exec(`create table if not exists items (
      idx integer primary key, custom_id text not null, body text not null, endpoint_id text not null, served_model text not null,
      requested text not null, price text not null, state text not null, attempts integer not null default 0, job_id text,
      token_hash text, next_at integer not null default 0, submitted_at integer, finished_at integer, status_code integer,
      response text, error text, input_tokens integer not null default 0, output_tokens integer not null default 0,
      charged integer not null default 0, reservation_id text, max_output integer)`);
    this.sql.exec(`create index if not exists items_state on items (state, next_at)`);
  }

  // ---- record
  private record(): BatchRecord | undefined {
    const row = this.sql.exec<{ v: string }>("select v from meta where k = 'batch'").toArray()[0];
    return row ? (JSON.parse(row.v) as BatchRecord) : undefined;
  }

  private maxInFlight(): number {
    const row = this.sql.exec<{ v: string }>("select v from meta where k = 'maxInFlight'").toArray()[0];
    return row ? Number(row.v) : 32;
  }

  private async save(r: BatchRecord): Promise<void> {
    this.sql.exec("insert or replace into meta (k, v) values ('batch', ?)", JSON.stringify(r));
    await this.mirror(r);
  }

  private counts(r: BatchRecord): RequestCounts {
    const rows = this.sql.exec<{ state: string; n: number }>("select state, count(*) as n from items group by state").toArray();
    const n = (s: string) => rows.find((x) => x.state === s)?.n ?? 0;
    return { total: r.total, completed: n("completed"), failed: n("failed") };
  }

  /** The workspace's batch list in D1 follows the object (newest state wins; the object is the truth). */
  private async mirror(r: BatchRecord): Promise<void> {
    this.mirroredAt = Date.now();
    if (isTerminalBatch(r.status)) await notifyBatchFinished(this.env, r, this.counts(r)); // batch.finished (same event id however often)
    const view = JSON.stringify(batchView(r, this.counts(r)));
    try {
      await this.env.DB.prepare(
        `insert into batch (id, workspace_id, status, input_file_id, view, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)
         on conflict(id) do update set status = excluded.status, view = excluded.view, updated_at = excluded.updated_at`,
      )
        .bind(r.id, r.workspaceId, r.status, r.inputFileId, view, r.createdAt, Date.now())
        .run();
    } catch (err) {
      console.error(`[${r.id}] batch mirror to D1 failed`, err);
    }
  }

  // ---- RPC
  async create(input: CreateBatchInput): Promise<BatchView> {
    const existing = this.record();
    if (existing) return batchView(existing, this.counts(existing));
    const r = input.record;
    this.ctx.storage.transactionSync(() => {
      for (const it of input.items) {
        this.sql.exec(
          "insert into items (idx, custom_id, body, endpoint_id, served_model, requested, price, state, next_at) values (?, ?, ?, ?, ?, ?, ?, 'pending', 0)",
          it.index,
          it.customId,
          JSON.stringify(it.body),
          it.model.endpointId,
          it.model.servedModel,
          it.model.requested,
          JSON.stringify(it.model.price),
        );
      }
      this.sql.exec("insert or replace into meta (k, v) values ('maxInFlight', ?)", String(input.maxInFlight));
      this.sql.exec("insert or replace into meta (k, v) values ('batch', ?)", JSON.stringify(r));
    });
    await this.mirror(r);
    if (!isTerminalBatch(r.status)) await this.ctx.storage.setAlarm(Date.now());
    return batchView(r, this.counts(r));
  }

  async view(): Promise<BatchView | null> {
    const r = this.record();
    if (!r) return null;
    if (!isTerminalBatch(r.status) && (await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now());
    return batchView(r, this.counts(r));
  }

  async cancel(): Promise<BatchView | null> {
    const r = this.record();
    if (!r) return null;
    if (r.status === "validating" || r.status === "in_progress") {
      const next: BatchRecord = { ...r, status: "cancelling", cancellingAt: Date.now() };
      await this.save(next);
      await this.ctx.storage.setAlarm(Date.now());
      return batchView(next, this.counts(next));
    }
    return batchView(r, this.counts(r));
  }

  /**
   * RunPod's webhook for item `index`: accepted only with the secret of the item's current attempt
   * (compared as SHA-256). A forged, stale or replayed delivery changes nothing: the token is cleared as
   * soon as the item leaves `submitted`.
   */
  async webhook(index: number, secret: string, body: unknown): Promise<WebhookResult> {
    const r = this.record();
    if (!r) return { status: 404, message: "No such batch" };
    const item = this.sql.exec<ItemRow>("select * from items where idx = ?", index).toArray()[0];
    const hash = await sha256Hex(secret);
    if (!item || item.state !== "submitted" || !item.token_hash || item.token_hash !== hash) return { status: 401, message: "Unknown or used job token" };
    const jobId = (body as { id?: unknown } | null)?.id;
    if (item.job_id && typeof jobId === "string" && jobId !== item.job_id) return { status: 401, message: "The job id does not match this token" };
    const outcome = interpretJob(body);
    if (outcome.kind === "running") return { status: 200, message: "Noted" };
    await this.apply(r, item, outcome);
    // The last item done: finalize now rather than at the next poll.
    const open = this.sql.exec<{ n: number }>("select count(*) as n from items where state in ('pending', 'submitted')").one().n;
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || (open === 0 && alarm > Date.now() + TICK_MS)) await this.ctx.storage.setAlarm(Date.now() + (open === 0 ? 0 : TICK_MS));
    return { status: 200, message: "Applied" };
  }

  // ---- the alarm
  override async alarm(): Promise<void> {
    const r = this.record();
    if (!r || isTerminalBatch(r.status)) return;
    let next = Date.now() + IDLE_TICK_MS;
    try {
      next = await this.tick(r);
    } catch (err) {
      console.error(`[${r.id}] batch tick failed`, err);
      next = Date.now() + 1_000;
    }
    const after = this.record();
    if (after && !isTerminalBatch(after.status)) await this.ctx.storage.setAlarm(next);
  }

  /** One step of the batch; returns when the next one is due. */
  private async tick(r: BatchRecord): Promise<number> {
    const now = Date.now();
    await this.chargeOutstanding(r);
    if (r.status === "finalizing") {
      await this.finalize(r);
      return now + TICK_MS;
    }
    if (r.status === "cancelling" || now >= r.expiresAt) {
      await this.stopAll(r, r.status === "cancelling" ? "cancelled" : "expired");
      return now + TICK_MS;
    }
    if (r.status === "validating") {
      r = { ...r, status: "in_progress", inProgressAt: now };
      await this.save(r);
    }
    const jobs = new RunpodJobs(this.env as unknown as Record<string, unknown>);
    await this.pollDue(r, jobs, now);
    await this.submitDue(r, jobs, now);

    const open = this.sql.exec<{ n: number; due: number | null }>("select count(*) as n, min(next_at) as due from items where state in ('pending', 'submitted')").one();
    // A cancel that came in while this tick waited on RunPod is the next tick's to handle.
    if (this.record()?.status !== r.status) return Date.now() + TICK_MS;
    if (open.n === 0) {
      await this.finalize({ ...r, status: "finalizing", finalizingAt: Date.now(), finalStatus: "completed" });
      return Date.now() + TICK_MS;
    }
    if (Date.now() - this.mirroredAt >= MIRROR_EVERY_MS) await this.mirror(r);
    return Math.max(Date.now() + TICK_MS, Math.min(open.due ?? Infinity, Date.now() + IDLE_TICK_MS));
  }

  /** Submitted items whose webhook has not come: ask RunPod. An item whose /run answer was lost is resubmitted. */
  private async pollDue(r: BatchRecord, jobs: RunpodJobs, now: number): Promise<void> {
    const due = this.sql.exec<ItemRow>("select * from items where state = 'submitted' and next_at <= ? order by next_at limit ?", now, POLLS_PER_TICK).toArray();
    await Promise.all(
      due.map(async (item) => {
        if (!item.job_id) {
          await this.apply(r, item, { kind: "retry", reason: "RunPod's answer to the submission was lost" });
          return;
        }
        const res = await jobs.status(item.endpoint_id, item.job_id);
        if (!res.ok) {
          if (res.status === 404) await this.apply(r, item, { kind: "retry", reason: `RunPod no longer knows job ${item.job_id}` });
          else this.sql.exec("update items set next_at = ? where idx = ? and state = 'submitted' and attempts = ?", Date.now() + POLL_EVERY_MS, item.idx, item.attempts);
          return;
        }
        const outcome = interpretJob(res.value);
        if (outcome.kind === "running") this.sql.exec("update items set next_at = ? where idx = ? and state = 'submitted' and attempts = ?", Date.now() + POLL_EVERY_MS, item.idx, item.attempts);
        else await this.apply(r, item, outcome);
      }),
    );
  }

  private async submitDue(r: BatchRecord, jobs: RunpodJobs, now: number): Promise<void> {
    const cap = this.maxInFlight();
    const endpoints = this.sql.exec<{ endpoint_id: string }>("select distinct endpoint_id from items where state = 'pending' and next_at <= ?", now).toArray();
    const work: Promise<void>[] = [];
    for (const { endpoint_id } of endpoints) {
      const inFlight = this.sql.exec<{ n: number }>("select count(*) as n from items where state = 'submitted' and endpoint_id = ?", endpoint_id).one().n;
      const slots = Math.min(SUBMIT_PER_TICK, cap - inFlight);
      if (slots <= 0) continue;
      const batch = this.sql.exec<ItemRow>("select * from items where state = 'pending' and next_at <= ? and endpoint_id = ? order by idx limit ?", now, endpoint_id, slots).toArray();
      for (const item of batch) work.push(this.submit(r, jobs, item));
    }
    await Promise.all(work);
  }

  /**
   * Budgets hold for batches as for live calls: before its first submission an item reserves its worst case
   * in the workspace's (and a capped key's) BudgetObject, and its output is capped to what the month can
   * pay for. An item the budget cannot cover fails with insufficient_quota and never reaches RunPod.
   */
  private async reserveFor(r: BatchRecord, item: ItemRow): Promise<ItemRow | undefined> {
    if (!r.chargeable || item.reservation_id) return item;
    const body = JSON.parse(item.body) as { max_tokens?: unknown; max_completion_tokens?: unknown; messages?: unknown };
    const asked = Number(body.max_completion_tokens ?? body.max_tokens);
    const want = { inputTokens: Math.ceil(JSON.stringify(body.messages ?? "").length / 4), requestedOutput: Number.isFinite(asked) && asked > 0 ? asked : DEFAULT_OUTPUT_RESERVATION };
    const principal = { id: r.workspaceId, keyId: r.keyId ?? undefined, ...(r.keyMonthlyTokens !== undefined ? { monthlyTokens: r.keyMonthlyTokens } : {}) };
    const admitted = await admit(this.env, principal, want);
    if (!admitted.ok) {
      this.sql.exec(
        "update items set state = 'failed', error = ?, finished_at = ?, next_at = 0 where idx = ? and state = 'pending'",
        JSON.stringify({ code: "insufficient_quota", message: admitted.error.message }),
        Date.now(),
        item.idx,
      );
      return undefined;
    }
    const claimed = this.sql.exec("update items set reservation_id = ?, max_output = ? where idx = ? and reservation_id is null", admitted.reservationId ?? null, admitted.maxOutputTokens ?? null, item.idx).rowsWritten;
    if (!claimed) {
      // Another path reserved first: give this one back.
      if (admitted.reservationId) await release(this.env, principal, admitted.reservationId);
      return this.sql.exec<ItemRow>("select * from items where idx = ?", item.idx).one();
    }
    return { ...item, reservation_id: admitted.reservationId ?? null, max_output: admitted.maxOutputTokens ?? null };
  }

  /** A failed or cancelled item gives its reservation back (it used nothing the workspace pays for). */
  private async releaseFor(r: BatchRecord, item: Pick<ItemRow, "reservation_id">): Promise<void> {
    if (!r.chargeable || !item.reservation_id) return;
    await release(this.env, { id: r.workspaceId, keyId: r.keyId ?? undefined, ...(r.keyMonthlyTokens !== undefined ? { monthlyTokens: r.keyMonthlyTokens } : {}) }, item.reservation_id).catch((e: unknown) => console.error("batch: release failed", e));
  }

  private async submit(r: BatchRecord, jobs: RunpodJobs, pending: ItemRow): Promise<void> {
    const item = await this.reserveFor(r, pending);
    if (!item) return;
    const secret = newSecret();
    const hash = await sha256Hex(secret);
    const attempt = item.attempts + 1;
    const now = Date.now();
    // Claimed with the token's hash before RunPod hears of it: a webhook faster than /run's answer is recognised.
    const claimed = this.sql.exec(
      "update items set state = 'submitted', attempts = ?, token_hash = ?, job_id = null, submitted_at = ?, next_at = ? where idx = ? and state = 'pending'",
      attempt,
      hash,
      now,
      now + LOST_AFTER_MS,
      item.idx,
    ).rowsWritten;
    if (!claimed) return;
    const body = JSON.parse(item.body) as Record<string, unknown>;
    delete body.stream;
    delete body.stream_options;
    if (item.max_output !== null) {
      // What the month's budget can still pay for; the reservation holds exactly that.
      const asked = Number(body.max_completion_tokens ?? body.max_tokens);
      body.max_tokens = Number.isFinite(asked) && asked > 0 ? Math.min(asked, item.max_output) : item.max_output;
      delete body.max_completion_tokens;
    }
    const webhook = `${r.origin}/webhooks/runpod?job=${encodeURIComponent(`${r.id}.${item.idx}.${secret}`)}`;
    const res = await jobs.run(item.endpoint_id, { ...body, model: item.served_model }, webhook);
    if (res.ok && typeof res.value?.id === "string") {
      this.sql.exec("update items set job_id = ?, next_at = ? where idx = ? and state = 'submitted' and attempts = ?", res.value.id, Date.now() + POLL_AFTER_MS, item.idx, attempt);
      return;
    }
    const current = { ...item, state: "submitted", attempts: attempt, token_hash: hash };
    if (res.ok) await this.apply(r, current, { kind: "retry", reason: "RunPod accepted the job without an id" });
    else if (res.retryable) await this.apply(r, current, { kind: "retry", reason: res.message });
    else await this.finish(current, { state: "failed", error: { code: "runpod_submit_failed", message: res.message } });
  }

  /** The outcome of the item's current attempt (webhook or poll), applied once whichever comes first. */
  private async apply(r: BatchRecord, item: ItemRow, outcome: Exclude<JobOutcome, { kind: "running" }>): Promise<void> {
    if (outcome.kind === "completed") {
      const body = { ...outcome.body, model: item.requested };
      const done = await this.finish(item, { state: "completed", statusCode: 200, response: body, usage: outcome.usage });
      if (done) await this.charge(r, done);
      return;
    }
    if (outcome.kind === "refused") {
      if (await this.finish(item, { state: "failed", statusCode: outcome.statusCode, response: outcome.body })) await this.releaseFor(r, item);
      return;
    }
    const next = afterFailure(item.attempts, r.maxAttempts, Date.now());
    if (next.state === "pending") {
      this.sql.exec(
        "update items set state = 'pending', token_hash = null, job_id = null, next_at = ?, error = ? where idx = ? and state = 'submitted' and attempts = ?",
        next.nextAt,
        JSON.stringify({ code: "runpod_job_failed", message: outcome.reason }),
        item.idx,
        item.attempts,
      );
    } else if (await this.finish(item, { state: "failed", error: { code: "runpod_job_failed", message: `${outcome.reason} (gave up after ${item.attempts} attempts)` } })) {
      await this.releaseFor(r, item);
    }
  }

  /** Moves the item's current attempt to a final state; undefined when another path got there first. */
  private async finish(
    item: ItemRow,
    f: { state: "completed" | "failed"; statusCode?: number; response?: unknown; error?: { code: string; message: string }; usage?: { inputTokens: number; outputTokens: number } },
  ): Promise<ItemRow | undefined> {
    const now = Date.now();
    const written = this.sql.exec(
      `update items set state = ?, status_code = ?, response = ?, error = ?, input_tokens = ?, output_tokens = ?, token_hash = null, finished_at = ?, next_at = 0
       where idx = ? and state = 'submitted' and attempts = ?`,
      f.state,
      f.statusCode ?? null,
      f.response === undefined ? null : JSON.stringify(f.response),
      f.error ? JSON.stringify(f.error) : null,
      f.usage?.inputTokens ?? 0,
      f.usage?.outputTokens ?? 0,
      now,
      item.idx,
      item.attempts,
    ).rowsWritten;
    if (!written) return undefined;
    return this.sql.exec<ItemRow>("select * from items where idx = ?", item.idx).one();
  }

  /**
   * One usage event per completed item, id `<batch>:item:<index>`: the BudgetObject's outbox and D1's
   * `usage_event` both ignore a second insert of an id, and `charged` keeps this object from asking twice.
   */
  private async charge(r: BatchRecord, item: ItemRow): Promise<void> {
    if (item.charged) return;
    if (r.chargeable) {
      const price = JSON.parse(item.price) as { input: number; output: number };
      const usage = { inputTokens: item.input_tokens, outputTokens: item.output_tokens };
      const event: UsageEvent = {
        id: usageEventId(r.id, item.idx),
        at: item.finished_at ?? Date.now(),
        workspaceId: r.workspaceId,
        keyId: r.keyId,
        requested: item.requested,
        provider: "runpod",
        model: `${item.endpoint_id}/${item.served_model}`,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        cachedInputTokens: 0,
        costMicros: discountedCostMicros(usage, price, r.discountPercent),
        savingsMicros: 0,
        latencyMs: Math.max(0, (item.finished_at ?? Date.now()) - (item.submitted_at ?? Date.now())),
        status: "complete",
      };
      // The item's reservation settles to what it really used (a second settle of it adds nothing).
      const reservation = item.reservation_id ?? undefined;
      await this.env.BUDGETS.get(this.env.BUDGETS.idFromName(`ws:${r.workspaceId}`)).settle(reservation, event, { charge: true });
      // A key with its own monthly cap counts the tokens too, as for bridge calls (the workspace writes the ledger).
      if (r.keyId && r.keyBudget) await this.env.BUDGETS.get(this.env.BUDGETS.idFromName(`key:${r.keyId}`)).settle(reservation, event, { charge: true, ledger: false });
    }
    this.sql.exec("update items set charged = 1 where idx = ?", item.idx);
  }

  private async chargeOutstanding(r: BatchRecord): Promise<void> {
    const rows = this.sql.exec<ItemRow>("select * from items where state = 'completed' and charged = 0 limit 100").toArray();
    for (const row of rows) await this.charge(r, row);
  }

  /** Cancel or expiry: stop what runs (best effort at RunPod), close every open item, then finalize. */
  private async stopAll(r: BatchRecord, to: "cancelled" | "expired"): Promise<void> {
    const open = this.sql.exec<ItemRow>("select * from items where state in ('pending', 'submitted')").toArray();
    const jobs = new RunpodJobs(this.env as unknown as Record<string, unknown>);
    await Promise.all(open.filter((i) => i.state === "submitted" && i.job_id).map((i) => jobs.cancel(i.endpoint_id, i.job_id!).catch(() => undefined)));
    const error = to === "cancelled" ? { code: "batch_cancelled", message: "The batch was cancelled before this request ran" } : { code: "batch_expired", message: "The batch expired before this request ran" };
    this.sql.exec("update items set state = 'cancelled', token_hash = null, error = ?, finished_at = ? where state in ('pending', 'submitted')", JSON.stringify(error), Date.now());
    for (const item of open) await this.releaseFor(r, item);
    await this.finalize({ ...r, status: "finalizing", finalizingAt: r.finalizingAt ?? Date.now(), finalStatus: to });
  }

  /** Writes the output and error files (same ids every time) and ends the batch. */
  private async finalize(r: BatchRecord): Promise<void> {
    if (r.status !== "finalizing") return;
    await this.save(r);
    await this.chargeOutstanding(r);
    const rows = this.sql.exec<ItemRow>("select * from items order by idx").toArray();
    const finished: FinishedItem[] = rows.map((row) => ({
      index: row.idx,
      customId: row.custom_id,
      state: row.state as FinishedItem["state"],
      statusCode: row.status_code,
      response: row.response ? JSON.parse(row.response) : null,
      error: row.state === "completed" || row.status_code !== null ? null : row.error ? (JSON.parse(row.error) as { code: string; message: string }) : { code: "unknown", message: "No result" },
      requestId: row.job_id ?? `${r.id}-${row.idx}`,
    }));
    const files = assembleFiles(r.id, finished);
    let outputFileId: string | null = null;
    let errorFileId: string | null = null;
    if (files.output) {
      outputFileId = outputFileIdOf(r.id);
      await putFile(this.env, { id: outputFileId, workspaceId: r.workspaceId, purpose: "batch_output", filename: `${r.id}_output.jsonl`, content: files.output, batchId: r.id });
    }
    if (files.errors) {
      errorFileId = errorFileIdOf(r.id);
      await putFile(this.env, { id: errorFileId, workspaceId: r.workspaceId, purpose: "batch_output", filename: `${r.id}_error.jsonl`, content: files.errors, batchId: r.id });
    }
    const now = Date.now();
    const to = r.finalStatus ?? "completed";
    const done: BatchRecord = {
      ...r,
      status: to,
      outputFileId,
      errorFileId,
      ...(to === "completed" ? { completedAt: now } : to === "cancelled" ? { cancelledAt: now } : { expiredAt: now }),
    };
    await this.save(done);
    await this.ctx.storage.deleteAlarm();
  }
}
