import type { BridgeError, ChatEvent, ChatRequest, FinishReason, ImagePart, JsonSchema, Message, Usage } from "../canonical";
import { errorKind, upstreamError, type Provider, type StreamDecoder, type Target, type UpstreamCall } from "./types";

/** Google Gemini (generativelanguage v1beta) as an upstream. */

type Json = Record<string, unknown>;

/** JSON-schema keywords Gemini's OpenAPI-subset `Schema` accepts; others are removed (it rejects unknown fields). */
const SCHEMA_KEYS = new Set([
  "type", "format", "title", "description", "nullable", "enum", "properties", "required", "items", "minItems", "maxItems",
  "minimum", "maximum", "minLength", "maxLength", "pattern", "anyOf", "propertyOrdering", "default", "example", "minProperties", "maxProperties",
]);

export function toGeminiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toGeminiSchema);
  if (!schema || typeof schema !== "object") return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) {
    if (!SCHEMA_KEYS.has(k)) continue;
    if (k === "properties" && v && typeof v === "object") {
      out.properties = Object.fromEntries(Object.entries(v as Json).map(([name, s]) => [name, toGeminiSchema(s)]));
    } else if (k === "type" && Array.isArray(v)) {
      // ["string","null"] -> type STRING + nullable, the OpenAPI way.
      const types = v.filter((t) => t !== "null");
      out.type = String(types[0] ?? "string").toUpperCase();
      if (types.length < v.length) out.nullable = true;
    } else if (k === "type" && typeof v === "string") {
      out.type = v.toUpperCase(); // Gemini's Type enum is upper case
    } else if (k === "items" || k === "anyOf") {
      out[k] = toGeminiSchema(v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function imagePart(p: ImagePart): Json {
  if (p.data !== undefined) return { inlineData: { mimeType: p.mediaType ?? "image/png", data: p.data } };
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(p.url ?? "");
  if (m) return { inlineData: { mimeType: m[1], data: m[2] } };
  return { fileData: { mimeType: p.mediaType ?? "image/*", fileUri: p.url } };
}

export function toGeminiContents(messages: Message[]): Json[] {
  const names = new Map<string, string>(); // tool call id -> function name (functionResponse needs the name)
  const out: Json[] = [];
  for (const m of messages) {
    const role = m.role === "assistant" ? "model" : "user";
    const parts: Json[] = [];
    for (const p of m.content) {
      switch (p.type) {
        case "text":
          if (p.text) parts.push({ text: p.text });
          break;
        case "image":
          parts.push(imagePart(p));
          break;
        case "thinking":
          // Thought signatures must go back where they came from; unsigned foreign thinking is not replayed.
          if (p.signature && !p.redacted) parts.push(p.text ? { text: p.text, thought: true, thoughtSignature: p.signature } : { text: "", thoughtSignature: p.signature });
          break;
        case "tool_call": {
          names.set(p.id, p.name);
          let args: unknown = {};
          try {
            args = p.arguments ? JSON.parse(p.arguments) : {};
          } catch {
            args = { _raw: p.arguments };
          }
          const part: Json = { functionCall: { name: p.name, args } };
          if (p.signature) part.thoughtSignature = p.signature;
          parts.push(part);
          break;
        }
        case "tool_result": {
          const text = p.content.map((c) => (c.type === "text" ? c.text : "[image]")).join("");
          let response: unknown;
          try {
            const parsed: unknown = JSON.parse(text);
            response = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : { result: parsed };
          } catch {
            response = p.isError ? { error: text } : { result: text };
          }
          parts.push({ functionResponse: { name: p.name ?? names.get(p.toolCallId) ?? p.toolCallId, response } });
          break;
        }
      }
    }
    if (!parts.length) continue;
    const prev = out.at(-1);
    if (prev && prev.role === role) (prev.parts as Json[]).push(...parts);
    else out.push({ role, parts });
  }
  return out;
}

export function buildGeminiRequest(req: ChatRequest, target: Target): UpstreamCall {
  const warnings = [...req.unsupported];
  const body: Json = { contents: toGeminiContents(req.messages) };
  if (req.system.length) body.systemInstruction = { parts: req.system.map((s) => ({ text: s.text })) };
  if (req.tools.length) {
    body.tools = [
      { functionDeclarations: req.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), parameters: toGeminiSchema(t.parameters) })) },
    ];
  }
  if (req.toolChoice) {
    const tc = req.toolChoice;
    body.toolConfig = {
      functionCallingConfig: tc.type === "tool" ? { mode: "ANY", allowedFunctionNames: [tc.name] } : { mode: tc.type === "required" ? "ANY" : tc.type === "none" ? "NONE" : "AUTO" },
    };
  }
  if (req.parallelToolCalls === false) warnings.push("parallel_tool_calls=false is not supported by Gemini and was not sent");
  const gen: Json = {};
  if (req.maxTokens !== undefined) gen.maxOutputTokens = req.maxTokens;
  if (req.temperature !== undefined) gen.temperature = req.temperature;
  if (req.topP !== undefined) gen.topP = req.topP;
  if (req.topK !== undefined) gen.topK = req.topK;
  if (req.stop.length) gen.stopSequences = req.stop.slice(0, 5);
  if (req.stop.length > 5) warnings.push("only the first 5 stop sequences were sent");
  if (req.seed !== undefined) gen.seed = req.seed;
  if (req.responseFormat?.type === "json") {
    gen.responseMimeType = "application/json";
    if (req.responseFormat.schema) gen.responseSchema = toGeminiSchema(req.responseFormat.schema as JsonSchema);
  }
  if (req.thinking) {
    const budget = req.thinking.budgetTokens ?? { low: 1024, medium: 8192, high: 24576 }[req.thinking.effort ?? "medium"];
    gen.thinkingConfig = { thinkingBudget: budget, includeThoughts: true };
  }
  if (Object.keys(gen).length) body.generationConfig = gen;
  if (req.safetySettings?.length) body.safetySettings = req.safetySettings;
  const model = encodeURIComponent(target.model);
  const path = req.stream ? `/v1beta/models/${model}:streamGenerateContent?alt=sse` : `/v1beta/models/${model}:generateContent`;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (target.apiKey) headers["x-goog-api-key"] = target.apiKey;
  return { path, headers, body, warnings };
}

