import { describe, expect, it } from "vitest";
import { buildSavingsReport } from "../../../workers/reports/savings";
import { AUTO_BASELINES } from "../../../workers/gateway/auto-route";
import { baselineFor, cacheHitSavings, costAndSavings } from "../../../workers/gateway/savings";
import { resolveRoute, type Route, type TargetRef } from "../../../workers/gateway/resolve";

/**
 * Savings truth: cost and saving of each case worked out by hand from list prices (USD per million
 * tokens), in micro-dollars. If a price or the baseline rule changes, this table is where it shows.
 */
const qwen72: TargetRef = { provider: "runpod", model: "ep1/Qwen/Qwen2.5-72B-Instruct", price: { input: 200_000, output: 600_000 }, deployment: "qwen72" };
const map = [{ match: "gpt-4o", targets: ["runpod/qwen72"] }, { match: "house", targets: ["runpod/qwen72", "anthropic/claude-haiku-4-5"] }, { match: "open-only", targets: ["runpod/qwen72"] }];
const bound = (r: Route): Route => ({ ...r, targets: r.targets.map((t) => (t.provider === "runpod" ? qwen72 : t)) });

const rows: Array<{ case: string; route: Route; usage: { inputTokens: number; outputTokens: number; cachedInputTokens?: number; cacheWriteTokens?: number }; baseline: string | undefined; cost: number; savings: number }> = [
  // gpt-4o named, served by Qwen 72B at $0.20/$0.60: 100k in, 20k out.
  // cost 100k×0.20 + 20k×0.60 = 20,000 + 12,000 = 32,000 µ$; gpt-4o 100k×2.50 + 20k×10 = 250,000 + 200,000 = 450,000 µ$.
  { case: "a Western name mapped to a deployment", route: bound(resolveRoute("gpt-4o", map)), usage: { inputTokens: 100_000, outputTokens: 20_000 }, baseline: "openai/gpt-4o", cost: 32_000, savings: 418_000 },
  // claude-haiku-4-5 called directly: 1M in ($1) + 100k out ($0.50) = 1,500,000 µ$, no saving.
  { case: "a Western model called directly", route: resolveRoute("anthropic/claude-haiku-4-5"), usage: { inputTokens: 1_000_000, outputTokens: 100_000 }, baseline: "anthropic/claude-haiku-4-5", cost: 1_500_000, savings: 0 },
  // A map name: baseline = its first Western target (haiku). 10k in, 10k out: Qwen 2,000 + 6,000 = 8,000; haiku 10,000 + 50,000 = 60,000.
  { case: "a bridge-map name, measured against its first Western target", route: bound(resolveRoute("house", map)), usage: { inputTokens: 10_000, outputTokens: 10_000 }, baseline: "anthropic/claude-haiku-4-5", cost: 8_000, savings: 52_000 },
  // A name that reaches only open models: nothing to compare with.
  { case: "an open-only name", route: bound(resolveRoute("open-only", map)), usage: { inputTokens: 10_000, outputTokens: 10_000 }, baseline: undefined, cost: 8_000, savings: 0 },
  // gpt-4o-mini with 40k of 100k input cached ($0.075/M) and 10k out: 60k×0.15 + 40k×0.075 + 10k×0.60 = 9,000 + 3,000 + 6,000 = 18,000.
  { case: "OpenAI cached input at its discount", route: resolveRoute("gpt-4o-mini"), usage: { inputTokens: 100_000, cachedInputTokens: 40_000, outputTokens: 10_000 }, baseline: "openai/gpt-4o-mini", cost: 18_000, savings: 0 },
  // Sonnet served by Qwen: 50k in of which 20k cache writes (Sonnet $3.75/M) and 10k cache reads ($0.30/M), 5k out.
  // Sonnet: 20k×3 + 10k×0.30 + 20k×3.75 + 5k×15 = 60,000 + 3,000 + 75,000 + 75,000 = 213,000.
  // Qwen (no cache prices: input price throughout): 50k×0.20 + 5k×0.60 = 10,000 + 3,000 = 13,000.
  {
    case: "Anthropic cache reads and writes priced on the baseline",
    route: bound(resolveRoute("claude-sonnet-4-5", [{ match: "claude-sonnet-4-5", targets: ["runpod/qwen72"] }])),
    usage: { inputTokens: 50_000, cacheWriteTokens: 20_000, cachedInputTokens: 10_000, outputTokens: 5_000 },
    baseline: "anthropic/claude-sonnet-4-5",
    cost: 13_000,
    savings: 200_000,
  },
  // gpt-4o-mini served by Opus 4.1 (pricier): 1k in, 1k out → Opus 15,000 + 75,000 = 90,000; mini 150 + 600 = 750: saving clamps to 0.
  { case: "a pricier target never reports a negative saving", route: resolveRoute("gpt-4o-mini", [{ match: "gpt-4o-mini", targets: ["anthropic/claude-opus-4-1"] }]), usage: { inputTokens: 1_000, outputTokens: 1_000 }, baseline: "openai/gpt-4o-mini", cost: 90_000, savings: 0 },
  // auto:code measured against Sonnet: 10k in, 2k out on Qwen = 2,000 + 1,200 = 3,200; Sonnet 30,000 + 30,000 = 60,000.
  { case: "an auto:code call against its class's reference", route: { requested: "auto:code", targets: [qwen72], baseline: AUTO_BASELINES.code, rule: undefined }, usage: { inputTokens: 10_000, outputTokens: 2_000 }, baseline: "anthropic/claude-sonnet-4-5", cost: 3_200, savings: 56_800 },
  // Rounding: 3 tokens in and 1 out of gpt-4o-mini = 0.45 + 0.6 = 1.05 µ$, billed up to 2.
  { case: "sub-micro-dollar totals round up", route: resolveRoute("gpt-4o-mini"), usage: { inputTokens: 3, outputTokens: 1 }, baseline: "openai/gpt-4o-mini", cost: 2, savings: 0 },
];

