/**
 * Predictive scaling (issue 10), pure: an hour-of-week demand profile from a deployment's request history
 * (hourly request counts and busy time, exponentially weighted so recent weeks count most), and from it the
 * scaling for the hours ahead: enough always-on workers (`workersMin`) for the expected concurrent load,
 * set one cold start before that load arrives; `workersMax` for the peaks; a long idle timeout in busy
 * hours and a short one in quiet hours. A monthly cost ceiling caps the whole weekly schedule, quiet hours
 * giving up their always-on workers first, then peaks their extra workers; every cap is explained.
 * Hours are UTC; slot 0 is Monday 00:00-01:00.
 */
export const HOUR_MS = 3_600_000;
export const WEEK_MS = 7 * 24 * HOUR_MS;
export const SLOTS = 168;
/** Hours in an average month over hours in a week: a weekly schedule repeated for a month. */
export const WEEKS_PER_MONTH = 730 / SLOTS;
/** RunPod's and the API's bound on workers per endpoint. */
export const MAX_WORKERS = 10;

export interface HourCount {
  /** Start of the hour, ms since the epoch (a multiple of HOUR_MS). */
  hour: number;
  requests: number;
  /** Sum of the requests' durations in the hour, ms (their concurrency times the hour). */
  busyMs: number;
}

export interface SlotDemand {
  /** Expected requests in the hour. */
  requests: number;
  /** Expected mean concurrent requests during the hour. */
  concurrency: number;
  /** Highest concurrency seen in this slot over the weeks observed. */
  peak: number;
  /** Weeks observed for this slot (0 = no history). */
  weeks: number;
}

