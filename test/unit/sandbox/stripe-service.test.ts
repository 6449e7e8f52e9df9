import { beforeEach, describe, expect, it } from "vitest";
import { addInterval, type Subscription } from "../../../workers/sandbox/stripe/billing";
import type { StripeEvent } from "../../../workers/sandbox/stripe/event";
import type { Invoice } from "../../../workers/sandbox/stripe/invoice";
import { renewSubscription } from "../../../workers/sandbox/stripe/lifecycle";
import type { CheckoutSession } from "../../../workers/sandbox/stripe/checkout";
import { StripeApiError } from "../../../workers/sandbox/stripe/errors";
import { decodeRequestParams } from "../../../workers/sandbox/stripe/form";
import type { Customer, Price, Product } from "../../../workers/sandbox/stripe/objects";
import * as invoices from "../../../workers/sandbox/stripe/ops-invoices";
import * as prices from "../../../workers/sandbox/stripe/ops-prices";
import * as products from "../../../workers/sandbox/stripe/ops-products";
import * as checkout from "../../../workers/sandbox/stripe/ops-checkout";
import * as customers from "../../../workers/sandbox/stripe/ops-customers";
import * as events from "../../../workers/sandbox/stripe/ops-events";
import * as metering from "../../../workers/sandbox/stripe/ops-metering";
import * as subs from "../../../workers/sandbox/stripe/ops-subscriptions";
import { Params } from "../../../workers/sandbox/stripe/params";
import { Repo, type Ctx } from "../../../workers/sandbox/stripe/repo";
import { MemoryStore } from "./stripe-memory-store";

type Op = (repo: Repo, ctx: Ctx, p: Params, id: string) => Promise<unknown>;

let repo: Repo;
let now: number;
let emitted: StripeEvent[];

async function call<T>(op: Op, form = "", id = "", expand = true): Promise<T> {
  const ctx: Ctx = { now, requestId: "req_test", idempotencyKey: null, origin: "http://sandbox.test", events: [] };
  const p = new Params(decodeRequestParams("", form));
  const out = await op(repo, ctx, p, id);
  emitted.push(...ctx.events);
  return (expand ? await repo.expand(out, p.expand()) : out) as T;
}

async function fails(op: Op, form = "", id = ""): Promise<StripeApiError> {
  try {
    await call(op, form, id);
  } catch (e) {
    if (e instanceof StripeApiError) return e;
    throw e;
  }
  throw new Error("expected a Stripe error");
}

const ctxFor = (): Ctx => ({ now, requestId: null, idempotencyKey: null, origin: "http://sandbox.test", events: [] });

beforeEach(() => {
  repo = new Repo(new MemoryStore());
  now = Date.UTC(2026, 0, 31, 12) / 1000;
  emitted = [];
});

async function plans() {
  const pro = await call<Product>(products.createProduct, "name=Pro&metadata[plan]=pro");
  const proPrice = await call<Price>(prices.createPrice, `product=${pro.id}&currency=usd&unit_amount=2900&recurring[interval]=month&lookup_key=pro_monthly`);
  const team = await call<Price>(prices.createPrice, "product_data[name]=Team&currency=usd&unit_amount=9900&recurring[interval]=month&lookup_key=team_monthly");
  return { pro, proPrice, team };
}

