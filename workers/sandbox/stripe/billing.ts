import { listOf, type StripeList } from "./list";
import { planOf, type Price, type Recurring } from "./objects";
import type { Metadata } from "./params";

/** Subscriptions and invoices as Stripe renders them (periods live on items since API 2025-03-31). */

const DAY = 86_400;

/** `t` plus `count` intervals, clamping month ends the way Stripe's billing cycle does (Jan 31 -> Feb 28). */
export function addInterval(t: number, interval: Recurring["interval"], count: number): number {
  if (interval === "day") return t + count * DAY;
  if (interval === "week") return t + count * 7 * DAY;
  const d = new Date(t * 1000);
  const months = interval === "year" ? 12 * count : count;
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Math.floor(Date.UTC(targetYear, targetMonth, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000);
}

export interface SubscriptionItem {
  id: string;
  object: "subscription_item";
  created: number;
  current_period_start: number;
  current_period_end: number;
  metadata: Metadata;
  price: Price;
  quantity?: number;
  subscription: string;
  [key: string]: unknown;
}

export type SubscriptionStatus = "active" | "trialing" | "incomplete" | "incomplete_expired" | "past_due" | "canceled" | "unpaid" | "paused";

export interface Subscription {
  id: string;
  object: "subscription";
  created: number;
  customer: string;
  status: SubscriptionStatus;
  items: StripeList<SubscriptionItem>;
  metadata: Metadata;
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  latest_invoice: string | null;
  trial_start: number | null;
  trial_end: number | null;
  currency: string;
  cancellation_details: { comment: string | null; feedback: string | null; reason: string | null };
  [key: string]: unknown;
}

export function buildItem(id: string, subscription: string, now: number, price: Price, quantity: number | undefined, periodStart: number, periodEnd: number, metadata: Metadata = {}): SubscriptionItem {
  const item: SubscriptionItem = {
    id,
    object: "subscription_item",
    billing_thresholds: null,
    created: now,
    current_period_end: periodEnd,
    current_period_start: periodStart,
    discounts: [],
    metadata,
    plan: planOf(price),
    price,
    subscription,
    tax_rates: [],
  };
  // Metered items have no quantity: usage comes from meter events.
  if (price.recurring?.usage_type !== "metered") item.quantity = quantity ?? 1;
  return item;
}

export const itemsList = (subId: string, items: SubscriptionItem[]) => listOf(items, `/v1/subscription_items?subscription=${subId}`);

export function buildSubscription(a: {
  id: string;
  now: number;
  customer: string;
  items: SubscriptionItem[];
  status: SubscriptionStatus;
  metadata: Metadata;
  trialEnd: number | null;
  latestInvoice: string | null;
  description: string | null;
  collectionMethod: "charge_automatically" | "send_invoice";
  daysUntilDue: number | null;
  cancelAtPeriodEnd: boolean;
  defaultPaymentMethod: string | null;
}): Subscription {
  const currency = a.items[0]?.price.currency ?? "usd";
  const periodEnd = a.items[0]?.current_period_end ?? a.now;
  return {
    id: a.id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: a.trialEnd ?? a.now,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: "classic" },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: a.cancelAtPeriodEnd ? periodEnd : null,
    cancel_at_period_end: a.cancelAtPeriodEnd,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: a.collectionMethod,
    created: a.now,
    currency,
    customer: a.customer,
    customer_account: null,
    days_until_due: a.daysUntilDue,
    default_payment_method: a.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: a.description,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, issuer: { type: "self" } },
    items: itemsList(a.id, a.items),
    latest_invoice: a.latestInvoice,
    livemode: false,
    managed_payments: null,
    metadata: a.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: a.now,
    status: a.status,
    test_clock: null,
    transfer_data: null,
    trial_end: a.trialEnd,
    trial_settings: { end_behavior: { missing_payment_method: "create_invoice" } },
    trial_start: a.trialEnd === null ? null : a.now,
  };
}
