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
