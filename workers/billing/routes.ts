import { Hono, type Context } from "hono";
import { z } from "zod";
import { audit } from "../audit/record";
import { requireWorkspace } from "../auth/middleware";
import { PLANS, planOf } from "../budgets/plans";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { api } from "../openapi/describe";
import { ensurePrices, extraSeats, offerFor, OFFERS, SEAT_PRICE, TEAM_INCLUDED_SEATS } from "./catalog";
import { customerOf, ensureCustomer } from "./customers";
import { stripeClient } from "./stripe";
import { handleStripeWebhook } from "./webhook";
import { reconcileMeters } from "./meter-run";
import { markupPercent } from "./meter-derive";
import { startEnterpriseInvoicing } from "./enterprise";
import { appendAudit } from "../audit/store";
import { requirePlatformAdmin } from "../admin/middleware";
import { periodOf } from "../budgets/policy";

/**
 * /api/billing: the workspace's plan and subscription, Stripe Checkout to subscribe, the customer portal to
 * change or cancel (proration and cancellation are Stripe's), invoices. Changing billing is for owners and
 * admins, signed in; every member may read it.
 */
const checkoutBody = z
  .object({
    plan: z.enum(["pro", "team"]),
    interval: z.enum(["month", "year"]).default("month"),
    /** Where Checkout sends the person back (a path of this origin). */
    returnPath: z.string().regex(/^\/[\w/?=&.-]{0,200}$/).optional(),
  })
  .strict();

const usd = (cents: number) => Math.round(cents) / 100;

async function memberCount(db: D1Database, workspaceId: string): Promise<number> {
  const r = await db.prepare("SELECT count(*) AS n FROM member WHERE organization_id = ?").bind(workspaceId).first<{ n: number }>();
  return Number(r?.n ?? 1);
}

function trialDays(env: AppEnv["Bindings"]): number | undefined {
  const n = Number(env.BILLING_TRIAL_DAYS ?? 0);
  return Number.isInteger(n) && n > 0 && n <= 90 ? n : undefined;
}

async function subscriptionRow(c: Context<AppEnv>) {
  return c.env.DB.prepare(
    "SELECT subscription_id, plan, interval, seats, status, cancel_at_period_end, current_period_end, trial_end, grace_until FROM billing_subscription WHERE workspace_id = ?",
  )
    .bind(c.var.workspace.id)
    .first<{ subscription_id: string; plan: string; interval: string; seats: number; status: string; cancel_at_period_end: number; current_period_end: number | null; trial_end: number | null; grace_until: number | null }>();
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const billingRoutes = new Hono<AppEnv>()
  .get("/", requireWorkspace({ billing: ["read"] }), api({ tag: "Billing", summary: "The workspace's plan, subscription and invoices", auth: "workspace" }), async (c) => {
    const now = Date.now();
    const [plan, sub, customer] = await Promise.all([planOf(c.env.DB, c.var.workspace.id, now), subscriptionRow(c), customerOf(c.env.DB, c.var.workspace.id)]);
    let invoices: { id: string; number: string | null; status: string | null; totalUsd: number; created: string; url: string | null }[] = [];
    if (customer) {
      const list = await stripeClient(c.env).invoices.list({ customer, limit: 12 });
      invoices = list.data.map((i) => ({ id: i.id!, number: i.number, status: i.status, totalUsd: usd(i.total), created: new Date(i.created * 1000).toISOString(), url: i.hosted_invoice_url ?? null }));
    }
    // Usage billed on top this period (overage and RunPod GPU time, cost plus markup), reported or not yet.
    const period = periodOf(now);
    const metered = await c.env.DB.prepare("SELECT coalesce(sum(amount_micros), 0) AS micros, count(*) AS n FROM meter_report WHERE workspace_id = ? AND period_start = ?")
      .bind(c.var.workspace.id, period)
      .first<{ micros: number; n: number }>();
    const usageUsd = Math.round(Number(metered?.micros ?? 0) / 10_000) / 100;
    const offer = sub && (sub.plan === "pro" || sub.plan === "team") ? offerFor(sub.plan, sub.interval === "year" ? "year" : "month") : undefined;
    const nextCents = offer ? offer.unitAmount + (offer.plan === "team" ? extraSeats(sub!.seats) * SEAT_PRICE[offer.interval] : 0) : 0;
    return c.json({
      workspaceId: c.var.workspace.id,
      plan: plan.plan,
      budgetTokens: plan.monthlyTokens,
      subscription: sub
        ? {
            id: sub.subscription_id,
            plan: sub.plan,
            interval: sub.interval,
            seats: sub.seats,
            status: sub.status,
            cancelAtPeriodEnd: Boolean(sub.cancel_at_period_end),
            currentPeriodEnd: iso(sub.current_period_end),
            trialEnd: iso(sub.trial_end),
            graceUntil: iso(sub.grace_until),
          }
        : null,
      upcoming: sub && !sub.cancel_at_period_end && offer ? { amountUsd: usd(nextCents), at: iso(sub.current_period_end) } : null,
      usage: { period, billedUsd: usageUsd, lines: Number(metered?.n ?? 0), markupPercent: markupPercent(c.env.BILLING_MARKUP_PERCENT) },
      invoices,
      offers: OFFERS.map((o) => ({ plan: o.plan, interval: o.interval, priceUsd: usd(o.unitAmount), monthlyTokens: PLANS[o.plan].monthlyTokens, includedSeats: o.plan === "team" ? TEAM_INCLUDED_SEATS : 1 })),
    });
  })
  .post("/checkout", requireWorkspace({ billing: ["manage"] }, { sessionOnly: true }), api({ tag: "Billing", summary: "Start Stripe Checkout for a plan", auth: "session", body: checkoutBody, what: "checkout request", responses: { 201: { description: "The Checkout session: {id, url}" } } }), async (c) => {
    const body = c.req.valid("json");
    const existing = await subscriptionRow(c);
    if (existing && ["active", "trialing", "past_due"].includes(existing.status)) {
      throw new AppError(409, "already_subscribed", "This workspace already has a subscription: change or cancel it in the billing portal (POST /api/billing/portal)");
    }
    const stripe = stripeClient(c.env);
    const prices = await ensurePrices(stripe);
    const offer = offerFor(body.plan, body.interval);
    const customer = await ensureCustomer(c.env.DB, stripe, c.var.workspace, c.var.user.email);
    const seats = body.plan === "team" ? extraSeats(await memberCount(c.env.DB, c.var.workspace.id)) : 0;
    const origin = new URL(c.req.url).origin;
    const back = body.returnPath ?? "/billing";
    const trial = trialDays(c.env);
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer,
      client_reference_id: c.var.workspace.id,
      line_items: [{ price: prices.plans[offer.lookupKey]!, quantity: 1 }, ...(seats > 0 ? [{ price: prices.seats[body.interval], quantity: seats }] : [])],
      subscription_data: { metadata: { workspace_id: c.var.workspace.id, plan: body.plan }, ...(trial ? { trial_period_days: trial } : {}) },
      metadata: { workspace_id: c.var.workspace.id },
      success_url: `${origin}${back}${back.includes("?") ? "&" : "?"}checkout=success`,
      cancel_url: `${origin}${back}${back.includes("?") ? "&" : "?"}checkout=cancelled`,
    });
    await audit(c, { action: "billing.checkout", target: { type: "workspace", id: c.var.workspace.id }, after: { plan: body.plan, interval: body.interval, extraSeats: seats, session: session.id } });
    return c.json({ id: session.id, url: session.url }, 201);
  })
  .post("/portal", requireWorkspace({ billing: ["manage"] }, { sessionOnly: true }), api({ tag: "Billing", summary: "Open the Stripe customer portal", auth: "session", responses: { 201: { description: "The portal session: {url}" } } }), async (c) => {
    const customer = await customerOf(c.env.DB, c.var.workspace.id);
    if (!customer) throw new AppError(409, "no_customer", "This workspace has not subscribed yet: start with POST /api/billing/checkout");
    const session = await stripeClient(c.env).billingPortal.sessions.create({ customer, return_url: `${new URL(c.req.url).origin}/billing` });
    return c.json({ url: session.url }, 201);
  });

