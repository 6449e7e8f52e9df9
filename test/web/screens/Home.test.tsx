import { fireEvent, screen, within } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { Home } from "../../../web/src/screens/Home";
import { apiError, hang, json, networkError, stubFetch } from "../fetch-stub";
import { deploymentItem, ME, signedIn, signedOut, UNREACHABLE, usage } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = () => renderAt("/home", <Home brandName="SwaggyStacks" />);

describe("Home screen", () => {
  it("loading: checks who is signed in first", () => {
    stubFetch({ "GET /api/me": hang() });
    show();
    expect(screen.getByText("Checking who is signed in…")).toBeTruthy();
    expect(screen.queryByTestId("home-pitch")).toBeNull();
  });

  it("signed out: the brand's pitch with where to start", async () => {
    stubFetch(signedOut);
    show();
    const pitch = await screen.findByTestId("home-pitch");
    expect(pitch.textContent).toContain("SwaggyStacks runs open-weight models");
    expect(within(pitch).getByRole("link", { name: "Create an account" }).getAttribute("href")).toBe("/signup");
    expect(within(pitch).getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/signin?next=/home");
  });

  it("error: the session check's refusal is shown in the API's words", async () => {
    stubFetch({ "GET /api/me": apiError(503, "auth_unconfigured", "Accounts are not configured on this deployment.") });
    show();
    expect((await screen.findByRole("alert")).textContent).toBe("Accounts are not configured on this deployment.");
    expect(screen.queryByText("Checking who is signed in…")).toBeNull();
  });

  it("signed in, loading: the greeting first, each card waiting for its own answer", async () => {
    stubFetch({ ...signedIn(), "GET /api/usage": hang(), "GET /api/deployments": hang() });
    show();
    expect((await screen.findByRole("heading", { name: "Hello, Ada Lovelace" })).textContent).toBeTruthy();
    expect(screen.getByTestId("home-usage").getAttribute("aria-busy")).toBe("true");
    expect(within(screen.getByTestId("home-usage")).getByText("Loading…")).toBeTruthy();
    expect(within(screen.getByTestId("home-deployments")).getByText("Loading…")).toBeTruthy();
  });

  it("empty: a fresh workspace shows its whole budget, nothing spent and nothing deployed", async () => {
    stubFetch({ ...signedIn(), "GET /api/usage": json(usage()), "GET /api/deployments": json({ deployments: [] }) });
    show();
    expect((await screen.findByTestId("home-budget-left")).textContent).toBe("10,000 tokens");
    expect(screen.getByTestId("home-budget-of").textContent).toBe("of 10,000 on the free plan");
    expect(screen.getByTestId("home-spend").textContent).toBe("$0.00");
    expect(screen.getByTestId("home-savings").textContent).toBe("$0.00");
    expect((await screen.findByTestId("home-deployments-empty")).textContent).toContain("Nothing deployed yet");
  });

  it("without a monthly cap (Enterprise) says so instead of a number", async () => {
    stubFetch({ ...signedIn(), "GET /api/usage": json(usage({ plan: "enterprise", budgetTokens: null, remainingTokens: null })), "GET /api/deployments": json({ deployments: [] }) });
    show();
    expect((await screen.findByTestId("home-budget-left")).textContent).toBe("No monthly cap");
    expect(screen.queryByTestId("home-budget-of")).toBeNull();
  });

  it("deployments at a glance: counts by state, deleted ones left out", async () => {
    const items = [deploymentItem(), deploymentItem({ id: "dep-2", name: "bge", state: "initializing" }), deploymentItem({ id: "dep-3", name: "gone", state: "deleted" })];
    stubFetch({ ...signedIn(), "GET /api/usage": json(usage()), "GET /api/deployments": json({ deployments: items }) });
    show();
    const counts = await screen.findByTestId("home-deployment-counts");
    expect(counts.textContent).toContain("1 Ready");
    expect(counts.textContent).toContain("1 Starting");
    expect(screen.getAllByTestId("home-deployment")).toHaveLength(2);
    expect(screen.queryByText("gone")).toBeNull();
  });

  it("error: each card shows its own API message or the connection sentence", async () => {
    stubFetch({ ...signedIn(), "GET /api/usage": apiError(500, "internal", "The usage ledger is catching up; try again shortly."), "GET /api/deployments": networkError() });
    show();
    expect((await screen.findByTestId("home-usage-error")).textContent).toBe("The usage ledger is catching up; try again shortly.");
    expect((await screen.findByTestId("home-deployments-error")).textContent).toBe(UNREACHABLE);
  });

  it("signing out forgets the answers kept for offline use, then goes to sign-in", async () => {
    const deleted: string[] = [];
    vi.stubGlobal("caches", { delete: async (name: string) => (deleted.push(name), true) });
    const assign = vi.spyOn(location, "assign").mockImplementation(() => undefined);
    stubFetch({ ...signedIn(), "GET /api/usage": json(usage()), "GET /api/deployments": json({ deployments: [] }), "POST /api/auth/sign-out": json({ success: true }) });
    show();
    fireEvent.click(await screen.findByRole("button", { name: "Sign out" }));
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith("/signin"));
    expect(deleted).toEqual(["api-last-seen"]);
  });

  it("offline: the dashboard from the last answers seen; signing out says it needs a connection", async () => {
    goOffline({ ...signedIn(), "GET /api/usage": json(usage({ usedTokens: 2_500, remainingTokens: 7_500, costUsd: 0.012 })), "GET /api/deployments": json({ deployments: [deploymentItem()] }) });
    show();
    expect((await screen.findByTestId("home-budget-left")).textContent).toBe("7,500 tokens");
    expect(await screen.findByTestId("home-deployment")).toBeTruthy();
    expect(screen.getByTestId("home-who").textContent).toBe(ME.user.email);
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect((await screen.findByRole("alert")).textContent).toBe(UNREACHABLE);
  });

  it("offline with nothing kept: says so instead of checking forever", async () => {
    goOffline();
    show();
    expect((await screen.findByRole("alert")).textContent).toBe(UNREACHABLE);
  });
});
