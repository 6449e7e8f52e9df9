import { describe, expect, it } from "vitest";
import { EXPERIMENTS } from "../../../workers/funnel/experiments";
import { buildReport, compare, proportion, twoSidedP, wilson, type CohortRow, type StepId } from "../../../workers/funnel/stats";

/**
 * The funnel statistics on a dataset small enough to check by hand. Every expected number below is worked
 * out in the comment beside it, with z = 1.959964 (z² = 3.841459):
 *
 *   Wilson:  center = (p + z²/2n) / (1 + z²/n),  half = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
 *   Difference a − b:  CI = d ± z·√(pa(1−pa)/na + pb(1−pb)/nb)
 *   Test:  pooled p = (xa+xb)/(na+nb),  z = d / √(p(1−p)(1/na + 1/nb)),  P = erfc(|z|/√2)
 */
const ALL_CONTROL = { copy: "tagline", default_model: "brand_default", pricing_order: "ascending" };

function rows(brand: CohortRow["brand"], variants: CohortRow["variants"], patterns: Array<[steps: StepId[], n: number]>): CohortRow[] {
  return patterns.map(([steps, n]) => ({
    brand,
    variants,
    reached: { visit: steps.includes("visit"), signup: steps.includes("signup"), api_call: steps.includes("api_call"), deployment: steps.includes("deployment"), ide_setup: steps.includes("ide_setup"), upgrade: steps.includes("upgrade") },
    n,
  }));
}

/*
 * SwaggyStacks: 200 visitors, 40 of whom signed up, plus 10 sign-ups without a visit.
 *   visitors:  160 visit only | 2 all steps | 2 api+deploy+ide | 4 api+deploy | 2 api+ide | 2 api+upgrade | 8 api | 4 ide | 16 sign-up only
 *   no visit:  1 api+deploy+upgrade | 4 api | 5 sign-up only
 * counts:    visit 200, sign-up 40+10 = 50, api 20+5 = 25, deploy 8+1 = 9, ide 10, upgrade 4+1 = 5
 * fromVisit (n = 200): 40, 20, 8, 10, 4
 * fromPrevious: sign-up 40/200; api 25/50; deploy 9/25; ide (deploy∧ide) 2+2 = 4/9; upgrade (ide∧upgrade) 2/10
 *
 * ScientiaCapital: 100 visitors, 30 signed up, plus 2 sign-ups without a visit.
 *   visitors:  70 visit only | 3 all steps | 3 api+deploy+upgrade | 3 api+deploy | 3 api+ide | 6 api | 12 sign-up only
 *   no visit:  2 sign-up only
 * counts:    visit 100, sign-up 32, api 18, deploy 9, ide 6, upgrade 6
 * fromVisit (n = 100): 30, 18, 9, 6, 6
 * fromPrevious: sign-up 30/100; api 18/32; deploy 9/18; ide 3/9; upgrade 3/6
 */
const S = "visit" as const;
const DATASET: CohortRow[] = [
  ...rows("swaggystacks", ALL_CONTROL, [
    [[S], 160],
    [[S, "signup", "api_call", "deployment", "ide_setup", "upgrade"], 2],
    [[S, "signup", "api_call", "deployment", "ide_setup"], 2],
    [[S, "signup", "api_call", "deployment"], 4],
    [[S, "signup", "api_call", "ide_setup"], 2],
    [[S, "signup", "api_call", "upgrade"], 2],
    [[S, "signup", "api_call"], 8],
    [[S, "signup", "ide_setup"], 4],
    [[S, "signup"], 16],
  ]),
  ...rows("swaggystacks", null, [
    [["signup", "api_call", "deployment", "upgrade"], 1],
    [["signup", "api_call"], 4],
    [["signup"], 5],
  ]),
  ...rows("scientiacapital", ALL_CONTROL, [
    [[S], 70],
    [[S, "signup", "api_call", "deployment", "ide_setup", "upgrade"], 3],
    [[S, "signup", "api_call", "deployment", "upgrade"], 3],
    [[S, "signup", "api_call", "deployment"], 3],
    [[S, "signup", "api_call", "ide_setup"], 3],
    [[S, "signup", "api_call"], 6],
    [[S, "signup"], 12],
  ]),
  ...rows("scientiacapital", null, [[["signup"], 2]]),
];

