import { describe, expect, it } from "vitest";
import { assemble } from "../../../workers/gateway/assemble";
import type { ChatEvent, ChatRequest } from "../../../workers/gateway/canonical";
import { buildOpenAiRequest, decodeOpenAiError, decodeOpenAiResponse, OpenAiStreamDecoder, VLLM_FLAVOR } from "../../../workers/gateway/providers/openai";
import { readJsonFixture, readStreamFixture } from "./fixtures/load";

function decodeStream(name: string): ChatEvent[] {
  const d = new OpenAiStreamDecoder();
  const events = readStreamFixture("openai", name).flatMap((m) => d.push(m.data));
  return [...events, ...d.end()];
}

describe("OpenAI-compatible upstream decoding, pinned by recorded traffic", () => {
  it("text stream with include_usage: text, stop, usage from the choices-less final chunk", () => {
    const r = assemble(decodeStream("chat-stream-text-with-usage.chunks.txt"));
    expect(r.id).toBe("chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0");
    expect(r.model).toBe("gpt-4.1-nano-2025-04-14");
    expect(r.content).toHaveLength(1);
    expect(r.content[0]).toMatchObject({ type: "text", text: expect.stringMatching(/^\*\*Holiday Name:\*\* Harmony Day/) });
    expect(r.finishReason).toBe("stop");
    expect(r.usage).toEqual({ inputTokens: 16, outputTokens: 300 });
  });

  it("text then a tool call: both parts in order, finish tool_calls", () => {
    const events = decodeStream("chat-stream-text-then-tool-call.chunks.txt");
    const r = assemble(events);
    expect(r.content).toEqual([
      { type: "text", text: "PRE_TOOL" },
      { type: "tool_call", id: "call_NZa7xqfefoaMI2YYHowVXVlU", name: "weather", arguments: "{}" },
    ]);
    expect(r.finishReason).toBe("tool_calls");
    expect(r.usage).toEqual({ inputTokens: 58, outputTokens: 12 });
    // The tool call is closed before the finish event, so encoders can end its block first.
    const endAt = events.findIndex((e) => e.type === "tool_call_end");
    const finishAt = events.findIndex((e) => e.type === "finish");
    expect(endAt).toBeGreaterThan(-1);
    expect(endAt).toBeLessThan(finishAt);
  });

  it("Azure: ignores prompt-filter chunks, keeps content_filter results out, reads reasoning tokens", () => {
    const r = assemble(decodeStream("azure-chat-stream-content-filter-usage.chunks.txt"));
    expect(r.id).toBe("chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt");
    expect(r.content).toEqual([{ type: "text", text: "Capital of Denmark." }]);
    expect(r.usage).toEqual({ inputTokens: 15, outputTokens: 78, reasoningTokens: 64 });
  });

  it("DeepSeek reasoning_content becomes thinking; cached prompt tokens are kept", () => {
    const r = assemble(decodeStream("compat-deepseek-chat-stream-reasoning-tool-call.chunks.txt"));
    expect(r.content[0]).toMatchObject({ type: "thinking", text: expect.stringContaining("weather in San Francisco") });
    expect(r.content[1]).toEqual({ type: "tool_call", id: "call_00_ioIn7yN9p1ZOMNpDLwd4MgAF", name: "weather", arguments: '{"location": "San Francisco"}' });
    expect(r.usage).toEqual({ inputTokens: 339, outputTokens: 83, cachedInputTokens: 320, reasoningTokens: 39 });
  });

  it("xAI reasoning stream", () => {
    const r = assemble(decodeStream("compat-xai-chat-stream-reasoning-tool-call.chunks.txt"));
    expect(r.content.map((c) => c.type)).toEqual(["thinking", "tool_call"]);
    expect(r.content[1]).toMatchObject({ name: "weather", arguments: '{"location":"San Francisco"}' });
    // xAI reports reasoning on top of completion_tokens (26 < 196): both are output.
    expect(r.usage).toEqual({ inputTokens: 291, outputTokens: 222, cachedInputTokens: 290, reasoningTokens: 196 });
  });

  it("a gateway whose first tool call has index 1 still yields tool call 0", () => {
    const events = decodeStream("compat-gateway-claude-chat-stream-tool-call-index1.sse");
    expect(events.find((e) => e.type === "tool_call_start")).toEqual({ type: "tool_call_start", index: 0, id: "toolu_sanitized", name: "read_file" });
    const r = assemble(events);
    expect(r.content).toEqual([
      { type: "text", text: "Reading it." },
      { type: "tool_call", id: "toolu_sanitized", name: "read_file", arguments: '{"path": "a.txt"}' },
    ]);
  });

  it("Qwen incremental arguments and Groq whole-call chunks assemble to the same JSON", () => {
    expect(assemble(decodeStream("compat-qwen-chat-stream-tool-call-incremental-args.chunks.txt")).content).toEqual([
      { type: "tool_call", id: "call_eee11723464a4b9eb8cee71d", name: "weather", arguments: '{"location": "San Francisco"}' },
    ]);
    expect(assemble(decodeStream("compat-groq-chat-stream-tool-call.chunks.txt")).content).toEqual([
      { type: "tool_call", id: "tk85n1k4m", name: "weather", arguments: "{}" },
    ]);
  });

  it("non-streamed responses decode to the same shape", () => {
    const text = assemble(decodeOpenAiResponse(readJsonFixture("openai", "chat-nonstream-text.json")));
    expect(text).toMatchObject({ id: "chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU", finishReason: "stop", usage: { inputTokens: 16, outputTokens: 363 } });
    const qwen = assemble(decodeOpenAiResponse(readJsonFixture("openai", "compat-qwen-chat-nonstream-tool-call.json")));
    expect(qwen.content).toEqual([{ type: "tool_call", id: "call_962bfd2ab8f54b89a1161356", name: "weather", arguments: '{"location": "San Francisco"}' }]);
    expect(qwen.finishReason).toBe("tool_calls");
  });

  it("decodes OpenAI's error body and Retry-After", () => {
    const body = JSON.stringify(readJsonFixture("openai", "chat-error-400-unsupported-parameter.json"));
    expect(decodeOpenAiError(400, body, new Headers())).toEqual({
      status: 400,
      kind: "invalid_request",
      message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    });
    expect(decodeOpenAiError(429, "{}", new Headers({ "retry-after": "7" }))).toMatchObject({ kind: "rate_limit", retryAfterSeconds: 7 });
    expect(decodeOpenAiError(502, "<html>bad gateway</html>", new Headers()).message).toBe("<html>bad gateway</html>");
  });

  it("reports a malformed chunk as an error event instead of throwing", () => {
    expect(new OpenAiStreamDecoder().push("{nope")).toEqual([{ type: "error", error: expect.objectContaining({ status: 502, kind: "upstream" }) }]);
  });
});

