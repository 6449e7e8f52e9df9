import { fireEvent, screen, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import type { DeploymentsStatus, PlatformStatus, StatusComponent } from "../../../web/src/lib/status-api";
import { Status } from "../../../web/src/screens/Status";
import { apiError, hang, json, networkError, stubFetch } from "../fetch-stub";
import { signedIn, signedOut, UNREACHABLE } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = () => renderAt("/status", <Status brandName="SwaggyStacks" />);

function component(id: string, name: string, over: Partial<StatusComponent> = {}): StatusComponent {
  const days = Array.from({ length: 90 }, (_, i) => ({ day: new Date(Date.UTC(2026, 7, 23) + i * 86_400_000).toISOString().slice(0, 10), uptime: 100, worst: "up" as const }));
  return { id, name, status: "up", checkedAt: "2026-11-20T12:00:00.000Z", uptime: { h24: 100, d7: 100, d30: 100, d90: 100 }, days, ...over };
}

function status(over: Partial<PlatformStatus> = {}): PlatformStatus {
  return {
    name: "SwaggyStacks status",
    brand: "swaggystacks",
    generatedAt: "2026-11-20T12:00:00.000Z",
    overall: { status: "up", text: "All systems operational" },
    target: { availabilityPercent: 99.9, sampleIntervalMinutes: 5 },
    budget: { target: 0.999, targetPercent: 99.9, month: "2026-11", budgetMinutes: 43.2, usedMinutes: 0, remainingMinutes: 43.2, remainingPercent: 100, availabilityPercent: 100 },
    components: [component("platform", "Platform (API, bridge, storage)"), component("openai", "OpenAI"), component("anthropic", "Anthropic")],
    incidents: [],
    ...over,
  };
}

const outage = status({
  overall: { status: "degraded", text: "Some systems degraded" },
  components: [
    component("platform", "Platform (API, bridge, storage)"),
    component("openai", "OpenAI", { status: "down", uptime: { h24: 97.5, d7: 99.6, d30: 99.9, d90: 99.97 } }),
    component("anthropic", "Anthropic"),
  ],
  incidents: [
    { id: "inc-2", start: "2026-11-20T11:40:00.000Z", end: null, ongoing: true, worst: "down", components: ["openai"], componentNames: ["OpenAI"], durationMinutes: 20 },
    { id: "inc-1", start: "2026-11-02T08:00:00.000Z", end: "2026-11-02T08:30:00.000Z", ongoing: false, worst: "degraded", components: ["anthropic", "openai"], componentNames: ["Anthropic", "OpenAI"], durationMinutes: 30 },
  ],
});

const deployments: DeploymentsStatus = {
  deployments: [
    { id: "dep-1", name: "qwen-small", model: "Qwen/Qwen2.5-7B-Instruct", state: "ready", status: "up", warm: true, workers: { idle: 1, initializing: 0, ready: 1, running: 0, throttled: 0, unhealthy: 0 } },
  ],
  totals: { idle: 1, initializing: 0, ready: 1, running: 0, throttled: 0, unhealthy: 0 },
};

describe("Status screen", () => {
  it("loading: says so until the status arrives", async () => {
    stubFetch({ ...signedOut, "GET /api/status": hang() });
    show();
    expect(await screen.findByText("Loading status…")).toBeTruthy();
    expect(screen.queryByTestId("status-page")).toBeNull();
  });

  it("all up: the banner, each component with a word (not colour alone), the 99.9% target and the budget", async () => {
    stubFetch({ ...signedOut, "GET /api/status": json(status()) });
    show();
    expect((await screen.findByTestId("status-overall")).textContent).toContain("All systems operational");
    expect(screen.getByRole("heading", { name: "SwaggyStacks status" })).toBeTruthy();
    expect(screen.getByTestId("component-openai-status").textContent).toContain("Operational");
    expect(within(screen.getByTestId("component-platform")).getByRole("img").getAttribute("aria-label")).toBe(
      "Platform (API, bridge, storage): 90-day uptime 100%; 90 days measured, 0 with problems",
    );
    expect(screen.getByRole("heading", { name: "Availability target: 99.9%" })).toBeTruthy();
    expect(screen.getByTestId("status-budget").textContent).toBe("43.2 min of 43.2 min");
    expect(screen.getByRole("meter", { name: "Error budget left this month" }).getAttribute("aria-valuetext")).toBe("100% of the month's 43.2 min left (0 min used)");
    expect(screen.getByTestId("status-no-incidents")).toBeTruthy();
    expect((await screen.findByTestId("status-signin-hint")).textContent).toContain("Sign in");
  });

  it("an upstream down: its chip says Down, the ongoing incident and a past one are listed newest first", async () => {
    stubFetch({ ...signedOut, "GET /api/status": json(outage) });
    show();
    expect((await screen.findByTestId("status-overall")).textContent).toContain("Some systems degraded");
    expect(screen.getByTestId("component-openai-status").textContent).toContain("Down");
    expect(screen.getByTestId("component-openai-status").getAttribute("data-status")).toBe("down");
    expect(screen.getByTestId("component-anthropic-status").textContent).toContain("Operational");
    expect(within(screen.getByTestId("component-openai-uptime")).getByText("97.5%")).toBeTruthy();
    const incidents = screen.getAllByTestId("status-incident");
    expect(incidents).toHaveLength(2);
    expect(incidents[0]!.textContent).toContain("OpenAI");
    expect(incidents[0]!.textContent).toContain("ongoing since Nov 20, 11:40 UTC (20 min)");
    expect(incidents[0]!.getAttribute("data-ongoing")).toBe("true");
    expect(incidents[1]!.textContent).toContain("Anthropic, OpenAI");
    expect(incidents[1]!.textContent).toContain("Degraded");
  });

  it("error: the API's message and a way to try again", async () => {
    const stub = stubFetch({ ...signedOut, "GET /api/status": [apiError(503, "unavailable", "Status is being recomputed; try again shortly."), json(status())] });
    show();
    expect((await screen.findByTestId("status-error")).textContent).toBe("Status is being recomputed; try again shortly.");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("status-overall")).toBeTruthy();
    expect(stub.callsTo("GET /api/status")).toHaveLength(2);
  });

  it("a failed connection says to check it", async () => {
    stubFetch({ ...signedOut, "GET /api/status": networkError() });
    show();
    expect((await screen.findByTestId("status-error")).textContent).toBe(UNREACHABLE);
  });

  it("offline: the last status seen, from the service worker's copy, and says so", async () => {
    goOffline({ "GET /api/status": json(outage) });
    show();
    expect((await screen.findByTestId("status-offline")).textContent).toBe("You are offline: this is the status as last seen, at Nov 20, 12:00 UTC.");
    expect(screen.getByTestId("component-openai-status").textContent).toContain("Down");
    expect(screen.queryByTestId("status-deployments")).toBeNull();
  });

  it("offline with nothing kept: the connection sentence and a retry", async () => {
    goOffline();
    show();
    expect((await screen.findByTestId("status-error")).textContent).toBe(UNREACHABLE);
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("signed in: your deployments with their worker counts", async () => {
    stubFetch({ ...signedIn(), "GET /api/status": json(status()), "GET /api/status/deployments": json(deployments) });
    show();
    const mine = await screen.findByTestId("status-deployments");
    const item = await within(mine).findByTestId("status-deployment");
    expect(item.textContent).toContain("qwen-small");
    expect(item.textContent).toContain("1 ready, 0 initializing, 0 throttled, 1 idle");
    expect(item.textContent).toContain("Operational");
  });

  it("signed in, deployments refused: the API's message in that section only", async () => {
    stubFetch({ ...signedIn(), "GET /api/status": json(status()), "GET /api/status/deployments": apiError(403, "forbidden", "Your role does not allow deployment:read") });
    show();
    expect(await within(await screen.findByTestId("status-deployments")).findByText("Your role does not allow deployment:read")).toBeTruthy();
    expect(screen.getByTestId("status-overall")).toBeTruthy();
  });
});
