import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkGenerate, generateChunks, generateResponse, parseGenerateRequest, planGenerate, promptTokens } from "../../../workers/sandbox/gemini/generate";
import { findGeminiModel } from "../../../workers/sandbox/gemini/models";
import { camelizeKeys, GeminiRequestError } from "../../../workers/sandbox/gemini/schema";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/upstream/gemini/${name}`, import.meta.url), "utf8");
const FLASH = findGeminiModel("gemini-2.5-flash")!;
const OLD = findGeminiModel("gemini-2.0-flash")!;

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof GeminiRequestError) return e.message;
    throw e;
  }
  throw new Error("expected a Gemini error");
}

const text = (t: string) => ({ contents: [{ role: "user", parts: [{ text: t }] }] });
const plan = (raw: unknown, model = OLD, name = model.id) => {
  const body = parseGenerateRequest(raw);
  checkGenerate(body, model);
  return planGenerate(body, model, name);
};
const sortedKeys = (o: object) => Object.keys(o).sort();

describe("request parsing", () => {
  it("accepts snake_case field names as proto3 JSON does, without renaming function args or schema properties", () => {
    expect(
      camelizeKeys({ system_instruction: { parts: [{ text: "s" }] }, generation_config: { max_output_tokens: 5, response_schema: { properties: { my_field: { type: "STRING" } } } }, contents: [{ parts: [{ function_call: { name: "f", args: { some_arg: 1 } } }] }] }),
    ).toEqual({
      systemInstruction: { parts: [{ text: "s" }] },
      generationConfig: { maxOutputTokens: 5, responseSchema: { properties: { my_field: { type: "STRING" } } } },
      contents: [{ parts: [{ functionCall: { name: "f", args: { some_arg: 1 } } }] }],
    });
  });

  it.each([
    [{ contents: [], bogus: 1 }, 'Invalid JSON payload received. Unknown name "bogus": Cannot find field.'],
    [{ contents: [{ parts: [{ text: "x", colour: 1 }] }] }, 'Invalid JSON payload received. Unknown name "colour" at \'contents[0].parts[0]\': Cannot find field.'],
    [{ contents: [{ parts: [{ text: 5 }] }] }, "Invalid value at 'contents[0].parts[0].text' (TYPE_STRING), 5"],
    [{ ...text("x"), toolConfig: { functionCallingConfig: { mode: "SOMETIMES" } } }, "Invalid value at 'tool_config.function_calling_config.mode' (TYPE_ENUM), \"SOMETIMES\""],
    [{}, "* GenerateContentRequest.contents: contents is not specified\n"],
    [{ contents: [{ role: "bot", parts: [{ text: "x" }] }] }, "Please use a valid role: user, model."],
    [{ contents: [{ role: "user", parts: [] }] }, "* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.\n"],
    [{ contents: [{ parts: [{}] }] }, "* GenerateContentRequest.contents[0].parts[0].data: required oneof field 'data' must have one initialized field\n"],
    [{ ...text("x"), generationConfig: { responseSchema: { type: "OBJECT" } } }, "response_mime_type must be one of"],
    [{ ...text("x"), generationConfig: { thinkingConfig: { thinkingBudget: 100 } } }, "Thinking is not supported for this model."],
  ])("%j", (raw, expected) => {
    expect(messageOf(() => checkGenerate(parseGenerateRequest(raw), OLD))).toContain(expected);
  });
});

describe("responses", () => {
  it("carry the recorded GenerateContentResponse keys", () => {
    const recorded = JSON.parse(fixture("nonstream-text.json"));
    const ours = generateResponse(plan(text("How many r's in strawberry?"), FLASH)) as typeof recorded;
    expect(sortedKeys(ours)).toEqual(sortedKeys(recorded));
    expect(sortedKeys(ours.candidates[0])).toEqual(sortedKeys(recorded.candidates[0]));
    expect(sortedKeys(ours.usageMetadata)).toEqual(sortedKeys(recorded.usageMetadata));
    expect(sortedKeys(ours.candidates[0].content.parts[0])).toEqual(["text", "thoughtSignature"]);
  });

  it("carry the recorded function-call shape, with finishMessage", () => {
    const recorded = JSON.parse(fixture("nonstream-function-call.json"));
    const raw = { ...text("Weather in SF?"), tools: [{ functionDeclarations: [{ name: "weather", parameters: { type: "OBJECT", properties: { location: { type: "STRING" } } } }] }] };
    const ours = generateResponse(plan(raw, FLASH)) as typeof recorded;
    expect(sortedKeys(ours.candidates[0])).toEqual(sortedKeys(recorded.candidates[0]));
    expect(ours.candidates[0].content.parts[0].functionCall).toEqual({ name: "weather", args: { location: "sample location" } });
    expect(ours.candidates[0].content.parts[0].thoughtSignature).toEqual(expect.any(String));
  });

  it("stream like the recording: cumulative usage on every chunk, finishReason and signature on the last", () => {
    const recorded = fixture("stream-text-thought-signature.chunks.txt").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    const p = plan(text("How many r's in strawberry?"), FLASH);
    const chunks = generateChunks(p) as Array<typeof recorded[0]>;
    expect(chunks.every((c) => sortedKeys(c).join() === sortedKeys(recorded[0]).join())).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.candidates[0].finishReason === undefined)).toBe(true);
    expect(chunks.at(-1)!.candidates[0].finishReason).toBe("STOP");
    expect(chunks.at(-1)!.candidates[0].content.parts.at(-1).thoughtSignature).toEqual(expect.any(String));
    const counts = chunks.map((c) => c.usageMetadata.candidatesTokenCount as number);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text).join("")).toBe(p.turn.text);
  });

  it("puts the thought summary first when includeThoughts is set, and counts thoughts in totalTokenCount", () => {
    const p = plan({ ...text("why?"), generationConfig: { thinkingConfig: { includeThoughts: true } } }, FLASH);
    const res = generateResponse(p) as { candidates: Array<{ content: { parts: Array<Record<string, unknown>> } }>; usageMetadata: Record<string, number> };
    expect(res.candidates[0]!.content.parts[0]).toEqual({ text: p.turn.thinking, thought: true });
    const u = res.usageMetadata;
    expect(u.totalTokenCount).toBe(u.promptTokenCount! + u.candidatesTokenCount! + u.thoughtsTokenCount!);
    expect(generateChunks(p)[0]).toMatchObject({ candidates: [{ content: { parts: [{ thought: true }] } }] });
  });

  it("answer text/x.enum with the first enum value and JSON mode with a schema sample", () => {
    const e = plan({ ...text("pick"), generationConfig: { responseMimeType: "text/x.enum", responseSchema: { type: "STRING", enum: ["RED", "BLUE"] } } });
    expect(e.turn.text).toBe("RED");
    const j = plan({ ...text("obj"), generationConfig: { responseMimeType: "application/json", responseJsonSchema: { type: "object", properties: { n: { type: "number" } }, required: ["n"] } } });
    expect(JSON.parse(j.turn.text)).toEqual({ n: 1 });
  });

  it("replicates candidates for candidateCount and bills each", () => {
    const p = plan({ ...text("two"), generationConfig: { candidateCount: 2 } });
    const res = generateResponse(p) as { candidates: Array<{ index: number }>; usageMetadata: { candidatesTokenCount: number } };
    expect(res.candidates.map((c) => c.index)).toEqual([0, 1]);
    expect(res.usageMetadata.candidatesTokenCount).toBe(2 * p.turn.outputTokens);
  });

  it("counts images at 258 tokens in promptTokensDetails", () => {
    const body = parseGenerateRequest({ contents: [{ parts: [{ text: "what is it" }, { inlineData: { mimeType: "image/png", data: "AAAA" } }] }] });
    expect(promptTokens(body)).toBe(Math.ceil("what is it".length / 4) + 258);
    expect(plan(body).promptDetails).toEqual([
      { modality: "TEXT", tokenCount: 3 },
      { modality: "IMAGE", tokenCount: 258 },
    ]);
  });
});

describe("models", () => {
  it("accept listed names, suffixed snapshots and a models/ prefix", () => {
    expect(findGeminiModel("gemini-2.5-flash-001")?.id).toBe("gemini-2.5-flash");
    expect(findGeminiModel("models/gemini-2.5-pro")?.id).toBe("gemini-2.5-pro");
    expect(findGeminiModel("gemini-2.5-flash-lite")?.id).toBe("gemini-2.5-flash-lite");
    expect(findGeminiModel("gemini-9")).toBeUndefined();
  });
});
