import { useCallback, useEffect, useState } from "preact/hooks";
import { SessionGate } from "../components/SessionGate";
import { ApiError } from "../lib/api";
import { fetchAdminFunnel, type AdminFunnel as Report, type Difference, type Proportion, type StepId } from "../lib/funnel-api";
import { useSession } from "../lib/session";

/**
 * /admin/funnel, for platform operators: the two domains side by side. For each step of the funnel, each
 * brand's conversion (from the visit, and from the step before) with its 95% interval, and the difference
 * between the brands with its interval and p-value; then each experiment's arms. Real tables with row
 * and column headers, so a screen reader reads "Sign-up, SwaggyStacks: 20.0%".
 */
const STEP_LABELS: Record<StepId, string> = {
  visit: "Visit",
  signup: "Sign-up",
  api_call: "First API call",
  deployment: "First deployment",
  ide_setup: "First IDE setup",
  upgrade: "Upgrade to a paid plan",
};

const BRAND_LABELS = { swaggystacks: "SwaggyStacks", scientiacapital: "ScientiaCapital" } as const;

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const pp = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${Math.abs(v * 100).toFixed(1)}`;

function rateText(p: Proportion): string {
  if (p.rate === null || !p.ci) return "no data";
  return `${pct(p.rate)} (${pct(p.ci.low)}–${pct(p.ci.high)}), ${p.x} of ${p.n}`;
}

function diffText(d: Difference): string {
  if (d.difference === null || !d.ci) return "no data";
  return `${pp(d.difference)} pp (${pp(d.ci.low)} to ${pp(d.ci.high)})`;
}

function pText(d: Difference): string {
  if (d.pValue === null) return "–";
  return d.pValue < 0.001 ? "< 0.001" : d.pValue.toFixed(3);
}

const cell = { padding: ".35rem .5rem", borderBottom: "1px solid color-mix(in srgb, currentColor 15%, transparent)", textAlign: "left", verticalAlign: "top" } as const;
const tableStyle = { width: "100%", borderCollapse: "collapse", fontSize: ".85rem" } as const;

export function AdminFunnel() {
  const { session, signIn } = useSession();
  return (
    <section aria-labelledby="funnel-title">
      <h2 id="funnel-title">Funnel by domain</h2>
      <SessionGate session={session} reason="Sign in as a platform operator to see the funnel." onSignIn={(e, p) => void signIn(e, p)}>
        {() => <FunnelPanel />}
      </SessionGate>
    </section>
  );
}

function FunnelPanel() {
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (window: { from?: string; to?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await fetchAdminFunnel(window);
      setReport(r);
      setFrom(r.window.from);
      setTo(r.window.to);
    } catch (err) {
      setError(err instanceof ApiError ? (err.status === 403 ? "Platform administrators only." : err.message) : "Could not reach the platform; check your connection.");
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load({});
  }, [load]);

  return (
    <>
      <form
        class="stack-form"
        aria-label="Date window"
        onSubmit={(e) => {
          e.preventDefault();
          void load({ from, to });
        }}
      >
        <label>
          From <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} required />
        </label>
        <label>
          To <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} required />
        </label>
        <button type="submit" class="secondary" disabled={busy}>
          {busy ? "Loading…" : "Show"}
        </button>
      </form>
      {error && (
        <p role="alert" class="refusal">
          {error}
        </p>
      )}
      {report && <ReportView report={report} />}
    </>
  );
}

function ReportView({ report }: { report: Report }) {
  const s = report.brands.swaggystacks;
  const c = report.brands.scientiacapital;
  return (
    <div aria-live="polite">
      <p class="muted">
        Everyone who first arrived from {report.window.from} to {report.window.to} (UTC), and the steps they have reached since. Rates with 95% Wilson
        intervals; differences are SwaggyStacks minus ScientiaCapital in percentage points, with a two-proportion z-test.
      </p>
      <p data-testid="funnel-totals">
        SwaggyStacks: {s.visitors} visitors, {s.signUpsWithoutVisit} sign-ups without a visit. ScientiaCapital: {c.visitors} visitors, {c.signUpsWithoutVisit}{" "}
        sign-ups without a visit.
        {report.unattributedUsers > 0 && ` ${report.unattributedUsers} older accounts are in neither.`}
      </p>
      <ComparisonTable report={report} kind="fromVisit" caption="Conversion from the first visit" />
      <ComparisonTable report={report} kind="fromPrevious" caption="Conversion from the step before" />
      <h3>Experiments</h3>
      {report.experiments.map((e) => (
        <ExperimentTable key={e.id} experiment={e} />
      ))}
    </div>
  );
}

function ComparisonTable({ report, kind, caption }: { report: Report; kind: "fromVisit" | "fromPrevious"; caption: string }) {
  return (
    <div style={{ overflowX: "auto", margin: ".75rem 0" }}>
      <table style={tableStyle} data-testid={`funnel-${kind}`}>
        <caption style={{ textAlign: "left", fontWeight: 600, padding: ".25rem 0" }}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" style={cell}>
              Step
            </th>
            <th scope="col" style={cell}>
              {BRAND_LABELS.swaggystacks}
            </th>
            <th scope="col" style={cell}>
              {BRAND_LABELS.scientiacapital}
            </th>
            <th scope="col" style={cell}>
              Difference (95% CI)
            </th>
            <th scope="col" style={cell}>
              p-value
            </th>
          </tr>
        </thead>
        <tbody>
          {report.comparison.map((row) => {
            const r = row[kind];
            return (
              <tr key={row.step}>
                <th scope="row" style={cell}>
                  {STEP_LABELS[row.step]}
                </th>
                <td style={cell}>{rateText(r.swaggystacks)}</td>
                <td style={cell}>{rateText(r.scientiacapital)}</td>
                <td style={cell}>{diffText(r.difference)}</td>
                <td style={cell}>{pText(r.difference)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ExperimentTable({ experiment }: { experiment: Report["experiments"][number] }) {
  const signupOf = (v: (typeof experiment.variants)[number], brand: keyof typeof BRAND_LABELS) => v.byBrand[brand].steps.find((st) => st.step === "signup")!.fromVisit;
  const vs = (id: string) => experiment.vsControl.find((x) => x.variant === id)?.steps.find((st) => st.step === "signup")?.fromVisit.difference;
  return (
    <div style={{ overflowX: "auto", margin: ".75rem 0" }}>
      <table style={tableStyle} data-testid={`experiment-${experiment.id}`}>
        <caption style={{ textAlign: "left", padding: ".25rem 0" }}>
          <strong>{experiment.id}</strong>: {experiment.description}. Sign-up from the visit, per arm.
        </caption>
        <thead>
          <tr>
            <th scope="col" style={cell}>
              Arm
            </th>
            <th scope="col" style={cell}>
              Visitors
            </th>
            <th scope="col" style={cell}>
              {BRAND_LABELS.swaggystacks}
            </th>
            <th scope="col" style={cell}>
              {BRAND_LABELS.scientiacapital}
            </th>
            <th scope="col" style={cell}>
              Against control, both brands (p)
            </th>
          </tr>
        </thead>
        <tbody>
          {experiment.variants.map((v) => {
            const d = vs(v.id);
            return (
              <tr key={v.id}>
                <th scope="row" style={cell}>
                  {v.id}
                  {v.id === experiment.control ? " (control)" : v.id === "none" ? " (no visit)" : ""}
                </th>
                <td style={cell}>{v.overall.visitors}</td>
                <td style={cell}>{rateText(signupOf(v, "swaggystacks"))}</td>
                <td style={cell}>{rateText(signupOf(v, "scientiacapital"))}</td>
                <td style={cell}>{d ? `${diffText(d)}, p ${pText(d)}` : "–"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
