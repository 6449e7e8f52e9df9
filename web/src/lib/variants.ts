import { useEffect, useState } from "preact/hooks";
import type { VariantConfig } from "../../../workers/funnel/experiments";
import type { BrandInfo } from "./api";
import { recordVisit, type VisitResult } from "./funnel-api";

/**
 * The A/B arms the funnel assigned this visitor, applied in the PWA (workers/funnel/experiments.ts says
 * what each means): `copy` picks the shell's headline, `pricing_order` the order of the plan cards.
 * What an arm means on this brand comes from the server's answer (`config`, from the same pure
 * `variantConfig`), so the PWA and the funnel report cannot disagree. Without one (the call failed) the
 * visitor sees the control: the brand's tagline, cheapest plan first. Do Not Track visitors get the
 * control's config from the server.
 */
export type Plan = VariantConfig["pricingOrder"][number];

/**
 * The visit, shared with the shell's own call (recordVisit records once per page load; never rejects).
 * Imported statically, so it is in the entry chunk: the shell's headline waits for this answer and is often
 * the largest paint, and fetching the module first put one more round trip in front of it.
 */
export const visitResult = (): Promise<VisitResult> => recordVisit();

/** The control arm's plan order (experiments.ts PLAN_ORDER): cheapest first. */
const CONTROL_ORDER: Plan[] = ["free", "pro", "team", "enterprise"];

/** The shell's headline: the copy arm's (config.headline), else the brand's own tagline. */
export function headlineFor(brand: BrandInfo, visit: VisitResult): string {
  return visit.config?.headline ?? brand.tagline;
}

/**
 * The headline for the shell once both the brand and the visitor's arms are known; null until then
 * (so the tagline does not flash and then change for the visitors in the other arm).
 */
export function useHeadline(brand: BrandInfo | null): string | null {
  const [visit, setVisit] = useState<VisitResult | null>(null);
  useEffect(() => {
    let current = true;
    void visitResult().then((v) => current && setVisit(v));
    return () => {
      current = false;
    };
  }, []);
  return brand && visit ? headlineFor(brand, visit) : null;
}

/** The plans' order on the pricing cards; the control (cheapest first) without a config. */
export async function pricingOrder(): Promise<Plan[]> {
  return (await visitResult()).config?.pricingOrder ?? CONTROL_ORDER;
}

/** `items` sorted by where their plan stands in `order` (plans it does not name go last, in their order). */
export function inPlanOrder<T extends { plan: string }>(items: readonly T[], order: readonly string[]): T[] {
  const rank = (plan: string) => {
    const i = order.indexOf(plan);
    return i === -1 ? order.length : i;
  };
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item.plan) - rank(b.item.plan) || a.i - b.i)
    .map(({ item }) => item);
}

/**
 * The model the playground pre-selects: the visitor's default_model arm when the workspace may call it,
 * else the first listed (its own deployments come first).
 */
export function preselectedModel(ids: readonly string[], armModel: string | undefined): string {
  return armModel && ids.includes(armModel) ? armModel : (ids[0] ?? "");
}
