import type Stripe from "stripe";
import { setPlan } from "../budgets/plans";
import { ensureCustomer } from "./customers";

/**
 * Enterprise terms, set by a platform operator: a custom monthly token limit (or none) and a contract
 * price billed by invoice (collection by bank transfer or card within `daysUntilDue`, no card at
 * signup), as a Stripe subscription on a price made for this workspace. Stripe's later events never
 * move an Enterprise workspace's plan (workers/billing/webhook.ts).
 */
export interface EnterpriseTerms {
  amountUsd: number;
  interval: "month" | "year";
  daysUntilDue: number;
  billingEmail: string;
  monthlyTokens: number | null;
}

export async function startEnterpriseInvoicing(db: D1Database, stripe: Stripe, workspace: { id: string; name: string }, terms: EnterpriseTerms): Promise<{ customer: string; subscription: string; price: string }> {
  const customer = await ensureCustomer(db, stripe, workspace, terms.billingEmail);
  const cents = Math.round(terms.amountUsd * 100);
  const key = `enterprise-${workspace.id}-${terms.interval}-${cents}`;
  const product = await stripe.products.create({ name: `Enterprise: ${workspace.name}`, metadata: { workspace_id: workspace.id } }, { idempotencyKey: `product-${key}` });
  const price = await stripe.prices.create(
    { currency: "usd", unit_amount: cents, recurring: { interval: terms.interval }, product: product.id, metadata: { workspace_id: workspace.id, plan: "enterprise" } },
    { idempotencyKey: `price-${key}` },
  );
  // The plan first: the subscription's own events then find an Enterprise workspace and leave it so.
  await setPlan(db, workspace.id, "enterprise", terms.monthlyTokens);
  const subscription = await stripe.subscriptions.create(
    { customer, items: [{ price: price.id }], collection_method: "send_invoice", days_until_due: terms.daysUntilDue, metadata: { workspace_id: workspace.id, plan: "enterprise" } },
    { idempotencyKey: `subscription-${key}` },
  );
  return { customer, subscription: subscription.id, price: price.id };
}
