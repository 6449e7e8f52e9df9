import { describe, expect, it } from "vitest";
import {
  buildSavingsReport,
  centsOf,
  csvField,
  formatUsdCents,
  monthBounds,
  nextMonth,
  parseMonth,
  savingsCsv,
  type UsageDailyRow,
} from "../../../workers/reports/savings";

const row = (day: string, provider: string, model: string, requests: number, input: number, output: number, cost: number, savings: number, key_id = ""): UsageDailyRow => ({
  day,
  provider,
  model,
  key_id,
  requests,
  input_tokens: input,
  output_tokens: output,
  cost_micros: cost,
  savings_micros: savings,
});

/**
 * November 2026, by hand:
 * - openai/gpt-4o-mini (mapped from gpt-4o): 2 days, two keys on the 3rd:
 *     requests 3+2+5 = 10, input 3000+2000+5000 = 10,000, output 600+400+1000 = 2,000,
 *     spent 1_250_000+750_000+2_000_000 = 4_000_000 ($4.00), saved 20_000_000+13_000_000+33_000_000 = 66_000_000 ($66.00)
 *     baseline 70_000_000 ($70.00), saved 66/70 = 94.2857% → 94.3
 * - anthropic/claude-haiku-4-5 (called by name, no saving): 1 row: 4 requests, 800 in, 200 out, spent 1_805_000 ($1.805 → $1.81), saved 0
 * - runpod/ep1/qwen (replacing claude-sonnet): 1 row: 6 requests, 12,000 in, 3,000 out, spent 333_333, saved 9_666_667 → baseline 10_000_000
 * Totals: requests 20, input 22,800, output 5,200, spent 6_138_333 ($6.14), saved 75_666_667 ($75.67),
 * baseline 81_805_000 ($81.81), percent 75.666667/81.805 = 92.496% → 92.5
 * Outside the month (ignored): 31 October and 1 December.
 */
const ROWS: UsageDailyRow[] = [
  row("2026-10-31", "openai", "gpt-4o-mini", 99, 99_999, 99_999, 99_000_000, 99_000_000),
  row("2026-11-01", "openai", "gpt-4o-mini", 3, 3000, 600, 1_250_000, 20_000_000, "k1"),
  row("2026-11-03", "openai", "gpt-4o-mini", 2, 2000, 400, 750_000, 13_000_000, "k1"),
  row("2026-11-03", "openai", "gpt-4o-mini", 5, 5000, 1000, 2_000_000, 33_000_000, "k2"),
  row("2026-11-03", "anthropic", "claude-haiku-4-5", 4, 800, 200, 1_805_000, 0, "k1"),
  row("2026-11-30", "runpod", "ep1/qwen", 6, 12_000, 3000, 333_333, 9_666_667),
  row("2026-12-01", "openai", "gpt-4o-mini", 1, 1, 1, 1, 1),
];

const NOV_27 = Date.UTC(2026, 10, 27, 12);
const DEC_2 = Date.UTC(2026, 11, 2);

