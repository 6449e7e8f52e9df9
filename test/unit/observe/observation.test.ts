import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../../workers/gateway/canonical";
import { metricPoint } from "../../../workers/observe/metrics";
import { promptExcerpt } from "../../../workers/observe/observation";
import { logLine } from "../../../workers/platform/request-log";

const req = (over: Partial<ChatRequest> = {}): Pick<ChatRequest, "system" | "messages"> => ({
  system: [{ type: "text", text: "You are terse." }],
  messages: [
    { role: "user", content: [{ type: "text", text: "What is in this picture?" }, { type: "image", data: "iVBORw0KGgoAAAANSUhEUgAA", mediaType: "image/png" }] },
    { role: "assistant", content: [{ type: "thinking", text: "look closely", signature: "sig" }, { type: "tool_call", id: "c1", name: "zoom", arguments: '{"x":1}' }] },
    { role: "tool", content: [{ type: "tool_result", toolCallId: "c1", name: "zoom", content: [{ type: "text", text: "a cat" }] }] },
  ],
  ...over,
});

describe("prompt excerpt (opted-in workspaces only)", () => {
  it("is the prompt as text: images as placeholders, never their bytes; tools and thinking labelled", () => {
    const out = promptExcerpt(req());
    expect(out).toEqual({
      system: "You are terse.",
      messages: [
        { role: "user", text: "What is in this picture?\n[image]" },
        { role: "assistant", text: '[thinking] look closely\n[tool call zoom] {"x":1}' },
        { role: "tool", text: "[tool result zoom] a cat" },
      ],
    });
    expect(JSON.stringify(out)).not.toContain("iVBORw0KGgo");
  });

  it("is cut at the limit and says so", () => {
    const long = "x".repeat(50);
    const out = promptExcerpt(req({ system: [], messages: [{ role: "user", content: [{ type: "text", text: long }] }, { role: "user", content: [{ type: "text", text: "after" }] }] }), 20);
    expect(out.messages).toEqual([{ role: "user", text: "x".repeat(20) }]);
    expect(out.truncated).toBe(true);
    const fits = promptExcerpt(req({ system: [], messages: [{ role: "user", content: [{ type: "text", text: "short" }] }] }), 20);
    expect(fits.truncated).toBeUndefined();
  });
});

describe("log line and metric point", () => {
  const base = { requestId: "req_1", traceId: "t".repeat(32), brand: "swaggystacks", method: "POST", route: "/v1/messages", status: 200, latencyMs: 42, workspace: "ws1", streamed: true, now: 0 };
  const responseHeaders = new Headers({ "x-model": "claude-sonnet-4", "x-provider": "anthropic", "x-cost-usd": "0.001200", "x-cache": "MISS", "x-bridge-attempts": "anthropic/claude-sonnet-4:429,anthropic/claude-sonnet-4:200" });
  const key = `sk-${"A".repeat(38)}`;

  it("the line carries tokens from the observation and only the key's display prefix", () => {
    const line = logLine({ ...base, requestHeaders: new Headers({ "x-api-key": key }), responseHeaders, observation: { usage: { inputTokens: 120, outputTokens: 30, cachedInputTokens: 100 } } });
    expect(line).toMatchObject({ workspace: "ws1", keyPrefix: "sk-AAAA…AAAA", model: "claude-sonnet-4", provider: "anthropic", costUsd: 0.0012, cache: "MISS", fallbackAttempts: 2, inputTokens: 120, outputTokens: 30, cachedInputTokens: 100, streamed: true });
    expect(JSON.stringify(line)).not.toContain(key);
    expect(line.prompt).toBeUndefined();
  });

  it("the point keeps Analytics Engine's positional layout", () => {
    const line = logLine({ ...base, requestHeaders: new Headers(), responseHeaders, observation: { usage: { inputTokens: 120, outputTokens: 30 } } });
    expect(metricPoint(line)).toEqual({
      indexes: ["ws1"],
      blobs: ["swaggystacks", "POST", "/v1/messages", "anthropic", "claude-sonnet-4", "MISS", "", "req_1"],
      doubles: [200, 42, 120, 30, 0.0012, 2, 1],
    });
    // A request with no workspace and no bridge facts still makes a point (an /api call, a 401).
    const bare = logLine({ ...base, workspace: undefined, streamed: false, requestHeaders: new Headers(), responseHeaders: new Headers() });
    expect(metricPoint(bare)).toEqual({ indexes: [""], blobs: ["swaggystacks", "POST", "/v1/messages", "", "", "", "", "req_1"], doubles: [200, 42, 0, 0, 0, 0, 0] });
  });
});
