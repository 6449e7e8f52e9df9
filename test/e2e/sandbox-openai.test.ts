import OpenAI, { type APIError } from "openai";
import { describe, expect, inject, it } from "vitest";

const sandbox = inject("sandboxUrl");
const client = new OpenAI({ apiKey: "sk-sandbox-test", baseURL: `${sandbox}/openai/v1`, maxRetries: 0 });

/** The stand-in's token rule (about four characters a token), so usage can be asserted exactly. */
const tokens = (s: string) => Math.ceil(s.length / 4);
const reply = (model: string, prompt: string) => `Hello from the ${model} sandbox. You said: "${prompt}". This is a deterministic stand-in reply.`;

async function fault(rule: Record<string, unknown>) {
  const res = await fetch(`${sandbox}/_control/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ service: "openai", ...rule }) });
  expect(res.status).toBe(201);
}

const weather = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } }, required: ["city"] },
  },
};
const time = { type: "function" as const, function: { name: "get_time", parameters: { type: "object", properties: { zone: { type: "string", enum: ["UTC", "CET"] } } } } };

describe("OpenAI stand-in through the official openai SDK", () => {
  it("lists and retrieves models", async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(["gpt-4o-mini", "gpt-4o", "text-embedding-3-small", "o4-mini"]));
    const one = await client.models.retrieve("gpt-4o-mini");
    expect(one).toMatchObject({ id: "gpt-4o-mini", object: "model", owned_by: "openai" });
    await expect(client.models.retrieve("gpt-nope")).rejects.toMatchObject({ status: 404, code: "model_not_found" });
  });

  it("answers a chat completion with deterministic text and exact usage", async () => {
    const params = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "Say hi" }] };
    const res = await client.chat.completions.create(params);
    const text = reply("gpt-4o-mini", "Say hi");
    expect(res.object).toBe("chat.completion");
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.choices).toHaveLength(1);
    expect(res.choices[0]).toMatchObject({ index: 0, finish_reason: "stop", message: { role: "assistant", content: text, refusal: null } });
    expect(res.usage).toEqual({
      prompt_tokens: tokens("user: Say hi"),
      completion_tokens: tokens(text),
      total_tokens: tokens("user: Say hi") + tokens(text),
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
    const again = await client.chat.completions.create(params);
    expect(again.id).toBe(res.id);
    expect(again.choices[0]!.message.content).toBe(text);
  });

  it("streams chunks with a role delta, a finish chunk, a usage chunk and [DONE]", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Stream please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.id === chunks[0]!.id)).toBe(true);
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe(reply("gpt-4o-mini", "Stream please"));
    expect(chunks.length).toBeGreaterThan(4);
    const finish = chunks.at(-2)!;
    expect(finish.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ completion_tokens: tokens(text), prompt_tokens: tokens("system: Be brief.\nuser: Stream please") });
  });

  it("streams through the ChatCompletionStream helper", async () => {
    const stream = client.chat.completions.stream({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "helper" }], stream_options: { include_usage: true } });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe(reply("gpt-4.1-nano", "helper"));
    expect(final.usage?.total_tokens).toBeGreaterThan(0);
  });

  it("calls the first tool under tool_choice auto and answers the tool result with text", async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Paris?" }];
    const first = await client.chat.completions.create({ model: "gpt-4o", messages, tools: [weather, time] });
    const choice = first.choices[0]!;
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toHaveLength(1);
    const call = choice.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toEqual({ city: "sample city" });
    messages.push(choice.message, { role: "tool", tool_call_id: call.id, content: "18C and sunny" });
    const second = await client.chat.completions.create({ model: "gpt-4o", messages, tools: [weather, time] });
    expect(second.choices[0]!.finish_reason).toBe("stop");
    expect(second.choices[0]!.message.content).toBe('Hello from the gpt-4o sandbox. The tool returned: "18C and sunny". This is a deterministic stand-in reply.');
  });

  it("streams tool-call arguments in pieces with an index", async () => {
    const stream = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "time?" }], tools: [weather, time], tool_choice: { type: "function", function: { name: "get_time" } }, stream: true });
    let args = "";
    let name = "";
    let pieces = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const tc of chunk.choices[0]?.delta.tool_calls ?? []) {
        expect(tc.index).toBe(0);
        if (tc.function?.name) name = tc.function.name;
        if (tc.function?.arguments) {
          args += tc.function.arguments;
          pieces++;
        }
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(name).toBe("get_time");
    expect(JSON.parse(args)).toEqual({ zone: "UTC" });
    expect(pieces).toBeGreaterThan(1);
    expect(finish).toBe("tool_calls");
  });

  it("makes one call per tool under tool_choice required, unless parallel_tool_calls is false", async () => {
    const base = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "both" }], tools: [weather, time], tool_choice: "required" as const };
    const parallel = await client.chat.completions.create(base);
    expect(parallel.choices[0]!.message.tool_calls!.map((c) => (c as OpenAI.ChatCompletionMessageFunctionToolCall).function.name)).toEqual(["get_weather", "get_time"]);
    const single = await client.chat.completions.create({ ...base, parallel_tool_calls: false });
    expect(single.choices[0]!.message.tool_calls).toHaveLength(1);
    const none = await client.chat.completions.create({ ...base, tool_choice: "none" });
    expect(none.choices[0]!.message.tool_calls).toBeUndefined();
    expect(none.choices[0]!.finish_reason).toBe("stop");
  });

  it("returns JSON for response_format json_schema and json_object", async () => {
    const schema = { type: "object", properties: { name: { type: "string" }, age: { type: "integer" }, tags: { type: "array", items: { type: "string" } } }, required: ["name", "age", "tags"] };
    const res = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Person" }], response_format: { type: "json_schema", json_schema: { name: "person", schema, strict: true } } });
    expect(JSON.parse(res.choices[0]!.message.content!)).toEqual({ name: "sample name", age: 1, tags: ["sample tags"] });
    const obj = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Answer in JSON" }], response_format: { type: "json_object" } });
    expect(JSON.parse(obj.choices[0]!.message.content!)).toEqual({ reply: reply("gpt-4o-mini", "Answer in JSON") });
    const err = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "no keyword" }], response_format: { type: "json_object" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as APIError).param).toBe("messages");
  });

  it("truncates at max_completion_tokens and at stop sequences", async () => {
    const cut = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "long" }], max_completion_tokens: 5 });
    expect(cut.choices[0]!.finish_reason).toBe("length");
    expect(cut.choices[0]!.message.content).toBe(reply("gpt-4o-mini", "long").slice(0, 20));
    expect(cut.usage!.completion_tokens).toBe(5);
    const stopped = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "stop" }], stop: ["sandbox", "never"] });
    expect(stopped.choices[0]).toMatchObject({ finish_reason: "stop", message: { content: "Hello from the gpt-4o-mini " } });
  });

  it("supports n choices and image parts", async () => {
    const res = await client.chat.completions.create({
      model: "gpt-4o",
      n: 2,
      messages: [{ role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }] }],
    });
    expect(res.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(res.choices[1]!.message.content).toBe(reply("gpt-4o", "What is this?"));
    expect(res.usage!.prompt_tokens).toBe(tokens("user: What is this?[image_url]") + 85);
    expect(res.usage!.completion_tokens).toBe(2 * tokens(reply("gpt-4o", "What is this?")));
  });

  it("bills hidden reasoning on reasoning models and rejects max_tokens there", async () => {
    const res = await client.chat.completions.create({ model: "o4-mini", messages: [{ role: "user", content: "think" }], reasoning_effort: "low" });
    const details = res.usage!.completion_tokens_details!;
    expect(details.reasoning_tokens).toBeGreaterThan(0);
    expect(res.usage!.completion_tokens).toBe(details.reasoning_tokens! + tokens(res.choices[0]!.message.content!));
    const err = (await client.chat.completions.create({ model: "o4-mini", messages: [{ role: "user", content: "x" }], max_tokens: 10 }).catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.error).toEqual({
      message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      type: "invalid_request_error",
      param: "max_tokens",
      code: "unsupported_parameter",
    });
  });

  it("answers the legacy completions endpoint with OpenAI's 16-token default", async () => {
    const res = await client.completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "Once upon a time" });
    expect(res.object).toBe("text_completion");
    expect(res.choices[0]).toMatchObject({ finish_reason: "length", text: reply("gpt-3.5-turbo-instruct", "Once upon a time").slice(0, 64) });
  });

  it("embeds deterministically, in the SDK's default base64 and as floats, with dimensions", async () => {
    const res = await client.embeddings.create({ model: "text-embedding-3-small", input: ["the cat sat", "the cat sat on a mat", "quantum chromodynamics"] });
    expect(res.object).toBe("list");
    expect(res.model).toBe("text-embedding-3-small");
    expect(res.data.map((d) => d.index)).toEqual([0, 1, 2]);
    const [a, b, c] = res.data.map((d) => d.embedding);
    expect(a).toHaveLength(1536);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(dot(a!, a!)).toBeCloseTo(1, 4);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
    expect(res.usage).toEqual({ prompt_tokens: tokens("the cat sat") + tokens("the cat sat on a mat") + tokens("quantum chromodynamics"), total_tokens: expect.any(Number) });
    const floats = await client.embeddings.create({ model: "text-embedding-3-small", input: "the cat sat", encoding_format: "float" });
    expect(floats.data[0]!.embedding).toEqual(a);
    const small = await client.embeddings.create({ model: "text-embedding-3-large", input: "x", dimensions: 256 });
    expect(small.data[0]!.embedding).toHaveLength(256);
    await expect(client.embeddings.create({ model: "text-embedding-ada-002", input: "x", dimensions: 256 })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it("surfaces validation errors as typed SDK errors in OpenAI's shape", async () => {
    const missing = (await client.chat.completions.create({ model: "gpt-4o-mini" } as never).catch((e: unknown) => e)) as APIError;
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    expect(missing.error).toEqual({ message: "Missing required parameter: 'messages'.", type: "invalid_request_error", param: "messages", code: "missing_required_parameter" });
    const role = (await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "robot", content: "x" }] } as never).catch((e: unknown) => e)) as APIError;
    expect(role.status).toBe(400);
    expect(role.param).toBe("messages[0].role");
    const unknown = (await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }], bogus: 1 } as never).catch((e: unknown) => e)) as APIError;
    expect(unknown.message).toContain("Unrecognized request argument supplied: bogus");
    const orphan = (await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "tool", tool_call_id: "call_x", content: "r" }] }).catch((e: unknown) => e)) as APIError;
    expect(orphan.status).toBe(400);
    expect(orphan.message).toContain("must be a response to a preceeding message with 'tool_calls'");
    const model = (await client.chat.completions.create({ model: "not-a-model", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e)) as APIError;
    expect(model).toBeInstanceOf(OpenAI.NotFoundError);
    expect(model.code).toBe("model_not_found");
  });

  it("answers a bad body and a missing key like OpenAI", async () => {
    const bad = await fetch(`${sandbox}/openai/v1/chat/completions`, { method: "POST", headers: { authorization: "Bearer k", "content-type": "application/json" }, body: "{nope" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^We could not parse the JSON body/);
    const noKey = await fetch(`${sandbox}/openai/v1/models`);
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
  });

  it("surfaces injected 503 and 429 faults as typed errors", async () => {
    await fault({ match: { model: "gpt-4o-mini-fault-503" }, status: 503, times: 1 });
    const e503 = (await client.chat.completions.create({ model: "gpt-4o-mini-fault-503", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e)) as APIError;
    expect(e503).toBeInstanceOf(OpenAI.InternalServerError);
    expect(e503.status).toBe(503);
    await fault({ match: { model: "gpt-4o-mini-fault-429" }, status: 429, times: 1 });
    const e429 = (await client.chat.completions.create({ model: "gpt-4o-mini-fault-429", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e)) as APIError;
    expect(e429).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e429.code).toBe("rate_limit_exceeded");
    // The rule was for one request only: the suffixed model name now answers normally.
    const ok = await client.chat.completions.create({ model: "gpt-4o-mini-fault-429", messages: [{ role: "user", content: "x" }] });
    expect(ok.choices[0]!.message.content).toBe(reply("gpt-4o-mini-fault-429", "x"));
  });

  it("makes the SDK stream throw when a fault cuts the stream", async () => {
    await fault({ match: { model: "gpt-4o-mini-cut" }, cutAfterChunks: 3, times: 1 });
    const stream = await client.chat.completions.create({ model: "gpt-4o-mini-cut", messages: [{ role: "user", content: "cut me" }], stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? "");
      })(),
    ).rejects.toThrow();
    expect(seen.length).toBe(3);
  });
});
