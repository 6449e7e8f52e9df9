import type { BridgeError, ChatEvent, ChatRequest, FinishReason, ImagePart, Message, TextPart, Usage } from "../canonical";
import { errorKind, upstreamError, type Provider, type StreamDecoder, type Target, type UpstreamCall } from "./types";

/** Anthropic Messages API as an upstream. */

export const ANTHROPIC_VERSION = "2023-06-01";
/** The Messages API requires max_tokens; used when the caller gave none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

type Json = Record<string, unknown>;

function imageBlock(p: ImagePart): Json {
  if (p.data !== undefined) return { type: "image", source: { type: "base64", media_type: p.mediaType ?? "image/png", data: p.data } };
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(p.url ?? "");
  if (m) return { type: "image", source: { type: "base64", media_type: m[1], data: m[2] } };
  return { type: "image", source: { type: "url", url: p.url } };
}

function textBlock(p: TextPart): Json {
  return p.cache ? { type: "text", text: p.text, cache_control: { type: "ephemeral" } } : { type: "text", text: p.text };
}

export function toAnthropicMessages(messages: Message[]): Json[] {
  const out: Json[] = [];
  for (const m of messages) {
    const role = m.role === "assistant" ? "assistant" : "user";
    const blocks: Json[] = [];
    for (const p of m.content) {
      switch (p.type) {
        case "text":
          if (p.text) blocks.push(textBlock(p));
          break;
        case "image":
          blocks.push(imageBlock(p));
          break;
        case "thinking":
          // Only Anthropic-signed thinking can be replayed; thinking from other providers has no valid signature.
          if (p.redacted) blocks.push({ type: "redacted_thinking", data: p.text });
          else if (p.signature) blocks.push({ type: "thinking", thinking: p.text, signature: p.signature });
          break;
        case "tool_call": {
          let input: unknown = {};
          try {
            input = p.arguments ? JSON.parse(p.arguments) : {};
          } catch {
            input = { _raw: p.arguments };
          }
          blocks.push({ type: "tool_use", id: p.id, name: p.name, input });
          break;
        }
        case "tool_result":
          blocks.push({
            type: "tool_result",
            tool_use_id: p.toolCallId,
            content: p.content.map((c) => (c.type === "text" ? textBlock(c) : imageBlock(c))),
            ...(p.isError ? { is_error: true } : {}),
          });
          break;
      }
    }
    if (!blocks.length) continue;
    // The API wants alternating roles: merge consecutive same-role turns (tool results + follow-up text).
    const prev = out.at(-1);
    if (prev && prev.role === role) (prev.content as Json[]).push(...blocks);
    else out.push({ role, content: blocks });
  }
  return out;
}

export function buildAnthropicRequest(req: ChatRequest, target: Target): UpstreamCall {
  const warnings = [...req.unsupported];
  if (req.safetySettings?.length) warnings.push("safetySettings apply only to Gemini targets and were not sent");
  const body: Json = {
    model: target.model,
    max_tokens: req.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages: toAnthropicMessages(req.messages),
    stream: req.stream,
  };
  if (req.system.length) body.system = req.system.map(textBlock);
  if (req.temperature !== undefined) body.temperature = Math.min(1, req.temperature);
  if (req.temperature !== undefined && req.temperature > 1) warnings.push("temperature above 1 was clamped to 1 (Anthropic's maximum)");
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) body.top_k = req.topK;
  if (req.stop.length) body.stop_sequences = req.stop;
  if (req.seed !== undefined) warnings.push("seed is not supported by Anthropic and was not sent");
  if (req.user !== undefined) body.metadata = { user_id: req.user };
  if (req.tools.length) {
    body.tools = req.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), input_schema: t.parameters }));
  }
  if (req.toolChoice && (req.tools.length || req.toolChoice.type === "none")) {
    const tc = req.toolChoice;
    const choice: Json =
      tc.type === "tool" ? { type: "tool", name: tc.name } : tc.type === "required" ? { type: "any" } : { type: tc.type };
    if (req.parallelToolCalls === false && tc.type !== "none") choice.disable_parallel_tool_use = true;
    body.tool_choice = choice;
  } else if (req.parallelToolCalls === false && req.tools.length) {
    body.tool_choice = { type: "auto", disable_parallel_tool_use: true };
  }
  if (req.thinking) {
    const budget = req.thinking.budgetTokens ?? { low: 2048, medium: 8192, high: 24576 }[req.thinking.effort ?? "medium"];
    body.thinking = { type: "enabled", budget_tokens: Math.max(1024, budget) };
    // budget_tokens must stay below max_tokens.
    if ((body.max_tokens as number) <= (body.thinking as { budget_tokens: number }).budget_tokens) {
      body.max_tokens = (body.thinking as { budget_tokens: number }).budget_tokens + (req.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS);
    }
  }
  if (req.responseFormat?.type === "json") {
    // No native JSON mode in the classic API: ask for it, and tell the caller it is best effort.
    const schema = req.responseFormat.schema ? ` matching this JSON schema: ${JSON.stringify(req.responseFormat.schema)}` : "";
    body.system = [...((body.system as Json[] | undefined) ?? []), { type: "text", text: `Respond with a single JSON object${schema}. Output only the JSON.` }];
    warnings.push("response_format is emulated with an instruction on Anthropic models");
  }
  const headers: Record<string, string> = { "content-type": "application/json", "anthropic-version": ANTHROPIC_VERSION };
  if (target.apiKey) headers["x-api-key"] = target.apiKey;
  return { path: "/v1/messages", headers, body, warnings };
}

export function anthropicFinish(reason: unknown): FinishReason {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
    case "pause_turn":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "other";
  }
}

/** Anthropic's input_tokens excludes cache reads and writes; canonical input is the whole prompt. */
export function anthropicUsage(u: unknown): Usage | undefined {
  if (!u || typeof u !== "object") return undefined;
  const x = u as {
    input_tokens?: number;
    output_tokens?: number;
    cache_read_input_tokens?: number | null;
    cache_creation_input_tokens?: number | null;
    output_tokens_details?: { thinking_tokens?: number };
  };
  const cached = x.cache_read_input_tokens ?? 0;
  const written = x.cache_creation_input_tokens ?? 0;
  const usage: Usage = { inputTokens: (x.input_tokens ?? 0) + cached + written, outputTokens: x.output_tokens ?? 0 };
  if (cached) usage.cachedInputTokens = cached;
  if (written) usage.cacheWriteTokens = written;
  if (x.output_tokens_details?.thinking_tokens) usage.reasoningTokens = x.output_tokens_details.thinking_tokens;
  return usage;
}

