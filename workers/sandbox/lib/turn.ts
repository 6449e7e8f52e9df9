/**
 * The one "model" behind the OpenAI, Anthropic and Gemini stand-ins. Each stand-in parses its own wire
 * format into a TurnInput, asks `planTurn` what the assistant does, and renders the Turn in its own
 * JSON or stream shape -- so the three agree on text, tool calls and token counts for the same prompt.
 *
 * Rules (deterministic, documented so tests and people can predict them):
 * - Tools are called when tools are offered, the tool choice is not "none", and the last message is not
 *   a tool result (so a tool round trip always ends in text). A named choice calls that tool; otherwise
 *   the first offered (or first allowed) tool.
 * - Parallel calls: only when the choice is "required" (OpenAI "required", Anthropic "any", Gemini ANY),
 *   parallel calls are allowed and more than one tool is eligible: every eligible tool is called once, in
 *   the order offered. "auto" always makes exactly one call.
 * - Arguments come from `sampleFromSchema` of the tool's parameter schema.
 * - Otherwise the reply is text: JSON matching the response schema in JSON mode, an acknowledgement of the
 *   tool result after a tool round trip, else `replyFor(prompt)`. Stop sequences cut it before the first
 *   match; a token limit cuts it to `maxTokens * 4` characters (countTokens counts ~4 characters a token).
 */
import { countTokens, replyFor, sampleFromSchema } from "./text";

export type ToolChoice = { type: "auto" } | { type: "required" } | { type: "none" } | { type: "tool"; name: string };

export interface ToolSpec {
  name: string;
  /** JSON schema of the arguments (lower-case types; Gemini's upper-case OpenAPI types are normalised first). */
  schema?: unknown;
}

export interface TurnInput {
  model: string;
  /** Text of the last user message: what the reply quotes. */
  prompt: string;
  /** Set when the last message carries tool results: their text. */
  toolResult?: string | undefined;
  tools: ToolSpec[];
  toolChoice: ToolChoice;
  /** Gemini's allowedFunctionNames: only these may be called. */
  allowedTools?: string[] | undefined;
  parallel: boolean;
  /** JSON mode: the reply is a JSON document (matching `schema` when given). */
  json?: { schema?: unknown } | undefined;
  /** Limit on the visible reply, in tokens. */
  maxTokens?: number | undefined;
  stop?: string[] | undefined;
  /** Produce a reasoning text before the answer. */
  thinking?: boolean | undefined;
}

export interface ToolCallOut {
  name: string;
  args: unknown;
  argsJson: string;
}

export type TurnFinish = "stop" | "length" | "tool_calls" | "stop_sequence";

export interface Turn {
  thinking?: string | undefined;
  text: string;
  toolCalls: ToolCallOut[];
  finish: TurnFinish;
  stopSequence?: string | undefined;
  thinkingTokens: number;
  /** Tokens of the visible output: text plus tool calls (thinking not included). */
  outputTokens: number;
}

export function quote(text: string, max = 80): string {
  return text.replace(/\s+/g, " ").trim().slice(0, max);
}

/** Tool calls `input` asks for, per the rules above. */
export function chooseToolCalls(input: TurnInput): ToolSpec[] {
  if (!input.tools.length || input.toolChoice.type === "none" || input.toolResult !== undefined) return [];
  const choice = input.toolChoice;
  if (choice.type === "tool") {
    const tool = input.tools.find((t) => t.name === choice.name);
    return tool ? [tool] : [];
  }
  const allowed = input.allowedTools?.length ? input.tools.filter((t) => input.allowedTools!.includes(t.name)) : input.tools;
  if (!allowed.length) return [];
  if (choice.type === "required" && input.parallel && allowed.length > 1) return allowed;
  return [allowed[0]!];
}

function cutAtStop(text: string, stops: string[]): { text: string; stop?: string } {
  let best: { index: number; stop: string } | undefined;
  for (const s of stops) {
    if (!s) continue;
    const i = text.indexOf(s);
    if (i >= 0 && (!best || i < best.index)) best = { index: i, stop: s };
  }
  return best ? { text: text.slice(0, best.index), stop: best.stop } : { text };
}

export function thinkingFor(input: TurnInput): string {
  const subject = input.toolResult !== undefined ? `the tool result "${quote(input.toolResult, 60)}"` : `"${quote(input.prompt, 60)}"`;
  return `The user wants a reply to ${subject}. I will answer with the sandbox's deterministic reply.`;
}

function replyText(input: TurnInput): string {
  if (input.json) {
    if (input.json.schema !== undefined) return JSON.stringify(sampleFromSchema(input.json.schema as Parameters<typeof sampleFromSchema>[0], "value"));
    return JSON.stringify({ reply: replyFor(input.prompt, input.model) });
  }
  if (input.toolResult !== undefined) {
    return `Hello from the ${input.model} sandbox. The tool returned: "${quote(input.toolResult)}". This is a deterministic stand-in reply.`;
  }
  return replyFor(input.prompt, input.model);
}

export function planTurn(input: TurnInput): Turn {
  const thinking = input.thinking ? thinkingFor(input) : undefined;
  const thinkingTokens = thinking ? countTokens(thinking) : 0;
  const calls = chooseToolCalls(input);
  if (calls.length) {
    const toolCalls = calls.map((t) => {
      const args = sampleFromSchema(t.schema as Parameters<typeof sampleFromSchema>[0], "value");
      return { name: t.name, args, argsJson: JSON.stringify(args) };
    });
    const outputTokens = toolCalls.reduce((n, c) => n + countTokens(c.name) + countTokens(c.argsJson), 0);
    return { thinking, text: "", toolCalls, finish: "tool_calls", thinkingTokens, outputTokens };
  }
  const cut = cutAtStop(replyText(input), input.stop ?? []);
  let text = cut.text;
  let finish: TurnFinish = cut.stop !== undefined ? "stop_sequence" : "stop";
  if (input.maxTokens !== undefined && countTokens(text) > input.maxTokens) {
    text = text.slice(0, Math.max(0, input.maxTokens) * 4);
    finish = "length";
  }
  const turn: Turn = { thinking, text, toolCalls: [], finish, thinkingTokens, outputTokens: countTokens(text) };
  if (finish === "stop_sequence") turn.stopSequence = cut.stop;
  return turn;
}

/** A signature-looking opaque string for a thinking text, stable for the same text. */
export function signatureFor(thinking: string, model: string): string {
  let h = 0x811c9dc5;
  const seed = `${model}\u0000${thinking}`;
  const bytes: number[] = [];
  for (let round = 0; bytes.length < 96; round++) {
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
    h = Math.imul(h ^ round, 16777619);
    bytes.push(h & 0xff, (h >>> 8) & 0xff, (h >>> 16) & 0xff, (h >>> 24) & 0xff);
  }
  return btoa(String.fromCharCode(...bytes));
}

/** Gemini and OpenAPI schemas use upper-case types (`OBJECT`); sampleFromSchema wants JSON-schema case. */
export function lowerSchemaTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerSchemaTypes);
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (k === "type") out[k] = Array.isArray(v) ? v.map((t) => (typeof t === "string" ? t.toLowerCase() : t)) : typeof v === "string" ? v.toLowerCase() : v;
    else if (k === "properties" && v && typeof v === "object") {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([name, s]) => [name, lowerSchemaTypes(s)]));
    } else if (k === "items" || k === "anyOf" || k === "oneOf") out[k] = lowerSchemaTypes(v);
    else out[k] = v;
  }
  return out;
}
