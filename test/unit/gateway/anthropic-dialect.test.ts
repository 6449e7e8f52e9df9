import { describe, expect, it } from "vitest";
import { assemble } from "../../../workers/gateway/assemble";
import type { ChatRequest } from "../../../workers/gateway/canonical";
import { anthropicDialect, AnthropicStreamEncoder, encodeAnthropicResponse, parseAnthropicMessages } from "../../../workers/gateway/dialects/anthropic";
import { DialectError, type BridgeMeta } from "../../../workers/gateway/dialects/types";
import { AnthropicStreamDecoder, decodeAnthropicResponse } from "../../../workers/gateway/providers/anthropic";
import { SseParser, type SseMessage } from "../../../workers/gateway/sse";
import { allRecordedEvents } from "./fixtures/all-streams";

const meta: BridgeMeta = { requestId: "req_1", provider: "openai", model: "gpt-4o", costUsd: 0.5, savingsUsd: 0.25 };

describe("Anthropic dialect: parsing", () => {
  it("maps Claude Code style requests to canonical form", () => {
    const req = parseAnthropicMessages({
      model: "claude-sonnet-4-5",
      max_tokens: 32000,
      system: [{ type: "text", text: "You are Claude Code.", cache_control: { type: "ephemeral" } }],
      messages: [
        { role: "user", content: "list files" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "need ls", signature: "sig" },
            { type: "text", text: "Running ls" },
            { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "a.txt", is_error: false }, { type: "text", text: "thanks" }] },
      ],
      tools: [{ name: "Bash", description: "run", input_schema: { type: "object", properties: { command: { type: "string" } } } }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      thinking: { type: "enabled", budget_tokens: 2048 },
      stop_sequences: ["\n\nHuman:"],
      temperature: 1,
      stream: true,
      metadata: { user_id: "user_abc" },
      context_management: { edits: [] },
    });
    expect(req).toEqual<ChatRequest>({
      model: "claude-sonnet-4-5",
      system: [{ type: "text", text: "You are Claude Code.", cache: true }],
      messages: [
        { role: "user", content: [{ type: "text", text: "list files" }] },
        {
          role: "assistant",
          content: [
            { type: "thinking", text: "need ls", signature: "sig" },
            { type: "text", text: "Running ls" },
            { type: "tool_call", id: "toolu_1", name: "Bash", arguments: '{"command":"ls"}' },
          ],
        },
        { role: "user", content: [{ type: "tool_result", toolCallId: "toolu_1", content: [{ type: "text", text: "a.txt" }] }, { type: "text", text: "thanks" }] },
      ],
      tools: [{ name: "Bash", description: "run", parameters: { type: "object", properties: { command: { type: "string" } } } }],
      toolChoice: { type: "required" },
      parallelToolCalls: false,
      thinking: { budgetTokens: 2048 },
      stop: ["\n\nHuman:"],
      temperature: 1,
      maxTokens: 32000,
      stream: true,
      includeUsage: true,
      user: "user_abc",
      unsupported: ["context_management is not supported by the bridge and was ignored"],
    });
  });

  it.each([
    ["missing max_tokens", { model: "m", messages: [] }, "max_tokens"],
    ["bad role", { model: "m", max_tokens: 5, messages: [{ role: "system", content: "x" }] }, "messages.0.role"],
    ["unknown block", { model: "m", max_tokens: 5, messages: [{ role: "user", content: [{ type: "video", url: "x" }] }] }, "messages.0.content"],
    ["thinking budget too small", { model: "m", max_tokens: 5, messages: [], thinking: { type: "enabled", budget_tokens: 10 } }, "thinking.budget_tokens"],
    ["server tool", { model: "m", max_tokens: 5, messages: [], tools: [{ type: "web_search_20250305", name: "web_search" }] }, "tools.0.type"],
    ["tool_choice tool without name", { model: "m", max_tokens: 5, messages: [], tool_choice: { type: "tool" } }, "tool_choice.name"],
  ])("rejects %s as invalid_request_error", (_n, body, param) => {
    let err: DialectError | undefined;
    try {
      parseAnthropicMessages(body);
    } catch (e) {
      err = e as DialectError;
    }
    expect(err).toBeInstanceOf(DialectError);
    expect(err!.param).toBe(param);
    const encoded = anthropicDialect.encodeError(err!.error);
    expect(encoded).toMatchObject({ status: 400, body: { type: "error", error: { type: "invalid_request_error" } } });
  });

  it("count_tokens bodies need no max_tokens", () => {
    expect(parseAnthropicMessages({ model: "m", messages: [{ role: "user", content: "hi" }] }, { requireMaxTokens: false }).maxTokens).toBeUndefined();
  });
});

