import { describe, expect, it } from "vitest";
import { AnthropicStreamEncoder } from "../../../workers/gateway/dialects/anthropic";
import { OpenAiStreamEncoder } from "../../../workers/gateway/dialects/openai";
import type { BridgeMeta } from "../../../workers/gateway/dialects/types";
import { openAiProvider } from "../../../workers/gateway/providers/openai";
import { SseParser } from "../../../workers/gateway/sse";
import { translateStream, type StreamOutcome } from "../../../workers/gateway/stream";

const meta: BridgeMeta = { requestId: "r", provider: "openai", model: "m", costUsd: 0, savingsUsd: 0 };
const enc = new TextEncoder();
const chunk = (delta: object, finish: string | null = null, extra: object = {}) =>
  `data: ${JSON.stringify({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;

/** An upstream body that sends `parts` then either ends or errors. */
function body(parts: string[], opts: { errorAtEnd?: boolean } = {}) {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < parts.length) c.enqueue(enc.encode(parts[i++]!));
      else if (opts.errorAtEnd) c.error(new Error("connection reset"));
      else c.close();
    },
  });
}

async function run(parts: string[], opts: { errorAtEnd?: boolean; cancelAfter?: number } = {}) {
  const outcomes: StreamOutcome[] = [];
  const stream = translateStream(body(parts, opts), openAiProvider, new OpenAiStreamEncoder(true, "m"), {
    estimatedInputTokens: 42,
    finish: (o) => {
      outcomes.push(o);
      return meta;
    },
  });
  const reader = stream.getReader();
  const dec = new TextDecoder();
  let text = "";
  let reads = 0;
  for (;;) {
    if (opts.cancelAfter !== undefined && reads === opts.cancelAfter) {
      await reader.cancel();
      break;
    }
    const r = await reader.read();
    if (r.done) break;
    reads++;
    text += dec.decode(r.value);
  }
  const p = new SseParser();
  return { frames: [...p.push(text), ...p.flush()].map((m) => m.data), outcomes };
}

describe("translateStream", () => {
  it("completes: usage from upstream, [DONE] last, settled once as complete", async () => {
    const { frames, outcomes } = await run([chunk({ role: "assistant", content: "" }), chunk({ content: "Hello" }), chunk({}, "stop"), `data: ${JSON.stringify({ id: "chatcmpl-1", choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } })}\n\n`, "data: [DONE]\n\n"]);
    expect(frames.at(-1)).toBe("[DONE]");
    expect(outcomes).toEqual([{ usage: { inputTokens: 5, outputTokens: 2 }, status: "complete" }]);
  });

  it("counts what was streamed when the upstream reports no usage", async () => {
    const { outcomes } = await run([chunk({ content: "x".repeat(40) }), chunk({}, "stop"), "data: [DONE]\n\n"]);
    expect(outcomes[0]).toEqual({ usage: { inputTokens: 42, outputTokens: 10 }, status: "complete" });
  });

  it("a connection reset mid-way ends with an error frame, never [DONE], and bills what was sent", async () => {
    const { frames, outcomes } = await run([chunk({ content: "partial answer" })], { errorAtEnd: true });
    expect(frames).not.toContain("[DONE]");
    expect(JSON.parse(frames.at(-1)!)).toMatchObject({ error: { type: "server_error", message: expect.stringContaining("connection reset") } });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ status: "broken", usage: { inputTokens: 42, outputTokens: 4 } });
  });

  it("an upstream that just stops (no finish) is broken, not complete", async () => {
    const { frames, outcomes } = await run([chunk({ content: "cut" })]);
    expect(JSON.parse(frames.at(-1)!).error.message).toMatch(/ended before the response was complete/);
    expect(outcomes[0]!.status).toBe("broken");
  });

  it("an SSE message split across network chunks is reassembled", async () => {
    const whole = chunk({ content: "héllo 🌍" }) + chunk({}, "stop") + "data: [DONE]\n\n";
    const bytes = enc.encode(whole);
    const parts: string[] = [];
    // Split by characters at odd places (the encoder re-encodes each part).
    for (let i = 0; i < whole.length; i += 7) parts.push(whole.slice(i, i + 7));
    const { frames, outcomes } = await run(parts);
    expect(bytes.length).toBeGreaterThan(0);
    expect(frames.some((f) => f.includes("héllo 🌍"))).toBe(true);
    expect(outcomes[0]!.status).toBe("complete");
  });

  it("a caller who hangs up is settled as aborted with what was streamed so far", async () => {
    const { outcomes } = await run([chunk({ content: "a".repeat(80) }), chunk({ content: "b".repeat(80) }), chunk({}, "stop")], { cancelAfter: 1 });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]!.status).toBe("aborted");
    expect(outcomes[0]!.usage.outputTokens).toBeGreaterThanOrEqual(20);
  });

  it("renders the break in the caller's dialect (Anthropic error event)", async () => {
    const stream = translateStream(body([chunk({ content: "x" })], { errorAtEnd: true }), openAiProvider, new AnthropicStreamEncoder("claude"), { estimatedInputTokens: 1, finish: () => meta });
    const text = await new Response(stream).text();
    const events = new SseParser().push(text).map((m) => m.event);
    expect(events.at(-1)).toBe("error");
    expect(events).not.toContain("message_stop");
  });
});
