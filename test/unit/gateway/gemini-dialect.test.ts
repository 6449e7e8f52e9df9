import { describe, expect, it } from "vitest";
import { assemble } from "../../../workers/gateway/assemble";
import type { ChatRequest } from "../../../workers/gateway/canonical";
import { encodeGeminiResponse, geminiDialect, GeminiStreamEncoder, parseGeminiRequest } from "../../../workers/gateway/dialects/gemini";
import { DialectError, type BridgeMeta } from "../../../workers/gateway/dialects/types";
import { decodeGeminiResponse, GeminiStreamDecoder } from "../../../workers/gateway/providers/gemini";
import { SseParser } from "../../../workers/gateway/sse";
import { allRecordedEvents } from "./fixtures/all-streams";

const meta: BridgeMeta = { requestId: "r", provider: "runpod", model: "qwen", costUsd: 0.01, savingsUsd: 0.09 };

describe("Gemini dialect: parsing", () => {
  it("pairs function responses with calls by name and keeps thought signatures", () => {
    const req = parseGeminiRequest(
      {
        systemInstruction: { parts: [{ text: "sys" }] },
        contents: [
          { role: "user", parts: [{ text: "weather in Oslo and Rome?" }, { inlineData: { mimeType: "image/png", data: "QQ==" } }] },
          {
            role: "model",
            parts: [
              { text: "thinking...", thought: true },
              { functionCall: { name: "weather", args: { city: "Oslo" } }, thoughtSignature: "SIG1" },
              { functionCall: { name: "weather", args: { city: "Rome" } } },
            ],
          },
          { role: "user", parts: [{ functionResponse: { name: "weather", response: { temp: 1 } } }, { functionResponse: { name: "weather", response: { temp: 20 } } }] },
        ],
        tools: [{ functionDeclarations: [{ name: "weather", description: "w", parameters: { type: "OBJECT", properties: { city: { type: "STRING", nullable: true } } } }] }],
        toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["weather"] } },
        generationConfig: { maxOutputTokens: 100, temperature: 0.5, stopSequences: ["x"], responseMimeType: "application/json", thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } },
        safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
      },
      { model: "gemini-2.5-flash", stream: true },
    );
    expect(req).toEqual<ChatRequest>({
      model: "gemini-2.5-flash",
      system: [{ type: "text", text: "sys" }],
      messages: [
        { role: "user", content: [{ type: "text", text: "weather in Oslo and Rome?" }, { type: "image", data: "QQ==", mediaType: "image/png" }] },
        {
          role: "assistant",
          content: [
            { type: "thinking", text: "thinking..." },
            { type: "tool_call", id: "call_0", name: "weather", arguments: '{"city":"Oslo"}', signature: "SIG1" },
            { type: "tool_call", id: "call_1", name: "weather", arguments: '{"city":"Rome"}' },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", toolCallId: "call_0", name: "weather", content: [{ type: "text", text: '{"temp":1}' }] },
            { type: "tool_result", toolCallId: "call_1", name: "weather", content: [{ type: "text", text: '{"temp":20}' }] },
          ],
        },
      ],
      tools: [{ name: "weather", description: "w", parameters: { type: "object", properties: { city: { type: ["string", "null"] } } } }],
      toolChoice: { type: "tool", name: "weather" },
      stop: ["x"],
      maxTokens: 100,
      temperature: 0.5,
      responseFormat: { type: "json" },
      thinking: { budgetTokens: 1024 },
      safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
      stream: true,
      includeUsage: true,
      unsupported: [],
    });
  });

  it.each([
    ["no contents", {}],
    ["bad role", { contents: [{ role: "system", parts: [{ text: "x" }] }] }],
    ["temperature type", { contents: [], generationConfig: { temperature: "warm" } }],
    ["google search tool", { contents: [], tools: [{ googleSearch: {} }] }],
    ["candidateCount 2", { contents: [], generationConfig: { candidateCount: 2 } }],
    ["empty part", { contents: [{ role: "user", parts: [{}] }] }],
  ])("rejects %s as INVALID_ARGUMENT", (_n, body) => {
    let err: DialectError | undefined;
    try {
      parseGeminiRequest(body, { model: "m" });
    } catch (e) {
      err = e as DialectError;
    }
    expect(err).toBeInstanceOf(DialectError);
    expect(geminiDialect.encodeError(err!.error)).toMatchObject({ status: 400, body: { error: { code: 400, status: "INVALID_ARGUMENT" } } });
  });
});

describe("Gemini dialect: encoding every recorded response", () => {
  for (const { name, events } of allRecordedEvents()) {
    it(`${name} streams as GenerateContentResponse chunks and round-trips`, () => {
      const original = assemble(events);
      const enc = new GeminiStreamEncoder("requested");
      const wire = events.map((e) => enc.event(e)).join("") + enc.end(meta);
      const msgs = new SseParser().push(wire);
      const last = JSON.parse(msgs.at(-1)!.data);
      expect(last.candidates[0].finishReason).toMatch(/STOP|MAX_TOKENS|SAFETY/);
      expect(last.usageMetadata).toMatchObject({ promptTokenCount: original.usage.inputTokens, costUsd: 0.01, savingsUsd: 0.09 });
      const dec = new GeminiStreamDecoder();
      const back = assemble([...msgs.flatMap((m) => dec.push(m.data)), ...dec.end()]);
      const calls = (r: typeof original) => r.content.filter((c) => c.type === "tool_call").map((c) => c.type === "tool_call" && [c.name, c.arguments ? JSON.parse(c.arguments) : {}]);
      const text = (r: typeof original) => r.content.filter((c) => c.type === "text").map((c) => c.type === "text" && c.text).join("");
      const thinking = (r: typeof original) => r.content.filter((c) => c.type === "thinking" && !c.redacted).map((c) => c.type === "thinking" && c.text).join("");
      expect(calls(back)).toEqual(calls(original));
      expect(text(back)).toBe(text(original));
      expect(thinking(back)).toBe(thinking(original));
      if (original.usage.inputTokens > 0) expect(back.usage).toEqual(original.usage);

      const json = encodeGeminiResponse(original, meta, { model: "requested" } as ChatRequest);
      expect(calls(assemble(decodeGeminiResponse(json)))).toEqual(calls(original));
    });
  }

  it("a broken stream ends with an error chunk, not a finishReason", () => {
    const enc = new GeminiStreamEncoder("m");
    const wire = enc.event({ type: "start", id: "x", model: "m", created: 0 }) + enc.event({ type: "text_delta", text: "hi" }) + enc.fail({ status: 503, kind: "overloaded", message: "down" });
    const msgs = new SseParser().push(wire);
    expect(JSON.parse(msgs.at(-1)!.data)).toEqual({ error: { code: 503, message: "down", status: "UNAVAILABLE" } });
  });
});
