import OpenAI from "openai";
import Stripe from "stripe";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, Browser, query, signUp, uniqueEmail, type SignedUp } from "./auth-client";
import { until } from "./wait";

/**
 * Subscriptions through the running platform and the Stripe stand-in: Checkout, the signed webhooks the
 * stand-in delivers, the customer portal, renewals, a declined card with its grace period, and the webhook
 * endpoint's defences (signature, replay, order) with events signed here as Stripe signs them.
 */
const platform = inject("platformUrl");
const sandbox = inject("sandboxUrl");
const SECRET = "whsec_sandbox_local_development_only";
const signer = new Stripe("sk_test_signer");

let owner: SignedUp;
let workspaceId = "";

const billing = async (who: SignedUp = owner) => (await apiCall(who, "GET", "/api/billing", undefined, { "x-workspace-id": workspaceId })).body;

async function subscribe(who: SignedUp, plan: "pro" | "team", ws: string): Promise<{ subscription: string; customer: string }> {
  const checkout = await apiCall(who, "POST", "/api/billing/checkout", { plan, interval: "month" }, { "x-workspace-id": ws });
  expect(checkout.status).toBe(201);
  expect(checkout.body.url).toContain("/checkout/");
  const done = await fetch(`${sandbox}/_sandbox/stripe/checkout/${checkout.body.id}/complete`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  expect(done.status).toBe(200);
  const session = (await done.json()) as { subscription: string; customer: string };
  await until(async () => (await apiCall(who, "GET", "/api/billing", undefined, { "x-workspace-id": ws })).body.plan, (p) => p === plan, 10_000, 100);
  return session;
}

async function post(event: object, header?: string) {
  const payload = JSON.stringify(event);
  const signature = header ?? signer.webhooks.generateTestHeaderString({ payload, secret: SECRET });
  return fetch(`${platform}/webhooks/stripe`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload });
}

beforeAll(async () => {
  owner = await signUp(uniqueEmail("billing-owner"));
  workspaceId = (await apiCall(owner, "GET", "/api/workspace")).body.id;
});

