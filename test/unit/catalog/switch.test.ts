import { describe, expect, it } from "vitest";
import { categorize } from "../../../workers/catalog/categories";
import { WESTERN_PRICES } from "../../../workers/catalog/prices";
import { alternativesFor, switchSuggestions } from "../../../workers/catalog/switch";
import { planDeployment } from "../../../workers/deploy/planner";
import { sampleFacts } from "../deploy/sample-facts";
import { sampleInput } from "./sample-input";

const all = switchSuggestions();

describe("switch suggestions", () => {
  it("covers every Western model the bridge prices, in price-table order", () => {
    expect(all.map((s) => s.western)).toEqual(Object.keys(WESTERN_PRICES));
    expect(new Set(all.map((s) => s.provider))).toEqual(new Set(["openai", "anthropic", "google"]));
  });

  it("carries the list prices in USD per million tokens", () => {
    for (const s of all) {
      const price = WESTERN_PRICES[s.western]!;
      expect(Math.round(s.inputPerMillionUsd * 1e6), s.western).toBe(price.input);
      expect(Math.round(s.outputPerMillionUsd * 1e6), s.western).toBe(price.output);
    }
    const sonnet = all.find((s) => s.western === "anthropic/claude-sonnet-4-5")!;
    expect(sonnet).toMatchObject({ label: "Claude Sonnet 4.5", inputPerMillionUsd: 3, outputPerMillionUsd: 15 });
  });

  it("offers at least two distinct alternatives, each with a one-line why", () => {
    for (const s of all) {
      expect(s.alternatives.length, s.western).toBeGreaterThanOrEqual(2);
      expect(new Set(s.alternatives.map((a) => a.model)).size, s.western).toBe(s.alternatives.length);
      for (const a of s.alternatives) expect(a.why, a.model).toMatch(/^[^\n]{20,160}$/);
      expect(s.label.length).toBeGreaterThan(1);
    }
  });

  it("replaces embedding models with embedding models and chat models with chat models", () => {
    expect(all.filter((s) => s.kind === "embedding").map((s) => s.western)).toEqual(Object.keys(WESTERN_PRICES).filter((k) => k.includes("embedding")));
    for (const s of all) {
      for (const a of s.alternatives) {
        const cats = categorize(sampleInput(a.model));
        expect(cats, `${s.western} → ${a.model}`).toContain(s.kind === "embedding" ? "embeddings" : "chat");
      }
    }
  });

  // The route prices each alternative with the deploy estimate: all of them must plan, without a token.
  it("suggests only real sample models that deploy in one tap as the right kind", () => {
    const models = new Map(all.flatMap((s) => s.alternatives.map((a) => [a.model, s.kind] as const)));
    for (const [id, kind] of models) {
      const result = planDeployment(sampleFacts(id), { hfTokenAvailable: false });
      expect(result.ok, `${id}: ${result.ok ? "" : result.reason}`).toBe(true);
      if (result.ok) expect(result.plan.kind, id).toBe(kind === "embedding" ? "embedding" : "chat");
    }
  });
});

describe("alternativesFor", () => {
  it.each([
    ["anthropic/claude-sonnet-4-5", "anthropic/claude-sonnet-4-5"],
    ["anthropic/claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4-5"],
    ["claude-sonnet-4-20250514", "anthropic/claude-sonnet-4"],
    ["claude-3-5-haiku-20241022", "anthropic/claude-3-5-haiku"],
    ["openai/gpt-4o-2024-08-06", "openai/gpt-4o"],
    ["gpt-4o-mini-2024-07-18", "openai/gpt-4o-mini"],
    ["gpt-5-mini", "openai/gpt-5-mini"],
    ["text-embedding-3-large", "openai/text-embedding-3-large"],
    ["google/gemini-2.5-flash-lite-001", "google/gemini-2.5-flash-lite"],
    ["gemini/gemini-2.5-pro", "google/gemini-2.5-pro"],
  ])("%s → %s", (asked, western) => {
    const found = alternativesFor(asked);
    expect(found?.western).toBe(western);
    expect(found).toEqual(all.find((s) => s.western === western));
  });

  it.each(["openai/gpt-3.5-turbo", "runpod/my-llama", "mistral/mistral-large", "claude", "", "anthropic/"])("knows nothing of %j", (asked) => {
    expect(alternativesFor(asked)).toBeUndefined();
  });

  it("returns copies the caller may change", () => {
    alternativesFor("openai/gpt-4o")!.alternatives.length = 0;
    expect(alternativesFor("openai/gpt-4o")!.alternatives.length).toBeGreaterThanOrEqual(2);
  });
});
