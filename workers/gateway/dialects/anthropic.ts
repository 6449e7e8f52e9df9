import { z } from "zod";
import type { BridgeError, ChatEvent, ChatRequest, ChatResponse, ContentPart, FinishReason, ImagePart, Message, TextPart, Usage } from "../canonical";
import { encodeSse } from "../sse";
import { invalid, type BridgeMeta, type Dialect, type StreamEncoder } from "./types";

/** The Anthropic Messages dialect: what the @anthropic-ai/sdk and Claude Code (ANTHROPIC_BASE_URL) speak. */

const cacheControl = z.object({ type: z.string() }).passthrough().optional();
const textBlock = z.object({ type: z.literal("text"), text: z.string(), cache_control: cacheControl }).passthrough();
const imageBlock = z
  .object({
    type: z.literal("image"),
    source: z.union([
      z.object({ type: z.literal("base64"), media_type: z.string(), data: z.string() }),
      z.object({ type: z.literal("url"), url: z.string() }),
    ]),
    cache_control: cacheControl,
  })
  .passthrough();
const toolUseBlock = z.object({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.unknown(), cache_control: cacheControl }).passthrough();
const toolResultBlock = z
  .object({
    type: z.literal("tool_result"),
    tool_use_id: z.string(),
    content: z.union([z.string(), z.array(z.union([textBlock, imageBlock]))]).optional(),
    is_error: z.boolean().optional(),
    cache_control: cacheControl,
  })
  .passthrough();
const thinkingBlock = z.object({ type: z.literal("thinking"), thinking: z.string(), signature: z.string().optional() }).passthrough();
const redactedBlock = z.object({ type: z.literal("redacted_thinking"), data: z.string() }).passthrough();
const block = z.discriminatedUnion("type", [textBlock, imageBlock, toolUseBlock, toolResultBlock, thinkingBlock, redactedBlock]);

const messageSchema = z.object({ role: z.enum(["user", "assistant"]), content: z.union([z.string(), z.array(block)]) });

const toolSchema = z
  .object({
    name: z.string().min(1).max(128),
    description: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()),
    type: z.literal("custom").optional(),
    cache_control: cacheControl,
  })
  .passthrough();

export const anthropicBody = z
  .object({
    model: z.string().min(1),
    max_tokens: z.number().int().positive(),
    messages: z.array(messageSchema),
    system: z.union([z.string(), z.array(textBlock)]).optional(),
    tools: z.array(z.unknown()).optional(),
    tool_choice: z
      .object({ type: z.enum(["auto", "any", "tool", "none"]), name: z.string().optional(), disable_parallel_tool_use: z.boolean().optional() })
      .optional(),
    thinking: z
      .union([
        z.object({ type: z.literal("enabled"), budget_tokens: z.number().int().min(1024) }),
        z.object({ type: z.literal("disabled") }),
        z.object({ type: z.literal("adaptive") }).passthrough(),
      ])
      .optional(),
    stop_sequences: z.array(z.string()).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    stream: z.boolean().optional(),
    metadata: z.object({ user_id: z.string().nullable().optional() }).passthrough().optional(),
  })
  .passthrough();

const KNOWN_IGNORED = new Set(["service_tier", "container", "mcp_servers", "context_management", "betas"]);

function zodProblem(err: z.ZodError): { message: string; param: string } {
  const issue = err.issues[0]!;
  const param = issue.path.map(String).join(".");
  return { message: `${param || "body"}: ${issue.message}`, param };
}

function imagePart(b: z.infer<typeof imageBlock>): ImagePart {
  return b.source.type === "base64" ? { type: "image", data: b.source.data, mediaType: b.source.media_type } : { type: "image", url: b.source.url };
}

