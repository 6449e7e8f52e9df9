import type Stripe from "stripe";
import { appendAudit } from "../audit/store";
import { setPlan, type PlanId } from "../budgets/plans";
import type { Env } from "../env";
import { resolveUpstream, SANDBOX_STRIPE_WEBHOOK_SECRET } from "../platform/upstreams";
import { workspaceOfCustomer } from "./customers";
import { stripeClient, webCrypto } from "./stripe";
import { decide, graceAfterPaymentFailure, type StoredSubscription, type SubscriptionFacts } from "./subscription-state";
import { notifyPaymentFailed } from "../notify/emitters";

/**
 * POST /webhooks/stripe. The signature is checked first with the async SubtleCrypto verifier (a forged,
 * stale — over five minutes — or missing signature is a 400 and changes nothing); an event id already
 * handled changes nothing; subscription state is applied in Stripe's order, so a late
 * `customer.subscription.updated` never overwrites a newer one. A plan change is written where the budget
 * reads it (workspace_plan; BudgetObjects take it with their next reservation, within seconds).
 */
export const SIGNATURE_TOLERANCE_S = 300;

export type WebhookResult = { status: 200 | 400; body: Record<string, unknown> };

export async function handleStripeWebhook(env: Env, payload: string, signature: string | null, now = Date.now()): Promise<WebhookResult> {
  // Against the stand-in (no Stripe key configured), its published secret; production must set its own.
  const sandboxed = resolveUpstream(env as unknown as Record<string, unknown>, "stripe").mode === "sandbox";
  const secret = env.STRIPE_WEBHOOK_SECRET || (sandboxed ? SANDBOX_STRIPE_WEBHOOK_SECRET : undefined);
  if (!secret) return { status: 400, body: { error: { code: "webhook_unconfigured", message: "STRIPE_WEBHOOK_SECRET is not set" } } };
  if (!signature) return { status: 400, body: { error: { code: "missing_signature", message: "The Stripe-Signature header is required" } } };
  const stripe = stripeClient(env);
  let event: Stripe.Event;
  try {
    event = await stripe.webhooks.constructEventAsync(payload, signature, secret, SIGNATURE_TOLERANCE_S, webCrypto);
  } catch (err) {
    return { status: 400, body: { error: { code: "invalid_signature", message: `Webhook signature verification failed: ${(err as Error).message}` } } };
  }
  const seen = await env.DB.prepare("SELECT outcome FROM stripe_event WHERE id = ?").bind(event.id).first<{ outcome: string }>();
  if (seen) return { status: 200, body: { received: true, duplicate: true, outcome: seen.outcome } };
  const outcome = await apply(env, stripe, event, now);
  await env.DB.prepare("INSERT INTO stripe_event (id, type, created, outcome, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")
    .bind(event.id, event.type, event.created, outcome, now)
    .run();
  return { status: 200, body: { received: true, outcome } };
}

async function apply(env: Env, stripe: Stripe, event: Stripe.Event, now: number): Promise<string> {
  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      const workspaceId = session.client_reference_id ?? session.metadata?.workspace_id;
      const customer = typeof session.customer === "string" ? session.customer : session.customer?.id;
      if (!workspaceId || !customer) return "ignored: no workspace";
      await env.DB.prepare("INSERT INTO billing_customer (workspace_id, customer_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING").bind(workspaceId, customer, now).run();
      const subId = typeof session.subscription === "string" ? session.subscription : session.subscription?.id;
      if (!subId) return "linked customer";
      // The session's own moment orders it: a subscription event already applied from later stays.
      return applySubscription(env, facts(await stripe.subscriptions.retrieve(subId, { expand: ["items.data.price"] })), event.created, now, workspaceId);
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
    case "customer.subscription.paused":
    case "customer.subscription.resumed":
      return applySubscription(env, facts(event.data.object), event.created, now, event.data.object.metadata?.workspace_id);
    case "invoice.payment_failed":
    case "invoice.paid": {
      const invoice = event.data.object;
      const customer = typeof invoice.customer === "string" ? invoice.customer : invoice.customer?.id;
      const workspaceId = customer ? await workspaceOfCustomer(env.DB, customer) : undefined;
      if (!workspaceId) return "ignored: unknown customer";
      const stored = await storedOf(env.DB, workspaceId);
      if (!stored) return "ignored: no subscription";
      const grace = event.type === "invoice.paid" ? null : graceAfterPaymentFailure(stored, now);
      await env.DB.prepare("UPDATE billing_subscription SET grace_until = ?, updated_at = ? WHERE workspace_id = ?").bind(grace, now, workspaceId).run();
      if (event.type === "invoice.payment_failed") await notifyPaymentFailed(env, workspaceId, event.id, invoice, grace);
      return event.type === "invoice.paid" ? "payment received" : `grace until ${new Date(grace!).toISOString()}`;
    }
    default:
      return "ignored";
  }
}

