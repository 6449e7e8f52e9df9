import type { Usage } from "./canonical";
import { costMicros, DEFAULT_RUNPOD_PRICE, priceFor, type Price } from "../catalog/prices";
import { qualified, type Route, type TargetRef } from "./resolve";

/**
 * Savings truth: every figure of cost and saving on the platform (x-cost-usd and x-savings-usd, the usage
 * ledger, and from it /api/usage, the dashboard and the monthly report) comes from the prices in
 * workers/catalog/prices.ts through the functions here, and from one baseline rule:
 *
 * 1. a Western model the caller named (`gpt-4o`, `anthropic/claude-…`): that model;
 * 2. an `auto…` class: its reference model (AUTO_BASELINES in auto-route.ts);
 * 3. a bridge-map name: the first Western target of its rule;
 * 4. otherwise (an open model named directly): none, and the saving is zero.
 *
 * The saving is what the baseline would have cost for the same tokens minus what the call cost, never
 * below zero; a cache hit costs nothing and saves the whole baseline (or, without one, the target's price).
 * test/unit/gateway/savings-truth.test.ts pins these against a hand-computed table.
 */
export function baselineFor(named: TargetRef | undefined, ruleTargets: readonly TargetRef[] | undefined, autoBaseline?: string): string | undefined {
  if (named && named.provider !== "runpod") return qualified(named);
  if (autoBaseline) return autoBaseline;
  const western = ruleTargets?.find((t) => t.provider !== "runpod");
  return western ? qualified(western) : undefined;
}

export function targetPrice(target: TargetRef): Price | undefined {
  if (target.price) return target.price;
  if (target.provider === "runpod") return DEFAULT_RUNPOD_PRICE;
  return priceFor(qualified(target));
}

/** What the call cost and what the Western model it replaced would have cost for the same tokens. */
export function costAndSavings(usage: Usage, target: TargetRef, route: Pick<Route, "baseline">): { cost: number; savings: number } {
  const price = targetPrice(target);
  const cost = price ? costMicros(usage, price) : 0;
  const baselinePrice = route.baseline ? priceFor(route.baseline) : undefined;
  const baseline = baselinePrice ? costMicros(usage, baselinePrice) : cost;
  return { cost, savings: Math.max(0, baseline - cost) };
}

/** A cache hit: free, saving what the call would have cost at the baseline (else at the target's price). */
export function cacheHitSavings(usage: Usage, target: TargetRef, route: Pick<Route, "baseline">): number {
  const price = route.baseline ? priceFor(route.baseline) : targetPrice(target);
  return price ? costMicros(usage, price) : 0;
}
