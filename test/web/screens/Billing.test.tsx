import { fireEvent, screen, within } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import type { BillingInfo } from "../../../web/src/lib/billing-api";
import { Billing } from "../../../web/src/screens/Billing";
import { apiError, hang, json, later, networkError, stubFetch, type Route } from "../fetch-stub";
import { ME, signedIn, signedOut, UNREACHABLE, VIEWER } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = () => renderAt("/billing", <Billing brandName="SwaggyStacks" />);

/** A Free workspace that never bought anything: the offers as GET /api/billing lists them (workers/billing/catalog.ts). */
const freeBilling = (workspaceId = ME.activeWorkspaceId!): BillingInfo => ({
  workspaceId,
  plan: "free",
  budgetTokens: 10_000,
  subscription: null,
  upcoming: null,
  usage: { period: "2026-05", billedUsd: 0, lines: 0, markupPercent: 20 },
  invoices: [],
  offers: [
    { plan: "pro", interval: "month", priceUsd: 29, monthlyTokens: 1_000_000, includedSeats: 1 },
    { plan: "pro", interval: "year", priceUsd: 290, monthlyTokens: 1_000_000, includedSeats: 1 },
    { plan: "team", interval: "month", priceUsd: 99, monthlyTokens: 5_000_000, includedSeats: 5 },
    { plan: "team", interval: "year", priceUsd: 990, monthlyTokens: 5_000_000, includedSeats: 5 },
  ],
});

// The visitor's pricing-order arm (web/src/lib/variants.ts): the control, cheapest first.
const visit: Record<string, Route> = { "POST /api/funnel/visit": json({ recorded: false, variants: {}, config: null }) };

describe("Billing screen", () => {
  it("signed out: the sign-in form with why", async () => {
    stubFetch({ ...signedOut, ...visit });
    show();
    expect(await screen.findByText("Sign in to see your workspace's plan and invoices on SwaggyStacks.")).toBeTruthy();
  });

  it("loading: says so until the plan arrives", async () => {
    stubFetch({ ...signedIn(), ...visit, "GET /api/billing": hang() });
    show();
    expect(await screen.findByText("Loading billing…")).toBeTruthy();
    expect(screen.queryByTestId("plans")).toBeNull();
  });

  it("empty: Free, no subscription, nothing due, no invoices; both paid plans to upgrade to", async () => {
    stubFetch({ ...signedIn(), ...visit, "GET /api/billing": json(freeBilling()) });
    show();
    expect((await screen.findByTestId("current-plan")).textContent).toBe("Free");
    expect(screen.getByTestId("plan-tokens").textContent).toBe("10,000 tokens a month");
    expect(screen.getByText("No subscription.")).toBeTruthy();
    expect(screen.getByTestId("upcoming-none").textContent).toBe("Nothing due.");
    expect(screen.getByTestId("no-invoices").textContent).toBe("No invoices yet.");
    // No Stripe customer yet: there is no portal to manage.
    expect(screen.queryByTestId("manage-billing")).toBeNull();
    const cards = await screen.findAllByTestId("plan-card");
    expect(cards.map((c) => c.getAttribute("data-plan"))).toEqual(["pro", "team"]);
    expect(within(cards[0]!).getByRole("button", { name: "Upgrade to Pro" }).hasAttribute("disabled")).toBe(false);
  });

  it("a viewer reads the plan and is told to ask an admin, with no buttons to press", async () => {
    stubFetch({ ...signedIn(VIEWER), ...visit, "GET /api/billing": json(freeBilling(VIEWER.activeWorkspaceId!)) });
    show();
    expect((await screen.findByTestId("ask-admin")).textContent).toBe("Only owners and admins of Acme can change its plan or billing: ask an admin.");
    await screen.findByTestId("plans");
    expect(screen.queryByRole("button", { name: /Upgrade to/ })).toBeNull();
  });

  it("error: the API's message instead of a spinner", async () => {
    stubFetch({ ...signedIn(), ...visit, "GET /api/billing": apiError(502, "stripe_unavailable", "Stripe did not answer; try again in a minute.") });
    show();
    expect((await screen.findByTestId("billing-error")).textContent).toBe("Stripe did not answer; try again in a minute.");
    expect(screen.queryByText("Loading billing…")).toBeNull();
  });

  it("error: a failed connection says to check it", async () => {
    stubFetch({ ...signedIn(), ...visit, "GET /api/billing": networkError() });
    show();
    expect((await screen.findByTestId("billing-error")).textContent).toBe(UNREACHABLE);
  });

  it("upgrading: every plan button waits while checkout opens, then Stripe's page", async () => {
    const checkout = later();
    const assign = vi.spyOn(location, "assign").mockImplementation(() => undefined);
    const stub = stubFetch({ ...signedIn(), ...visit, "GET /api/billing": json(freeBilling()), "POST /api/billing/checkout": checkout.reply });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Upgrade to Team" }));
    expect((await screen.findByRole("button", { name: "Opening checkout…" })).hasAttribute("disabled")).toBe(true);
    expect(screen.getByRole("button", { name: "Upgrade to Pro" }).hasAttribute("disabled")).toBe(true);
    checkout.answer(json({ id: "cs_1", url: "https://checkout.stripe.test/cs_1" }));
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith("https://checkout.stripe.test/cs_1"));
    expect(stub.callsTo("POST /api/billing/checkout")[0]!.body).toEqual({ plan: "team", interval: "month" });
  });

  it("a refused checkout shows why and gives the buttons back", async () => {
    stubFetch({ ...signedIn(), ...visit, "GET /api/billing": json(freeBilling()), "POST /api/billing/checkout": apiError(409, "already_subscribed", "This workspace already has a subscription; change it in the billing portal.") });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Upgrade to Pro" }));
    expect((await screen.findByTestId("billing-error")).textContent).toBe("This workspace already has a subscription; change it in the billing portal.");
    expect(screen.getByRole("button", { name: "Upgrade to Pro" }).hasAttribute("disabled")).toBe(false);
  });

  it("a failed renewal is a warning with the grace period, not a quiet status", async () => {
    const pastDue: BillingInfo = {
      ...freeBilling(),
      plan: "pro",
      budgetTokens: 1_000_000,
      subscription: { id: "sub_1", plan: "pro", interval: "month", seats: 1, status: "past_due", cancelAtPeriodEnd: false, currentPeriodEnd: "2026-06-01T00:00:00.000Z", trialEnd: null, graceUntil: "2026-05-20T00:00:00.000Z" },
    };
    stubFetch({ ...signedIn(), ...visit, "GET /api/billing": json(pastDue) });
    show();
    const status = await screen.findByTestId("subscription-status");
    expect(status.getAttribute("role")).toBe("alert");
    expect(within(status).getByTestId("grace-until").textContent).toBe("May 20, 2026");
  });

  it("offline: the plan last seen; upgrading says it needs a connection", async () => {
    goOffline({ ...signedIn(), "GET /api/billing": json(freeBilling()) });
    show();
    expect((await screen.findByTestId("current-plan")).textContent).toBe("Free");
    fireEvent.click(await screen.findByRole("button", { name: "Upgrade to Pro" }));
    expect((await screen.findByTestId("billing-error")).textContent).toBe(UNREACHABLE);
  });
});
