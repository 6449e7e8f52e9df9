import { addInterval, buildItem, buildSubscription, itemsList, type Subscription, type SubscriptionItem, type SubscriptionStatus } from "./billing";
import { badRequest, invalidParam } from "./errors";
import { previousAttributes } from "./event";
import { buildInvoice, lineDescription, type Invoice, type InvoiceLineInput } from "./invoice";
import type { Customer, Price } from "./objects";
import { usageFor } from "./ops-metering";
import type { Metadata } from "./params";
import type { Ctx, Repo, StoredRec } from "./repo";

/** What happens to a subscription over time: it starts with a paid first invoice, renews, ends. */

export const ENDED: SubscriptionStatus[] = ["canceled", "incomplete_expired"];

export interface NewLine {
  price: Price;
  productName: string;
  quantity: number;
  metadata?: Metadata;
}

const DAY = 86_400;

export function checkCompatible(lines: NewLine[], param: string) {
  const first = lines[0]?.price;
  for (const l of lines) {
    if (!first) break;
    if (l.price.currency !== first.currency) throw invalidParam(param, "All prices on a subscription must have the same `currency`.");
    const a = l.price.recurring;
    const b = first.recurring;
    if (a && b && (a.interval !== b.interval || a.interval_count !== b.interval_count))
      throw invalidParam(param, "All prices on a subscription must have the same `recurring.interval` and `recurring.interval_count`.");
  }
}

async function nextInvoiceNumber(repo: Repo, customerId: string): Promise<string> {
  const rec = await repo.must<Customer>("customer", customerId);
  const n = rec.obj.next_invoice_sequence;
  await repo.put("customer", { ...rec, obj: { ...rec.obj, next_invoice_sequence: n + 1 } });
  return `${rec.obj.invoice_prefix}-${String(n).padStart(4, "0")}`;
}

/** Creates and stores an invoice for `lines`, emitting what Stripe emits once it is finalized (and paid). */
async function issueInvoice(
  repo: Repo,
  ctx: Ctx,
  a: { customer: string; sub: Subscription | null; lines: InvoiceLineInput[]; descriptions: string[]; reason: Parameters<typeof buildInvoice>[0]["billingReason"]; paid: boolean; period: { start: number; end: number }; dueDate: number | null },
): Promise<Invoice> {
  const customer = (await repo.must<Customer>("customer", a.customer)).obj;
  const { id, seq } = await repo.newId("invoice");
  const number = await nextInvoiceNumber(repo, a.customer);
  const invoice = buildInvoice({
    id,
    now: ctx.now,
    number,
    customer,
    subscription: a.sub ? { id: a.sub.id, metadata: a.sub.metadata } : null,
    lines: a.lines,
    descriptions: a.descriptions,
    billingReason: a.reason,
    paid: a.paid,
    collectionMethod: (a.sub?.collection_method as "send_invoice" | undefined) ?? "charge_automatically",
    dueDate: a.dueDate,
    origin: ctx.origin,
    period: a.period,
  });
  await repo.put("invoice", { seq, obj: invoice });
  return invoice;
}

async function emitInvoice(repo: Repo, ctx: Ctx, invoice: Invoice) {
  if (invoice.status === "paid") {
    await repo.emit(ctx, "invoice.paid", invoice);
    await repo.emit(ctx, "invoice.payment_succeeded", invoice);
  } else {
    await repo.emit(ctx, "invoice.finalized", invoice);
  }
}

/**
 * Starts a subscription the way a successful first payment does (API create or Checkout completion):
 * items, first invoice, `customer.subscription.created` then the invoice's events. The sandbox treats
 * every customer as having a working test card, so charge_automatically invoices are paid at once.
 */