export interface ProfileOptions {
  /** Weight of each older week relative to the next newer one (0 < decay ≤ 1). */
  decay?: number;
  /** Weeks of history to use. */
  weeks?: number;
  /** Hours before this are not observations (the deployment did not exist yet). */
  since?: number;
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Monday-based UTC hour of the week, 0..167. */
export function hourOfWeek(ms: number): number {
  const d = new Date(ms);
  return ((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours();
}

export function slotLabel(slot: number): string {
  const h = slot % 24;
  return `${DAYS[Math.floor(slot / 24)]} ${String(h).padStart(2, "0")}:00-${String((h + 1) % 24).padStart(2, "0")}:00 UTC`;
}

/**
 * The demand profile: for each hour-of-week slot, the exponentially weighted mean over the last `weeks`
 * weeks (the newest week weight 1, the one before `decay`, …). Hours with no requests count as zero, so a
 * pattern that stopped fades out; hours before `since` are not counted at all.
 */
export function demandProfile(history: readonly HourCount[], now: number, opts: ProfileOptions = {}): SlotDemand[] {
  const decay = opts.decay ?? 0.5;
  const weeks = opts.weeks ?? 4;
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const from = Math.max(currentHour - weeks * WEEK_MS, opts.since === undefined ? -Infinity : Math.ceil(opts.since / HOUR_MS) * HOUR_MS);
  const byHour = new Map<number, HourCount>();
  for (const h of history) if (h.hour >= from && h.hour < currentHour) byHour.set(h.hour, h);
  const acc = Array.from({ length: SLOTS }, () => ({ w: 0, requests: 0, busy: 0, peak: 0, weeks: 0 }));
  for (let hour = currentHour - HOUR_MS; hour >= from; hour -= HOUR_MS) {
    const age = Math.floor((currentHour - HOUR_MS - hour) / WEEK_MS);
    const w = decay ** age;
    const slot = acc[hourOfWeek(hour)]!;
    const seen = byHour.get(hour);
    const conc = (seen?.busyMs ?? 0) / HOUR_MS;
    slot.w += w;
    slot.requests += w * (seen?.requests ?? 0);
    slot.busy += w * conc;
    slot.peak = Math.max(slot.peak, conc);
    slot.weeks++;
  }
  return acc.map((a) => (a.w === 0 ? { requests: 0, concurrency: 0, peak: 0, weeks: 0 } : { requests: a.requests / a.w, concurrency: a.busy / a.w, peak: a.peak, weeks: a.weeks }));
}

export interface ForecastPlan {
  /** Concurrent sequences one worker serves well (the plan's KV-cache concurrency). */
  perWorkerConcurrency: number;
  /** One worker's price, USD per hour. */
  workerUsdPerHour: number;
  /** Seconds from a cold worker to serving: the lead time for adding always-on workers. */
  coldStartSeconds: number;
  /** The idle timeout the deployment was planned with (used between quiet and busy). */
  baseIdleTimeoutSeconds: number;
}

export interface ForecastPolicy {
  /** Requests per hour from which an hour is busy: an always-on worker pays for itself in avoided cold starts. */
  busyRequestsPerHour: number;
  /** Headroom over the peak for workersMax. */
  peakHeadroom: number;
  busyIdleTimeoutSeconds: number;
  quietIdleTimeoutSeconds: number;
}

export const DEFAULT_FORECAST_POLICY: ForecastPolicy = { busyRequestsPerHour: 30, peakHeadroom: 1.5, busyIdleTimeoutSeconds: 600, quietIdleTimeoutSeconds: 60 };

export interface SlotScaling {
  workersMin: number;
  workersMax: number;
  idleTimeoutSeconds: number;
  busy: boolean;
}

/** What one slot's demand calls for, before any cost ceiling. */
export function slotScaling(d: SlotDemand, plan: ForecastPlan, policy: ForecastPolicy = DEFAULT_FORECAST_POLICY): SlotScaling {
  const per = Math.max(1, plan.perWorkerConcurrency);
  const busy = d.requests >= policy.busyRequestsPerHour;
  const need = Math.ceil(d.concurrency / per - 1e-9);
  const workersMin = busy ? Math.min(MAX_WORKERS, Math.max(1, need)) : 0;
  const peakWorkers = Math.ceil((Math.max(d.peak, d.concurrency) * policy.peakHeadroom) / per - 1e-9);
  const workersMax = Math.min(MAX_WORKERS, Math.max(1, workersMin, peakWorkers, workersMin + (busy ? 1 : 0)));
  const idleTimeoutSeconds = busy ? Math.max(policy.busyIdleTimeoutSeconds, plan.baseIdleTimeoutSeconds) : Math.min(policy.quietIdleTimeoutSeconds, plan.baseIdleTimeoutSeconds);
  return { workersMin, workersMax, idleTimeoutSeconds, busy };
}

/** Worker-hours a slot is expected to cost: its always-on workers, or the busy time they cannot serve (up to max). */
function slotWorkers(d: SlotDemand, s: SlotScaling, per: number): number {
  return Math.max(s.workersMin, Math.min(d.concurrency / Math.max(1, per), s.workersMax));
}

/** A weekly schedule's expected cost for a month. */
export function monthlyCostUsd(profile: readonly SlotDemand[], schedule: readonly SlotScaling[], plan: ForecastPlan): number {
  let workerHours = 0;
  for (let i = 0; i < SLOTS; i++) workerHours += slotWorkers(profile[i]!, schedule[i]!, plan.perWorkerConcurrency);
  return workerHours * WEEKS_PER_MONTH * plan.workerUsdPerHour;
}

export interface Schedule {
  slots: SlotScaling[];
  monthlyUsd: number;
  /** Why the schedule was cut to fit the ceiling (null when it fit as is). */
  capped: string | null;
}

/**
 * The week's schedule within `ceilingUsdPerMonth`: while over it, the quietest hour with always-on workers
 * loses one; once none has any, the hour with the most workers allowed loses one (peaks are clipped).
 */
export function weeklySchedule(profile: readonly SlotDemand[], plan: ForecastPlan, ceilingUsdPerMonth: number | null, policy: ForecastPolicy = DEFAULT_FORECAST_POLICY): Schedule {
  const slots = profile.map((d) => slotScaling(d, plan, policy));
  const uncapped = monthlyCostUsd(profile, slots, plan);
  if (ceilingUsdPerMonth === null || uncapped <= ceilingUsdPerMonth) return { slots, monthlyUsd: uncapped, capped: null };
  let cost = uncapped;
  let droppedMin = 0;
  let clippedMax = 0;
  const per = plan.perWorkerConcurrency;
  const costOf = (i: number) => slotWorkers(profile[i]!, slots[i]!, per) * WEEKS_PER_MONTH * plan.workerUsdPerHour;
  while (cost > ceilingUsdPerMonth) {
    let pick = -1;
    for (let i = 0; i < SLOTS; i++) if (slots[i]!.workersMin > 0 && (pick === -1 || profile[i]!.requests < profile[pick]!.requests)) pick = i;
    if (pick !== -1) {
      const before = costOf(pick);
      slots[pick] = { ...slots[pick]!, workersMin: slots[pick]!.workersMin - 1 };
      cost += costOf(pick) - before;
      droppedMin++;
      continue;
    }
    for (let i = 0; i < SLOTS; i++) if (slots[i]!.workersMax > 1 && (pick === -1 || slots[i]!.workersMax > slots[pick]!.workersMax)) pick = i;
    if (pick === -1) break; // one flex worker everywhere: nothing left to cut
    const before = costOf(pick);
    slots[pick] = { ...slots[pick]!, workersMax: slots[pick]!.workersMax - 1 };
    cost += costOf(pick) - before;
    clippedMax++;
  }
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const cuts = [droppedMin ? `${droppedMin} always-on worker-hours per week dropped (quietest hours first)` : "", clippedMax ? `${clippedMax} peak worker-hours per week clipped` : ""].filter(Boolean).join("; ");
  const over = cost > ceilingUsdPerMonth + 1e-9 ? ` (still ${usd(cost)}: one worker on demand is the least this deployment can run with)` : "";
  return { slots, monthlyUsd: cost, capped: `capped by the ceiling of ${usd(ceilingUsdPerMonth)}/month: the pattern would cost ${usd(uncapped)}/month; ${cuts}${over}` };
}

export interface Proposal {
  workersMin: number;
  workersMax: number;
  idleTimeoutSeconds: number;
  /** The slots the proposal covers (the current hour, and the next when it starts within a cold start). */
  slots: number[];
  monthlyUsd: number;
  capped: string | null;
  explanation: string[];
}

/**
 * The scaling to set now: the current hour's, raised to the next hour's always-on workers when that hour
 * starts within one cold start (so they are warm when its load arrives), with the larger workersMax of
 * the two; the idle timeout follows the hour that is busy.
 */
export function propose(profile: readonly SlotDemand[], now: number, plan: ForecastPlan, ceilingUsdPerMonth: number | null, policy: ForecastPolicy = DEFAULT_FORECAST_POLICY): Proposal {
  const schedule = weeklySchedule(profile, plan, ceilingUsdPerMonth, policy);
  const slot = hourOfWeek(now);
  const msToNext = HOUR_MS - (now % HOUR_MS);
  const lead = plan.coldStartSeconds * 1000;
  const slots = msToNext <= lead ? [slot, (slot + 1) % SLOTS] : [slot];
  const picked = slots.map((s) => schedule.slots[s]!);
  const workersMin = Math.max(...picked.map((s) => s.workersMin));
  const workersMax = Math.max(workersMin, ...picked.map((s) => s.workersMax));
  const busy = picked.some((s) => s.busy);
  const idleTimeoutSeconds = Math.max(...picked.map((s) => s.idleTimeoutSeconds));
  const fmt = (n: number) => (n >= 10 ? n.toFixed(0) : n.toFixed(2));
  const explanation = slots.map((s, i) => {
    const d = profile[s]!;
    const sc = schedule.slots[s]!;
    const basis = d.weeks ? `over ${d.weeks} week${d.weeks === 1 ? "" : "s"} (recent weeks weigh most)` : "no history";
    return `${i === 0 ? "now" : `next hour, within the ${plan.coldStartSeconds} s cold start`}: ${slotLabel(s)} expects ${fmt(d.requests)} requests/h, ${fmt(d.concurrency)} concurrent (peak ${fmt(d.peak)}) ${basis} → ${sc.workersMin} always-on, up to ${sc.workersMax} workers (${Math.max(1, plan.perWorkerConcurrency)} concurrent sequences each)`;
  });
  explanation.push(busy ? `busy hour: idle timeout ${idleTimeoutSeconds} s keeps workers warm between requests` : `quiet hour: idle timeout ${idleTimeoutSeconds} s releases workers soon after the last request`);
  explanation.push(`the weekly schedule is expected to cost $${schedule.monthlyUsd.toFixed(2)}/month at $${plan.workerUsdPerHour.toFixed(2)}/h per worker${ceilingUsdPerMonth === null ? " (no ceiling)" : ` (ceiling $${ceilingUsdPerMonth.toFixed(2)}/month)`}`);
  if (schedule.capped) explanation.push(schedule.capped);
  return { workersMin, workersMax, idleTimeoutSeconds, slots, monthlyUsd: schedule.monthlyUsd, capped: schedule.capped, explanation };
}
