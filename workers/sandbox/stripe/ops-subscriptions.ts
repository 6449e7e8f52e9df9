import { buildItem, itemsList, type Subscription } from "./billing";
import { badRequest, invalidParam, missingParam, noSuch } from "./errors";
import { previousAttributes } from "./event";
import { cancelSubscriptionNow, checkCompatible, ENDED, startSubscription, type NewLine } from "./lifecycle";
import { paginate, rangeFilter } from "./list";
import type { Customer } from "./objects";
import { linePrice } from "./ops-prices";
import type { Params } from "./params";
import type { Ctx, Repo } from "./repo";

/** The /v1/subscriptions endpoints. */

const DAY = 86_400;

/** One subscription item's price and quantity: recurring prices only, no quantity on metered ones. */
async function itemLine(repo: Repo, ctx: Ctx, item: Params): Promise<NewLine> {
  const { price, productName } = await linePrice(repo, ctx, item, { productData: false });
  if (!price.recurring)
    throw invalidParam(item.name("price"), `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`);
  const quantity = item.int("quantity", { min: 0 }) ?? 1;
  if (price.recurring.usage_type === "metered" && item.has("quantity"))
    throw invalidParam(item.name("quantity"), "Quantity should not be specified where usage_type is `metered`. Remove quantity from the request.");
  return { price, productName, quantity, metadata: item.metadata("metadata") ?? {} };
}

async function itemLines(repo: Repo, ctx: Ctx, items: Params[], param: string): Promise<NewLine[]> {
  const lines: NewLine[] = [];
  for (const item of items) {
    item.only(["billing_thresholds", "discounts", "metadata", "plan", "price", "price_data", "quantity", "tax_rates"]);
    lines.push(await itemLine(repo, ctx, item));
  }
  checkCompatible(lines, param);
  return lines;
}

export async function createSubscription(repo: Repo, ctx: Ctx, p: Params) {
  p.only([
    "add_invoice_items", "application_fee_percent", "automatic_tax", "backdate_start_date", "billing_cycle_anchor", "billing_cycle_anchor_config",
    "billing_mode", "billing_thresholds", "cancel_at", "cancel_at_period_end", "collection_method", "currency", "customer", "days_until_due",
    "default_payment_method", "default_source", "default_tax_rates", "description", "discounts", "invoice_settings", "items", "metadata",
    "off_session", "on_behalf_of", "payment_behavior", "payment_settings", "pending_invoice_item_interval", "proration_behavior", "transfer_data",
    "trial_end", "trial_from_plan", "trial_period_days", "trial_settings",
  ]);
  const customer = p.str("customer", { required: true })!;
  await repo.must<Customer>("customer", customer, "customer");
  const items = p.arr("items");
  if (!items?.length) throw missingParam("items");
  const lines = await itemLines(repo, ctx, items, "items");
  const oneTime: NewLine[] = [];
  for (const add of p.arr("add_invoice_items") ?? []) {
    add.only(["discounts", "metadata", "period", "price", "price_data", "quantity", "tax_rates"]);
    const { price, productName } = await linePrice(repo, ctx, add, { productData: false });
    oneTime.push({ price, productName, quantity: add.int("quantity", { min: 1 }) ?? 1 });
  }
  const collectionMethod = p.enumOf("collection_method", ["charge_automatically", "send_invoice"] as const) ?? "charge_automatically";
  const daysUntilDue = p.int("days_until_due", { min: 0, max: 730 }) ?? null;
  if (collectionMethod === "send_invoice" && daysUntilDue === null) throw missingParam("days_until_due");
  const trialDays = p.int("trial_period_days", { min: 0, max: 730 });
  const trialEndParam = p.int("trial_end");
  if (trialEndParam !== undefined && trialEndParam <= ctx.now) throw invalidParam("trial_end", "Invalid timestamp: must be an integer Unix timestamp in the future.");
  const trialEnd = trialEndParam ?? (trialDays ? ctx.now + trialDays * DAY : null);
  const behavior = p.enumOf("payment_behavior", ["allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"] as const);
  const { subscription } = await startSubscription(repo, ctx, {
    customer,
    lines,
    oneTime,
    metadata: p.metadata("metadata") ?? {},
    trialEnd,
    description: p.nullableStr("description", { max: 500 }) ?? null,
    collectionMethod,
    daysUntilDue,
    cancelAtPeriodEnd: p.bool("cancel_at_period_end") ?? false,
    defaultPaymentMethod: p.str("default_payment_method") ?? null,
    incomplete: behavior === "default_incomplete",
  });
  return subscription;
}

