import { formatMonth, formatPercent, formatTokens, type Usage } from "../lib/usage-api";

/**
 * The month's token budget as a meter: used (and held by calls in flight) against the plan's budget, with
 * what is left in words first. A workspace without a cap gets the count and no meter.
 */
export function BudgetMeter({ usage }: { usage: Pick<Usage, "budgetTokens" | "usedTokens" | "reservedTokens" | "remainingTokens" | "plan" | "period"> }) {
  const { budgetTokens: budget, usedTokens: used, reservedTokens: reserved, remainingTokens: remaining } = usage;
  const plan = usage.plan ? usage.plan[0]!.toUpperCase() + usage.plan.slice(1) : "";
  if (budget === null) {
    return (
      <section class="card usage-budget" aria-labelledby="budget-title" data-testid="budget">
        <h3 id="budget-title">Budget in {formatMonth(usage.period.start)}</h3>
        <p class="usage-left">
          <strong data-testid="budget-used" data-value={used}>
            {formatTokens(used)}
          </strong>{" "}
          tokens used · no monthly cap on {plan}
        </p>
      </section>
    );
  }
  const share = (n: number) => (budget > 0 ? Math.min(100, (n / budget) * 100) : 100);
  const usedPct = share(used);
  const reservedPct = Math.min(100 - usedPct, share(reserved));
  const left = remaining ?? Math.max(0, budget - used - reserved);
  const low = left <= budget * 0.1;
  const text = `${formatTokens(used)} of ${formatTokens(budget)} tokens used (${formatPercent(budget > 0 ? (used / budget) * 100 : 0)}), ${formatTokens(left)} left`;
  return (
    <section class="card usage-budget" aria-labelledby="budget-title" data-testid="budget">
      <h3 id="budget-title">Budget in {formatMonth(usage.period.start)}</h3>
      <p class="usage-left">
        <strong data-testid="budget-remaining" data-value={left}>
          {formatTokens(left)}
        </strong>{" "}
        tokens left of {formatTokens(budget)} on {plan}
      </p>
      <div class={`usage-meter${low ? " usage-meter-low" : ""}`} role="meter" aria-label="Tokens used this month" aria-valuemin={0} aria-valuemax={budget} aria-valuenow={Math.min(used, budget)} aria-valuetext={text} data-testid="budget-meter">
        <span class="usage-meter-used" style={{ width: `${usedPct}%` }} />
        {reservedPct > 0 && <span class="usage-meter-reserved" style={{ width: `${reservedPct}%` }} />}
      </div>
      <dl class="usage-legend">
        <div>
          <dt>
            <span class="usage-swatch usage-swatch-used" aria-hidden="true" />
            Used
          </dt>
          <dd data-testid="budget-used" data-value={used}>
            {formatTokens(used)}
          </dd>
        </div>
        <div>
          <dt>
            <span class="usage-swatch usage-swatch-reserved" aria-hidden="true" />
            In flight
          </dt>
          <dd data-testid="budget-reserved" data-value={reserved}>
            {formatTokens(reserved)}
          </dd>
        </div>
        <div>
          <dt>Budget</dt>
          <dd data-testid="budget-total" data-value={budget}>
            {formatTokens(budget)}
          </dd>
        </div>
      </dl>
      {low && (
        <p class="refusal small" data-testid="budget-low">
          {left === 0 ? "The budget is used up: calls are refused until next month, or upgrade on " : "Under 10% left this month. More tokens on "}
          <a href="/billing">Billing</a>.
        </p>
      )}
    </section>
  );
}
