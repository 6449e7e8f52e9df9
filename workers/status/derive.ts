/**
 * The status page's arithmetic (pure): from recorded health samples, each component's current status,
 * uptime over 24 h / 7 d / 30 d / 90 d, 90 daily bars, incidents and the month's error budget against
 * the 99.9% availability target.
 *
 * Samples: the cron (every 5 minutes) writes one per component, `up`, `degraded` or `down`, describing
 * the 5 minutes before it. The route reads them pre-aggregated (daily and hourly buckets, non-up samples,
 * each component's latest) — `summarize` builds the same input from raw samples, so tests feed series.
 *
 * Rules (documented in the README):
 * - A sample stands for one interval (5 min): up counts fully, degraded half, down not at all.
 *   Uptime = (up + ½·degraded) / samples over the window; time without samples (cron not running) is not
 *   counted either way, and a window without samples has no figure (null).
 * - Windows: 24 h is the last 24 hourly buckets (hour of the newest included); 7/30/90 d are that many UTC
 *   calendar days including today.
 * - Current status: the newest sample's, or `unknown` when it is older than 3 intervals.
 * - Incidents: per component, maximal runs of non-up samples; two runs less than `MERGE_GAP_MS` apart
 *   (a blip of up samples in between) are one. A run starts at its first non-up sample minus one interval
 *   (the sample describes the 5 minutes before it) and ends one interval after its last, unless the
 *   component's newest sample belongs to it: then it is ongoing. Overlapping runs of different components
 *   are one incident listing every affected component, with the worst status seen.
 * - Error budget: the platform component's downtime this calendar month (down = 5 min, degraded = 2.5 min)
 *   against 0.1% of a 30-day month (43.2 minutes at 99.9%).
 */
export type HealthStatus = "up" | "degraded" | "down";
export type CurrentStatus = HealthStatus | "unknown";

export const SAMPLE_INTERVAL_MS = 5 * 60_000;
export const MERGE_GAP_MS = 15 * 60_000;
export const STALE_AFTER_MS = 3 * SAMPLE_INTERVAL_MS;
export const TARGET = 0.999;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** 0.1% of a 30-day month: 43.2 minutes at 99.9%. */
export const budgetMinutesPerMonth = (target = TARGET) => Math.round((1 - target) * 30 * 24 * 60 * 1000) / 1000;

export interface Sample {
  component: string;
  at: number;
  status: HealthStatus;
}

/** `samples` in one bucket (a UTC day or hour): `score` = up + ½·degraded, `worst` 0 up / 1 degraded / 2 down. */
export interface Bucket {
  component: string;
  start: number;
  samples: number;
  score: number;
  worst: number;
}

export interface StatusInput {
  days: Bucket[];
  hours: Bucket[];
  /** Non-up samples of the last 90 days, any order. */
  incidentsSamples: Sample[];
  /** Each component's newest sample. */
  latest: Sample[];
}

export const SEVERITY: Record<HealthStatus, number> = { up: 0, degraded: 1, down: 2 };
export const STATUS_OF: HealthStatus[] = ["up", "degraded", "down"];
export const SCORE: Record<HealthStatus, number> = { up: 1, degraded: 0.5, down: 0 };

export const dayStart = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
export const hourStart = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;

/** What the route's queries return, from raw samples (for tests, and the definition the SQL mirrors). */
export function summarize(samples: Sample[], now: number): StatusInput {
  const since = dayStart(now) - 89 * DAY_MS;
  const inRange = samples.filter((s) => s.at >= since && s.at <= now);
  const bucket = (of: (t: number) => number, list: Sample[]) => {
    const map = new Map<string, Bucket>();
    for (const s of list) {
      const start = of(s.at);
      const key = `${s.component}\u0000${start}`;
      const b = map.get(key) ?? { component: s.component, start, samples: 0, score: 0, worst: 0 };
      b.samples += 1;
      b.score += SCORE[s.status];
      b.worst = Math.max(b.worst, SEVERITY[s.status]);
      map.set(key, b);
    }
    return [...map.values()];
  };
  const latest = new Map<string, Sample>();
  for (const s of inRange) if ((latest.get(s.component)?.at ?? -Infinity) < s.at) latest.set(s.component, s);
  return {
    days: bucket(dayStart, inRange),
    hours: bucket(hourStart, inRange.filter((s) => s.at >= hourStart(now) - 23 * HOUR_MS)),
    incidentsSamples: inRange.filter((s) => s.status !== "up"),
    latest: [...latest.values()],
  };
}

