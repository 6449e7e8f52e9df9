import { describe, expect, it } from "vitest";
import { demandProfile, HOUR_MS, hourOfWeek, monthlyCostUsd, propose, slotLabel, SLOTS, WEEK_MS, weeklySchedule, type ForecastPlan, type HourCount } from "../../../workers/deploy/forecast";

// Monday 2026-11-02 00:00 UTC.
const MONDAY = Date.UTC(2026, 10, 2);
const plan: ForecastPlan = { perWorkerConcurrency: 4, workerUsdPerHour: 0.58, coldStartSeconds: 90, baseIdleTimeoutSeconds: 120 };

/** Weekday business hours (09-17 UTC) busy, shoulders (08, 17) moderate, nights and weekends quiet. */
function trafficAt(hour: number): { requests: number; busyMs: number } {
  const slot = hourOfWeek(hour);
  const day = Math.floor(slot / 24);
  const h = slot % 24;
  if (day < 5 && h >= 9 && h < 17) return { requests: 3600, busyMs: 3600 * 8_000 }; // 8 concurrent
  if (day < 5 && (h === 8 || h === 17)) return { requests: 120, busyMs: 120 * 8_000 }; // 0.27 concurrent
  if (day < 5) return { requests: 4, busyMs: 4 * 8_000 };
  return { requests: 1, busyMs: 8_000 };
}

/** `weeks` weeks of synthetic history ending at `end` (exclusive), with the odd hour missing (no requests). */
function history(end: number, weeks = 4, f = trafficAt): HourCount[] {
  const out: HourCount[] = [];
  for (let hour = end - weeks * WEEK_MS; hour < end; hour += HOUR_MS) {
    const t = f(hour);
    if (t.requests > 0) out.push({ hour, ...t });
  }
  return out;
}

const NOW_WEEK = MONDAY + 4 * WEEK_MS; // four full weeks of history behind it
const at = (day: number, h: number, m = 0, s = 0) => NOW_WEEK + day * 24 * HOUR_MS + h * HOUR_MS + m * 60_000 + s * 1000;

describe("hour of week", () => {
  it("is Monday-based UTC", () => {
    expect(hourOfWeek(MONDAY)).toBe(0);
    expect(hourOfWeek(MONDAY + 9 * HOUR_MS + 5)).toBe(9);
    expect(hourOfWeek(MONDAY + 6 * 24 * HOUR_MS + 23 * HOUR_MS)).toBe(167);
    expect(slotLabel(33)).toBe("Tue 09:00-10:00 UTC");
  });
});

describe("demand profile", () => {
  it("follows the synthetic week", () => {
    const now = at(0, 0);
    const p = demandProfile(history(now), now);
    expect(p).toHaveLength(SLOTS);
    expect(p[10]).toMatchObject({ requests: 3600, weeks: 4 });
    expect(p[10]!.concurrency).toBeCloseTo(8);
    expect(p[24 * 5 + 12]!.requests).toBeCloseTo(1); // Saturday noon
    expect(p[3]!.requests).toBeCloseTo(4);
  });

  it("weighs recent weeks most and lets a stopped pattern fade", () => {
    const now = at(0, 0);
    // Busy every Tuesday 14:00 for three weeks, then quiet last week.
    const stopped = history(now, 4, (hour) => (hourOfWeek(hour) === 24 + 14 && hour < now - WEEK_MS ? { requests: 100, busyMs: 100 * 1000 } : { requests: 0, busyMs: 0 }));
    const p = demandProfile(stopped, now, { decay: 0.5 });
    // Weights 1 (last week, 0), 0.5, 0.25, 0.125 (100 each): 87.5 / 1.875.
    expect(p[38]!.requests).toBeCloseTo(87.5 / 1.875);
    expect(p[38]!.peak).toBeCloseTo(100 / 3600);
  });

  it("counts no hours from before the deployment existed", () => {
    const now = at(0, 0);
    const p = demandProfile(history(now), now, { since: now - WEEK_MS });
    expect(p[10]!.weeks).toBe(1);
    expect(p[10]!.requests).toBe(3600);
  });
});

