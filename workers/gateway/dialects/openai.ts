import { z } from "zod";
import type { BridgeError, ChatEvent, ChatRequest, ChatResponse, ContentPart, ImagePart, Message, TextPart, ThinkingPart, ToolChoice, Usage } from "../canonical";
import { encodeSse } from "../sse";
import { invalid, type BridgeMeta, type Dialect, type StreamEncoder } from "./types";

/** The OpenAI Chat Completions dialect, as the openai SDK, Cursor and most tools speak it. */

const textPart = z.object({ type: z.literal("text"), text: z.string() });
const imagePart = z.object({
  type: z.literal("image_url"),
  image_url: z.union([z.string(), z.object({ url: z.string(), detail: z.enum(["auto", "low", "high"]).optional() })]),
});
const anyPart = z.object({ type: z.string() }).passthrough();
const content = z.union([z.string(), z.array(anyPart)]).nullable().optional();

const toolCall = z.object({
  id: z.string(),
  type: z.literal("function").optional(),
  function: z.object({ name: z.string(), arguments: z.string().optional().default("") }),
});

const message = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content, name: z.string().optional() }),
  z.object({ role: z.literal("developer"), content, name: z.string().optional() }),
  z.object({ role: z.literal("user"), content, name: z.string().optional() }),
  z.object({
    role: z.literal("assistant"),
    content,
    tool_calls: z.array(toolCall).optional(),
    reasoning_content: z.string().nullable().optional(),
    refusal: z.string().nullable().optional(),
    name: z.string().optional(),
  }),
  z.object({ role: z.literal("tool"), content, tool_call_id: z.string() }),
]);

const tool = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, "tool names are 1-128 letters, digits, _ . : -"),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

export const openAiChatBody = z
  .object({
    model: z.string().min(1),
    messages: z.array(message).min(1),
    tools: z.array(tool).optional(),
    tool_choice: z
      .union([z.enum(["auto", "none", "required"]), z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) })])
      .optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: z
      .union([
        z.object({ type: z.literal("text") }),
        z.object({ type: z.literal("json_object") }),
        z.object({
          type: z.literal("json_schema"),
          json_schema: z.object({ name: z.string().optional(), schema: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullable().optional() }),
        }),
      ])
      .optional(),
    stop: z.union([z.string(), z.array(z.string()).max(16)]).nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    top_k: z.number().int().min(0).nullable().optional(),
    seed: z.number().int().nullable().optional(),
    max_tokens: z.number().int().positive().nullable().optional(),
    max_completion_tokens: z.number().int().positive().nullable().optional(),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
    n: z.number().int().nullable().optional(),
    reasoning_effort: z.enum(["minimal", "low", "medium", "high"]).nullable().optional(),
    user: z.string().optional(),
  })
  .passthrough();

/** Accepted, harmless, and without a canonical meaning: reported as a warning rather than refused. */
const KNOWN_IGNORED = new Set([
  "frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "store", "metadata", "service_tier",
  "prediction", "modalities", "audio", "verbosity", "web_search_options", "prompt_cache_key", "safety_identifier", "functions", "function_call",
]);

function zodMessage(err: z.ZodError): { message: string; param: string } {
  const issue = err.issues[0]!;
  const param = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  return { message: `Invalid value for '${param || "body"}': ${issue.message}`, param };
}

function parseParts(value: z.infer<typeof content>, where: string): Array<TextPart | ImagePart> {
  if (value === null || value === undefined) return [];
  if (typeof value === "string") return value ? [{ type: "text", text: value }] : [];
  return value.map((raw, i) => {
    const t = textPart.safeParse(raw);
    if (t.success) return { type: "text", text: t.data.text } satisfies TextPart;
    const img = imagePart.safeParse(raw);
    if (img.success) {
      const iu = img.data.image_url;
      const part: ImagePart = { type: "image", url: typeof iu === "string" ? iu : iu.url };
      if (typeof iu !== "string" && iu.detail) part.detail = iu.detail;
      return part;
    }
    throw invalid(`Unsupported content part type '${raw.type}' in ${where}[${i}]; text and image_url are supported`, `${where}[${i}].type`);
  });
}