/** Checks the event grammar Claude Code relies on: start, ping, properly nested blocks, delta, stop. */
function assertGrammar(msgs: SseMessage[]) {
  const names = msgs.map((m) => m.event);
  expect(names[0]).toBe("message_start");
  expect(names[1]).toBe("ping");
  expect(names.at(-2)).toBe("message_delta");
  expect(names.at(-1)).toBe("message_stop");
  let open: number | undefined;
  let next = 0;
  for (const m of msgs) {
    const data = JSON.parse(m.data);
    expect(data.type).toBe(m.event);
    if (m.event === "content_block_start") {
      expect(open).toBeUndefined();
      expect(data.index).toBe(next++);
      open = data.index;
    } else if (m.event === "content_block_delta") {
      expect(data.index).toBe(open);
    } else if (m.event === "content_block_stop") {
      expect(data.index).toBe(open);
      open = undefined;
    }
  }
  expect(open).toBeUndefined();
}

describe("Anthropic dialect: encoding every recorded response", () => {
  for (const { name, events } of allRecordedEvents()) {
    it(`${name} streams as valid Messages events and round-trips`, () => {
      const original = assemble(events);
      const enc = new AnthropicStreamEncoder("claude-requested", 10);
      const wire = events.map((e) => enc.event(e)).join("") + enc.end(meta);
      const parser = new SseParser();
      const msgs = [...parser.push(wire), ...parser.flush()];
      assertGrammar(msgs);
      const dec = new AnthropicStreamDecoder();
      const back = assemble([...msgs.flatMap((m) => dec.push(m.data)), ...dec.end()]);
      const normalise = (c: (typeof original.content)[number]) =>
        c.type === "tool_call" ? { ...c, arguments: c.arguments ? JSON.stringify(JSON.parse(c.arguments)) : "", signature: undefined } : c;
      expect(back.content.map(normalise)).toEqual(original.content.map(normalise));
      const delta = JSON.parse(msgs.at(-2)!.data);
      if (original.usage.inputTokens > 0) expect(back.usage).toEqual(original.usage);
      // A recording without usage: the final delta reports what upstream said (the pipeline fills in counts).
      else expect(delta.usage).toMatchObject({ input_tokens: 0, output_tokens: 0 });
      expect(delta.usage).toMatchObject({ cost_usd: 0.5, savings_usd: 0.25 });

      const json = encodeAnthropicResponse(original, meta, { model: "claude-requested" } as ChatRequest);
      expect(json.model).toBe("claude-requested");
      expect(assemble(decodeAnthropicResponse(json)).usage).toEqual(original.usage);
    });
  }

  it("a broken stream ends with an error event, never message_stop", () => {
    const enc = new AnthropicStreamEncoder("m");
    const wire = enc.event({ type: "start", id: "x", model: "m", created: 0 }) + enc.event({ type: "text_delta", text: "hi" }) + enc.fail({ status: 529, kind: "overloaded", message: "Overloaded" });
    const msgs = new SseParser().push(wire);
    expect(msgs.map((m) => m.event)).not.toContain("message_stop");
    expect(msgs.at(-1)).toEqual({ event: "error", data: JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }) });
  });
});
