import { formatPercent, formatUsdCents, type SavingsReportResponse } from "../lib/reports-api";

const tokens = (n: number) => n.toLocaleString("en-US");

const num = { textAlign: "right", fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap", padding: ".4rem 0 .4rem .5rem" } as const;
const cell = { textAlign: "left", fontWeight: "normal", padding: ".4rem 0", overflowWrap: "anywhere", verticalAlign: "top" } as const;
const rule = { borderTop: "1px solid color-mix(in srgb, currentColor 15%, transparent)" } as const;

/**
 * A month's savings, phone first: the sentence, the three totals, what each model cost against its
 * Western baseline, and the CSV link. Presentational: the screen fetches the report.
 */
export function SavingsSummary({ report }: { report: SavingsReportResponse }) {
  const { totals, byModel, period } = report;
  const title = `Savings in ${period.label}`;
  return (
    <section class="card" data-testid="savings-report" aria-label={title}>
      <h2>{period.complete ? period.label : `${period.label} so far`}</h2>
      <p data-testid="savings-summary">{report.summary}</p>
      <dl class="facts">
        <div>
          <dt>Spent</dt>
          <dd data-testid="total-spent">{formatUsdCents(totals.spent.micros)}</dd>
        </div>
        <div>
          <dt>On Western models</dt>
          <dd data-testid="total-baseline">{formatUsdCents(totals.baseline.micros)}</dd>
        </div>
        <div>
          <dt>Saved</dt>
          <dd data-testid="total-saved" class={totals.saved.micros > 0 ? "saving" : undefined}>
            {formatUsdCents(totals.saved.micros)}
            <span class="small"> ({formatPercent(totals.savedPercent)})</span>
          </dd>
        </div>
      </dl>
      <p class="muted small">
        {totals.requests.toLocaleString("en-US")} {totals.requests === 1 ? "call" : "calls"} · {tokens(totals.inputTokens)} tokens in · {tokens(totals.outputTokens)} out
      </p>
      {byModel.length > 0 && (
        <div role="region" aria-labelledby="by-model-caption" tabIndex={0} style={{ overflowX: "auto", maxWidth: "100%" }}>
          <table data-testid="by-model" style={{ width: "100%", borderCollapse: "collapse", fontSize: ".875rem" }}>
            <caption id="by-model-caption" style={{ textAlign: "left", fontWeight: 600, padding: ".5rem 0" }}>
              By model
            </caption>
            <thead>
              <tr>
                <th scope="col" style={{ ...cell, fontWeight: 600 }}>
                  Model
                </th>
                <th scope="col" style={num}>
                  Spent
                </th>
                <th scope="col" style={num}>
                  <abbr title="What the same tokens would have cost on the Western model each call named">Western</abbr>
                </th>
                <th scope="col" style={num}>
                  Saved
                </th>
              </tr>
            </thead>
            <tbody>
              {byModel.map((m) => (
                <tr key={`${m.provider}/${m.model}`} style={rule}>
                  <th scope="row" style={cell}>
                    {m.provider}/{m.model}
                    <br />
                    <span class="muted small">
                      {m.requests.toLocaleString("en-US")} {m.requests === 1 ? "call" : "calls"} · {tokens(m.inputTokens + m.outputTokens)} tokens
                    </span>
                  </th>
                  <td style={num}>{formatUsdCents(m.spent.micros)}</td>
                  <td style={num}>{formatUsdCents(m.baseline.micros)}</td>
                  <td style={num}>
                    {formatUsdCents(m.saved.micros)}
                    <br />
                    <span class="muted small">{formatPercent(m.savedPercent)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr style={rule}>
                <th scope="row" style={{ ...cell, fontWeight: 600 }}>
                  Total
                </th>
                <td style={{ ...num, fontWeight: 600 }}>{formatUsdCents(totals.spent.micros)}</td>
                <td style={{ ...num, fontWeight: 600 }}>{formatUsdCents(totals.baseline.micros)}</td>
                <td style={{ ...num, fontWeight: 600 }}>{formatUsdCents(totals.saved.micros)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <a
        href={report.csvUrl}
        download
        aria-label={`Download CSV for ${period.label}`}
        data-testid="download-csv"
        style={{ display: "flex", alignItems: "center", justifyContent: "center", minHeight: "44px", marginTop: ".75rem", borderRadius: ".5rem", background: "var(--brand)", color: "#fff", fontWeight: 600, textDecoration: "none" }}
      >
        Download CSV
      </a>
    </section>
  );
}
