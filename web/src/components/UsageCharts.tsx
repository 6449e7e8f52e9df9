import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { formatDay, formatPercent, formatTokens, formatUsd, savingsOf, type UsageFigures } from "../lib/usage-api";

/**
 * The usage charts, drawn as SVG (no chart library: a few bars do not need 40 kB). Every chart is an
 * image with a one-sentence summary for screen readers, and has its numbers as a table beside it: hidden
 * from the eye until "Show table" is tapped, never from a screen reader. Colours are the .usage-* classes
 * (styles-usage.css), each at least 3:1 against light and dark backgrounds; every bar is labelled in
 * text too, so nothing is told by colour alone. Presentational: the screen fetches and passes figures in.
 */
export type Metric = "tokens" | "cost";

export interface Row extends UsageFigures {
  /** What the row is (a day "2026-05-03", a model, a key's name). */
  label: string;
}

const tokensOf = (r: UsageFigures) => r.inputTokens + r.outputTokens;
const valueOf = (r: UsageFigures, m: Metric) => (m === "tokens" ? tokensOf(r) : r.costUsd);
const show = (v: number, m: Metric) => (m === "tokens" ? `${formatTokens(v)} tokens` : formatUsd(v));
const plural = (n: number, one: string, many = `${one}s`) => `${formatTokens(n)} ${n === 1 ? one : many}`;

/** The width a chart has to draw in (its box's, tracked as the phone turns or the window resizes). */
function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => el.clientWidth > 0 && setWidth(Math.floor(el.clientWidth));
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { ref, width };
}

/** A label cut to what fits, with an ellipsis (the full one is in the bar's tooltip and the table). */
const clipToWidth = (s: string, px: number, charPx = 7) => (s.length * charPx <= px ? s : `${s.slice(0, Math.max(1, Math.floor(px / charPx) - 1))}…`);

/** A round ceiling for an axis: 1, 2 or 5 times a power of ten. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const e = Math.floor(Math.log10(v));
  const k = [1, 2, 5, 10].find((n) => n * 10 ** e >= v) ?? 10;
  return Number((k * 10 ** e).toPrecision(1)); // 0.02, not 0.020000000000000004
}

/** A chart with its caption, its toggle and its table; `summary` is what a screen reader hears for the picture. */
function ChartFrame({ id, title, summary, table, children }: { id: string; title: string; summary: string; table: ComponentChildren; children: ComponentChildren }) {
  const [open, setOpen] = useState(false);
  return (
    <figure class="card usage-chart" data-testid={`chart-${id}`} aria-labelledby={`${id}-title`}>
      <figcaption class="usage-chart-head">
        <h3 id={`${id}-title`}>{title}</h3>
        <button type="button" class="secondary usage-table-toggle" aria-expanded={open} aria-controls={`${id}-table`} data-testid={`toggle-${id}`} onClick={() => setOpen((o) => !o)}>
          {open ? "Hide table" : "Show table"}
        </button>
      </figcaption>
      <p id={`${id}-summary`} class="usage-sr">
        {summary}
      </p>
      {children}
      <div id={`${id}-table`} class={open ? "usage-table-wrap" : "usage-table-wrap usage-sr"} role="region" aria-label={`${title}: table`} tabIndex={open ? 0 : undefined} data-testid={`table-${id}`}>
        {table}
      </div>
    </figure>
  );
}

