import { getJson } from "./api";
import type { SavingsReport } from "../../../workers/reports/savings";

/**
 * Typed calls for the savings report (GET /api/reports/savings, /api/reports/savings/months). The report's
 * types and money formatting are the server's own (workers/reports/savings.ts, pure), so the screen and
 * the CSV cannot disagree on a cent.
 */
export type { Money, SavingsFigures, SavingsReport } from "../../../workers/reports/savings";
export { formatPercent, formatUsdCents, monthLabel } from "../../../workers/reports/savings";

/** The report as the API sends it: the workspace it is for and where its CSV is. */
export interface SavingsReportResponse extends SavingsReport {
  workspace: { id: string; slug: string; name: string };
  /** Same-origin URL of the CSV file (the session cookie authorizes it, so a plain link downloads it). */
  csvUrl: string;
}

/** The months a picker offers: the current one and every month with usage, newest first. */
export interface SavingsMonths {
  current: string;
  months: string[];
}

/** The CSV for a month, as a link target. */
export const savingsCsvUrl = (month: string) => `/api/reports/savings?${new URLSearchParams({ month, format: "csv" })}`;

export const reportsApi = {
  /** The month's report; the current month when `month` is omitted. */
  savings: (month?: string) => getJson<SavingsReportResponse>(`/api/reports/savings${month ? `?${new URLSearchParams({ month })}` : ""}`),
  months: () => getJson<SavingsMonths>("/api/reports/savings/months"),
};
