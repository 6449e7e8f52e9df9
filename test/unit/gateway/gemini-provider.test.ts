import { describe, expect, it } from "vitest";
import { assemble } from "../../../workers/gateway/assemble";
import type { ChatEvent, ChatRequest } from "../../../workers/gateway/canonical";
import { buildGeminiRequest, decodeGeminiError, decodeGeminiResponse, GeminiStreamDecoder, toGeminiSchema } from "../../../workers/gateway/providers/gemini";
import { readJsonFixture, readStreamFixture } from "./fixtures/load";

function decodeStream(name: string): ChatEvent[] {
  const d = new GeminiStreamDecoder();
  return [...readStreamFixture("gemini", name).flatMap((m) => d.push(m.data)), ...d.end()];
}

describe("Gemini upstream decoding, pinned by recorded traffic", () => {
  it("text stream with a trailing thought signature: kept in place; thoughts counted as output", () => {
    const r = assemble(decodeStream("stream-text-thought-signature.chunks.txt"));
    expect(r.id).toBe("bH6LaZW8Fp_3nsEPqtaSwQ4");
    expect(r.model).toBe("gemini-3-pro-preview");
    expect(r.content[0]).toMatchObject({ type: "text", text: expect.stringMatching(/^There are \*\*3\*\* "r"s in strawberry/) });
    expect(r.content[1]).toMatchObject({ type: "thinking", text: "", signature: expect.stringMatching(/^EqsFCqgFAb/) });
    expect(r.usage).toEqual({ inputTokens: 9, outputTokens: 208, reasoningTokens: 185 });
    expect(r.finishReason).toBe("stop");
  });

  it("thought summaries become thinking (SSE with spaced JSON)", () => {
    const r = assemble(decodeStream("firebase-stream-thought-summary.sse"));
    expect(r.content.map((c) => c.type)).toEqual(["thinking", "text"]);
    expect(r.content[0]).toMatchObject({ text: expect.stringMatching(/^\*\*Exploring Sky Color\*\*/) });
    expect(r.usage).toEqual({ inputTokens: 10, outputTokens: 588, reasoningTokens: 540 });
  });

  it("function call with thought signature; STOP with a call means tool_calls", () => {
    const streamed = assemble(decodeStream("stream-function-call.chunks.txt"));
    expect(streamed.content).toEqual([
      { type: "tool_call", id: "call_0", name: "weather", arguments: '{"location":"San Francisco"}', signature: expect.stringMatching(/^EqUCCqICAb/) },
    ]);
    expect(streamed.finishReason).toBe("tool_calls");
    const whole = assemble(decodeGeminiResponse(readJsonFixture("gemini", "nonstream-function-call.json")));
    expect(whole.content[0]).toMatchObject({ name: "weather", arguments: '{"location":"San Francisco"}' });
    expect(whole.usage).toEqual({ inputTokens: 29, outputTokens: 908, reasoningTokens: 893 });
  });

  it("Vertex partialArgs: parallel calls streamed in pieces assemble to whole arguments", () => {
    const r = assemble(decodeStream("vertex-stream-thoughts-parallel-function-calls-partial-args.chunks.txt"));
    expect(r.content.map((c) => (c.type === "tool_call" ? `${c.name}${c.arguments}` : c.type))).toEqual([
      "thinking",
      "read_theme{}",
      'read_screen{"id":"A"}',
      'read_screen{"id":"B"}',
      'read_screen{"id":"C"}',
    ]);
    expect(r.finishReason).toBe("tool_calls");
  });

  it("safety: a blocked prompt and a SAFETY finish are content_filter", () => {
    expect(assemble(decodeStream("firebase-stream-prompt-blocked-safety.sse"))).toMatchObject({ content: [], finishReason: "content_filter" });
    const r = assemble(decodeGeminiResponse(readJsonFixture("gemini", "firebase-nonstream-finish-reason-safety.json")));
    expect(r).toMatchObject({ finishReason: "content_filter", usage: { inputTokens: 7, outputTokens: 20 } });
  });

  it("errors: status and RetryInfo's retryDelay", () => {
    const e429 = decodeGeminiError(429, JSON.stringify(readJsonFixture("gemini", "error-429-resource-exhausted-retryinfo.json")), new Headers());
    expect(e429).toEqual({ status: 429, kind: "rate_limit", message: "You exceeded your current quota, please check your plan.", retryAfterSeconds: 35 });
    const e400 = decodeGeminiError(400, JSON.stringify(readJsonFixture("gemini", "error-400-invalid-argument.json")), new Headers());
    expect(e400.kind).toBe("invalid_request");
  });
});

describe("Gemini upstream requests", () => {
  it("builds contents with model turns, signatures replayed, functionResponse named from the call", () => {
    const req: ChatRequest = {
      model: "gemini-2.5-flash",
      system: [{ type: "text", text: "sys" }],
      messages: [
        { role: "user", content: [{ type: "text", text: "hi" }, { type: "image", data: "QUJD", mediaType: "image/png" }] },
        { role: "assistant", content: [{ type: "tool_call", id: "call_0", name: "weather", arguments: '{"city":"Oslo"}', signature: "SIG" }] },
        { role: "tool", content: [{ type: "tool_result", toolCallId: "call_0", content: [{ type: "text", text: "cold" }] }] },
      ],
      tools: [{ name: "weather", parameters: { type: "object", additionalProperties: false, $schema: "x", properties: { city: { type: ["string", "null"] } }, required: ["city"] } }],
      toolChoice: { type: "tool", name: "weather" },
      maxTokens: 50,
      stop: [],
      responseFormat: { type: "json" },
      thinking: { budgetTokens: 512 },
      stream: true,
      includeUsage: true,
      unsupported: [],
    };
    const call = buildGeminiRequest(req, { model: "gemini-2.5-flash", baseUrl: "", apiKey: "g" });
    expect(call.path).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    expect(call.headers["x-goog-api-key"]).toBe("g");
    expect(call.body).toEqual({
      contents: [
        { role: "user", parts: [{ text: "hi" }, { inlineData: { mimeType: "image/png", data: "QUJD" } }] },
        { role: "model", parts: [{ functionCall: { name: "weather", args: { city: "Oslo" } }, thoughtSignature: "SIG" }] },
        { role: "user", parts: [{ functionResponse: { name: "weather", response: { result: "cold" } } }] },
      ],
      systemInstruction: { parts: [{ text: "sys" }] },
      tools: [{ functionDeclarations: [{ name: "weather", parameters: { type: "OBJECT", properties: { city: { type: "STRING", nullable: true } }, required: ["city"] } }] }],
      toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["weather"] } },
      generationConfig: { maxOutputTokens: 50, responseMimeType: "application/json", thinkingConfig: { thinkingBudget: 512, includeThoughts: true } },
    });
  });

  it("strips JSON-schema keywords Gemini rejects, recursively", () => {
    expect(toGeminiSchema({ type: "array", items: { type: "object", additionalProperties: true, properties: { a: { const: 1, type: "integer" } } } })).toEqual({
      type: "ARRAY",
      items: { type: "OBJECT", properties: { a: { type: "INTEGER" } } },
    });
  });
});
