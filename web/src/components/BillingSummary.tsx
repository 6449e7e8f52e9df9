import { formatDate, formatTokens, formatUsd, planName, type BillingInfo, type BillingSubscription } from "../lib/billing-api";

const INTERVAL_NAME: Record<string, string> = { month: "monthly", year: "annual" };

/** One sentence on where the subscription stands; past_due is a warning (the plan is kept until the grace ends). */
function SubscriptionStatus({ sub }: { sub: BillingSubscription }) {
  const plan = planName(sub.plan);
  const ends = sub.currentPeriodEnd ? formatDate(sub.currentPeriodEnd) : null;
  if (sub.status === "past_due") {
    return (
      <p role="alert" class="refusal" data-testid="subscription-status">
        The last payment for {plan} failed.{" "}
        {sub.graceUntil ? (
          <>
            Update your card in Manage billing: {plan} stays on until <strong data-testid="grace-until">{formatDate(sub.graceUntil)}</strong> (grace until then), then the workspace moves to Free.
          </>
        ) : (
          <>Update your card in Manage billing to keep {plan}.</>
        )}
      </p>
    );
  }
  let text: string;
  if (sub.status === "canceled") text = `The ${plan} subscription has ended.`;
  else if (sub.cancelAtPeriodEnd) text = ends ? `Cancels at the end of the period: ${plan} until ${ends}, then Free.` : `Cancels at the end of the period, then Free.`;
  else if (sub.status === "trialing") text = sub.trialEnd ? `Free trial of ${plan} until ${formatDate(sub.trialEnd)}; billing starts then.` : `Free trial of ${plan}.`;
  else if (sub.status === "active") text = `${plan}, billed ${INTERVAL_NAME[sub.interval] ?? sub.interval}${ends ? `; renews on ${ends}` : ""}.`;
  else text = `${plan} subscription: ${sub.status.replaceAll("_", " ")}.`;
  return (
    <p class="muted" data-testid="subscription-status">
      {text}
      {sub.seats > 1 && ` ${sub.seats} seats.`}
    </p>
  );
}

/**
 * The plan the workspace is on, its subscription, and what comes next: the subscription's next charge
 * plus the usage billed on top so far this period (at cost plus the stated markup).
 */
export function BillingSummary({ info }: { info: BillingInfo }) {
  const { subscription: sub, upcoming, usage } = info;
  const total = (upcoming?.amountUsd ?? 0) + usage.billedUsd;
  const hasCharge = upcoming !== null || usage.billedUsd > 0;
  return (
    <section class="card" aria-labelledby="current-plan-title" data-testid="billing-summary">
      <h3 id="current-plan-title">Current plan</h3>
      <p class="plan-now">
        <strong data-testid="current-plan">{planName(info.plan)}</strong>
        <span class="muted"> · </span>
        <span data-testid="plan-tokens">{formatTokens(info.budgetTokens)} tokens a month</span>
      </p>
      {sub ? <SubscriptionStatus sub={sub} /> : <p class="muted">No subscription.</p>}

      <h3>Upcoming charge</h3>
      {hasCharge ? (
        <dl class="facts">
          <div>
            <dt>Subscription</dt>
            <dd data-testid="upcoming-subscription">{formatUsd(upcoming?.amountUsd ?? 0)}</dd>
          </div>
          <div>
            <dt>Usage so far</dt>
            <dd data-testid="upcoming-usage">{formatUsd(usage.billedUsd)}</dd>
          </div>
          <div>
            <dt>{upcoming?.at ? `Due ${formatDate(upcoming.at)}` : "Next invoice"}</dt>
            <dd data-testid="upcoming-total">{formatUsd(total)}</dd>
          </div>
        </dl>
      ) : (
        <p class="muted" data-testid="upcoming-none">
          {sub?.cancelAtPeriodEnd ? "No further charges: the subscription cancels at the end of the period." : "Nothing due."}
        </p>
      )}
      <p class="muted small" data-testid="markup-note">
        Usage beyond the plan and GPU time are billed at cost plus {usage.markupPercent}% and added to the next invoice
        {usage.lines > 0 ? ` (${usage.lines} ${usage.lines === 1 ? "line" : "lines"} in ${usage.period} so far)` : ""}.
      </p>
    </section>
  );
}
