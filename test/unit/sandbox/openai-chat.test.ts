import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chatCompletionBody, chatCompletionEvents, checkChatSemantics, parseChatRequest, planChat } from "../../../workers/sandbox/openai/chat";
import { completionBody, completionEvents, parseCompletionRequest, planCompletion } from "../../../workers/sandbox/openai/completions";
import { OpenAiRequestError, openAiErrorBody } from "../../../workers/sandbox/openai/errors";
import { resolveModel } from "../../../workers/sandbox/openai/models";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/upstream/openai/${name}`, import.meta.url), "utf8");
const chunksOf = (name: string) => fixture(name).split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof OpenAiRequestError) return openAiErrorBody("openai", e.info).error;
    throw e;
  }
  throw new Error("expected an OpenAI error");
}

const parse = (body: unknown) => parseChatRequest(body, "openai");
const plan = (body: unknown, reasoning = false) => planChat(parse(body), { reasoning, flavor: "openai", created: 1770933883 });

describe("parseChatRequest: OpenAI's 400 wording", () => {
  it.each([
    [{ messages: [] }, { message: "Missing required parameter: 'model'.", param: "model", code: "missing_required_parameter" }],
    [{ model: "m", messages: "hi" }, { message: "Invalid type for 'messages': expected an array, but got a string instead.", param: "messages", code: "invalid_type" }],
    [{ model: "m", messages: [] }, { param: "messages", code: "empty_array" }],
    [{ model: "m", messages: [{ role: "robot", content: "x" }] }, { param: "messages[0].role", code: "invalid_value" }],
    [{ model: "m", messages: [{ role: "user" }] }, { message: "Missing required parameter: 'messages[0].content'.", param: "messages[0].content" }],
    [{ model: "m", messages: [{ role: "user", content: "x" }], temperature: 3 }, { param: "temperature", code: "decimal_above_max_value" }],
    [{ model: "m", messages: [{ role: "user", content: "x" }], n: 0 }, { param: "n", code: "integer_below_min_value" }],
    [{ model: "m", messages: [{ role: "user", content: "x" }], extra: true }, { message: "Unrecognized request argument supplied: extra", param: null, code: null }],
    [
      { model: "m", messages: [{ role: "user", content: "x" }], tools: [{ type: "function", function: { name: "bad name" } }] },
      { param: "tools[0].function.name", message: "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'." },
    ],
  ])("%j -> %j", (body, expected) => {
    expect(errorOf(() => parse(body))).toMatchObject({ type: "invalid_request_error", ...expected });
  });

  it("lets vLLM's extra sampling parameters through in the vLLM flavor", () => {
    const body = { model: "m", messages: [{ role: "user", content: "x" }], top_k: 5, min_p: 0.1 };
    expect(() => parse(body)).toThrow(OpenAiRequestError);
    expect(parseChatRequest(body, "runpod-serverless").model).toBe("m");
  });
});

describe("checkChatSemantics", () => {
  const check = (body: unknown, reasoning = false) => errorOf(() => checkChatSemantics(parse(body), reasoning, "openai"));
  const user = { role: "user", content: "x" };
  it("rejects orphan tool messages and unanswered tool calls", () => {
    expect(check({ model: "m", messages: [user, { role: "tool", tool_call_id: "c1", content: "r" }] }).param).toBe("messages.[1].role");
    const call = { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }] };
    expect(check({ model: "m", messages: [user, call, user] }).message).toContain("did not have response messages: c1");
  });

  it("rejects tool_choice without tools, unknown named tools and stream_options without stream", () => {
    expect(check({ model: "m", messages: [user], tool_choice: "auto" }).param).toBe("tool_choice");
    const tools = [{ type: "function", function: { name: "f" } }];
    expect(check({ model: "m", messages: [user], tools, tool_choice: { type: "function", function: { name: "g" } } }).param).toBe("tool_choice");
    expect(check({ model: "m", messages: [user], stream_options: { include_usage: true } }).param).toBe("stream_options");
  });

  it("reproduces the recorded unsupported-parameter error for reasoning models", () => {
    const expected = JSON.parse(fixture("chat-error-400-unsupported-parameter.json")).error;
    expect(check({ model: "o3", messages: [user], max_tokens: 5 }, true)).toEqual(expected);
    expect(check({ model: "o3", messages: [user], temperature: 0.2 }, true).code).toBe("unsupported_value");
  });
});

describe("chat completion rendering", () => {
  const body = { model: "gpt-4.1-nano-2025-04-14", messages: [{ role: "user", content: "Invent a holiday" }] };

  it("has the recorded chat.completion keys and usage detail keys", () => {
    const recorded = JSON.parse(fixture("chat-nonstream-text.json"));
    const ours = chatCompletionBody(plan(body));
    expect(Object.keys(ours).sort()).toEqual(Object.keys(recorded).sort());
    const choice = (ours.choices as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(choice).sort()).toEqual(Object.keys(recorded.choices[0]).sort());
    expect(Object.keys(choice.message as object).sort()).toEqual(Object.keys(recorded.choices[0].message).sort());
    const usage = ours.usage as Record<string, Record<string, unknown>>;
    expect(Object.keys(usage.completion_tokens_details!).sort()).toEqual(Object.keys(recorded.usage.completion_tokens_details).sort());
    expect(usage.total_tokens).toBe(Number(usage.prompt_tokens) + Number(usage.completion_tokens));
  });

  it("streams like the recording: role chunk, content chunks, finish chunk, usage chunk, [DONE]", () => {
    const recorded = chunksOf("chat-stream-text-with-usage.chunks.txt");
    const events = chatCompletionEvents(plan({ ...body, stream: true, stream_options: { include_usage: true } }), true);
    expect(events.at(-1)).toEqual({ data: "[DONE]" });
    const ours = events.slice(0, -1).map((e) => JSON.parse(e.data) as Record<string, unknown>);
    const strip = (o: Record<string, unknown>) => Object.keys(o).filter((k) => k !== "obfuscation").sort();
    expect(strip(ours[0]!)).toEqual(strip(recorded[0]!));
    expect((ours[0]!.choices as unknown[])[0]).toEqual((recorded[0]!.choices as unknown[])[0]);
    expect((ours.at(-2)!.choices as unknown[])[0]).toEqual((recorded.at(-2)!.choices as unknown[])[0]);
    expect(ours.at(-1)!.choices).toEqual([]);
    expect(Object.keys(ours.at(-1)!.usage as object).sort()).toEqual(Object.keys(recorded.at(-1)!.usage as object).sort());
    const text = ours.slice(1, -2).map((c) => (c.choices as Array<{ delta: { content: string } }>)[0]!.delta.content).join("");
    expect(text).toBe((chatCompletionBody(plan(body)).choices as Array<{ message: { content: string } }>)[0]!.message.content);
  });

  it("streams tool calls as the recording does: header delta with id/name, then argument pieces", () => {
    const recorded = chunksOf("chat-stream-text-then-tool-call.chunks.txt");
    const tools = [{ type: "function", function: { name: "weather", parameters: { type: "object", properties: { location: { type: "string" } } } } }];
    const ours = chatCompletionEvents(plan({ ...body, tools, stream: true }), false).slice(0, -1).map((e) => JSON.parse(e.data));
    const header = ours.find((c) => c.choices[0].delta.tool_calls?.[0]?.id);
    const recordedHeader = recorded.find((c) => (c.choices as Array<{ delta: { tool_calls?: Array<{ id?: string }> } }>)[0]?.delta.tool_calls?.[0]?.id)!;
    expect(Object.keys(header.choices[0].delta.tool_calls[0]).sort()).toEqual(Object.keys((recordedHeader.choices as any)[0].delta.tool_calls[0]).sort());
    expect(header.choices[0].delta.tool_calls[0].function).toEqual({ name: "weather", arguments: "" });
    const args = ours.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((t: { function: { arguments: string } }) => t.function.arguments).join("");
    expect(JSON.parse(args)).toEqual({ location: "sample location" });
    expect(ours.at(-1).choices[0].finish_reason).toBe("tool_calls");
    expect(ours.some((c) => "usage" in c)).toBe(false);
  });

  it("is deterministic and bills reasoning on reasoning models", () => {
    expect(chatCompletionBody(plan(body))).toEqual(chatCompletionBody(plan(body)));
    const r = plan({ model: "o3", messages: [{ role: "user", content: "x" }], max_completion_tokens: 1000 }, true);
    const usage = chatCompletionBody(r).usage as { completion_tokens: number; completion_tokens_details: { reasoning_tokens: number } };
    expect(usage.completion_tokens_details.reasoning_tokens).toBe(r.reasoningTokens);
    expect(usage.completion_tokens).toBe(r.reasoningTokens + r.turn.outputTokens);
  });
});

describe("legacy completions", () => {
  it("defaults max_tokens to 16 and streams text_completion chunks", () => {
    const p = planCompletion(parseCompletionRequest({ model: "davinci-002", prompt: ["a", "b"] }, "openai"), { flavor: "openai", created: 1 });
    const out = completionBody(p) as { choices: Array<{ text: string; finish_reason: string; index: number }> };
    expect(out.choices.map((c) => [c.index, c.finish_reason, c.text.length])).toEqual([
      [0, "length", 64],
      [1, "length", 64],
    ]);
    const events = completionEvents(p, true);
    expect(JSON.parse(events.at(-2)!.data).usage.completion_tokens).toBe(32);
    expect(events.at(-1)!.data).toBe("[DONE]");
  });
});

describe("resolveModel", () => {
  it("accepts listed ids and suffixed snapshots, preferring the longest listed prefix", () => {
    const ids = ["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo", "gpt-3.5-turbo-instruct"];
    expect(resolveModel("gpt-4o-2024-08-06", ids, true)).toBe("gpt-4o");
    expect(resolveModel("gpt-4o-mini-cut-1", ids, true)).toBe("gpt-4o-mini");
    expect(resolveModel("gpt-3.5-turbo-instruct-0914", ids, true)).toBe("gpt-3.5-turbo-instruct");
    expect(resolveModel("gpt-4o-2024-08-06", ids, false)).toBeUndefined();
    expect(resolveModel("gpt-5o", ids, true)).toBeUndefined();
  });
});
