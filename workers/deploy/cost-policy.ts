import { z } from "zod";
import type { Proposal } from "./forecast";
import type { ScalingSettings } from "./machine";

/**
 * The workspace's cost policy (issue 10), pure. A deployment's own scaling settings say what it wants; the
 * workspace's policy bounds all of them at once:
 * - `autoscale`: the most predictive scaling may do anywhere in the workspace. A deployment set to `apply`
 *   only proposes when the workspace allows `propose` at most, and does nothing when it says `off`.
 * - `maxWorkerUsdPerHour`: the price ceiling a GPU pool move must keep to (per worker-hour), on top of the
 *   deployment's own; the lower of the two holds.
 * - `gpuSpendCeilingUsdPerMonth`: what all the workspace's deployments together are expected to cost per
 *   month. One deployment's proposal gets what the others leave of it.
 * A workspace that never set a policy allows what its deployments ask for, with no workspace ceilings.
 */
export const AUTOSCALE_MODES = ["off", "propose", "apply"] as const;
export type AutoscaleMode = (typeof AUTOSCALE_MODES)[number];

export interface WorkspaceCostPolicy {
  autoscale: AutoscaleMode;
  maxWorkerUsdPerHour: number | null;
  gpuSpendCeilingUsdPerMonth: number | null;
}

export const DEFAULT_COST_POLICY: WorkspaceCostPolicy = { autoscale: "apply", maxWorkerUsdPerHour: null, gpuSpendCeilingUsdPerMonth: null };

/** PUT /api/cost-policy: every field optional (a partial update), null clears a ceiling. */
export const costPolicyInput = z
  .object({
    autoscale: z.enum(AUTOSCALE_MODES).optional(),
    maxWorkerUsdPerHour: z.number().min(0).max(1000).nullable().optional(),
    gpuSpendCeilingUsdPerMonth: z.number().min(0).max(10_000_000).nullable().optional(),
  })
  .strict();

export type CostPolicyInput = z.infer<typeof costPolicyInput>;

export function applyPolicyInput(current: WorkspaceCostPolicy, input: CostPolicyInput): WorkspaceCostPolicy {
  return {
    autoscale: input.autoscale ?? current.autoscale,
    maxWorkerUsdPerHour: input.maxWorkerUsdPerHour === undefined ? current.maxWorkerUsdPerHour : input.maxWorkerUsdPerHour,
    gpuSpendCeilingUsdPerMonth: input.gpuSpendCeilingUsdPerMonth === undefined ? current.gpuSpendCeilingUsdPerMonth : input.gpuSpendCeilingUsdPerMonth,
  };
}

/** The lesser of two modes (off < propose < apply). */
export function effectiveMode(deployment: AutoscaleMode, workspace: AutoscaleMode): AutoscaleMode {
  return AUTOSCALE_MODES[Math.min(AUTOSCALE_MODES.indexOf(deployment), AUTOSCALE_MODES.indexOf(workspace))]!;
}

/** The lower of two ceilings, null meaning none. */
export function lowerCeiling(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/** What one deployment's autoscaler works within, with the reason each bound exists (for the explanation). */
export interface AutoscaleBounds {
  mode: AutoscaleMode;
  /** Why the mode is lower than the deployment's own setting, null when it is not. */
  modeReason: string | null;
  ceilingUsdPerMonth: number | null;
  /** Where the ceiling comes from when the workspace's is the binding one, null otherwise. */
  ceilingReason: string | null;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/**
 * The mode and monthly ceiling for one deployment: its own settings bounded by the workspace's policy.
 * `othersMonthlyUsd` is what the workspace's other live deployments are expected to cost per month.
 */
export function autoscaleBounds(settings: Pick<ScalingSettings, "autoscale" | "costCeilingUsdPerMonth">, policy: WorkspaceCostPolicy, othersMonthlyUsd: number): AutoscaleBounds {
  const mode = effectiveMode(settings.autoscale, policy.autoscale);
  const modeReason = mode !== settings.autoscale ? `the workspace allows autoscale '${policy.autoscale}' at most (this deployment asks for '${settings.autoscale}')` : null;
  if (policy.gpuSpendCeilingUsdPerMonth === null) return { mode, modeReason, ceilingUsdPerMonth: settings.costCeilingUsdPerMonth, ceilingReason: null };
  const room = Math.max(0, Math.round((policy.gpuSpendCeilingUsdPerMonth - othersMonthlyUsd) * 100) / 100);
  const ceiling = lowerCeiling(settings.costCeilingUsdPerMonth, room);
  const binding = settings.costCeilingUsdPerMonth === null || room < settings.costCeilingUsdPerMonth;
  const ceilingReason = binding
    ? `the workspace's GPU ceiling of ${usd(policy.gpuSpendCeilingUsdPerMonth)}/month less ${usd(othersMonthlyUsd)}/month expected on its other deployments leaves ${usd(room)}/month`
    : null;
  return { mode, modeReason, ceilingUsdPerMonth: ceiling, ceilingReason };
}

/**
 * The proposal's explanation with the workspace's part in it: when the workspace's ceiling is the binding
 * one the `capped` line says where it comes from (and stays the explanation's last line), and a mode
 * lowered by the workspace says the proposal is only a proposal.
 */
export function explainBounds(p: Proposal, bounds: AutoscaleBounds): Proposal {
  const explanation = [...p.explanation];
  let capped = p.capped;
  if (bounds.modeReason) explanation.splice(capped ? explanation.length - 1 : explanation.length, 0, `proposed only: ${bounds.modeReason}`);
  if (bounds.ceilingReason) {
    if (capped) {
      const at = explanation.lastIndexOf(capped);
      capped = `${capped} (${bounds.ceilingReason})`;
      if (at >= 0) explanation[at] = capped;
    } else explanation.push(`within ${bounds.ceilingReason}`);
  }
  return { ...p, explanation, capped };
}

/** The per-worker-hour price ceiling a pool move keeps to: the deployment's and the workspace's, the lower one. */
export function poolPriceCeiling(settings: Pick<ScalingSettings, "maxWorkerUsdPerHour">, policy: WorkspaceCostPolicy): number | null {
  return lowerCeiling(settings.maxWorkerUsdPerHour, policy.maxWorkerUsdPerHour);
}

const HOURS_PER_MONTH = 730;

/**
 * A live deployment's expected monthly GPU cost, as its siblings' budget sees it: its latest forecast when
 * it has one, otherwise what its always-on workers cost (the least it will spend).
 */
export function expectedMonthlyUsd(d: { lastForecastUsd: number | null; workersMin: number; workerMicrosPerSecond: number }): number {
  if (d.lastForecastUsd !== null) return d.lastForecastUsd;
  return (d.workersMin * d.workerMicrosPerSecond * 3600 * HOURS_PER_MONTH) / 1_000_000;
}
