import Stripe from "stripe";
import type { PlanId } from "../budgets/plans";

/**
 * What the platform sells, as data: each paid plan and billing interval is one Stripe price found by its
 * lookup key, plus the metered price for usage beyond a plan (cost plus markup). Prices are created in
 * Stripe on first use (ensurePrices), so a fresh Stripe account or the stand-in needs no setup, and
 * changing a price here means a new lookup key (Stripe prices are immutable).
 */
export type PaidPlan = Extract<PlanId, "pro" | "team">;
export type BillingInterval = "month" | "year";

export interface Offer {
  plan: PaidPlan;
  interval: BillingInterval;
  lookupKey: string;
  productName: string;
  /** Cents per interval for the workspace. */
  unitAmount: number;
}

/** Team includes this many seats; each member beyond is a seat line at SEAT_PRICE per interval. */
export const TEAM_INCLUDED_SEATS = 5;
export const SEAT_PRICE: Record<BillingInterval, number> = { month: 1_500, year: 15_000 };

export const OFFERS: Offer[] = [
  { plan: "pro", interval: "month", lookupKey: "platform_pro_month_v1", productName: "Pro", unitAmount: 2_900 },
  { plan: "pro", interval: "year", lookupKey: "platform_pro_year_v1", productName: "Pro", unitAmount: 29_000 },
  { plan: "team", interval: "month", lookupKey: "platform_team_month_v1", productName: "Team", unitAmount: 9_900 },
  { plan: "team", interval: "year", lookupKey: "platform_team_year_v1", productName: "Team", unitAmount: 99_000 },
];

export const seatLookupKey = (interval: BillingInterval) => `platform_team_seat_${interval}_v1`;

/** Usage beyond the plan and GPU time are reported in micro-dollars; the price charges $0.000001 each. */
export const USAGE_METER_EVENT = "platform_usage_micros";
export const USAGE_LOOKUP_KEY = "platform_usage_micros_v1";

export function offerFor(plan: PaidPlan, interval: BillingInterval): Offer {
  return OFFERS.find((o) => o.plan === plan && o.interval === interval)!;
}

export function offerByLookupKey(key: string | null | undefined): Offer | undefined {
  return OFFERS.find((o) => o.lookupKey === key);
}

/** Extra seats a Team workspace pays for. */
export function extraSeats(members: number): number {
  return Math.max(0, members - TEAM_INCLUDED_SEATS);
}

export interface PriceIds {
  plans: Record<string, string>;
  seats: Record<BillingInterval, string>;
  usage: { price: string; meter: string };
}

let cached: { at: number; ids: PriceIds } | undefined;
const CACHE_MS = 10 * 60_000;

/**
 * The Stripe price ids for every offer, creating what is missing (idempotently: lookup keys are unique and
 * creation carries an idempotency key derived from them). Cached in the isolate ten minutes.
 */
export async function ensurePrices(stripe: Stripe, now = Date.now()): Promise<PriceIds> {
  if (cached && now - cached.at < CACHE_MS) return cached.ids;
  const wanted = [...OFFERS.map((o) => o.lookupKey), seatLookupKey("month"), seatLookupKey("year"), USAGE_LOOKUP_KEY];
  const existing = await stripe.prices.list({ lookup_keys: wanted, active: true, limit: 100 });
  const byKey = new Map(existing.data.map((p) => [p.lookup_key ?? "", p.id]));
  const product = async (name: string) => {
    const id = `platform_${name.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`;
    try {
      return (await stripe.products.retrieve(id)).id;
    } catch {
      return (await stripe.products.create({ id, name }, { idempotencyKey: `product-${id}` })).id;
    }
  };
  const create = async (key: string, params: Stripe.PriceCreateParams) => {
    if (!byKey.has(key)) byKey.set(key, (await stripe.prices.create({ ...params, lookup_key: key }, { idempotencyKey: `price-${key}` })).id);
  };
  for (const o of OFFERS) {
    await create(o.lookupKey, { currency: "usd", unit_amount: o.unitAmount, recurring: { interval: o.interval }, product: await product(o.productName), metadata: { plan: o.plan } });
  }
  for (const interval of ["month", "year"] as const) {
    await create(seatLookupKey(interval), { currency: "usd", unit_amount: SEAT_PRICE[interval], recurring: { interval }, product: await product("Team seat"), metadata: { seat: "true" } });
  }
  const meters = await stripe.billing.meters.list({ limit: 100 });
  let meter = meters.data.find((m) => m.event_name === USAGE_METER_EVENT && m.status === "active");
  meter ??= await stripe.billing.meters.create(
    { display_name: "Inference usage (micro-dollars)", event_name: USAGE_METER_EVENT, default_aggregation: { formula: "sum" }, customer_mapping: { event_payload_key: "stripe_customer_id", type: "by_id" }, value_settings: { event_payload_key: "value" } },
    { idempotencyKey: `meter-${USAGE_METER_EVENT}` },
  );
  await create(USAGE_LOOKUP_KEY, { currency: "usd", unit_amount_decimal: Stripe.Decimal.from("0.0001"), recurring: { interval: "month", usage_type: "metered", meter: meter.id }, product: await product("Inference usage") });
  const ids: PriceIds = {
    plans: Object.fromEntries(OFFERS.map((o) => [o.lookupKey, byKey.get(o.lookupKey)!])),
    seats: { month: byKey.get(seatLookupKey("month"))!, year: byKey.get(seatLookupKey("year"))! },
    usage: { price: byKey.get(USAGE_LOOKUP_KEY)!, meter: meter.id },
  };
  cached = { at: now, ids };
  return ids;
}

/** Tests reset the isolate's price cache when they reset Stripe. */
export function forgetPrices(): void {
  cached = undefined;
}
