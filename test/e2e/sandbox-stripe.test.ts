import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";

const sandbox = inject("sandboxUrl");
const { hostname, port } = new URL(sandbox);
const SECRET = "whsec_sandbox_local_development_only";
// Everything this file creates is tagged, so parallel files sharing the sandbox never collide.
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const client = (key = "sk_test_sandbox") =>
  new Stripe(key, { host: hostname, port: Number(port), protocol: "http", maxNetworkRetries: 0, httpClient: Stripe.createFetchHttpClient() });
const stripe = client();

let plansMade = 0;
async function setupPlans() {
  const tag = `${run}_${++plansMade}`;
  const pro = await stripe.products.create({ name: "Pro", metadata: { plan: "pro", run } });
  const proPrice = await stripe.prices.create({ product: pro.id, currency: "usd", unit_amount: 2900, recurring: { interval: "month" }, lookup_key: `pro_${tag}` });
  const teamPrice = await stripe.prices.create({
    product_data: { name: "Team" },
    currency: "usd",
    unit_amount: 9900,
    recurring: { interval: "month" },
    lookup_key: `team_${tag}`,
  });
  return { pro, proPrice, teamPrice };
}

async function control(path: string, body?: unknown, method = "POST") {
  const res = await fetch(`${sandbox}${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

describe("Stripe stand-in through the official SDK", () => {
  it("requires an API key, answering 401 like Stripe", async () => {
    const raw = await fetch(`${sandbox}/v1/customers`);
    expect(raw.status).toBe(401);
    expect(raw.headers.get("request-id")).toMatch(/^req_/);
    const body = (await raw.json()) as any;
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toContain("You did not provide an API key");

    const err = await client(" ").customers.list().catch((e) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(err.statusCode).toBe(401);

    const basic = await fetch(`${sandbox}/v1/customers?limit=1`, { headers: { authorization: `Basic ${btoa("sk_test_basic:")}` } });
    expect(basic.status).toBe(200);
    expect(((await basic.json()) as any).object).toBe("list");
  });

  it("creates, retrieves, updates, lists and deletes customers", async () => {
    const email = `ada+${run}@example.com`;
    const created = await stripe.customers.create({ email, name: "Ada", metadata: { workspace: `ws_${run}` } });
    expect(created.id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
    expect(created).toMatchObject({ object: "customer", email, name: "Ada", livemode: false, metadata: { workspace: `ws_${run}` } });
    expect(created.lastResponse.requestId).toMatch(/^req_[A-Za-z0-9]{14}$/);
    expect(created.lastResponse.statusCode).toBe(200);

    expect((await stripe.customers.retrieve(created.id)).id).toBe(created.id);
    const updated = await stripe.customers.update(created.id, { name: "Ada Lovelace", metadata: { tier: "pro" } });
    expect(updated).toMatchObject({ name: "Ada Lovelace", metadata: { workspace: `ws_${run}`, tier: "pro" } });
    const listed = await stripe.customers.list({ email });
    expect(listed.data.map((c) => c.id)).toEqual([created.id]);
    expect(listed).toMatchObject({ object: "list", has_more: false, url: "/v1/customers" });

    const deleted = await stripe.customers.del(created.id);
    expect(deleted).toMatchObject({ id: created.id, object: "customer", deleted: true });
    const again = await stripe.customers.retrieve(created.id);
    expect(again.deleted).toBe(true);
  });

  it("auto-paginates with starting_after", async () => {
    const email = `page+${run}@example.com`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await stripe.customers.create({ email })).id);
    const seen: string[] = [];
    for await (const c of stripe.customers.list({ email, limit: 2 })) seen.push(c.id);
    expect(seen).toEqual([...ids].reverse());
  });

  it("returns typed 404 / 400 errors with Stripe's codes", async () => {
    const missing = await stripe.customers.retrieve("cus_doesnotexist").catch((e) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing", param: "id", message: "No such customer: 'cus_doesnotexist'" });
    expect(missing.requestId).toMatch(/^req_/);

    const noCurrency = await stripe.prices.create({ product: "prod_x", unit_amount: 100 } as Stripe.PriceCreateParams).catch((e) => e);
    expect(noCurrency).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(noCurrency).toMatchObject({ statusCode: 400, code: "parameter_missing", param: "currency", message: "Missing required param: currency." });

    const unknown = await stripe.customers.create({ emial: "x" } as unknown as Stripe.CustomerCreateParams).catch((e) => e);
    expect(unknown).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "emial" });

    const badSession = await stripe.checkout.sessions
      .create({ mode: "subscription", line_items: [{ price: "price_nope", quantity: 1 }], success_url: "https://app.test/ok" })
      .catch((e) => e);
    expect(badSession).toMatchObject({ statusCode: 400, code: "resource_missing", param: "line_items[0][price]" });

    const json = await fetch(`${sandbox}/v1/customers`, { method: "POST", headers: { authorization: "Bearer sk_test_x", "content-type": "application/json" }, body: "{}" });
    expect(json.status).toBe(400);
    expect(((await json.json()) as any).error.message).toContain("unsupported Content-Type application/json");

    const route = await fetch(`${sandbox}/v1/nothing_here`, { headers: { authorization: "Bearer sk_test_x" } });
    expect(route.status).toBe(404);
  });

  it("replays idempotent requests and refuses a reused key with other params", async () => {
    const key = `idem-${run}`;
    const a = await stripe.customers.create({ email: `idem+${run}@example.com` }, { idempotencyKey: key });
    const b = await stripe.customers.create({ email: `idem+${run}@example.com` }, { idempotencyKey: key });
    expect(b.id).toBe(a.id);
    expect(b.lastResponse.requestId).toBe(a.lastResponse.requestId);
    const replay = await fetch(`${sandbox}/v1/customers`, {
      method: "POST",
      headers: { authorization: "Bearer sk_test_sandbox", "content-type": "application/x-www-form-urlencoded", "idempotency-key": key },
      body: new URLSearchParams({ email: `idem+${run}@example.com` }),
    });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("request-id")).toBe(a.lastResponse.requestId);
    expect(((await replay.json()) as any).id).toBe(a.id);
    const listed = await stripe.customers.list({ email: `idem+${run}@example.com` });
    expect(listed.data).toHaveLength(1);

    const clash = await stripe.customers.create({ email: `other+${run}@example.com` }, { idempotencyKey: key }).catch((e) => e);
    expect(clash).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(clash.statusCode).toBe(400);
    expect(clash.message).toContain("same parameters");
  });

  it("sets up Pro $29 and Team $99 and finds them by lookup key", async () => {
    const { pro, proPrice, teamPrice } = await setupPlans();
    expect(proPrice).toMatchObject({ product: pro.id, unit_amount: 2900, currency: "usd", type: "recurring", recurring: { interval: "month", usage_type: "licensed" } });
    const prices = await stripe.prices.list({ lookup_keys: [`pro_${run}_${plansMade}`, `team_${run}_${plansMade}`], expand: ["data.product"] });
    expect(prices.data.map((p) => [p.id, p.unit_amount, (p.product as Stripe.Product).name])).toEqual([
      [teamPrice.id, 9900, "Team"],
      [proPrice.id, 2900, "Pro"],
    ]);
    const products = await stripe.products.list({ ids: [pro.id] });
    expect(products.data[0]!.metadata).toEqual({ plan: "pro", run });
  });

  it("runs checkout -> subscription -> portal -> upgrade -> cancel", async () => {
    const { proPrice, teamPrice } = await setupPlans();
    const customer = await stripe.customers.create({ email: `checkout+${run}@example.com` });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: proPrice.id, quantity: 1 }],
      success_url: "https://app.test/billing?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "https://app.test/billing",
      client_reference_id: `ws_${run}`,
      metadata: { workspace: `ws_${run}` },
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({ status: "open", payment_status: "unpaid", amount_total: 2900, currency: "usd", mode: "subscription", subscription: null });
    expect(session.url).toBe(`${sandbox}/checkout/${session.id}`);

    const page = await fetch(session.url!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Subscribe");
    expect(html).toContain("$29.00");
    expect(html).toContain(`/checkout/${session.id}/complete`);

    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data.map((i) => [i.price!.id, i.quantity, i.amount_total])).toEqual([[proPrice.id, 1, 2900]]);

    const completed = await control(`/_sandbox/stripe/checkout/${session.id}/complete`, {});
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: "complete", payment_status: "paid", customer: customer.id });

    const after = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription", "line_items"] });
    expect(after.status).toBe("complete");
    const sub = after.subscription as Stripe.Subscription;
    expect(sub).toMatchObject({ object: "subscription", status: "active", customer: customer.id });
    expect(sub.items.data[0]).toMatchObject({ price: { id: proPrice.id }, quantity: 1 });
    expect(sub.items.data[0]!.current_period_end).toBeGreaterThan(sub.items.data[0]!.current_period_start + 27 * 86400);
    expect(after.line_items!.data).toHaveLength(1);

    const listed = await stripe.subscriptions.list({ customer: customer.id });
    expect(listed.data.map((s) => s.id)).toEqual([sub.id]);
    const withInvoice = await stripe.subscriptions.retrieve(sub.id, { expand: ["latest_invoice"] });
    expect(withInvoice.latest_invoice).toMatchObject({ object: "invoice", status: "paid", amount_paid: 2900, customer: customer.id });
    const invoices = await stripe.invoices.list({ customer: customer.id });
    expect(invoices.data.map((i) => i.total)).toEqual([2900]);

    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: "https://app.test/settings" });
    expect(portal).toMatchObject({ object: "billing_portal.session", customer: customer.id, return_url: "https://app.test/settings" });
    expect(portal.id).toMatch(/^bps_/);
    const portalHtml = await (await fetch(portal.url)).text();
    expect(portalHtml).toContain("Pro");
    expect(portalHtml).toContain("https://app.test/settings");

    const upgraded = await stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]!.id, price: teamPrice.id }], proration_behavior: "none" });
    expect(upgraded.items.data.map((i) => i.price.id)).toEqual([teamPrice.id]);

    const canceled = await stripe.subscriptions.cancel(sub.id);
    expect(canceled).toMatchObject({ status: "canceled", cancellation_details: { reason: "cancellation_requested" } });
    expect(canceled.canceled_at).toEqual(expect.any(Number));
    expect((await stripe.subscriptions.list({ customer: customer.id })).data).toEqual([]);
    const again = await stripe.subscriptions.cancel(sub.id).catch((e) => e);
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);

    const types = (await stripe.events.list({ limit: 100 })).data.filter((e) => JSON.stringify(e.data.object).includes(sub.id)).map((e) => e.type);
    expect(types.reverse()).toEqual([
      "customer.subscription.created",
      "invoice.paid",
      "invoice.payment_succeeded",
      "checkout.session.completed",
      "customer.subscription.updated",
      "customer.subscription.deleted",
    ]);
  });

  it("completes checkout from the hosted page form and redirects to success_url", async () => {
    const { proPrice } = await setupPlans();
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer_email: `form+${run}@example.com`,
      line_items: [{ price: proPrice.id, quantity: 1 }],
      success_url: "https://app.test/done?s={CHECKOUT_SESSION_ID}",
    });
    const res = await fetch(`${sandbox}/checkout/${session.id}/complete`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: `form+${run}@example.com`, name: "Form Buyer" }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`https://app.test/done?s=${session.id}`);
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["customer"] });
    expect(done.customer).toMatchObject({ email: `form+${run}@example.com`, name: "Form Buyer" });
    const expired = await stripe.checkout.sessions.expire(session.id).catch((e) => e);
    expect(expired).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it("lets the customer switch and cancel in the hosted portal; a renewal then ends the plan", async () => {
    const { proPrice, teamPrice } = await setupPlans();
    const customer = await stripe.customers.create({ email: `portal+${run}@example.com` });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: proPrice.id }] });
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id });
    const post = (action: string, body?: Record<string, string>) =>
      fetch(`${sandbox}/billing_portal/${portal.id}/subscriptions/${sub.id}/${action}`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body ?? {}),
      });
    const switched = await post("switch", { price: teamPrice.id });
    expect(switched.status).toBe(303);
    expect(switched.headers.get("location")).toBe(`/billing_portal/${portal.id}`);
    expect((await stripe.subscriptions.retrieve(sub.id)).items.data[0]!.price.id).toBe(teamPrice.id);
    expect((await post("cancel")).status).toBe(303);
    expect(await stripe.subscriptions.retrieve(sub.id)).toMatchObject({ status: "active", cancel_at_period_end: true });

    const renewed = await control(`/_sandbox/stripe/subscriptions/${sub.id}/renew`);
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ id: sub.id, status: "canceled" });
    const other = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: proPrice.id }] });
    const cycled = await control(`/_sandbox/stripe/subscriptions/${other.id}/renew`);
    expect(cycled.body.items.data[0].current_period_start).toBe(other.items.data[0]!.current_period_end);
    const invoice = await stripe.invoices.retrieve(cycled.body.latest_invoice);
    expect(invoice).toMatchObject({ billing_reason: "subscription_cycle", status: "paid", total: 2900 });
  });

  it("expires an open session", async () => {
    const { proPrice } = await setupPlans();
    const session = await stripe.checkout.sessions.create({ mode: "subscription", line_items: [{ price: proPrice.id, quantity: 2 }], success_url: "https://app.test/ok" });
    expect(session.amount_total).toBe(5800);
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: "expired", url: null });
    const done = await control(`/_sandbox/stripe/checkout/${session.id}/complete`, {});
    expect(done.status).toBe(400);
    expect((await control(`/_sandbox/stripe/checkout/cs_test_nope/complete`, {})).status).toBe(404);
  });

  it("records usage with meters and meter events", async () => {
    const eventName = `tokens_${run}`;
    const meter = await stripe.billing.meters.create({ display_name: "LLM tokens", event_name: eventName, default_aggregation: { formula: "sum" } });
    expect(meter).toMatchObject({ object: "billing.meter", event_name: eventName, status: "active", customer_mapping: { event_payload_key: "stripe_customer_id" }, value_settings: { event_payload_key: "value" } });
    const customer = await stripe.customers.create({ email: `meter+${run}@example.com` });
    const now = Math.floor(Date.now() / 1000);
    const ev = await stripe.billing.meterEvents.create({ event_name: eventName, payload: { stripe_customer_id: customer.id, value: "1500" }, identifier: `usage-${run}-1`, timestamp: now - 10 });
    expect(ev).toMatchObject({ object: "billing.meter_event", event_name: eventName, identifier: `usage-${run}-1`, payload: { value: "1500" } });
    await stripe.billing.meterEvents.create({ event_name: eventName, payload: { stripe_customer_id: customer.id, value: "250" } });

    const dup = await stripe.billing.meterEvents.create({ event_name: eventName, payload: { stripe_customer_id: customer.id, value: "1" }, identifier: `usage-${run}-1` }).catch((e) => e);
    expect(dup).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(dup.message).toContain(`usage-${run}-1`);
    const noMeter = await stripe.billing.meterEvents.create({ event_name: `nothing_${run}`, payload: { stripe_customer_id: customer.id, value: "1" } }).catch((e) => e);
    expect(noMeter).toMatchObject({ statusCode: 400, param: "event_name" });

    const summaries = await stripe.billing.meters.listEventSummaries(meter.id, { customer: customer.id, start_time: now - 3600, end_time: now + 3600 });
    expect(summaries.data.map((s) => s.aggregated_value)).toEqual([1750]);
    const meters = await stripe.billing.meters.list({ status: "active", limit: 100 });
    expect(meters.data.map((m) => m.id)).toContain(meter.id);
  });

  it("answers injected faults in Stripe's error shape", async () => {
    const id = `cus_fault${run}`;
    const rule = await control("/_control/faults", { service: "stripe", match: { path: `/v1/customers/${id}` }, status: 500, times: 1 });
    expect(rule.status).toBe(201);
    const err = await stripe.customers.retrieve(id).catch((e) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(err.statusCode).toBe(500);
    const after = await stripe.customers.retrieve(id).catch((e) => e);
    expect(after).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });
});

