import { describe, expect, it } from "vitest";
import {
  applyPolicyInput,
  autoscaleBounds,
  costPolicyInput,
  DEFAULT_COST_POLICY,
  effectiveMode,
  expectedMonthlyUsd,
  explainBounds,
  lowerCeiling,
  poolPriceCeiling,
} from "../../../workers/deploy/cost-policy";
import type { Proposal } from "../../../workers/deploy/forecast";

describe("workspace cost policy", () => {
  it("the lesser mode wins: off < propose < apply", () => {
    const table: [string, string, string][] = [
      ["apply", "apply", "apply"],
      ["apply", "propose", "propose"],
      ["apply", "off", "off"],
      ["propose", "apply", "propose"],
      ["propose", "off", "off"],
      ["off", "apply", "off"],
    ];
    for (const [dep, ws, want] of table) expect(effectiveMode(dep as "off", ws as "off"), `${dep} within ${ws}`).toBe(want);
  });

  it("the lower ceiling holds; null is none", () => {
    expect(lowerCeiling(null, null)).toBeNull();
    expect(lowerCeiling(2, null)).toBe(2);
    expect(lowerCeiling(null, 3)).toBe(3);
    expect(lowerCeiling(2, 1.5)).toBe(1.5);
    expect(poolPriceCeiling({ maxWorkerUsdPerHour: 4 }, { ...DEFAULT_COST_POLICY, maxWorkerUsdPerHour: 2.5 })).toBe(2.5);
    expect(poolPriceCeiling({ maxWorkerUsdPerHour: null }, DEFAULT_COST_POLICY)).toBeNull();
  });

  it("a deployment's monthly ceiling is what the workspace's leaves after its siblings, when that is lower", () => {
    const settings = { autoscale: "apply" as const, costCeilingUsdPerMonth: 100 };
    // No workspace ceiling: the deployment's own.
    expect(autoscaleBounds(settings, DEFAULT_COST_POLICY, 500)).toEqual({ mode: "apply", modeReason: null, ceilingUsdPerMonth: 100, ceilingReason: null });
    // $300 - $250 of siblings = $50 < $100: the workspace binds, and says why.
    const tight = autoscaleBounds(settings, { ...DEFAULT_COST_POLICY, gpuSpendCeilingUsdPerMonth: 300 }, 250);
    expect(tight.ceilingUsdPerMonth).toBe(50);
    expect(tight.ceilingReason).toBe("the workspace's GPU ceiling of $300.00/month less $250.00/month expected on its other deployments leaves $50.00/month");
    // $1000 - $250 = $750 > $100: the deployment's own binds.
    expect(autoscaleBounds(settings, { ...DEFAULT_COST_POLICY, gpuSpendCeilingUsdPerMonth: 1000 }, 250)).toMatchObject({ ceilingUsdPerMonth: 100, ceilingReason: null });
    // Siblings already over the ceiling: nothing left, never negative.
    expect(autoscaleBounds({ autoscale: "propose", costCeilingUsdPerMonth: null }, { ...DEFAULT_COST_POLICY, gpuSpendCeilingUsdPerMonth: 10 }, 25).ceilingUsdPerMonth).toBe(0);
    // The workspace lowers the mode and says so.
    expect(autoscaleBounds(settings, { ...DEFAULT_COST_POLICY, autoscale: "propose" }, 0)).toMatchObject({ mode: "propose", modeReason: "the workspace allows autoscale 'propose' at most (this deployment asks for 'apply')" });
  });

  it("the explanation names the workspace's part and keeps `capped` as its last line", () => {
    const p: Proposal = { workersMin: 0, workersMax: 1, idleTimeoutSeconds: 60, slots: [3], monthlyUsd: 0.5, capped: "capped by the ceiling of $0.50/month: the pattern would cost $9.00/month", explanation: ["now: …", "quiet hour", "capped by the ceiling of $0.50/month: the pattern would cost $9.00/month"] };
    const out = explainBounds(p, { mode: "propose", modeReason: "the workspace allows autoscale 'propose' at most (this deployment asks for 'apply')", ceilingUsdPerMonth: 0.5, ceilingReason: "the workspace's GPU ceiling of $10.00/month less $9.50/month expected on its other deployments leaves $0.50/month" });
    expect(out.capped).toBe("capped by the ceiling of $0.50/month: the pattern would cost $9.00/month (the workspace's GPU ceiling of $10.00/month less $9.50/month expected on its other deployments leaves $0.50/month)");
    expect(out.explanation).toEqual(["now: …", "quiet hour", "proposed only: the workspace allows autoscale 'propose' at most (this deployment asks for 'apply')", out.capped]);
    expect(p.explanation.length).toBe(3); // the input is untouched
    const uncapped = explainBounds({ ...p, capped: null, explanation: ["now"] }, { mode: "apply", modeReason: null, ceilingUsdPerMonth: 40, ceilingReason: "room" });
    expect(uncapped.explanation).toEqual(["now", "within room"]);
    expect(uncapped.capped).toBeNull();
  });

  it("a sibling without a forecast is expected to cost its always-on workers", () => {
    // 2 workers × $0.000306/s × 3600 × 730 = $1,608.34
    expect(expectedMonthlyUsd({ lastForecastUsd: null, workersMin: 2, workerMicrosPerSecond: 306 })).toBeCloseTo(1608.336, 3);
    expect(expectedMonthlyUsd({ lastForecastUsd: 12.5, workersMin: 2, workerMicrosPerSecond: 306 })).toBe(12.5);
    expect(expectedMonthlyUsd({ lastForecastUsd: null, workersMin: 0, workerMicrosPerSecond: 306 })).toBe(0);
  });

  it("PUT input: partial updates, null clears, anything else is refused", () => {
    const current = { autoscale: "apply" as const, maxWorkerUsdPerHour: 2, gpuSpendCeilingUsdPerMonth: 500 };
    expect(applyPolicyInput(current, { autoscale: "propose" })).toEqual({ ...current, autoscale: "propose" });
    expect(applyPolicyInput(current, { maxWorkerUsdPerHour: null })).toEqual({ ...current, maxWorkerUsdPerHour: null });
    expect(costPolicyInput.safeParse({ autoscale: "sometimes" }).success).toBe(false);
    expect(costPolicyInput.safeParse({ maxWorkerUsdPerHour: -1 }).success).toBe(false);
    expect(costPolicyInput.safeParse({ gpuSpendCeilingUsdPerMonth: "100" }).success).toBe(false);
    expect(costPolicyInput.safeParse({ extra: 1 }).success).toBe(false);
  });
});
