import { Hono, type Context } from "hono";
import { sandboxState, type SandboxAppEnv } from "./env";
import type { Subscription } from "./stripe/billing";
import type { CheckoutSession } from "./stripe/checkout";
import { errorBody, noApiKey, StripeApiError } from "./stripe/errors";
import { decodeRequestParams } from "./stripe/form";
import { apiKeyFrom, stripeJson, unsupportedContentType } from "./stripe/http";
import { decideIdempotency, fingerprint, shouldSave, storageKey } from "./stripe/idempotency";
import { newRequestId } from "./stripe/ids";
import type { StripeEvent } from "./stripe/event";
import { API_VERSION, type Customer, type Price, type Product } from "./stripe/objects";
import * as invoices from "./stripe/ops-invoices";
import * as prices from "./stripe/ops-prices";
import * as products from "./stripe/ops-products";
import { renewSubscription } from "./stripe/lifecycle";
import * as checkout from "./stripe/ops-checkout";
import * as customers from "./stripe/ops-customers";
import * as events from "./stripe/ops-events";
import * as metering from "./stripe/ops-metering";
import * as subs from "./stripe/ops-subscriptions";
import { checkoutPage, htmlResponse, invoicePage, messagePage, portalPage } from "./stripe/pages";
import { Params } from "./stripe/params";
import { Repo, type Ctx, type DocStore } from "./stripe/repo";
import type { Invoice } from "./stripe/invoice";
import { DEFAULT_BACKOFF_MS, deliverEvents } from "./stripe/webhook";

/**
 * The Stripe stand-in, mounted at the sandbox root because stripe-node cannot take a base path:
 * the v1 API (form-encoded, Bearer or Basic key, idempotency keys, expand[]), hosted pages for
 * Checkout, the customer portal and invoices, and signed webhook delivery to the platform.
 * Sandbox controls: /_sandbox/stripe/* (also answered at /_control/stripe/*).
 */
type C = Context<SandboxAppEnv>;
type Op = (repo: Repo, ctx: Ctx, p: Params, id: string) => Promise<unknown>;

function storeFor(env: SandboxAppEnv["Bindings"]): DocStore {
  const stub = sandboxState(env);
  return {
    nextSeq: (ns) => stub.nextSeq(ns),
    getDoc: <T>(ns: string, id: string) => stub.getDoc(ns, id) as Promise<T | undefined>,
    putDoc: (ns, id, value) => stub.putDoc(ns, id, value as never) as Promise<unknown>,
    listDocs: <T>(ns: string, limit?: number) => stub.listDocs(ns, limit) as unknown as Promise<T[]>,
  };
}

const newCtx = (c: C): Ctx => ({ now: Math.floor(Date.now() / 1000), requestId: null, idempotencyKey: null, origin: new URL(c.req.url).origin, events: [] });

/** Sends the events a request produced, in order, after the response (retries run on in waitUntil). */
async function deliver(c: C, repo: Repo, list: StripeEvent[]): Promise<void> {
  if (!list.length) return;
  const settings = await sandboxState(c.env).getSettings();
  const url = settings.stripeWebhookUrl ?? `${c.env.PLATFORM_URL.replace(/\/+$/, "")}/webhooks/stripe`;
  const task = deliverEvents(list, {
    url,
    secret: c.env.STRIPE_WEBHOOK_SECRET,
    backoffMs: DEFAULT_BACKOFF_MS,
    timeoutMs: 4000,
    fetch: (input, init) => fetch(input, init),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    nowMs: () => Date.now(),
    newId: () => repo.newDeliveryId(),
    save: (r) => repo.saveDelivery(r),
  })
    .then(async (records) => {
      for (const r of records) {
        if (r.status !== "succeeded") continue;
        const rec = await repo.get<StripeEvent>("event", r.event);
        if (rec) await repo.put("event", { ...rec, obj: { ...rec.obj, pending_webhooks: 0 } });
      }
    })
    .catch((err) => console.error("stripe webhook delivery", err));
  c.executionCtx.waitUntil(task);
}

