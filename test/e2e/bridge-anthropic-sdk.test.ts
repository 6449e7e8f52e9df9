import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, inject, it } from "vitest";

/** The official @anthropic-ai/sdk pointed at the bridge, as Claude Code is with ANTHROPIC_BASE_URL. */
const client = new Anthropic({ baseURL: inject("platformUrl"), apiKey: "local-dev-key", maxRetries: 0 });
const bashTool: Anthropic.Tool = { name: "Bash", description: "Run a command", input_schema: { type: "object", properties: { command: { type: "string" } }, required: ["command"] } };

describe.each(["claude-haiku-4-5", "openai/gpt-4o-mini", "google/gemini-2.5-flash", "claude-via-openai-sonnet"])("anthropic SDK -> bridge -> %s", (model) => {
  it("answers a message with usage", async () => {
    const { data, response } = await client.messages.create({ model, max_tokens: 256, messages: [{ role: "user", content: "Hello Claude bridge" }] }).withResponse();
    expect(data.type).toBe("message");
    expect(data.model).toBe(model);
    const text = data.content.filter((b) => b.type === "text").map((b) => (b as Anthropic.TextBlock).text).join("");
    expect(text).toContain("Hello Claude bridge");
    expect(data.stop_reason).toBe("end_turn");
    expect(data.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-cost-usd")).toMatch(/^\d+\.\d{6}$/);
  });

  it("streams with the SDK's event helpers", async () => {
    const stream = client.messages.stream({ model, max_tokens: 256, messages: [{ role: "user", content: "Stream please" }] });
    const seen = new Set<string>();
    for await (const event of stream) seen.add(event.type);
    const final = await stream.finalMessage();
    expect([...seen]).toEqual(expect.arrayContaining(["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]));
    expect((final.content[0] as Anthropic.TextBlock).text).toContain("Stream please");
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it("uses tools like Claude Code does, streamed, with a tool_result round trip", async () => {
    const first = await client.messages.stream({ model, max_tokens: 512, tools: [bashTool], messages: [{ role: "user", content: "List files" }] }).finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === "tool_use")!;
    expect(use.name).toBe("Bash");
    expect(use.input).toHaveProperty("command");
    const second = await client.messages.create({
      model,
      max_tokens: 512,
      tools: [bashTool],
      messages: [
        { role: "user", content: "List files" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "a.txt b.txt" }] },
      ],
    });
    expect(second.stop_reason).toBe("end_turn");
  });
});

describe("anthropic SDK errors and extras", () => {
  it("unknown model -> NotFoundError (not_found_error)", async () => {
    const err = await client.messages.create({ model: "llama-unknown", max_tokens: 5, messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    expect(err.error.error.type).toBe("not_found_error");
  });

  it("missing max_tokens -> BadRequestError", async () => {
    const res = await fetch(`${inject("platformUrl")}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "k", "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "x" }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
  });

  it("counts tokens", async () => {
    const count = await client.messages.countTokens({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "How many tokens is this?" }] });
    expect(count.input_tokens).toBeGreaterThan(0);
  });

  it("accepts Bearer auth and anthropic-beta headers, as Claude Code sends them", async () => {
    const res = await fetch(`${inject("platformUrl")}/v1/messages`, {
      method: "POST",
      headers: { authorization: "Bearer k", "anthropic-version": "2023-06-01", "anthropic-beta": "interleaved-thinking-2025-05-14", "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-haiku-4-5", max_tokens: 50, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(200);
  });
});
