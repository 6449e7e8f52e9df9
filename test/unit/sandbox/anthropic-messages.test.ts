import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkMessages, inputTokens, messageBody, messageEvents, parseMessagesRequest, planMessage } from "../../../workers/sandbox/anthropic/messages";
import { findClaudeModel, listModelsPage } from "../../../workers/sandbox/anthropic/models";
import { AnthropicRequestError } from "../../../workers/sandbox/anthropic/schema";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/upstream/anthropic/${name}`, import.meta.url), "utf8");
const recordedTypes = (name: string) =>
  fixture(name)
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; delta?: { type: string }; content_block?: { type: string } });

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AnthropicRequestError) return e.message;
    throw e;
  }
  throw new Error("expected an Anthropic error");
}

const user = (content: unknown) => ({ role: "user", content });
const body = (extra: Record<string, unknown> = {}) => ({ model: "claude-haiku-4-5", max_tokens: 1024, messages: [user("Hello")], ...extra });
const plan = (b: unknown) => planMessage(parseMessagesRequest(b));
/** Event types with ping and repeated deltas collapsed, to compare the shape of a stream with a recording. */
const shape = (events: Array<{ type: string; delta?: { type: string }; content_block?: { type: string } }>) =>
  events
    .filter((e) => e.type !== "ping")
    .map((e) => (e.type === "content_block_delta" ? `delta:${e.delta!.type}` : e.type === "content_block_start" ? `start:${e.content_block!.type}` : e.type))
    .filter((t, i, all) => t !== all[i - 1] || !t.startsWith("delta:"));

describe("parseMessagesRequest: Anthropic's 400 wording", () => {
  it.each([
    [{ model: "m", messages: [user("x")] }, "max_tokens: Field required"],
    [{ model: "m", max_tokens: "5", messages: [user("x")] }, "max_tokens: Input should be a valid integer"],
    [{ model: "m", max_tokens: 5, messages: [{ role: "system", content: "x" }] }, "messages.0.role: Input should be 'user' or 'assistant'"],
    [{ model: "m", max_tokens: 5, messages: [user([{ type: "video" }])] }, "messages.0.content.0: Input tag 'video' found using 'type' does not match any of the expected tags:"],
    [{ model: "m", max_tokens: 5, messages: [user("x")], temperature: 2 }, "temperature: Input should be less than or equal to 1"],
    [{ model: "m", max_tokens: 5, messages: [user("x")], thinking: { type: "enabled", budget_tokens: 10 } }, "thinking.budget_tokens: Input should be greater than or equal to 1024"],
  ])("%j", (b, expected) => {
    expect(messageOf(() => parseMessagesRequest(b))).toContain(expected);
  });
});

describe("checkMessages", () => {
  const check = (b: unknown) => messageOf(() => checkMessages(parseMessagesRequest(b)));
  it("reproduces the recorded unexpected tool_use_id error", () => {
    const recorded = JSON.parse(fixture("error-400-invalid-request.json")).error.message as string;
    const id = "srvtoolu_issue_17366_invalid";
    const msg = check(body({ messages: [user("a"), { role: "assistant", content: "b" }, user([{ type: "tool_result", tool_use_id: id, content: "r" }])] }));
    expect(msg).toBe(recorded);
  });

  it("wants every tool_use answered, a sane thinking budget and no forced tools while thinking", () => {
    const use = { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "f", input: {} }] };
    expect(check(body({ messages: [user("a"), use, user("no result")] }))).toContain("`tool_use` ids were found without `tool_result` blocks immediately after: toolu_1");
    expect(check(body({ max_tokens: 1024, thinking: { type: "enabled", budget_tokens: 1024 } }))).toMatch(/^`max_tokens` must be greater than `thinking.budget_tokens`/);
    const tools = [{ name: "f", input_schema: { type: "object" } }];
    expect(check(body({ max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 1024 }, tools, tool_choice: { type: "any" } }))).toBe("Thinking may not be enabled when tool_choice forces tool use.");
    expect(check(body({ messages: [] }))).toBe("messages: at least one message is required");
    expect(check(body({ max_tokens: 200000 }))).toContain("maximum allowed number of output tokens for claude-haiku-4-5-20251001");
  });
});

describe("message rendering", () => {
  it("has the recorded message keys and usage keys", () => {
    const recorded = JSON.parse(fixture("nonstream-text.json"));
    const ours = messageBody(plan(body()));
    expect(Object.keys(ours).sort()).toEqual(Object.keys(recorded).sort());
    const usageKeys = Object.keys(recorded.usage).filter((k) => k !== "inference_geo").sort();
    expect(Object.keys(ours.usage as object).sort()).toEqual(usageKeys);
  });

  it("streams text in the recorded event order", () => {
    const recorded = recordedTypes("stream-text.chunks.txt");
    const ours = messageEvents(plan(body({ stream: true })));
    expect(ours.every((e) => e.event === (JSON.parse(e.data) as { type: string }).type)).toBe(true);
    const parsed = ours.map((e) => JSON.parse(e.data));
    expect(parsed.map((e) => e.type).slice(0, 3)).toEqual(recorded.map((e) => e.type).slice(0, 3));
    expect(shape(parsed)).toEqual(shape(recorded));
    expect(Object.keys(parsed.at(-2).usage).sort()).toEqual(Object.keys((recorded.at(-2) as unknown as { usage: object }).usage).sort());
  });

  it("streams thinking then text like the recorded thinking stream", () => {
    const ours = messageEvents(plan(body({ max_tokens: 4000, thinking: { type: "enabled", budget_tokens: 2000 } }))).map((e) => JSON.parse(e.data));
    expect(shape(ours)).toEqual(shape(recordedTypes("stream-thinking-signature.chunks.txt")));
    expect(ours[1].content_block).toEqual({ type: "thinking", thinking: "", signature: "" });
  });

  it("streams a tool_use like the recorded tool stream: empty partial_json first", () => {
    const tools = [{ name: "weather", input_schema: { type: "object", properties: { location: { type: "string" } } } }];
    const ours = messageEvents(plan(body({ tools }))).map((e) => JSON.parse(e.data));
    expect(shape(ours)).toEqual(shape(recordedTypes("stream-tool-use.chunks.txt")));
    const partials = ours.filter((e) => e.delta?.type === "input_json_delta").map((e) => e.delta.partial_json);
    expect(partials[0]).toBe("");
    expect(JSON.parse(partials.join(""))).toEqual({ location: "sample location" });
    expect(ours.at(-2).delta).toEqual({ stop_reason: "tool_use", stop_sequence: null });
  });

  it("streams parallel tool_use blocks with their own indexes", () => {
    const tools = ["a", "b", "c"].map((name) => ({ name, input_schema: { type: "object" } }));
    const ours = messageEvents(plan(body({ tools, tool_choice: { type: "any" } }))).map((e) => JSON.parse(e.data));
    expect(ours.filter((e) => e.type === "content_block_start").map((e) => [e.index, e.content_block.name])).toEqual([
      [0, "a"],
      [1, "b"],
      [2, "c"],
    ]);
  });

  it("counts input tokens from system, messages and tools", () => {
    const b = parseMessagesRequest(body({ system: [{ type: "text", text: "sys" }] }));
    expect(inputTokens(b)).toBe(Math.ceil("sys\nuser: Hello".length / 4));
    expect(plan(b).inputTokens).toBe(inputTokens(b));
  });
});

describe("models", () => {
  it("resolves aliases to dated ids and pages the list", () => {
    expect(findClaudeModel("claude-sonnet-4-5")?.id).toBe("claude-sonnet-4-5-20250929");
    expect(findClaudeModel("claude-opus-4")?.id).toBe("claude-opus-4-20250514");
    expect(findClaudeModel("claude-nope")).toBeUndefined();
    const first = listModelsPage({ limit: "2" });
    expect(first).toMatchObject({ has_more: true, first_id: first.data[0]!.id, last_id: first.data[1]!.id });
    const next = listModelsPage({ limit: "2", after_id: first.last_id! });
    expect(next.data[0]!.id).not.toBe(first.data[1]!.id);
    const before = listModelsPage({ limit: "1", before_id: next.first_id! });
    expect(before.data.map((m) => m.id)).toEqual([first.last_id]);
  });
});
