/**
 * The monthly savings report (pure): from one calendar month of a workspace's `usage_daily` rows, what it
 * spent through the bridge and what the same traffic would have cost on the Western models the calls named
 * (the baseline the bridge measures every call against, `costAndSavings` and the one baseline rule in workers/gateway/savings.ts):
 * baseline = spent + saved, per call, so per model, per day and in total.
 *
 * Money stays in integer micro-dollars throughout (sums are exact) and is rendered in USD with cents only
 * at the edges: the JSON's `usd` strings, the CSV, the summary sentence. Months are UTC calendar months
 * ("YYYY-MM"), like budgets and `usage_daily.day`.
 *
 * No platform imports: the PWA uses the same types and formatters (web/src/lib/reports-api.ts).
 */

/** One `usage_daily` row (the key dimension, if present, is summed away). */
export interface UsageDailyRow {
  day: string;
  provider: string;
  model: string;
  key_id?: string;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_micros: number;
  savings_micros: number;
}

/** An amount: exact integer micro-dollars, and the same in USD rounded to the cent ("1234.56"). */
export interface Money {
  micros: number;
  usd: string;
}

export interface SavingsFigures {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** What the workspace paid for the calls. */
  spent: Money;
  /** What the same tokens would have cost on the Western models the calls named: spent + saved. */
  baseline: Money;
  saved: Money;
  /** saved / baseline, in percent with one decimal; 0 when nothing would have been paid. */
  savedPercent: number;
}

export interface SavingsPeriod {
  /** "YYYY-MM" */
  month: string;
  /** Human name of the month, "November 2026". */
  label: string;
  /** First day of the month, "YYYY-MM-01" (inclusive). */
  start: string;
  /** First day of the next month (exclusive). */
  end: string;
  /** False while the month is still running (figures so far). */
  complete: boolean;
}

export interface SavingsReport {
  period: SavingsPeriod;
  totals: SavingsFigures;
  /** One entry per provider/model that served calls, most expensive baseline first. */
  byModel: Array<SavingsFigures & { provider: string; model: string }>;
  /** One entry per day with usage, in date order. */
  byDay: Array<SavingsFigures & { day: string }>;
  /** One sentence for people: what was spent, what it would have cost, what was saved. */
  summary: string;
}

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The UTC calendar month of an instant, "YYYY-MM". */
export function monthOf(now: number): string {
  const d = new Date(now);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}`;
}

/** The month after `month` ("2026-12" → "2027-01"). `month` must be well formed. */
export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${pad(y + 1, 4)}-01` : `${pad(y, 4)}-${pad(m + 1)}`;
}

/** The month's days as `usage_daily.day` bounds: [start, end). */
export function monthBounds(month: string): { start: string; end: string } {
  return { start: `${month}-01`, end: `${nextMonth(month)}-01` };
}

export function monthLabel(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return `${MONTH_NAMES[m - 1]} ${y}`;
}

export type MonthChoice = { ok: true; month: string } | { ok: false; message: string };

/**
 * The `month` query parameter: absent means the current month; otherwise "YYYY-MM" no later than the
 * current month (a future month has no usage yet and is almost always a mistake). Months before the
 * workspace existed are fine: their report is empty.
 */
export function parseMonth(raw: string | undefined, now: number): MonthChoice {
  const current = monthOf(now);
  if (raw === undefined || raw === "") return { ok: true, month: current };
  const value = raw.trim();
  if (!MONTH_RE.test(value)) return { ok: false, message: `month must be a calendar month written YYYY-MM (e.g. ${current}), not '${raw.slice(0, 40)}'` };
  if (value > current) return { ok: false, message: `month ${value} is in the future; the latest report is for ${current}` };
  return { ok: true, month: value };
}

/** Micro-dollars to USD with cents, rounded half away from zero: 1_234_565 → "1.23", 1_235_000 → "1.24". */
export function centsOf(micros: number): string {
  const sign = micros < 0 ? "-" : "";
  const cents = Math.floor((Math.abs(micros) + 5_000) / 10_000);
  return `${sign}${Math.floor(cents / 100)}.${pad(cents % 100)}`;
}

/**
 * Micro-dollars for people: "$1,234.56". An amount that is not zero but rounds to nothing shows as
 * "<$0.01" rather than a misleading "$0.00".
 */