describe("savings report", () => {
  it("adds up a hand-computed month: totals, by model, by day", () => {
    const r = buildSavingsReport("2026-11", ROWS, DEC_2);
    expect(r.period).toEqual({ month: "2026-11", label: "November 2026", start: "2026-11-01", end: "2026-12-01", complete: true });
    expect(r.totals).toEqual({
      requests: 20,
      inputTokens: 22_800,
      outputTokens: 5_200,
      spent: { micros: 6_138_333, usd: "6.14" },
      baseline: { micros: 81_805_000, usd: "81.81" },
      saved: { micros: 75_666_667, usd: "75.67" },
      savedPercent: 92.5,
    });
    expect(r.byModel.map((m) => `${m.provider}/${m.model}`)).toEqual(["openai/gpt-4o-mini", "runpod/ep1/qwen", "anthropic/claude-haiku-4-5"]);
    expect(r.byModel[0]).toEqual({
      provider: "openai",
      model: "gpt-4o-mini",
      requests: 10,
      inputTokens: 10_000,
      outputTokens: 2_000,
      spent: { micros: 4_000_000, usd: "4.00" },
      baseline: { micros: 70_000_000, usd: "70.00" },
      saved: { micros: 66_000_000, usd: "66.00" },
      savedPercent: 94.3,
    });
    expect(r.byModel[2]).toMatchObject({ spent: { micros: 1_805_000, usd: "1.81" }, baseline: { micros: 1_805_000 }, saved: { micros: 0, usd: "0.00" }, savedPercent: 0 });
    expect(r.byModel[1]).toMatchObject({ baseline: { micros: 10_000_000, usd: "10.00" }, savedPercent: 96.7 });
    // Per-model and per-day figures add back up to the totals exactly (micro-dollars, no rounding drift).
    for (const list of [r.byModel, r.byDay]) {
      expect(list.reduce((n, x) => n + x.spent.micros, 0)).toBe(r.totals.spent.micros);
      expect(list.reduce((n, x) => n + x.saved.micros, 0)).toBe(r.totals.saved.micros);
      expect(list.reduce((n, x) => n + x.requests, 0)).toBe(r.totals.requests);
    }
    expect(r.byDay.map((d) => [d.day, d.requests, d.spent.micros, d.saved.micros])).toEqual([
      ["2026-11-01", 3, 1_250_000, 20_000_000],
      ["2026-11-03", 11, 4_555_000, 46_000_000],
      ["2026-11-30", 6, 333_333, 9_666_667],
    ]);
    expect(r.summary).toBe("In November 2026 your workspace spent $6.14; the same traffic on Western models would have cost $81.81: you saved $75.67 (92.5%).");
  });

  it("says 'so far' for the running month and has a sentence for a month without calls", () => {
    expect(buildSavingsReport("2026-11", ROWS, NOV_27).summary).toBe(
      "So far in November 2026 your workspace has spent $6.14; the same traffic on Western models would have cost $81.81: you have saved $75.67 (92.5%).",
    );
    const empty = buildSavingsReport("2026-09", ROWS, NOV_27);
    expect(empty.totals).toMatchObject({ requests: 0, spent: { micros: 0, usd: "0.00" }, baseline: { micros: 0 }, savedPercent: 0 });
    expect(empty.byModel).toEqual([]);
    expect(empty.byDay).toEqual([]);
    expect(empty.summary).toBe("In September 2026 your workspace made no calls through the bridge.");
  });

  it("keeps to calendar month boundaries (UTC days), including December → January and leap Februaries", () => {
    expect(monthBounds("2026-12")).toEqual({ start: "2026-12-01", end: "2027-01-01" });
    expect(nextMonth("2026-01")).toBe("2026-02");
    const edge = [row("2026-12-31", "openai", "gpt-4o", 1, 10, 10, 100, 0), row("2027-01-01", "openai", "gpt-4o", 2, 10, 10, 200, 0), row("2026-11-30", "openai", "gpt-4o", 4, 1, 1, 400, 0)];
    expect(buildSavingsReport("2026-12", edge).totals.requests).toBe(1);
    expect(buildSavingsReport("2027-01", edge).totals.requests).toBe(2);
    const feb = [row("2028-02-29", "openai", "gpt-4o", 1, 1, 1, 1, 0), row("2028-03-01", "openai", "gpt-4o", 2, 1, 1, 1, 0)];
    expect(buildSavingsReport("2028-02", feb).totals.requests).toBe(1);
    expect(buildSavingsReport("2026-11", ROWS).totals.requests).toBe(20); // 31 Oct and 1 Dec left out
  });

  it("parses the month parameter: current by default, YYYY-MM only, nothing in the future", () => {
    expect(parseMonth(undefined, NOV_27)).toEqual({ ok: true, month: "2026-11" });
    expect(parseMonth("", NOV_27)).toEqual({ ok: true, month: "2026-11" });
    expect(parseMonth("2026-11", NOV_27)).toEqual({ ok: true, month: "2026-11" });
    expect(parseMonth("1999-01", NOV_27)).toEqual({ ok: true, month: "1999-01" });
    // Just after midnight UTC on 1 December, December is the current month.
    expect(parseMonth("2026-12", Date.UTC(2026, 11, 1, 0, 0, 1))).toEqual({ ok: true, month: "2026-12" });
    for (const bad of ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "november", "2026-11-01"]) {
      const r = parseMonth(bad, NOV_27);
      expect(r.ok, bad).toBe(false);
      expect(!r.ok && r.message).toMatch(/YYYY-MM/);
    }
    const future = parseMonth("2026-12", NOV_27);
    expect(future).toEqual({ ok: false, message: "month 2026-12 is in the future; the latest report is for 2026-11" });
  });

  it("renders money in USD with cents, from integer micro-dollars", () => {
    expect(centsOf(0)).toBe("0.00");
    expect(centsOf(4_999)).toBe("0.00");
    expect(centsOf(5_000)).toBe("0.01");
    expect(centsOf(1_234_565)).toBe("1.23");
    expect(centsOf(1_235_000)).toBe("1.24");
    expect(centsOf(123_456_789_000)).toBe("123456.79");
    expect(formatUsdCents(123_456_789_000)).toBe("$123,456.79");
    expect(formatUsdCents(0)).toBe("$0.00");
    expect(formatUsdCents(1_200)).toBe("<$0.01");
    expect(formatUsdCents(10_000)).toBe("$0.01");
  });
});

