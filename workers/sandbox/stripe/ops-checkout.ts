import { buildCheckoutSession, lineItemsList, type CheckoutLine, type CheckoutMode, type CheckoutSession } from "./checkout";
import { badRequest, invalidParam, missingParam } from "./errors";
import { paginate, rangeFilter } from "./list";
import { buildCustomer, buildPortalSession, type Customer } from "./objects";
import { startSubscription, type NewLine } from "./lifecycle";
import { currencyParam, linePrice } from "./ops-prices";
import type { Params } from "./params";
import type { Ctx, Repo, StoredRec } from "./repo";
import { makeId } from "./ids";

/** Checkout Sessions (hosted mode), their completion by the sandbox's pay page, and portal sessions. */

const DAY = 86_400;

export async function createCheckoutSession(repo: Repo, ctx: Ctx, p: Params) {
  p.only([
    "adaptive_pricing", "after_expiration", "allow_promotion_codes", "automatic_tax", "billing_address_collection", "cancel_url", "client_reference_id",
    "consent_collection", "currency", "custom_fields", "custom_text", "customer", "customer_creation", "customer_email", "customer_update", "discounts",
    "expires_at", "invoice_creation", "line_items", "locale", "metadata", "mode", "name_collection", "optional_items", "payment_intent_data",
    "payment_method_collection", "payment_method_configuration", "payment_method_data", "payment_method_options", "payment_method_types",
    "permissions", "phone_number_collection", "redirect_on_completion", "return_url", "saved_payment_method_options", "setup_intent_data",
    "shipping_address_collection", "shipping_options", "submit_type", "subscription_data", "success_url", "tax_id_collection", "ui_mode", "wallet_options",
  ]);
  const mode: CheckoutMode = p.enumOf("mode", ["payment", "setup", "subscription"] as const, { required: true })!;
  const uiMode = p.enumOf("ui_mode", ["custom", "embedded", "hosted"] as const) ?? "hosted";
  if (uiMode !== "hosted") throw invalidParam("ui_mode", "The sandbox serves hosted Checkout only (ui_mode=hosted).");
  const successUrl = p.url("success_url") ?? null;
  const cancelUrl = p.url("cancel_url") ?? null;
  const customer = p.str("customer") ?? null;
  const customerEmail = p.email("customer_email") ?? null;
  if (customer && customerEmail) throw badRequest("You may only specify one of these parameters: customer, customer_email.");
  if (customer) await repo.must<Customer>("customer", customer, "customer");
  const customerCreation = p.enumOf("customer_creation", ["always", "if_required"] as const);
  if (customerCreation && mode !== "payment") throw invalidParam("customer_creation", "`customer_creation` can only be used in `payment` mode.");
  if (customerCreation && customer) throw badRequest("You may only specify one of these parameters: customer, customer_creation.");

  const items = p.arr("line_items");
  if (mode !== "setup" && !items?.length) throw missingParam("line_items");
  if (mode === "setup" && items?.length) throw invalidParam("line_items", "You cannot pass `line_items` in `setup` mode.");
  const lines: CheckoutLine[] = [];
  for (const item of items ?? []) {
    item.only(["adjustable_quantity", "dynamic_tax_rates", "metadata", "price", "price_data", "quantity", "tax_rates"]);
    const { price, productName } = await linePrice(repo, ctx, item, { productData: true });
    if (price.custom_unit_amount) throw invalidParam(item.name("price"), "The sandbox does not support customer-chosen prices.");
    const quantity = item.int("quantity", { required: true, min: 0, max: 999_999 })!;
    lines.push({ id: (await repo.newId("checkout_line_item")).id, price, productName, quantity });
  }
  const recurring = lines.filter((l) => l.price.recurring);
  if (mode === "subscription" && !recurring.length) throw invalidParam("line_items", "You must provide at least one recurring price in `subscription` mode when using prices.");
  if (mode === "payment" && recurring.length)
    throw invalidParam("line_items", "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.");
  const currencies = new Set(lines.map((l) => l.price.currency));
  if (currencies.size > 1) throw invalidParam("line_items", "All prices must use the same currency.");
  const intervals = new Set(recurring.map((l) => `${l.price.recurring!.interval}/${l.price.recurring!.interval_count}`));
  if (intervals.size > 1) throw invalidParam("line_items", "All recurring prices must have the same billing interval.");

  const sd = p.obj("subscription_data");
  if (sd && mode !== "subscription") throw invalidParam("subscription_data", "You can only specify `subscription_data` in `subscription` mode.");
  sd?.only(["application_fee_percent", "billing_cycle_anchor", "billing_mode", "default_tax_rates", "description", "invoice_settings", "metadata", "on_behalf_of", "proration_behavior", "transfer_data", "trial_end", "trial_period_days", "trial_settings"]);
  const trialDays = sd?.int("trial_period_days", { min: 1, max: 730 }) ?? null;
  const expiresAt = p.int("expires_at", { min: ctx.now + 30 * 60, max: ctx.now + DAY }) ?? ctx.now + DAY;
  const currency = mode === "setup" ? (currencyParam(p, "currency", false) ?? null) : null;

  const { id, seq } = await repo.newId("checkout_session");
  const session = buildCheckoutSession({
    id,
    now: ctx.now,
    mode,
    url: `${ctx.origin}/checkout/${id}`,
    lines,
    trialDays,
    successUrl,
    cancelUrl,
    customer,
    customerEmail,
    clientReferenceId: p.str("client_reference_id", { max: 200 }) ?? null,
    metadata: p.metadata("metadata") ?? {},
    expiresAt,
    currency,
    locale: p.str("locale") ?? null,
    allowPromotionCodes: p.bool("allow_promotion_codes") ?? null,
    billingAddressCollection: p.enumOf("billing_address_collection", ["auto", "required"] as const) ?? null,
    submitType: p.enumOf("submit_type", ["auto", "book", "donate", "pay", "subscribe"] as const) ?? null,
    paymentMethodTypes: p.strArr("payment_method_types") ?? ["card"],
    customerCreation: mode === "payment" ? (customerCreation ?? "if_required") : null,
    uiMode,
  });
  await repo.put<CheckoutSession>("checkout_session", {
    seq,
    obj: session,
    lines,
    subscriptionData: { metadata: sd?.metadata("metadata") ?? {}, trialDays, description: sd?.str("description") ?? null },
  });
  return session;
}

