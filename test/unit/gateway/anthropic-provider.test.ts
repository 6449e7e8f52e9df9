import { describe, expect, it } from "vitest";
import { assemble } from "../../../workers/gateway/assemble";
import type { ChatEvent, ChatRequest } from "../../../workers/gateway/canonical";
import { AnthropicStreamDecoder, buildAnthropicRequest, decodeAnthropicError, decodeAnthropicResponse } from "../../../workers/gateway/providers/anthropic";
import { readJsonFixture, readStreamFixture } from "./fixtures/load";

function decodeStream(name: string): ChatEvent[] {
  const d = new AnthropicStreamDecoder();
  return [...readStreamFixture("anthropic", name).flatMap((m) => d.push(m.data)), ...d.end()];
}

describe("Anthropic upstream decoding, pinned by recorded traffic", () => {
  it("text stream: usage split across message_start and message_delta is merged", () => {
    const r = assemble(decodeStream("stream-text.chunks.txt"));
    expect(r).toMatchObject({ id: "msg_01QC4g3HwBThD4BaNtBckFDJ", model: "claude-sonnet-4-5-20250929", finishReason: "stop" });
    expect(r.content).toEqual([{ type: "text", text: expect.stringMatching(/^Hello! I'm doing well, thank you for asking/) }]);
    expect(r.usage).toEqual({ inputTokens: 12, outputTokens: 30 });
  });

  it("thinking with its signature, then text; pings ignored", () => {
    const events = decodeStream("stream-thinking-signature.chunks.txt");
    const r = assemble(events);
    expect(r.content).toHaveLength(2);
    expect(r.content[0]).toMatchObject({ type: "thinking", text: expect.stringMatching(/^The previous result was 925\./), signature: expect.stringMatching(/^EvQBCkYICx/) });
    expect(r.content[1]).toEqual({ type: "text", text: "925 ÷ 5 = 185" });
    expect(r.usage).toEqual({ inputTokens: 69, outputTokens: 53 });
    expect(events.at(-1)).toEqual({ type: "finish", reason: "stop" });
  });

  it("prompt-cache reads count as input and as cached input; max_tokens maps to length", () => {
    const r = assemble(decodeStream("stream-text-prompt-cache-read.chunks.txt"));
    expect(r.usage).toEqual({ inputTokens: 18642, outputTokens: 1, cachedInputTokens: 18639 });
    expect(r.finishReason).toBe("length");
  });

  it("parallel tool use keeps three calls with their streamed JSON", () => {
    const r = assemble(decodeStream("stream-parallel-tool-use.chunks.txt"));
    expect(r.content.map((c) => (c.type === "tool_call" ? [c.id, c.arguments] : c.type))).toEqual([
      ["toolu_01LtEf4h1QW7KCKLsYMuhTNB", '{"query": "alpha"}'],
      ["toolu_016tfZE7otAFSBjhc67wu189", '{"query": "beta"}'],
      ["toolu_01XkU35z8BVWqqc9tijDuLrA", '{"query": "gamma"}'],
    ]);
    expect(r.finishReason).toBe("tool_calls");
  });

  it("a tool call with no arguments stays empty (encoders render {})", () => {
    const r = assemble(decodeStream("stream-text-then-tool-use-no-args.chunks.txt"));
    expect(r.content).toEqual([
      { type: "text", text: "I'll update the issue list for you." },
      { type: "tool_call", id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP", name: "updateIssueList", arguments: "" },
    ]);
  });

  it("single tool use stream and its non-streamed twin agree", () => {
    const streamed = assemble(decodeStream("stream-tool-use.chunks.txt"));
    const whole = assemble(decodeAnthropicResponse(readJsonFixture("anthropic", "nonstream-tool-use.json")));
    expect(streamed.content[0]).toMatchObject({ type: "tool_call", name: "weather" });
    expect(JSON.parse((streamed.content[0] as { arguments: string }).arguments)).toEqual({ location: "San Francisco" });
    expect(JSON.parse((whole.content[0] as { arguments: string }).arguments)).toEqual({ location: "San Francisco" });
    expect(whole.usage).toEqual({ inputTokens: 843, outputTokens: 28 });
  });

  it("non-streamed thinking keeps the signature and reports thinking tokens", () => {
    const r = assemble(decodeAnthropicResponse(readJsonFixture("anthropic", "nonstream-thinking-usage-thinking-tokens.json")));
    expect(r.content[0]).toMatchObject({ type: "thinking", signature: expect.stringMatching(/^CAISqwQKhw/) });
    expect(r.usage).toEqual({ inputTokens: 51, outputTokens: 1699, reasoningTokens: 139 });
  });

  it("decodes the error body", () => {
    const body = JSON.stringify(readJsonFixture("anthropic", "error-400-invalid-request.json"));
    expect(decodeAnthropicError(400, body, new Headers())).toMatchObject({ status: 400, kind: "invalid_request", message: expect.stringContaining("unexpected `tool_use_id`") });
    expect(decodeAnthropicError(529, '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', new Headers())).toMatchObject({ kind: "overloaded" });
  });

  it("an in-stream error event becomes a canonical error", () => {
    const d = new AnthropicStreamDecoder();
    expect(d.push('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}')).toEqual([
      { type: "error", error: { status: 529, kind: "overloaded", message: "Overloaded" } },
    ]);
  });
});

describe("Anthropic upstream requests", () => {
  const req: ChatRequest = {
    model: "claude-sonnet-4-5",
    system: [{ type: "text", text: "Be brief.", cache: true }],
    messages: [
      { role: "user", content: [{ type: "text", text: "Look" }, { type: "image", url: "data:image/jpeg;base64,AAAA" }] },
      { role: "assistant", content: [{ type: "thinking", text: "t", signature: "s1" }, { type: "thinking", text: "foreign, unsigned" }, { type: "tool_call", id: "c1", name: "f", arguments: '{"a":1}' }] },
      { role: "tool", content: [{ type: "tool_result", toolCallId: "c1", content: [{ type: "text", text: "ok" }], isError: true }] },
      { role: "user", content: [{ type: "text", text: "next" }] },
    ],
    tools: [{ name: "f", parameters: { type: "object" } }],
    toolChoice: { type: "required" },
    parallelToolCalls: false,
    maxTokens: 2000,
    temperature: 1.5,
    stop: ["###"],
    seed: 3,
    thinking: { budgetTokens: 3000 },
    stream: false,
    includeUsage: false,
    unsupported: [],
  };

  it("builds a valid Messages request: merged tool-result turn, signed thinking only, budget below max_tokens", () => {
    const call = buildAnthropicRequest(req, { model: "claude-sonnet-4-5-20250929", baseUrl: "", apiKey: "ak" });
    expect(call.path).toBe("/v1/messages");
    expect(call.headers).toMatchObject({ "x-api-key": "ak", "anthropic-version": "2023-06-01" });
    expect(call.body).toEqual({
      model: "claude-sonnet-4-5-20250929",
      max_tokens: 5000,
      stream: false,
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      messages: [
        { role: "user", content: [{ type: "text", text: "Look" }, { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "AAAA" } }] },
        { role: "assistant", content: [{ type: "thinking", thinking: "t", signature: "s1" }, { type: "tool_use", id: "c1", name: "f", input: { a: 1 } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "c1", content: [{ type: "text", text: "ok" }], is_error: true }, { type: "text", text: "next" }] },
      ],
      temperature: 1,
      stop_sequences: ["###"],
      tools: [{ name: "f", input_schema: { type: "object" } }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      thinking: { type: "enabled", budget_tokens: 3000 },
    });
    expect(call.warnings).toEqual(["temperature above 1 was clamped to 1 (Anthropic's maximum)", "seed is not supported by Anthropic and was not sent"]);
  });
});