/** One v1 endpoint: auth, form decoding, idempotency, the operation, expand[], Stripe's headers and errors. */
function api(op: Op) {
  return async (c: C) => {
    const requestId = newRequestId();
    const headers: Record<string, string> = { "request-id": requestId, "stripe-version": c.req.header("stripe-version") ?? API_VERSION };
    const method = c.req.method;
    const url = new URL(c.req.url);
    const idemKey = method === "POST" ? c.req.header("idempotency-key")?.trim() || null : null;
    if (idemKey) headers["idempotency-key"] = idemKey;
    const repo = new Repo(storeFor(c.env));
    const ctx: Ctx = { ...newCtx(c), requestId, idempotencyKey: idemKey };
    let idem: { key: string; fp: string } | undefined;
    try {
      const apiKey = apiKeyFrom(c.req.header("authorization"));
      if (!apiKey) throw noApiKey();
      const badType = method === "POST" ? unsupportedContentType(c.req.header("content-type")) : null;
      if (badType)
        throw new StripeApiError(400, { type: "invalid_request_error", message: `Invalid request: unsupported Content-Type ${badType}. If error persists and you need assistance, please contact support@stripe.com.` });
      const raw = decodeRequestParams(url.search, method === "POST" ? await c.req.text() : "");
      if (idemKey) {
        const key = await storageKey(apiKey, idemKey);
        const fp = fingerprint(raw);
        const decision = decideIdempotency(idemKey, await repo.getIdem(key), { method, path: url.pathname, fingerprint: fp, now: ctx.now });
        if (decision.kind === "replay") {
          const r = decision.record;
          return new Response(r.body, { status: r.status, headers: { "content-type": "application/json", ...headers, "request-id": r.requestId, "idempotent-replayed": "true" } });
        }
        idem = { key, fp };
      }
      const p = new Params(raw);
      const result = await repo.expand(await op(repo, ctx, p, c.req.param("id") ?? ""), p.expand());
      const res = stripeJson(200, result, headers);
      if (idem) await repo.putIdem(idem.key, { method, path: url.pathname, fingerprint: idem.fp, status: 200, body: JSON.stringify(result, null, 2), requestId, created: ctx.now });
      await deliver(c, repo, ctx.events);
      return res;
    } catch (caught) {
      let err = caught;
      if (!(err instanceof StripeApiError)) {
        console.error("stripe stand-in", err);
        err = new StripeApiError(500, { type: "api_error", message: "An unknown error occurred while processing this request." });
      }
      const e = err as StripeApiError;
      const body = errorBody(e, requestId);
      if (idem && shouldSave(e.status)) {
        await repo.putIdem(idem.key, { method, path: url.pathname, fingerprint: idem.fp, status: e.status, body: JSON.stringify(body, null, 2), requestId, created: ctx.now });
      }
      // Whatever changed before the failure still notifies, as Stripe's events do.
      await deliver(c, repo, ctx.events);
      return stripeJson(e.status, body, { ...headers, ...e.headers });
    }
  };
}

// ---- sandbox controls (tests and people): complete a checkout, end a billing period, read deliveries

const controlError = (c: C, err: unknown) => {
  if (err instanceof StripeApiError) {
    const status = err.status === 404 ? 404 : 400;
    return c.json({ error: { code: err.status === 404 ? "not_found" : "invalid_request", message: err.message } }, status);
  }
  throw err;
};

