import { getJson } from "./api";

/**
 * Typed call for the workspace's month so far (GET /api/usage, workers/budgets/usage-routes.ts): the
 * token budget from its BudgetObject (used, reserved by calls in flight, remaining), and cost and savings
 * from the daily roll-up, by day, by model and by key. Savings are against the Western model each call
 * named (cost + savings = what the same traffic would have cost there).
 */
export interface UsageFigures {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  savingsUsd: number;
}

export interface Usage {
  period: { start: string; end: string };
  plan: string;
  /** null: no monthly cap (Enterprise). */
  budgetTokens: number | null;
  usedTokens: number;
  reservedTokens: number;
  remainingTokens: number | null;
  costUsd: number;
  savingsUsd: number;
  byDay: (UsageFigures & { day: string })[];
  /** `provider/model`, as the bridge billed it. */
  byModel: (UsageFigures & { model: string })[];
  /** null: calls made signed in (the PWA, MCP), not with a key. */
  byKey: (UsageFigures & { keyId: string | null })[];
}

export const usageApi = {
  get: () => getJson<Usage>("/api/usage"),
};

const CENTS = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const MICROS = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 6 });
/**
 * Money: cents from a dollar up ($12.34); under a dollar, to the micro-dollar the platform bills in
 * ($0.011934, $0.50), so small amounts are exact and never shown as "$0.00".
 */
export const formatUsd = (usd: number) => (usd === 0 || Math.abs(usd) >= 1 ? CENTS : MICROS).format(usd);
/** 1,234,567 */
export const formatTokens = (n: number) => n.toLocaleString("en-US");
/** 87% / 93.6% */
export const formatPercent = (p: number) => `${Math.round(p * 10) / 10}%`;
/** "2026-05-03" → "May 3" (the roll-up's days are UTC). */
export const formatDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
/** "2026-05-01T00:00:00.000Z" → "May 2026" */
export const formatMonth = (iso: string) => new Date(iso).toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

/** What the same traffic would have cost on the Western models it named, and the share saved. */
export function savingsOf(f: { costUsd: number; savingsUsd: number }): { baselineUsd: number; savedPercent: number } {
  const baselineUsd = Math.round((f.costUsd + f.savingsUsd) * 1e6) / 1e6;
  return { baselineUsd, savedPercent: baselineUsd > 0 ? (f.savingsUsd / baselineUsd) * 100 : 0 };
}

/**
 * Every day of the period up to today (or its end), with the roll-up's figures where there are any: the
 * chart shows quiet days as zero instead of skipping them.
 */
export function daysOfPeriod(usage: Pick<Usage, "period" | "byDay">, now = Date.now()): (UsageFigures & { day: string })[] {
  const byDay = new Map(usage.byDay.map((d) => [d.day, d]));
  const start = Date.parse(usage.period.start);
  const end = Math.min(Date.parse(usage.period.end), Math.max(now, start + 1));
  const out: (UsageFigures & { day: string })[] = [];
  for (let t = start; t < end; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(byDay.get(day) ?? { day, requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, savingsUsd: 0 });
  }
  // A day the roll-up has outside that range (a clock off by a little) is still shown.
  for (const d of usage.byDay) if (!out.some((o) => o.day === d.day)) out.push(d);
  return out.sort((a, b) => a.day.localeCompare(b.day));
}