export async function startSubscription(
  repo: Repo,
  ctx: Ctx,
  a: {
    customer: string;
    lines: NewLine[];
    oneTime: NewLine[];
    metadata: Metadata;
    trialEnd: number | null;
    description: string | null;
    collectionMethod: "charge_automatically" | "send_invoice";
    daysUntilDue: number | null;
    cancelAtPeriodEnd: boolean;
    defaultPaymentMethod: string | null;
    incomplete: boolean;
  },
): Promise<{ subscription: Subscription; invoice: Invoice }> {
  const { id, seq } = await repo.newId("subscription");
  const first = a.lines[0]!.price.recurring!;
  const periodEnd = a.trialEnd ?? addInterval(ctx.now, first.interval, first.interval_count);
  const items: SubscriptionItem[] = [];
  for (const line of a.lines) {
    const si = await repo.newId("subscription_item");
    items.push(buildItem(si.id, id, ctx.now, line.price, line.quantity, ctx.now, periodEnd, line.metadata));
  }
  const trial = a.trialEnd !== null;
  const invoiceLines: InvoiceLineInput[] = [];
  const descriptions: string[] = [];
  for (const [i, line] of a.lines.entries()) {
    const metered = line.price.recurring?.usage_type === "metered";
    invoiceLines.push({
      id: (await repo.newId("invoice_line")).id,
      price: line.price,
      productName: line.productName,
      quantity: metered ? 0 : line.quantity,
      amount: trial || metered ? 0 : (line.price.unit_amount ?? 0) * line.quantity,
      period: { start: ctx.now, end: periodEnd },
      subscriptionItem: items[i]!.id,
    });
    descriptions.push(lineDescription(line.productName, line.price, metered ? 0 : line.quantity, trial));
  }
  for (const line of a.oneTime) {
    invoiceLines.push({
      id: (await repo.newId("invoice_line")).id,
      price: line.price,
      productName: line.productName,
      quantity: line.quantity,
      amount: (line.price.unit_amount ?? 0) * line.quantity,
      period: { start: ctx.now, end: ctx.now },
      subscriptionItem: null,
    });
    descriptions.push(lineDescription(line.productName, line.price, line.quantity, false));
  }
  const sendInvoice = a.collectionMethod === "send_invoice";
  const total = invoiceLines.reduce((s, l) => s + l.amount, 0);
  const paid = total === 0 || (!sendInvoice && !a.incomplete);
  const status: SubscriptionStatus = trial ? "trialing" : paid || sendInvoice ? "active" : "incomplete";
  let subscription = buildSubscription({
    id,
    now: ctx.now,
    customer: a.customer,
    items,
    status,
    metadata: a.metadata,
    trialEnd: a.trialEnd,
    latestInvoice: null,
    description: a.description,
    collectionMethod: a.collectionMethod,
    daysUntilDue: a.daysUntilDue,
    cancelAtPeriodEnd: a.cancelAtPeriodEnd,
    defaultPaymentMethod: a.defaultPaymentMethod,
  });
  const invoice = await issueInvoice(repo, ctx, {
    customer: a.customer,
    sub: subscription,
    lines: invoiceLines,
    descriptions,
    reason: "subscription_create",
    paid,
    period: { start: ctx.now, end: ctx.now },
    dueDate: sendInvoice ? ctx.now + (a.daysUntilDue ?? 30) * DAY : null,
  });
  subscription = { ...subscription, latest_invoice: invoice.id };
  await repo.put("subscription", { seq, obj: subscription });
  await repo.emit(ctx, "customer.subscription.created", subscription);
  await emitInvoice(repo, ctx, invoice);
  return { subscription, invoice };
}

/** Ends a subscription at once (DELETE, customer deletion, portal "cancel now", period end after cancel_at_period_end). */
export async function cancelSubscriptionNow(repo: Repo, ctx: Ctx, rec: StoredRec<Subscription>, reason: string, details?: { comment?: string | null; feedback?: string | null }) {
  const before = rec.obj;
  const after: Subscription = {
    ...before,
    status: "canceled",
    canceled_at: ctx.now,
    ended_at: ctx.now,
    cancel_at: before.cancel_at,
    cancellation_details: { comment: details?.comment ?? before.cancellation_details.comment, feedback: details?.feedback ?? before.cancellation_details.feedback, reason },
  };
  await repo.put("subscription", { ...rec, obj: after });
  await repo.emit(ctx, "customer.subscription.deleted", after);
  return after;
}

