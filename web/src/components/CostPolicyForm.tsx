import { useState } from "preact/hooks";
import { formatUsd } from "../lib/billing-api";
import type { AutoscaleMode, CostPolicy, CostPolicyChange } from "../lib/settings-api";

const MODES: { value: AutoscaleMode; label: string }[] = [
  { value: "apply", label: "Apply: deployments set to apply change their own scaling" },
  { value: "propose", label: "Propose only: changes wait for a person" },
  { value: "off", label: "Off: no predictive scaling anywhere" },
];

/** "" is no ceiling; anything else must be a non-negative number. */
function ceiling(raw: string): number | null | undefined {
  const t = raw.trim();
  if (!t) return null;
  const n = Number(t);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * The workspace's cost policy (issue 10): the most predictive scaling may do, the GPU price ceiling for pool
 * moves and the monthly GPU ceiling across deployments, with what its deployments are expected to cost.
 * Admins and owners change it; everyone else reads. Presentational.
 */
export function CostPolicyForm({ policy, editable, busy, error, saved, onSave }: { policy: CostPolicy; editable: boolean; busy: boolean; error: string | null; saved: boolean; onSave: (change: CostPolicyChange) => void }) {
  const [autoscale, setAutoscale] = useState<AutoscaleMode>(policy.autoscale);
  const [perHour, setPerHour] = useState(policy.maxWorkerUsdPerHour === null ? "" : String(policy.maxWorkerUsdPerHour));
  const [perMonth, setPerMonth] = useState(policy.gpuSpendCeilingUsdPerMonth === null ? "" : String(policy.gpuSpendCeilingUsdPerMonth));
  const [problem, setProblem] = useState<string | null>(null);
  const spend = (
    <p class="muted" data-testid="cost-policy-spend">
      {policy.deployments.length === 0
        ? "No live deployments: nothing is expected to cost anything yet."
        : `${policy.deployments.length} live deployment${policy.deployments.length === 1 ? "" : "s"}, expected to cost ${formatUsd(policy.expectedGpuSpendUsdPerMonth)} a month in GPU time.`}
    </p>
  );
  if (!editable) {
    return (
      <div data-testid="cost-policy">
        <dl class="policy-facts">
          <div>
            <dt>Predictive scaling</dt>
            <dd>{MODES.find((m) => m.value === policy.autoscale)?.label}</dd>
          </div>
          <div>
            <dt>GPU price ceiling</dt>
            <dd>{policy.maxWorkerUsdPerHour === null ? "none" : `${formatUsd(policy.maxWorkerUsdPerHour)} per worker-hour`}</dd>
          </div>
          <div>
            <dt>Monthly GPU ceiling</dt>
            <dd>{policy.gpuSpendCeilingUsdPerMonth === null ? "none" : `${formatUsd(policy.gpuSpendCeilingUsdPerMonth)} a month`}</dd>
          </div>
        </dl>
        {spend}
        <p class="muted">Only workspace admins and owners can change the cost policy.</p>
      </div>
    );
  }
  return (
    <form
      class="stack-form"
      data-testid="cost-policy"
      onSubmit={(e) => {
        e.preventDefault();
        const h = ceiling(perHour);
        const m = ceiling(perMonth);
        if (h === undefined || m === undefined) return setProblem("Ceilings are amounts in dollars, or empty for none.");
        setProblem(null);
        onSave({ autoscale, maxWorkerUsdPerHour: h, gpuSpendCeilingUsdPerMonth: m });
      }}
    >
      <label>
        Predictive scaling, at most
        <select name="autoscale" value={autoscale} onChange={(e) => setAutoscale((e.target as HTMLSelectElement).value as AutoscaleMode)}>
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        GPU price ceiling for pool moves (USD per worker-hour, empty for none)
        <input name="maxWorkerUsdPerHour" inputMode="decimal" value={perHour} onInput={(e) => setPerHour((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        Monthly GPU ceiling across deployments (USD, empty for none)
        <input name="gpuSpendCeilingUsdPerMonth" inputMode="decimal" value={perMonth} onInput={(e) => setPerMonth((e.target as HTMLInputElement).value)} />
      </label>
      {spend}
      {(problem ?? error) && (
        <p role="alert" class="refusal" data-testid="cost-policy-error">
          {problem ?? error}
        </p>
      )}
      {saved && !error && !problem && (
        <p role="status" class="muted" data-testid="cost-policy-saved">
          Saved. The next scaling pass (within 5 minutes) works within it.
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Saving…" : "Save cost policy"}
      </button>
    </form>
  );
}
