import { listOf } from "./list";
import type { Price } from "./objects";
import type { Metadata } from "./params";

/** Checkout Sessions and their line items (`item` objects), as the hosted-mode API returns them. */

export type CheckoutMode = "payment" | "setup" | "subscription";

export interface CheckoutLine {
  id: string;
  price: Price;
  productName: string;
  quantity: number;
}

export interface CheckoutSession {
  id: string;
  object: "checkout.session";
  created: number;
  mode: CheckoutMode;
  status: "open" | "complete" | "expired";
  payment_status: "paid" | "unpaid" | "no_payment_required";
  customer: string | null;
  customer_email: string | null;
  client_reference_id: string | null;
  subscription: string | null;
  invoice: string | null;
  success_url: string | null;
  cancel_url: string | null;
  expires_at: number;
  metadata: Metadata;
  amount_total: number | null;
  currency: string | null;
  url: string | null;
  [key: string]: unknown;
}

/** What the session will charge on completion: licensed recurring and one-time lines (metered usage is billed later). */
export function lineAmount(line: CheckoutLine): number {
  if (line.price.recurring?.usage_type === "metered") return 0;
  return (line.price.unit_amount ?? 0) * line.quantity;
}

export function checkoutLineItem(line: CheckoutLine) {
  const amount = lineAmount(line);
  return {
    id: line.id,
    object: "item" as const,
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: line.price.currency,
    description: line.productName,
    metadata: {},
    price: line.price,
    quantity: line.quantity,
  };
}

export const lineItemsList = (sessionId: string, lines: CheckoutLine[]) =>
  listOf(lines.map(checkoutLineItem), `/v1/checkout/sessions/${sessionId}/line_items`);

export function buildCheckoutSession(a: {
  id: string;
  now: number;
  mode: CheckoutMode;
  url: string;
  lines: CheckoutLine[];
  trialDays: number | null;
  successUrl: string | null;
  cancelUrl: string | null;
  customer: string | null;
  customerEmail: string | null;
  clientReferenceId: string | null;
  metadata: Metadata;
  expiresAt: number;
  currency: string | null;
  locale: string | null;
  allowPromotionCodes: boolean | null;
  billingAddressCollection: string | null;
  submitType: string | null;
  paymentMethodTypes: string[];
  customerCreation: "always" | "if_required" | null;
  uiMode: string;
}): CheckoutSession {
  const subtotal = a.mode === "setup" ? null : a.lines.reduce((s, l) => s + lineAmount(l), 0);
  const currency = a.mode === "setup" ? a.currency : (a.lines[0]?.price.currency ?? a.currency);
  const total = subtotal === null ? null : a.trialDays ? subtotal - a.lines.filter((l) => l.price.recurring).reduce((s, l) => s + lineAmount(l), 0) : subtotal;
  return {
    id: a.id,
    object: "checkout.session",
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: a.allowPromotionCodes,
    amount_subtotal: total === null ? null : total,
    amount_total: total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: a.billingAddressCollection,
    cancel_url: a.cancelUrl,
    client_reference_id: a.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: a.now,
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: a.customer,
    customer_account: null,
    customer_creation: a.customerCreation,
    customer_details: a.customerEmail ? { address: null, business_name: null, email: a.customerEmail, individual_name: null, name: null, phone: null, tax_exempt: "none", tax_ids: null } : null,
    customer_email: a.customerEmail,
    discounts: [],
    expires_at: a.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: a.mode === "payment" ? { enabled: false, invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null } } : null,
    livemode: false,
    locale: a.locale,
    managed_payments: null,
    metadata: a.metadata,
    mode: a.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: a.mode === "payment" ? null : "always",
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: "automatic" } },
    payment_method_types: a.paymentMethodTypes,
    payment_status: "unpaid",
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: a.submitType,
    subscription: null,
    success_url: a.successUrl,
    total_details: total === null ? null : { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: a.uiMode,
    url: a.url,
    wallet_options: null,
  };
}