const base: ChatRequest = {
  model: "gpt-4o",
  system: [{ type: "text", text: "Be brief." }],
  messages: [
    { role: "user", content: [{ type: "text", text: "Weather in Paris?" }, { type: "image", url: "https://x/y.png", detail: "low" }] },
    { role: "assistant", content: [{ type: "thinking", text: "hmm", signature: "sig" }, { type: "tool_call", id: "c1", name: "weather", arguments: '{"city":"Paris"}' }] },
    { role: "user", content: [{ type: "tool_result", toolCallId: "c1", content: [{ type: "text", text: "18C" }] }, { type: "text", text: "And tomorrow?" }] },
  ],
  tools: [{ name: "weather", description: "Get weather", parameters: { type: "object", properties: { city: { type: "string" } } } }],
  toolChoice: { type: "tool", name: "weather" },
  parallelToolCalls: false,
  maxTokens: 100,
  topK: 5,
  stop: ["END"],
  stream: true,
  includeUsage: false,
  responseFormat: { type: "json", schema: { type: "object" }, name: "out" },
  unsupported: [],
};

describe("OpenAI-compatible upstream requests", () => {
  it("translates a canonical request with tools, images, tool results and JSON schema", () => {
    const call = buildOpenAiRequest(base, { model: "gpt-4o-2024-08-06", baseUrl: "https://api.openai.com/v1", apiKey: "sk-1" });
    expect(call.path).toBe("/chat/completions");
    expect(call.headers.authorization).toBe("Bearer sk-1");
    expect(call.body).toEqual({
      model: "gpt-4o-2024-08-06",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Weather in Paris?" }, { type: "image_url", image_url: { url: "https://x/y.png", detail: "low" } }] },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }] },
        { role: "tool", tool_call_id: "c1", content: "18C" },
        { role: "user", content: "And tomorrow?" },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 100,
      stop: ["END"],
      tools: [{ type: "function", function: { name: "weather", description: "Get weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
      parallel_tool_calls: false,
      tool_choice: { type: "function", function: { name: "weather" } },
      response_format: { type: "json_schema", json_schema: { name: "out", schema: { type: "object" } } },
    });
    expect(call.warnings).toEqual(["top_k is not supported by this target and was not sent"]);
  });

  it("speaks vLLM's dialect: max_tokens and top_k", () => {
    const call = buildOpenAiRequest(base, { model: "Qwen/Qwen2.5-7B-Instruct", baseUrl: "x", apiKey: undefined }, VLLM_FLAVOR);
    const body = call.body as Record<string, unknown>;
    expect(body.max_tokens).toBe(100);
    expect(body.max_completion_tokens).toBeUndefined();
    expect(body.top_k).toBe(5);
    expect(call.headers.authorization).toBeUndefined();
    expect(call.warnings).toEqual([]);
  });
});