export function formatUsdCents(micros: number): string {
  if (micros !== 0 && Math.abs(micros) < 5_000) return micros > 0 ? "<$0.01" : "-<$0.01";
  const [whole, frac] = centsOf(micros).replace("-", "").split(".") as [string, string];
  return `${micros < 0 ? "-" : ""}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
}

export function money(micros: number): Money {
  return { micros, usd: centsOf(micros) };
}

function percent(saved: number, baseline: number): number {
  return baseline > 0 ? Math.round((saved / baseline) * 1000) / 10 : 0;
}

/** "93.8%", "100%", "0%". */
export function formatPercent(p: number): string {
  return `${Number.isInteger(p) ? p : p.toFixed(1)}%`;
}

interface Sum {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  spent: number;
  saved: number;
}

const zero = (): Sum => ({ requests: 0, inputTokens: 0, outputTokens: 0, spent: 0, saved: 0 });

function add(sum: Sum, r: UsageDailyRow): void {
  sum.requests += r.requests;
  sum.inputTokens += r.input_tokens;
  sum.outputTokens += r.output_tokens;
  sum.spent += r.cost_micros;
  sum.saved += r.savings_micros;
}

function figures(s: Sum): SavingsFigures {
  const baseline = s.spent + s.saved;
  return {
    requests: s.requests,
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    spent: money(s.spent),
    baseline: money(baseline),
    saved: money(s.saved),
    savedPercent: percent(s.saved, baseline),
  };
}

/** The sentence at the top of the report (and of the PWA screen). */
export function summarize(period: SavingsPeriod, totals: SavingsFigures): string {
  const when = period.complete ? `In ${period.label}` : `So far in ${period.label}`;
  if (totals.requests === 0) return `${when} your workspace made no calls through the bridge.`;
  const spent = formatUsdCents(totals.spent.micros);
  const baseline = formatUsdCents(totals.baseline.micros);
  const saved = formatUsdCents(totals.saved.micros);
  const pct = formatPercent(totals.savedPercent);
  return period.complete
    ? `${when} your workspace spent ${spent}; the same traffic on Western models would have cost ${baseline}: you saved ${saved} (${pct}).`
    : `${when} your workspace has spent ${spent}; the same traffic on Western models would have cost ${baseline}: you have saved ${saved} (${pct}).`;
}

/**
 * The report for `month` from the workspace's `usage_daily` rows. Rows outside the month are ignored, so
 * callers may pass a wider range. `now` decides whether the month is complete (default: it is).
 */
export function buildSavingsReport(month: string, rows: readonly UsageDailyRow[], now?: number): SavingsReport {
  const { start, end } = monthBounds(month);
  const period: SavingsPeriod = { month, label: monthLabel(month), start, end, complete: now === undefined || monthOf(now) > month };
  const total = zero();
  const models = new Map<string, { provider: string; model: string; sum: Sum }>();
  const days = new Map<string, Sum>();
  for (const r of rows) {
    if (!(r.day >= start && r.day < end)) continue;
    add(total, r);
    const key = `${r.provider}\u0000${r.model}`;
    let m = models.get(key);
    if (!m) models.set(key, (m = { provider: r.provider, model: r.model, sum: zero() }));
    add(m.sum, r);
    const day = r.day.slice(0, 10);
    let d = days.get(day);
    if (!d) days.set(day, (d = zero()));
    add(d, r);
  }
  const totals = figures(total);
  const byModel = [...models.values()]
    .map(({ provider, model, sum }) => ({ provider, model, ...figures(sum) }))
    .sort((a, b) => b.baseline.micros - a.baseline.micros || (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  const byDay = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, sum]) => ({ day, ...figures(sum) }));
  return { period, totals, byModel, byDay, summary: summarize(period, totals) };
}

export const CSV_HEADER = ["month", "provider", "model", "requests", "input_tokens", "output_tokens", "spent_usd", "baseline_usd", "saved_usd", "saved_percent"] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a double quote, CR or LF, with quotes doubled.
 * Text that a spreadsheet would run as a formula (leading =, +, -, @, tab, CR) is prefixed with an
 * apostrophe first (model names come from workspaces' own bridge maps).
 */
export function csvField(value: string | number, text = typeof value === "string"): string {
  let s = String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A line: text fields (formula-guarded) first, then figures written as they are. */
function csvLine(text: string[], figures: string[]): string {
  return [...text.map((t) => csvField(t)), ...figures.map((f) => csvField(f, false))].join(",");
}

function csvFigures(f: SavingsFigures): string[] {
  return [String(f.requests), String(f.inputTokens), String(f.outputTokens), f.spent.usd, f.baseline.usd, f.saved.usd, f.savedPercent.toFixed(1)];
}

/**
 * The report as a CSV file: a header row, one line per provider/model, and a total line (provider
 * "Total", model empty) whose amounts are the exact month totals rounded once (so a column of rounded
 * lines may differ from it by a cent). CRLF line ends, as RFC 4180 has them.
 */
export function savingsCsv(report: SavingsReport): string {
  const month = report.period.month;
  const lines = [CSV_HEADER.join(",")];
  for (const m of report.byModel) lines.push(csvLine([month, m.provider, m.model], csvFigures(m)));
  lines.push(csvLine([month, "Total", ""], csvFigures(report.totals)));
  return `${lines.join("\r\n")}\r\n`;
}
