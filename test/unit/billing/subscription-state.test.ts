import { describe, expect, it } from "vitest";
import { decide, GRACE_MS, offerOf, type SubscriptionFacts } from "../../../workers/billing/subscription-state";

const NOW = Date.UTC(2026, 10, 27);
const sub = (status: string, items: SubscriptionFacts["items"] = [{ lookupKey: "platform_pro_month_v1", quantity: 1 }]): SubscriptionFacts => ({
  id: "sub_1",
  customer: "cus_1",
  status,
  cancelAtPeriodEnd: false,
  currentPeriodEnd: null,
  trialEnd: null,
  items,
});

describe("what a subscription means for the plan", () => {
  it("gives active and trialing subscriptions their plan, and ended or unpaid ones Free", () => {
    for (const s of ["active", "trialing"]) expect(decide(sub(s), 100, undefined, NOW).plan).toBe("pro");
    for (const s of ["canceled", "unpaid", "incomplete", "incomplete_expired", "paused"]) expect(decide(sub(s), 100, undefined, NOW).plan).toBe("free");
  });

  it("keeps a past_due plan through one grace period that a later event does not restart", () => {
    const first = decide(sub("past_due"), 100, undefined, NOW);
    expect(first).toMatchObject({ plan: "pro", graceUntil: NOW + GRACE_MS });
    const stored = { subscriptionId: "sub_1", status: "past_due", plan: "pro", graceUntil: first.graceUntil, eventAt: 100 };
    expect(decide(sub("past_due"), 200, stored, NOW + 86_400_000).graceUntil).toBe(first.graceUntil);
    expect(decide(sub("past_due"), 300, stored, NOW + GRACE_MS + 1).plan).toBe("free");
  });

  it("applies events in Stripe's order, not arrival order", () => {
    const stored = { subscriptionId: "sub_1", status: "active", plan: "pro", graceUntil: null, eventAt: 500 };
    expect(decide(sub("canceled"), 499, stored, NOW).apply).toBe(false);
    expect(decide(sub("canceled"), 500, stored, NOW).apply).toBe(true); // same second: arrival order
    expect(decide(sub("canceled"), 501, stored, NOW).apply).toBe(true);
    expect(decide(sub("active"), 1, { ...stored, subscriptionId: "sub_other" }, NOW).apply).toBe(true); // a new subscription
  });

  it("reads plan, interval and seats from the items' lookup keys", () => {
    expect(offerOf([{ lookupKey: "platform_team_year_v1", quantity: 1 }, { lookupKey: "platform_team_seat_year_v1", quantity: 3 }])).toEqual({ plan: "team", interval: "year", seats: 8 });
    expect(offerOf([{ lookupKey: "something_else", quantity: 1 }])).toBeUndefined();
    expect(decide(sub("active", [{ lookupKey: null, quantity: 1 }]), 1, undefined, NOW).plan).toBe("free");
  });
});
