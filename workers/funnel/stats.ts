import type { BrandId } from "../brand/brands";
import { NO_VARIANT, type Assignment, type Experiment } from "./experiments";

/**
 * The funnel's statistics, pure: counts per step, conversion rates with Wilson 95% intervals, and the
 * difference between two groups (the two brands, or a variant and its control) with a two-proportion
 * z-test. Input is the cohort already grouped by (brand, variants, which steps each subject reached),
 * as workers/funnel/report.ts reads it from D1; output is what GET /api/admin/funnel returns.
 *
 * A subject is one visitor (an anonymous id first seen in the window, with the account it signed up as,
 * if any) or one sign-up that came without a recorded visit (API-only, DNT, another device): those count
 * under the brand of the host they signed up on, with variant "none", and have no visit.
 *
 * Steps need not happen in order (an IDE can be set up before any deployment), so every rate is a true
 * proportion of one population:
 * - fromVisit: of the visitors, the share who reached the step (by any path);
 * - fromPrevious: of the subjects who reached the previous step, the share who also reached this one
 *   (for sign-up the previous step is the visit, so it equals fromVisit).
 * `count` is every subject who reached the step, sign-ups without a visit included.
 */
export const STEPS = ["visit", "signup", "api_call", "deployment", "ide_setup", "upgrade"] as const;
export type StepId = (typeof STEPS)[number];

/** z for a two-sided 95% interval: the 97.5th percentile of the standard normal. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

export interface Proportion {
  /** Successes. */
  x: number;
  /** Trials. */
  n: number;
  /** x / n; null when n = 0. */
  rate: number | null;
  /** Wilson score interval at 95%; null when n = 0. */
  ci: Interval | null;
}

export interface Difference {
  /** rate(a) − rate(b); null when either group is empty. */
  difference: number | null;
  /** 95% interval of the difference (unpooled standard error). */
  ci: Interval | null;
  /** z of the pooled two-proportion test; null when it is undefined (both rates 0 or both 1). */
  z: number | null;
  /** Two-sided p-value of that test (1 when the pooled rate is 0 or 1: no evidence of a difference). */
  pValue: number | null;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Wilson score interval for x successes in n trials: well-behaved near 0 and 1 and for small n, unlike Wald. */
export function wilson(x: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At x = 0 (x = n) the bound is exactly 0 (1); floating point would leave a crumb.
  return { low: x === 0 ? 0 : clamp01(center - half), high: x === n ? 1 : clamp01(center + half) };
}

export function proportion(x: number, n: number): Proportion {
  const ci = wilson(x, n);
  return { x, n, rate: n > 0 ? round(x / n) : null, ci: ci && { low: round(ci.low), high: round(ci.high) } };
}

/**
 * erfc(x) for x ≥ 0, Numerical Recipes' Chebyshev-fitted `erfcc` (relative error below 1.2e-7 everywhere),
 * which is ample for p-values reported to a few digits.
 */
function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly = -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * Math.exp(poly);
}

/** Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|) = erfc(|z| / √2). */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/**
 * a − b for two independent proportions. The interval uses the unpooled standard error
 * √(pa(1−pa)/na + pb(1−pb)/nb); the test uses the pooled rate p = (xa+xb)/(na+nb) under H0: pa = pb,
 * z = (pa − pb) / √(p(1−p)(1/na + 1/nb)).
 */
export function compare(a: { x: number; n: number }, b: { x: number; n: number }, z = Z95): Difference {
  if (a.n <= 0 || b.n <= 0) return { difference: null, ci: null, z: null, pValue: null };
  const pa = a.x / a.n;
  const pb = b.x / b.n;
  const diff = pa - pb;
  const se = Math.sqrt((pa * (1 - pa)) / a.n + (pb * (1 - pb)) / b.n);
  const pooled = (a.x + b.x) / (a.n + b.n);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  const stat = se0 > 0 ? diff / se0 : null;
  return {
    difference: round(diff),
    ci: { low: round(Math.max(-1, diff - z * se)), high: round(Math.min(1, diff + z * se)) },
    z: stat === null ? null : round(stat),
    pValue: stat === null ? 1 : round(twoSidedP(stat)),
  };
}

// ---------------------------------------------------------------------------------------------- the funnel

/** One group of identical subjects from the cohort query: n subjects of one brand and assignment who reached the same steps. */
export interface CohortRow {
  brand: BrandId;
  /** null: a sign-up without a recorded visit (variant "none" in every experiment). */
  variants: Assignment | null;
  /** Which steps they reached; "visit" is whether the subject is a visitor. */
  reached: Record<StepId, boolean>;
  n: number;
}

export interface StepStats {
  step: StepId;
  count: number;
  fromVisit: Proportion;
  /** null for the visit itself. */
  fromPrevious: Proportion | null;
}

export interface GroupFunnel {
  /** Everyone in the group: visitors plus sign-ups without a visit. */
  subjects: number;
  visitors: number;
  signUpsWithoutVisit: number;
  steps: StepStats[];
}