describe("subscriptions", () => {
  it("subscribes through Checkout: the signed webhook moves the workspace to Pro and its budget to 1M tokens", async () => {
    const before = await billing();
    expect(before).toMatchObject({ plan: "free", budgetTokens: 10_000, subscription: null });
    expect(before.offers.map((o: { plan: string; interval: string; priceUsd: number }) => `${o.plan}/${o.interval}/${o.priceUsd}`)).toEqual(["pro/month/29", "pro/year/290", "team/month/99", "team/year/990"]);
    const { subscription } = await subscribe(owner, "pro", workspaceId);
    const after = await billing();
    expect(after.subscription).toMatchObject({ id: subscription, plan: "pro", interval: "month", status: "active", cancelAtPeriodEnd: false });
    expect(after.upcoming.amountUsd).toBe(29);
    expect(after.invoices.length).toBeGreaterThan(0);
    const usage = await apiCall(owner, "GET", "/api/usage", undefined, { "x-workspace-id": workspaceId });
    expect(usage.body.budgetTokens).toBe(1_000_000);
    const again = await apiCall(owner, "POST", "/api/billing/checkout", { plan: "team" }, { "x-workspace-id": workspaceId });
    expect(again.status).toBe(409);
    const audit = await apiCall(owner, "GET", "/api/audit?action=billing.plan_change", undefined, { "x-workspace-id": workspaceId });
    expect(audit.body.entries[0]).toMatchObject({ action: "billing.plan_change", actorId: null });
  });

  it("keeps a declined renewal's plan through the grace period, then moves it to Free", async () => {
    const sub = (await billing()).subscription.id as string;
    const renew = await fetch(`${sandbox}/_sandbox/stripe/subscriptions/${sub}/renew`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ paymentFails: true }) });
    expect(renew.status).toBe(200);
    const inGrace = await until(billing, (b) => b.subscription?.status === "past_due" && b.subscription.graceUntil !== null, 10_000, 100);
    expect(inGrace.plan).toBe("pro"); // nothing paid is lost while the card is fixed
    expect(Date.parse(inGrace.subscription.graceUntil) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    await query("UPDATE billing_subscription SET grace_until = ? WHERE workspace_id = ?", [Date.now() - 1, workspaceId]);
    await fetch(`${platform}/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*`);
    const after = await until(billing, (b) => b.plan === "free", 10_000, 100);
    expect(after.plan).toBe("free");
  });

  it("cancels in the portal at period end: Pro until then, Free when the period ends", async () => {
    const team = await signUp(uniqueEmail("billing-team"));
    const ws = (await apiCall(team, "GET", "/api/workspace")).body.id as string;
    const { subscription } = await subscribe(team, "team", ws);
    expect((await apiCall(team, "GET", "/api/usage", undefined, { "x-workspace-id": ws })).body.budgetTokens).toBe(5_000_000);
    const portal = await apiCall(team, "POST", "/api/billing/portal", undefined, { "x-workspace-id": ws });
    expect(portal.status).toBe(201);
    const portalId = new URL(portal.body.url).pathname.split("/").at(-1)!;
    const cancel = await fetch(`${sandbox}/billing_portal/${portalId}/subscriptions/${subscription}/cancel`, { method: "POST", redirect: "manual" });
    expect(cancel.status).toBe(303);
    const pending = await until(async () => (await apiCall(team, "GET", "/api/billing", undefined, { "x-workspace-id": ws })).body, (b) => b.subscription?.cancelAtPeriodEnd === true, 10_000, 100);
    expect(pending.plan).toBe("team");
    expect(pending.upcoming).toBeNull();
    await fetch(`${sandbox}/_sandbox/stripe/subscriptions/${subscription}/renew`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const ended = await until(async () => (await apiCall(team, "GET", "/api/billing", undefined, { "x-workspace-id": ws })).body, (b) => b.plan === "free", 10_000, 100);
    expect(ended.subscription.status).toBe("canceled");
  });

  it("lets only owners and admins, signed in, change billing", async () => {
    const key = (await apiCall(owner, "POST", "/api/keys", { name: "billing", scopes: ["mcp:read", "mcp:write", "mcp:admin"] }, { "x-workspace-id": workspaceId })).body.key;
    const byKey = await new Browser().fetch("/api/billing/checkout", { method: "POST", json: { plan: "pro" }, headers: { authorization: `Bearer ${key}` } });
    expect(byKey.status).toBe(403);
    expect((await new Browser().fetch("/api/billing", { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    const bad = await apiCall(owner, "POST", "/api/billing/checkout", { plan: "platinum" }, { "x-workspace-id": workspaceId });
    expect(bad.status).toBe(400);
    expect((await fetch(`${platform}/api/billing`)).status).toBe(401);
  });
});

describe("the Stripe webhook endpoint", () => {
  const subscriptionEvent = (id: string, created: number, sub: Record<string, unknown>) => ({ id, object: "event", type: "customer.subscription.updated", created, data: { object: sub }, livemode: false, api_version: "2026-10-28.acacia" });

  it("refuses forged, stale and missing signatures and changes nothing", async () => {
    const event = subscriptionEvent("evt_forged_1", Math.floor(Date.now() / 1000), { id: "sub_x", object: "subscription", customer: "cus_x", status: "active", metadata: { workspace_id: workspaceId }, items: { data: [] } });
    const payload = JSON.stringify(event);
    const forged = await post(event, signer.webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" }));
    expect(forged.status).toBe(400);
    const stale = await post(event, signer.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 }));
    expect(stale.status).toBe(400);
    const missing = await fetch(`${platform}/webhooks/stripe`, { method: "POST", body: payload });
    expect(missing.status).toBe(400);
    const tampered = await fetch(`${platform}/webhooks/stripe`, { method: "POST", headers: { "stripe-signature": signer.webhooks.generateTestHeaderString({ payload, secret: SECRET }) }, body: payload.replace("active", "canceled") });
    expect(tampered.status).toBe(400);
    expect(await query("SELECT id FROM stripe_event WHERE id = 'evt_forged_1'")).toEqual([]);
  });

  it("changes nothing on a replay, and never lets an older event overwrite a newer state", async () => {
    const user = await signUp(uniqueEmail("billing-order"));
    const ws = (await apiCall(user, "GET", "/api/workspace")).body.id as string;
    const { subscription, customer } = await subscribe(user, "pro", ws);
    const stored = (await query<{ event_at: number }>("SELECT event_at FROM billing_subscription WHERE workspace_id = ?", [ws]))[0]!;
    const sub = (status: string) => ({
      id: subscription,
      object: "subscription",
      customer,
      status,
      cancel_at_period_end: false,
      trial_end: null,
      metadata: { workspace_id: ws },
      items: { object: "list", data: [{ id: "si_1", object: "subscription_item", quantity: 1, current_period_end: Math.floor(Date.now() / 1000) + 86_400, price: { id: "price_x", object: "price", lookup_key: "platform_pro_month_v1" } }] },
    });
    // A late, older event saying the subscription was canceled: ignored.
    const late = await post(subscriptionEvent("evt_late_1", stored.event_at - 60, sub("canceled")));
    expect(late.status).toBe(200);
    expect(((await late.json()) as { outcome: string }).outcome).toMatch(/older/);
    expect((await apiCall(user, "GET", "/api/billing", undefined, { "x-workspace-id": ws })).body.plan).toBe("pro");
    // A newer one applies; its replay changes nothing.
    const newer = subscriptionEvent("evt_new_1", stored.event_at + 60, sub("canceled"));
    expect(((await (await post(newer)).json()) as { outcome: string }).outcome).toContain("plan free");
    const replay = await post(newer);
    expect(await replay.json()).toMatchObject({ received: true, duplicate: true });
    expect((await apiCall(user, "GET", "/api/billing", undefined, { "x-workspace-id": ws })).body.plan).toBe("free");
    const rows = await query<{ n: number }>("SELECT count(*) AS n FROM stripe_event WHERE id = 'evt_new_1'");
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it("leaves Enterprise terms set by a platform admin alone", async () => {
    const user = await signUp(uniqueEmail("billing-ent"));
    const ws = (await apiCall(user, "GET", "/api/workspace")).body.id as string;
    await query("INSERT INTO workspace_plan (workspace_id, plan, monthly_tokens, updated_at) VALUES (?, 'enterprise', 50000000, ?)", [ws, Date.now()]);
    const event = subscriptionEvent(`evt_ent_${Date.now()}`, Math.floor(Date.now() / 1000), {
      id: "sub_ent",
      object: "subscription",
      customer: "cus_ent",
      status: "active",
      cancel_at_period_end: false,
      metadata: { workspace_id: ws },
      items: { object: "list", data: [{ id: "si_e", object: "subscription_item", quantity: 1, price: { id: "p", object: "price", lookup_key: "platform_pro_month_v1" } }] },
    });
    expect((await post(event)).status).toBe(200);
    expect((await apiCall(user, "GET", "/api/usage", undefined, { "x-workspace-id": ws })).body).toMatchObject({ plan: "enterprise", budgetTokens: 50_000_000 });
  });
});

describe("Enterprise invoicing", () => {
  it("lets a platform operator set custom limits and an invoiced contract that Stripe's events never move", async () => {
    const user = await signUp(uniqueEmail("billing-enterprise"));
    const ws = (await apiCall(user, "GET", "/api/workspace")).body.id as string;
    const terms = { amountUsd: 2_500, interval: "month", daysUntilDue: 30, billingEmail: "ap@enterprise.example", monthlyTokens: 50_000_000 };
    expect((await apiCall(user, "POST", `/api/admin/billing/enterprise/${ws}`, terms)).status).toBe(403);
    const admin = await signInAdmin();
    const bad = await apiCall(admin, "POST", `/api/admin/billing/enterprise/${ws}`, { ...terms, billingEmail: "not an email" });
    expect(bad.status).toBe(400);
    const made = await apiCall(admin, "POST", `/api/admin/billing/enterprise/${ws}`, terms);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ plan: "enterprise", monthlyTokens: 50_000_000 });
    expect((await apiCall(user, "GET", "/api/usage", undefined, { "x-workspace-id": ws })).body).toMatchObject({ plan: "enterprise", budgetTokens: 50_000_000 });
    const mirrored = await until(async () => (await apiCall(user, "GET", "/api/billing", undefined, { "x-workspace-id": ws })).body, (b) => b.subscription !== null && b.invoices.length > 0, 10_000, 100);
    expect(mirrored).toMatchObject({ plan: "enterprise", subscription: { id: made.body.subscription, plan: "enterprise" } });
    expect(mirrored.invoices[0]).toMatchObject({ totalUsd: 2_500 });
  });
});

describe("usage-based billing (meter events)", () => {
  const stripe = () => {
    const { hostname, port } = new URL(sandbox);
    return new Stripe("sk-sandbox", { host: hostname, port: Number(port), protocol: "http", maxNetworkRetries: 0, httpClient: Stripe.createFetchHttpClient() });
  };
  const cron = () => fetch(`${platform}/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*`);
  const fault = async (rule: object) => ((await (await fetch(`${sandbox}/_control/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) })).json()) as { id: string }).id;
  const rows = (ws: string) => query<{ id: string; status: string; attempts: number; amount_micros: number }>("SELECT id, status, attempts, amount_micros FROM meter_report WHERE workspace_id = ? ORDER BY usage_at", [ws]);
  async function stripeSum(customer: string): Promise<number> {
    const meter = (await stripe().billing.meters.list()).data.find((m) => m.event_name === "platform_usage_micros")!;
    const now = Math.floor(Date.now() / 1000);
    const s = await stripe().billing.meters.listEventSummaries(meter.id, { customer, start_time: now - 40 * 86_400, end_time: now + 86_400 });
    return s.data.reduce((n, x) => n + x.aggregated_value, 0);
  }

  it("reports usage beyond the plan once per usage event, through failures and retries, and reconciles a gap", async () => {
    const user = await signUp(uniqueEmail("billing-meter"));
    const ws = (await apiCall(user, "GET", "/api/workspace")).body.id as string;
    const { customer } = await subscribe(user, "pro", ws);
    // A small included allowance (60 tokens; the e2e platform lets subscriptions use ten times that on top,
    // billed), so calls of about 33 tokens each go beyond it from the second on. The plan cache lives 5 s.
    await query("UPDATE workspace_plan SET monthly_tokens = 60 WHERE workspace_id = ?", [ws]);
    await new Promise((r) => setTimeout(r, 5_200));
    const key = (await apiCall(user, "POST", "/api/keys", { name: "meter" }, { "x-workspace-id": ws })).body.key;
    const client = new OpenAI({ apiKey: key, baseURL: `${platform}/v1`, maxRetries: 0 });
    for (const prompt of ["one", "two", "three", "four"]) {
      const r = await client.chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: `Tell me about ${prompt}` }] });
      expect(r.choices[0]!.message.content).toBeTruthy();
    }
    await until(() => query<{ n: number }>("SELECT count(*) AS n FROM usage_event WHERE workspace_id = ?", [ws]), (r) => Number(r[0]!.n) === 4, 10_000, 100);

    // Stripe fails the first meter event (and the SDK's two retries of it): that line stays pending.
    const id = await fault({ service: "stripe", match: { path: "/v1/billing/meter_events" }, status: 500, times: 3 });
    await cron();
    let lines = await until(() => rows(ws), (r) => r.length > 0 && r.every((l) => l.attempts > 0), 10_000, 100);
    expect(lines.length).toBe(3); // the second call's part beyond 60 tokens, the third and the fourth
    expect(lines.filter((l) => l.status === "pending")).toHaveLength(1);
    await fetch(`${sandbox}/_control/faults/${id}`, { method: "DELETE" });
    await cron();
    lines = await until(() => rows(ws), (r) => r.every((l) => l.status === "sent"), 10_000, 100);
    const expected = lines.reduce((n, l) => n + l.amount_micros, 0);
    expect(await stripeSum(customer)).toBe(expected);
    await cron(); // nothing new: nothing billed twice
    expect(await stripeSum(customer)).toBe(expected);

    // A gap: a line the outbox believes sent that Stripe never received (a crash between the two).
    await client.chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "five" }] });
    await until(() => query<{ n: number }>("SELECT count(*) AS n FROM usage_event WHERE workspace_id = ?", [ws]), (r) => Number(r[0]!.n) === 5, 10_000, 100);
    const block = await fault({ service: "stripe", match: { path: "/v1/billing/meter_events" }, status: 500 });
    await cron();
    const stuck = await until(() => rows(ws), (r) => r.length === lines.length + 1 && r.some((l) => l.status === "pending"), 10_000, 100);
    await query("UPDATE meter_report SET status = 'sent' WHERE workspace_id = ? AND status = 'pending'", [ws]);
    await fetch(`${sandbox}/_control/faults/${block}`, { method: "DELETE" });
    const total = stuck.reduce((n, l) => n + l.amount_micros, 0);
    expect(await stripeSum(customer)).toBeLessThan(total);
    const admin = await signInAdmin();
    const reconciled = await apiCall(admin, "POST", "/api/admin/billing/reconcile");
    expect(reconciled.status).toBe(200);
    expect(reconciled.body.workspaces.find((w: { workspaceId: string }) => w.workspaceId === ws)).toMatchObject({ expectedMicros: total, resent: stuck.length });
    expect(await stripeSum(customer)).toBe(total);
    const again = await apiCall(admin, "POST", "/api/admin/billing/reconcile");
    expect(again.body.workspaces.find((w: { workspaceId: string }) => w.workspaceId === ws)).toMatchObject({ stripeMicros: total, resent: 0 });
  }, 60_000);
});

async function signInAdmin(): Promise<SignedUp> {
  const email = "admin@platform.test";
  const browser = new Browser();
  const res = await browser.post("/api/auth/sign-in/email", { email, password: "correct horse battery staple" });
  if (res.status === 200) {
    const body = (await res.json()) as { token: string; user: { id: string } };
    return { browser, userId: body.user.id, token: body.token, email };
  }
  return signUp(email, "Operator", browser);
}