function facts(sub: Stripe.Subscription): SubscriptionFacts {
  const item0 = sub.items.data[0] as (Stripe.SubscriptionItem & { current_period_end?: number }) | undefined;
  return {
    id: sub.id,
    customer: typeof sub.customer === "string" ? sub.customer : sub.customer.id,
    status: sub.status,
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    currentPeriodEnd: item0?.current_period_end ? item0.current_period_end * 1000 : null,
    trialEnd: sub.trial_end ? sub.trial_end * 1000 : null,
    items: sub.items.data.map((i) => ({ lookupKey: i.price.lookup_key, quantity: i.quantity ?? 1 })),
  };
}

async function storedOf(db: D1Database, workspaceId: string): Promise<(StoredSubscription & { workspaceId: string }) | undefined> {
  const r = await db
    .prepare("SELECT workspace_id, subscription_id, status, plan, grace_until, event_at FROM billing_subscription WHERE workspace_id = ?")
    .bind(workspaceId)
    .first<{ workspace_id: string; subscription_id: string; status: string; plan: string; grace_until: number | null; event_at: number }>();
  return r ? { workspaceId: r.workspace_id, subscriptionId: r.subscription_id, status: r.status, plan: r.plan, graceUntil: r.grace_until, eventAt: r.event_at } : undefined;
}

async function applySubscription(env: Env, sub: SubscriptionFacts, eventCreated: number, now: number, hinted?: string): Promise<string> {
  const workspaceId = hinted ?? (await workspaceOfCustomer(env.DB, sub.customer));
  if (!workspaceId) return "ignored: unknown customer";
  const stored = await storedOf(env.DB, workspaceId);
  // Another subscription of the workspace ended: it does not take the plan from the live one.
  if (stored && stored.subscriptionId !== sub.id && ["active", "trialing", "past_due"].includes(stored.status) && !["active", "trialing", "past_due"].includes(sub.status)) return "ignored: not the live subscription";
  const d = decide(sub, eventCreated, stored, now);
  if (!d.apply) return "ignored: older than the stored state";
  // Enterprise terms come from a platform operator; their invoiced subscription only mirrors here.
  const current = await env.DB.prepare("SELECT plan FROM workspace_plan WHERE workspace_id = ?").bind(workspaceId).first<{ plan: string }>();
  if (current?.plan === "enterprise") d.plan = "enterprise";
  await env.DB.prepare(
    `INSERT INTO billing_subscription (workspace_id, subscription_id, customer_id, plan, interval, seats, status, cancel_at_period_end, current_period_end, trial_end, grace_until, event_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (workspace_id) DO UPDATE SET subscription_id = excluded.subscription_id, customer_id = excluded.customer_id, plan = excluded.plan,
       interval = excluded.interval, seats = excluded.seats, status = excluded.status, cancel_at_period_end = excluded.cancel_at_period_end,
       current_period_end = excluded.current_period_end, trial_end = excluded.trial_end, grace_until = excluded.grace_until,
       event_at = excluded.event_at, updated_at = excluded.updated_at`,
  )
    .bind(workspaceId, sub.id, sub.customer, d.plan, d.interval, d.seats, sub.status, sub.cancelAtPeriodEnd ? 1 : 0, sub.currentPeriodEnd, sub.trialEnd, d.graceUntil, eventCreated, now)
    .run();
  await changePlan(env, workspaceId, d.plan, `stripe: subscription ${sub.id} ${sub.status}`);
  return `plan ${d.plan} (${sub.status})`;
}

/** Sets the plan where budgets read it and records the change, unless an admin gave Enterprise terms. */
export async function changePlan(env: Env, workspaceId: string, plan: PlanId, why: string): Promise<void> {
  const current = await env.DB.prepare("SELECT plan, monthly_tokens FROM workspace_plan WHERE workspace_id = ?").bind(workspaceId).first<{ plan: string; monthly_tokens: number | null }>();
  if (current?.plan === "enterprise") return; // Enterprise is set by a platform admin, not by Stripe
  if ((current?.plan ?? "free") === plan) return;
  await setPlan(env.DB, workspaceId, plan);
  await appendAudit(env.DB, [{ workspaceId, actor: null, action: "billing.plan_change", target: { type: "workspace", id: workspaceId }, before: { plan: current?.plan ?? "free" }, after: { plan, why } }]);
}

/** The cron: workspaces whose grace ran out without payment go back to Free. */
export async function endExpiredGrace(env: Env, now: number): Promise<number> {
  const { results } = await env.DB.prepare("SELECT workspace_id FROM billing_subscription WHERE grace_until IS NOT NULL AND grace_until <= ? AND plan != 'free'").bind(now).all<{ workspace_id: string }>();
  for (const r of results) {
    await env.DB.prepare("UPDATE billing_subscription SET plan = 'free', updated_at = ? WHERE workspace_id = ?").bind(now, r.workspace_id).run();
    await changePlan(env, r.workspace_id, "free", "grace period ended without payment");
  }
  return results.length;
}