describe("customers", () => {
  it("creates with Stripe's shape and records customer.created", async () => {
    const c = await call<Customer>(customers.createCustomer, "email=ada%40example.com&name=Ada&metadata[workspace]=ws_1");
    expect(c).toMatchObject({ object: "customer", email: "ada@example.com", name: "Ada", metadata: { workspace: "ws_1" }, livemode: false, created: now, balance: 0 });
    expect(c.id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
    expect(emitted.map((e) => [e.type, (e.data.object as Customer).id, e.request])).toEqual([["customer.created", c.id, { id: "req_test", idempotency_key: null }]]);
  });

  it("updates with previous_attributes and deletes as Stripe does", async () => {
    const c = await call<Customer>(customers.createCustomer, "email=a%40b.co");
    const u = await call<Customer>(customers.updateCustomer, "name=New&metadata[k]=v", c.id);
    expect(u.name).toBe("New");
    expect(emitted.at(-1)).toMatchObject({ type: "customer.updated", data: { previous_attributes: { name: null, metadata: {} } } });
    expect(await call(customers.deleteCustomer, "", c.id)).toEqual({ id: c.id, object: "customer", deleted: true });
    expect(await call(customers.retrieveCustomer, "", c.id)).toEqual({ id: c.id, object: "customer", deleted: true });
    expect((await fails(customers.updateCustomer, "name=x", c.id)).status).toBe(404);
  });

  it("paginates newest first with starting_after / ending_before", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await call<Customer>(customers.createCustomer, `email=c${i}%40x.co`)).id);
    const page1 = await call<{ data: Customer[]; has_more: boolean; url: string }>(customers.listCustomers, "limit=2");
    expect(page1.data.map((c) => c.id)).toEqual([ids[4], ids[3]]);
    expect(page1).toMatchObject({ object: "list", has_more: true, url: "/v1/customers" });
    const page2 = await call<{ data: Customer[]; has_more: boolean }>(customers.listCustomers, `limit=2&starting_after=${ids[3]}`);
    expect(page2.data.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const page3 = await call<{ data: Customer[]; has_more: boolean }>(customers.listCustomers, `limit=2&starting_after=${ids[1]}`);
    expect(page3).toMatchObject({ has_more: false });
    expect(page3.data.map((c) => c.id)).toEqual([ids[0]]);
    const back = await call<{ data: Customer[]; has_more: boolean }>(customers.listCustomers, `limit=2&ending_before=${ids[1]}`);
    expect(back.data.map((c) => c.id)).toEqual([ids[3], ids[2]]);
    expect(back.has_more).toBe(true);
    const byEmail = await call<{ data: Customer[] }>(customers.listCustomers, "email=c2%40x.co");
    expect(byEmail.data.map((c) => c.id)).toEqual([ids[2]]);
    expect((await fails(customers.listCustomers, "starting_after=cus_nope")).error).toMatchObject({ code: "resource_missing", param: "starting_after" });
  });
});

describe("catalog", () => {
  it("sets up Pro $29 and Team $99 with lookup keys", async () => {
    const { pro, proPrice, team } = await plans();
    expect(proPrice).toMatchObject({ object: "price", product: pro.id, unit_amount: 2900, unit_amount_decimal: "2900", currency: "usd", type: "recurring", recurring: { interval: "month", interval_count: 1, usage_type: "licensed", meter: null } });
    const teamProduct = await call<Product>(products.retrieveProduct, "", team.product);
    expect(teamProduct.name).toBe("Team");
    const listed = await call<{ data: Price[] }>(prices.listPrices, "lookup_keys[0]=team_monthly&lookup_keys[1]=pro_monthly&expand[0]=data.product");
    expect(listed.data.map((p) => [p.lookup_key, (p.product as unknown as Product).name])).toEqual([["team_monthly", "Team"], ["pro_monthly", "Pro"]]);
    const dup = await fails(prices.createPrice, `product=${pro.id}&currency=usd&unit_amount=1&lookup_key=pro_monthly`);
    expect(dup.error.message).toContain("already uses that lookup key");
    const moved = await call<Price>(prices.createPrice, `product=${pro.id}&currency=usd&unit_amount=3900&recurring[interval]=month&lookup_key=pro_monthly&transfer_lookup_key=true`);
    expect(moved.lookup_key).toBe("pro_monthly");
    expect((await call<Price>(prices.retrievePrice, "", proPrice.id)).lookup_key).toBeNull();
  });

  it("validates like Stripe", async () => {
    expect((await fails(products.createProduct, "")).error).toMatchObject({ code: "parameter_missing", param: "name" });
    expect((await fails(prices.createPrice, "currency=usd&unit_amount=1")).error).toMatchObject({ code: "parameter_missing", param: "product" });
    expect((await fails(prices.createPrice, "product=prod_missing&currency=usd&unit_amount=1")).error).toMatchObject({ code: "resource_missing", param: "product" });
    expect((await fails(prices.createPrice, "product=prod_missing&currency=usd&unit_amount=1")).status).toBe(400);
    expect((await fails(prices.retrievePrice, "", "price_missing")).status).toBe(404);
    const custom = await call<Product>(products.createProduct, "id=prod_pro&name=Pro");
    expect(custom.id).toBe("prod_pro");
    expect((await fails(products.createProduct, "id=prod_pro&name=Pro")).error.code).toBe("resource_already_exists");
  });
});