export function parseOpenAiChat(body: unknown): ChatRequest {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalid("The request body must be a JSON object");
  const parsed = openAiChatBody.safeParse(body);
  if (!parsed.success) {
    const { message, param } = zodMessage(parsed.error);
    throw invalid(message, param);
  }
  const b = parsed.data;
  if (b.n !== undefined && b.n !== null && b.n !== 1) throw invalid("Only n=1 is supported", "n");
  const unsupported = Object.keys(body).filter((k) => KNOWN_IGNORED.has(k)).map((k) => `${k} is not supported by the bridge and was ignored`);
  for (const k of Object.keys(body)) if (!(k in openAiChatBody.shape) && !KNOWN_IGNORED.has(k)) unsupported.push(`unknown parameter ${k} was ignored`);

  const system: TextPart[] = [];
  const messages: Message[] = [];
  b.messages.forEach((m, i) => {
    const where = `messages[${i}].content`;
    switch (m.role) {
      case "system":
      case "developer":
        system.push(...(parseParts(m.content, where).filter((p) => p.type === "text") as TextPart[]));
        break;
      case "user":
        messages.push({ role: "user", content: parseParts(m.content, where) });
        break;
      case "assistant": {
        const parts: ContentPart[] = [];
        if (m.reasoning_content) parts.push({ type: "thinking", text: m.reasoning_content });
        parts.push(...parseParts(m.content, where).filter((p) => p.type === "text"));
        for (const tc of m.tool_calls ?? []) parts.push({ type: "tool_call", id: tc.id, name: tc.function.name, arguments: tc.function.arguments });
        messages.push({ role: "assistant", content: parts });
        break;
      }
      case "tool": {
        const result: ContentPart = { type: "tool_result", toolCallId: m.tool_call_id, content: parseParts(m.content, where) };
        const prev = messages.at(-1);
        // Consecutive tool messages answer one assistant turn: keep them together.
        if (prev?.role === "tool") prev.content.push(result);
        else messages.push({ role: "tool", content: [result] });
        break;
      }
    }
  });

  const req: ChatRequest = {
    model: b.model,
    system,
    messages,
    tools: (b.tools ?? []).map((t) => ({
      name: t.function.name,
      ...(t.function.description ? { description: t.function.description } : {}),
      parameters: t.function.parameters ?? { type: "object", properties: {} },
    })),
    stop: b.stop == null ? [] : typeof b.stop === "string" ? [b.stop] : b.stop,
    stream: b.stream === true,
    includeUsage: b.stream_options?.include_usage === true,
    unsupported,
  };
  if (b.tool_choice !== undefined) {
    req.toolChoice = typeof b.tool_choice === "string" ? ({ type: b.tool_choice } as ToolChoice) : { type: "tool", name: b.tool_choice.function.name };
  }
  if (b.parallel_tool_calls !== undefined) req.parallelToolCalls = b.parallel_tool_calls;
  const maxTokens = b.max_completion_tokens ?? b.max_tokens;
  if (maxTokens != null) req.maxTokens = maxTokens;
  if (b.temperature != null) req.temperature = b.temperature;
  if (b.top_p != null) req.topP = b.top_p;
  if (b.top_k != null) req.topK = b.top_k;
  if (b.seed != null) req.seed = b.seed;
  if (b.user !== undefined) req.user = b.user;
  if (b.reasoning_effort) req.thinking = { effort: b.reasoning_effort === "minimal" ? "low" : b.reasoning_effort };
  const rf = b.response_format;
  if (rf?.type === "json_object") req.responseFormat = { type: "json" };
  if (rf?.type === "json_schema") {
    req.responseFormat = { type: "json" };
    if (rf.json_schema.schema) req.responseFormat.schema = rf.json_schema.schema;
    if (rf.json_schema.name) req.responseFormat.name = rf.json_schema.name;
    if (rf.json_schema.strict != null) req.responseFormat.strict = rf.json_schema.strict;
  }
  return req;
}

export function openAiUsageBody(u: Usage, meta?: BridgeMeta) {
  const body: Record<string, unknown> = {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
  };
  if (meta) {
    body.cost_usd = meta.costUsd;
    body.savings_usd = meta.savingsUsd;
  }
  return body;
}

function completionId(id: string): string {
  return id.startsWith("chatcmpl-") ? id : `chatcmpl-${id || crypto.randomUUID()}`;
}

const FINISH: Record<string, string> = { stop: "stop", length: "length", tool_calls: "tool_calls", content_filter: "content_filter", error: "stop", other: "stop" };

