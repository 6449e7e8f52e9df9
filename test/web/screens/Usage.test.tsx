import { fireEvent, screen, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { Usage } from "../../../web/src/screens/Usage";
import { apiError, hang, json, networkError, stubFetch } from "../fetch-stub";
import { apiKey, signedIn, signedOut, UNREACHABLE, usage } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = () => renderAt("/usage", <Usage brandName="SwaggyStacks" />);
const today = new Date().toISOString().slice(0, 10);
const busyMonth = usage({
  usedTokens: 1_500,
  remainingTokens: 8_500,
  costUsd: 0.0125,
  savingsUsd: 0.1,
  byDay: [{ day: today, requests: 3, inputTokens: 1_000, outputTokens: 500, costUsd: 0.0125, savingsUsd: 0.1 }],
  byModel: [{ model: "runpod/ep-1/Qwen/Qwen2.5-7B-Instruct", requests: 3, inputTokens: 1_000, outputTokens: 500, costUsd: 0.0125, savingsUsd: 0.1 }],
  byKey: [{ keyId: "key-1", requests: 3, inputTokens: 1_000, outputTokens: 500, costUsd: 0.0125, savingsUsd: 0.1 }],
});

describe("Usage screen", () => {
  it("signed out: the sign-in form with why", async () => {
    stubFetch(signedOut);
    show();
    expect(await screen.findByText("Sign in to see your workspace's usage on SwaggyStacks.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Sign in" })).toBeTruthy();
  });

  it("loading: says so until the month's figures arrive", async () => {
    stubFetch({ ...signedIn(), "GET /api/usage": hang(), "GET /api/keys": hang() });
    show();
    expect(await screen.findByText("Loading usage…")).toBeTruthy();
    expect(screen.queryByTestId("budget")).toBeNull();
  });

  it("empty: the whole budget left, nothing spent, and where calls come from instead of empty charts", async () => {
    stubFetch({ ...signedIn(), "GET /api/usage": json(usage()), "GET /api/keys": json({ keys: [] }) });
    show();
    expect((await screen.findByTestId("budget-remaining")).textContent).toBe("10,000");
    expect(screen.getByRole("meter", { name: "Tokens used this month" }).getAttribute("aria-valuetext")).toBe("0 of 10,000 tokens used (0%), 10,000 left");
    expect(screen.getByTestId("usage-cost").textContent).toBe("$0.00");
    expect(screen.getByTestId("usage-savings").textContent).toBe("$0.00 (0%)");
    expect(screen.getByTestId("usage-empty").textContent).toContain("No calls yet this month.");
    expect(screen.queryByTestId("chart-by-model")).toBeNull();
  });

  it("with calls: charts by model and by key, keys named from the key list", async () => {
    stubFetch({ ...signedIn(), "GET /api/usage": json(busyMonth), "GET /api/keys": json({ keys: [apiKey()] }) });
    show();
    const byKey = await screen.findByTestId("table-by-key");
    expect(await within(byKey).findByText("laptop (sk-abc123)")).toBeTruthy();
    expect(within(screen.getByTestId("table-by-model")).getByText("runpod/ep-1/Qwen/Qwen2.5-7B-Instruct")).toBeTruthy();
    expect(screen.queryByTestId("usage-empty")).toBeNull();
  });

  it("the key list failing (a viewer) only costs the names: keys are shown by id", async () => {
    stubFetch({ ...signedIn(), "GET /api/usage": json(busyMonth), "GET /api/keys": apiError(403, "forbidden", "Viewers cannot list keys.") });
    show();
    expect(await within(await screen.findByTestId("table-by-key")).findByText("Key key-1")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("error: the API's message and a way to try again, which then shows the month", async () => {
    const stub = stubFetch({
      ...signedIn(),
      "GET /api/usage": [apiError(503, "budget_unavailable", "The budget service is restarting; try again in a few seconds."), json(usage())],
      "GET /api/keys": json({ keys: [] }),
    });
    show();
    expect((await screen.findByTestId("usage-error")).textContent).toBe("The budget service is restarting; try again in a few seconds.");
    expect(screen.queryByText("Loading usage…")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("usage-empty")).toBeTruthy();
    expect(screen.queryByTestId("usage-error")).toBeNull();
    expect(stub.callsTo("GET /api/usage")).toHaveLength(2);
  });

  it("error: a failed connection says to check it", async () => {
    stubFetch({ ...signedIn(), "GET /api/usage": networkError(), "GET /api/keys": networkError() });
    show();
    expect((await screen.findByTestId("usage-error")).textContent).toBe(UNREACHABLE);
  });

  it("offline: the month as last seen, from the service worker's copy", async () => {
    goOffline({ ...signedIn(), "GET /api/usage": json(busyMonth), "GET /api/keys": json({ keys: [apiKey()] }) });
    show();
    expect((await screen.findByTestId("budget-remaining")).textContent).toBe("8,500");
    expect(screen.getByTestId("usage-cost").textContent).toBe("$0.0125");
  });

  it("offline with nothing kept: the connection sentence and a retry, not a spinner", async () => {
    goOffline(signedIn());
    show();
    expect((await screen.findByTestId("usage-error")).textContent).toBe(UNREACHABLE);
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });
});
