import type { BridgeError, ChatEvent, ChatRequest, ContentPart, FinishReason, ImagePart, Message, TextPart, Usage } from "../canonical";
import { upstreamError, type Provider, type StreamDecoder, type Target, type UpstreamCall } from "./types";

/**
 * OpenAI Chat Completions as an upstream, and every OpenAI-compatible server (vLLM and SGLang on RunPod,
 * DeepSeek, Groq, xAI...) through the same code: `compat` switches the few places they differ.
 */
export interface OpenAiFlavor {
  /** OpenAI proper rejects `max_tokens` on reasoning models; compatible servers often only know `max_tokens`. */
  maxTokensField: "max_completion_tokens" | "max_tokens";
  /** vLLM/SGLang accept top_k; OpenAI does not. */
  supportsTopK: boolean;
}

export const OPENAI_FLAVOR: OpenAiFlavor = { maxTokensField: "max_completion_tokens", supportsTopK: false };
export const VLLM_FLAVOR: OpenAiFlavor = { maxTokensField: "max_tokens", supportsTopK: true };

type Json = Record<string, unknown>;

function imageUrl(p: ImagePart): string {
  return p.url ?? `data:${p.mediaType ?? "image/png"};base64,${p.data ?? ""}`;
}

function userContent(parts: Array<TextPart | ImagePart>): string | Json[] {
  if (parts.every((p) => p.type === "text")) return parts.map((p) => (p as TextPart).text).join("");
  return parts.map((p) =>
    p.type === "text" ? { type: "text", text: p.text } : { type: "image_url", image_url: { url: imageUrl(p), ...(p.detail ? { detail: p.detail } : {}) } },
  );
}

function textOf(parts: Array<TextPart | ImagePart>): string {
  return parts.map((p) => (p.type === "text" ? p.text : "[image]")).join("");
}

/** Canonical messages to OpenAI's: tool results become `tool` messages, thinking is not sent back (OpenAI keeps it server-side). */
export function toOpenAiMessages(system: TextPart[], messages: Message[]): Json[] {
  const out: Json[] = [];
  if (system.length) out.push({ role: "system", content: system.map((s) => s.text).join("\n\n") });
  for (const m of messages) {
    if (m.role === "assistant") {
      const text = m.content.filter((p): p is TextPart => p.type === "text").map((p) => p.text).join("");
      const calls = m.content.filter((p) => p.type === "tool_call");
      const msg: Json = { role: "assistant", content: text || (calls.length ? null : "") };
      if (calls.length) msg.tool_calls = calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments || "{}" } }));
      out.push(msg);
      continue;
    }
    // user / tool: tool results first (they answer the previous assistant turn), then any other content.
    const rest: Array<TextPart | ImagePart> = [];
    for (const p of m.content as ContentPart[]) {
      if (p.type === "tool_result") {
        const content = textOf(p.content);
        out.push({ role: "tool", tool_call_id: p.toolCallId, content: p.isError ? `Error: ${content}` : content });
      } else if (p.type === "text" || p.type === "image") {
        rest.push(p);
      }
    }
    if (rest.length) out.push({ role: "user", content: userContent(rest) });
  }
  return out;
}

export function buildOpenAiRequest(req: ChatRequest, target: Target, flavor: OpenAiFlavor = OPENAI_FLAVOR): UpstreamCall {
  const warnings = [...req.unsupported];
  if (req.safetySettings?.length) warnings.push("safetySettings apply only to Gemini targets and were not sent");
  const body: Json = { model: target.model, messages: toOpenAiMessages(req.system, req.messages), stream: req.stream };
  if (req.stream) body.stream_options = { include_usage: true }; // always: metering needs usage
  if (req.maxTokens !== undefined) body[flavor.maxTokensField] = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) {
    if (flavor.supportsTopK) body.top_k = req.topK;
    else warnings.push("top_k is not supported by this target and was not sent");
  }
  if (req.stop.length) body.stop = req.stop.slice(0, 4);
  if (req.stop.length > 4) warnings.push("only the first 4 stop sequences were sent");
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.user !== undefined) body.user = req.user;
  if (req.tools.length) {
    body.tools = req.tools.map((t) => ({
      type: "function",
      function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters },
    }));
    if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  }
  if (req.toolChoice) {
    body.tool_choice = req.toolChoice.type === "tool" ? { type: "function", function: { name: req.toolChoice.name } } : req.toolChoice.type;
  }
  if (req.responseFormat?.type === "json") {
    body.response_format = req.responseFormat.schema
      ? { type: "json_schema", json_schema: { name: req.responseFormat.name ?? "response", schema: req.responseFormat.schema, ...(req.responseFormat.strict !== undefined ? { strict: req.responseFormat.strict } : {}) } }
      : { type: "json_object" };
  }
  if (req.thinking) {
    if (req.thinking.effort) body.reasoning_effort = req.thinking.effort;
    else if (req.thinking.budgetTokens !== undefined) body.reasoning_effort = req.thinking.budgetTokens >= 16_000 ? "high" : req.thinking.budgetTokens >= 4_000 ? "medium" : "low";
  }
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  return { path: "/chat/completions", headers, body, warnings };
}

export function openAiFinish(reason: unknown): FinishReason {
  switch (reason) {
    case "stop":
    case "end_turn":
      return "stop";
    case "length":
      return "length";
    case "tool_calls":
    case "function_call":
      return "tool_calls";
    case "content_filter":
      return "content_filter";
    default:
      return "other";
  }
}

