import { listOf } from "./list";
import { formatAmount } from "./money";
import type { Customer, Price } from "./objects";
import type { Metadata } from "./params";

/** Invoices as Stripe renders them since API 2025-03-31 (the subscription lives under `parent`). */

export interface InvoiceLineInput {
  id: string;
  price: Price;
  productName: string;
  quantity: number;
  /** Zero for metered items (billed in arrears) and trials. */
  amount: number;
  period: { start: number; end: number };
  subscriptionItem: string | null;
}

export interface Invoice {
  id: string;
  object: "invoice";
  customer: string;
  status: "draft" | "open" | "paid" | "void" | "uncollectible";
  total: number;
  amount_paid: number;
  currency: string;
  parent: { subscription_details: { subscription: string; metadata: Metadata } | null; [k: string]: unknown } | null;
  [key: string]: unknown;
}

export function lineDescription(productName: string, price: Price, quantity: number, trial: boolean): string {
  if (trial) return `Trial period for ${productName}`;
  const unit = price.unit_amount ?? 0;
  const every = price.recurring ? ` / ${price.recurring.interval_count > 1 ? `${price.recurring.interval_count} ` : ""}${price.recurring.interval}${price.recurring.interval_count > 1 ? "s" : ""}` : "";
  return `${quantity} × ${productName} (at ${formatAmount(unit, price.currency)}${every})`;
}

export function buildInvoice(a: {
  id: string;
  now: number;
  number: string;
  customer: Customer;
  subscription: { id: string; metadata: Metadata } | null;
  lines: InvoiceLineInput[];
  descriptions: string[];
  billingReason: "subscription_create" | "subscription_cycle" | "subscription_update" | "manual";
  paid: boolean;
  collectionMethod: "charge_automatically" | "send_invoice";
  dueDate: number | null;
  origin: string;
  /** The invoice's own period: the creation instant for a first invoice, the period just ended for a renewal. */
  period: { start: number; end: number };
}): Invoice {
  const currency = a.lines[0]?.price.currency ?? "usd";
  const total = a.lines.reduce((sum, l) => sum + l.amount, 0);
  const lines = a.lines.map((l, i) => ({
    id: l.id,
    object: "line_item",
    amount: l.amount,
    currency,
    description: a.descriptions[i] ?? null,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: a.id,
    livemode: false,
    metadata: {},
    parent: l.subscriptionItem
      ? {
          invoice_item_details: null,
          subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: a.subscription?.id ?? null, subscription_item: l.subscriptionItem },
          type: "subscription_item_details",
        }
      : { invoice_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: a.subscription?.id ?? null }, subscription_item_details: null, type: "invoice_item_details" },
    period: l.period,
    pretax_credit_amounts: [],
    pricing: { price_details: { price: l.price.id, product: l.price.product }, type: "price_details", unit_amount_decimal: l.price.unit_amount_decimal },
    quantity: l.quantity,
    quantity_decimal: String(l.quantity),
    subtotal: l.amount,
    taxes: [],
  }));
  return {
    id: a.id,
    object: "invoice",
    account_country: "US",
    account_name: "Sandbox",
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: a.paid ? total : 0,
    amount_remaining: a.paid ? 0 : total,
    amount_shipping: 0,
    application: null,
    attempt_count: a.paid && total > 0 ? 1 : 0,
    attempted: a.paid,
    auto_advance: !a.paid,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: a.billingReason,
    collection_method: a.collectionMethod,
    created: a.now,
    currency,
    custom_fields: null,
    customer: a.customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: a.customer.email,
    customer_name: a.customer.name,
    customer_phone: a.customer.phone,
    customer_shipping: null,
    customer_tax_exempt: "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: a.dueDate,
    effective_at: a.now,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `${a.origin}/invoice/${a.id}`,
    invoice_pdf: null,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: listOf(lines, `/v1/invoices/${a.id}/lines`),
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: a.number,
    on_behalf_of: null,
    parent: a.subscription
      ? { quote_details: null, subscription_details: { metadata: a.subscription.metadata, subscription: a.subscription.id }, type: "subscription_details" }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: a.period.end,
    period_start: a.period.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: a.paid ? "paid" : "open",
    status_transitions: { finalized_at: a.now, marked_uncollectible_at: null, paid_at: a.paid ? a.now : null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: a.now,
  };
}
