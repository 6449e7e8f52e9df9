import type Stripe from "stripe";
import { planOf } from "../budgets/plans";
import { periodBounds, periodOf } from "../budgets/policy";
import type { Env } from "../env";
import { ensurePrices, USAGE_METER_EVENT } from "./catalog";
import { markupPercent, meterLines, type LedgerEvent } from "./meter-derive";
import { stripeClient } from "./stripe";

/**
 * Usage-based billing, run by the cron. Three steps, each safe to repeat:
 * - fill: for every subscribed workspace, derive the period's billable lines from the ledger
 *   (meter-derive.ts) and add the ones not yet in the outbox (meter_report, keyed by usage event id);
 * - send: report pending lines to Stripe as meter events whose identifier is that id (Stripe refuses a
 *   second event with the same identifier, which we count as accepted), retrying failures on later runs;
 * - reconcile (daily): compare what Stripe has summed for the period with what the outbox says it sent,
 *   and send the period again where Stripe has less (identifiers make the resend bill only what is missing).
 */
const LIVE = "('active', 'trialing', 'past_due')";

interface BillingWorkspace {
  workspaceId: string;
  customerId: string;
}

async function billingWorkspaces(db: D1Database): Promise<BillingWorkspace[]> {
  const { results } = await db
    .prepare(`SELECT s.workspace_id, c.customer_id FROM billing_subscription s JOIN billing_customer c ON c.workspace_id = s.workspace_id WHERE s.status IN ${LIVE}`)
    .all<{ workspace_id: string; customer_id: string }>();
  return results.map((r) => ({ workspaceId: r.workspace_id, customerId: r.customer_id }));
}

export async function fillMeterOutbox(env: Env, period: string, now: number): Promise<number> {
  const { start, end } = periodBounds(period);
  const markup = markupPercent(env.BILLING_MARKUP_PERCENT);
  let added = 0;
  for (const ws of await billingWorkspaces(env.DB)) {
    const plan = await planOf(env.DB, ws.workspaceId, now);
    if (plan.plan === "enterprise" || plan.monthlyTokens === null) continue; // invoiced on its own terms
    const { results } = await env.DB.prepare(
      "SELECT id, at, provider, input_tokens + output_tokens AS tokens, cost_micros FROM usage_event WHERE workspace_id = ? AND at >= ? AND at < ?",
    )
      .bind(ws.workspaceId, Date.parse(start), Date.parse(end))
      .all<{ id: string; at: number; provider: string; tokens: number; cost_micros: number }>();
    const events: LedgerEvent[] = results.map((r) => ({ id: r.id, at: r.at, provider: r.provider, tokens: r.tokens, costMicros: r.cost_micros }));
    const lines = meterLines(events, plan.monthlyTokens, markup);
    for (let i = 0; i < lines.length; i += 50) {
      const chunk = lines.slice(i, i + 50);
      const res = await env.DB.batch(
        chunk.map((l) =>
          env.DB.prepare(
            "INSERT INTO meter_report (id, workspace_id, meter, quantity, usage_at, amount_micros, period_start, status, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?) ON CONFLICT (id) DO NOTHING",
          ).bind(l.id, ws.workspaceId, l.kind, l.amountMicros, l.at, l.amountMicros, period, now),
        ),
      );
      added += res.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
    }
  }
  return added;
}

const alreadyThere = (err: unknown) => /already exists with identifier/i.test((err as { message?: string } | null)?.message ?? "");

export async function sendMeterEvents(env: Env, now: number, limit = 500): Promise<{ sent: number; failed: number }> {
  const { results } = await env.DB.prepare(
    `SELECT r.id, r.amount_micros, r.usage_at, c.customer_id FROM meter_report r JOIN billing_customer c ON c.workspace_id = r.workspace_id
     WHERE r.status = 'pending' ORDER BY r.created_at LIMIT ?`,
  )
    .bind(limit)
    .all<{ id: string; amount_micros: number; usage_at: number | null; customer_id: string }>();
  if (!results.length) return { sent: 0, failed: 0 };
  const stripe = stripeClient(env);
  await ensurePrices(stripe); // the meter exists before its first event
  let sent = 0;
  let failed = 0;
  for (const r of results) {
    try {
      await stripe.billing.meterEvents.create({
        event_name: USAGE_METER_EVENT,
        identifier: r.id,
        payload: { stripe_customer_id: r.customer_id, value: String(r.amount_micros) },
        timestamp: Math.floor((r.usage_at ?? now) / 1000),
      });
    } catch (err) {
      if (!alreadyThere(err)) {
        failed++;
        await env.DB.prepare("UPDATE meter_report SET attempts = attempts + 1, last_error = ? WHERE id = ?").bind(String((err as Error).message).slice(0, 500), r.id).run();
        continue;
      }
    }
    sent++;
    await env.DB.prepare("UPDATE meter_report SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?").bind(now, r.id).run();
  }
  return { sent, failed };
}

export interface ReconcileReport {
  period: string;
  workspaces: { workspaceId: string; expectedMicros: number; stripeMicros: number; resent: number }[];
}

/** Stripe's sum of the meter for a customer over a period (micro-dollars). */
async function stripeTotal(stripe: Stripe, meter: string, customer: string, period: string): Promise<number> {
  const { start, end } = periodBounds(period);
  const summaries = await stripe.billing.meters.listEventSummaries(meter, { customer, start_time: Math.floor(Date.parse(start) / 1000), end_time: Math.floor(Date.parse(end) / 1000) });
  return summaries.data.reduce((n, s) => n + s.aggregated_value, 0);
}

export async function reconcileMeters(env: Env, now: number, period = periodOf(now)): Promise<ReconcileReport> {
  await fillMeterOutbox(env, period, now); // the ledger's side: anything not yet in the outbox
  const stripe = stripeClient(env);
  const { usage } = await ensurePrices(stripe);
  const report: ReconcileReport = { period, workspaces: [] };
  for (const ws of await billingWorkspaces(env.DB)) {
    const row = await env.DB.prepare("SELECT coalesce(sum(amount_micros), 0) AS n FROM meter_report WHERE workspace_id = ? AND period_start = ? AND status = 'sent'")
      .bind(ws.workspaceId, period)
      .first<{ n: number }>();
    const expected = Number(row?.n ?? 0);
    const stripeMicros = await stripeTotal(stripe, usage.meter, ws.customerId, period);
    let resent = 0;
    if (stripeMicros < expected) {
      const r = await env.DB.prepare("UPDATE meter_report SET status = 'pending' WHERE workspace_id = ? AND period_start = ? AND status = 'sent'").bind(ws.workspaceId, period).run();
      resent = r.meta.changes ?? 0;
    }
    report.workspaces.push({ workspaceId: ws.workspaceId, expectedMicros: expected, stripeMicros, resent });
  }
  if (report.workspaces.some((w) => w.resent > 0)) await sendMeterEvents(env, now, 10_000);
  return report;
}

/** The cron's share: fill and send every run; reconcile the previous and current periods once a day. */
export async function runMetering(env: Env, scheduledTime: number): Promise<{ added: number; sent: number; failed: number; reconciled: boolean }> {
  const added = await fillMeterOutbox(env, periodOf(scheduledTime), scheduledTime);
  const { sent, failed } = await sendMeterEvents(env, scheduledTime);
  const t = new Date(scheduledTime);
  const daily = t.getUTCHours() === 3 && t.getUTCMinutes() < 5;
  if (daily) {
    await reconcileMeters(env, scheduledTime, periodOf(scheduledTime - 86_400_000));
    await reconcileMeters(env, scheduledTime);
  }
  return { added, sent, failed, reconciled: daily };
}
