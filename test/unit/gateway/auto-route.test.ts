import { describe, expect, it } from "vitest";
import {
  AutoRouteError,
  blendedUsd,
  chooseTarget,
  deploymentCandidate,
  openQuality,
  paramsFromName,
  parseAuto,
  westernCandidates,
  type Candidate,
  type TargetHealth,
} from "../../../workers/gateway/auto-route";
import { priceFor } from "../../../workers/catalog/prices";
import { observeLatency } from "../../../workers/gateway/target-stats";

const h = (entries: Record<string, string> = {}) => new Headers(entries);
const price = (input: number, output: number) => ({ input: input * 1e6, output: output * 1e6 });
const dep = (name: string, servedModel: string, p = price(0.02, 0.05)) => deploymentCandidate({ name, endpointId: `ep-${name}`, servedModel, price: p })!;

const everyone = westernCandidates(() => true);
const coder = dep("coder", "Qwen/Qwen2.5-Coder-7B-Instruct");
const r1 = dep("r1", "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", price(0.05, 0.15));
const big = dep("llama70", "meta-llama/Llama-3.3-70B-Instruct", price(0.3, 0.9));
const healthy = (): TargetHealth => ({ open: false, latencyMs: undefined });
const pick = (model: string, candidates: Candidate[], headers: Record<string, string> = {}, health: (c: Candidate) => TargetHealth = healthy) =>
  chooseTarget(parseAuto(model, h(headers))!, candidates, health);

describe("auto routing: parsing the request", () => {
  it("reads the class and the constraint headers, and refuses what it cannot honour", () => {
    expect(parseAuto("gpt-4o", h())).toBeUndefined();
    expect(parseAuto("auto", h())).toEqual({ cls: "auto", minQuality: 1, maxPriceUsd: undefined });
    expect(parseAuto("auto:code", h({ "x-route-min-quality": "4", "x-route-max-price": "2.5" }))).toEqual({ cls: "code", minQuality: 4, maxPriceUsd: 2.5 });
    for (const [model, headers] of [["auto:poetry", {}], ["auto", { "x-route-min-quality": "6" }], ["auto", { "x-route-min-quality": "high" }], ["auto", { "x-route-max-price": "-1" }]] as const) {
      expect(() => parseAuto(model, h(headers)), `${model} ${JSON.stringify(headers)}`).toThrow(AutoRouteError);
    }
  });

  it("derives an open model's capabilities and tier from its id with the catalog's rules", () => {
    expect([...coder.caps].sort()).toEqual(["chat", "code"]);
    expect([...r1.caps].sort()).toEqual(["chat", "reasoning"]);
    expect([coder.quality, r1.quality, big.quality]).toEqual([2, 3, 4]);
    expect(paramsFromName("Qwen/Qwen2.5-1.5B-Instruct")).toBe(1.5e9);
    expect(paramsFromName("google/gemma-2-27b-it")).toBe(27e9);
    expect(openQuality(undefined)).toBe(2);
    expect(deploymentCandidate({ name: "emb", endpointId: "e", servedModel: "BAAI/bge-large-en-v1.5", price: price(0.01, 0) })).toBeUndefined();
  });
});