describe("savings truth: one price table, one baseline rule", () => {
  it.each(rows)("$case", (r) => {
    expect(r.route.baseline).toBe(r.baseline);
    expect(costAndSavings(r.usage, r.route.targets[0]!, r.route)).toEqual({ cost: r.cost, savings: r.savings });
  });

  it("a cache hit costs nothing and saves the whole baseline (or the target's price without one)", () => {
    expect(cacheHitSavings({ inputTokens: 100_000, outputTokens: 20_000 }, qwen72, rows[0]!.route)).toBe(450_000);
    expect(cacheHitSavings({ inputTokens: 10_000, outputTokens: 10_000 }, qwen72, rows[3]!.route)).toBe(8_000);
  });

  it("the rule in order: a named Western model, an auto class, a map's first Western target, else none", () => {
    const openai: TargetRef = { provider: "openai", model: "gpt-4o" };
    const haiku: TargetRef = { provider: "anthropic", model: "claude-haiku-4-5" };
    expect(baselineFor(openai, [qwen72, haiku], "openai/o3")).toBe("openai/gpt-4o");
    expect(baselineFor(undefined, [qwen72, haiku], "openai/o3")).toBe("openai/o3");
    expect(baselineFor({ provider: "runpod", model: "x" }, [qwen72, haiku])).toBe("anthropic/claude-haiku-4-5");
    expect(baselineFor(undefined, [qwen72])).toBeUndefined();
  });

  it("the monthly report adds up the same micro-dollars the calls reported", () => {
    const day = "2026-11-03";
    const ledger = rows.map((r) => ({ day, provider: r.route.targets[0]!.provider, model: r.route.targets[0]!.model, requests: 1, input_tokens: r.usage.inputTokens, output_tokens: r.usage.outputTokens, cost_micros: r.cost, savings_micros: r.savings }));
    const report = buildSavingsReport("2026-11", ledger);
    expect(report.totals.spent.micros).toBe(rows.reduce((n, r) => n + r.cost, 0));
    expect(report.totals.saved.micros).toBe(rows.reduce((n, r) => n + r.savings, 0));
    // 32,000 + 1,500,000 + 8,000 + 8,000 + 18,000 + 13,000 + 90,000 + 3,200 + 2 spent; 418,000 + 52,000 + 200,000 + 56,800 saved.
    expect([report.totals.spent.micros, report.totals.saved.micros]).toEqual([1_672_202, 726_800]);
  });
});
