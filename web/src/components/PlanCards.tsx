import { formatTokens, formatUsd, planName, type BillingInterval, type BillingOffer, type PaidPlan } from "../lib/billing-api";

const INTERVALS: [BillingInterval, string][] = [
  ["month", "Monthly"],
  ["year", "Annual"],
];

const PER: Record<BillingInterval, string> = { month: "month", year: "year" };

/** What a plan card's button does, decided by the screen. */
export type PlanAction = { kind: "upgrade" } | { kind: "current" } | { kind: "portal" } | { kind: "none" };

/**
 * The paid plans as cards, in the order given (the screen applies the visitor's pricing-order arm), with
 * a monthly / annual toggle. Presentational: the screen says what each button does and handles the tap.
 */
export function PlanCards({
  offers,
  interval,
  onInterval,
  actionFor,
  busy,
  onUpgrade,
  onPortal,
}: {
  /** Every offer, both intervals, already in display order. */
  offers: BillingOffer[];
  interval: BillingInterval;
  onInterval: (interval: BillingInterval) => void;
  actionFor: (plan: PaidPlan) => PlanAction;
  /** The plan whose button is working (checkout being created), if any; every button waits meanwhile. */
  busy: PaidPlan | "portal" | null;
  onUpgrade: (plan: PaidPlan) => void;
  onPortal: () => void;
}) {
  const shown = offers.filter((o) => o.interval === interval);
  const monthly = (plan: PaidPlan) => offers.find((o) => o.plan === plan && o.interval === "month");
  return (
    <section aria-labelledby="plans-title" data-testid="plans">
      <h3 id="plans-title">Plans</h3>
      <div class="interval-toggle" role="group" aria-label="Billing interval">
        {INTERVALS.map(([value, label]) => (
          <button key={value} type="button" class="chip" aria-pressed={interval === value} onClick={() => onInterval(value)}>
            {label}
          </button>
        ))}
      </div>
      <ul class="plan-cards" data-testid="plan-cards">
        {shown.map((o) => {
          const action = actionFor(o.plan);
          const month = monthly(o.plan);
          const saving = o.interval === "year" && month ? month.priceUsd * 12 - o.priceUsd : 0;
          const title = `plan-${o.plan}-title`;
          return (
            <li key={`${o.plan}-${o.interval}`} class="card plan-card" data-plan={o.plan} data-testid="plan-card" aria-labelledby={title}>
              <h4 id={title}>{planName(o.plan)}</h4>
              <p class="plan-price">
                <strong data-testid="plan-price">{formatUsd(o.priceUsd)}</strong> / {PER[o.interval]}
              </p>
              {saving > 0 && (
                <p class="small saving">
                  {formatUsd(o.priceUsd / 12)} a month · save {formatUsd(saving)} a year
                </p>
              )}
              <ul class="plan-facts">
                <li>{formatTokens(o.monthlyTokens)} tokens a month</li>
                <li>{o.includedSeats === 1 ? "1 seat" : `${o.includedSeats} seats included, more billed per seat`}</li>
              </ul>
              {action.kind === "upgrade" && (
                <button type="button" class="primary block" disabled={busy !== null} onClick={() => onUpgrade(o.plan)}>
                  {busy === o.plan ? "Opening checkout…" : `Upgrade to ${planName(o.plan)}`}
                </button>
              )}
              {action.kind === "current" && (
                <p class="plan-current" data-testid="plan-current">
                  Your plan
                </p>
              )}
              {action.kind === "portal" && (
                <button type="button" class="secondary block" disabled={busy !== null} onClick={onPortal}>
                  Switch in billing portal
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