export async function retrieveCheckoutSession(repo: Repo, ctx: Ctx, p: Params, id: string) {
  p.only([]);
  return (await currentSession(repo, ctx, id)).obj;
}

/** Sessions past `expires_at` expire on read, as Stripe's do (and emit checkout.session.expired). */
async function currentSession(repo: Repo, ctx: Ctx, id: string): Promise<StoredRec<CheckoutSession>> {
  const rec = await repo.must<CheckoutSession>("checkout_session", id);
  if (rec.obj.status === "open" && rec.obj.expires_at <= ctx.now) return expire(repo, ctx, rec);
  return rec;
}

async function expire(repo: Repo, ctx: Ctx, rec: StoredRec<CheckoutSession>): Promise<StoredRec<CheckoutSession>> {
  const next = { ...rec, obj: { ...rec.obj, status: "expired" as const, url: null } };
  await repo.put("checkout_session", next);
  await repo.emit(ctx, "checkout.session.expired", next.obj);
  return next;
}

export async function expireCheckoutSession(repo: Repo, ctx: Ctx, p: Params, id: string) {
  p.only([]);
  const rec = await currentSession(repo, ctx, id);
  if (rec.obj.status !== "open") throw badRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This session has status \`${rec.obj.status}\`.`);
  return (await expire(repo, ctx, rec)).obj;
}

export async function listCheckoutSessions(repo: Repo, _ctx: Ctx, p: Params) {
  p.only(["created", "customer", "customer_account", "customer_details", "ending_before", "limit", "payment_intent", "payment_link", "starting_after", "status", "subscription"]);
  const customer = p.str("customer");
  const status = p.enumOf("status", ["complete", "expired", "open"] as const);
  const subscription = p.str("subscription");
  const inRange = rangeFilter(p);
  const all = await repo.all<CheckoutSession>("checkout_session");
  const seqs = new Map(all.map((r) => [r.obj.id, r.seq]));
  const matching = all.filter(
    ({ obj }) =>
      (customer === undefined || obj.customer === customer) &&
      (status === undefined || obj.status === status) &&
      (subscription === undefined || obj.subscription === subscription) &&
      inRange(obj.created),
  );
  return paginate(matching, p, "/v1/checkout/sessions", "checkout.session", (sid) => seqs.get(sid));
}

export async function checkoutLineItems(repo: Repo, _ctx: Ctx, p: Params, id: string) {
  p.only(["ending_before", "limit", "starting_after"]);
  const rec = await repo.must<CheckoutSession>("checkout_session", id);
  const list = lineItemsList(id, rec.lines ?? []);
  const seqs = new Map(list.data.map((l, i) => [l.id, list.data.length - i]));
  return paginate(
    list.data.map((obj, i) => ({ seq: list.data.length - i, obj })),
    p,
    list.url,
    "line item",
    (lid) => seqs.get(lid),
  );
}

