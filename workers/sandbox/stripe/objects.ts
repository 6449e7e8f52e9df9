import type { Metadata } from "./params";

/**
 * Builders of Stripe's objects, field for field as API version `API_VERSION` (the one stripe-node
 * 23.1.0 pins) renders them in test mode. Fields the sandbox has no behaviour for carry Stripe's
 * defaults so typed clients find every property they expect.
 */
export const API_VERSION = "2026-10-28.endive";

interface Base {
  id: string;
  object: string;
  created: number;
  [key: string]: unknown;
}

export interface Customer extends Base {
  object: "customer";
  email: string | null;
  name: string | null;
  description: string | null;
  phone: string | null;
  metadata: Metadata;
  invoice_prefix: string;
  next_invoice_sequence: number;
}

export interface Product extends Base {
  object: "product";
  active: boolean;
  name: string;
  default_price: string | null;
  metadata: Metadata;
}

export interface Recurring {
  interval: "day" | "week" | "month" | "year";
  interval_count: number;
  meter: string | null;
  trial_period_days: number | null;
  usage_type: "licensed" | "metered";
}

export interface Price extends Base {
  object: "price";
  active: boolean;
  currency: string;
  product: string;
  unit_amount: number | null;
  recurring: Recurring | null;
  type: "one_time" | "recurring";
  lookup_key: string | null;
  metadata: Metadata;
}

export interface Meter extends Base {
  object: "billing.meter";
  event_name: string;
  status: "active" | "inactive";
  customer_mapping: { event_payload_key: string; type: "by_id" };
  default_aggregation: { formula: "sum" | "count" | "last" };
  value_settings: { event_payload_key: string };
}

export interface MeterEvent {
  object: "billing.meter_event";
  created: number;
  event_name: string;
  identifier: string;
  livemode: false;
  payload: Record<string, string>;
  timestamp: number;
}


export function buildCustomer(
  id: string,
  now: number,
  p: {
    email?: string | null | undefined;
    name?: string | null | undefined;
    description?: string | null | undefined;
    phone?: string | null | undefined;
    metadata?: Metadata | undefined;
    address?: unknown;
    shipping?: unknown;
    preferred_locales?: string[] | undefined;
    invoice_prefix?: string | undefined;
    default_payment_method?: string | null | undefined;
    tax_exempt?: string | undefined;
  },
): Customer {
  return {
    id,
    object: "customer",
    address: p.address ?? null,
    balance: 0,
    created: now,
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: p.description ?? null,
    discount: null,
    email: p.email ?? null,
    invoice_prefix: p.invoice_prefix ?? invoicePrefix(id),
    invoice_settings: { custom_fields: null, default_payment_method: p.default_payment_method ?? null, footer: null, rendering_options: null },
    livemode: false,
    metadata: p.metadata ?? {},
    name: p.name ?? null,
    next_invoice_sequence: 1,
    phone: p.phone ?? null,
    preferred_locales: p.preferred_locales ?? [],
    shipping: p.shipping ?? null,
    tax_exempt: p.tax_exempt ?? "none",
    test_clock: null,
  };
}

/** Stripe derives an 8-character uppercase prefix per customer for invoice numbers. */
export function invoicePrefix(customerId: string): string {
  let h = 2166136261;
  for (let i = 0; i < customerId.length; i++) h = Math.imul(h ^ customerId.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).toUpperCase().padStart(8, "0").slice(0, 8);
}

export const deletedStub = (id: string, object: string) => ({ id, object, deleted: true as const });

export function buildProduct(
  id: string,
  now: number,
  p: {
    name: string;
    active?: boolean | undefined;
    description?: string | null | undefined;
    metadata?: Metadata | undefined;
    images?: string[] | undefined;
    statement_descriptor?: string | null | undefined;
    unit_label?: string | null | undefined;
    url?: string | null | undefined;
    tax_code?: string | null | undefined;
    marketing_features?: { name: string }[] | undefined;
  },
): Product {
  return {
    id,
    object: "product",
    active: p.active ?? true,
    created: now,
    default_price: null,
    description: p.description ?? null,
    images: p.images ?? [],
    livemode: false,
    marketing_features: p.marketing_features ?? [],
    metadata: p.metadata ?? {},
    name: p.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: p.statement_descriptor ?? null,
    tax_code: p.tax_code ?? null,
    tax_details: null,
    type: "service",
    unit_label: p.unit_label ?? null,
    updated: now,
    url: p.url ?? null,
  };
}

export function buildPrice(
  id: string,
  now: number,
  p: {
    currency: string;
    product: string;
    unit_amount: number | null;
    recurring: Recurring | null;
    active?: boolean | undefined;
    lookup_key?: string | null | undefined;
    nickname?: string | null | undefined;
    metadata?: Metadata | undefined;
    tax_behavior?: string | undefined;
    custom_unit_amount?: { maximum: number | null; minimum: number | null; preset: number | null } | null;
  },
): Price {
  return {
    id,
    object: "price",
    active: p.active ?? true,
    billing_scheme: "per_unit",
    created: now,
    currency: p.currency,
    custom_unit_amount: p.custom_unit_amount ?? null,
    livemode: false,
    lookup_key: p.lookup_key ?? null,
    metadata: p.metadata ?? {},
    nickname: p.nickname ?? null,
    product: p.product,
    recurring: p.recurring,
    tax_behavior: p.tax_behavior ?? "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: p.recurring ? "recurring" : "one_time",
    unit_amount: p.unit_amount,
    unit_amount_decimal: p.unit_amount === null ? null : String(p.unit_amount),
  };
}

/** The legacy `plan` view of a recurring price, still embedded in subscription items. */
export function planOf(price: Price): Record<string, unknown> {
  const r = price.recurring;
  return {
    id: price.id,
    object: "plan",
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: "per_unit",
    created: price.created,
    currency: price.currency,
    interval: r?.interval ?? "month",
    interval_count: r?.interval_count ?? 1,
    livemode: false,
    metadata: price.metadata,
    meter: r?.meter ?? null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: r?.trial_period_days ?? null,
    usage_type: r?.usage_type ?? "licensed",
  };
}

export function buildMeter(
  id: string,
  now: number,
  p: { display_name: string; event_name: string; formula: "sum" | "count" | "last"; customerKey: string; valueKey: string; eventTimeWindow: string | null },
): Meter {
  return {
    id,
    object: "billing.meter",
    created: now,
    customer_mapping: { event_payload_key: p.customerKey, type: "by_id" },
    default_aggregation: { formula: p.formula },
    display_name: p.display_name,
    event_name: p.event_name,
    event_time_window: p.eventTimeWindow,
    livemode: false,
    status: "active",
    status_transitions: { deactivated_at: null },
    updated: now,
    value_settings: { event_payload_key: p.valueKey },
  };
}

export function buildPortalSession(id: string, now: number, p: { customer: string; configuration: string; return_url: string | null; locale: string | null; url: string }) {
  return {
    id,
    object: "billing_portal.session" as const,
    configuration: p.configuration,
    created: now,
    customer: p.customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: p.locale,
    on_behalf_of: null,
    return_url: p.return_url,
    url: p.url,
  };
}
