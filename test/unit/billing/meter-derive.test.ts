import { describe, expect, it } from "vitest";
import { markedUp, markupPercent, meterLines, type LedgerEvent } from "../../../workers/billing/meter-derive";

const ev = (id: string, at: number, provider: string, tokens: number, costMicros: number): LedgerEvent => ({ id, at, provider, tokens, costMicros });

describe("what usage bills beyond a subscription", () => {
  it("bills the part of a call beyond the included tokens, in ledger order, at cost plus markup", () => {
    // Included 100 tokens, markup 20%.
    // a: 60 tokens (0..60) inside; b: 60 tokens (60..120): 20 beyond -> 1/3 of 900 = 300 -> 360;
    // c: 50 tokens all beyond: 500 -> 600. They arrive out of order; the ledger order is by time.
    const lines = meterLines([ev("c", 3, "openai", 50, 500), ev("a", 1, "openai", 60, 600), ev("b", 2, "anthropic", 60, 900)], 100, 20);
    expect(lines).toEqual([
      { id: "b", at: 2, amountMicros: 360, kind: "overage" },
      { id: "c", at: 3, amountMicros: 600, kind: "overage" },
    ]);
  });

  it("bills every RunPod call's GPU cost, inside the included tokens or not", () => {
    const lines = meterLines([ev("r1", 1, "runpod", 10, 1_000), ev("o1", 2, "openai", 10, 50)], 1_000, 25);
    expect(lines).toEqual([{ id: "r1", at: 1, amountMicros: 1_250, kind: "gpu" }]);
  });

  it("orders ties by id and bills nothing for free calls", () => {
    const lines = meterLines([ev("y", 5, "openai", 10, 100), ev("x", 5, "openai", 10, 100), ev("z", 6, "openai", 10, 0)], 10, 0);
    expect(lines.map((l) => l.id)).toEqual(["y"]); // x (first by id) uses the 10 included tokens
  });

  it("reads the markup setting, falling back to 20%", () => {
    expect(markupPercent(undefined)).toBe(20);
    expect(markupPercent("35")).toBe(35);
    expect(markupPercent("-1")).toBe(20);
    expect(markupPercent("lots")).toBe(20);
    expect(markedUp(1_000_001, 20)).toBe(1_200_001);
  });
});