const FILTERED = new Set(["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE"]);

export function geminiFinish(reason: unknown, sawToolCall: boolean): FinishReason {
  if (reason === "STOP") return sawToolCall ? "tool_calls" : "stop";
  if (reason === "MAX_TOKENS") return "length";
  if (typeof reason === "string" && FILTERED.has(reason)) return "content_filter";
  return "other";
}

/** Gemini's candidatesTokenCount excludes thoughts; canonical output includes reasoning (as OpenAI counts it). */
export function geminiUsage(u: unknown): Usage | undefined {
  if (!u || typeof u !== "object") return undefined;
  const x = u as { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number; cachedContentTokenCount?: number; toolUsePromptTokenCount?: number };
  if (x.promptTokenCount === undefined && x.candidatesTokenCount === undefined && x.thoughtsTokenCount === undefined) return undefined;
  const usage: Usage = {
    inputTokens: (x.promptTokenCount ?? 0) + (x.toolUsePromptTokenCount ?? 0),
    outputTokens: (x.candidatesTokenCount ?? 0) + (x.thoughtsTokenCount ?? 0),
  };
  if (x.cachedContentTokenCount) usage.cachedInputTokens = x.cachedContentTokenCount;
  if (x.thoughtsTokenCount) usage.reasoningTokens = x.thoughtsTokenCount;
  return usage;
}

