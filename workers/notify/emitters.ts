import type { Env } from "../env";
import { crossedThresholds, naturalIds } from "./events";
import { notify } from "./emit";
import { periodOf } from "../budgets/policy";

/**
 * The emitters' one-liners: each turns what its capability knows into an event with a deterministic id,
 * and never throws (notify() logs and swallows). Kept here so the capabilities stay one line each.
 */

/** BudgetObject.settle: usage went from `before` to `after` of the month's budget. */
export async function notifyBudgetCrossings(env: Env, workspaceId: string, before: { period: string; used: number; budget: number | null }, after: { period: string; used: number; budget: number | null }): Promise<void> {
  if (before.period !== after.period) before = { ...before, used: 0 };
  const crossed = crossedThresholds(before.used, after.used, after.budget);
  for (const percent of crossed) {
    await notify(env, {
      workspaceId,
      type: "budget.threshold",
      id: await naturalIds.budgetThreshold(workspaceId, after.period, percent),
      data: { percent, period: after.period, budgetTokens: after.budget!, usedTokens: after.used },
    });
  }
}

/** Event ids emitted recently by this isolate: a workspace hammering an exhausted budget emits once. */
const recentlyEmitted = new Map<string, number>();
const RECENT_MS = 10 * 60_000;

/** Share of the budget left under which a refusal for lack of budget counts as reaching 100%. */
export const EXHAUSTED_SHARE = 0.05;

/**
 * admit(): the budget refused a request. Usage rarely lands exactly on the budget (the last call's output
 * is capped to what is left, and its prompt was estimated), so "100%" also fires when requests are being
 * refused with less than 5% left: for the workspace the budget is used up. Same id as the crossing.
 */
export async function notifyBudgetRefused(env: Env, workspaceId: string, budget: number | null, remaining: number, now = Date.now()): Promise<void> {
  if (budget === null || !(budget > 0) || remaining > budget * EXHAUSTED_SHARE) return;
  const period = periodOf(now);
  const id = await naturalIds.budgetThreshold(workspaceId, period, 100);
  const seen = recentlyEmitted.get(id);
  if (seen !== undefined && now - seen < RECENT_MS) return;
  try {
    // `remaining` also subtracts calls in flight: a burst reserving the rest of a half-used budget is not
    // exhaustion. Only settled usage counts.
    const snap = await env.BUDGETS.get(env.BUDGETS.idFromName(`ws:${workspaceId}`)).snapshot(budget);
    if (budget - snap.used > budget * EXHAUSTED_SHARE) return;
    recentlyEmitted.set(id, now);
    if (recentlyEmitted.size > 10_000) recentlyEmitted.clear();
    await notify(env, { workspaceId, type: "budget.threshold", id, data: { percent: 100, period, budgetTokens: budget, usedTokens: snap.used } });
  } catch (err) {
    console.error(`budget notification for ${workspaceId} failed`, err);
  }
}

/** DeployObject.commit: a transition into ready or failed. */
export async function notifyDeployTransition(
  env: Env,
  prev: { state: string } | undefined,
  rec: { id: string; workspaceId: string; name: string; model: string; state: string; readyAt?: number | null; error?: string | null },
): Promise<void> {
  if (prev?.state === rec.state) return;
  const model = rec.model;
  if (rec.state === "ready") {
    await notify(env, {
      workspaceId: rec.workspaceId,
      type: "deployment.ready",
      id: await naturalIds.deploymentReady(rec.id, rec.readyAt ?? 0),
      data: { deploymentId: rec.id, name: rec.name, model, state: "ready" },
    });
  } else if (rec.state === "failed") {
    await notify(env, {
      workspaceId: rec.workspaceId,
      type: "deployment.failed",
      id: await naturalIds.deploymentFailed(rec.id),
      data: { deploymentId: rec.id, name: rec.name, model, state: "failed", error: rec.error ?? null },
    });
  }
}

/** BatchObject: the batch reached a terminal status (emitting again is harmless: same id). */
export async function notifyBatchFinished(env: Env, r: { id: string; workspaceId: string; status: string }, counts: { total: number; completed: number; failed: number }): Promise<void> {
  if (!["completed", "failed", "cancelled", "expired"].includes(r.status)) return;
  await notify(env, {
    workspaceId: r.workspaceId,
    type: "batch.finished",
    id: await naturalIds.batchFinished(r.id),
    data: { batchId: r.id, status: r.status as "completed", requestCounts: counts },
  });
}

/** Stripe's invoice.payment_failed, once per Stripe event. */
export async function notifyPaymentFailed(
  env: Env,
  workspaceId: string,
  stripeEventId: string,
  invoice: { id?: string | null; amount_due?: number | null; currency?: string | null; attempt_count?: number | null; hosted_invoice_url?: string | null },
  graceUntil: number | null,
): Promise<void> {
  await notify(env, {
    workspaceId,
    type: "payment.failed",
    id: await naturalIds.paymentFailed(stripeEventId),
    data: {
      stripeEventId,
      invoiceId: invoice.id ?? null,
      amountDue: invoice.amount_due ?? null,
      currency: invoice.currency ?? null,
      attemptCount: invoice.attempt_count ?? null,
      graceUntil: graceUntil ? new Date(graceUntil).toISOString() : null,
      hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    },
  });
}

/** /api/keys: a key created or revoked. */
export async function notifyKey(env: Env, type: "key.created" | "key.revoked", workspaceId: string, key: { id: string; name: string; prefix: string }, by: string | null): Promise<void> {
  if (type === "key.created") {
    await notify(env, { workspaceId, type, id: await naturalIds.keyCreated(key.id), data: { keyId: key.id, name: key.name, prefix: key.prefix, createdBy: by } });
  } else {
    await notify(env, { workspaceId, type, id: await naturalIds.keyRevoked(key.id), data: { keyId: key.id, name: key.name, prefix: key.prefix, revokedBy: by } });
  }
}