export async function retrieveSubscription(repo: Repo, _ctx: Ctx, p: Params, id: string) {
  p.only([]);
  return (await repo.must<Subscription>("subscription", id)).obj;
}

export async function updateSubscription(repo: Repo, ctx: Ctx, p: Params, id: string) {
  p.only([
    "add_invoice_items", "application_fee_percent", "automatic_tax", "billing_cycle_anchor", "billing_thresholds", "cancel_at", "cancel_at_period_end",
    "cancellation_details", "collection_method", "days_until_due", "default_payment_method", "default_source", "default_tax_rates", "description",
    "discounts", "invoice_settings", "items", "metadata", "off_session", "on_behalf_of", "pause_collection", "payment_behavior", "payment_settings",
    "pending_invoice_item_interval", "proration_behavior", "proration_date", "transfer_data", "trial_end", "trial_from_plan", "trial_settings",
  ]);
  const rec = await repo.must<Subscription>("subscription", id);
  const before = rec.obj;
  const after: Subscription = structuredClone(before);
  if (ENDED.includes(before.status)) {
    const extra = Object.keys(p.raw).filter((k) => !["metadata", "cancellation_details", "expand"].includes(k));
    if (extra.length) throw badRequest("A canceled subscription can only update its cancellation_details and metadata.");
  }
  const metadata = p.metadata("metadata", before.metadata);
  if (metadata) after.metadata = metadata;
  const description = p.nullableStr("description", { max: 500 });
  if (description !== undefined) after.description = description;
  const details = p.obj("cancellation_details");
  if (details) {
    details.only(["comment", "feedback"]);
    const comment = details.nullableStr("comment", { max: 5000 });
    const feedback = details.enumOf("feedback", ["customer_service", "low_quality", "missing_features", "other", "switched_service", "too_complex", "too_expensive", "unused"] as const);
    after.cancellation_details = { ...after.cancellation_details, ...(comment !== undefined ? { comment } : {}), ...(feedback ? { feedback } : {}) };
  }
  const dpm = p.nullableStr("default_payment_method");
  if (dpm !== undefined) after.default_payment_method = dpm;
  const pause = p.passthrough("pause_collection");
  if (pause !== undefined) after.pause_collection = pause;
  p.enumOf("proration_behavior", ["always_invoice", "create_prorations", "none"] as const);

  const items = p.arr("items");
  if (items) {
    const current = [...after.items.data];
    for (const item of items) {
      item.only(["billing_thresholds", "clear_usage", "deleted", "discounts", "id", "metadata", "plan", "price", "price_data", "quantity", "tax_rates"]);
      const itemId = item.str("id");
      const idx = itemId ? current.findIndex((i) => i.id === itemId) : -1;
      if (itemId && idx < 0) throw noSuch("subscription_item", itemId, item.name("id"));
      if (item.bool("deleted")) {
        if (idx < 0) throw missingParam(item.name("id"));
        current.splice(idx, 1);
        continue;
      }
      const hasPrice = item.has("price") || item.has("price_data");
      const existing = idx >= 0 ? current[idx]! : undefined;
      if (!existing && !hasPrice) throw missingParam(item.name("price"));
      const line = hasPrice ? await itemLine(repo, ctx, item) : undefined;
      const price = line?.price ?? existing!.price;
      const quantity = item.int("quantity", { min: 0 }) ?? (line ? line.quantity : existing!.quantity);
      const metadata = item.metadata("metadata", existing?.metadata) ?? existing?.metadata ?? {};
      const start = existing?.current_period_start ?? current[0]?.current_period_start ?? ctx.now;
      const end = existing?.current_period_end ?? current[0]?.current_period_end ?? ctx.now;
      const itemIdFinal = existing?.id ?? (await repo.newId("subscription_item")).id;
      const built = buildItem(itemIdFinal, id, existing?.created ?? ctx.now, price, quantity, start, end, metadata);
      if (idx >= 0) current[idx] = built;
      else current.push(built);
    }
    if (!current.length) throw badRequest("A subscription must have at least one active item. To end the subscription, cancel it instead.");
    checkCompatible(current.map((i) => ({ price: i.price, productName: "", quantity: i.quantity ?? 0 })), "items");
    after.items = itemsList(id, current);
    after.currency = current[0]!.price.currency;
  }

  const periodEnd = after.items.data[0]?.current_period_end ?? null;
  const cape = p.bool("cancel_at_period_end");
  if (cape !== undefined) {
    after.cancel_at_period_end = cape;
    after.cancel_at = cape ? periodEnd : null;
  }
  if (p.has("cancel_at")) {
    const at = p.raw.cancel_at === "" ? null : p.int("cancel_at", { min: ctx.now });
    after.cancel_at = at ?? null;
    after.cancel_at_period_end = at !== null && at === periodEnd;
  }
  if ((cape === true || after.cancel_at !== null) && before.cancel_at === null) {
    after.cancellation_details = { ...after.cancellation_details, reason: "cancellation_requested" };
  } else if (after.cancel_at === null && before.cancel_at !== null) {
    after.cancellation_details = { comment: null, feedback: null, reason: null };
  }
  if (p.raw.trial_end === "now" && before.status === "trialing") {
    after.status = "active";
    after.trial_end = ctx.now;
  } else if (p.has("trial_end") && p.raw.trial_end !== "now") {
    const t = p.int("trial_end", { min: ctx.now + 1 })!;
    after.trial_end = t;
    after.status = "trialing";
  }
  const previous = previousAttributes(before, after);
  await repo.put("subscription", { ...rec, obj: after });
  if (Object.keys(previous).length) await repo.emit(ctx, "customer.subscription.updated", after, previous);
  return after;
}