describe("savings CSV", () => {
  it("has a header, one line per model and a total line", () => {
    const csv = savingsCsv(buildSavingsReport("2026-11", ROWS, DEC_2));
    expect(csv).toBe(
      [
        "month,provider,model,requests,input_tokens,output_tokens,spent_usd,baseline_usd,saved_usd,saved_percent",
        "2026-11,openai,gpt-4o-mini,10,10000,2000,4.00,70.00,66.00,94.3",
        "2026-11,runpod,ep1/qwen,6,12000,3000,0.33,10.00,9.67,96.7",
        "2026-11,anthropic,claude-haiku-4-5,4,800,200,1.81,1.81,0.00,0.0",
        "2026-11,Total,,20,22800,5200,6.14,81.81,75.67,92.5",
        "",
      ].join("\r\n"),
    );
  });

  it("quotes fields with commas, quotes and line breaks (RFC 4180) and defuses formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('my "fast", cheap model')).toBe('"my ""fast"", cheap model"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("=HYPERLINK(\"x\")")).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField("-1", false)).toBe("-1");
    const csv = savingsCsv(buildSavingsReport("2026-11", [row("2026-11-05", "runpod", 'ep9/qwen "coder", 7b', 1, 100, 50, 10_000, 90_000)]));
    const [header, line, total] = csv.split("\r\n");
    expect(header!.split(",")).toHaveLength(10);
    expect(line).toBe('2026-11,runpod,"ep9/qwen ""coder"", 7b",1,100,50,0.01,0.10,0.09,90.0');
    expect(total).toBe("2026-11,Total,,1,100,50,0.01,0.10,0.09,90.0");
    // Read back with a minimal RFC 4180 parser: the model name survives intact.
    expect(parseCsvLine(line!)[2]).toBe('ep9/qwen "coder", 7b');
  });
});

/** Splits one CSV record (no embedded line breaks) per RFC 4180. */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = "";
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') (v += '"'), (i += 2);
        else if (line[i] === '"') break;
        else v += line[i++];
      }
      out.push(v);
      i += 2;
    } else {
      const j = line.indexOf(",", i);
      const end = j === -1 ? line.length : j;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}