export interface Uptime {
  /** Percent, 3 decimals; null without samples in the window. */
  h24: number | null;
  d7: number | null;
  d30: number | null;
  d90: number | null;
}

export interface DayBar {
  day: string;
  /** Percent, null without samples that day. */
  uptime: number | null;
  worst: HealthStatus | null;
}

export interface ComponentStatus {
  id: string;
  status: CurrentStatus;
  checkedAt: string | null;
  uptime: Uptime;
  days: DayBar[];
}

export interface Incident {
  id: string;
  start: string;
  end: string | null;
  ongoing: boolean;
  worst: HealthStatus;
  components: string[];
  durationMinutes: number;
}

export interface ErrorBudget {
  target: number;
  targetPercent: number;
  month: string;
  budgetMinutes: number;
  usedMinutes: number;
  remainingMinutes: number;
  /** Share of the budget left, 0–100 (negative when overspent is shown as 0). */
  remainingPercent: number;
  /** The platform's availability this month so far, percent; null without samples. */
  availabilityPercent: number | null;
}

export interface DerivedStatus {
  overall: CurrentStatus;
  components: ComponentStatus[];
  incidents: Incident[];
  budget: ErrorBudget;
}

const pct = (score: number, n: number) => (n === 0 ? null : Math.round((score / n) * 100_000) / 1000);

function uptimeOver(buckets: Bucket[], from: number): number | null {
  let n = 0;
  let score = 0;
  for (const b of buckets) {
    if (b.start < from) continue;
    n += b.samples;
    score += b.score;
  }
  return pct(score, n);
}

export function currentStatus(latest: Sample | undefined, now: number): CurrentStatus {
  if (!latest || now - latest.at > STALE_AFTER_MS) return "unknown";
  return latest.status;
}

/** Maximal runs of non-up samples per component, merged across short gaps, then across components. */
export function deriveIncidents(nonUp: Sample[], latest: Sample[], now: number): Incident[] {
  const latestOf = new Map(latest.map((s) => [s.component, s]));
  type Run = { component: string; first: number; last: number; worst: number; ongoing: boolean };
  const runs: Run[] = [];
  const byComponent = new Map<string, Sample[]>();
  for (const s of nonUp) byComponent.set(s.component, [...(byComponent.get(s.component) ?? []), s]);
  for (const [component, list] of byComponent) {
    list.sort((a, b) => a.at - b.at);
    let run: Run | undefined;
    for (const s of list) {
      if (run && s.at - run.last < MERGE_GAP_MS) {
        run.last = s.at;
        run.worst = Math.max(run.worst, SEVERITY[s.status]);
      } else {
        run = { component, first: s.at, last: s.at, worst: SEVERITY[s.status], ongoing: false };
        runs.push(run);
      }
    }
    const newest = latestOf.get(component);
    // Ongoing: the component's newest sample is the run's last one (not up) and is not stale.
    if (run && newest && newest.at === run.last && newest.status !== "up" && now - newest.at <= STALE_AFTER_MS) run.ongoing = true;
  }
  const spans = runs
    .map((r) => ({ ...r, start: r.first - SAMPLE_INTERVAL_MS, end: r.ongoing ? Infinity : r.last + SAMPLE_INTERVAL_MS }))
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number; worst: number; components: Set<string>; ongoing: boolean }[] = [];
  for (const s of spans) {
    const cur = merged.at(-1);
    if (cur && s.start <= cur.end) {
      cur.end = Math.max(cur.end, s.end);
      cur.worst = Math.max(cur.worst, s.worst);
      cur.components.add(s.component);
      cur.ongoing ||= s.ongoing;
    } else {
      merged.push({ start: s.start, end: s.end, worst: s.worst, components: new Set([s.component]), ongoing: s.ongoing });
    }
  }
  return merged
    .map((m) => ({
      id: `inc-${m.start}`,
      start: new Date(m.start).toISOString(),
      end: m.ongoing ? null : new Date(m.end).toISOString(),
      ongoing: m.ongoing,
      worst: STATUS_OF[m.worst]!,
      components: [...m.components].sort(),
      durationMinutes: Math.round(((m.ongoing ? Math.max(now, m.start) : m.end) - m.start) / 60_000),
    }))
    .reverse(); // newest first
}