/** The numbers of a breakdown: calls, tokens in and out, cost, saved, and the total. */
function FiguresTable({ caption, head, rows, total, labelOf = (r) => r.label }: { caption: string; head: string; rows: Row[]; total: UsageFigures; labelOf?: (r: Row) => string }) {
  const sum = total;
  return (
    <table class="usage-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{head}</th>
          <th scope="col">Calls</th>
          <th scope="col">Tokens in</th>
          <th scope="col">Tokens out</th>
          <th scope="col">Cost</th>
          <th scope="col">Saved</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label} data-label={r.label}>
            <th scope="row">{labelOf(r)}</th>
            <td>{formatTokens(r.requests)}</td>
            <td>{formatTokens(r.inputTokens)}</td>
            <td>{formatTokens(r.outputTokens)}</td>
            <td>{formatUsd(r.costUsd)}</td>
            <td>{formatUsd(r.savingsUsd)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td>{formatTokens(sum.requests)}</td>
          <td>{formatTokens(sum.inputTokens)}</td>
          <td>{formatTokens(sum.outputTokens)}</td>
          <td>{formatUsd(sum.costUsd)}</td>
          <td>{formatUsd(sum.savingsUsd)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

export function totalOf(rows: UsageFigures[]): UsageFigures {
  const t = rows.reduce((a, r) => ({ requests: a.requests + r.requests, inputTokens: a.inputTokens + r.inputTokens, outputTokens: a.outputTokens + r.outputTokens, costUsd: a.costUsd + r.costUsd, savingsUsd: a.savingsUsd + r.savingsUsd }), { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, savingsUsd: 0 });
  return { ...t, costUsd: Math.round(t.costUsd * 1e6) / 1e6, savingsUsd: Math.round(t.savingsUsd * 1e6) / 1e6 };
}

/** Tokens or cost per day of the month, as columns; quiet days stay on the axis as gaps. */
export function DailyChart({ days, metric }: { days: Row[]; metric: Metric }) {
  const { ref, width } = useWidth(340);
  const H = 150;
  const top = 18;
  const bottom = 22;
  const plotH = H - top - bottom;
  const values = days.map((d) => valueOf(d, metric));
  const peak = Math.max(0, ...values);
  const max = niceMax(peak);
  const slot = days.length > 0 ? width / days.length : width;
  const bar = Math.max(2, Math.min(24, slot * 0.7));
  const busiest = days[values.indexOf(peak)];
  const active = days.filter((d) => d.requests > 0);
  const summary =
    active.length === 0
      ? "No calls yet this month."
      : `${metric === "tokens" ? "Tokens" : "Cost"} per day: ${plural(active.length, "day")} with calls; the busiest was ${formatDay(busiest!.label)} with ${show(peak, metric)}.`;
  const ticks = days.length <= 7 ? days.map((_, i) => i) : [0, Math.floor((days.length - 1) / 2), days.length - 1];
  return (
    <ChartFrame
      id="by-day"
      title={metric === "tokens" ? "Tokens per day" : "Cost per day"}
      summary={summary}
      table={<FiguresTable caption="By day" head="Day" rows={active} total={totalOf(active)} labelOf={(r) => formatDay(r.label)} />}
    >
      <div ref={ref} class="usage-plot">
        <svg width={width} height={H} viewBox={`0 0 ${width} ${H}`} role="img" aria-labelledby="by-day-title by-day-summary" data-testid="svg-by-day">
          <line class="usage-axis" x1={0} x2={width} y1={top + plotH + 0.5} y2={top + plotH + 0.5} />
          <line class="usage-grid" x1={0} x2={width} y1={top + 0.5} y2={top + 0.5} />
          <text class="usage-tick" x={0} y={top - 5}>
            {show(max, metric)}
          </text>
          {days.map((d, i) => {
            const v = values[i]!;
            const h = v > 0 ? Math.max(2, (v / max) * plotH) : 0;
            return (
              <rect key={d.label} class="usage-bar usage-fill-primary" x={i * slot + (slot - bar) / 2} y={top + plotH - h} width={bar} height={h} rx={1.5} data-day={d.label} data-value={v}>
                <title>{`${formatDay(d.label)}: ${show(v, metric)}`}</title>
              </rect>
            );
          })}
          {ticks.map((i) => (
            <text key={i} class="usage-tick" x={Math.min(width - 2, Math.max(2, i * slot + slot / 2))} y={H - 6} text-anchor={i === 0 ? "start" : i === days.length - 1 ? "end" : "middle"}>
              {formatDay(days[i]!.label)}
            </text>
          ))}
        </svg>
      </div>
    </ChartFrame>
  );
}

/** One bar per row (a model, a key), biggest first, labelled with its value. */
export function BreakdownChart({ id, title, head, rows, metric }: { id: string; title: string; head: string; rows: Row[]; metric: Metric }) {
  const { ref, width } = useWidth(340);
  const sorted = [...rows].sort((a, b) => valueOf(b, metric) - valueOf(a, metric));
  const max = Math.max(0, ...sorted.map((r) => valueOf(r, metric)));
  const rowH = 42;
  const H = Math.max(1, sorted.length) * rowH;
  const top = sorted[0];
  const summary = top
    ? `${title} by ${metric === "tokens" ? "tokens" : "cost"}: ${plural(sorted.length, head.toLowerCase())}; the most was ${top.label} with ${show(valueOf(top, metric), metric)}.`
    : `No calls yet this month.`;
  return (
    <ChartFrame id={id} title={title} summary={summary} table={<FiguresTable caption={title} head={head} rows={sorted} total={totalOf(sorted)} />}>
      <div ref={ref} class="usage-plot">
        <svg width={width} height={H} viewBox={`0 0 ${width} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-summary`} data-testid={`svg-${id}`}>
          {sorted.map((r, i) => {
            const v = valueOf(r, metric);
            const label = show(v, metric);
            const labelPx = label.length * 7 + 8;
            const w = max > 0 ? Math.max(v > 0 ? 3 : 0, (v / max) * width) : 0;
            return (
              <g key={r.label} transform={`translate(0 ${i * rowH})`} data-label={r.label} data-value={v}>
                <title>{`${r.label}: ${label}`}</title>
                <text class="usage-label" x={0} y={14}>
                  {clipToWidth(r.label, width - labelPx)}
                </text>
                <text class="usage-value" x={width} y={14} text-anchor="end">
                  {label}
                </text>
                <rect class="usage-track" x={0} y={20} width={width} height={14} rx={3} />
                <rect class="usage-bar usage-fill-primary" x={0} y={20} width={w} height={14} rx={3} />
              </g>
            );
          })}
        </svg>
      </div>
    </ChartFrame>
  );
}

/**
 * What the month cost against what the same calls would have cost on the Western models they named:
 * per model a pair of bars (paid, Western), the saving in words beside them.
 */
export function SavingsChart({ rows, total }: { rows: Row[]; total: { costUsd: number; savingsUsd: number } }) {
  const { ref, width } = useWidth(340);
  const models = [...rows].sort((a, b) => b.costUsd + b.savingsUsd - (a.costUsd + a.savingsUsd));
  const all = savingsOf(total);
  const max = Math.max(0, ...models.map((m) => savingsOf(m).baselineUsd));
  const rowH = 62;
  const H = Math.max(1, models.length) * rowH;
  const summary =
    models.length === 0
      ? "No calls yet this month."
      : `You paid ${formatUsd(total.costUsd)}; the same calls on Western models would have cost ${formatUsd(all.baselineUsd)}: ${formatUsd(total.savingsUsd)} saved (${formatPercent(all.savedPercent)}).`;
  const table = (
    <table class="usage-table">
      <caption>Savings by model</caption>
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col">Paid</th>
          <th scope="col">Western</th>
          <th scope="col">Saved</th>
          <th scope="col">Share</th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => {
          const s = savingsOf(m);
          return (
            <tr key={m.label} data-label={m.label}>
              <th scope="row">{m.label}</th>
              <td>{formatUsd(m.costUsd)}</td>
              <td>{formatUsd(s.baselineUsd)}</td>
              <td>{formatUsd(m.savingsUsd)}</td>
              <td>{formatPercent(s.savedPercent)}</td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td>{formatUsd(total.costUsd)}</td>
          <td>{formatUsd(all.baselineUsd)}</td>
          <td>{formatUsd(total.savingsUsd)}</td>
          <td>{formatPercent(all.savedPercent)}</td>
        </tr>
      </tfoot>
    </table>
  );
  return (
    <ChartFrame id="savings" title="Against Western models" summary={summary} table={table}>
      <p class="usage-key small" aria-hidden="true">
        <span>
          <span class="usage-swatch usage-swatch-primary" /> Paid
        </span>
        <span>
          <span class="usage-swatch usage-swatch-baseline" /> On Western models
        </span>
      </p>
      <div ref={ref} class="usage-plot">
        <svg width={width} height={H} viewBox={`0 0 ${width} ${H}`} role="img" aria-labelledby="savings-title savings-summary" data-testid="svg-savings">
          {models.map((m, i) => {
            const s = savingsOf(m);
            const saved = `saved ${formatUsd(m.savingsUsd)} (${formatPercent(s.savedPercent)})`;
            const w = (v: number) => (max > 0 ? Math.max(v > 0 ? 3 : 0, (v / max) * width) : 0);
            return (
              <g key={m.label} transform={`translate(0 ${i * rowH})`} data-label={m.label}>
                <title>{`${m.label}: paid ${formatUsd(m.costUsd)}, on Western models ${formatUsd(s.baselineUsd)}, ${saved}`}</title>
                <text class="usage-label" x={0} y={14}>
                  {clipToWidth(m.label, width - saved.length * 6.5 - 8)}
                </text>
                <text class={`usage-value${m.savingsUsd > 0 ? " usage-text-saving" : ""}`} x={width} y={14} text-anchor="end">
                  {saved}
                </text>
                <rect class="usage-bar usage-fill-primary" x={0} y={21} width={w(m.costUsd)} height={12} rx={3} />
                <rect class="usage-bar usage-fill-baseline" x={0} y={37} width={w(s.baselineUsd)} height={12} rx={3} />
              </g>
            );
          })}
        </svg>
      </div>
    </ChartFrame>
  );
}
