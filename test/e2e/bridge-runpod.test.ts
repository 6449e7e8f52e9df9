import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import OpenAI from "openai";
import { beforeAll, describe, expect, inject, it } from "vitest";

/**
 * Every dialect to a model the user runs on RunPod: an endpoint is created in the RunPod stand-in through its
 * REST API, then addressed as runpod/<endpoint id>/<served model> through the bridge (vLLM's OpenAI route).
 */
const platform = inject("platformUrl");
const sandbox = inject("sandboxUrl");
const SERVED = "Qwen/Qwen2.5-7B-Instruct";
let model = "";

beforeAll(async () => {
  const res = await fetch(`${sandbox}/runpod/v2/serverless`, {
    method: "POST",
    headers: { authorization: "Bearer rp-test", "content-type": "application/json" },
    body: JSON.stringify({
      name: "bridge-e2e-qwen",
      image: "runpod/worker-v1-vllm:v2.25.2",
      type: "QUEUE",
      gpu: { pools: ["ADA_24"], count: 1 },
      workers: { min: 0, max: 1, idleTimeout: 5 },
      scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
      env: { MODEL_NAME: SERVED },
    }),
  });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  model = `runpod/${id}/${SERVED}`;
});

describe("bridge -> RunPod serverless (vLLM OpenAI route)", () => {
  it("openai SDK: JSON with RunPod cost headers (waits out the cold start)", async () => {
    const client = new OpenAI({ baseURL: `${platform}/v1`, apiKey: "k", maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Hello open model" }] }).withResponse();
    expect(data.choices[0]!.message.content).toContain("Hello open model");
    expect(response.headers.get("x-provider")).toBe("runpod");
    expect(response.headers.get("x-model")).toBe(model.slice("runpod/".length));
    expect(Number(response.headers.get("x-cost-usd"))).toBeGreaterThan(0);
  }, 60_000);

  it("openai SDK: streaming with tools", async () => {
    const client = new OpenAI({ baseURL: `${platform}/v1`, apiKey: "k", maxRetries: 0 });
    const final = await client.chat.completions
      .stream({
        model,
        messages: [{ role: "user", content: "Weather?" }],
        tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
      })
      .finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && call.function.name).toBe("get_weather");
  }, 60_000);

  it("anthropic SDK (Claude Code's shape) streams from the open model", async () => {
    const client = new Anthropic({ baseURL: platform, apiKey: "k", maxRetries: 0 });
    const final = await client.messages.stream({ model, max_tokens: 200, messages: [{ role: "user", content: "Hi from Claude Code" }] }).finalMessage();
    expect((final.content[0] as Anthropic.TextBlock).text).toContain("Hi from Claude Code");
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  }, 60_000);

  it("@google/genai reaches it too", async () => {
    const genai = new GoogleGenAI({ apiKey: "k", httpOptions: { baseUrl: platform } });
    const res = await genai.models.generateContent({ model, contents: "Hi from Gemini SDK" });
    expect(res.text).toContain("Hi from Gemini SDK");
  }, 60_000);

  it("an unknown endpoint is a 404 in the caller's dialect", async () => {
    const client = new OpenAI({ baseURL: `${platform}/v1`, apiKey: "k", maxRetries: 0 });
    const err = await client.chat.completions.create({ model: `runpod/nope123/${SERVED}`, messages: [{ role: "user", content: "x" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
