import { describe, expect, it } from "vitest";
import { chooseToolCalls, lowerSchemaTypes, planTurn, signatureFor, type TurnInput } from "../../../workers/sandbox/lib/turn";

const base: TurnInput = { model: "m", prompt: "Hello there", tools: [], toolChoice: { type: "auto" }, parallel: true };
const a = { name: "a", schema: { type: "object", properties: { x: { type: "string" } }, required: ["x"] } };
const b = { name: "b", schema: { type: "object", properties: { n: { type: "integer" } } } };

describe("planTurn", () => {
  it("replies with the deterministic sentence and counts its tokens", () => {
    const turn = planTurn(base);
    expect(turn.text).toBe('Hello from the m sandbox. You said: "Hello there". This is a deterministic stand-in reply.');
    expect(turn).toMatchObject({ finish: "stop", toolCalls: [], thinkingTokens: 0, outputTokens: Math.ceil(turn.text.length / 4) });
    expect(planTurn(base)).toEqual(turn);
  });

  it("cuts at the earliest stop sequence and at maxTokens", () => {
    expect(planTurn({ ...base, stop: ["said", "from"] })).toMatchObject({ text: "Hello ", finish: "stop_sequence", stopSequence: "from" });
    const cut = planTurn({ ...base, maxTokens: 3 });
    expect(cut).toMatchObject({ text: "Hello from t", finish: "length", outputTokens: 3 });
  });

  it("answers JSON mode with a schema sample, or a reply object without a schema", () => {
    expect(JSON.parse(planTurn({ ...base, json: { schema: a.schema } }).text)).toEqual({ x: "sample x" });
    expect(JSON.parse(planTurn({ ...base, json: {} }).text)).toEqual({ reply: planTurn(base).text });
  });

  it("acknowledges a tool result instead of calling again", () => {
    const turn = planTurn({ ...base, tools: [a], toolResult: "42 degrees" });
    expect(turn.toolCalls).toEqual([]);
    expect(turn.text).toBe('Hello from the m sandbox. The tool returned: "42 degrees". This is a deterministic stand-in reply.');
  });

  it("thinks when asked, with tokens counted apart from the answer", () => {
    const turn = planTurn({ ...base, thinking: true });
    expect(turn.thinking).toContain('"Hello there"');
    expect(turn.thinkingTokens).toBe(Math.ceil(turn.thinking!.length / 4));
    expect(turn.outputTokens).toBe(planTurn(base).outputTokens);
  });

  it("calls tools with arguments sampled from their schema", () => {
    const turn = planTurn({ ...base, tools: [a, b] });
    expect(turn.finish).toBe("tool_calls");
    expect(turn.toolCalls).toEqual([{ name: "a", args: { x: "sample x" }, argsJson: '{"x":"sample x"}' }]);
    expect(turn.text).toBe("");
    expect(turn.outputTokens).toBe(Math.ceil(1 / 4) + Math.ceil('{"x":"sample x"}'.length / 4));
  });
});

describe("chooseToolCalls", () => {
  const names = (input: Partial<TurnInput>) => chooseToolCalls({ ...base, tools: [a, b], ...input }).map((t) => t.name);
  it("follows auto, required, none and named choices", () => {
    expect(names({})).toEqual(["a"]);
    expect(names({ toolChoice: { type: "required" } })).toEqual(["a", "b"]);
    expect(names({ toolChoice: { type: "required" }, parallel: false })).toEqual(["a"]);
    expect(names({ toolChoice: { type: "none" } })).toEqual([]);
    expect(names({ toolChoice: { type: "tool", name: "b" } })).toEqual(["b"]);
    expect(names({ toolChoice: { type: "required" }, allowedTools: ["b"] })).toEqual(["b"]);
    expect(names({ toolChoice: { type: "required" }, toolResult: "done" })).toEqual([]);
    expect(chooseToolCalls({ ...base })).toEqual([]);
  });
});

describe("helpers", () => {
  it("lower-cases OpenAPI schema types, leaving property names alone", () => {
    expect(lowerSchemaTypes({ type: "OBJECT", properties: { Name: { type: "STRING" }, list: { type: "ARRAY", items: { type: "INTEGER" } } }, required: ["Name"] })).toEqual({
      type: "object",
      properties: { Name: { type: "string" }, list: { type: "array", items: { type: "integer" } } },
      required: ["Name"],
    });
  });

  it("signs thinking deterministically per model and text", () => {
    const sig = signatureFor("thought", "m");
    expect(sig).toBe(signatureFor("thought", "m"));
    expect(sig).not.toBe(signatureFor("thought", "n"));
    expect(sig).toMatch(/^[A-Za-z0-9+/]{128}$/);
  });
});