interface Tally {
  subjects: number;
  count: number[];
  visitReach: number[];
  prevN: number[];
  prevBoth: number[];
}

const emptyTally = (): Tally => ({ subjects: 0, count: STEPS.map(() => 0), visitReach: STEPS.map(() => 0), prevN: STEPS.map(() => 0), prevBoth: STEPS.map(() => 0) });

function add(t: Tally, row: CohortRow): void {
  t.subjects += row.n;
  STEPS.forEach((step, i) => {
    const here = row.reached[step];
    if (here) t.count[i]! += row.n;
    if (here && row.reached.visit) t.visitReach[i]! += row.n;
    if (i > 0 && row.reached[STEPS[i - 1]!]) {
      t.prevN[i]! += row.n;
      if (here) t.prevBoth[i]! += row.n;
    }
  });
}

function funnelOf(t: Tally): GroupFunnel {
  const visitors = t.count[0]!;
  return {
    subjects: t.subjects,
    visitors,
    signUpsWithoutVisit: t.subjects - visitors,
    steps: STEPS.map((step, i) => ({
      step,
      count: t.count[i]!,
      fromVisit: proportion(t.visitReach[i]!, visitors),
      fromPrevious: i === 0 ? null : proportion(t.prevBoth[i]!, t.prevN[i]!),
    })),
  };
}

export function groupFunnel(rows: readonly CohortRow[]): GroupFunnel {
  const t = emptyTally();
  for (const r of rows) add(t, r);
  return funnelOf(t);
}

/** A step's rates in two groups and their difference (a − b), for both kinds of rate. */
export interface StepComparison<A extends string, B extends string> {
  step: StepId;
  fromVisit: Record<A | B, Proportion> & { difference: Difference };
  fromPrevious: Record<A | B, Proportion> & { difference: Difference };
}

export function compareFunnels<A extends string, B extends string>(aName: A, a: GroupFunnel, bName: B, b: GroupFunnel): StepComparison<A, B>[] {
  return STEPS.slice(1).map((step) => {
    const sa = a.steps.find((s) => s.step === step)!;
    const sb = b.steps.find((s) => s.step === step)!;
    const pair = (pa: Proportion, pb: Proportion) => ({ [aName]: pa, [bName]: pb, difference: compare(pa, pb) }) as Record<A | B, Proportion> & { difference: Difference };
    return { step, fromVisit: pair(sa.fromVisit, sb.fromVisit), fromPrevious: pair(sa.fromPrevious!, sb.fromPrevious!) };
  });
}

export interface VariantFunnel {
  id: string;
  /** Configured weight; null for "none" (sign-ups without a visit) and for arms no longer configured. */
  weight: number | null;
  overall: GroupFunnel;
  byBrand: Record<BrandId, GroupFunnel>;
}

export interface ExperimentReport {
  id: string;
  description: string;
  control: string;
  variants: VariantFunnel[];
  /** Each configured non-control variant against the control, both brands pooled: variant − control. */
  vsControl: Array<{ variant: string; steps: StepComparison<"variant", "control">[] }>;
}

export interface FunnelReport {
  brands: Record<BrandId, GroupFunnel>;
  /** Per step: SwaggyStacks' rate, ScientiaCapital's, and the difference (swaggystacks − scientiacapital). */
  comparison: StepComparison<"swaggystacks", "scientiacapital">[];
  experiments: ExperimentReport[];
}

const BRAND_IDS: readonly BrandId[] = ["swaggystacks", "scientiacapital"];

export function buildReport(rows: readonly CohortRow[], experiments: readonly Experiment[]): FunnelReport {
  const byBrand = (subset: readonly CohortRow[]) => Object.fromEntries(BRAND_IDS.map((b) => [b, groupFunnel(subset.filter((r) => r.brand === b))])) as Record<BrandId, GroupFunnel>;
  const brands = byBrand(rows);
  return {
    brands,
    comparison: compareFunnels("swaggystacks", brands.swaggystacks, "scientiacapital", brands.scientiacapital),
    experiments: experiments.map((e) => {
      const variantOf = (r: CohortRow) => r.variants?.[e.id] ?? NO_VARIANT;
      const configured = e.variants.map((v) => v.id);
      const seen = [...new Set(rows.map(variantOf))].filter((id) => !configured.includes(id)).sort();
      const variants: VariantFunnel[] = [...configured, ...seen].map((id) => {
        const subset = rows.filter((r) => variantOf(r) === id);
        return { id, weight: e.variants.find((v) => v.id === id)?.weight ?? null, overall: groupFunnel(subset), byBrand: byBrand(subset) };
      });
      const control = variants[0]!;
      return {
        id: e.id,
        description: e.description,
        control: control.id,
        variants,
        vsControl: variants.slice(1, configured.length).map((v) => ({ variant: v.id, steps: compareFunnels("variant", v.overall, "control", control.overall) })),
      };
    }),
  };
}