describe("checkout to subscription", () => {
  it("completes a subscription checkout with Stripe's objects and event order", async () => {
    const { proPrice } = await plans();
    const cus = await call<Customer>(customers.createCustomer, "email=buyer%40x.co");
    emitted = [];
    const session = await call<CheckoutSession & { line_items: { data: { amount_total: number; price: Price }[] } }>(
      checkout.createCheckoutSession,
      `mode=subscription&customer=${cus.id}&line_items[0][price]=${proPrice.id}&line_items[0][quantity]=1&success_url=https%3A%2F%2Fapp.test%2Fok%3Fs%3D%7BCHECKOUT_SESSION_ID%7D&client_reference_id=ws_1&metadata[workspace]=ws_1&subscription_data[metadata][plan]=pro&expand[0]=line_items`,
    );
    expect(session).toMatchObject({ object: "checkout.session", mode: "subscription", status: "open", payment_status: "unpaid", amount_total: 2900, currency: "usd", customer: cus.id, client_reference_id: "ws_1", expires_at: now + 86400 });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`http://sandbox.test/checkout/${session.id}`);
    expect(session.line_items.data[0]).toMatchObject({ amount_total: 2900, price: { id: proPrice.id } });
    expect(emitted).toEqual([]);

    const done = await checkout.completeCheckoutSession(repo, Object.assign(ctxFor(), { events: emitted }), session.id, {});
    expect(done).toMatchObject({ status: "complete", payment_status: "paid", customer: cus.id, url: null });
    expect(checkout.successRedirect(done)).toBe(`https://app.test/ok?s=${session.id}`);
    expect(emitted.map((e) => e.type)).toEqual(["customer.subscription.created", "invoice.paid", "invoice.payment_succeeded", "checkout.session.completed"]);

    const sub = await call<Subscription>(subs.retrieveSubscription, "expand[0]=latest_invoice&expand[1]=customer", done.subscription!);
    expect(sub).toMatchObject({ status: "active", metadata: { plan: "pro" }, customer: { id: cus.id, email: "buyer@x.co" }, latest_invoice: { status: "paid", amount_paid: 2900, billing_reason: "subscription_create" } });
    expect(sub.items.data[0]).toMatchObject({ price: { id: proPrice.id }, quantity: 1, current_period_start: now, current_period_end: Date.UTC(2026, 1, 28, 12) / 1000 });
    const inv = sub.latest_invoice as unknown as Invoice;
    expect(inv.parent?.subscription_details?.subscription).toBe(sub.id);
    expect(inv.number).toMatch(/^[0-9A-F]{8}-0001$/);

    expect((await fails(checkout.expireCheckoutSession, "", session.id)).error.message).toContain('["open"]');
    await expect(checkout.completeCheckoutSession(repo, ctxFor(), session.id, {})).rejects.toThrow(/no longer active/);
  });

  it("creates the customer when the session has none", async () => {
    const { proPrice } = await plans();
    const session = await call<CheckoutSession>(checkout.createCheckoutSession, `mode=subscription&customer_email=new%40x.co&line_items[0][price]=${proPrice.id}&line_items[0][quantity]=1`);
    emitted = [];
    const done = await checkout.completeCheckoutSession(repo, Object.assign(ctxFor(), { events: emitted }), session.id, { name: "New Buyer" });
    expect(emitted.map((e) => e.type)).toEqual(["customer.created", "customer.subscription.created", "invoice.paid", "invoice.payment_succeeded", "checkout.session.completed"]);
    expect((emitted[0]!.data.object as Customer)).toMatchObject({ email: "new@x.co", name: "New Buyer" });
    expect(done.customer_details).toMatchObject({ email: "new@x.co", name: "New Buyer" });
  });

  it("refuses bad line items the way Stripe does", async () => {
    const { pro } = await plans();
    const oneTime = await call<Price>(prices.createPrice, `product=${pro.id}&currency=usd&unit_amount=500`);
    expect((await fails(checkout.createCheckoutSession, "line_items[0][price]=x&line_items[0][quantity]=1")).error).toMatchObject({ code: "parameter_missing", param: "mode" });
    expect((await fails(checkout.createCheckoutSession, "mode=subscription")).error.param).toBe("line_items");
    expect((await fails(checkout.createCheckoutSession, "mode=subscription&line_items[0][price]=price_nope&line_items[0][quantity]=1")).error).toMatchObject({ code: "resource_missing", param: "line_items[0][price]", message: "No such price: 'price_nope'" });
    expect((await fails(checkout.createCheckoutSession, `mode=subscription&line_items[0][price]=${oneTime.id}&line_items[0][quantity]=1`)).error.message).toContain("at least one recurring price");
    expect((await fails(checkout.createCheckoutSession, `mode=subscription&line_items[0][price]=${oneTime.id}`)).error.param).toBe("line_items[0][quantity]");
  });

  it("expires open sessions and emits checkout.session.expired", async () => {
    const { proPrice } = await plans();
    const session = await call<CheckoutSession>(checkout.createCheckoutSession, `mode=subscription&line_items[0][price]=${proPrice.id}&line_items[0][quantity]=1`);
    const expired = await call<CheckoutSession>(checkout.expireCheckoutSession, "", session.id);
    expect(expired).toMatchObject({ status: "expired", url: null });
    expect(emitted.at(-1)!.type).toBe("checkout.session.expired");
  });
});

