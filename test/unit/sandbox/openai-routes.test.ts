import { describe, expect, it } from "vitest";
import { createOpenAiRoutes, openaiRoutes } from "../../../workers/sandbox/openai";
import { embedText, embeddingResponse, float32ToBase64 } from "../../../workers/sandbox/openai/embeddings";
import { OpenAiRequestError } from "../../../workers/sandbox/openai/errors";

/** The vLLM server a RunPod endpoint runs, serving one Hugging Face model. */
const vllm = createOpenAiRoutes({ service: "runpod-serverless", models: () => ["Qwen/Qwen2.5-7B-Instruct"], ownedBy: "vllm" });

const post = (app: typeof vllm, path: string, body: unknown, headers: Record<string, string> = { authorization: "Bearer k" }) =>
  app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("createOpenAiRoutes as vLLM (runpod-serverless)", () => {
  it("lists the served model with vLLM's extra fields", async () => {
    const res = await vllm.request("/models", { headers: { authorization: "Bearer k" } });
    expect(await res.json()).toEqual({ object: "list", data: [{ id: "Qwen/Qwen2.5-7B-Instruct", object: "model", created: 1700000000, owned_by: "vllm", root: "Qwen/Qwen2.5-7B-Instruct", parent: null }] });
    const one = await vllm.request("/models/Qwen/Qwen2.5-7B-Instruct", { headers: { authorization: "Bearer k" } });
    expect(one.status).toBe(200);
  });

  it("serves chat for exactly the served name and 404s others in vLLM's error shape", async () => {
    const ok = await post(vllm, "/chat/completions", { model: "Qwen/Qwen2.5-7B-Instruct", messages: [{ role: "user", content: "hi" }], top_k: 20 });
    const body = (await ok.json()) as { id: string; choices: Array<{ message: { content: string; tool_calls: unknown[] } }>; usage: Record<string, unknown> };
    expect(body.id).toMatch(/^chatcmpl-[a-z0-9]{32}$/);
    expect(body.choices[0]!.message).toMatchObject({ content: expect.stringContaining("Qwen/Qwen2.5-7B-Instruct sandbox"), tool_calls: [] });
    expect(body.usage.prompt_tokens_details).toBeNull();
    expect(body).not.toHaveProperty("system_fingerprint");
    const missing = await post(vllm, "/chat/completions", { model: "Qwen/Qwen2.5-7B", messages: [{ role: "user", content: "hi" }] });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { message: "The model `Qwen/Qwen2.5-7B` does not exist.", type: "NotFoundError", param: "model", code: 404 } });
    const bad = await post(vllm, "/chat/completions", { model: "Qwen/Qwen2.5-7B-Instruct", messages: [] });
    expect(await bad.json()).toMatchObject({ error: { type: "BadRequestError", code: 400 } });
  });

  it("serves completions and embeddings for the served model", async () => {
    const completion = (await (await post(vllm, "/completions", { model: "Qwen/Qwen2.5-7B-Instruct", prompt: "Once", max_tokens: 100 })).json()) as { choices: Array<{ finish_reason: string }> };
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    const emb = (await (await post(vllm, "/embeddings", { model: "Qwen/Qwen2.5-7B-Instruct", input: "x" })).json()) as { data: Array<{ embedding: number[] }> };
    expect(emb.data[0]!.embedding).toHaveLength(1024);
  });

  it("wants a key, and answers a missing one as RunPod's gateway does", async () => {
    const res = await vllm.request("/models");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Unauthorized" });
  });
});

describe("openaiRoutes", () => {
  it("answers without a key the way OpenAI does", async () => {
    const res = await openaiRoutes.request("/models");
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^You didn't provide an API key/);
  });

  it("refuses chat on a non-chat model and embeddings on a chat model", async () => {
    const chat = await post(openaiRoutes, "/chat/completions", { model: "text-embedding-3-small", messages: [{ role: "user", content: "x" }] });
    expect(chat.status).toBe(404);
    const emb = await post(openaiRoutes, "/embeddings", { model: "gpt-4o", input: "x" });
    expect(emb.status).toBe(400);
  });
});

describe("embeddings", () => {
  it("are unit length, deterministic, and closer for texts sharing words", () => {
    const a = embedText("red apple pie", 64);
    const b = embedText("apple pie recipe", 64);
    const c = embedText("stock market crash", 64);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(dot(a, a)).toBeCloseTo(1, 5);
    expect(embedText("red apple pie", 64)).toEqual(a);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c));
  });

  it("encode base64 as little-endian float32, the bytes the SDK decodes", () => {
    const v = new Float32Array([1, -0.5, 0.25]);
    const bytes = Uint8Array.from(atob(float32ToBase64(v)), (ch) => ch.charCodeAt(0));
    expect(Array.from(new Float32Array(bytes.buffer))).toEqual([1, -0.5, 0.25]);
    const res = embeddingResponse({ model: "m", input: ["x", "y"], encoding_format: "base64" }, { responseModel: "m", nativeDims: 8, dimensionsAllowed: true });
    expect((res.data as Array<{ embedding: string }>)[1]!.embedding).toBe(float32ToBase64(embedText("y", 8)));
  });

  it("reject empty input and oversize dimensions", () => {
    const opts = { responseModel: "m", nativeDims: 8, dimensionsAllowed: true };
    expect(() => embeddingResponse({ model: "m", input: "" }, opts)).toThrow(OpenAiRequestError);
    expect(() => embeddingResponse({ model: "m", input: "x", dimensions: 9 }, opts)).toThrow("Must be less than or equal to 8");
  });
});
