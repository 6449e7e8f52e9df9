import type { PlanId } from "../budgets/plans";
import { offerByLookupKey, type BillingInterval, type PaidPlan } from "./catalog";

/**
 * What a Stripe subscription means for a workspace (pure). Stripe's statuses map to a plan: active and
 * trialing get the plan they pay for; past_due keeps it through a grace period (the card may be fixed);
 * canceled, unpaid, incomplete (never paid) and incomplete_expired fall back to Free. Events are applied
 * in the order Stripe created them, never in the order they arrive.
 */
export const GRACE_MS = 7 * 86_400_000;

export interface SubscriptionFacts {
  id: string;
  customer: string;
  status: string;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: number | null;
  trialEnd: number | null;
  /** Lookup keys and quantities of its items. */
  items: { lookupKey: string | null; quantity: number }[];
}

export interface StoredSubscription {
  subscriptionId: string;
  status: string;
  plan: string;
  graceUntil: number | null;
  eventAt: number;
}

export interface Decision {
  /** Whether this event is newer than what is stored (older ones change nothing). */
  apply: boolean;
  plan: PlanId;
  interval: BillingInterval;
  seats: number;
  graceUntil: number | null;
}

/** The paid plan and seats a subscription's items say, if any. */
export function offerOf(items: SubscriptionFacts["items"]): { plan: PaidPlan; interval: BillingInterval; seats: number } | undefined {
  for (const item of items) {
    const offer = offerByLookupKey(item.lookupKey);
    if (!offer) continue;
    const extra = items.filter((i) => i.lookupKey?.startsWith("platform_team_seat_")).reduce((n, i) => n + i.quantity, 0);
    return { plan: offer.plan, interval: offer.interval, seats: offer.plan === "team" ? 5 + extra : 1 };
  }
  return undefined;
}

export function decide(sub: SubscriptionFacts, eventCreated: number, stored: StoredSubscription | undefined, now: number): Decision {
  // An older event than the one the stored state came from: nothing changes. Stripe's `created` has one-second
  // resolution, so events of the same second apply in arrival order.
  const apply = !stored || stored.subscriptionId !== sub.id ? true : eventCreated >= stored.eventAt;
  const offer = offerOf(sub.items);
  const base = { apply, interval: offer?.interval ?? "month", seats: offer?.seats ?? 1 } as const;
  if (!offer) return { ...base, plan: "free", graceUntil: null };
  switch (sub.status) {
    case "active":
    case "trialing":
      return { ...base, plan: offer.plan, graceUntil: null };
    case "past_due": {
      const grace = stored?.subscriptionId === sub.id && stored.graceUntil !== null ? stored.graceUntil : now + GRACE_MS;
      return { ...base, plan: grace > now ? offer.plan : "free", graceUntil: grace };
    }
    default:
      return { ...base, plan: "free", graceUntil: null };
  }
}

/** A failed payment starts the grace period (once); a paid invoice ends it. */
export function graceAfterPaymentFailure(stored: StoredSubscription | undefined, now: number): number {
  return stored?.graceUntil ?? now + GRACE_MS;
}