/** Sets `value` at a JSONPath like `$.a.b[0].c` inside `target`, appending to strings that continue. */
function setPath(target: Json, jsonPath: string, value: unknown, append: boolean): void {
  const keys = [...jsonPath.replace(/^\$\.?/, "").matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
  let node: Json | unknown[] = target;
  keys.forEach((key, i) => {
    const last = i === keys.length - 1;
    const holder = node as Record<string | number, unknown>;
    if (last) {
      holder[key] = append && typeof holder[key] === "string" && typeof value === "string" ? (holder[key] as string) + value : value;
      return;
    }
    if (holder[key] === undefined || typeof holder[key] !== "object") holder[key] = typeof keys[i + 1] === "number" ? [] : {};
    node = holder[key] as Json;
  });
}

interface PartialArg {
  jsonPath?: string;
  stringValue?: string;
  numberValue?: number;
  boolValue?: boolean;
  nullValue?: unknown;
}

export class GeminiStreamDecoder implements StreamDecoder {
  private started = false;
  private toolCount = 0;
  private sawToolCall = false;
  /** A call being streamed with partialArgs (Vertex `willContinue`). */
  private pending: { index: number; args: Json; continuing: Set<string> } | undefined;
  private finished = false;
  private finishReason: unknown;

  push(data: string): ChatEvent[] {
    let chunk: Json;
    try {
      chunk = JSON.parse(data) as Json;
    } catch {
      return [{ type: "error", error: { status: 502, kind: "upstream", message: "Upstream sent a malformed stream chunk" } }];
    }
    if (chunk.error) {
      const e = chunk.error as { code?: number; message?: string };
      const status = e.code ?? 500;
      return [{ type: "error", error: { status, kind: errorKind(status), message: e.message ?? "Upstream stream error" } }];
    }
    return this.decodeChunk(chunk);
  }

  decodeChunk(chunk: Json): ChatEvent[] {
    const out: ChatEvent[] = [];
    if (!this.started) {
      this.started = true;
      out.push({ type: "start", id: String(chunk.responseId ?? ""), model: String(chunk.modelVersion ?? ""), created: Math.floor(Date.now() / 1000) });
    }
    const candidate = ((chunk.candidates as Json[] | undefined) ?? [])[0];
    const parts = ((candidate?.content as Json | undefined)?.parts as Json[] | undefined) ?? [];
    for (const part of parts) out.push(...this.decodePart(part));
    const usage = geminiUsage(chunk.usageMetadata);
    if (usage) out.push({ type: "usage", usage });
    const feedback = chunk.promptFeedback as { blockReason?: string } | undefined;
    if (feedback?.blockReason) {
      this.finishReason = "SAFETY";
      out.push(...this.finish());
    } else if (candidate?.finishReason) {
      this.finishReason = candidate.finishReason;
      out.push(...this.finish());
    }
    return out;
  }

  private decodePart(part: Json): ChatEvent[] {
    const out: ChatEvent[] = [];
    const signature = typeof part.thoughtSignature === "string" ? part.thoughtSignature : undefined;
    const fc = part.functionCall as { id?: string; name?: string; args?: Json; partialArgs?: PartialArg[]; willContinue?: boolean } | undefined;
    if (fc) {
      if (this.pending && !fc.name) {
        // Continuation of a streamed call: partial args, or `{}` which closes it.
        for (const pa of fc.partialArgs ?? []) this.applyPartial(pa);
        if (!fc.willContinue && !(fc.partialArgs ?? []).length) out.push(...this.closePending());
        return out;
      }
      out.push(...this.closePending());
      const index = this.toolCount++;
      this.sawToolCall = true;
      const start: ChatEvent = { type: "tool_call_start", index, id: fc.id ?? `call_${index}`, name: fc.name ?? "" };
      if (signature) start.signature = signature;
      out.push(start);
      if (fc.willContinue) {
        this.pending = { index, args: { ...(fc.args ?? {}) }, continuing: new Set() };
        for (const pa of fc.partialArgs ?? []) this.applyPartial(pa);
        return out;
      }
      out.push({ type: "tool_call_delta", index, argumentsDelta: JSON.stringify(fc.args ?? {}) });
      out.push({ type: "tool_call_end", index });
      return out;
    }
    if (typeof part.text === "string") {
      if (part.thought === true) {
        if (part.text) out.push({ type: "thinking_delta", text: part.text });
        if (signature) out.push({ type: "thinking_signature", signature });
      } else {
        if (signature) out.push({ type: "thinking_signature", signature });
        if (part.text) out.push({ type: "text_delta", text: part.text });
      }
    } else if (signature) {
      out.push({ type: "thinking_signature", signature });
    }
    return out;
  }

  private applyPartial(pa: PartialArg & { willContinue?: boolean }) {
    if (!this.pending || !pa.jsonPath) return;
    const value = pa.stringValue ?? pa.numberValue ?? pa.boolValue ?? (pa.nullValue !== undefined ? null : undefined);
    if (value === undefined) return;
    const append = this.pending.continuing.has(pa.jsonPath);
    setPath(this.pending.args, pa.jsonPath, value, append);
    if (pa.willContinue) this.pending.continuing.add(pa.jsonPath);
    else this.pending.continuing.delete(pa.jsonPath);
  }

  private closePending(): ChatEvent[] {
    if (!this.pending) return [];
    const { index, args } = this.pending;
    this.pending = undefined;
    return [
      { type: "tool_call_delta", index, argumentsDelta: JSON.stringify(args) },
      { type: "tool_call_end", index },
    ];
  }

  private finish(): ChatEvent[] {
    if (this.finished) return [];
    this.finished = true;
    return [...this.closePending(), { type: "finish", reason: geminiFinish(this.finishReason, this.sawToolCall) }];
  }

  end(): ChatEvent[] {
    return this.closePending();
  }
}

export function decodeGeminiResponse(json: unknown): ChatEvent[] {
  const d = new GeminiStreamDecoder();
  return [...d.decodeChunk((json ?? {}) as Json), ...d.end()];
}

export function decodeGeminiError(status: number, body: string, headers: Headers): BridgeError {
  return upstreamError(status, body, headers, (parsed) => {
    const e = (parsed as { error?: { message?: string; details?: Array<{ "@type"?: string; retryDelay?: string }> } }).error;
    // google.rpc.RetryInfo in the body is Google's Retry-After.
    const info = e?.details?.find((d) => d["@type"]?.endsWith("google.rpc.RetryInfo"));
    return { message: e?.message, retryAfterSeconds: info?.retryDelay ? Math.ceil(Number.parseFloat(info.retryDelay)) : undefined };
  });
}

export const geminiProvider: Provider = {
  name: "gemini",
  buildRequest: buildGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  streamDecoder: () => new GeminiStreamDecoder(),
  decodeError: decodeGeminiError,
};
