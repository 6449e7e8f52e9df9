import { describe, expect, it } from "vitest";
import { keyPrefix, logLine } from "../../../workers/platform/request-log";
import { continueTrace, formatTraceparent } from "../../../workers/platform/trace";
import { callWithFallback, chatCall } from "../../../workers/gateway/upstream";
import type { Env } from "../../../workers/env";
import { openAiDialect } from "../../../workers/gateway/dialects/openai";

const KEY = `sk-${"A1b2C3d4E5".repeat(3)}zyxwvutf`;

describe("trace context", () => {
  it("continues a caller's valid trace with a new span, and starts one otherwise", () => {
    const caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const t = continueTrace(caller);
    expect(t.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(t.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(t.spanId).not.toBe("00f067aa0ba902b7");
    expect(formatTraceparent(t)).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    for (const bad of [undefined, "", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"]) {
      const fresh = continueTrace(bad);
      expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(fresh.traceId).not.toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    }
  });

  it("passes the traceparent to the upstream with the call", async () => {
    let sent: Headers | undefined;
    const fakeFetch = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      sent = new Headers(init?.headers);
      return new Response(JSON.stringify({ id: "x", object: "chat.completion", model: "gpt-4o-mini", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }), { headers: { "content-type": "application/json" } });
    }) as typeof fetch;
    const env = { OPENAI_API_KEY: "sk-upstream", OPENAI_API_URL: "http://upstream.test/v1" } as unknown as Env;
    const route = { requested: "gpt-4o-mini", targets: [{ provider: "openai" as const, model: "gpt-4o-mini" }], baseline: undefined, rule: undefined };
    const req = openAiDialect.parse({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, {});
    const out = await callWithFallback(chatCall(req), route, env, { fetch: fakeFetch, firstByteTimeoutMs: 1000, breakers: new Map(), now: Date.now, traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
    expect(out.ok, JSON.stringify(out)).toBe(true);
    expect(sent?.get("traceparent")).toBe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  });
});

describe("the request log line", () => {
  const base = { requestId: "req_1", traceId: "t".repeat(32), brand: "swaggystacks", method: "POST", route: "/v1/chat/completions", status: 200, latencyMs: 12, now: 0, streamed: false };

  it("carries the bridge's facts from its response headers", () => {
    const line = logLine({
      ...base,
      workspace: "ws_1",
      requestHeaders: new Headers({ authorization: `Bearer ${KEY}` }),
      responseHeaders: new Headers({ "x-model": "gpt-4o-mini", "x-provider": "openai", "x-cost-usd": "0.000123", "x-cache": "MISS", "x-bridge-attempts": "openai/a=503, openai/b=200" }),
    });
    expect(line).toEqual({ ...base, at: "1970-01-01T00:00:00.000Z", workspace: "ws_1", keyPrefix: `${KEY.slice(0, 7)}…${KEY.slice(-4)}`, model: "gpt-4o-mini", provider: "openai", costUsd: 0.000123, cache: "MISS", fallbackAttempts: 2, now: undefined, streamed: undefined } as never);
    expect(JSON.stringify(line)).not.toContain(KEY);
  });

  it("names only our own keys, by their display prefix; never other secrets", () => {
    expect(keyPrefix(new Headers({ "x-api-key": KEY }))).toBe(`${KEY.slice(0, 7)}…${KEY.slice(-4)}`);
    expect(keyPrefix(new Headers({ authorization: "Bearer sk-proj-someone-elses-openai-key" }))).toBeUndefined();
    expect(keyPrefix(new Headers({ "x-goog-api-key": "AIzaSyD-their-google-key" }))).toBeUndefined();
    expect(keyPrefix(new Headers())).toBeUndefined();
  });
});
