import type { DeployEstimate } from "../lib/api";

const usd = (n: number, digits = 2) => `$${n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;

/** What a deployment would cost and save, laid out for a phone first. Presentational only. */
export function EstimateCard({ data }: { data: DeployEstimate }) {
  const { plan, estimate } = data;
  const best = [...estimate.comparison].sort((a, b) => b.savingPercent - a.savingPercent)[0];
  return (
    <section class="card" data-testid="estimate" aria-label={`Cost of deploying ${data.model}`}>
      <h2>{data.model}</h2>
      <p class="muted">
        {plan.engine === "vllm" ? "vLLM" : "SGLang"} on {plan.gpu.count}× {plan.gpu.label} · {plan.vram.totalGb.toFixed(1)} GB of VRAM ·{" "}
        {plan.vram.maxModelLen.toLocaleString("en-US")} tokens of context
      </p>
      <dl class="facts">
        <div>
          <dt>Per worker</dt>
          <dd data-testid="per-hour">{usd(estimate.perWorker.usdPerHour)}/h</dd>
        </div>
        <div>
          <dt>Per month</dt>
          <dd data-testid="monthly">
            {usd(estimate.monthly.minUsd, 0)}–{usd(estimate.monthly.maxUsd, 0)}
          </dd>
        </div>
        <div>
          <dt>Per million tokens</dt>
          <dd data-testid="per-million">{usd(estimate.perMillionTokens.usd, 4)}</dd>
        </div>
      </dl>
      <p class="muted small">
        {plan.scaling.workersMin}–{plan.scaling.workersMax} workers · {estimate.monthly.note}
      </p>
      {best && (
        <ul class="comparison" data-testid="comparison">
          {estimate.comparison.map((c) => (
            <li key={c.model}>
              <span>{c.model}</span>
              <span>{usd(c.usdPerMillion, 4)}/M</span>
              <strong class={c.savingPercent >= 0 ? "saving" : "dearer"}>{c.savingPercent >= 0 ? `save ${c.savingPercent}%` : `${-c.savingPercent}% dearer`}</strong>
            </li>
          ))}
        </ul>
      )}
      {plan.warnings.length > 0 && (
        <ul class="warnings">
          {plan.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