describe("subscriptions", () => {
  it("upgrades, schedules cancellation and cancels with the right events", async () => {
    const { proPrice, team } = await plans();
    const cus = await call<Customer>(customers.createCustomer, "email=s%40x.co");
    const sub = await call<Subscription>(subs.createSubscription, `customer=${cus.id}&items[0][price]=${proPrice.id}`);
    expect(sub.status).toBe("active");
    const itemId = sub.items.data[0]!.id;
    emitted = [];
    const up = await call<Subscription>(subs.updateSubscription, `items[0][id]=${itemId}&items[0][price]=${team.id}&proration_behavior=none`, sub.id);
    expect(up.items.data.map((i) => [i.id, i.price.id])).toEqual([[itemId, team.id]]);
    const updated = emitted[0]!;
    expect(updated.type).toBe("customer.subscription.updated");
    expect((updated.data.previous_attributes!.items as { data: { price: Price }[] }).data[0]!.price.id).toBe(proPrice.id);

    const later = await call<Subscription>(subs.updateSubscription, "cancel_at_period_end=true", sub.id);
    expect(later).toMatchObject({ cancel_at_period_end: true, cancel_at: later.items.data[0]!.current_period_end, cancellation_details: { reason: "cancellation_requested" } });

    const canceled = await call<Subscription>(subs.cancelSubscription, "cancellation_details[comment]=bye", sub.id);
    expect(canceled).toMatchObject({ status: "canceled", canceled_at: now, ended_at: now, cancellation_details: { comment: "bye" } });
    expect(emitted.at(-1)!.type).toBe("customer.subscription.deleted");
    expect((await fails(subs.cancelSubscription, "", sub.id)).status).toBe(400);
    expect((await call<{ data: Subscription[] }>(subs.listSubscriptions, `customer=${cus.id}`)).data).toEqual([]);
    expect((await call<{ data: Subscription[] }>(subs.listSubscriptions, `customer=${cus.id}&status=all`)).data.map((s) => s.id)).toEqual([sub.id]);
  });

  it("validates expand paths", async () => {
    const { proPrice } = await plans();
    const cus = await call<Customer>(customers.createCustomer, "");
    const sub = await call<Subscription>(subs.createSubscription, `customer=${cus.id}&items[0][price]=${proPrice.id}&expand[0]=items.data.price.product`);
    expect((sub.items.data[0]!.price.product as unknown as Product).name).toBe("Pro");
    expect((await fails(subs.retrieveSubscription, "expand[0]=status", sub.id)).error.message).toBe("This property cannot be expanded (status).");
    expect((await fails(subs.listSubscriptions, "expand[0]=customer")).error.message).toContain("data.customer");
  });
});

