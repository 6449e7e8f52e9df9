import { describe, expect, it } from "vitest";
import { decide, faultRuleInput, type FaultRule } from "../../../workers/sandbox/faults";

const rule = (r: Partial<FaultRule> & Pick<FaultRule, "service">): FaultRule => ({ id: r.id ?? "f1", createdAt: 0, applied: 0, ...r });
const req = { service: "openai" as const, path: "/chat/completions", method: "POST", model: "gpt-4o-mini" };

describe("faultRuleInput", () => {
  it("refuses rules without an effect, unknown services and unknown fields", () => {
    expect(faultRuleInput.safeParse({ service: "openai" }).success).toBe(false);
    expect(faultRuleInput.safeParse({ service: "nope", status: 500 }).success).toBe(false);
    expect(faultRuleInput.safeParse({ service: "openai", status: 500, bogus: 1 }).success).toBe(false);
    expect(faultRuleInput.safeParse({ service: "openai", status: 200 }).success).toBe(false);
    expect(faultRuleInput.safeParse({ service: "openai", status: "500" }).success).toBe(false);
    expect(faultRuleInput.safeParse({ service: "openai", status: 503, match: { model: "m" }, times: 2 }).success).toBe(true);
  });
});

describe("decide", () => {
  it("applies the first matching rule and leaves others alone", () => {
    const rules = [rule({ id: "a", service: "anthropic", status: 500 }), rule({ id: "b", service: "openai", status: 503, match: { model: "gpt-4o-mini" } })];
    const { effect } = decide(rules, req, 0);
    expect(effect).toMatchObject({ ruleId: "b", status: 503, retryAfterSeconds: 1 });
    expect(decide(rules, { ...req, model: "other" }, 0).effect).toBeUndefined();
  });

  it("retires a rule after `times` applications", () => {
    let rules = [rule({ service: "openai", status: 500, times: 2 })];
    const seen: Array<number | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const d = decide(rules, req, 0);
      seen.push(d.effect?.status);
      rules = d.rules;
    }
    expect(seen).toEqual([500, 500, undefined]);
    expect(rules).toHaveLength(0);
  });

  it("rate limits: passes `limit` requests per window, then 429 with the time until the oldest expires", () => {
    let rules = [rule({ service: "openai", rateLimit: { limit: 2, windowMs: 10_000 } })];
    const statuses: Array<number | undefined> = [];
    for (const t of [0, 1000, 2000]) {
      const d = decide(rules, req, t);
      statuses.push(d.effect?.status);
      rules = d.rules;
    }
    expect(statuses).toEqual([undefined, undefined, 429]);
    expect(decide(rules, req, 2000).effect?.retryAfterSeconds).toBe(8);
    expect(decide(rules, req, 10_500).effect).toBeUndefined(); // the first hit has left the window
  });

  it("matches on path prefix and method", () => {
    const rules = [rule({ service: "openai", latencyMs: 50, match: { path: "/embeddings", method: "POST" } })];
    expect(decide(rules, req, 0).effect).toBeUndefined();
    expect(decide(rules, { ...req, path: "/embeddings" }, 0).effect).toMatchObject({ latencyMs: 50 });
    expect(decide(rules, { ...req, path: "/embeddings", method: "GET" }, 0).effect).toBeUndefined();
  });

  it("carries a stream cut to the stream writer", () => {
    const { effect } = decide([rule({ service: "openai", cutAfterChunks: 3 })], req, 0);
    expect(effect).toEqual({ ruleId: "f1", cutAfterChunks: 3 });
  });
});

