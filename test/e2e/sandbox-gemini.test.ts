import { ApiError, FunctionCallingConfigMode, GoogleGenAI, Type, type Content } from "@google/genai";
import { GoogleGenerativeAI, GoogleGenerativeAIFetchError } from "@google/generative-ai";
import { describe, expect, inject, it } from "vitest";

const sandbox = inject("sandboxUrl");
const ai = new GoogleGenAI({ apiKey: "sandbox-gemini-key", httpOptions: { baseUrl: `${sandbox}/gemini` } });

const tokens = (s: string) => Math.ceil(s.length / 4);
const reply = (model: string, prompt: string) => `Hello from the ${model} sandbox. You said: "${prompt}". This is a deterministic stand-in reply.`;
const FLASH = "gemini-2.5-flash";
const NO_THINK = "gemini-2.0-flash";

async function fault(rule: Record<string, unknown>) {
  const res = await fetch(`${sandbox}/_control/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ service: "gemini", ...rule }) });
  expect(res.status).toBe(201);
}

const weather = {
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING }, days: { type: Type.INTEGER } }, required: ["city"] },
};
const time = { name: "get_time", parameters: { type: Type.OBJECT, properties: { zone: { type: Type.STRING } } } };

describe("Gemini stand-in through @google/genai", () => {
  it("answers generateContent with text, usageMetadata, modelVersion and responseId", async () => {
    const res = await ai.models.generateContent({ model: NO_THINK, contents: "Hi Gemini", config: { systemInstruction: "Be brief." } });
    const text = reply(NO_THINK, "Hi Gemini");
    expect(res.text).toBe(text);
    expect(res.candidates![0]).toMatchObject({ finishReason: "STOP", index: 0, content: { role: "model" } });
    expect(res.usageMetadata).toEqual({
      promptTokenCount: tokens("Be brief.\nHi Gemini"),
      candidatesTokenCount: tokens(text),
      totalTokenCount: tokens("Be brief.\nHi Gemini") + tokens(text),
      promptTokensDetails: [{ modality: "TEXT", tokenCount: tokens("Be brief.\nHi Gemini") }],
    });
    expect(res.modelVersion).toBe(NO_THINK);
    expect(res.responseId).toMatch(/^[a-z0-9]{22}$/);
  });

  it("streams chunks with cumulative usage and a final finishReason (alt=sse)", async () => {
    const stream = await ai.models.generateContentStream({ model: NO_THINK, contents: "Stream please" });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.map((c) => c.text).join("")).toBe(reply(NO_THINK, "Stream please"));
    expect(chunks.slice(0, -1).every((c) => c.candidates![0]!.finishReason === undefined)).toBe(true);
    expect(chunks.at(-1)!.candidates![0]!.finishReason).toBe("STOP");
    const counts = chunks.map((c) => c.usageMetadata!.candidatesTokenCount!);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    expect(new Set(chunks.map((c) => c.responseId)).size).toBe(1);
  });

  it("answers streamGenerateContent without alt=sse as a JSON array", async () => {
    const res = await fetch(`${sandbox}/gemini/v1beta/models/${NO_THINK}:streamGenerateContent`, {
      method: "POST",
      headers: { "x-goog-api-key": "k", "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "array" }] }] }),
    });
    expect(res.headers.get("content-type")).toContain("application/json");
    const arr = (await res.json()) as Array<{ candidates: Array<{ content: { parts: Array<{ text: string }> } }> }>;
    expect(arr.map((c) => c.candidates[0]!.content.parts[0]!.text).join("")).toBe(reply(NO_THINK, "array"));
  });

  it("calls a function, then answers the functionResponse with text", async () => {
    const contents: Content[] = [{ role: "user", parts: [{ text: "Weather in Rome?" }] }];
    const config = { tools: [{ functionDeclarations: [weather, time] }] };
    const first = await ai.models.generateContent({ model: NO_THINK, contents, config });
    expect(first.functionCalls).toEqual([{ name: "get_weather", args: { city: "sample city" } }]);
    contents.push(first.candidates![0]!.content!, { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { forecast: "sunny" } } }] });
    const second = await ai.models.generateContent({ model: NO_THINK, contents, config });
    expect(second.functionCalls).toBeUndefined();
    expect(second.text).toBe(`Hello from the ${NO_THINK} sandbox. The tool returned: "get_weather {"forecast":"sunny"}". This is a deterministic stand-in reply.`);
  });

  it("follows functionCallingConfig modes ANY (parallel, allowedFunctionNames) and NONE", async () => {
    const base = { model: NO_THINK, contents: "tools", config: { tools: [{ functionDeclarations: [weather, time] }] } };
    const any = await ai.models.generateContent({ ...base, config: { ...base.config, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } } } });
    expect(any.functionCalls!.map((c) => c.name)).toEqual(["get_weather", "get_time"]);
    const allowed = await ai.models.generateContent({
      ...base,
      config: { ...base.config, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: ["get_time"] } } },
    });
    expect(allowed.functionCalls).toEqual([{ name: "get_time", args: { zone: "sample zone" } }]);
    const none = await ai.models.generateContent({ ...base, config: { ...base.config, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } } } });
    expect(none.text).toBe(reply(NO_THINK, "tools"));
  });

  it("streams a function call in one chunk, then a finishing chunk", async () => {
    const stream = await ai.models.generateContentStream({ model: NO_THINK, contents: "stream a call", config: { tools: [{ functionDeclarations: [weather] }] } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.functionCalls).toEqual([{ name: "get_weather", args: { city: "sample city" } }]);
    expect(chunks.at(-1)!.candidates![0]!.finishReason).toBe("STOP");
  });

  it("returns JSON for responseMimeType + responseSchema", async () => {
    const res = await ai.models.generateContent({
      model: NO_THINK,
      contents: "A recipe",
      config: { responseMimeType: "application/json", responseSchema: { type: Type.OBJECT, properties: { title: { type: Type.STRING }, steps: { type: Type.ARRAY, items: { type: Type.STRING } } }, required: ["title", "steps"] } },
    });
    expect(JSON.parse(res.text!)).toEqual({ title: "sample title", steps: ["sample steps"] });
  });

  it("stops at maxOutputTokens (MAX_TOKENS) and at stopSequences", async () => {
    const short = await ai.models.generateContent({ model: NO_THINK, contents: "long", config: { maxOutputTokens: 4 } });
    expect(short.candidates![0]!.finishReason).toBe("MAX_TOKENS");
    expect(short.text).toBe(reply(NO_THINK, "long").slice(0, 16));
    const stopped = await ai.models.generateContent({ model: NO_THINK, contents: "s", config: { stopSequences: ["sandbox"] } });
    expect(stopped.candidates![0]!.finishReason).toBe("STOP");
    expect(stopped.text).toBe(`Hello from the ${NO_THINK} `);
  });

  it("thinks on 2.5 models: thought part when asked, thoughtSignature, thoughtsTokenCount", async () => {
    const res = await ai.models.generateContent({ model: FLASH, contents: "Think", config: { thinkingConfig: { includeThoughts: true } } });
    const parts = res.candidates![0]!.content!.parts!;
    expect(parts[0]).toMatchObject({ thought: true, text: expect.stringContaining("Think") });
    expect(parts[1]!.text).toBe(reply(FLASH, "Think"));
    expect(parts[1]!.thoughtSignature!.length).toBeGreaterThan(40);
    expect(res.usageMetadata!.thoughtsTokenCount).toBe(tokens(parts[0]!.text!));
    expect(res.usageMetadata!.totalTokenCount).toBe(res.usageMetadata!.promptTokenCount! + res.usageMetadata!.candidatesTokenCount! + res.usageMetadata!.thoughtsTokenCount!);
    const off = await ai.models.generateContent({ model: FLASH, contents: "Think", config: { thinkingConfig: { thinkingBudget: 0 } } });
    expect(off.usageMetadata!.thoughtsTokenCount).toBeUndefined();
    const err = await ai.models.generateContent({ model: "gemini-2.5-pro", contents: "x", config: { thinkingConfig: { thinkingBudget: 0 } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
  });

  it("counts tokens and lists models", async () => {
    const counted = await ai.models.countTokens({ model: NO_THINK, contents: "count these tokens" });
    expect(counted.totalTokens).toBe(tokens("count these tokens"));
    const names: string[] = [];
    for await (const m of await ai.models.list()) names.push(m.name!);
    expect(names).toEqual(expect.arrayContaining(["models/gemini-2.5-flash", "models/gemini-2.5-pro"]));
    const one = await ai.models.get({ model: FLASH });
    expect(one).toMatchObject({ name: "models/gemini-2.5-flash", displayName: "Gemini 2.5 Flash" });
  });

  it("surfaces 4xx as ApiError with Google's error body", async () => {
    const unknown = (await ai.models.generateContent({ model: "gemini-nope", contents: "x" }).catch((e: unknown) => e)) as ApiError;
    expect(unknown).toBeInstanceOf(ApiError);
    expect(unknown.status).toBe(404);
    expect(unknown.message).toContain("NOT_FOUND");
    const res = await fetch(`${sandbox}/gemini/v1beta/models/${NO_THINK}:generateContent?key=k`, { method: "POST", body: JSON.stringify({ contents: [{ role: "bot", parts: [{ text: "x" }] }] }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 400, message: "Please use a valid role: user, model.", status: "INVALID_ARGUMENT" } });
    const empty = await fetch(`${sandbox}/gemini/v1beta/models/${NO_THINK}:generateContent?key=k`, { method: "POST", body: JSON.stringify({ contents: [], bogus: 1 }) });
    expect(((await empty.json()) as { error: { message: string } }).error.message).toBe('Invalid JSON payload received. Unknown name "bogus": Cannot find field.');
    const noKey = await fetch(`${sandbox}/gemini/v1beta/models`);
    expect(noKey.status).toBe(403);
    expect(((await noKey.json()) as { error: { status: string } }).error.status).toBe("PERMISSION_DENIED");
  });

  it("surfaces injected 503 and 429 faults", async () => {
    await fault({ match: { model: "gemini-2.0-flash-fault-503" }, status: 503, times: 1 });
    const e503 = (await ai.models.generateContent({ model: "gemini-2.0-flash-fault-503", contents: "x" }).catch((e: unknown) => e)) as ApiError;
    expect(e503).toBeInstanceOf(ApiError);
    expect(e503.status).toBe(503);
    await fault({ match: { model: "gemini-2.0-flash-fault-429" }, status: 429, times: 1, retryAfterSeconds: 7 });
    const res = await fetch(`${sandbox}/gemini/v1beta/models/gemini-2.0-flash-fault-429:generateContent?key=k`, { method: "POST", body: JSON.stringify({ contents: [{ parts: [{ text: "x" }] }] }) });
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: { status: "RESOURCE_EXHAUSTED", details: [{ retryDelay: "7s" }] } });
  });

  it("makes the SDK stream throw when a fault cuts the stream", async () => {
    await fault({ match: { model: "gemini-2.0-flash-cut" }, cutAfterChunks: 2, times: 1 });
    const stream = await ai.models.generateContentStream({ model: "gemini-2.0-flash-cut", contents: "cut me" });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.text ?? "");
      })(),
    ).rejects.toThrow();
    expect(seen).toHaveLength(2);
  });
});

describe("Gemini stand-in through the legacy @google/generative-ai", () => {
  const genAI = new GoogleGenerativeAI("sandbox-legacy-key");
  const model = genAI.getGenerativeModel({ model: NO_THINK }, { baseUrl: `${sandbox}/gemini` });

  it("generates and streams text", async () => {
    const res = await model.generateContent("legacy hello");
    expect(res.response.text()).toBe(reply(NO_THINK, "legacy hello"));
    const { stream, response } = await model.generateContentStream("legacy stream");
    let text = "";
    for await (const chunk of stream) text += chunk.text();
    expect(text).toBe(reply(NO_THINK, "legacy stream"));
    expect((await response).usageMetadata!.candidatesTokenCount).toBe(tokens(text));
  });

  it("round-trips a function call", async () => {
    const tools = genAI.getGenerativeModel(
      { model: NO_THINK, tools: [{ functionDeclarations: [{ name: "lookup", parameters: { type: "object" as never, properties: { q: { type: "string" as never } }, required: ["q"] } }] }] },
      { baseUrl: `${sandbox}/gemini` },
    );
    const chat = tools.startChat();
    const first = await chat.sendMessage("find cats");
    expect(first.response.functionCalls()).toEqual([{ name: "lookup", args: { q: "sample q" } }]);
    const second = await chat.sendMessage([{ functionResponse: { name: "lookup", response: { hits: 3 } } }]);
    expect(second.response.text()).toContain('The tool returned: "lookup {"hits":3}"');
  });

  it("throws GoogleGenerativeAIFetchError with the status", async () => {
    const missing = genAI.getGenerativeModel({ model: "gemini-unknown" }, { baseUrl: `${sandbox}/gemini` });
    const err = await missing.generateContent("x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GoogleGenerativeAIFetchError);
    expect((err as GoogleGenerativeAIFetchError).status).toBe(404);
  });
});
