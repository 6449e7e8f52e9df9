import { ApiError } from "./api";

/**
 * Typed calls for the workspace's billing (workers/billing/routes.ts): GET /api/billing (plan, subscription,
 * upcoming charge, usage billed this period, invoices, what can be bought), POST /api/billing/checkout
 * (a Stripe Checkout session to subscribe) and POST /api/billing/portal (Stripe's customer portal, where a
 * subscription is changed or cancelled). Both POSTs are for owners and admins (403 otherwise).
 */
export type PaidPlan = "pro" | "team";
export type BillingInterval = "month" | "year";

export interface BillingSubscription {
  id: string;
  plan: string;
  interval: string;
  seats: number;
  /** Stripe's status: active, trialing, past_due, canceled, incomplete, … */
  status: string;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: string | null;
  trialEnd: string | null;
  /** While a renewal's payment has failed: the plan is kept until then. */
  graceUntil: string | null;
}

export interface BillingInvoice {
  id: string;
  number: string | null;
  status: string | null;
  totalUsd: number;
  created: string;
  /** Stripe's hosted invoice page. */
  url: string | null;
}

export interface BillingOffer {
  plan: PaidPlan;
  interval: BillingInterval;
  /** Per interval, for the workspace (Team's extra seats are billed on top). */
  priceUsd: number;
  monthlyTokens: number;
  includedSeats: number;
}

export interface BillingInfo {
  workspaceId: string;
  plan: string;
  budgetTokens: number;
  subscription: BillingSubscription | null;
  /** The next subscription charge; null without a subscription or when it cancels at the period's end. */
  upcoming: { amountUsd: number; at: string | null } | null;
  /** Usage billed on top this period (overage and GPU time, cost plus the markup). */
  usage: { period: string; billedUsd: number; lines: number; markupPercent: number };
  invoices: BillingInvoice[];
  offers: BillingOffer[];
}

/** Subscription states in which Checkout refuses (409 already_subscribed): changes go through the portal. */
export const SUBSCRIBED_STATUSES = ["active", "trialing", "past_due"];

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    credentials: "same-origin",
    ...init,
    headers: { accept: "application/json", ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? "http_error", body?.error?.message ?? `${path}: HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

export const billingApi = {
  get: () => call<BillingInfo>("/api/billing"),
  /** A Checkout session; open its url with a full-page navigation (Stripe's page comes back to /billing). */
  checkout: (plan: PaidPlan, interval: BillingInterval, returnPath?: string) =>
    call<{ id: string; url: string }>("/api/billing/checkout", { method: "POST", body: JSON.stringify(returnPath ? { plan, interval, returnPath } : { plan, interval }) }),
  /** A customer-portal session (409 no_customer before the first subscription). */
  portal: () => call<{ url: string }>("/api/billing/portal", { method: "POST", body: "{}" }),
};

const USD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** $29.00 */
export const formatUsd = (usd: number) => USD.format(usd);
/** Jan 5, 2026 (UTC: the date Stripe bills on, whatever the phone's zone). */
export const formatDate = (iso: string) => new Date(iso).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
/** 1,000,000 */
export const formatTokens = (n: number) => n.toLocaleString("en-US");
/** "pro" → "Pro" */
export const planName = (plan: string) => (plan ? plan[0]!.toUpperCase() + plan.slice(1) : plan);