describe("metering", () => {
  it("records meter events, summarizes them and bills them at renewal", async () => {
    const meter = await call<{ id: string; event_name: string }>(metering.createMeter, "display_name=Tokens&event_name=llm_tokens&default_aggregation[formula]=sum");
    expect(meter.id).toMatch(/^mtr_test_/);
    expect((await fails(metering.createMeter, "display_name=T&event_name=llm_tokens&default_aggregation[formula]=sum")).status).toBe(400);
    const product = await call<Product>(products.createProduct, "name=Tokens");
    const price = await call<Price>(prices.createPrice, `product=${product.id}&currency=usd&unit_amount=2&recurring[interval]=month&recurring[usage_type]=metered&recurring[meter]=${meter.id}`);
    const cus = await call<Customer>(customers.createCustomer, "");
    const sub = await call<Subscription>(subs.createSubscription, `customer=${cus.id}&items[0][price]=${price.id}`);
    expect(sub.items.data[0]!.quantity).toBeUndefined();

    const ev = await call<{ identifier: string; payload: Record<string, string> }>(metering.createMeterEvent, `event_name=llm_tokens&payload[stripe_customer_id]=${cus.id}&payload[value]=1200&identifier=u1`);
    expect(ev).toMatchObject({ object: "billing.meter_event", identifier: "u1", payload: { value: "1200" }, timestamp: now });
    await call(metering.createMeterEvent, `event_name=llm_tokens&payload[stripe_customer_id]=${cus.id}&payload[value]=300&timestamp=${now + 60}`);
    const dup = await fails(metering.createMeterEvent, `event_name=llm_tokens&payload[stripe_customer_id]=${cus.id}&payload[value]=1&identifier=u1`);
    expect(dup.error.message).toBe("An event already exists with identifier u1.");
    expect(dup.headers["stripe-should-retry"]).toBe("false");
    expect((await fails(metering.createMeterEvent, `event_name=unknown_meter&payload[stripe_customer_id]=${cus.id}&payload[value]=1`)).error.param).toBe("event_name");
    expect((await fails(metering.createMeterEvent, `event_name=llm_tokens&payload[value]=1`)).error.param).toBe("payload[stripe_customer_id]");
    expect((await fails(metering.createMeterEvent, `event_name=llm_tokens&payload[stripe_customer_id]=${cus.id}&payload[value]=lots`)).status).toBe(400);

    const summary = await call<{ data: { aggregated_value: number }[] }>(metering.meterEventSummaries, `customer=${cus.id}&start_time=${now - 3600}&end_time=${now + 3600}`, meter.id);
    expect(summary.data.map((s) => s.aggregated_value)).toEqual([1500]);

    // The period the events fell in ends: the renewal invoice charges 1500 units at 2 cents.
    const renewed = await renewSubscription(repo, Object.assign(ctxFor(), { now: now + 100, events: emitted }), sub.id);
    const invoice = await call<Invoice>(invoices.retrieveInvoice, "", renewed.latest_invoice!);
    expect(invoice).toMatchObject({ billing_reason: "subscription_cycle", total: 3000, status: "paid" });
    expect(renewed.items.data[0]!.current_period_start).toBe(sub.items.data[0]!.current_period_end);
  });
});

describe("events", () => {
  it("lists by type with wildcards", async () => {
    await plans();
    await call(customers.createCustomer, "");
    const all = await call<{ data: StripeEvent[] }>(events.listEvents, "limit=100");
    expect(all.data.map((e) => e.type)).toEqual(["customer.created", "price.created", "product.created", "price.created", "product.created"]);
    const prices = await call<{ data: StripeEvent[] }>(events.listEvents, "type=price.*");
    expect(prices.data).toHaveLength(2);
    const one = await call<StripeEvent>(events.retrieveEvent, "", all.data[0]!.id);
    expect(one).toMatchObject({ object: "event", api_version: "2026-10-28.endive", pending_webhooks: 1, livemode: false });
    expect((await fails(events.retrieveEvent, "", "evt_nope")).error.message).toBe("No such event: 'evt_nope'");
  });
});

describe("billing periods", () => {
  it("adds months clamping to the month's end", () => {
    const jan31 = Date.UTC(2026, 0, 31, 8) / 1000;
    expect(new Date(addInterval(jan31, "month", 1) * 1000).toISOString()).toBe("2026-02-28T08:00:00.000Z");
    expect(new Date(addInterval(jan31, "month", 3) * 1000).toISOString()).toBe("2026-04-30T08:00:00.000Z");
    expect(new Date(addInterval(Date.UTC(2028, 1, 29) / 1000, "year", 1) * 1000).toISOString()).toBe("2029-02-28T00:00:00.000Z");
    expect(addInterval(jan31, "week", 2) - jan31).toBe(14 * 86400);
  });
});