export function openAiUsage(u: unknown): Usage | undefined {
  if (!u || typeof u !== "object") return undefined;
  const x = u as { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number }; completion_tokens_details?: { reasoning_tokens?: number } };
  const reasoning = x.completion_tokens_details?.reasoning_tokens ?? 0;
  const completion = x.completion_tokens ?? 0;
  // OpenAI counts reasoning inside completion_tokens; some compatible APIs (xAI) report it on top. A reasoning
  // count larger than the completion count can only mean "on top", and those tokens are billed too.
  const usage: Usage = { inputTokens: x.prompt_tokens ?? 0, outputTokens: reasoning > completion ? completion + reasoning : completion };
  if (x.prompt_tokens_details?.cached_tokens) usage.cachedInputTokens = x.prompt_tokens_details.cached_tokens;
  if (reasoning) usage.reasoningTokens = reasoning;
  return usage;
}

interface ChunkToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

/** Streams: maps upstream tool-call indexes (which may start at 1, see the gateway fixture) to ours, in order of appearance. */
export class OpenAiStreamDecoder implements StreamDecoder {
  private started = false;
  private finished = false;
  private toolIndex = new Map<number, number>();
  private open = new Set<number>();

  push(data: string): ChatEvent[] {
    if (data === "[DONE]") return [];
    let chunk: Json;
    try {
      chunk = JSON.parse(data) as Json;
    } catch {
      return [{ type: "error", error: { status: 502, kind: "upstream", message: "Upstream sent a malformed stream chunk" } }];
    }
    const out: ChatEvent[] = [];
    if (chunk.error) {
      const e = chunk.error as { message?: string };
      return [{ type: "error", error: { status: 502, kind: "upstream", message: e.message ?? "Upstream stream error" } }];
    }
    const choices = (chunk.choices as Json[] | undefined) ?? [];
    if (!this.started && (choices.length > 0 || chunk.usage)) {
      if (typeof chunk.id === "string" && chunk.id) {
        this.started = true;
        out.push({ type: "start", id: chunk.id, model: String(chunk.model ?? ""), created: Number(chunk.created ?? 0) });
      }
    }
    for (const choice of choices) {
      if ((choice.index ?? 0) !== 0) continue;
      const delta = (choice.delta ?? {}) as { content?: string | null; reasoning_content?: string | null; reasoning?: string | null; tool_calls?: ChunkToolCall[] };
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === "string" && reasoning) out.push({ type: "thinking_delta", text: reasoning });
      if (typeof delta.content === "string" && delta.content) out.push({ type: "text_delta", text: delta.content });
      for (const tc of delta.tool_calls ?? []) {
        const upstreamIndex = tc.index ?? 0;
        let index = this.toolIndex.get(upstreamIndex);
        if (index === undefined) {
          index = this.toolIndex.size;
          this.toolIndex.set(upstreamIndex, index);
          this.open.add(index);
          out.push({ type: "tool_call_start", index, id: tc.id ?? `call_${index}`, name: tc.function?.name ?? "" });
        }
        if (tc.function?.arguments) out.push({ type: "tool_call_delta", index, argumentsDelta: tc.function.arguments });
      }
      if (choice.finish_reason) {
        out.push(...this.closeTools());
        this.finished = true;
        out.push({ type: "finish", reason: openAiFinish(choice.finish_reason) });
      }
    }
    const usage = openAiUsage(chunk.usage);
    if (usage) out.push({ type: "usage", usage });
    return out;
  }

  end(): ChatEvent[] {
    return this.closeTools();
  }

  get sawFinish(): boolean {
    return this.finished;
  }

  private closeTools(): ChatEvent[] {
    const out: ChatEvent[] = [...this.open].map((index) => ({ type: "tool_call_end" as const, index }));
    this.open.clear();
    return out;
  }
}

export function decodeOpenAiResponse(json: unknown): ChatEvent[] {
  const r = (json ?? {}) as Json;
  const out: ChatEvent[] = [{ type: "start", id: String(r.id ?? ""), model: String(r.model ?? ""), created: Number(r.created ?? 0) }];
  const choice = ((r.choices as Json[] | undefined) ?? [])[0] ?? {};
  const msg = (choice.message ?? {}) as { content?: string | null; reasoning_content?: string | null; reasoning?: string | null; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }> };
  const reasoning = msg.reasoning_content ?? msg.reasoning;
  if (reasoning) out.push({ type: "thinking_delta", text: reasoning });
  if (msg.content) out.push({ type: "text_delta", text: msg.content });
  (msg.tool_calls ?? []).forEach((tc, index) => {
    out.push({ type: "tool_call_start", index, id: tc.id, name: tc.function.name });
    if (tc.function.arguments) out.push({ type: "tool_call_delta", index, argumentsDelta: tc.function.arguments });
    out.push({ type: "tool_call_end", index });
  });
  out.push({ type: "finish", reason: openAiFinish(choice.finish_reason) });
  const usage = openAiUsage(r.usage);
  if (usage) out.push({ type: "usage", usage });
  return out;
}

export function decodeOpenAiError(status: number, body: string, headers: Headers): BridgeError {
  return upstreamError(status, body, headers, (parsed) => {
    const p = parsed as { error?: { message?: string } | string; message?: string };
    return { message: typeof p.error === "string" ? p.error : (p.error?.message ?? p.message) };
  });
}

export const openAiProvider: Provider = {
  name: "openai",
  buildRequest: (req, target) => buildOpenAiRequest(req, target, OPENAI_FLAVOR),
  decodeResponse: decodeOpenAiResponse,
  streamDecoder: () => new OpenAiStreamDecoder(),
  decodeError: decodeOpenAiError,
};