function toParts(content: z.infer<typeof messageSchema>["content"], role: "user" | "assistant"): ContentPart[] {
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  return content.map((b): ContentPart => {
    switch (b.type) {
      case "text":
        return b.cache_control ? { type: "text", text: b.text, cache: true } : { type: "text", text: b.text };
      case "image":
        return imagePart(b);
      case "tool_use":
        return { type: "tool_call", id: b.id, name: b.name, arguments: JSON.stringify(b.input ?? {}) };
      case "tool_result": {
        const c = b.content === undefined ? [] : typeof b.content === "string" ? [{ type: "text" as const, text: b.content }] : b.content.map((x) => (x.type === "text" ? { type: "text" as const, text: x.text } : imagePart(x)));
        return { type: "tool_result", toolCallId: b.tool_use_id, content: c, ...(b.is_error ? { isError: true } : {}) };
      }
      case "thinking":
        return { type: "thinking", text: b.thinking, ...(b.signature ? { signature: b.signature } : {}) };
      case "redacted_thinking":
        if (role !== "assistant") throw invalid("redacted_thinking blocks are only valid in assistant messages");
        return { type: "thinking", text: b.data, redacted: true };
    }
  });
}

/** POST /v1/messages/count_tokens: a Messages request without the need for max_tokens. */
export const anthropicCountTokensBody = anthropicBody.extend({ max_tokens: z.number().int().positive().optional() });

export function parseAnthropicMessages(body: unknown, opts: { requireMaxTokens?: boolean } = {}): ChatRequest {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw invalid("The request body must be a JSON object");
  const schema = opts.requireMaxTokens === false ? anthropicCountTokensBody : anthropicBody;
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const { message, param } = zodProblem(parsed.error);
    throw invalid(message, param);
  }
  const b = parsed.data;
  const unsupported: string[] = [];
  for (const k of Object.keys(body)) {
    if (KNOWN_IGNORED.has(k)) unsupported.push(`${k} is not supported by the bridge and was ignored`);
    else if (!(k in anthropicBody.shape)) unsupported.push(`unknown parameter ${k} was ignored`);
  }
  const tools = (b.tools ?? []).map((raw, i) => {
    const t = toolSchema.safeParse(raw);
    if (!t.success) {
      const type = (raw as { type?: unknown })?.type;
      if (typeof type === "string" && type !== "custom") throw invalid(`tools.${i}: server tool '${type}' is not supported by the bridge; define it as a custom tool`, `tools.${i}.type`);
      throw invalid(`tools.${i}: ${zodProblem(t.error).message}`, `tools.${i}`);
    }
    return { name: t.data.name, ...(t.data.description ? { description: t.data.description } : {}), parameters: t.data.input_schema };
  });
  const system: TextPart[] =
    b.system === undefined ? [] : typeof b.system === "string" ? (b.system ? [{ type: "text", text: b.system }] : []) : b.system.map((s) => (s.cache_control ? { type: "text", text: s.text, cache: true } : { type: "text", text: s.text }));
  const messages: Message[] = b.messages.map((m) => ({ role: m.role, content: toParts(m.content, m.role) }));
  const req: ChatRequest = {
    model: b.model,
    system,
    messages,
    tools,
    stop: b.stop_sequences ?? [],
    stream: b.stream === true,
    includeUsage: true,
    unsupported,
  };
  if (b.max_tokens !== undefined) req.maxTokens = b.max_tokens;
  if (b.tool_choice) {
    const tc = b.tool_choice;
    if (tc.type === "tool") {
      if (!tc.name) throw invalid("tool_choice.name: required when tool_choice.type is 'tool'", "tool_choice.name");
      req.toolChoice = { type: "tool", name: tc.name };
    } else req.toolChoice = { type: tc.type === "any" ? "required" : tc.type };
    if (tc.disable_parallel_tool_use) req.parallelToolCalls = false;
  }
  if (b.thinking?.type === "enabled") req.thinking = { budgetTokens: b.thinking.budget_tokens };
  if (b.thinking?.type === "adaptive") req.thinking = { effort: "medium" };
  if (b.temperature !== undefined) req.temperature = b.temperature;
  if (b.top_p !== undefined) req.topP = b.top_p;
  if (b.top_k !== undefined) req.topK = b.top_k;
  if (b.metadata?.user_id) req.user = b.metadata.user_id;
  return req;
}