describe("wilson", () => {
  it("40 of 200", () => {
    // p = 0.2; 1 + z²/n = 1.019207; center = (0.2 + 0.009604) / 1.019207 = 0.205654
    // half = 1.959964 · √(0.0008 + 0.000024) / 1.019207 = 1.959964 · 0.028705 / 1.019207 = 0.055202
    const ci = wilson(40, 200)!;
    expect(ci.low).toBeCloseTo(0.150452, 6);
    expect(ci.high).toBeCloseTo(0.260855, 6);
  });

  it("30 of 100", () => {
    // p = 0.3; 1 + z²/n = 1.038415; center = (0.3 + 0.019207) / 1.038415 = 0.307399
    // half = 1.959964 · √(0.0021 + 0.000096) / 1.038415 = 0.088450  →  [0.218949, 0.395849]
    const ci = wilson(30, 100)!;
    expect(ci.low).toBeCloseTo(0.218949, 6);
    expect(ci.high).toBeCloseTo(0.395849, 6);
  });

  it("stays inside [0, 1] at the edges, where Wald would collapse to a point", () => {
    // 0/10: center = half = (z²/20) / 1.384146 = 0.192073 / 1.384146 = 0.138766  →  [0, 0.277533]
    expect(wilson(0, 10)).toEqual({ low: 0, high: expect.closeTo(0.277533, 6) });
    // 10/10 mirrors it: [1 − 0.277533, 1]
    expect(wilson(10, 10)).toEqual({ low: expect.closeTo(0.722467, 6), high: 1 });
    expect(wilson(0, 0)).toBeNull();
    expect(proportion(0, 0)).toEqual({ x: 0, n: 0, rate: null, ci: null });
  });
});

describe("compare (two proportions)", () => {
  it("40/200 against 30/100", () => {
    // d = 0.2 − 0.3 = −0.1; SE = √(0.2·0.8/200 + 0.3·0.7/100) = √0.0029 = 0.053852
    // CI = −0.1 ± 1.959964 · 0.053852 = −0.1 ± 0.105547 → [−0.205547, 0.005547]
    // pooled p = 70/300 = 0.233333; SE0 = √(0.233333 · 0.766667 · 0.015) = 0.051801; z = −1.930468
    // P = erfc(1.930468 / √2) = 0.053549
    const d = compare({ x: 40, n: 200 }, { x: 30, n: 100 });
    expect(d.difference).toBeCloseTo(-0.1, 6);
    expect(d.ci!.low).toBeCloseTo(-0.205547, 6);
    expect(d.ci!.high).toBeCloseTo(0.005547, 6);
    expect(d.z).toBeCloseTo(-1.930468, 5);
    expect(d.pValue).toBeCloseTo(0.053549, 5);
  });

  it("20/100 against 10/100 is just significant", () => {
    // d = 0.1; SE = √(0.0016 + 0.0009) = 0.05; CI = 0.1 ± 0.098 → [0.002002, 0.197998]
    // pooled p = 0.15; SE0 = √(0.15 · 0.85 · 0.02) = 0.050498; z = 1.980295; P = 0.047670
    const d = compare({ x: 20, n: 100 }, { x: 10, n: 100 });
    expect(d).toEqual({ difference: 0.1, ci: { low: expect.closeTo(0.002002, 6), high: expect.closeTo(0.197998, 6) }, z: expect.closeTo(1.980295, 5), pValue: expect.closeTo(0.04767, 5) });
  });

  it("no evidence when there is nothing to compare", () => {
    expect(compare({ x: 0, n: 10 }, { x: 0, n: 20 })).toEqual({ difference: 0, ci: { low: 0, high: 0 }, z: null, pValue: 1 });
    expect(compare({ x: 1, n: 10 }, { x: 0, n: 0 })).toEqual({ difference: null, ci: null, z: null, pValue: null });
  });

  it("p-values of the normal distribution", () => {
    expect(twoSidedP(0)).toBeCloseTo(1, 6);
    expect(twoSidedP(1.959964)).toBeCloseTo(0.05, 6);
    expect(twoSidedP(-2.575829)).toBeCloseTo(0.01, 6);
    expect(twoSidedP(3.290527)).toBeCloseTo(0.001, 6);
  });
});