async function jsonBody(c: C): Promise<Record<string, unknown>> {
  try {
    const body = await c.req.json();
    return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const control = new Hono<SandboxAppEnv>()
  .post("/checkout/:id/complete", async (c) => {
    const repo = new Repo(storeFor(c.env));
    const ctx = newCtx(c);
    const body = await jsonBody(c);
    try {
      const str = (v: unknown) => (typeof v === "string" ? v : undefined);
      const session = await checkout.completeCheckoutSession(repo, ctx, c.req.param("id"), { email: str(body.email), name: str(body.name) });
      await deliver(c, repo, ctx.events);
      return c.json(session);
    } catch (err) {
      await deliver(c, repo, ctx.events);
      return controlError(c, err);
    }
  })
  .post("/subscriptions/:id/renew", async (c) => {
    const repo = new Repo(storeFor(c.env));
    const ctx = newCtx(c);
    try {
      const body = await jsonBody(c);
      const sub = await renewSubscription(repo, ctx, c.req.param("id"), { paymentFails: body.paymentFails === true });
      await deliver(c, repo, ctx.events);
      return c.json(sub);
    } catch (err) {
      return controlError(c, err);
    }
  })
  .get("/deliveries", async (c) => {
    const event = c.req.query("event");
    const type = c.req.query("type");
    const limit = Math.min(1000, Math.max(1, Number(c.req.query("limit") ?? 100) || 100));
    const all = await new Repo(storeFor(c.env)).deliveries();
    return c.json({ deliveries: all.filter((d) => (!event || d.event === event) && (!type || d.type === type)).slice(0, limit) });
  });

// ---- hosted pages

async function portalAction(c: C, action: (repo: Repo, ctx: Ctx, sub: string) => Promise<unknown>) {
  const repo = new Repo(storeFor(c.env));
  const ctx = newCtx(c);
  const portal = await repo.get<{ customer: string; id: string }>("portal_session", c.req.param("id")!);
  const sub = await repo.get<Subscription>("subscription", c.req.param("sub")!);
  if (!portal || !sub || sub.obj.customer !== portal.obj.customer) return messagePage("Not found", "No such subscription for this customer.", 404);
  try {
    await action(repo, ctx, sub.obj.id);
  } catch (err) {
    if (!(err instanceof StripeApiError)) throw err;
    await deliver(c, repo, ctx.events);
    return messagePage("Could not update", err.message, 400);
  }
  await deliver(c, repo, ctx.events);
  return c.redirect(`/billing_portal/${portal.obj.id}`, 303);
}

const pages = new Hono<SandboxAppEnv>()
  .get("/checkout/:id", async (c) => {
    const repo = new Repo(storeFor(c.env));
    const rec = await repo.get<CheckoutSession>("checkout_session", c.req.param("id"));
    if (!rec) return messagePage("Not found", "This checkout session does not exist.", 404);
    return htmlResponse(checkoutPage(rec.obj, rec.lines ?? []));
  })
  .post("/checkout/:id/complete", async (c) => {
    const repo = new Repo(storeFor(c.env));
    const ctx = newCtx(c);
    const form = await c.req.parseBody();
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    try {
      const session = await checkout.completeCheckoutSession(repo, ctx, c.req.param("id"), { email: str(form.email), name: str(form.name) });
      await deliver(c, repo, ctx.events);
      const next = checkout.successRedirect(session);
      return next ? c.redirect(next, 303) : messagePage("Payment complete", "Thanks! You can close this page.");
    } catch (err) {
      if (!(err instanceof StripeApiError)) throw err;
      await deliver(c, repo, ctx.events);
      return messagePage("Checkout unavailable", err.message, err.status === 404 ? 404 : 400);
    }
  })
  .get("/billing_portal/:id", async (c) => {
    const repo = new Repo(storeFor(c.env));
    const portal = await repo.get<{ id: string; customer: string; return_url: string | null }>("portal_session", c.req.param("id"));
    if (!portal) return messagePage("Not found", "This portal session does not exist.", 404);
    const customer = await repo.get<Customer>("customer", portal.obj.customer);
    if (!customer || customer.deleted) return messagePage("Not found", "This customer no longer exists.", 404);
    const subscriptions = (await repo.all<Subscription>("subscription")).map((r) => r.obj).filter((s) => s.customer === customer.obj.id && s.status !== "canceled" && s.status !== "incomplete_expired");
    const prices = (await repo.all<Price>("price")).map((r) => r.obj).filter((p) => p.active && p.type === "recurring" && p.recurring?.usage_type === "licensed");
    const names = new Map((await repo.all<Product>("product")).map((r) => [r.obj.id, r.obj.name]));
    return htmlResponse(portalPage(portal.obj.id, customer.obj, subscriptions, prices.filter((p) => names.has(p.product)), names, portal.obj.return_url));
  })
  .post("/billing_portal/:id/subscriptions/:sub/cancel", (c) =>
    portalAction(c, (repo, ctx, sub) => subs.updateSubscription(repo, ctx, new Params({ cancel_at_period_end: "true" }), sub)),
  )
  .post("/billing_portal/:id/subscriptions/:sub/keep", (c) =>
    portalAction(c, (repo, ctx, sub) => subs.updateSubscription(repo, ctx, new Params({ cancel_at_period_end: "false" }), sub)),
  )
  .post("/billing_portal/:id/subscriptions/:sub/switch", async (c) => {
    const form = await c.req.parseBody();
    const price = typeof form.price === "string" ? form.price : "";
    return portalAction(c, async (repo, ctx, sub) => {
      const current = (await repo.must<Subscription>("subscription", sub)).obj.items.data[0]!;
      return subs.updateSubscription(repo, ctx, new Params({ items: [{ id: current.id, price }], proration_behavior: "none" }), sub);
    });
  })
  .get("/invoice/:id", async (c) => {
    const rec = await new Repo(storeFor(c.env)).get<Invoice>("invoice", c.req.param("id"));
    return rec ? htmlResponse(invoicePage(rec.obj)) : messagePage("Not found", "This invoice does not exist.", 404);
  });

export const stripeRoutes = new Hono<SandboxAppEnv>()
  .post("/v1/customers", api(customers.createCustomer))
  .get("/v1/customers", api(customers.listCustomers))
  .get("/v1/customers/:id", api(customers.retrieveCustomer))
  .post("/v1/customers/:id", api(customers.updateCustomer))
  .delete("/v1/customers/:id", api(customers.deleteCustomer))
  .post("/v1/products", api(products.createProduct))
  .get("/v1/products", api(products.listProducts))
  .get("/v1/products/:id", api(products.retrieveProduct))
  .post("/v1/products/:id", api(products.updateProduct))
  .delete("/v1/products/:id", api(products.deleteProduct))
  .post("/v1/prices", api(prices.createPrice))
  .get("/v1/prices", api(prices.listPrices))
  .get("/v1/prices/:id", api(prices.retrievePrice))
  .post("/v1/prices/:id", api(prices.updatePrice))
  .post("/v1/checkout/sessions", api(checkout.createCheckoutSession))
  .get("/v1/checkout/sessions", api(checkout.listCheckoutSessions))
  .get("/v1/checkout/sessions/:id", api(checkout.retrieveCheckoutSession))
  .post("/v1/checkout/sessions/:id/expire", api(checkout.expireCheckoutSession))
  .get("/v1/checkout/sessions/:id/line_items", api(checkout.checkoutLineItems))
  .post("/v1/billing_portal/sessions", api(checkout.createPortalSession))
  .post("/v1/subscriptions", api(subs.createSubscription))
  .get("/v1/subscriptions", api(subs.listSubscriptions))
  .get("/v1/subscriptions/:id", api(subs.retrieveSubscription))
  .post("/v1/subscriptions/:id", api(subs.updateSubscription))
  .delete("/v1/subscriptions/:id", api(subs.cancelSubscription))
  .get("/v1/invoices", api(invoices.listInvoices))
  .get("/v1/invoices/:id", api(invoices.retrieveInvoice))
  .get("/v1/events", api(events.listEvents))
  .get("/v1/events/:id", api(events.retrieveEvent))
  .post("/v1/billing/meters", api(metering.createMeter))
  .get("/v1/billing/meters", api(metering.listMeters))
  .get("/v1/billing/meters/:id", api(metering.retrieveMeter))
  .post("/v1/billing/meters/:id", api(metering.updateMeter))
  .post("/v1/billing/meters/:id/deactivate", api(metering.setMeterStatus(false)))
  .post("/v1/billing/meters/:id/reactivate", api(metering.setMeterStatus(true)))
  .get("/v1/billing/meters/:id/event_summaries", api(metering.meterEventSummaries))
  .post("/v1/billing/meter_events", api(metering.createMeterEvent))
  .route("/_sandbox/stripe", control)
  .route("/_control/stripe", control)
  .route("/", pages);