export interface Payer {
  email?: string | undefined;
  name?: string | undefined;
}

/**
 * What happens when the buyer pays on the hosted page: the customer (created if the session had none),
 * the subscription and its paid first invoice, then the session completes. Events in Stripe's order:
 * customer.created, customer.subscription.created, invoice.paid, invoice.payment_succeeded,
 * checkout.session.completed.
 */
export async function completeCheckoutSession(repo: Repo, ctx: Ctx, id: string, payer: Payer): Promise<CheckoutSession> {
  const rec = await currentSession(repo, ctx, id);
  const s = rec.obj;
  if (s.status !== "open") throw badRequest(`This Checkout Session is no longer active (status \`${s.status}\`).`);
  const email = payer.email?.trim() || s.customer_email || undefined;
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalidParam("email", `Invalid email address: ${email}`, "email_invalid");
  let customer: Customer | null = s.customer ? (await repo.must<Customer>("customer", s.customer, "customer")).obj : null;
  const needsCustomer = s.mode !== "payment" || s.customer_creation === "always";
  if (!customer && needsCustomer) {
    const { id: cid, seq } = await repo.newId("customer");
    customer = buildCustomer(cid, ctx.now, { email: email ?? `buyer+${cid.slice(4, 12).toLowerCase()}@example.com`, name: payer.name?.trim() || null });
    await repo.put("customer", { seq, obj: customer });
    await repo.emit(ctx, "customer.created", customer);
  }
  const done: CheckoutSession = { ...s, status: "complete", url: null, customer: customer?.id ?? null };
  const salt = `${id}`;
  if (s.mode === "subscription") {
    const lines = rec.lines ?? [];
    const toNew = (l: CheckoutLine): NewLine => ({ price: l.price, productName: l.productName, quantity: l.quantity });
    const sd = rec.subscriptionData ?? { metadata: {}, trialDays: null, description: null };
    const { subscription, invoice } = await startSubscription(repo, ctx, {
      customer: customer!.id,
      lines: lines.filter((l) => l.price.recurring).map(toNew),
      oneTime: lines.filter((l) => !l.price.recurring).map(toNew),
      metadata: sd.metadata,
      trialEnd: sd.trialDays ? ctx.now + sd.trialDays * DAY : null,
      description: sd.description,
      collectionMethod: "charge_automatically",
      daysUntilDue: null,
      cancelAtPeriodEnd: false,
      defaultPaymentMethod: makeId("payment_method", salt, 1),
      incomplete: false,
    });
    done.subscription = subscription.id;
    done.invoice = invoice.id;
    done.payment_status = invoice.amount_paid > 0 ? "paid" : "no_payment_required";
  } else if (s.mode === "payment") {
    done.payment_intent = makeId("payment_intent", salt, 1);
    done.payment_status = (s.amount_total ?? 0) > 0 ? "paid" : "no_payment_required";
  } else {
    done.setup_intent = makeId("setup_intent", salt, 1);
    done.payment_status = "no_payment_required";
  }
  const finalEmail = customer?.email ?? email ?? null;
  done.customer_details = { address: null, business_name: null, email: finalEmail, individual_name: null, name: customer?.name ?? payer.name ?? null, phone: null, tax_exempt: "none", tax_ids: [] };
  await repo.put("checkout_session", { ...rec, obj: done });
  await repo.emit(ctx, "checkout.session.completed", done);
  return done;
}

/** The substitution Stripe makes in success_url before redirecting. */
export const successRedirect = (s: CheckoutSession) => s.success_url?.replaceAll("{CHECKOUT_SESSION_ID}", s.id) ?? null;

// ---- customer portal

export async function createPortalSession(repo: Repo, ctx: Ctx, p: Params) {
  p.only(["configuration", "customer", "customer_account", "flow_data", "locale", "on_behalf_of", "return_url"]);
  const customer = p.str("customer", { required: true })!;
  await repo.must<Customer>("customer", customer, "customer");
  const { id, seq } = await repo.newId("portal_session");
  const session = buildPortalSession(id, ctx.now, {
    customer,
    configuration: p.str("configuration") ?? makeId("portal_configuration", "default", 1),
    return_url: p.url("return_url") ?? null,
    locale: p.str("locale") ?? null,
    url: `${ctx.origin}/billing_portal/${id}`,
  });
  await repo.put("portal_session", { seq, obj: session });
  await repo.emit(ctx, "billing_portal.session.created", session);
  return session;
}
