import { describe, expect, it } from "vitest";
import { DEFAULT_RUNPOD_PRICE, runpodPrice, WESTERN_PRICES } from "../../../workers/catalog/prices";
import { costAndSavings } from "../../../workers/gateway/pipeline";
import { resolveRoute } from "../../../workers/gateway/resolve";

describe("cost and savings", () => {
  it("prices RunPod tokens from GPU seconds and throughput", () => {
    // $0.00076/s at 1,200 tokens/s output = $0.633/M output tokens; prefill 10x faster.
    expect(DEFAULT_RUNPOD_PRICE).toEqual({ input: 63_333, output: 633_333 });
    expect(runpodPrice(0.00116, 2000, 40_000)).toEqual({ input: 29_000, output: 580_000 });
  });

  it("measures a call served on RunPod against the Western model the caller named", () => {
    const route = resolveRoute("gpt-4o", [{ match: "gpt-4o", targets: ["runpod/ep1/Qwen/Qwen2.5-72B-Instruct"] }]);
    const usage = { inputTokens: 10_000, outputTokens: 2_000 };
    const { cost, savings } = costAndSavings(usage, route.targets[0]!, route);
    // RunPod: 10k x 0.063333 + 2k x 0.633333 = 634 + 1267 µ$ (each rounded up as one total): 1900 µ$.
    expect(cost).toBe(Math.ceil((10_000 * 63_333 + 2_000 * 633_333) / 1e6));
    // gpt-4o: 10k x $2.50/M + 2k x $10/M = 25,000 + 20,000 = 45,000 µ$.
    expect(savings).toBe(45_000 - cost);
    expect(WESTERN_PRICES["openai/gpt-4o"]!.input).toBe(2_500_000);
  });

  it("saves nothing when the Western model itself answers, and never reports negative savings", () => {
    const direct = resolveRoute("anthropic/claude-sonnet-4-5");
    expect(costAndSavings({ inputTokens: 100, outputTokens: 100 }, direct.targets[0]!, direct).savings).toBe(0);
    const pricier = resolveRoute("gpt-4o-mini", [{ match: "gpt-4o-mini", targets: ["anthropic/claude-opus-4-1"] }]);
    expect(costAndSavings({ inputTokens: 1000, outputTokens: 1000 }, pricier.targets[0]!, pricier).savings).toBe(0);
  });
});
