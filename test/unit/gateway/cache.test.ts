import { describe, expect, it } from "vitest";
import { cacheDirective, cacheKey, isDeterministic } from "../../../workers/gateway/cache";
import type { ChatRequest } from "../../../workers/gateway/canonical";

const req: ChatRequest = { model: "gpt-4o", system: [], messages: [{ role: "user", content: [{ type: "text", text: "2+2?" }] }], tools: [], stop: [], stream: false, includeUsage: false, unsupported: [], temperature: 0 };
const targets = [{ provider: "openai" as const, model: "gpt-4o" }];

describe("response cache", () => {
  it("is opt-in, with a bounded TTL", () => {
    expect(cacheDirective(new Headers())).toEqual({ enabled: false, ttl: 3600 });
    expect(cacheDirective(new Headers({ "x-bridge-cache": "on", "x-bridge-cache-ttl": "10" }))).toEqual({ enabled: true, ttl: 60 });
    expect(cacheDirective(new Headers({ "x-bridge-cache": "true", "x-bridge-cache-ttl": "999999" }))).toEqual({ enabled: true, ttl: 86_400 });
    expect(cacheDirective(new Headers({ "x-bridge-cache": "1", "x-bridge-cache-ttl": "soon" }))).toEqual({ enabled: true, ttl: 3600 });
  });

  it("caches only deterministic requests", () => {
    expect(isDeterministic(req)).toBe(true);
    expect(isDeterministic({ ...req, temperature: 0.7 })).toBe(false);
    expect(isDeterministic({ ...req, temperature: 0.7, seed: 1 })).toBe(true);
    const { temperature: _t, ...noTemp } = req;
    expect(isDeterministic(noTemp)).toBe(false);
  });

  it("keys by principal, targets and content, not by streaming or warnings", async () => {
    const base = await cacheKey("org_a", targets, req);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(await cacheKey("org_a", targets, { ...req, stream: true, includeUsage: true, unsupported: ["x"] })).toBe(base);
    expect(await cacheKey("org_b", targets, req)).not.toBe(base);
    expect(await cacheKey("org_a", [{ provider: "runpod", model: "x" }], req)).not.toBe(base);
    expect(await cacheKey("org_a", targets, { ...req, maxTokens: 5 })).not.toBe(base);
  });
});