describe("buildReport on the known dataset", () => {
  const report = buildReport(DATASET, EXPERIMENTS);
  const step = (brand: "swaggystacks" | "scientiacapital", id: StepId) => report.brands[brand].steps.find((s) => s.step === id)!;

  it("counts every step per brand, sign-ups without a visit included", () => {
    expect(report.brands.swaggystacks).toMatchObject({ subjects: 210, visitors: 200, signUpsWithoutVisit: 10 });
    expect(report.brands.swaggystacks.steps.map((s) => [s.step, s.count])).toEqual([
      ["visit", 200],
      ["signup", 50],
      ["api_call", 25],
      ["deployment", 9],
      ["ide_setup", 10],
      ["upgrade", 5],
    ]);
    expect(report.brands.scientiacapital).toMatchObject({ subjects: 102, visitors: 100, signUpsWithoutVisit: 2 });
    expect(report.brands.scientiacapital.steps.map((s) => s.count)).toEqual([100, 32, 18, 9, 6, 6]);
  });

  it("visit-to-step rates count visitors only, with Wilson intervals", () => {
    expect(report.brands.swaggystacks.steps.map((s) => [s.fromVisit.x, s.fromVisit.n])).toEqual([[200, 200], [40, 200], [20, 200], [8, 200], [10, 200], [4, 200]]);
    expect(report.brands.scientiacapital.steps.map((s) => [s.fromVisit.x, s.fromVisit.n])).toEqual([[100, 100], [30, 100], [18, 100], [9, 100], [6, 100], [6, 100]]);
    // 40/200 = 0.2 in [0.150452, 0.260855] (worked out above)
    expect(step("swaggystacks", "signup").fromVisit).toEqual({ x: 40, n: 200, rate: 0.2, ci: { low: 0.150452, high: 0.260855 } });
    // 20/200 = 0.1: center (0.1 + 0.009604) / 1.019207 = 0.107538, half 1.959964·√(0.00045 + 0.000024)/1.019207 = 0.041868
    expect(step("swaggystacks", "api_call").fromVisit).toEqual({ x: 20, n: 200, rate: 0.1, ci: { low: 0.06567, high: 0.149406 } });
    // 18/100 = 0.18: center (0.18 + 0.019207) / 1.038415 = 0.191838, half 1.959964·√(0.001476 + 0.000096)/1.038415 = 0.074836
    expect(step("scientiacapital", "api_call").fromVisit).toEqual({ x: 18, n: 100, rate: 0.18, ci: { low: 0.117002, high: 0.266674 } });
  });

  it("step-to-step rates: of those who reached the previous step, the share who reached this one", () => {
    expect(report.brands.swaggystacks.steps.map((s) => s.fromPrevious && [s.fromPrevious.x, s.fromPrevious.n])).toEqual([null, [40, 200], [25, 50], [9, 25], [4, 9], [2, 10]]);
    expect(report.brands.scientiacapital.steps.map((s) => s.fromPrevious && [s.fromPrevious.x, s.fromPrevious.n])).toEqual([null, [30, 100], [18, 32], [9, 18], [3, 9], [3, 6]]);
    // 25/50 = 0.5: center = 0.5 exactly; half = 1.959964·√(0.005 + 0.000384)/1.076829 = 0.133555
    expect(step("swaggystacks", "api_call").fromPrevious).toEqual({ x: 25, n: 50, rate: 0.5, ci: { low: 0.366445, high: 0.633555 } });
    // 4/9 = 0.444444: 1 + z²/9 = 1.426829; center = (0.444444 + 0.213414)/1.426829 = 0.461064;
    // half = 1.959964·√(0.027435 + 0.011856)/1.426829 = 0.272285  →  [0.188779, 0.733349]
    expect(step("swaggystacks", "ide_setup").fromPrevious).toEqual({ x: 4, n: 9, rate: 0.444444, ci: { low: 0.188779, high: 0.733349 } });
    // 2/10 = 0.2: 1 + z²/10 = 1.384146; center = (0.2 + 0.192073)/1.384146 = 0.28326; half = 1.959964·√(0.016 + 0.009604)/1.384146 = 0.226578
    expect(step("swaggystacks", "upgrade").fromPrevious).toEqual({ x: 2, n: 10, rate: 0.2, ci: { low: 0.056682, high: 0.509838 } });
  });

  it("compares the brands step by step (swaggystacks − scientiacapital)", () => {
    expect(report.comparison.map((c) => c.step)).toEqual(["signup", "api_call", "deployment", "ide_setup", "upgrade"]);
    const signup = report.comparison[0]!;
    expect(signup.fromVisit.swaggystacks.rate).toBe(0.2);
    expect(signup.fromVisit.scientiacapital.rate).toBe(0.3);
    // worked out in "40/200 against 30/100" above
    expect(signup.fromVisit.difference).toEqual({ difference: -0.1, ci: { low: -0.205547, high: 0.005547 }, z: -1.930468, pValue: 0.053549 });

    // api call from visit: 20/200 vs 18/100. d = −0.08; SE = √(0.1·0.9/200 + 0.18·0.82/100) = √0.001926 = 0.043886;
    // CI = −0.08 ± 0.086015 → [−0.166015, 0.006015]; pooled 38/300 = 0.126667; SE0 = √(0.126667·0.873333·0.015) = 0.040735;
    // z = −1.963917; P = 0.049540 (significant at 5% although the CI of the unpooled SE just covers 0)
    expect(report.comparison[1]!.fromVisit.difference).toEqual({ difference: -0.08, ci: { low: -0.166015, high: 0.006015 }, z: -1.963917, pValue: 0.04954 });

    // api call from sign-up: 25/50 vs 18/32. d = 0.5 − 0.5625 = −0.0625; SE = √(0.005 + 0.246094/32) = √0.012690 = 0.112652;
    // CI = −0.0625 ± 0.220793 → [−0.283293, 0.158293]; pooled 43/82 = 0.524390; SE0 = √(0.524390·0.475610·(1/50 + 1/32)) = 0.113058;
    // z = −0.552816; P = 0.580390
    expect(report.comparison[1]!.fromPrevious.difference).toEqual({ difference: -0.0625, ci: { low: -0.283293, high: 0.158293 }, z: -0.552816, pValue: 0.58039 });

    // upgrade from visit: 4/200 vs 6/100. d = −0.04; SE = √(0.000098 + 0.000564) = 0.025729; CI = [−0.090429, 0.010429];
    // pooled 10/300; SE0 = √(0.033333·0.966667·0.015) = 0.021985; z = −1.819435; P = 0.068845
    expect(report.comparison[4]!.fromVisit.difference).toEqual({ difference: -0.04, ci: { low: -0.090429, high: 0.010429 }, z: -1.819435, pValue: 0.068845 });
  });

  it("sorts subjects into experiment arms; sign-ups without a visit are arm 'none'", () => {
    const copy = report.experiments.find((e) => e.id === "copy")!;
    expect(copy.control).toBe("tagline");
    expect(copy.variants.map((v) => [v.id, v.weight, v.overall.subjects, v.overall.visitors])).toEqual([
      ["tagline", 1, 300, 300],
      ["savings", 1, 0, 0],
      ["none", null, 12, 0],
    ]);
    const none = copy.variants[2]!;
    expect(none.byBrand.swaggystacks.steps.map((s) => s.count)).toEqual([0, 10, 5, 1, 0, 1]);
    expect(none.byBrand.scientiacapital.steps.map((s) => s.count)).toEqual([0, 2, 0, 0, 0, 0]);
    // An empty arm has no rates and nothing to compare.
    expect(copy.vsControl).toHaveLength(1);
    expect(copy.vsControl[0]!.steps[0]!.fromVisit.difference).toEqual({ difference: null, ci: null, z: null, pValue: null });
  });
});

