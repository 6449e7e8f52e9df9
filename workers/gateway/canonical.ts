/**
 * The bridge's own vocabulary. Every inbound dialect parses into a ChatRequest and every upstream's
 * answer is decoded into ChatEvents; encoders turn ChatEvents back into the caller's dialect. Nothing
 * here knows any provider's wire format.
 */

export type JsonSchema = Record<string, unknown>;

export interface TextPart {
  type: "text";
  text: string;
  /** Anthropic prompt caching breakpoint requested by the caller on this block. */
  cache?: boolean;
}

export interface ImagePart {
  type: "image";
  /** Either a URL (http(s) or data:) or inline base64 with its media type. */
  url?: string;
  data?: string;
  mediaType?: string;
  detail?: "auto" | "low" | "high";
}

export interface ThinkingPart {
  type: "thinking";
  text: string;
  /** Opaque proof from the provider that must be sent back unchanged on the next turn. */
  signature?: string;
  /** Anthropic redacted_thinking: `text` holds the opaque data. */
  redacted?: boolean;
}

export interface ToolCallPart {
  type: "tool_call";
  id: string;
  name: string;
  /** JSON text, exactly as produced (providers stream it in pieces; some send invalid JSON). */
  arguments: string;
  /** Gemini thought signature attached to a functionCall part. */
  signature?: string;
}

export interface ToolResultPart {
  type: "tool_result";
  toolCallId: string;
  /** Gemini addresses results by function name, not id. */
  name?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
}

export type ContentPart = TextPart | ImagePart | ThinkingPart | ToolCallPart | ToolResultPart;

export type Role = "user" | "assistant" | "tool";

export interface Message {
  role: Role;
  content: ContentPart[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: JsonSchema;
}

export type ToolChoice = { type: "auto" } | { type: "none" } | { type: "required" } | { type: "tool"; name: string };

export type ResponseFormat = { type: "text" } | { type: "json"; schema?: JsonSchema; name?: string; strict?: boolean };

export type Dialect = "openai" | "anthropic" | "gemini";

export interface ChatRequest {
  /** The model name exactly as the caller wrote it (resolution to a target happens later). */
  model: string;
  system: TextPart[];
  messages: Message[];
  tools: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop: string[];
  seed?: number;
  responseFormat?: ResponseFormat;
  /** Extended thinking / reasoning: a token budget, or an effort level for OpenAI-style reasoning models. */
  thinking?: { budgetTokens?: number; effort?: "low" | "medium" | "high" };
  stream: boolean;
  /** The caller wants usage in the stream (OpenAI include_usage); we always collect it for metering. */
  includeUsage: boolean;
  /** End-user id for abuse tracking, passed through where the provider has a field for it. */
  user?: string;
  /** Gemini safetySettings, passed through unchanged to Gemini targets (other targets have no equivalent). */
  safetySettings?: unknown[];
  /** Settings the caller sent that have no canonical meaning; reported as warnings, never silently dropped. */
  unsupported: string[];
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "error" | "other";

/**
 * Token counts, OpenAI-style: `inputTokens` is the whole prompt, cached and cache-written tokens included
 * (Anthropic reports those separately; its decoder adds them in), so cost = rates applied to the parts.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache (billed at the cached rate). */
  cachedInputTokens?: number;
  /** Input tokens written to the prompt cache (Anthropic cache_creation_input_tokens). */
  cacheWriteTokens?: number;
  /** Output tokens spent on reasoning (included in outputTokens). */
  reasoningTokens?: number;
}

/** An upstream failure, carried in the canonical stream so each encoder can render it in its dialect. */
export interface BridgeError {
  status: number;
  /** Canonical kind; each dialect maps it to its own type/status names. */
  kind: "invalid_request" | "authentication" | "permission" | "not_found" | "rate_limit" | "quota" | "overloaded" | "upstream" | "timeout" | "too_large";
  message: string;
  retryAfterSeconds?: number;
}

export type ChatEvent =
  | { type: "start"; id: string; model: string; created: number }
  | { type: "text_delta"; text: string }
  | { type: "thinking_delta"; text: string }
  | { type: "thinking_signature"; signature: string }
  | { type: "redacted_thinking"; data: string }
  | { type: "tool_call_start"; index: number; id: string; name: string; signature?: string }
  | { type: "tool_call_delta"; index: number; argumentsDelta: string }
  | { type: "tool_call_end"; index: number }
  | { type: "usage"; usage: Usage }
  | { type: "finish"; reason: FinishReason; stopSequence?: string }
  | { type: "error"; error: BridgeError };

/** A whole (non-streamed) answer, assembled from events. */
export interface ChatResponse {
  id: string;
  model: string;
  created: number;
  content: Array<TextPart | ThinkingPart | ToolCallPart>;
  finishReason: FinishReason;
  stopSequence?: string;
  usage: Usage;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0 };
}
