import { describe, expect, it } from "vitest";
import { costMicros, formatUsd, priceFor, WESTERN_PRICES } from "../../../workers/catalog/prices";

describe("prices", () => {
  it("resolves dated snapshots to their family by the longest prefix", () => {
    expect(priceFor("anthropic/claude-sonnet-4-5-20250929")).toBe(WESTERN_PRICES["anthropic/claude-sonnet-4-5"]);
    expect(priceFor("anthropic/claude-sonnet-4-20250514")).toBe(WESTERN_PRICES["anthropic/claude-sonnet-4"]);
    expect(priceFor("openai/gpt-4o-mini-2024-07-18")).toBe(WESTERN_PRICES["openai/gpt-4o-mini"]);
    expect(priceFor("openai/gpt-4o-2024-08-06")).toBe(WESTERN_PRICES["openai/gpt-4o"]);
    expect(priceFor("openai/gpt-4o2")).toBeUndefined();
    expect(priceFor("mystery/model")).toBeUndefined();
  });

  it("prices every token class and rounds up to a whole micro-dollar", () => {
    const sonnet = WESTERN_PRICES["anthropic/claude-sonnet-4-5"]!;
    // 1000 plain input at $3/M = 3000 µ$, 2000 cached at $0.30/M = 600 µ$, 100 written at $3.75/M = 375 µ$, 500 out at $15/M = 7500 µ$.
    expect(costMicros({ inputTokens: 3100, cachedInputTokens: 2000, cacheWriteTokens: 100, outputTokens: 500 }, sonnet)).toBe(11_475);
    expect(costMicros({ inputTokens: 1, outputTokens: 0 }, WESTERN_PRICES["openai/gpt-4o-mini"]!)).toBe(1); // 0.15 µ$ -> 1
    expect(costMicros({ inputTokens: 0, outputTokens: 0 }, sonnet)).toBe(0);
    expect(formatUsd(11_475)).toBe("0.011475");
  });
});