describe("an experiment: variant against control", () => {
  /*
   * copy=tagline: 100 visitors, 10 signed up; copy=savings: 100 visitors, 20 signed up (split over both brands).
   * savings − tagline = 0.2 − 0.1: worked out in "20/100 against 10/100" above → P = 0.047670.
   */
  const arm = (copy: string) => ({ ...ALL_CONTROL, copy });
  const data: CohortRow[] = [
    ...rows("swaggystacks", arm("tagline"), [[[S], 50], [[S, "signup"], 5]]),
    ...rows("scientiacapital", arm("tagline"), [[[S], 40], [[S, "signup"], 5]]),
    ...rows("swaggystacks", arm("savings"), [[[S], 45], [[S, "signup"], 15]]),
    ...rows("scientiacapital", arm("savings"), [[[S], 35], [[S, "signup"], 5]]),
  ];
  const copy = buildReport(data, EXPERIMENTS).experiments.find((e) => e.id === "copy")!;

  it("reports each arm overall and per brand", () => {
    const savings = copy.variants.find((v) => v.id === "savings")!;
    expect(savings.overall.steps[1]!.fromVisit).toMatchObject({ x: 20, n: 100, rate: 0.2, ci: { low: 0.133367, high: 0.288829 } });
    expect(savings.byBrand.swaggystacks.steps[1]!.fromVisit).toMatchObject({ x: 15, n: 60, rate: 0.25 });
    expect(savings.byBrand.scientiacapital.steps[1]!.fromVisit).toMatchObject({ x: 5, n: 40, rate: 0.125 });
    // "none" appears only when there are such subjects.
    expect(copy.variants.map((v) => v.id)).toEqual(["tagline", "savings"]);
  });

  it("tests the variant against the control", () => {
    expect(copy.vsControl.map((v) => v.variant)).toEqual(["savings"]);
    const signup = copy.vsControl[0]!.steps[0]!;
    expect(signup.fromVisit.variant.rate).toBe(0.2);
    expect(signup.fromVisit.control.rate).toBe(0.1);
    expect(signup.fromVisit.difference).toEqual({ difference: 0.1, ci: { low: 0.002002, high: 0.197998 }, z: 1.980295, pValue: 0.04767 });
  });
});
