import { describe, expect, it } from "vitest";
import { expire, freshState, nextAlarm, periodBounds, periodOf, release, remaining, reserve, RESERVATION_TTL_MS, settle, type BudgetState } from "../../../workers/budgets/policy";

const NOV = Date.UTC(2026, 10, 27, 12);

describe("budget policy", () => {
  it("periods are calendar months in UTC", () => {
    expect(periodOf(NOV)).toBe("2026-11");
    expect(periodOf(Date.UTC(2026, 11, 31, 23, 59, 59))).toBe("2026-12");
    expect(periodBounds("2026-12")).toEqual({ start: "2026-12-01T00:00:00.000Z", end: "2027-01-01T00:00:00.000Z" });
  });

  it("caps the output to what the budget can pay for", () => {
    const r = reserve(freshState(NOV, 10_000), NOV, "a", 1000, 20_000);
    expect(r.ok && r.maxOutputTokens).toBe(9000);
    expect(r.ok && remaining(r.state)).toBe(0);
  });

  it("never lets parallel reservations exceed the budget", () => {
    let s: BudgetState = freshState(NOV, 10_000);
    let granted = 0;
    let reservedTokens = 0;
    for (let i = 0; i < 100; i++) {
      const r = reserve(s, NOV, `r${i}`, 300, 500, 50);
      s = r.state;
      if (r.ok) {
        granted++;
        reservedTokens += r.reservation.tokens;
      }
    }
    expect(reservedTokens).toBeLessThanOrEqual(10_000);
    expect(granted).toBeGreaterThan(10);
    const refused = reserve(s, NOV, "late", 300, 500, 50);
    expect(refused).toMatchObject({ ok: false });
  });

  it("refuses a prompt the budget cannot cover, distinctly from an exhausted budget", () => {
    expect(reserve(freshState(NOV, 100), NOV, "a", 500, 10)).toMatchObject({ ok: false, reason: "prompt_exceeds_budget", remaining: 100 });
    const spent = settle(freshState(NOV, 100), NOV, "x", 100);
    expect(reserve(spent, NOV, "b", 1, 1)).toMatchObject({ ok: false, reason: "budget_exhausted" });
  });

  it("settles to real usage (even above the reservation) and releases failures", () => {
    const r = reserve(freshState(NOV, 10_000), NOV, "a", 100, 1000);
    if (!r.ok) throw new Error("expected a reservation");
    const settled = settle(r.state, NOV, "a", 1500);
    expect(settled.used).toBe(1500);
    expect(settled.reservations).toEqual({});
    const r2 = reserve(settled, NOV, "b", 100, 100);
    if (!r2.ok) throw new Error("expected a reservation");
    expect(release(r2.state, "b")).toEqual(settled);
  });

  it("resets usage on the calendar month and keeps in-flight reservations", () => {
    const lastMinute = Date.UTC(2026, 10, 30, 23, 59, 30);
    const r = reserve(settle(freshState(lastMinute, 1000), lastMinute, "x", 900), lastMinute, "a", 10, 50);
    if (!r.ok) throw new Error("expected a reservation");
    const dec1 = Date.UTC(2026, 11, 1, 0, 0, 30);
    const next = reserve(r.state, dec1, "b", 10, 10_000);
    expect(next.ok && next.state.period).toBe("2026-12");
    expect(next.ok && next.maxOutputTokens).toBe(1000 - 60 - 10);
  });

  it("expires forgotten reservations and schedules the next alarm", () => {
    const r = reserve(freshState(NOV, 1000), NOV, "a", 10, 990);
    if (!r.ok) throw new Error("expected a reservation");
    expect(nextAlarm(r.state)).toBe(NOV + RESERVATION_TTL_MS);
    expect(remaining(expire(r.state, NOV + RESERVATION_TTL_MS))).toBe(1000);
    expect(nextAlarm(freshState(NOV, 1))).toBeUndefined();
  });

  it("unlimited budgets always reserve the requested output", () => {
    const r = reserve(freshState(NOV, null), NOV, "a", 10, 4096);
    expect(r.ok && r.maxOutputTokens).toBe(4096);
  });
});
