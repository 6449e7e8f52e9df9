import { describe, expect, it } from "vitest";
import { formatCost, formatSpeed, readChatStream, tokensPerSecond, type StreamPart } from "../../../web/src/lib/playground-api";
import { playgroundChatBody, toOpenAiBody } from "../../../workers/playground/body";
import { toPlaygroundModels } from "../../../workers/playground/models";

/** A body that arrives in the given pieces, split wherever the network likes. */
function body(...pieces: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const p of pieces) c.enqueue(enc.encode(p));
      c.close();
    },
  });
}

async function parts(stream: ReadableStream<Uint8Array>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of readChatStream(stream)) out.push(p);
  return out;
}

const chunk = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;

describe("readChatStream", () => {
  it("yields deltas as they come, across frames split anywhere (even inside a character), then the usage frame", async () => {
    const usage = `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 8, completion_tokens: 3, cost_usd: 0.000012, savings_usd: 0.0001 } })}\n\n`;
    const all = `data: ${JSON.stringify({ choices: [{ delta: { role: "assistant", content: "" } }] })}\n\n${chunk("Hé")}${chunk("llo")}: keep-alive\n\n${usage}data: [DONE]\n\n`;
    const bytes = new TextEncoder().encode(all);
    const cut = all.indexOf("é") + 1; // the middle of the two bytes of é
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, cut));
        c.enqueue(bytes.slice(cut, cut + 7));
        c.enqueue(bytes.slice(cut + 7));
        c.close();
      },
    });
    expect(await parts(stream)).toEqual([
      { type: "delta", text: "Hé" },
      { type: "delta", text: "llo" },
      { type: "usage", promptTokens: 8, completionTokens: 3, costUsd: 0.000012, savingsUsd: 0.0001 },
    ]);
  });

  it("ends at an error frame (a stream that broke mid-way) with the bridge's words", async () => {
    const error = `data: ${JSON.stringify({ error: { message: "upstream went away", type: "server_error", code: null } })}\n\n`;
    expect(await parts(body(chunk("Hi"), error, chunk("never")))).toEqual([
      { type: "delta", text: "Hi" },
      { type: "error", code: "server_error", message: "upstream went away" },
    ]);
  });

  it("takes CRLF framing and stops at [DONE]", async () => {
    expect(await parts(body(chunk("a").replace(/\n/g, "\r\n"), "data: [DONE]\r\n\r\n", chunk("after")))).toEqual([{ type: "delta", text: "a" }]);
  });
});

describe("speed and money", () => {
  it("counts tokens per second from the first token to the last", () => {
    expect(tokensPerSecond(50, 200, 1200)).toBe(50);
    expect(tokensPerSecond(null, 200, 1200)).toBeNull();
    expect(tokensPerSecond(10, null, 1200)).toBeNull();
    expect(tokensPerSecond(10, 500, 500)).toBe(10_000); // everything at once: bounded, not infinite
    expect(formatSpeed(47.34)).toBe("47.3 tok/s");
    expect(formatSpeed(4102.6)).toBe("4103 tok/s");
    expect(formatCost(0.0000123)).toBe("$0.000012");
    expect(formatCost(1.5)).toBe("$1.50");
    expect(formatCost(null)).toBe("—");
  });
});

describe("the playground body and model list (server side, pure)", () => {
  it("asks the bridge for the usage frame whenever it streams", () => {
    const b = playgroundChatBody.parse({ model: "runpod/x", stream: true, messages: [{ role: "user", content: "hi" }] });
    expect(toOpenAiBody(b)).toEqual({ model: "runpod/x", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] });
    expect(toOpenAiBody({ ...b, stream: false, max_tokens: 5, temperature: 0 })).toEqual({ model: "runpod/x", messages: [{ role: "user", content: "hi" }], max_tokens: 5, temperature: 0 });
  });

  it("refuses a conversation with nothing for the model to answer", () => {
    expect(playgroundChatBody.safeParse({ model: "m", messages: [{ role: "system", content: "be nice" }] }).success).toBe(false);
  });

  it("names where each listed model runs and its price in dollars per million", () => {
    const listed = [
      { id: "runpod/mine", owned_by: "runpod", served_model: "Qwen/Qwen3-0.6B", pricing: { input_per_million_usd: 0.01, output_per_million_usd: 0.02 } },
      { id: "claude-*-cheap", owned_by: "bridge", targets: ["runpod/mine"] },
      { id: "openai/gpt-4o-mini", owned_by: "openai", pricing: { input_per_million_usd: 0.15, output_per_million_usd: 0.6 } },
    ];
    expect(toPlaygroundModels(listed)).toEqual([
      { id: "runpod/mine", kind: "deployment", servedModel: "Qwen/Qwen3-0.6B", inputPerMillionUsd: 0.01, outputPerMillionUsd: 0.02 },
      { id: "claude-*-cheap", kind: "bridge", inputPerMillionUsd: null, outputPerMillionUsd: null },
      { id: "openai/gpt-4o-mini", kind: "western", inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 },
    ]);
  });
});
