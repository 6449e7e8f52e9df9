import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Me } from "../lib/api";
import { useOnline } from "../lib/online";
import {
  formatMinutes,
  formatUptime,
  formatWhen,
  STATUS_GLYPH,
  STATUS_LABEL,
  statusApi,
  type CurrentStatus,
  type DeploymentsStatus,
  type PlatformStatus,
  type StatusComponent,
} from "../lib/status-api";
import "../styles-status.css";
import { RetryError } from "../components/RetryError";

const UNREACHABLE = "Could not reach the platform; check your connection.";
const messageOf = (err: unknown) => (err instanceof ApiError ? err.message : UNREACHABLE);

/**
 * The status page (/status, public): the platform's and each upstream's health as the cron recorded it,
 * 90-day uptime bars, incidents, the 99.9% availability target with this month's error budget, and the
 * signed-in workspace's deployments. Every status is a word and a glyph, never colour alone.
 */
export function Status({ brandName }: { brandName: string }) {
  const online = useOnline();
  const [status, setStatus] = useState<PlatformStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let current = true;
    setError(null);
    statusApi.get().then(
      (s) => current && setStatus(s),
      (err: unknown) => current && setError(messageOf(err)),
    );
    return () => {
      current = false;
    };
  }, [round]);

  return (
    <section aria-labelledby="status-title" class="status-screen">
      <h2 id="status-title">{status?.name ?? `${brandName} status`}</h2>
      {error && !status ? (
        <RetryError className="status-error" testId="status-error" message={error} onRetry={() => setRound((r) => r + 1)} />
      ) : !status ? (
        <p class="muted" aria-live="polite">
          Loading status…
        </p>
      ) : (
        <StatusBody status={status} online={online} />
      )}
      {online && <YourDeployments />}
    </section>
  );
}

function Chip({ status, testId }: { status: CurrentStatus; testId?: string }) {
  return (
    <span class={`status-chip status-${status}`} data-status={status} data-testid={testId}>
      <span aria-hidden="true">{STATUS_GLYPH[status]}</span> {STATUS_LABEL[status]}
    </span>
  );
}