export const stripeWebhookRoutes = new Hono<AppEnv>().post("/stripe", api({ tag: "Webhooks", summary: "Stripe events (verified by the stripe-signature header, idempotent)", auth: "signature", errors: "none" }), async (c) => {
  const result = await handleStripeWebhook(c.env, await c.req.text(), c.req.header("stripe-signature") ?? null);
  return c.json(result.body, result.status);
});

const enterpriseBody = z
  .object({
    amountUsd: z.number().positive().max(10_000_000),
    interval: z.enum(["month", "year"]).default("month"),
    daysUntilDue: z.number().int().min(1).max(120).default(30),
    billingEmail: z.email(),
    monthlyTokens: z.number().int().min(0).max(1_000_000_000_000_000).nullable().default(null),
  })
  .strict();

/** Documents POST /reconcile's query; the handler checks it (default: this month). */
const reconcileQuery = z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() });

/** Platform operators: the daily usage reconciliation on demand, and Enterprise invoicing terms. */
export const billingAdminRoutes = new Hono<AppEnv>()
  .post("/reconcile", requirePlatformAdmin(), api({ tag: "Admin", summary: "Reconcile metered usage with Stripe for a month (?period=YYYY-MM)", auth: "admin", query: reconcileQuery, validate: false }), async (c) => {
    const period = c.req.query("period") ?? periodOf(Date.now());
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new AppError(400, "invalid_request", "period is YYYY-MM");
    return c.json(await reconcileMeters(c.env, Date.now(), period));
  })
  .post("/enterprise/:workspaceId", requirePlatformAdmin(), api({ tag: "Admin", summary: "Put a workspace on Enterprise invoicing terms", auth: "admin", body: enterpriseBody, what: "enterprise terms", responses: { 201: { description: "The terms started" } } }), async (c) => {
    const terms = c.req.valid("json");
    const ws = await c.env.DB.prepare("SELECT id, name FROM organization WHERE id = ?").bind(c.req.param("workspaceId")).first<{ id: string; name: string }>();
    if (!ws) throw new AppError(404, "workspace_not_found", "No such workspace");
    const live = await c.env.DB.prepare("SELECT status FROM billing_subscription WHERE workspace_id = ? AND status IN ('active', 'trialing', 'past_due')").bind(ws.id).first();
    if (live) throw new AppError(409, "already_subscribed", "The workspace has a live self-serve subscription; cancel it first");
    const started = await startEnterpriseInvoicing(c.env.DB, stripeClient(c.env), ws, terms);
    await appendAudit(c.env.DB, [{ workspaceId: ws.id, actor: { id: c.var.user.id, email: c.var.user.email }, action: "billing.enterprise", target: { type: "workspace", id: ws.id }, after: { ...terms, ...started } }]);
    return c.json({ workspaceId: ws.id, plan: "enterprise", monthlyTokens: terms.monthlyTokens, ...started }, 201);
  });
