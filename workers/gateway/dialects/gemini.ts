import { z } from "zod";
import type { BridgeError, ChatEvent, ChatRequest, ChatResponse, ContentPart, FinishReason, Message, TextPart, Usage } from "../canonical";
import { encodeSse } from "../sse";
import { invalid, type BridgeMeta, type Dialect, type StreamEncoder } from "./types";

/** The Gemini generateContent dialect: what @google/genai, @google/generative-ai and the Gemini CLI speak. */

const part = z
  .object({
    text: z.string().optional(),
    thought: z.boolean().optional(),
    thoughtSignature: z.string().optional(),
    inlineData: z.object({ mimeType: z.string(), data: z.string() }).optional(),
    fileData: z.object({ mimeType: z.string().optional(), fileUri: z.string() }).optional(),
    functionCall: z.object({ name: z.string(), args: z.record(z.string(), z.unknown()).optional(), id: z.string().optional() }).optional(),
    functionResponse: z.object({ name: z.string(), response: z.unknown(), id: z.string().optional() }).optional(),
  })
  .passthrough();

const content = z.object({ role: z.enum(["user", "model", "function"]).optional(), parts: z.array(part) });

const functionDeclaration = z
  .object({
    name: z.string().min(1).max(128),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    parametersJsonSchema: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

export const geminiBody = z
  .object({
    contents: z.array(content),
    systemInstruction: z.union([z.string(), content.extend({ role: z.string().optional() })]).optional(),
    tools: z.array(z.object({ functionDeclarations: z.array(functionDeclaration).optional() }).passthrough()).optional(),
    toolConfig: z
      .object({
        functionCallingConfig: z
          .object({ mode: z.enum(["AUTO", "ANY", "NONE", "VALIDATED", "MODE_UNSPECIFIED"]).optional(), allowedFunctionNames: z.array(z.string()).optional() })
          .optional(),
      })
      .passthrough()
      .optional(),
    generationConfig: z
      .object({
        maxOutputTokens: z.number().int().positive().optional(),
        temperature: z.number().min(0).max(2).optional(),
        topP: z.number().min(0).max(1).optional(),
        topK: z.number().int().min(0).optional(),
        stopSequences: z.array(z.string()).max(5).optional(),
        seed: z.number().int().optional(),
        candidateCount: z.number().int().optional(),
        responseMimeType: z.string().optional(),
        responseSchema: z.record(z.string(), z.unknown()).optional(),
        responseJsonSchema: z.record(z.string(), z.unknown()).optional(),
        thinkingConfig: z
          .object({ thinkingBudget: z.number().int().optional(), includeThoughts: z.boolean().optional(), thinkingLevel: z.string().optional() })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
    safetySettings: z.array(z.object({ category: z.string(), threshold: z.string() }).passthrough()).optional(),
    cachedContent: z.string().optional(),
  })
  .passthrough();

/**
 * Gemini's OpenAPI-style schema (`type: "OBJECT"`, `nullable: true`) as the JSON schema the canonical form
 * and the other providers use (`type: "object"`, `type: ["string", "null"]`).
 */
export function fromGeminiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(fromGeminiSchema);
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  const src = schema as Record<string, unknown>;
  for (const [k, v] of Object.entries(src)) {
    if (k === "nullable" || k === "propertyOrdering") continue;
    if (k === "type" && typeof v === "string") out.type = v.toLowerCase();
    else if (k === "properties" && v && typeof v === "object") out.properties = Object.fromEntries(Object.entries(v).map(([n, sch]) => [n, fromGeminiSchema(sch)]));
    else if (k === "items" || k === "anyOf") out[k] = fromGeminiSchema(v);
    else out[k] = v;
  }
  if (src.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  return out;
}

function zodProblem(err: z.ZodError): string {
  const issue = err.issues[0]!;
  return `Invalid value at '${issue.path.map(String).join(".") || "body"}': ${issue.message}`;
}

export function parseGeminiRequest(body: unknown, ctx: { model?: string; stream?: boolean }): ChatRequest {
  if (!ctx.model) throw invalid("Model name is missing from the URL (…/models/{model}:generateContent)");
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalid("Invalid JSON payload: the body must be an object");
  const parsed = geminiBody.safeParse(body);
  if (!parsed.success) throw invalid(zodProblem(parsed.error));
  const b = parsed.data;
  const unsupported: string[] = [];
  if (b.cachedContent) unsupported.push("cachedContent is not supported by the bridge and was ignored");
  for (const k of Object.keys(body)) if (!(k in geminiBody.shape)) unsupported.push(`unknown field ${k} was ignored`);

  const gen = b.generationConfig ?? {};
  if (gen.candidateCount !== undefined && gen.candidateCount !== 1) throw invalid("Only candidateCount=1 is supported");

  // Gemini pairs functionResponse with functionCall by name (ids are optional): give each call an id and
  // hand it to the first unanswered response with the same name.
  const unanswered: Array<{ id: string; name: string }> = [];
  let callCount = 0;
  const messages: Message[] = b.contents.map((c, ci) => {
    const role = c.role === "model" ? "assistant" : "user";
    const parts: ContentPart[] = [];
    c.parts.forEach((p, pi) => {
      if (p.functionCall) {
        const id = p.functionCall.id ?? `call_${callCount}`;
        callCount++;
        unanswered.push({ id, name: p.functionCall.name });
        parts.push({ type: "tool_call", id, name: p.functionCall.name, arguments: JSON.stringify(p.functionCall.args ?? {}), ...(p.thoughtSignature ? { signature: p.thoughtSignature } : {}) });
      } else if (p.functionResponse) {
        const fr = p.functionResponse;
        const at = unanswered.findIndex((u) => (fr.id ? u.id === fr.id : u.name === fr.name));
        const id = at >= 0 ? unanswered.splice(at, 1)[0]!.id : (fr.id ?? `call_${fr.name}`);
        parts.push({ type: "tool_result", toolCallId: id, name: fr.name, content: [{ type: "text", text: JSON.stringify(fr.response ?? {}) }] });
      } else if (p.inlineData) {
        parts.push({ type: "image", data: p.inlineData.data, mediaType: p.inlineData.mimeType });
      } else if (p.fileData) {
        parts.push({ type: "image", url: p.fileData.fileUri, ...(p.fileData.mimeType ? { mediaType: p.fileData.mimeType } : {}) });
      } else if (typeof p.text === "string") {
        if (p.thought) parts.push({ type: "thinking", text: p.text, ...(p.thoughtSignature ? { signature: p.thoughtSignature } : {}) });
        else {
          if (p.thoughtSignature && role === "assistant") parts.push({ type: "thinking", text: "", signature: p.thoughtSignature });
          if (p.text) parts.push({ type: "text", text: p.text });
        }
      } else if (p.thoughtSignature) {
        parts.push({ type: "thinking", text: "", signature: p.thoughtSignature });
      } else {
        throw invalid(`contents[${ci}].parts[${pi}]: unsupported part (supported: text, inlineData, fileData, functionCall, functionResponse)`);
      }
    });
    return { role, content: parts };
  });

  const tools = [];
  for (const [ti, t] of (b.tools ?? []).entries()) {
    const other = Object.keys(t).filter((k) => k !== "functionDeclarations");
    if (other.length) throw invalid(`tools[${ti}]: ${other.join(", ")} is not supported by the bridge; only functionDeclarations are`);
    for (const fd of t.functionDeclarations ?? []) {
      const parameters = fd.parametersJsonSchema ?? (fd.parameters ? (fromGeminiSchema(fd.parameters) as Record<string, unknown>) : { type: "object", properties: {} });
      tools.push({ name: fd.name, ...(fd.description ? { description: fd.description } : {}), parameters });
    }
  }
  const si = b.systemInstruction;
  const system: TextPart[] =
    si === undefined ? [] : typeof si === "string" ? [{ type: "text", text: si }] : si.parts.filter((p) => typeof p.text === "string" && p.text).map((p) => ({ type: "text", text: p.text! }));

  const req: ChatRequest = {
    model: ctx.model,
    system,
    messages,
    tools,
    stop: gen.stopSequences ?? [],
    stream: ctx.stream === true,
    includeUsage: true,
    unsupported,
  };
  const fcc = b.toolConfig?.functionCallingConfig;
  if (fcc?.mode === "NONE") req.toolChoice = { type: "none" };
  else if (fcc?.mode === "ANY" || fcc?.mode === "VALIDATED") {
    req.toolChoice = fcc.allowedFunctionNames?.length === 1 ? { type: "tool", name: fcc.allowedFunctionNames[0]! } : { type: "required" };
  } else if (fcc?.mode === "AUTO") req.toolChoice = { type: "auto" };
  if (gen.maxOutputTokens !== undefined) req.maxTokens = gen.maxOutputTokens;
  if (gen.temperature !== undefined) req.temperature = gen.temperature;
  if (gen.topP !== undefined) req.topP = gen.topP;
  if (gen.topK !== undefined) req.topK = gen.topK;
  if (gen.seed !== undefined) req.seed = gen.seed;
  if (gen.responseMimeType === "application/json") {
    req.responseFormat = { type: "json" };
    const schema = gen.responseJsonSchema ?? (gen.responseSchema ? (fromGeminiSchema(gen.responseSchema) as Record<string, unknown>) : undefined);
    if (schema) req.responseFormat.schema = schema;
  }
  const tc = gen.thinkingConfig;
  if (tc && (tc.thinkingBudget ?? 0) !== 0) {
    req.thinking = tc.thinkingBudget !== undefined && tc.thinkingBudget > 0 ? { budgetTokens: tc.thinkingBudget } : { effort: "medium" };
  } else if (tc?.thinkingLevel) {
    req.thinking = { effort: tc.thinkingLevel.toLowerCase() === "low" ? "low" : "high" };
  }
  if (b.safetySettings?.length) req.safetySettings = b.safetySettings;
  return req;
}

export function geminiUsageBody(u: Usage, meta?: BridgeMeta) {
  const reasoning = u.reasoningTokens ?? 0;
  const body: Record<string, unknown> = {
    promptTokenCount: u.inputTokens,
    candidatesTokenCount: Math.max(0, u.outputTokens - reasoning),
    totalTokenCount: u.inputTokens + u.outputTokens,
  };
  if (reasoning) body.thoughtsTokenCount = reasoning;
  if (u.cachedInputTokens) body.cachedContentTokenCount = u.cachedInputTokens;
  if (meta) {
    body.costUsd = meta.costUsd;
    body.savingsUsd = meta.savingsUsd;
  }
  return body;
}

export function geminiFinishReason(reason: FinishReason): string {
  switch (reason) {
    case "length":
      return "MAX_TOKENS";
    case "content_filter":
      return "SAFETY";
    case "error":
      return "OTHER";
    default:
      return "STOP";
  }
}

const GOOGLE_STATUS: Record<BridgeError["kind"], string> = {
  invalid_request: "INVALID_ARGUMENT",
  authentication: "UNAUTHENTICATED",
  permission: "PERMISSION_DENIED",
  not_found: "NOT_FOUND",
  rate_limit: "RESOURCE_EXHAUSTED",
  quota: "RESOURCE_EXHAUSTED",
  overloaded: "UNAVAILABLE",
  upstream: "INTERNAL",
  timeout: "DEADLINE_EXCEEDED",
  too_large: "INVALID_ARGUMENT",
};

export function geminiErrorBody(error: BridgeError) {
  const body: Record<string, unknown> = { code: error.status, message: error.message, status: GOOGLE_STATUS[error.kind] };
  if (error.retryAfterSeconds !== undefined) body.details = [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${error.retryAfterSeconds}s` }];
  return { error: body };
}

interface PendingCall {
  id: string;
  name: string;
  args: string;
  signature?: string;
}

export class GeminiStreamEncoder implements StreamEncoder {
  private id = "";
  private usage: Usage = { inputTokens: 0, outputTokens: 0 };
  private finish: FinishReason = "stop";
  private calls = new Map<number, PendingCall>();

  constructor(private readonly model: string) {}

  private chunk(parts: unknown[], extra: Record<string, unknown> = {}): string {
    const candidate: Record<string, unknown> = { content: { parts, role: "model" }, index: 0 };
    if (extra.finishReason) candidate.finishReason = extra.finishReason;
    const body: Record<string, unknown> = { candidates: [candidate] };
    if (extra.usageMetadata) body.usageMetadata = extra.usageMetadata;
    body.modelVersion = this.model;
    body.responseId = this.id;
    return encodeSse({ data: JSON.stringify(body) });
  }

  event(e: ChatEvent): string {
    switch (e.type) {
      case "start":
        this.id = e.id || crypto.randomUUID().replaceAll("-", "");
        return "";
      case "text_delta":
        return this.chunk([{ text: e.text }]);
      case "thinking_delta":
        return this.chunk([{ text: e.text, thought: true }]);
      case "thinking_signature":
        return this.chunk([{ text: "", thoughtSignature: e.signature }]);
      case "tool_call_start":
        this.calls.set(e.index, { id: e.id, name: e.name, args: "", ...(e.signature ? { signature: e.signature } : {}) });
        return "";
      case "tool_call_delta": {
        const call = this.calls.get(e.index);
        if (call) call.args += e.argumentsDelta;
        return "";
      }
      case "tool_call_end": {
        // Gemini sends each functionCall whole: emit once its arguments are complete.
        const call = this.calls.get(e.index);
        if (!call) return "";
        this.calls.delete(e.index);
        return this.chunk([functionCallPart(call)]);
      }
      case "usage":
        this.usage = e.usage;
        return "";
      case "finish":
        this.finish = e.reason;
        return "";
      default:
        return "";
    }
  }

  end(meta: BridgeMeta): string {
    const leftover = [...this.calls.values()].map(functionCallPart);
    this.calls.clear();
    return this.chunk(leftover.length ? leftover : [{ text: "" }], { finishReason: geminiFinishReason(this.finish), usageMetadata: geminiUsageBody(this.usage, meta) });
  }

  fail(error: BridgeError): string {
    return encodeSse({ data: JSON.stringify(geminiErrorBody(error)) });
  }
}

function functionCallPart(call: PendingCall): Record<string, unknown> {
  let args: unknown = {};
  try {
    args = call.args ? JSON.parse(call.args) : {};
  } catch {
    args = {};
  }
  const part: Record<string, unknown> = { functionCall: { name: call.name, args } };
  if (call.signature) part.thoughtSignature = call.signature;
  return part;
}

export function encodeGeminiResponse(res: ChatResponse, meta: BridgeMeta, req: ChatRequest) {
  const parts = res.content.map((c) => {
    if (c.type === "text") return { text: c.text };
    if (c.type === "thinking") return c.text ? { text: c.text, thought: true, ...(c.signature ? { thoughtSignature: c.signature } : {}) } : { text: "", ...(c.signature ? { thoughtSignature: c.signature } : {}) };
    return functionCallPart({ id: c.id, name: c.name, args: c.arguments, ...(c.signature ? { signature: c.signature } : {}) });
  });
  return {
    candidates: [{ content: { parts, role: "model" }, finishReason: geminiFinishReason(res.finishReason), index: 0 }],
    usageMetadata: geminiUsageBody(res.usage, meta),
    modelVersion: req.model,
    responseId: res.id,
  };
}

export const geminiDialect: Dialect = {
  name: "gemini",
  parse: (body, ctx) => parseGeminiRequest(body, ctx),
  streamEncoder: (req) => new GeminiStreamEncoder(req.model),
  encodeResponse: encodeGeminiResponse,
  encodeError: (error) => {
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
    return { status: error.status, body: geminiErrorBody(error), headers };
  },
};
