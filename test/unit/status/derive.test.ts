import { describe, expect, it } from "vitest";
import {
  budgetMinutesPerMonth,
  currentStatus,
  deriveIncidents,
  deriveStatus,
  errorBudget,
  overallStatus,
  SAMPLE_INTERVAL_MS,
  summarize,
  type HealthStatus,
  type Sample,
} from "../../../workers/status/derive";
import { attemptFailed, classifyCalls, classifyProbe, worse } from "../../../workers/status/record";

const MIN = 60_000;
const DAY = 86_400_000;
// 2026-11-20 12:00 UTC: mid-month, mid-day.
const NOW = Date.UTC(2026, 10, 20, 12, 0);

/** A sample every 5 minutes for `component` from `from` to `to` (inclusive), status by time. */
function series(component: string, from: number, to: number, status: (at: number) => HealthStatus = () => "up"): Sample[] {
  const out: Sample[] = [];
  for (let at = from; at <= to; at += SAMPLE_INTERVAL_MS) out.push({ component, at, status: status(at) });
  return out;
}
const within = (a: number, b: number, s: HealthStatus) => (at: number) => (at >= a && at <= b ? s : "up");
const derive = (samples: Sample[], components = ["platform", "openai"], now = NOW) => deriveStatus(summarize(samples, now), components, now);

describe("current status", () => {
  it("is the newest sample's, or unknown when it is stale or missing", () => {
    expect(currentStatus({ component: "x", at: NOW - 5 * MIN, status: "down" }, NOW)).toBe("down");
    expect(currentStatus({ component: "x", at: NOW - 16 * MIN, status: "up" }, NOW)).toBe("unknown");
    expect(currentStatus(undefined, NOW)).toBe("unknown");
  });

  it("overall is the worst known component; unknown only when nothing is known", () => {
    expect(overallStatus([{ status: "up" }, { status: "degraded" }, { status: "unknown" }])).toBe("degraded");
    expect(overallStatus([{ status: "up" }, { status: "down" }])).toBe("down");
    expect(overallStatus([{ status: "unknown" }])).toBe("unknown");
  });
});

describe("uptime", () => {
  it("all up: 100% in every window, 90 bars with today last", () => {
    const s = derive([...series("platform", NOW - 10 * DAY, NOW), ...series("openai", NOW - 10 * DAY, NOW)]);
    const p = s.components.find((c) => c.id === "platform")!;
    expect(p.status).toBe("up");
    expect(p.uptime).toEqual({ h24: 100, d7: 100, d30: 100, d90: 100 });
    expect(p.days).toHaveLength(90);
    expect(p.days.at(-1)).toEqual({ day: "2026-11-20", uptime: 100, worst: "up" });
    expect(p.days[0]!.uptime).toBeNull(); // no samples 89 days ago: no figure, not 0%
    expect(s.incidents).toEqual([]);
    expect(s.overall).toBe("up");
  });

  it("down counts zero, degraded half, per sample", () => {
    // The 24 h window is the 24 hourly buckets up to the current one: from 13:00 yesterday (277 samples).
    const start = NOW - 23 * 60 * MIN;
    const samples = series("openai", start, NOW, (at) => {
      const i = (at - start) / SAMPLE_INTERVAL_MS;
      return i < 12 ? "down" : i < 36 ? "degraded" : "up";
    });
    expect(samples).toHaveLength(277);
    const s = derive(samples);
    const o = s.components.find((c) => c.id === "openai")!;
    expect(o.uptime.h24).toBe(Math.round(((277 - 12 - 12) / 277) * 100_000) / 1000);
    expect(o.uptime.d7).toBe(o.uptime.h24);
  });

  it("windows: an outage 20 days ago lowers 30 d and 90 d, not 7 d or 24 h", () => {
    const outage = NOW - 20 * DAY;
    const samples = series("openai", NOW - 40 * DAY, NOW, within(outage, outage + 60 * MIN, "down"));
    const o = derive(samples).components.find((c) => c.id === "openai")!;
    expect(o.uptime.h24).toBe(100);
    expect(o.uptime.d7).toBe(100);
    expect(o.uptime.d30!).toBeLessThan(100);
    expect(o.uptime.d90!).toBeLessThan(100);
    expect(o.uptime.d90!).toBeGreaterThan(o.uptime.d30! - 0.5);
    const bar = o.days.find((d) => d.day === new Date(outage).toISOString().slice(0, 10))!;
    expect(bar.worst).toBe("down");
    expect(bar.uptime!).toBeCloseTo((1 - 13 / 288) * 100, 2);
  });

  it("samples older than 90 days do not count", () => {
    const samples = [...series("openai", NOW - 100 * DAY, NOW - 95 * DAY, () => "down"), ...series("openai", NOW - DAY, NOW)];
    expect(derive(samples).components.find((c) => c.id === "openai")!.uptime.d90).toBe(100);
  });

  it("a component without samples is unknown with no figures", () => {
    const s = derive(series("platform", NOW - DAY, NOW), ["platform", "stripe"]);
    const stripe = s.components.find((c) => c.id === "stripe")!;
    expect(stripe.status).toBe("unknown");
    expect(stripe.uptime).toEqual({ h24: null, d7: null, d30: null, d90: null });
    expect(s.overall).toBe("up");
  });
});