export class AnthropicStreamDecoder implements StreamDecoder {
  /** Upstream block index -> canonical tool index (only tool_use blocks have one). */
  private tools = new Map<number, number>();
  private blockTypes = new Map<number, string>();
  private stopReason: FinishReason | undefined;
  private stopSequence: string | undefined;
  private finished = false;

  push(data: string): ChatEvent[] {
    let ev: Json;
    try {
      ev = JSON.parse(data) as Json;
    } catch {
      return [{ type: "error", error: { status: 502, kind: "upstream", message: "Upstream sent a malformed stream event" } }];
    }
    switch (ev.type) {
      case "message_start": {
        const m = (ev.message ?? {}) as Json;
        const out: ChatEvent[] = [{ type: "start", id: String(m.id ?? ""), model: String(m.model ?? ""), created: Math.floor(Date.now() / 1000) }];
        const usage = anthropicUsage(m.usage);
        if (usage) out.push({ type: "usage", usage });
        return out;
      }
      case "content_block_start": {
        const index = Number(ev.index ?? 0);
        const block = (ev.content_block ?? {}) as Json;
        this.blockTypes.set(index, String(block.type));
        if (block.type === "tool_use" || block.type === "server_tool_use") {
          const toolIndex = this.tools.size;
          this.tools.set(index, toolIndex);
          return [{ type: "tool_call_start", index: toolIndex, id: String(block.id ?? ""), name: String(block.name ?? "") }];
        }
        if (block.type === "redacted_thinking") return [{ type: "redacted_thinking", data: String(block.data ?? "") }];
        if (block.type === "text" && typeof block.text === "string" && block.text) return [{ type: "text_delta", text: block.text }];
        return [];
      }
      case "content_block_delta": {
        const index = Number(ev.index ?? 0);
        const d = (ev.delta ?? {}) as Json;
        if (d.type === "text_delta" && typeof d.text === "string" && d.text) return [{ type: "text_delta", text: d.text }];
        if (d.type === "thinking_delta" && typeof d.thinking === "string" && d.thinking) return [{ type: "thinking_delta", text: d.thinking }];
        if (d.type === "signature_delta" && typeof d.signature === "string") return [{ type: "thinking_signature", signature: d.signature }];
        if (d.type === "input_json_delta" && typeof d.partial_json === "string" && d.partial_json) {
          const toolIndex = this.tools.get(index);
          return toolIndex === undefined ? [] : [{ type: "tool_call_delta", index: toolIndex, argumentsDelta: d.partial_json }];
        }
        return [];
      }
      case "content_block_stop": {
        const toolIndex = this.tools.get(Number(ev.index ?? 0));
        return toolIndex === undefined ? [] : [{ type: "tool_call_end", index: toolIndex }];
      }
      case "message_delta": {
        const d = (ev.delta ?? {}) as Json;
        const out: ChatEvent[] = [];
        if (d.stop_reason) {
          this.stopReason = anthropicFinish(d.stop_reason);
          if (typeof d.stop_sequence === "string") this.stopSequence = d.stop_sequence;
        }
        const usage = anthropicUsage(ev.usage);
        if (usage) out.push({ type: "usage", usage });
        return out;
      }
      case "message_stop":
        return this.finish();
      case "error": {
        const e = (ev.error ?? {}) as { type?: string; message?: string };
        const status = e.type === "overloaded_error" ? 529 : e.type === "rate_limit_error" ? 429 : 500;
        return [{ type: "error", error: { status, kind: errorKind(status), message: e.message ?? "Upstream stream error" } }];
      }
      default:
        return []; // ping and future event types
    }
  }

