import { describe, expect, it } from "vitest";
import { assemble } from "../../../workers/gateway/assemble";
import type { ChatRequest } from "../../../workers/gateway/canonical";
import { encodeOpenAiResponse, openAiDialect, OpenAiStreamEncoder, parseOpenAiChat } from "../../../workers/gateway/dialects/openai";
import { DialectError, type BridgeMeta } from "../../../workers/gateway/dialects/types";
import { decodeOpenAiResponse, OpenAiStreamDecoder } from "../../../workers/gateway/providers/openai";
import { SseParser } from "../../../workers/gateway/sse";
import { allRecordedEvents } from "./fixtures/all-streams";

const meta: BridgeMeta = { requestId: "req_1", provider: "anthropic", model: "claude-x", costUsd: 0.0012, savingsUsd: 0.0003 };

function parseError(body: unknown): DialectError {
  try {
    parseOpenAiChat(body);
  } catch (e) {
    if (e instanceof DialectError) return e;
    throw e;
  }
  throw new Error("expected a DialectError");
}

describe("OpenAI dialect: parsing", () => {
  it("maps a full request to canonical form", () => {
    const req = parseOpenAiChat({
      model: "gpt-4o",
      messages: [
        { role: "system", content: "sys" },
        { role: "developer", content: [{ type: "text", text: "dev" }] },
        { role: "user", content: [{ type: "text", text: "hi" }, { type: "image_url", image_url: { url: "https://i/x.png", detail: "high" } }] },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }, { id: "c2", type: "function", function: { name: "f", arguments: '{"a":1}' } }] },
        { role: "tool", tool_call_id: "c1", content: "r1" },
        { role: "tool", tool_call_id: "c2", content: [{ type: "text", text: "r2" }] },
      ],
      tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }],
      tool_choice: { type: "function", function: { name: "f" } },
      parallel_tool_calls: true,
      response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object" }, strict: true } },
      stop: "END",
      temperature: 0.2,
      top_p: 0.9,
      seed: 42,
      max_tokens: 10,
      max_completion_tokens: 20,
      stream: true,
      stream_options: { include_usage: true },
      presence_penalty: 0.5,
      some_future_flag: true,
    });
    expect(req).toEqual<ChatRequest>({
      model: "gpt-4o",
      system: [{ type: "text", text: "sys" }, { type: "text", text: "dev" }],
      messages: [
        { role: "user", content: [{ type: "text", text: "hi" }, { type: "image", url: "https://i/x.png", detail: "high" }] },
        { role: "assistant", content: [{ type: "tool_call", id: "c1", name: "f", arguments: "{}" }, { type: "tool_call", id: "c2", name: "f", arguments: '{"a":1}' }] },
        { role: "tool", content: [{ type: "tool_result", toolCallId: "c1", content: [{ type: "text", text: "r1" }] }, { type: "tool_result", toolCallId: "c2", content: [{ type: "text", text: "r2" }] }] },
      ],
      tools: [{ name: "f", parameters: { type: "object" } }],
      toolChoice: { type: "tool", name: "f" },
      parallelToolCalls: true,
      responseFormat: { type: "json", schema: { type: "object" }, name: "x", strict: true },
      stop: ["END"],
      temperature: 0.2,
      topP: 0.9,
      seed: 42,
      maxTokens: 20,
      stream: true,
      includeUsage: true,
      unsupported: ["presence_penalty is not supported by the bridge and was ignored", "unknown parameter some_future_flag was ignored"],
    });
  });

  it.each([
    ["not an object", [1, 2], "body"],
    ["missing model", { messages: [{ role: "user", content: "x" }] }, "model"],
    ["empty messages", { model: "m", messages: [] }, "messages"],
    ["wrong role", { model: "m", messages: [{ role: "wizard", content: "x" }] }, "messages[0].role"],
    ["wrong type", { model: "m", messages: [{ role: "user", content: "x" }], temperature: "hot" }, "temperature"],
    ["out of range", { model: "m", messages: [{ role: "user", content: "x" }], temperature: 3 }, "temperature"],
    ["tool result without id", { model: "m", messages: [{ role: "tool", content: "x" }] }, "messages[0].tool_call_id"],
    ["n > 1", { model: "m", messages: [{ role: "user", content: "x" }], n: 3 }, "n"],
    ["audio part", { model: "m", messages: [{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }] }, "messages[0].content[0].type"],
  ])("rejects %s with a 400 naming the parameter", (_name, body, param) => {
    const err = parseError(body);
    expect(err.error.status).toBe(400);
    if (param !== "body") expect(err.param).toBe(param);
    const encoded = openAiDialect.encodeError(err.error, err.param);
    expect(encoded.status).toBe(400);
    expect(encoded.body).toMatchObject({ error: { type: "invalid_request_error", message: expect.any(String) } });
  });
});