describe("auto routing: the choice for a table of catalogs, health and constraints", () => {
  const cases: Array<{ name: string; model: string; candidates: Candidate[]; headers?: Record<string, string>; open?: string[]; latency?: Record<string, number>; chosen: string; next?: string }> = [
    { name: "cheapest chat target overall is the workspace's deployment", model: "auto", candidates: [coder, big, ...everyone], chosen: "runpod/coder", next: "openai/gpt-5-nano" },
    { name: "auto:cheap with only Western models", model: "auto:cheap", candidates: everyone, chosen: "openai/gpt-5-nano", next: "google/gemini-2.0-flash" },
    { name: "a quality floor skips the small models", model: "auto", candidates: [coder, big, ...everyone], headers: { "x-route-min-quality": "4" }, chosen: "runpod/llama70" },
    { name: "code needs a code model", model: "auto:code", candidates: [r1, big, coder, ...everyone], chosen: "runpod/coder" },
    { name: "code at quality 4 goes Western, cheapest first", model: "auto:code", candidates: [coder, ...everyone], headers: { "x-route-min-quality": "4" }, chosen: "openai/gpt-5-mini", next: "google/gemini-2.5-flash" },
    { name: "reasoning: the distilled R1 deployment", model: "auto:reasoning", candidates: [coder, r1, ...everyone], chosen: "runpod/r1" },
    { name: "reasoning at quality 5: equal prices break by name", model: "auto:reasoning", candidates: everyone, headers: { "x-route-min-quality": "5" }, chosen: "google/gemini-2.5-pro", next: "openai/gpt-5" },
    { name: "a price ceiling leaves only the cheap ones", model: "auto", candidates: everyone, headers: { "x-route-min-quality": "3", "x-route-max-price": "0.3" }, chosen: "google/gemini-2.0-flash", next: "openai/gpt-4o-mini" },
    { name: "an open circuit goes last", model: "auto", candidates: [coder, big], open: ["runpod/coder"], chosen: "runpod/llama70", next: "runpod/coder" },
    { name: "fast follows observed latency", model: "auto:fast", candidates: [coder, big], latency: { "runpod/coder": 900, "runpod/llama70": 200 }, chosen: "runpod/llama70" },
    { name: "fast with nothing observed: cheapest", model: "auto:fast", candidates: [big, coder], chosen: "runpod/coder" },
    { name: "fast: an unobserved target is assumed at 1 s", model: "auto:fast", candidates: [coder, big], latency: { "runpod/llama70": 1500 }, chosen: "runpod/coder" },
  ];
  it.each(cases)("$name", (c) => {
    const health = (x: Candidate): TargetHealth => ({ open: c.open?.includes(x.ref) ?? false, latencyMs: c.latency?.[x.ref] });
    const choice = pick(c.model, c.candidates, c.headers, health);
    expect(choice.chosen.ref).toBe(c.chosen);
    if (c.next) expect(choice.reason).toContain(`next ${c.next}`);
    // The choice leads the route, followed by up to two runners-up among those that fit.
    expect(choice.targets[0]).toEqual(choice.chosen.target);
    expect(choice.targets.length).toBe(Math.min(3, Number(/of (\d+) meeting/.exec(choice.reason)![1])));
    // Deterministic: the same state, the same answer, whatever order the candidates come in.
    expect(pick(c.model, [...c.candidates].reverse(), c.headers, health).chosen.ref).toBe(c.chosen);
  });

  it("names the reason and the class's baseline; the route carries the runners-up as fallbacks", () => {
    const choice = pick("auto:code", [coder, ...everyone]);
    expect(choice.reason).toMatch(/^auto:code -> runpod\/coder: cheapest at \$0\.0275\/M of \d+ meeting code; next /);
    expect(choice.baseline).toBe("anthropic/claude-sonnet-4-5");
    expect(choice.targets.map((t) => `${t.provider}/${t.deployment ?? t.model}`)).toEqual(["runpod/coder", "openai/gpt-4o-mini", "openai/gpt-5-mini"]);
    expect(pick("auto:fast", [coder], {}, () => ({ open: false, latencyMs: 240 })).reason).toContain("lowest latency (240 ms to first byte)");
  });

  it("says plainly when nothing meets the request", () => {
    expect(() => pick("auto:reasoning", [coder])).toThrow(/No model this workspace may call meets auto:reasoning \(reasoning\)/);
    expect(() => pick("auto", everyone, { "x-route-max-price": "0.01" })).toThrow(/chat, <= \$0\.0100\/M/);
  });

  it("prices blended 3:1 from the one price table", () => {
    expect(blendedUsd(priceFor("openai/gpt-4o")!)).toBeCloseTo((3 * 2.5 + 10) / 4, 10);
  });

  it("averages latency exponentially: one slow call moves it part of the way", () => {
    const first = observeLatency(undefined, 100);
    expect(first).toEqual({ latencyMs: 100, samples: 1 });
    expect(observeLatency(first, 1100)).toEqual({ latencyMs: 400, samples: 2 });
  });
});