describe("incidents", () => {
  it("a run of down samples is one incident with start one interval before, end one after", () => {
    const a = NOW - 3 * 60 * MIN;
    const b = a + 30 * MIN;
    const s = derive([...series("platform", NOW - DAY, NOW), ...series("openai", NOW - DAY, NOW, within(a, b, "down"))]);
    expect(s.incidents).toHaveLength(1);
    expect(s.incidents[0]).toMatchObject({
      start: new Date(a - SAMPLE_INTERVAL_MS).toISOString(),
      end: new Date(b + SAMPLE_INTERVAL_MS).toISOString(),
      ongoing: false,
      worst: "down",
      components: ["openai"],
      durationMinutes: 40,
    });
  });

  it("an outage still going on is ongoing with no end, and the component is down now", () => {
    const a = NOW - 20 * MIN;
    const s = derive([...series("platform", NOW - DAY, NOW), ...series("openai", NOW - DAY, NOW, (at) => (at >= a ? "down" : "up"))]);
    expect(s.incidents[0]).toMatchObject({ ongoing: true, end: null, worst: "down", components: ["openai"], durationMinutes: 25 });
    expect(s.components.find((c) => c.id === "openai")!.status).toBe("down");
  });

  it("runs separated by a short blip of up samples merge; runs far apart do not", () => {
    const a = NOW - 5 * 60 * MIN;
    const status = (at: number): HealthStatus => {
      const m = (at - a) / MIN;
      if (m >= 0 && m <= 10) return "degraded"; // a, a+5, a+10
      if (m >= 20 && m <= 25) return "down"; // after two up samples (10 min gap < 15 min): same incident
      if (m >= 120 && m <= 130) return "degraded"; // far later: another incident
      return "up";
    };
    const s = derive([...series("platform", NOW - DAY, NOW), ...series("openai", NOW - DAY, NOW, status)]);
    expect(s.incidents).toHaveLength(2);
    const [newer, older] = s.incidents;
    expect(older).toMatchObject({ worst: "down", start: new Date(a - SAMPLE_INTERVAL_MS).toISOString(), end: new Date(a + 30 * MIN).toISOString() });
    expect(newer).toMatchObject({ worst: "degraded", components: ["openai"] });
  });

  it("overlapping runs of different components are one incident naming both, with the worst status", () => {
    const a = NOW - 4 * 60 * MIN;
    const s = derive([
      ...series("platform", NOW - DAY, NOW, within(a + 10 * MIN, a + 40 * MIN, "degraded")),
      ...series("openai", NOW - DAY, NOW, within(a, a + 20 * MIN, "down")),
    ]);
    expect(s.incidents).toHaveLength(1);
    expect(s.incidents[0]).toMatchObject({ components: ["openai", "platform"], worst: "down", start: new Date(a - SAMPLE_INTERVAL_MS).toISOString(), end: new Date(a + 45 * MIN).toISOString() });
  });

  it("a stale non-up newest sample (the cron stopped) is not ongoing", () => {
    const last = NOW - 60 * MIN;
    const inc = deriveIncidents([{ component: "openai", at: last, status: "down" }], [{ component: "openai", at: last, status: "down" }], NOW);
    expect(inc[0]).toMatchObject({ ongoing: false, end: new Date(last + SAMPLE_INTERVAL_MS).toISOString() });
  });

  it("incidents of components not on this platform are left out", () => {
    const s = derive([...series("platform", NOW - DAY, NOW), ...series("stripe", NOW - DAY, NOW, () => "down")], ["platform"]);
    expect(s.incidents).toEqual([]);
  });
});