  end(): ChatEvent[] {
    return [];
  }

  private finish(): ChatEvent[] {
    if (this.finished) return [];
    this.finished = true;
    const e: ChatEvent = { type: "finish", reason: this.stopReason ?? "stop" };
    if (this.stopSequence !== undefined) e.stopSequence = this.stopSequence;
    return [e];
  }
}

export function decodeAnthropicResponse(json: unknown): ChatEvent[] {
  const r = (json ?? {}) as Json;
  const out: ChatEvent[] = [{ type: "start", id: String(r.id ?? ""), model: String(r.model ?? ""), created: Math.floor(Date.now() / 1000) }];
  let tool = 0;
  for (const b of (r.content as Json[] | undefined) ?? []) {
    if (b.type === "text" && typeof b.text === "string") out.push({ type: "text_delta", text: b.text });
    else if (b.type === "thinking") {
      if (b.thinking) out.push({ type: "thinking_delta", text: String(b.thinking) });
      if (b.signature) out.push({ type: "thinking_signature", signature: String(b.signature) });
    } else if (b.type === "redacted_thinking") out.push({ type: "redacted_thinking", data: String(b.data ?? "") });
    else if (b.type === "tool_use" || b.type === "server_tool_use") {
      out.push({ type: "tool_call_start", index: tool, id: String(b.id ?? ""), name: String(b.name ?? "") });
      out.push({ type: "tool_call_delta", index: tool, argumentsDelta: JSON.stringify(b.input ?? {}) });
      out.push({ type: "tool_call_end", index: tool });
      tool++;
    }
  }
  const finish: ChatEvent = { type: "finish", reason: anthropicFinish(r.stop_reason) };
  if (typeof r.stop_sequence === "string") finish.stopSequence = r.stop_sequence;
  out.push(finish);
  const usage = anthropicUsage(r.usage);
  if (usage) out.push({ type: "usage", usage });
  return out;
}

export function decodeAnthropicError(status: number, body: string, headers: Headers): BridgeError {
  return upstreamError(status, body, headers, (parsed) => ({ message: (parsed as { error?: { message?: string } }).error?.message }));
}

export const anthropicProvider: Provider = {
  name: "anthropic",
  buildRequest: buildAnthropicRequest,
  decodeResponse: decodeAnthropicResponse,
  streamDecoder: () => new AnthropicStreamDecoder(),
  decodeError: decodeAnthropicError,
};
