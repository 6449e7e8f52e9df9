import { fireEvent, screen, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { buildSavingsReport, type UsageDailyRow } from "../../../workers/reports/savings";
import type { SavingsReportResponse } from "../../../web/src/lib/reports-api";
import { Savings } from "../../../web/src/screens/Savings";
import { apiError, hang, json, networkError, stubFetch, type Route } from "../fetch-stub";
import { signedIn, signedOut, UNREACHABLE } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = (path = "/savings") => renderAt(path, <Savings />);
const NOW = Date.parse("2026-05-14T12:00:00Z");

/** The report as GET /api/reports/savings answers it: the server's own pure builder, plus where it is. */
function report(month: string, rows: UsageDailyRow[] = []): SavingsReportResponse {
  return {
    workspace: { id: "ws-ada", slug: "ada", name: "Ada's workspace" },
    ...buildSavingsReport(month, rows, NOW),
    csvUrl: `/api/reports/savings?month=${month}&format=csv`,
  };
}
const busyRows: UsageDailyRow[] = [
  { day: "2026-04-03", provider: "runpod", model: "ep-1/Qwen/Qwen2.5-7B-Instruct", requests: 40, input_tokens: 20_000, output_tokens: 8_000, cost_micros: 12_000, savings_micros: 188_000 },
];
const months: Route = json({ current: "2026-05", months: ["2026-04"] });
const byMonth: Route = (req) => json(report(req.url.searchParams.get("month") ?? "2026-05", busyRows));

describe("Savings screen", () => {
  it("signed out: the sign-in form with why", async () => {
    stubFetch(signedOut);
    show();
    expect(await screen.findByText("Sign in to see what your workspace spent and saved.")).toBeTruthy();
  });

  it("loading: says so, and the month picker waits for its choices", async () => {
    stubFetch({ ...signedIn(), "GET /api/reports/savings/months": hang(), "GET /api/reports/savings": hang() });
    show();
    expect(await screen.findByText("Loading the report…")).toBeTruthy();
    expect(screen.getByLabelText("Month").hasAttribute("disabled")).toBe(true);
  });

  it("empty: a month without calls says so in a sentence, with zero totals and no table", async () => {
    stubFetch({ ...signedIn(), "GET /api/reports/savings/months": json({ current: "2026-05", months: [] }), "GET /api/reports/savings": json(report("2026-05")) });
    show();
    expect((await screen.findByTestId("savings-summary")).textContent).toBe("So far in May 2026 your workspace made no calls through the bridge.");
    expect(screen.getByTestId("total-spent").textContent).toBe("$0.00");
    expect(screen.getByTestId("total-saved").textContent).toBe("$0.00 (0%)");
    expect(screen.queryByTestId("by-model")).toBeNull();
    expect(screen.getByRole("link", { name: "Download CSV for May 2026" }).getAttribute("href")).toBe("/api/reports/savings?month=2026-05&format=csv");
    expect(screen.getByText("Workspace: Ada's workspace")).toBeTruthy();
  });

  it("the month in the address is the one asked for, and picking another asks again and updates the address", async () => {
    const stub = stubFetch({ ...signedIn(), "GET /api/reports/savings/months": months, "GET /api/reports/savings": byMonth });
    show("/savings?month=2026-04");
    const table = await screen.findByTestId("by-model");
    expect(within(table).getByText("runpod/ep-1/Qwen/Qwen2.5-7B-Instruct")).toBeTruthy();
    expect(stub.callsTo("GET /api/reports/savings")[0]!.url.searchParams.get("month")).toBe("2026-04");
    await screen.findByRole("option", { name: "May 2026" });
    fireEvent.change(screen.getByLabelText("Month"), { target: { value: "2026-05" } });
    expect(await screen.findByText("So far in May 2026 your workspace made no calls through the bridge.")).toBeTruthy();
    expect(location.search).toBe("?month=2026-05");
  });

  it("error: the API's message, and the picker still offers the months to try", async () => {
    stubFetch({ ...signedIn(), "GET /api/reports/savings/months": months, "GET /api/reports/savings": apiError(500, "internal", "The usage roll-up is unavailable.") });
    show();
    expect((await screen.findByTestId("savings-error")).textContent).toBe("The usage roll-up is unavailable.");
    expect(screen.queryByText("Loading the report…")).toBeNull();
    expect(await screen.findByRole("option", { name: "April 2026" })).toBeTruthy();
    expect(screen.queryByTestId("savings-report")).toBeNull();
  });

  it("error: Try again asks for the same month again, and the report replaces the refusal", async () => {
    stubFetch({ ...signedIn(), "GET /api/reports/savings/months": months, "GET /api/reports/savings": [apiError(503, "unavailable", "The usage roll-up is unavailable."), json(report("2026-05", busyRows))] });
    show();
    expect((await screen.findByTestId("savings-error")).textContent).toBe("The usage roll-up is unavailable.");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("savings-report")).toBeTruthy();
    expect(screen.queryByTestId("savings-error")).toBeNull();
  });

  it("error: a failed connection says to check it, with nothing to pick from", async () => {
    stubFetch({ ...signedIn(), "GET /api/reports/savings/months": networkError(), "GET /api/reports/savings": networkError() });
    show();
    expect((await screen.findByTestId("savings-error")).textContent).toBe(UNREACHABLE);
    expect(screen.getByLabelText("Month").hasAttribute("disabled")).toBe(true);
  });

  it("offline: the report last seen, from the service worker's copy", async () => {
    goOffline({ ...signedIn(), "GET /api/reports/savings/months": months, "GET /api/reports/savings": byMonth });
    show("/savings?month=2026-04");
    expect((await screen.findByTestId("total-spent")).textContent).toBe("$0.01");
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