export function anthropicStopReason(reason: FinishReason, stopSequence?: string): string {
  if (stopSequence !== undefined) return "stop_sequence";
  switch (reason) {
    case "length":
      return "max_tokens";
    case "tool_calls":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}

/** Canonical input includes cache reads/writes; Anthropic reports them beside input_tokens. */
export function anthropicUsageBody(u: Usage, meta?: BridgeMeta) {
  const cached = u.cachedInputTokens ?? 0;
  const written = u.cacheWriteTokens ?? 0;
  const body: Record<string, unknown> = {
    input_tokens: Math.max(0, u.inputTokens - cached - written),
    cache_creation_input_tokens: written,
    cache_read_input_tokens: cached,
    output_tokens: u.outputTokens,
  };
  if (u.reasoningTokens) body.output_tokens_details = { thinking_tokens: u.reasoningTokens };
  if (meta) {
    body.cost_usd = meta.costUsd;
    body.savings_usd = meta.savingsUsd;
  }
  return body;
}

function messageId(id: string): string {
  return id.startsWith("msg_") ? id : `msg_${(id || crypto.randomUUID()).replace(/[^A-Za-z0-9]/g, "")}`;
}

function toolUseId(id: string): string {
  return /^[A-Za-z0-9_-]+$/.test(id) ? id : `toolu_${id.replace(/[^A-Za-z0-9_-]/g, "")}`;
}

const frame = (event: string, data: unknown) => encodeSse({ event, data: JSON.stringify(data) });

type OpenBlock = { kind: "text" | "thinking" | "tool"; index: number; toolIndex?: number };

export class AnthropicStreamEncoder implements StreamEncoder {
  private started = false;
  private id = "";
  private blockCount = 0;
  private open: OpenBlock | undefined;
  private usage: Usage = { inputTokens: 0, outputTokens: 0 };
  private finish: FinishReason = "stop";
  private stopSequence: string | undefined;

  constructor(private readonly model: string, private readonly estimatedInputTokens = 0) {}

  private begin(): string {
    if (this.started) return "";
    this.started = true;
    const message = {
      id: messageId(this.id),
      type: "message",
      role: "assistant",
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: anthropicUsageBody({ ...this.usage, inputTokens: this.usage.inputTokens || this.estimatedInputTokens, outputTokens: 1 }),
    };
    return frame("message_start", { type: "message_start", message }) + frame("ping", { type: "ping" });
  }

  private close(): string {
    if (!this.open) return "";
    const out = frame("content_block_stop", { type: "content_block_stop", index: this.open.index });
    this.open = undefined;
    return out;
  }

  private openBlock(kind: OpenBlock["kind"], block: unknown, toolIndex?: number): string {
    const out = this.close();
    const index = this.blockCount++;
    this.open = toolIndex === undefined ? { kind, index } : { kind, index, toolIndex };
    return out + frame("content_block_start", { type: "content_block_start", index, content_block: block });
  }

  private delta(delta: unknown): string {
    return frame("content_block_delta", { type: "content_block_delta", index: this.open!.index, delta });
  }

  event(e: ChatEvent): string {
    switch (e.type) {
      case "start":
        this.id = e.id;
        return this.begin();
      case "usage":
        this.usage = e.usage;
        return "";
      case "text_delta": {
        let out = this.begin();
        if (this.open?.kind !== "text") out += this.openBlock("text", { type: "text", text: "" });
        return out + this.delta({ type: "text_delta", text: e.text });
      }
      case "thinking_delta": {
        let out = this.begin();
        if (this.open?.kind !== "thinking") out += this.openBlock("thinking", { type: "thinking", thinking: "", signature: "" });
        return out + this.delta({ type: "thinking_delta", thinking: e.text });
      }
      case "thinking_signature": {
        let out = this.begin();
        if (this.open?.kind !== "thinking") out += this.openBlock("thinking", { type: "thinking", thinking: "", signature: "" });
        return out + this.delta({ type: "signature_delta", signature: e.signature }) + this.close();
      }
      case "redacted_thinking":
        return this.begin() + this.openBlock("thinking", { type: "redacted_thinking", data: e.data }) + this.close();
      case "tool_call_start":
        return this.begin() + this.openBlock("tool", { type: "tool_use", id: toolUseId(e.id), name: e.name, input: {} }, e.index);
      case "tool_call_delta":
        // Anthropic blocks cannot interleave; upstreams stream one call at a time, so a delta for another
        // call can only arrive after that call's block was closed by a newer one and is not representable.
        if (this.open?.kind !== "tool" || this.open.toolIndex !== e.index) return "";
        return this.delta({ type: "input_json_delta", partial_json: e.argumentsDelta });
      case "tool_call_end":
        return this.open?.kind === "tool" && this.open.toolIndex === e.index ? this.close() : "";
      case "finish":
        this.finish = e.reason;
        this.stopSequence = e.stopSequence;
        return "";
      default:
        return "";
    }
  }

  end(meta: BridgeMeta): string {
    return (
      this.begin() +
      this.close() +
      frame("message_delta", {
        type: "message_delta",
        delta: { stop_reason: anthropicStopReason(this.finish, this.stopSequence), stop_sequence: this.stopSequence ?? null },
        usage: anthropicUsageBody(this.usage, meta),
      }) +
      frame("message_stop", { type: "message_stop" })
    );
  }

  fail(error: BridgeError): string {
    return this.begin() + frame("error", anthropicErrorBody(error));
  }
}

export function anthropicErrorType(error: BridgeError): string {
  switch (error.kind) {
    case "invalid_request":
      return "invalid_request_error";
    case "authentication":
      return "authentication_error";
    case "permission":
      return "permission_error";
    case "not_found":
      return "not_found_error";
    case "too_large":
      return "request_too_large";
    case "rate_limit":
    case "quota":
      return "rate_limit_error";
    case "overloaded":
      return "overloaded_error";
    case "timeout":
      return "timeout_error";
    default:
      return "api_error";
  }
}

export function anthropicErrorBody(error: BridgeError, requestId?: string) {
  return { type: "error", error: { type: anthropicErrorType(error), message: error.message }, ...(requestId ? { request_id: requestId } : {}) };
}

export function encodeAnthropicResponse(res: ChatResponse, meta: BridgeMeta, req: ChatRequest) {
  const content = res.content.map((c) => {
    if (c.type === "text") return { type: "text", text: c.text };
    if (c.type === "thinking") return c.redacted ? { type: "redacted_thinking", data: c.text } : { type: "thinking", thinking: c.text, signature: c.signature ?? "" };
    let input: unknown = {};
    try {
      input = c.arguments ? JSON.parse(c.arguments) : {};
    } catch {
      input = {};
    }
    return { type: "tool_use", id: toolUseId(c.id), name: c.name, input };
  });
  return {
    id: messageId(res.id),
    type: "message",
    role: "assistant",
    model: req.model,
    content,
    stop_reason: anthropicStopReason(res.finishReason, res.stopSequence),
    stop_sequence: res.stopSequence ?? null,
    usage: anthropicUsageBody(res.usage, meta),
  };
}

export const anthropicDialect: Dialect = {
  name: "anthropic",
  parse: (body) => parseAnthropicMessages(body),
  streamEncoder: (req) => new AnthropicStreamEncoder(req.model),
  encodeResponse: encodeAnthropicResponse,
  encodeError: (error) => {
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.retryAfterSeconds);
    const status = error.kind === "overloaded" && error.status === 503 ? 529 : error.status;
    return { status, body: anthropicErrorBody(error), headers };
  },
};