function replayThroughOpenAi(sse: string) {
  const parser = new SseParser();
  const decoder = new OpenAiStreamDecoder();
  const msgs = [...parser.push(sse), ...parser.flush()];
  return { msgs, response: assemble([...msgs.flatMap((m) => decoder.push(m.data)), ...decoder.end()]) };
}

describe("OpenAI dialect: encoding every recorded response", () => {
  for (const { name, events } of allRecordedEvents()) {
    it(`${name} survives a round trip through the OpenAI stream and JSON encoders`, () => {
      const original = assemble(events);
      const enc = new OpenAiStreamEncoder(true, "requested-model");
      const sse = events.map((e) => enc.event(e)).join("") + enc.end(meta);
      const { msgs, response } = replayThroughOpenAi(sse);
      expect(msgs.at(-1)?.data).toBe("[DONE]");
      const usageChunk = JSON.parse(msgs.at(-2)!.data);
      expect(usageChunk.choices).toEqual([]);
      expect(usageChunk.usage).toMatchObject({ prompt_tokens: original.usage.inputTokens, completion_tokens: original.usage.outputTokens, cost_usd: 0.0012, savings_usd: 0.0003 });
      expect(JSON.parse(msgs[0]!.data).model).toBe("requested-model");

      const expectContent = original.content
        .filter((c) => !(c.type === "thinking" && (c.redacted || !c.text)))
        .map((c) => (c.type === "thinking" ? { type: "thinking", text: c.text } : c.type === "tool_call" ? { type: "tool_call", id: c.id, name: c.name, arguments: c.arguments } : c));
      expect(response.content).toEqual(expectContent);
      expect(response.finishReason).toBe(original.finishReason === "other" || original.finishReason === "error" ? "stop" : original.finishReason);

      const json = encodeOpenAiResponse(original, meta, { model: "requested-model" } as ChatRequest);
      const back = assemble(decodeOpenAiResponse(json));
      expect(back.content.filter((c) => c.type === "tool_call").map((c) => c.type === "tool_call" && c.name)).toEqual(
        original.content.filter((c) => c.type === "tool_call").map((c) => c.type === "tool_call" && c.name),
      );
      expect(back.usage.inputTokens).toBe(original.usage.inputTokens);
    });
  }

  it("a broken stream ends with an error chunk and no [DONE]", () => {
    const enc = new OpenAiStreamEncoder(false, "m");
    const sse = enc.event({ type: "start", id: "x", model: "m", created: 1 }) + enc.event({ type: "text_delta", text: "par" }) + enc.fail({ status: 502, kind: "upstream", message: "upstream connection lost" });
    const parser = new SseParser();
    const msgs = parser.push(sse);
    expect(msgs.map((m) => m.data)).not.toContain("[DONE]");
    expect(JSON.parse(msgs.at(-1)!.data)).toEqual({ error: { message: "upstream connection lost", type: "server_error", param: null, code: null } });
  });
});
