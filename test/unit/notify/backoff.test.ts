import { describe, expect, it } from "vitest";
import { afterManualAttempt, afterScheduledAttempt, DEFAULT_RETRY_SCHEDULE_MS, retrySchedule } from "../../../workers/notify/backoff";

describe("retry schedule", () => {
  it("defaults to immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h", () => {
    const s = 1000;
    const m = 60 * s;
    const h = 60 * m;
    expect(DEFAULT_RETRY_SCHEDULE_MS).toEqual([0, 5 * s, 5 * m, 30 * m, 2 * h, 5 * h, 10 * h, 10 * h]);
    expect(retrySchedule(undefined)).toBe(DEFAULT_RETRY_SCHEDULE_MS);
    expect(retrySchedule("  ")).toBe(DEFAULT_RETRY_SCHEDULE_MS);
  });

  it("reads NOTIFY_RETRY_SCHEDULE_MS, falling back on anything malformed", () => {
    expect(retrySchedule("0,200, 400")).toEqual([0, 200, 400]);
    for (const bad of ["0,-1", "0,abc", "0,1.5", "0,,5", String(8 * 86_400_000)]) expect(retrySchedule(bad)).toBe(DEFAULT_RETRY_SCHEDULE_MS);
  });

  it("walks the schedule after each failure and fails after the last attempt", () => {
    const schedule = DEFAULT_RETRY_SCHEDULE_MS;
    const t = 1_000_000;
    const seen: Array<number | null> = [];
    for (let made = 1; made <= schedule.length; made++) {
      const o = afterScheduledAttempt(schedule, made, false, t);
      seen.push(o.nextAttemptAt === null ? null : o.nextAttemptAt - t);
      expect(o.status).toBe(made < schedule.length ? "pending" : "failed");
    }
    expect(seen).toEqual([...schedule.slice(1), null]);
  });

  it("success at any attempt delivers and schedules nothing", () => {
    for (let made = 1; made <= 8; made++) expect(afterScheduledAttempt(DEFAULT_RETRY_SCHEDULE_MS, made, true, 5)).toEqual({ status: "delivered", nextAttemptAt: null });
  });

  it("a manual redelivery never moves the schedule: success delivers, failure changes nothing", () => {
    const pending = { status: "pending" as const, nextAttemptAt: 123 };
    expect(afterManualAttempt(pending, true)).toEqual({ status: "delivered", nextAttemptAt: null });
    expect(afterManualAttempt(pending, false)).toBe(pending);
    const failed = { status: "failed" as const, nextAttemptAt: null };
    expect(afterManualAttempt(failed, false)).toBe(failed);
  });
});
