import { describe, expect, it } from "vitest";
import { estimateCost, modelClass } from "../../../workers/deploy/estimate";
import { planDeployment, type DeploymentPlan, type PlanOptions } from "../../../workers/deploy/planner";
import { sampleFacts } from "./sample-facts";

function plan(id: string, options: Partial<PlanOptions> = {}): DeploymentPlan {
  const r = planDeployment(sampleFacts(id), { hfTokenAvailable: true, ...options });
  if (!r.ok) throw new Error(`${id}: ${r.code} ${r.reason}`);
  return r.plan;
}

/** A plan with round numbers, so every figure below can be checked by hand. */
function handPlan(overrides: Partial<DeploymentPlan> = {}): DeploymentPlan {
  const base = plan("Qwen/Qwen2.5-7B-Instruct");
  return {
    ...base,
    gpu: { ...base.gpu, pool: "AMPERE_24", count: 1, usdPerSecond: 0.0002 },
    throughput: { outputTokensPerSecond: 400, inputTokensPerSecond: 4000, perSequenceTokensPerSecond: 20 },
    scaling: { ...base.scaling, workersMin: 1, workersMax: 3 },
    ...overrides,
  };
}

describe("estimateCost arithmetic", () => {
  it("prices a worker per second, per hour and per month at the scaling bounds", () => {
    const e = estimateCost(handPlan());
    expect(e.gpu).toEqual({ pool: "AMPERE_24", label: "L4 / A5000 / RTX 3090 · 24 GB", count: 1 });
    expect(e.perWorker).toEqual({ usdPerSecond: 0.0002, usdPerHour: 0.72 });
    // 0.72 $/h × 730 h = $525.60 per always-on worker.
    expect(e.monthly.minUsd).toBe(525.6);
    expect(e.monthly.maxUsd).toBe(1576.8);
    expect(e.monthly.note).toMatch(/1 always-on worker/);
  });

  it("blends 3:1 input:output per million tokens at full utilisation", () => {
    const e = estimateCost(handPlan());
    // Output: 0.0002 $/s ÷ 400 tok/s = $0.50 per 1M; input: ÷ 4000 = $0.05 per 1M; (3 × 0.05 + 0.50) / 4 = 0.1625.
    expect(e.perMillionTokens.usd).toBe(0.1625);
    expect(e.perMillionTokens.outputTokensPerSecond).toBe(400);
  });

  it("compares against Western models of the class, blended the same way", () => {
    const e = estimateCost(handPlan());
    expect(e.class).toBe("small");
    expect(e.comparison).toEqual([
      // gpt-4o-mini: (3 × 0.15 + 0.60) / 4 = 0.2625 → (0.2625 − 0.1625) / 0.2625 = 38.1%
      { model: "openai/gpt-4o-mini", usdPerMillion: 0.2625, savingPercent: 38.1 },
      // gemini-2.5-flash-lite: (3 × 0.10 + 0.40) / 4 = 0.175 → 7.1%
      { model: "google/gemini-2.5-flash-lite", usdPerMillion: 0.175, savingPercent: 7.1 },
      // claude-haiku-4-5: (3 × 1 + 5) / 4 = 2 → 91.9%
      { model: "anthropic/claude-haiku-4-5", usdPerMillion: 2, savingPercent: 91.9 },
    ]);
  });

  it("reports a negative saving when the deployment costs more per token", () => {
    const e = estimateCost(handPlan({ throughput: { outputTokensPerSecond: 20, inputTokensPerSecond: 200, perSequenceTokensPerSecond: 20 } }));
    // Output $10/M, input $1/M → $3.25 blended, dearer than all three.
    expect(e.perMillionTokens.usd).toBe(3.25);
    for (const c of e.comparison) expect(c.savingPercent).toBeLessThan(0);
  });

  it("says a scale-to-zero deployment starts at $0 a month", () => {
    const e = estimateCost(handPlan({ scaling: { ...handPlan().scaling, workersMin: 0, workersMax: 2 } }));
    expect([e.monthly.minUsd, e.monthly.maxUsd]).toEqual([0, 1051.2]);
    expect(e.monthly.note).toMatch(/Scales to zero/);
  });

  it("multiplies by the GPU count", () => {
    const e = estimateCost(handPlan({ gpu: { pool: "AMPERE_48", label: "A6000 / A40 · 48 GB", count: 4, memoryGb: 48, usdPerSecond: 0.00034 } }));
    expect(e.perWorker.usdPerSecond).toBeCloseTo(0.00136, 12);
    expect(e.perWorker.usdPerHour).toBe(4.896);
    expect(e.monthly.minUsd).toBe(3574.08);
  });
});

describe("estimateCost on planned models", () => {
  it("prices embeddings by input tokens against OpenAI's embedding models", () => {
    const p = plan("sentence-transformers/all-MiniLM-L6-v2");
    const e = estimateCost(p);
    expect(e.class).toBe("embedding");
    expect(e.comparison.map((c) => c.model)).toEqual(["openai/text-embedding-3-small", "openai/text-embedding-3-large"]);
    expect(e.comparison.map((c) => c.usdPerMillion)).toEqual([0.02, 0.13]);
    const expected = (p.gpu.usdPerSecond / p.throughput.inputTokensPerSecond) * 1e6;
    expect(e.perMillionTokens.usd).toBeCloseTo(expected, 4);
    expect(e.comparison[0]!.savingPercent).toBeCloseTo(((0.02 - e.perMillionTokens.usd) / 0.02) * 100, 0);
  });

  it("agrees with an independent computation for a real plan", () => {
    const p = plan("Qwen/Qwen2.5-7B-Instruct");
    const e = estimateCost(p);
    const perSecond = p.gpu.usdPerSecond * p.gpu.count;
    const blended = ((3 * perSecond) / p.throughput.inputTokensPerSecond + perSecond / p.throughput.outputTokensPerSecond) / 4 * 1e6;
    expect(e.perMillionTokens.usd).toBeCloseTo(blended, 4);
    expect(e.monthly.maxUsd).toBeCloseTo(p.scaling.workersMax * perSecond * 3600 * 730, 2);
  });

  it.each([
    ["Qwen/Qwen2.5-0.5B-Instruct", "small"],
    ["Qwen/Qwen3-30B-A3B", "small"], // √(30.5B × 3.3B) ≈ 10B effective
    ["mistralai/Mixtral-8x7B-Instruct-v0.1", "medium"],
    ["meta-llama/Llama-3.3-70B-Instruct", "medium"],
    ["mistralai/Mistral-Large-Instruct-2407", "large"],
  ])("classes %s as %s", (id, cls) => {
    const e = estimateCost(plan(id));
    expect(e.class).toBe(cls);
    const expected = { small: "openai/gpt-4o-mini", medium: "openai/gpt-4.1-mini", large: "openai/gpt-4.1" }[cls as "small"];
    expect(e.comparison[0]!.model).toBe(expected);
    expect(e.comparison).toHaveLength(3);
  });

  it("classes by effective size at the boundaries", () => {
    expect(modelClass({ kind: "chat", parameters: 15e9, activeParameters: 15e9 })).toBe("small");
    expect(modelClass({ kind: "chat", parameters: 16e9, activeParameters: 16e9 })).toBe("medium");
    expect(modelClass({ kind: "chat", parameters: 81e9, activeParameters: 81e9 })).toBe("large");
    expect(modelClass({ kind: "embedding", parameters: 8e9, activeParameters: 8e9 })).toBe("embedding");
  });
});
