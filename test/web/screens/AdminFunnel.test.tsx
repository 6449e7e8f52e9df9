import { fireEvent, screen, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { EXPERIMENTS } from "../../../workers/funnel/experiments";
import { buildReport, type CohortRow } from "../../../workers/funnel/stats";
import type { AdminFunnel as Report } from "../../../web/src/lib/funnel-api";
import { AdminFunnel } from "../../../web/src/screens/AdminFunnel";
import { apiError, hang, json, networkError, stubFetch } from "../fetch-stub";
import { signedIn, signedOut, UNREACHABLE } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = () => renderAt("/admin/funnel", <AdminFunnel />);

/** GET /api/admin/funnel's answer, its funnel built by the server's own pure report code. */
function report(rows: CohortRow[] = [], window = { from: "2026-04-15", to: "2026-05-14" }): Report {
  return { users: 0, usersWithKey: 0, usersWithBridgeCall: 0, workspaces: 0, workspacesPerPlan: {}, window, unattributedUsers: 0, ...buildReport(rows, EXPERIMENTS) };
}
const reached = (upTo: number) => Object.fromEntries(["visit", "signup", "api_call", "deployment", "ide_setup", "upgrade"].map((s, i) => [s, i <= upTo])) as CohortRow["reached"];

describe("Admin funnel screen", () => {
  it("signed out: asks an operator to sign in", async () => {
    stubFetch(signedOut);
    show();
    expect(await screen.findByText("Sign in as a platform operator to see the funnel.")).toBeTruthy();
  });

  it("loading: the Show button waits and no table is drawn yet", async () => {
    stubFetch({ ...signedIn(), "GET /api/admin/funnel": hang() });
    show();
    expect((await screen.findByRole("button", { name: "Loading…" })).hasAttribute("disabled")).toBe(true);
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("empty: a window with nobody in it reads as no data, not as 0% or NaN", async () => {
    stubFetch({ ...signedIn(), "GET /api/admin/funnel": json(report()) });
    show();
    expect((await screen.findByTestId("funnel-totals")).textContent).toContain("SwaggyStacks: 0 visitors, 0 sign-ups without a visit.");
    const table = screen.getByTestId("funnel-fromVisit");
    const signup = within(table).getByRole("row", { name: /^Sign-up/ });
    expect(within(signup).getAllByRole("cell").map((c) => c.textContent)).toEqual(["no data", "no data", "no data", "–"]);
    expect(screen.getByTestId("funnel-fromVisit").textContent).not.toMatch(/NaN|undefined/);
    expect(screen.getAllByRole("table")).toHaveLength(2 + EXPERIMENTS.length);
    // The window the server chose fills the date fields.
    expect((screen.getByLabelText("From") as HTMLInputElement).value).toBe("2026-04-15");
    expect(screen.getByRole("button", { name: "Show" }).hasAttribute("disabled")).toBe(false);
  });

  it("with visitors: each brand's rate with its interval", async () => {
    const rows: CohortRow[] = [
      { brand: "swaggystacks", variants: { copy: "tagline", default_model: "brand_default", pricing_order: "ascending" }, reached: reached(1), n: 2 },
      { brand: "swaggystacks", variants: { copy: "tagline", default_model: "brand_default", pricing_order: "ascending" }, reached: reached(0), n: 8 },
      { brand: "scientiacapital", variants: { copy: "savings", default_model: "budget", pricing_order: "descending" }, reached: reached(0), n: 5 },
    ];
    stubFetch({ ...signedIn(), "GET /api/admin/funnel": json(report(rows)) });
    show();
    const signup = within(await screen.findByTestId("funnel-fromVisit")).getByRole("row", { name: /^Sign-up/ });
    expect(within(signup).getAllByRole("cell")[0]!.textContent).toMatch(/^20\.0% \(\d+\.\d%–\d+\.\d%\), 2 of 10$/);
  });

  it("error: anyone but an operator is told it is for platform administrators", async () => {
    stubFetch({ ...signedIn(), "GET /api/admin/funnel": apiError(403, "forbidden", "Forbidden") });
    show();
    expect((await screen.findByRole("alert")).textContent).toBe("Platform administrators only.");
    expect(screen.getByRole("button", { name: "Show" }).hasAttribute("disabled")).toBe(false);
  });

  it("error: a refused window shows the API's message and keeps the fields to fix it", async () => {
    stubFetch({ ...signedIn(), "GET /api/admin/funnel": [json(report()), apiError(400, "invalid_request", "from must be on or before to")] });
    show();
    await screen.findByTestId("funnel-totals");
    fireEvent.input(screen.getByLabelText("From"), { target: { value: "2026-06-01" } });
    fireEvent.submit(screen.getByRole("form", { name: "Date window" }));
    expect((await screen.findByRole("alert")).textContent).toBe("from must be on or before to");
    expect((screen.getByLabelText("From") as HTMLInputElement).value).toBe("2026-06-01");
  });

  it("error: a failed connection says to check it", async () => {
    stubFetch({ ...signedIn(), "GET /api/admin/funnel": networkError() });
    show();
    expect((await screen.findByRole("alert")).textContent).toBe(UNREACHABLE);
  });

  it("offline: the report is not kept offline, so it says to check the connection", async () => {
    goOffline(signedIn());
    show();
    expect((await screen.findByRole("alert")).textContent).toBe(UNREACHABLE);
    expect(screen.queryByRole("table")).toBeNull();
  });
});