function StatusBody({ status, online }: { status: PlatformStatus; online: boolean }) {
  const b = status.budget;
  return (
    <div data-testid="status-page">
      {!online && (
        <p class="status-offline" role="status" data-testid="status-offline">
          You are offline: this is the status as last seen, at {formatWhen(status.generatedAt)}.
        </p>
      )}
      <p class={`status-banner status-${status.overall.status}`} data-testid="status-overall" data-status={status.overall.status}>
        <span aria-hidden="true">{STATUS_GLYPH[status.overall.status]}</span> {status.overall.text}
      </p>

      <section class="card" aria-labelledby="target-title" data-testid="status-target">
        <h3 id="target-title">Availability target: {status.target.availabilityPercent}%</h3>
        <dl class="facts status-facts">
          <div>
            <dt>This month ({b.month})</dt>
            <dd data-testid="status-availability">{formatUptime(b.availabilityPercent)}</dd>
          </div>
          <div>
            <dt>Error budget left</dt>
            <dd data-testid="status-budget">
              {formatMinutes(Math.max(0, b.remainingMinutes))} of {formatMinutes(b.budgetMinutes)}
            </dd>
          </div>
        </dl>
        <div
          class="status-meter"
          role="meter"
          aria-label="Error budget left this month"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={b.remainingPercent}
          aria-valuetext={`${b.remainingPercent}% of the month's ${formatMinutes(b.budgetMinutes)} left (${formatMinutes(b.usedMinutes)} used)`}
        >
          <span style={{ width: `${b.remainingPercent}%` }} />
        </div>
        <p class="muted small">
          {status.target.availabilityPercent}% allows {formatMinutes(b.budgetMinutes)} of platform downtime a month. Measured every {status.target.sampleIntervalMinutes} minutes:
          down counts fully, degraded half.
        </p>
      </section>

      <section class="card" aria-labelledby="components-title">
        <h3 id="components-title">Components</h3>
        <ul class="status-components" data-testid="status-components">
          {status.components.map((c) => (
            <ComponentRow key={c.id} c={c} />
          ))}
        </ul>
      </section>

      <section class="card" aria-labelledby="incidents-title" data-testid="status-incidents">
        <h3 id="incidents-title">Incidents, last 90 days</h3>
        {status.incidents.length === 0 ? (
          <p class="muted" data-testid="status-no-incidents">
            No incidents in the last 90 days.
          </p>
        ) : (
          <ol class="status-incidents">
            {status.incidents.map((i) => (
              <li key={i.id} data-testid="status-incident" data-ongoing={i.ongoing ? "true" : undefined}>
                <Chip status={i.worst} />{" "}
                <strong>{i.componentNames.join(", ")}</strong>
                <span class="status-when">
                  {" "}
                  {i.ongoing ? `ongoing since ${formatWhen(i.start)} (${formatMinutes(i.durationMinutes)})` : `${formatWhen(i.start)} – ${formatWhen(i.end!)} (${formatMinutes(i.durationMinutes)})`}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
      <p class="muted small">Updated {formatWhen(status.generatedAt)}.</p>
    </div>
  );
}

function ComponentRow({ c }: { c: StatusComponent }) {
  const worstDays = c.days.filter((d) => d.worst && d.worst !== "up").length;
  const measured = c.days.filter((d) => d.uptime !== null).length;
  return (
    <li class="status-component" data-testid={`component-${c.id}`}>
      <div class="status-component-head">
        <strong>{c.name}</strong>
        <Chip status={c.status} testId={`component-${c.id}-status`} />
      </div>
      <div class="status-bars" role="img" aria-label={`${c.name}: 90-day uptime ${formatUptime(c.uptime.d90)}; ${measured} days measured, ${worstDays} with problems`}>
        {c.days.map((d) => (
          <span key={d.day} class={`status-bar status-bar-${d.worst ?? "none"}`} title={`${d.day}: ${d.uptime === null ? "no data" : formatUptime(d.uptime)}`} />
        ))}
      </div>
      <dl class="status-uptime" data-testid={`component-${c.id}-uptime`}>
        <div>
          <dt>24 h</dt>
          <dd>{formatUptime(c.uptime.h24)}</dd>
        </div>
        <div>
          <dt>7 d</dt>
          <dd>{formatUptime(c.uptime.d7)}</dd>
        </div>
        <div>
          <dt>30 d</dt>
          <dd>{formatUptime(c.uptime.d30)}</dd>
        </div>
        <div>
          <dt>90 d</dt>
          <dd>{formatUptime(c.uptime.d90)}</dd>
        </div>
      </dl>
    </li>
  );
}

/** The signed-in workspace's deployments and their RunPod workers; a sign-in hint otherwise. */
function YourDeployments() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [data, setData] = useState<DeploymentsStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    api.me().then(
      (m) => {
        if (!current) return;
        setMe(m);
        if (m)
          statusApi.deployments().then(
            (d) => current && setData(d),
            (err: unknown) => current && setError(messageOf(err)),
          );
      },
      () => current && setMe(null),
    );
    return () => {
      current = false;
    };
  }, []);

  if (me === undefined) return null;
  if (me === null) {
    return (
      <p class="muted small" data-testid="status-signin-hint">
        <a href="/signin">Sign in</a> to see your deployments' workers here.
      </p>
    );
  }
  return (
    <section class="card" aria-labelledby="your-deployments-title" data-testid="status-deployments">
      <h3 id="your-deployments-title">Your deployments</h3>
      {error ? (
        <p role="alert" class="refusal">
          {error}
        </p>
      ) : !data ? (
        <p class="muted" aria-live="polite">
          Loading your deployments…
        </p>
      ) : data.deployments.length === 0 ? (
        <p class="muted">
          No deployments in this workspace. <a href="/models">Deploy a model</a>.
        </p>
      ) : (
        <ul class="status-components">
          {data.deployments.map((d) => (
            <li key={d.id} class="status-component" data-testid="status-deployment">
              <div class="status-component-head">
                <strong>{d.name}</strong>
                <Chip status={d.status} />
              </div>
              <p class="muted small">
                {d.model} · {d.state}
                {d.workers
                  ? ` · ${d.workers.ready} ready, ${d.workers.initializing} initializing, ${d.workers.throttled} throttled, ${d.workers.idle} idle${d.workers.running ? `, ${d.workers.running} running` : ""}`
                  : " · workers unknown"}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