describe("proposals on a synthetic week", () => {
  const now0 = at(0, 0);
  const profile = demandProfile(history(now0), now0);

  it("keeps workers warm in business hours and scales to zero at night and at weekends", () => {
    const busy = propose(profile, at(1, 11, 20), plan, null);
    expect(busy).toMatchObject({ workersMin: 2, idleTimeoutSeconds: 600 });
    expect(busy.workersMax).toBe(3); // peak 8 × 1.5 / 4
    expect(busy.explanation[0]).toContain("Tue 11:00-12:00 UTC expects 3600 requests/h");
    expect(busy.explanation.join("\n")).toContain("busy hour");

    const night = propose(profile, at(1, 3, 10), plan, null);
    expect(night).toMatchObject({ workersMin: 0, workersMax: 1, idleTimeoutSeconds: 60 });
    expect(night.explanation.join("\n")).toContain("quiet hour");

    const saturday = propose(profile, at(5, 11, 0), plan, null);
    expect(saturday).toMatchObject({ workersMin: 0, idleTimeoutSeconds: 60 });
  });

  it("adds the always-on workers one cold start before the busy hour, not earlier", () => {
    expect(propose(profile, at(2, 8, 30), plan, null).workersMin).toBe(1); // the 08:00 shoulder itself: 120 req/h
    expect(propose(profile, at(2, 7, 58, 0), plan, null).workersMin).toBe(0); // 2 min before 08:00 > 90 s
    const lead = propose(profile, at(2, 8, 58, 40), plan, null); // 80 s before 09:00
    expect(lead.slots).toEqual([24 * 2 + 8, 24 * 2 + 9]);
    expect(lead.workersMin).toBe(2);
    expect(lead.explanation[1]).toContain("next hour, within the 90 s cold start");
  });

  it("over a whole week of hourly proposals, follows the pattern", () => {
    const mins: number[] = [];
    for (let s = 0; s < SLOTS; s++) mins.push(propose(profile, at(0, 0) + s * HOUR_MS + 10 * 60_000, plan, null).workersMin);
    for (let s = 0; s < SLOTS; s++) {
      const day = Math.floor(s / 24);
      const h = s % 24;
      const expected = day < 5 && h >= 9 && h < 17 ? 2 : day < 5 && (h === 8 || h === 17) ? 1 : 0;
      expect([s, mins[s]]).toEqual([s, expected]);
    }
  });

  it("keeps the weekly schedule under the ceiling, quiet hours losing their warm workers first", () => {
    const free = weeklySchedule(profile, plan, null);
    expect(free.capped).toBeNull();
    // Always-on in business hours: 5 days × 8 h × 2 workers, shoulders 5 × 2 × 1, plus night and weekend flex.
    expect(free.monthlyUsd).toBeGreaterThan(200);

    const ceiling = free.monthlyUsd - 20; // a little under: the shoulders' warm worker-hours go
    const capped = weeklySchedule(profile, plan, ceiling);
    expect(capped.monthlyUsd).toBeLessThanOrEqual(ceiling);
    expect(capped.capped).toMatch(/^capped by the ceiling of \$[\d.]+\/month: the pattern would cost \$[\d.]+\/month; \d+ always-on worker-hours per week dropped/);
    expect(capped.slots[8]!.workersMin).toBe(0); // Monday 08:00 shoulder
    expect(capped.slots[10]!.workersMin).toBe(2); // business hours keep theirs
    expect(monthlyCostUsd(profile, capped.slots, plan)).toBeCloseTo(capped.monthlyUsd);

    const p = propose(profile, at(0, 8, 10), plan, ceiling);
    expect(p.workersMin).toBe(0);
    expect(p.capped).toBe(capped.capped);
    expect(p.explanation.at(-1)).toBe(capped.capped);
  });

  it("clips peaks once no warm worker is left, and holds any ceiling down to one flex worker", () => {
    for (const ceiling of [150, 80, 40, 10]) {
      const s = weeklySchedule(profile, plan, ceiling);
      expect(s.slots.every((x) => x.workersMin === 0)).toBe(true);
      if (!s.capped!.includes("still")) expect(s.monthlyUsd).toBeLessThanOrEqual(ceiling + 1e-9);
      for (const slot of s.slots) expect(slot.workersMax).toBeGreaterThanOrEqual(1);
    }
    const tight = weeklySchedule(profile, plan, 40);
    expect(tight.capped).toContain("peak worker-hours per week clipped");
    expect(Math.max(...tight.slots.map((x) => x.workersMax))).toBeLessThan(3);
  });
});
