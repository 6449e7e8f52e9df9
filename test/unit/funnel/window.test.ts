import { describe, expect, it } from "vitest";
import { parseWindow } from "../../../workers/funnel/window";

const NOW = Date.parse("2026-03-15T13:45:00Z");
const DAY = 86_400_000;

describe("parseWindow", () => {
  it("defaults to the last 30 days, today included", () => {
    const r = parseWindow({}, NOW);
    expect(r).toEqual({ ok: true, window: { from: "2026-02-14", to: "2026-03-15", fromMs: Date.parse("2026-02-14T00:00:00Z"), toMs: Date.parse("2026-03-16T00:00:00Z") } });
    if (r.ok) expect((r.window.toMs - r.window.fromMs) / DAY).toBe(30);
  });

  it("takes whole UTC days, both ends inclusive", () => {
    expect(parseWindow({ from: "2026-01-01", to: "2026-01-01" }, NOW)).toMatchObject({ ok: true, window: { fromMs: Date.parse("2026-01-01T00:00:00Z"), toMs: Date.parse("2026-01-02T00:00:00Z") } });
    expect(parseWindow({ from: "2026-01-01" }, NOW)).toMatchObject({ ok: true, window: { from: "2026-01-01", to: "2026-01-30" } });
    expect(parseWindow({ from: "2026-03-10" }, NOW)).toMatchObject({ ok: true, window: { from: "2026-03-10", to: "2026-03-15" } });
    expect(parseWindow({ to: "2026-01-30" }, NOW)).toMatchObject({ ok: true, window: { from: "2026-01-01", to: "2026-01-30" } });
    expect(parseWindow({ from: "2025-03-15", to: "2026-03-15" }, NOW)).toMatchObject({ ok: true });
  });

  it("says what is wrong with a bad window", () => {
    for (const [q, msg] of [
      [{ from: "yesterday" }, /from must be a date as YYYY-MM-DD/],
      [{ to: "2026-02-30" }, /to must be a date/],
      [{ from: "2026-1-1" }, /from must be a date/],
      [{ from: "" }, /from must be a date/],
      [{ from: "2026-03-02", to: "2026-03-01" }, /is after to/],
      [{ from: "2024-01-01", to: "2026-01-01" }, /at most 366/],
    ] as const) {
      const r = parseWindow(q, NOW);
      expect(r.ok, JSON.stringify(q)).toBe(false);
      if (!r.ok) expect(r.message).toMatch(msg);
    }
  });
});
