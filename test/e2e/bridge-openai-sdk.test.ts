import OpenAI from "openai";
import { describe, expect, inject, it } from "vitest";

/** The official openai SDK pointed at the bridge: every provider behind the OpenAI dialect. */
const client = new OpenAI({ baseURL: `${inject("platformUrl")}/v1`, apiKey: "local-dev-key", maxRetries: 0 });
const weatherTool = {
  type: "function" as const,
  function: { name: "get_weather", description: "Weather for a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};

describe.each(["openai/gpt-4o-mini", "anthropic/claude-haiku-4-5", "google/gemini-2.5-flash"])("openai SDK -> bridge -> %s", (model) => {
  const provider = model.split("/")[0];

  it("answers JSON with usage, and cost/provider headers", async () => {
    const { data, response } = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Hi there, bridge" }] }).withResponse();
    expect(data.object).toBe("chat.completion");
    expect(data.model).toBe(model);
    expect(data.choices[0]!.message.content).toContain("Hi there, bridge");
    expect(data.choices[0]!.finish_reason).toBe("stop");
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage!.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-provider")).toBe(provider === "google" ? "google" : provider);
    expect(response.headers.get("x-model")).toBe(model.split("/")[1]);
    expect(Number(response.headers.get("x-cost-usd"))).toBeGreaterThan(0);
    expect(response.headers.get("x-savings-usd")).toBe("0.000000");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("streams text with the final usage chunk carrying the cost", async () => {
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: "user", content: "Stream to me" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    let usage: (OpenAI.CompletionUsage & { cost_usd?: number }) | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toContain("Stream to me");
    expect(finish).toBe("stop");
    expect(usage!.completion_tokens).toBeGreaterThan(0);
    expect(usage!.cost_usd).toBeGreaterThan(0);
  });

  it("round-trips a tool call", async () => {
    const first = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Weather in Oslo?" }], tools: [weatherTool] });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]!.finish_reason).toBe("tool_calls");
    expect(call.type).toBe("function");
    if (call.type !== "function") throw new Error("not a function call");
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toHaveProperty("city");
    const second = await client.chat.completions.create({
      model,
      messages: [
        { role: "user", content: "Weather in Oslo?" },
        first.choices[0]!.message,
        { role: "tool", tool_call_id: call.id, content: "12C and clear" },
      ],
      tools: [weatherTool],
    });
    expect(second.choices[0]!.finish_reason).toBe("stop");
    expect(second.choices[0]!.message.content).toBeTruthy();
  });

  it("streams a tool call the SDK can assemble", async () => {
    const stream = client.chat.completions.stream({ model, messages: [{ role: "user", content: "Weather in Rome?" }], tools: [weatherTool], tool_choice: "required" });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    if (call.type !== "function") throw new Error("not a function call");
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toHaveProperty("city");
  });
});

describe("openai SDK errors from the bridge", () => {
  it("unknown model -> NotFoundError with code model_not_found", async () => {
    const err = await client.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe("model_not_found");
  });

  it("schema violation -> BadRequestError naming the parameter", async () => {
    const err = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }], temperature: 7 }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe("temperature");
  });

  it("missing key -> AuthenticationError", async () => {
    const res = await fetch(`${inject("platformUrl")}/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe("authentication_error");
  });

  it("malformed JSON and oversized bodies are 400 and 413 in OpenAI's shape", async () => {
    const url = `${inject("platformUrl")}/v1/chat/completions`;
    const headers = { authorization: "Bearer k", "content-type": "application/json" };
    const bad = await fetch(url, { method: "POST", headers, body: "{\"model\":" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    const huge = await fetch(url, { method: "POST", headers, body: `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"${"x".repeat(21 * 1024 * 1024)}"}]}` });
    expect(huge.status).toBe(413);
  });

  it("lists models with prices", async () => {
    const models = [];
    for await (const m of client.models.list()) models.push(m as OpenAI.Model & { pricing?: { input_per_million_usd: number } });
    const mini = models.find((m) => m.id === "openai/gpt-4o-mini");
    expect(mini?.pricing?.input_per_million_usd).toBe(0.15);
  });

  it("embeds through the bridge (the SDK's default base64 encoding)", async () => {
    const { data, response } = await client.embeddings.create({ model: "openai/text-embedding-3-small", input: ["alpha", "beta"] }).withResponse();
    expect(data.data).toHaveLength(2);
    expect(data.data[0]!.embedding.length).toBeGreaterThan(10);
    expect(data.usage.prompt_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-provider")).toBe("openai");
  });
});