export class OpenAiStreamEncoder implements StreamEncoder {
  private id = "";
  private model = "";
  private created = Math.floor(Date.now() / 1000);
  private usage: Usage = { inputTokens: 0, outputTokens: 0 };
  private finish = "stop";
  private roleSent = false;

  constructor(private readonly includeUsage: boolean, private readonly requestedModel: string) {}

  private chunk(delta: Record<string, unknown>, finish: string | null = null): string {
    return encodeSse({
      data: JSON.stringify({
        id: this.id,
        object: "chat.completion.chunk",
        created: this.created,
        model: this.model || this.requestedModel,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      }),
    });
  }

  private opening(): string {
    if (this.roleSent) return "";
    this.roleSent = true;
    if (!this.id) this.id = completionId("");
    return this.chunk({ role: "assistant", content: "" });
  }

  event(e: ChatEvent): string {
    switch (e.type) {
      case "start":
        this.id = completionId(e.id);
        if (e.created) this.created = e.created;
        return this.opening();
      case "text_delta":
        return this.opening() + this.chunk({ content: e.text });
      case "thinking_delta":
        return this.opening() + this.chunk({ reasoning_content: e.text });
      case "tool_call_start":
        return this.opening() + this.chunk({ tool_calls: [{ index: e.index, id: e.id, type: "function", function: { name: e.name, arguments: "" } }] });
      case "tool_call_delta":
        return this.chunk({ tool_calls: [{ index: e.index, function: { arguments: e.argumentsDelta } }] });
      case "usage":
        this.usage = e.usage;
        return "";
      case "finish":
        this.finish = FINISH[e.reason] ?? "stop";
        return "";
      default:
        return "";
    }
  }

  end(meta: BridgeMeta): string {
    this.model = this.requestedModel;
    let out = this.opening() + this.chunk({}, this.finish);
    if (this.includeUsage) {
      out += encodeSse({
        data: JSON.stringify({ id: this.id, object: "chat.completion.chunk", created: this.created, model: this.model, choices: [], usage: openAiUsageBody(this.usage, meta) }),
      });
    }
    return `${out}${encodeSse({ data: "[DONE]" })}`;
  }

  fail(error: BridgeError): string {
    return encodeSse({ data: JSON.stringify(openAiErrorBody(error)) });
  }
}

export function openAiErrorBody(error: BridgeError, param?: string) {
  const type =
    error.kind === "invalid_request" || error.kind === "not_found" || error.kind === "too_large"
      ? "invalid_request_error"
      : error.kind === "authentication"
        ? "authentication_error"
        : error.kind === "permission"
          ? "permission_error"
          : error.kind === "rate_limit"
            ? "rate_limit_error"
            : error.kind === "quota"
              ? "insufficient_quota"
              : "server_error";
  const code =
    error.kind === "not_found"
      ? "model_not_found"
      : error.kind === "authentication"
        ? "invalid_api_key"
        : error.kind === "rate_limit"
          ? "rate_limit_exceeded"
          : error.kind === "quota"
            ? "insufficient_quota"
            : null;
  return { error: { message: error.message, type, param: param ?? null, code } };
}

export function encodeOpenAiResponse(res: ChatResponse, meta: BridgeMeta, req: ChatRequest) {
  const text = res.content.filter((c) => c.type === "text").map((c) => c.text).join("");
  const reasoning = res.content.filter((c): c is ThinkingPart => c.type === "thinking" && !c.redacted).map((c) => c.text).join("");
  const calls = res.content.filter((c) => c.type === "tool_call");
  const message: Record<string, unknown> = { role: "assistant", content: text || (calls.length ? null : ""), refusal: null };
  if (reasoning) message.reasoning_content = reasoning;
  if (calls.length) message.tool_calls = calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments || "{}" } }));
  return {
    id: completionId(res.id),
    object: "chat.completion",
    created: res.created || Math.floor(Date.now() / 1000),
    model: req.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH[res.finishReason] ?? "stop" }],
    usage: openAiUsageBody(res.usage, meta),
  };
}

export const openAiDialect: Dialect = {
  name: "openai",
  parse: (body) => parseOpenAiChat(body),
  streamEncoder: (req) => new OpenAiStreamEncoder(req.includeUsage, req.model),
  encodeResponse: encodeOpenAiResponse,
  encodeError: (error, param) => {
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
    return { status: error.status, body: openAiErrorBody(error, param), headers };
  },
};