describe("the 99.9% target and the month's error budget", () => {
  it("is 43.2 minutes a month at 99.9%", () => {
    expect(budgetMinutesPerMonth()).toBe(43.2);
    expect(budgetMinutesPerMonth(0.99)).toBe(432);
  });

  it("all up this month: the whole budget left", () => {
    const b = derive(series("platform", Date.UTC(2026, 10, 1), NOW)).budget;
    expect(b).toMatchObject({ targetPercent: 99.9, month: "2026-11", budgetMinutes: 43.2, usedMinutes: 0, remainingMinutes: 43.2, remainingPercent: 100, availabilityPercent: 100 });
  });

  it("platform down 20 min and degraded 10 min this month uses 25 minutes; last month's outage does not count", () => {
    const a = NOW - 2 * DAY;
    const samples = [
      ...series("platform", Date.UTC(2026, 9, 25), Date.UTC(2026, 9, 31), within(Date.UTC(2026, 9, 28), Date.UTC(2026, 9, 29), "down")),
      ...series("platform", Date.UTC(2026, 10, 1), NOW, (at) => (at >= a && at < a + 20 * MIN ? "down" : at >= a + 20 * MIN && at < a + 30 * MIN ? "degraded" : "up")),
    ];
    const b = derive(samples).budget;
    expect(b.usedMinutes).toBe(25);
    expect(b.remainingMinutes).toBe(18.2);
    expect(b.remainingPercent).toBeCloseTo(42.1, 1);
    expect(b.availabilityPercent!).toBeLessThan(100);
  });

  it("an upstream's outage does not spend the platform's budget; overspending shows 0% left", () => {
    expect(derive(series("openai", Date.UTC(2026, 10, 1), NOW, () => "down")).budget.usedMinutes).toBe(0);
    const over = errorBudget([{ component: "platform", start: Date.UTC(2026, 10, 2), samples: 20, score: 0, worst: 2 }], NOW);
    expect(over.usedMinutes).toBe(100);
    expect(over.remainingMinutes).toBe(-56.8);
    expect(over.remainingPercent).toBe(0);
  });
});

describe("classifying what the cron sees", () => {
  it("attempts: 429, 5xx, credentials refused, no answer and open circuits count against the upstream; caller errors do not", () => {
    expect([200, 400, 404, 422].map(attemptFailed)).toEqual([false, false, false, false]);
    expect([401, 403, 429, 500, 503, 529].map(attemptFailed)).toEqual([true, true, true, true, true, true]);
    expect((["network", "timeout", "circuit_open"] as const).map(attemptFailed)).toEqual([true, true, true]);
    expect(attemptFailed("unconfigured")).toBeUndefined();
  });

  it("calls: too few say nothing; ≥ 50% failed is down, ≥ 10% degraded", () => {
    expect(classifyCalls(0, 2)).toBeNull();
    expect(classifyCalls(0, 6)).toEqual({ status: "down", errorRate: 1 });
    expect(classifyCalls(8, 2)?.status).toBe("degraded");
    expect(classifyCalls(19, 1)?.status).toBe("up");
  });

  it("probes: failure is down, slow is degraded; the worse of probe and calls wins", () => {
    expect(classifyProbe({ ok: false, ms: 10 })).toBe("down");
    expect(classifyProbe({ ok: true, ms: 4_000 })).toBe("degraded");
    expect(classifyProbe({ ok: true, ms: 50 })).toBe("up");
    expect(worse("up", "degraded")).toBe("degraded");
    expect(worse("down", "degraded")).toBe("down");
  });
});
