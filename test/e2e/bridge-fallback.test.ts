import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, inject, it } from "vitest";

/** Fallback, circuit breaking and mid-stream failure, driven by the stand-ins' fault controls. */
const platform = inject("platformUrl");
const sandbox = inject("sandboxUrl");
const openai = new OpenAI({ baseURL: `${platform}/v1`, apiKey: "local-dev-key", maxRetries: 0 });
const anthropic = new Anthropic({ baseURL: platform, apiKey: "local-dev-key", maxRetries: 0 });

async function fault(rule: Record<string, unknown>) {
  const res = await fetch(`${sandbox}/_control/faults`, { method: "POST", body: JSON.stringify(rule), headers: { "content-type": "application/json" } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const ask = (model: string) => openai.chat.completions.create({ model, messages: [{ role: "user", content: "Are you there?" }] }).withResponse();

describe("fallback along a route", () => {
  it("a 503 from the primary falls back to the next target, and says so", async () => {
    await fault({ service: "openai", match: { model: "gpt-4o-mini-fb-chat" }, status: 503 });
    const { data, response } = await ask("fallback-chat");
    expect(data.choices[0]!.message.content).toContain("Are you there?");
    expect(response.headers.get("x-provider")).toBe("anthropic");
    expect(response.headers.get("x-bridge-attempts")).toBe("openai/gpt-4o-mini-fb-chat=503, anthropic/claude-haiku-4-5-fb-chat=200");
    expect(response.headers.get("x-bridge-rule")).toBe("fallback-chat");
  });

  it("a 429 with Retry-After opens the primary's circuit: the next call goes straight to the fallback", async () => {
    await fault({ service: "openai", match: { model: "gpt-4o-mini-fb-breaker" }, status: 429, retryAfterSeconds: 60 });
    const first = await ask("fallback-breaker");
    expect(first.response.headers.get("x-bridge-attempts")).toBe("openai/gpt-4o-mini-fb-breaker=429, anthropic/claude-haiku-4-5-fb-breaker=200");
    const second = await ask("fallback-breaker");
    expect(second.response.headers.get("x-bridge-attempts")).toBe("anthropic/claude-haiku-4-5-fb-breaker=200");
    expect(second.response.headers.get("x-provider")).toBe("anthropic");
  });

  it("when every target fails the caller gets the last upstream error in its own dialect", async () => {
    await fault({ service: "openai", match: { model: "gpt-4o-mini-fb-down" }, status: 500 });
    await fault({ service: "anthropic", match: { model: "claude-haiku-4-5-fb-down" }, status: 529 });
    const err = await ask("fallback-all-down").catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(529);
    expect(err.headers.get("x-bridge-attempts")).toBe("openai/gpt-4o-mini-fb-down=500, anthropic/claude-haiku-4-5-fb-down=529");
    const viaAnthropic = await anthropic.messages.create({ model: "fallback-all-down", max_tokens: 20, messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(viaAnthropic).toBeInstanceOf(Anthropic.APIError);
    expect(viaAnthropic.error.error.type).toBe("overloaded_error");
  });

  it("an upstream 400 is the caller's error: no fallback", async () => {
    await fault({ service: "openai", match: { model: "gpt-4o-mini-fb-400" }, status: 400, message: "Invalid 'messages': too long" });
    const err = await ask("fallback-bad-request").catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain("too long");
    expect(err.headers.get("x-bridge-attempts")).toBe("openai/gpt-4o-mini-fb-400=400");
  });

  it("a single-target 429 reaches the caller as RateLimitError with retry-after", async () => {
    await fault({ service: "openai", match: { model: "gpt-4o-mini-rl-1" }, status: 429, retryAfterSeconds: 5, times: 1 });
    const err = await ask("openai/gpt-4o-mini-rl-1").catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.headers.get("retry-after")).toBe("5");
  });
});

describe("a stream that breaks mid-way", () => {
  it("ends with an error in the OpenAI dialect: the SDK throws instead of finishing", async () => {
    await fault({ service: "openai", match: { model: "gpt-4o-mini-cut-1" }, cutAfterChunks: 2 });
    const stream = await openai.chat.completions.create({ model: "openai/gpt-4o-mini-cut-1", stream: true, messages: [{ role: "user", content: "A long answer please" }] });
    let text = "";
    const err = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(String(err.message)).toMatch(/upstream/i);
  });

  it("ends with an Anthropic error event when the upstream is another provider", async () => {
    await fault({ service: "openai", match: { model: "gpt-4o-mini-cut-2" }, cutAfterChunks: 2 });
    const stream = anthropic.messages.stream({ model: "openai/gpt-4o-mini-cut-2", max_tokens: 200, messages: [{ role: "user", content: "A long answer please" }] });
    const err = await stream.finalMessage().catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
  });
});

describe("response cache", () => {
  it("serves a deterministic request from KV the second time, free, across dialect shapes", async () => {
    const body = { model: "openai/gpt-4o-mini", temperature: 0, messages: [{ role: "user" as const, content: `cache me ${Date.now()}` }] };
    const opts = { headers: { "x-bridge-cache": "on" } };
    const miss = await openai.chat.completions.create(body, opts).withResponse();
    expect(miss.response.headers.get("x-cache")).toBe("MISS");
    let hit;
    for (let i = 0; i < 20; i++) {
      hit = await openai.chat.completions.create(body, opts).withResponse();
      if (hit.response.headers.get("x-cache") === "HIT") break;
      await new Promise((r) => setTimeout(r, 100)); // the write lands after the first response (waitUntil)
    }
    expect(hit!.response.headers.get("x-cache")).toBe("HIT");
    expect(hit!.response.headers.get("x-cost-usd")).toBe("0.000000");
    expect(Number(hit!.response.headers.get("x-savings-usd"))).toBeGreaterThan(0);
    expect(hit!.data.choices[0]!.message.content).toBe(miss.data.choices[0]!.message.content);
    const streamed = await openai.chat.completions.create({ ...body, stream: true }, opts).withResponse();
    expect(streamed.response.headers.get("x-cache")).toBe("HIT");
  });

  it("skips non-deterministic requests and says why", async () => {
    const { response } = await openai.chat.completions.create({ model: "openai/gpt-4o-mini", temperature: 0.9, messages: [{ role: "user", content: "random" }] }, { headers: { "x-bridge-cache": "on" } }).withResponse();
    expect(response.headers.get("x-cache")).toBe("BYPASS");
    expect(response.headers.get("x-bridge-warnings")).toContain("temperature 0 or a seed");
  });
});