describe("probabilistic faults", () => {
  /** Runs `n` requests through `decide`, keeping the rules as the SandboxState DO does (JSON round trip). */
  function run(rules: FaultRule[], n: number) {
    const effects: Array<ReturnType<typeof decide>["effect"]> = [];
    for (let i = 0; i < n; i++) {
      const d = decide(rules, req, i);
      effects.push(d.effect);
      rules = JSON.parse(JSON.stringify(d.rules)) as FaultRule[];
    }
    return { effects, rules };
  }
  const hits = (effects: Array<ReturnType<typeof decide>["effect"]>) => effects.filter((e) => e !== undefined).length;

  it("validates probability (0 < p <= 1) and seed (a uint32, only with probability)", () => {
    const ok = (r: object) => faultRuleInput.safeParse({ service: "runpod", status: 503, ...r }).success;
    expect(ok({ probability: 0.3 })).toBe(true);
    expect(ok({ probability: 1, seed: 0 })).toBe(true);
    expect(ok({ probability: 0 })).toBe(false);
    expect(ok({ probability: 1.5 })).toBe(false);
    expect(ok({ seed: 7 })).toBe(false);
    expect(ok({ probability: 0.5, seed: 1.5 })).toBe(false);
    expect(ok({ probability: 0.5, seed: -1 })).toBe(false);
  });

  it("applies to about p of 1000 matching requests, whatever the seed", () => {
    for (const seed of [undefined, 0, 1, 42, 0xffff_ffff]) {
      const { effects } = run([rule({ service: "openai", status: 503, probability: 0.3, ...(seed === undefined ? {} : { seed }) })], 1000);
      expect(hits(effects)).toBeGreaterThanOrEqual(250);
      expect(hits(effects)).toBeLessThanOrEqual(350);
    }
    const slow = run([rule({ service: "openai", latencyMs: 15_000, probability: 0.2, seed: 9 })], 1000).effects;
    expect(hits(slow)).toBeGreaterThanOrEqual(150);
    expect(hits(slow)).toBeLessThanOrEqual(250);
    expect(slow.find((e) => e)).toEqual({ ruleId: "f1", latencyMs: 15_000 });
    expect(hits(run([rule({ service: "openai", status: 500, probability: 1 })], 100).effects)).toBe(100);
  });

  it("replays the same sequence for the same seed (explicit, or derived from the rule id)", () => {
    const pattern = (r: Partial<FaultRule>) => run([rule({ service: "openai", status: 503, probability: 0.5, ...r })], 64).effects.map((e) => (e ? 1 : 0)).join("");
    expect(pattern({ seed: 42 })).toBe(pattern({ seed: 42 }));
    expect(pattern({ seed: 42, id: "fault_9" })).toBe(pattern({ seed: 42 })); // an explicit seed ignores the id
    expect(pattern({ seed: 43 })).not.toBe(pattern({ seed: 42 }));
    expect(pattern({ id: "fault_1" })).toBe(pattern({ id: "fault_1" }));
    expect(pattern({ id: "fault_2" })).not.toBe(pattern({ id: "fault_1" }));
    // The draw state travels with the rule, so an interrupted run continues the same sequence.
    const first = run([rule({ service: "openai", status: 503, probability: 0.5, seed: 42 })], 30);
    const rest = run(first.rules, 34);
    expect([...first.effects, ...rest.effects].map((e) => (e ? 1 : 0)).join("")).toBe(pattern({ seed: 42 }));
  });

  it("counts only applied hits toward `times`; a miss passes the request on to later rules", () => {
    const { effects, rules } = run([rule({ service: "openai", status: 503, probability: 0.25, times: 5, seed: 3 })], 200);
    expect(hits(effects)).toBe(5);
    expect(rules).toHaveLength(0);
    // The fifth hit came after more than five requests: the misses in between did not count.
    expect(effects.findLastIndex((e) => e !== undefined) + 1).toBeGreaterThan(5);

    const both = run([rule({ id: "flaky", service: "openai", status: 503, probability: 0.5, seed: 5 }), rule({ id: "slow", service: "openai", latencyMs: 10 })], 100).effects;
    expect(new Set(both.map((e) => e?.ruleId))).toEqual(new Set(["flaky", "slow"]));
    // Requests that do not match draw nothing: the rule's sequence is its matching requests' alone.
    const mixed = [rule({ service: "openai", status: 503, probability: 0.5, seed: 42, match: { path: "/chat" } })];
    const other = decide(mixed, { ...req, path: "/embeddings" }, 0);
    expect(other.rules[0]!.rngState).toBeUndefined();
  });

  it("gates a rate limit's 429 with the probability once over the limit", () => {
    const { effects } = run([rule({ service: "openai", rateLimit: { limit: 2, windowMs: 1_000_000 }, probability: 0.5, seed: 11 })], 400);
    expect(effects.slice(0, 2)).toEqual([undefined, undefined]);
    expect(hits(effects)).toBeGreaterThan(150);
    expect(hits(effects)).toBeLessThan(250);
    expect(effects.find((e) => e)).toMatchObject({ status: 429 });
  });
});

describe("faults that start after N matching requests", () => {
  const page = { service: "huggingface" as const, path: "/api/models", method: "GET" };
  const statuses = (rules: FaultRule[], reqs: Array<typeof page>) =>
    reqs.map((r) => {
      const d = decide(rules, r, 0);
      rules = JSON.parse(JSON.stringify(d.rules)) as FaultRule[];
      return d.effect?.status;
    });

  it("validates `after` (a positive integer)", () => {
    const ok = (after: unknown) => faultRuleInput.safeParse({ service: "huggingface", status: 503, after }).success;
    expect(ok(2)).toBe(true);
    expect(ok(0)).toBe(false);
    expect(ok(1.5)).toBe(false);
    expect(ok("2")).toBe(false);
  });

  it("`after: 2, times: 1` fails exactly the third matching request (page 3), then retires", () => {
    const rules = [rule({ service: "huggingface", status: 503, after: 2, times: 1, match: { path: "/api/models", method: "GET" } })];
    const other = { ...page, path: "/api/whoami-v2" };
    expect(statuses(rules, [page, other, page, other, page, page, page])).toEqual([undefined, undefined, undefined, undefined, 503, undefined, undefined]);
    // without `times` it keeps failing from the third on
    expect(statuses([rule({ service: "huggingface", status: 500, after: 2 })], [page, page, page, page])).toEqual([undefined, undefined, 500, 500]);
  });

  it("passed requests go on to later rules and draw nothing", () => {
    const rules = [rule({ id: "late", service: "huggingface", status: 503, after: 1, times: 1 }), rule({ id: "slow", service: "huggingface", latencyMs: 5 })];
    const first = decide(rules, page, 0);
    expect(first.effect).toEqual({ ruleId: "slow", latencyMs: 5 });
    expect(first.rules[0]).toMatchObject({ passed: 1, applied: 0 });
    expect(decide(first.rules, page, 0).effect).toMatchObject({ ruleId: "late", status: 503 });
    const flaky = decide([rule({ service: "huggingface", status: 503, after: 1, probability: 0.5, seed: 1 })], page, 0);
    expect(flaky.rules[0]!.rngState).toBeUndefined();
  });
});