export async function cancelSubscription(repo: Repo, ctx: Ctx, p: Params, id: string) {
  p.only(["cancellation_details", "invoice_now", "prorate"]);
  const rec = await repo.must<Subscription>("subscription", id);
  if (ENDED.includes(rec.obj.status)) throw badRequest("A canceled subscription can only update its cancellation_details and metadata.");
  const d = p.obj("cancellation_details")?.only(["comment", "feedback"]);
  p.bool("invoice_now");
  p.bool("prorate");
  return cancelSubscriptionNow(repo, ctx, rec, "cancellation_requested", { comment: d?.nullableStr("comment") ?? null, feedback: d?.str("feedback") ?? null });
}

const LIST_STATUSES = ["active", "all", "canceled", "ended", "incomplete", "incomplete_expired", "past_due", "paused", "trialing", "unpaid"] as const;

export async function listSubscriptions(repo: Repo, _ctx: Ctx, p: Params) {
  p.only(["automatic_tax", "collection_method", "created", "current_period_end", "current_period_start", "customer", "customer_account", "ending_before", "limit", "price", "starting_after", "status", "test_clock"]);
  const customer = p.str("customer");
  const price = p.str("price");
  const status = p.enumOf("status", LIST_STATUSES);
  const collection = p.enumOf("collection_method", ["charge_automatically", "send_invoice"] as const);
  const inRange = rangeFilter(p);
  const all = await repo.all<Subscription>("subscription");
  const seqs = new Map(all.map((r) => [r.obj.id, r.seq]));
  const matching = all.filter(({ obj }) => {
    if (customer !== undefined && obj.customer !== customer) return false;
    if (price !== undefined && !obj.items.data.some((i) => i.price.id === price)) return false;
    if (collection !== undefined && obj.collection_method !== collection) return false;
    // Stripe's default list leaves out ended subscriptions.
    if (status === undefined && ENDED.includes(obj.status)) return false;
    if (status === "ended" && !ENDED.includes(obj.status)) return false;
    if (status !== undefined && status !== "all" && status !== "ended" && obj.status !== status) return false;
    return inRange(obj.created);
  });
  return paginate(matching, p, "/v1/subscriptions", "subscription", (sid) => seqs.get(sid));
}