/**
 * Sandbox-only: the billing period ends now. A subscription set to cancel at period end is canceled;
 * otherwise the items move to the next period and a `subscription_cycle` invoice is paid, metered
 * items charged for the usage their meters recorded during the period that ended.
 */
/**
 * Ends the current period and bills the next one. `paymentFails` plays a declined card: the invoice stays
 * open after one attempt (`invoice.finalized`, `invoice.payment_failed`) and the subscription turns
 * past_due, as Stripe's smart retries leave it until they succeed or give up.
 */
export async function renewSubscription(repo: Repo, ctx: Ctx, id: string, opts: { paymentFails?: boolean } = {}) {
  const rec = await repo.must<Subscription>("subscription", id);
  const before = rec.obj;
  if (ENDED.includes(before.status)) throw badRequest("A canceled subscription cannot be renewed.");
  if (before.cancel_at_period_end) return cancelSubscriptionNow(repo, ctx, rec, "cancellation_requested");
  const items = before.items.data.map((item) => {
    const r = item.price.recurring!;
    return { ...item, current_period_start: item.current_period_end, current_period_end: addInterval(item.current_period_end, r.interval, r.interval_count) };
  });
  const lines: InvoiceLineInput[] = [];
  const descriptions: string[] = [];
  for (const [i, item] of items.entries()) {
    const old = before.items.data[i]!;
    const meter = item.price.recurring?.meter;
    const usage = meter ? await usageFor(repo, meter, before.customer, old.current_period_start, old.current_period_end) : undefined;
    const quantity = usage ?? item.quantity ?? 1;
    const product = await repo.get<{ name: string }>("product", item.price.product);
    lines.push({
      id: (await repo.newId("invoice_line")).id,
      price: item.price,
      productName: product?.obj.name ?? item.price.product,
      quantity,
      amount: Math.round((item.price.unit_amount ?? 0) * quantity),
      period: meter ? { start: old.current_period_start, end: old.current_period_end } : { start: item.current_period_start, end: item.current_period_end },
      subscriptionItem: item.id,
    });
    descriptions.push(lineDescription(product?.obj.name ?? item.price.product, item.price, quantity, false));
  }
  const sendInvoice = before.collection_method === "send_invoice";
  const invoice = await issueInvoice(repo, ctx, {
    customer: before.customer,
    sub: before,
    lines,
    descriptions,
    reason: "subscription_cycle",
    paid: !sendInvoice && !opts.paymentFails,
    period: { start: before.items.data[0]!.current_period_start, end: before.items.data[0]!.current_period_end },
    dueDate: sendInvoice ? ctx.now + ((before.days_until_due as number | null) ?? 30) * DAY : null,
  });
  const status = opts.paymentFails ? "past_due" : before.status === "trialing" ? "active" : before.status;
  const after: Subscription = { ...before, items: itemsList(id, items), latest_invoice: invoice.id, status };
  await repo.put("subscription", { ...rec, obj: after });
  if (opts.paymentFails) {
    const attempted = { ...invoice, attempted: true, attempt_count: 1 };
    await repo.put("invoice", { seq: (await repo.get<Invoice>("invoice", invoice.id))!.seq, obj: attempted });
    await repo.emit(ctx, "invoice.finalized", attempted);
    await repo.emit(ctx, "invoice.payment_failed", attempted);
  } else await emitInvoice(repo, ctx, invoice);
  await repo.emit(ctx, "customer.subscription.updated", after, previousAttributes(before, after));
  return after;
}
