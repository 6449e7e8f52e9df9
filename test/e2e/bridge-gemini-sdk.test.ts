import { GoogleGenerativeAI } from "@google/generative-ai";
import { ApiError, FunctionCallingConfigMode, GoogleGenAI, Type } from "@google/genai";
import { describe, expect, inject, it } from "vitest";

/** The official Gemini SDKs pointed at the bridge's /v1beta surface. */
const genai = new GoogleGenAI({ apiKey: "local-dev-key", httpOptions: { baseUrl: inject("platformUrl") } });
const weather = { name: "get_weather", description: "Weather for a city", parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING } }, required: ["city"] } };

describe.each(["gemini-2.5-flash", "gpt-4o-mini", "claude-haiku-4-5"])("@google/genai -> bridge -> %s", (model) => {
  it("generates content with usage metadata", async () => {
    const res = await genai.models.generateContent({ model, contents: "Hello Gemini bridge" });
    expect(res.text).toContain("Hello Gemini bridge");
    expect(res.candidates![0]!.finishReason).toBe("STOP");
    expect(res.usageMetadata!.promptTokenCount).toBeGreaterThan(0);
    expect(res.usageMetadata!.totalTokenCount).toBeGreaterThan(res.usageMetadata!.promptTokenCount!);
  });

  it("streams content", async () => {
    let text = "";
    let last;
    for await (const chunk of await genai.models.generateContentStream({ model, contents: "Stream from Gemini" })) {
      text += chunk.text ?? "";
      last = chunk;
    }
    expect(text).toContain("Stream from Gemini");
    expect(last!.candidates![0]!.finishReason).toBe("STOP");
  });

  it("calls a function and accepts its response", async () => {
    const config = { tools: [{ functionDeclarations: [weather] }], toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } } };
    const first = await genai.models.generateContent({ model, contents: "Weather in Paris?", config });
    const call = first.functionCalls![0]!;
    expect(call.name).toBe("get_weather");
    expect(call.args).toHaveProperty("city");
    const second = await genai.models.generateContent({
      model,
      contents: [
        { role: "user", parts: [{ text: "Weather in Paris?" }] },
        first.candidates![0]!.content!,
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temp: "18C" } } }] },
      ],
      config: { tools: [{ functionDeclarations: [weather] }] },
    });
    expect(second.text).toBeTruthy();
  });
});

describe("Gemini SDK errors and the older SDK", () => {
  it("unknown model -> ApiError 404 NOT_FOUND", async () => {
    const err = await genai.models.generateContent({ model: "mystery-model", contents: "x" }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(404);
  });

  it("@google/generative-ai reaches the bridge too (JSON and stream)", async () => {
    const model = new GoogleGenerativeAI("local-dev-key").getGenerativeModel({ model: "gemini-2.5-flash" }, { baseUrl: inject("platformUrl") });
    const res = await model.generateContent("Old SDK hello");
    expect(res.response.text()).toContain("Old SDK hello");
    const stream = await model.generateContentStream("Old SDK stream");
    let text = "";
    for await (const chunk of stream.stream) text += chunk.text();
    expect(text).toContain("Old SDK stream");
  });

  it("counts tokens", async () => {
    const res = await genai.models.countTokens({ model: "gemini-2.5-flash", contents: "count these tokens please" });
    expect(res.totalTokens).toBeGreaterThan(0);
  });

  it("accepts ?key= auth and rejects a missing key with UNAUTHENTICATED", async () => {
    const url = `${inject("platformUrl")}/v1beta/models/gemini-2.5-flash:generateContent`;
    const body = JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] });
    expect((await fetch(`${url}?key=abc`, { method: "POST", body, headers: { "content-type": "application/json" } })).status).toBe(200);
    const denied = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ error: { code: 401, status: "UNAUTHENTICATED" } });
  });
});