describe("Stripe webhooks from the sandbox", () => {
  let server: Server;
  let hookUrl: string;
  const received: { body: string; signature: string }[] = [];
  let failNextCompleted = true;
  let previous: string | null | undefined;

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = "";
      req.setEncoding("utf8");
      req.on("data", (d) => (data += d));
      req.on("end", () => resolve(data));
    });

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const body = await readBody(req);
      const parsed = JSON.parse(body) as { type: string; data: { object: { client_reference_id?: string } } };
      // Fail this file's first checkout.session.completed once, to see it retried.
      if (parsed.type === "checkout.session.completed" && parsed.data.object.client_reference_id === `hook_${run}` && failNextCompleted) {
        failNextCompleted = false;
        res.writeHead(500).end("try again");
        return;
      }
      received.push({ body, signature: String(req.headers["stripe-signature"] ?? "") });
      res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    previous = ((await (await fetch(`${sandbox}/_control/settings`)).json()) as any).stripeWebhookUrl;
    const patched = await control("/_control/settings", { stripeWebhookUrl: hookUrl }, "PATCH");
    expect(patched.body.stripeWebhookUrl).toBe(hookUrl);
  });

  afterAll(async () => {
    await control("/_control/settings", { stripeWebhookUrl: previous ?? null }, "PATCH");
    await new Promise<void>((r) => server.close(() => r()));
  });

  async function eventsFor(id: string, count: number, timeoutMs = 10_000): Promise<Stripe.Event[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mine = received.filter((r) => r.body.includes(id));
      if (mine.length >= count || Date.now() > deadline) {
        return mine.map((r) => stripe.webhooks.constructEvent(r.body, r.signature, SECRET));
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("rejects a webhook URL that is not http(s)", async () => {
    expect((await control("/_control/settings", { stripeWebhookUrl: "ftp://x" }, "PATCH")).status).toBe(400);
  });

  it("delivers signed events in Stripe's order, retrying a failed delivery", async () => {
    const { proPrice, teamPrice } = await setupPlans();
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer_email: `hook+${run}@example.com`,
      client_reference_id: `hook_${run}`,
      line_items: [{ price: proPrice.id, quantity: 1 }],
      success_url: "https://app.test/ok",
    });
    const done = await control(`/_sandbox/stripe/checkout/${session.id}/complete`, { name: "Hook Buyer" });
    expect(done.status).toBe(200);
    const customerId = done.body.customer as string;
    const subId = done.body.subscription as string;

    const first = await eventsFor(customerId, 5);
    expect(first.map((e) => e.type)).toEqual(["customer.created", "customer.subscription.created", "invoice.paid", "invoice.payment_succeeded", "checkout.session.completed"]);
    for (const e of first) expect(e).toMatchObject({ object: "event", livemode: false, api_version: "2026-10-28.endive" });
    const completed = first[4]!.data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({ id: session.id, status: "complete", subscription: subId, customer: customerId, client_reference_id: `hook_${run}` });

    const log = await control(`/_sandbox/stripe/deliveries?event=${first[4]!.id}`, undefined, "GET");
    expect(log.body.deliveries).toHaveLength(1);
    expect(log.body.deliveries[0]).toMatchObject({ status: "succeeded", url: hookUrl, type: "checkout.session.completed" });
    expect(log.body.deliveries[0].attempts.map((a: { status: number }) => a.status)).toEqual([500, 200]);

    const listed = await stripe.events.list({ types: ["customer.created", "checkout.session.completed"], limit: 100 });
    expect(listed.data.map((e) => e.id)).toEqual(expect.arrayContaining([first[0]!.id, first[4]!.id]));
    const stored = await stripe.events.retrieve(first[0]!.id);
    expect(stored.pending_webhooks).toBe(0);

    await stripe.subscriptions.update(subId, { items: [{ id: (await stripe.subscriptions.retrieve(subId)).items.data[0]!.id, price: teamPrice.id }] });
    await stripe.subscriptions.cancel(subId);
    const all = await eventsFor(subId, 6);
    const tail = all.slice(-2);
    expect(tail.map((e) => e.type)).toEqual(["customer.subscription.updated", "customer.subscription.deleted"]);
    expect((tail[0]!.data.previous_attributes as any).items.data[0].price.id).toBe(proPrice.id);
    expect((tail[1]!.data.object as Stripe.Subscription).status).toBe("canceled");
  });

  it("signs so that a tampered body fails verification", async () => {
    const customer = await stripe.customers.create({ email: `tamper+${run}@example.com` });
    await eventsFor(customer.id, 1);
    const raw = received.find((r) => r.body.includes(customer.id));
    expect(raw).toBeDefined();
    expect(raw!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(stripe.webhooks.constructEvent(raw!.body, raw!.signature, SECRET).type).toBe("customer.created");
    const tampered = raw!.body.replace(`tamper+${run}`, `evil+${run}`);
    expect(() => stripe.webhooks.constructEvent(tampered, raw!.signature, SECRET)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(raw!.body, raw!.signature, "whsec_wrong")).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });
});
