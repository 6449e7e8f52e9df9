import { useEffect, useState } from "preact/hooks";
import { BudgetMeter } from "../components/BudgetMeter";
import { SessionGate } from "../components/SessionGate";
import { BreakdownChart, DailyChart, SavingsChart, type Metric, type Row } from "../components/UsageCharts";
import { ApiError } from "../lib/api";
import { keysApi, type ApiKey } from "../lib/keys-api";
import { useSession } from "../lib/session";
import { daysOfPeriod, formatPercent, formatUsd, savingsOf, usageApi, type Usage as UsageData } from "../lib/usage-api";
import "../styles-usage.css";
import { RetryError } from "../components/RetryError";

const OFFLINE = "Could not reach the platform; check your connection.";
const messageOf = (err: unknown) => (err instanceof ApiError ? err.message : OFFLINE);

/**
 * The workspace's month so far: the token budget left (a meter), what it cost and saved against Western
 * models, and charts by day, by model and by key, each with its numbers as a table for screen readers.
 */
export function Usage({ brandName }: { brandName: string }) {
  const { session, signIn } = useSession();
  return (
    <section aria-labelledby="usage-title" class="usage-screen">
      <h2 id="usage-title">Usage</h2>
      <SessionGate session={session} reason={`Sign in to see your workspace's usage on ${brandName}.`} onSignIn={(e, p) => void signIn(e, p)}>
        {() => <UsagePanel />}
      </SessionGate>
    </section>
  );
}

/** A key's name for the charts: its name and prefix, or what the calls without a key were. */
function keyLabel(keyId: string | null, keys: Map<string, ApiKey>): string {
  // The playground and OAuth-connected tools pay as the workspace itself, without a key.
  if (!keyId) return "Playground and OAuth apps (no key)";
  const k = keys.get(keyId);
  if (!k) return `Key ${keyId.slice(0, 8)}`;
  return `${k.name} (${k.prefix})${k.revokedAt ? ", revoked" : ""}`;
}

function UsagePanel() {
  const [usage, setUsage] = useState<UsageData | null>(null);
  const [keys, setKeys] = useState<Map<string, ApiKey>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const [metric, setMetric] = useState<Metric>("tokens");

  useEffect(() => {
    let current = true;
    setError(null);
    usageApi.get().then(
      (u) => current && setUsage(u),
      (err: unknown) => current && setError(messageOf(err)),
    );
    // Names for the by-key chart; without them (a viewer, a blip) keys are shown by id.
    keysApi.list().then(
      (ks) => current && setKeys(new Map(ks.map((k) => [k.id, k]))),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [round]);

  if (error) {
    return <RetryError className="usage-error" testId="usage-error" message={error} onRetry={() => setRound((r) => r + 1)} />;
  }
  if (!usage) {
    return (
      <p class="muted" aria-live="polite">
        Loading usage…
      </p>
    );
  }

  const { baselineUsd, savedPercent } = savingsOf(usage);
  const empty = usage.byDay.length === 0;
  const days: Row[] = daysOfPeriod(usage).map((d) => ({ ...d, label: d.day }));
  const models: Row[] = usage.byModel.map((m) => ({ ...m, label: m.model }));
  const byKey: Row[] = usage.byKey.map((k) => ({ ...k, label: keyLabel(k.keyId, keys) }));

  return (
    <div data-testid="usage">
      <BudgetMeter usage={usage} />

      <section class="card" aria-labelledby="money-title" data-testid="usage-money">
        <h3 id="money-title">Cost and savings</h3>
        <dl class="facts">
          <div>
            <dt>Spent</dt>
            <dd data-testid="usage-cost" data-value={usage.costUsd}>
              {formatUsd(usage.costUsd)}
            </dd>
          </div>
          <div>
            <dt>On Western models</dt>
            <dd data-testid="usage-baseline" data-value={baselineUsd}>
              {formatUsd(baselineUsd)}
            </dd>
          </div>
          <div>
            <dt>Saved</dt>
            <dd data-testid="usage-savings" data-value={usage.savingsUsd} class={usage.savingsUsd > 0 ? "usage-text-saving" : undefined}>
              {formatUsd(usage.savingsUsd)}
              <span class="small usage-pct"> ({formatPercent(savedPercent)})</span>
            </dd>
          </div>
        </dl>
        <p class="muted small">
          Saved is against the Western model each call named (what the same tokens would have cost there). The month as a report and CSV: <a href="/savings">Savings</a>.
        </p>
      </section>

      {empty ? (
        <div class="card" data-testid="usage-empty">
          <p>
            <strong>No calls yet this month.</strong>
          </p>
          <p class="muted">
            Make a key on <a href="/keys">Keys</a> and point any OpenAI, Anthropic or Gemini SDK at this platform; the calls show up here by day, model and key.
          </p>
        </div>
      ) : (
        <>
          <div class="usage-metric" role="group" aria-label="Charts show">
            {(["tokens", "cost"] as const).map((m) => (
              <button key={m} type="button" class="chip" aria-pressed={metric === m} data-testid={`metric-${m}`} onClick={() => setMetric(m)}>
                {m === "tokens" ? "Tokens" : "Cost"}
              </button>
            ))}
          </div>
          <DailyChart days={days} metric={metric} />
          <BreakdownChart id="by-model" title="By model" head="Model" rows={models} metric={metric} />
          <BreakdownChart id="by-key" title="By key" head="Key" rows={byKey} metric={metric} />
          <SavingsChart rows={models} total={usage} />
        </>
      )}
    </div>
  );
}