export function errorBudget(platformDays: Bucket[], now: number, target = TARGET): ErrorBudget {
  const d = new Date(now);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  let n = 0;
  let score = 0;
  for (const b of platformDays) {
    if (b.start < monthStart || b.start > now) continue;
    n += b.samples;
    score += b.score;
  }
  const intervalMinutes = SAMPLE_INTERVAL_MS / 60_000;
  const usedMinutes = Math.round((n - score) * intervalMinutes * 10) / 10;
  const budgetMinutes = budgetMinutesPerMonth(target);
  const remainingMinutes = Math.round((budgetMinutes - usedMinutes) * 10) / 10;
  return {
    target,
    targetPercent: Math.round(target * 100_000) / 1000,
    month: new Date(monthStart).toISOString().slice(0, 7),
    budgetMinutes,
    usedMinutes,
    remainingMinutes,
    remainingPercent: Math.max(0, Math.round((remainingMinutes / budgetMinutes) * 1000) / 10),
    availabilityPercent: pct(score, n),
  };
}

/** Worst current status; unknown components do not count unless every one is unknown. */
export function overallStatus(components: { status: CurrentStatus }[]): CurrentStatus {
  const known = components.filter((c) => c.status !== "unknown");
  if (known.length === 0) return "unknown";
  return STATUS_OF[Math.max(...known.map((c) => SEVERITY[c.status as HealthStatus]))]!;
}

export function deriveStatus(input: StatusInput, components: string[], now: number, platform = "platform"): DerivedStatus {
  const today = dayStart(now);
  const latestOf = new Map(input.latest.map((s) => [s.component, s]));
  const list: ComponentStatus[] = components.map((id) => {
    const days = input.days.filter((b) => b.component === id);
    const hours = input.hours.filter((b) => b.component === id);
    const byDay = new Map(days.map((b) => [b.start, b]));
    const bars: DayBar[] = [];
    for (let i = 89; i >= 0; i--) {
      const start = today - i * DAY_MS;
      const b = byDay.get(start);
      bars.push({ day: new Date(start).toISOString().slice(0, 10), uptime: b ? pct(b.score, b.samples) : null, worst: b ? STATUS_OF[b.worst]! : null });
    }
    const latest = latestOf.get(id);
    return {
      id,
      status: currentStatus(latest, now),
      checkedAt: latest ? new Date(latest.at).toISOString() : null,
      uptime: {
        h24: uptimeOver(hours, hourStart(now) - 23 * HOUR_MS),
        d7: uptimeOver(days, today - 6 * DAY_MS),
        d30: uptimeOver(days, today - 29 * DAY_MS),
        d90: uptimeOver(days, today - 89 * DAY_MS),
      },
      days: bars,
    };
  });
  const known = new Set(components);
  return {
    overall: overallStatus(list),
    components: list,
    incidents: deriveIncidents(
      input.incidentsSamples.filter((s) => known.has(s.component)),
      input.latest,
      now,
    ),
    budget: errorBudget(
      input.days.filter((b) => b.component === platform),
      now,
    ),
  };
}
