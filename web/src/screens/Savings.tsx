import { useEffect, useState } from "preact/hooks";
import { SavingsSummary } from "../components/SavingsSummary";
import { SessionGate } from "../components/SessionGate";
import { ApiError } from "../lib/api";
import { monthLabel, reportsApi, type SavingsReportResponse } from "../lib/reports-api";
import { useSession } from "../lib/session";
import { RetryError } from "../components/RetryError";

const OFFLINE = "Could not reach the platform; check your connection.";
const messageOf = (err: unknown) => (err instanceof ApiError ? err.message : OFFLINE);
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month named in the address (?month=YYYY-MM), so a report can be bookmarked or shared with a teammate. */
function monthFromUrl(): string | undefined {
  const m = new URLSearchParams(location.search).get("month") ?? "";
  return MONTH.test(m) ? m : undefined;
}

/**
 * The workspace's monthly savings report: what it spent through the bridge, what the same traffic would
 * have cost on the Western models it named, per model, and the month as a CSV file.
 */
export function Savings() {
  const { session, signIn } = useSession();
  return (
    <section aria-labelledby="savings-title">
      <h2 id="savings-title">Savings report</h2>
      <SessionGate session={session} reason="Sign in to see what your workspace spent and saved." onSignIn={(e, p) => void signIn(e, p)}>
        {() => <SavingsPanel />}
      </SessionGate>
    </section>
  );
}

function SavingsPanel() {
  const [month, setMonth] = useState<string | undefined>(monthFromUrl);
  const [options, setOptions] = useState<string[]>([]);
  const [report, setReport] = useState<SavingsReportResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(true);
  // Bumped by "Try again": the same month asks again (a failed load of it is not final).
  const [attempt, setAttempt] = useState(0);

  // The picker: the current month and every month with usage (a month without any is an empty report).
  useEffect(() => {
    let current = true;
    reportsApi.months().then(
      (m) => current && setOptions([...new Set([m.current, ...m.months, ...(month ? [month] : [])])].sort().reverse()),
      () => undefined, // the report's own error says what is wrong
    );
    return () => {
      current = false;
    };
  }, []); // once: the month in the address, if any, is added to the choices

  useEffect(() => {
    let current = true;
    setBusy(true);
    setError(null);
    reportsApi.savings(month).then(
      (r) => {
        if (!current) return;
        setReport(r);
        setBusy(false);
      },
      (err: unknown) => {
        if (!current) return;
        setReport(null);
        setError(messageOf(err));
        setBusy(false);
      },
    );
    return () => {
      current = false;
    };
  }, [month, attempt]);

  function choose(next: string) {
    const url = new URL(location.href);
    url.searchParams.set("month", next);
    history.replaceState(null, "", url);
    setMonth(next);
  }

  const shown = month ?? report?.period.month;
  const choices = shown && !options.includes(shown) ? [shown, ...options] : options;

  return (
    <>
      <form class="stack-form" onSubmit={(e) => e.preventDefault()}>
        <label>
          Month
          <select
            name="month"
            data-testid="month-picker"
            value={shown ?? ""}
            disabled={choices.length === 0}
            onChange={(e) => choose((e.target as HTMLSelectElement).value)}
            style={{ font: "inherit", minHeight: "44px", padding: ".5rem .75rem", borderRadius: ".5rem", border: "1px solid color-mix(in srgb, currentColor 25%, transparent)", background: "transparent", color: "inherit" }}
          >
            {choices.map((m) => (
              <option key={m} value={m}>
                {monthLabel(m)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p class="muted small" aria-live="polite">
        {busy ? "Loading the report…" : report ? `Workspace: ${report.workspace.name}` : ""}
      </p>
      {error && <RetryError message={error} testId="savings-error" className="savings-error" onRetry={() => setAttempt((n) => n + 1)} />}
      {report && (
        <div style={busy ? { opacity: 0.6 } : undefined} aria-busy={busy}>
          <SavingsSummary report={report} />
        </div>
      )}
    </>
  );
}
