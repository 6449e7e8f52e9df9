import type { DeploymentListItem, DeploymentState } from "../lib/deployments-api";
import type { Usage } from "../lib/usage-api";

/**
 * The signed-in dashboard's cards (presentational): the month's budget and money, deployments at a
 * glance, quick links. Formatting helpers come in as props-free imports from the screen's libs.
 */
export function BudgetCard({ usage, error, formatTokens, formatUsd, month }: { usage: Usage | null; error: string | null; formatTokens: (n: number) => string; formatUsd: (n: number) => string; month: string }) {
  if (error)
    return (
      <article class="dash-card" data-testid="home-usage">
        <h3>This month</h3>
        <p role="alert" class="refusal" data-testid="home-usage-error">
          {error}
        </p>
      </article>
    );
  if (!usage)
    return (
      <article class="dash-card" data-testid="home-usage" aria-busy="true">
        <h3>This month</h3>
        <p class="muted">Loading…</p>
      </article>
    );
  const share = usage.budgetTokens ? Math.max(0, Math.min(1, (usage.remainingTokens ?? 0) / usage.budgetTokens)) : null;
  return (
    <article class="dash-card" data-testid="home-usage">
      <h3>{month}</h3>
      <dl class="dash-figures">
        <div class="dash-figure dash-budget">
          <dt>Budget left</dt>
          <dd data-testid="home-budget-left">{usage.remainingTokens === null ? "No monthly cap" : `${formatTokens(usage.remainingTokens)} tokens`}</dd>
          {usage.budgetTokens !== null && (
            <dd class="muted dash-sub" data-testid="home-budget-of">
              of {formatTokens(usage.budgetTokens)} on the {usage.plan} plan
            </dd>
          )}
          {share !== null && (
            <dd class="dash-bar" aria-hidden="true" title={`${Math.round(share * 100)}% of the budget left`}>
              <span style={{ width: `${share * 100}%` }} />
            </dd>
          )}
        </div>
        <div class="dash-figure">
          <dt>Spent</dt>
          <dd data-testid="home-spend">{formatUsd(usage.costUsd)}</dd>
        </div>
        <div class="dash-figure">
          <dt>Saved</dt>
          <dd data-testid="home-savings">{formatUsd(usage.savingsUsd)}</dd>
        </div>
      </dl>
      <a class="dash-link" href="/usage">
        Usage details →
      </a>
    </article>
  );
}

export function DeploymentsCard({ deployments, error, stateLabel }: { deployments: DeploymentListItem[] | null; error: string | null; stateLabel: Record<DeploymentState, string> }) {
  const live = deployments?.filter((d) => d.state !== "deleted") ?? [];
  const counts = new Map<DeploymentState, number>();
  for (const d of live) counts.set(d.state, (counts.get(d.state) ?? 0) + 1);
  const latest = [...live].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 3);
  return (
    <article class="dash-card" data-testid="home-deployments">
      <h3>Deployments</h3>
      {error ? (
        <p role="alert" class="refusal" data-testid="home-deployments-error">
          {error}
        </p>
      ) : !deployments ? (
        <p class="muted">Loading…</p>
      ) : live.length === 0 ? (
        <p class="muted" data-testid="home-deployments-empty">
          Nothing deployed yet. Pick an open model and deploy it in a few taps.
        </p>
      ) : (
        <>
          <ul class="dash-counts" data-testid="home-deployment-counts">
            {[...counts].map(([state, n]) => (
              <li key={state} data-state={state}>
                <strong>{n}</strong> {stateLabel[state]}
              </li>
            ))}
          </ul>
          <ul class="dash-latest">
            {latest.map((d) => (
              <li key={d.id}>
                <a href={`/deployments/${encodeURIComponent(d.id)}`} data-testid="home-deployment">
                  <span class="dash-latest-name">{d.name}</span>
                  <span class="muted dash-latest-state">{stateLabel[d.state]}</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <a class="dash-link" href="/deployments">
        All deployments →
      </a>
    </article>
  );
}

export const QUICK_LINKS: [href: string, label: string][] = [
  ["/models", "Models"],
  ["/keys", "Keys"],
  ["/ide", "IDE setup"],
  ["/usage", "Usage"],
  ["/billing", "Billing"],
  ["/settings", "Settings"],
];

export function QuickLinks({ links = QUICK_LINKS }: { links?: [string, string][] }) {
  return (
    <nav class="dash-quick" aria-label="Quick links" data-testid="home-quick-links">
      {links.map(([href, label]) => (
        <a key={href} href={href}>
          {label}
        </a>
      ))}
    </nav>
  );
}

/** What a signed-out visitor sees: the brand in a sentence and where to start. */
export function Pitch({ brandName }: { brandName: string }) {
  return (
    <article class="dash-pitch" data-testid="home-pitch">
      <h2>Open models, your own endpoints, a fraction of the bill</h2>
      <p>
        {brandName} runs open-weight models on GPUs you control and answers the OpenAI, Anthropic and Gemini SDKs you already use, so your
        tools keep working while the cost drops.
      </p>
      <div class="dash-pitch-links">
        <a class="dash-cta" href="/signup">
          Create an account
        </a>
        <a href="/models">Browse models</a>
        <a href="/">Estimate your price</a>
        <a href="/signin?next=/home">Sign in</a>
      </div>
    </article>
  );
}
