/**
 * Chat Completions, pure: validate a body as OpenAI (or vLLM) would, plan the deterministic turn, and
 * render it as a `chat.completion` or as `chat.completion.chunk` events (shapes from
 * fixtures/upstream/openai/chat-*.json|chunks.txt).
 */
import type { SseEvent } from "../lib/sse";
import { countTokens, chunkJson, chunkText, stableId } from "../lib/text";
import { planTurn, thinkingFor, type ToolChoice, type Turn, type TurnInput } from "../lib/turn";
import { badRequest, fromZodIssue, type OpenAiFlavor } from "./errors";
import { chatRequestLoose, chatRequestStrict, type ChatMessage, type ChatRequestBody } from "./schema";

/** What an image costs in prompt tokens (OpenAI's low-detail price); counted so images show in usage. */
const IMAGE_TOKENS = 85;

export function parseChatRequest(body: unknown, flavor: OpenAiFlavor): ChatRequestBody {
  const schema = flavor === "openai" ? chatRequestStrict : chatRequestLoose;
  const parsed = schema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw fromZodIssue(parsed.error.issues[0]!);
  return parsed.data as ChatRequestBody;
}

export function contentText(content: ChatMessage["content"]): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content
    .map((p) => (p.type === "text" ? (p as { text: string }).text : p.type === "refusal" ? (p as { refusal: string }).refusal : `[${p.type}]`))
    .join("");
}

/** Only the words of a message: what the reply quotes. */
export function wordsOf(content: ChatMessage["content"]): string {
  if (content == null || typeof content === "string") return content ?? "";
  return content.filter((p) => p.type === "text").map((p) => (p as { text: string }).text).join(" ");
}

function imageCount(m: ChatMessage): number {
  return Array.isArray(m.content) ? m.content.filter((p) => p.type === "image_url").length : 0;
}

/** Checks OpenAI makes beyond types, with OpenAI's wording. */
export function checkChatSemantics(body: ChatRequestBody, reasoning: boolean, flavor: OpenAiFlavor): void {
  const msgs = body.messages;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    if (m.role === "tool") {
      let j = i - 1;
      while (j >= 0 && msgs[j]!.role === "tool") j--;
      const prev = msgs[j];
      const calls = prev?.role === "assistant" ? (prev.tool_calls ?? []) : [];
      if (!calls.length) {
        throw badRequest("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", `messages.[${i}].role`);
      }
    }
    if (m.role === "assistant" && m.tool_calls?.length) {
      const answered = new Set<string>();
      for (let j = i + 1; j < msgs.length && msgs[j]!.role === "tool"; j++) answered.add((msgs[j] as { tool_call_id: string }).tool_call_id);
      const missing = m.tool_calls.map((c) => c.id).filter((id) => !answered.has(id));
      if (missing.length) {
        throw badRequest(
          `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${missing.join(", ")}`,
          "messages",
        );
      }
    }
  }
  const tools = body.tools ?? [];
  if (body.tool_choice !== undefined && !tools.length) {
    throw badRequest("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", "tool_choice");
  }
  if (body.parallel_tool_calls !== undefined && !tools.length) {
    throw badRequest("Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.", "parallel_tool_calls");
  }
  if (typeof body.tool_choice === "object" && !tools.some((t) => t.function.name === (body.tool_choice as { function: { name: string } }).function.name)) {
    throw badRequest(`Invalid value for 'tool_choice': function '${body.tool_choice.function.name}' is not one of the provided tools.`, "tool_choice");
  }
  if (body.stream_options && !body.stream) {
    throw badRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
  }
  if (body.response_format?.type === "json_object" && !msgs.some((m) => /json/i.test(contentText(m.content)))) {
    throw badRequest("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", "messages");
  }
  if (flavor === "openai" && reasoning) {
    if (body.max_tokens != null) {
      throw badRequest("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "max_tokens", "unsupported_parameter");
    }
    if (body.temperature != null && body.temperature !== 1) {
      throw badRequest(`Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`, "temperature", "unsupported_value");
    }
  }
}

export function chatPromptTokens(body: ChatRequestBody): number {
  const text = body.messages.map((m) => `${m.role}: ${contentText(m.content)}${m.role === "assistant" && m.tool_calls ? JSON.stringify(m.tool_calls) : ""}`).join("\n");
  const images = body.messages.reduce((n, m) => n + imageCount(m), 0);
  return countTokens(text) + images * IMAGE_TOKENS + (body.tools?.length ? countTokens(JSON.stringify(body.tools)) : 0);
}

function toolChoiceOf(body: ChatRequestBody): ToolChoice {
  const c = body.tool_choice;
  if (c === undefined) return { type: "auto" };
  if (typeof c === "string") return { type: c };
  return { type: "tool", name: c.function.name };
}

export function chatTurnInput(body: ChatRequestBody, model: string): TurnInput {
  const msgs = body.messages;
  const last = msgs.at(-1)!;
  const lastUser = [...msgs].reverse().find((m) => m.role === "user");
  let toolResult: string | undefined;
  if (last.role === "tool") {
    const trailing: string[] = [];
    for (let i = msgs.length - 1; i >= 0 && msgs[i]!.role === "tool"; i--) trailing.unshift(contentText(msgs[i]!.content));
    toolResult = trailing.join("\n");
  }
  const rf = body.response_format;
  const stop = body.stop == null ? [] : typeof body.stop === "string" ? [body.stop] : body.stop;
  return {
    model,
    prompt: lastUser ? wordsOf(lastUser.content) : "",
    toolResult,
    tools: (body.tools ?? []).map((t) => ({ name: t.function.name, schema: t.function.parameters })),
    toolChoice: toolChoiceOf(body),
    parallel: body.parallel_tool_calls !== false,
    json: rf?.type === "json_schema" ? { schema: rf.json_schema.schema ?? {} } : rf?.type === "json_object" ? {} : undefined,
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
    stop,
  };
}

export interface ChatPlan {
  id: string;
  created: number;
  model: string;
  n: number;
  turn: Turn;
  promptTokens: number;
  /** Hidden reasoning of o-series / gpt-5 models: billed in completion_tokens, never shown. */
  reasoningTokens: number;
  toolCallIds: string[];
  flavor: OpenAiFlavor;
}

export function planChat(body: ChatRequestBody, opts: { reasoning: boolean; flavor: OpenAiFlavor; created: number }): ChatPlan {
  const input = chatTurnInput(body, body.model);
  const reasoningTokens = opts.reasoning ? countTokens(thinkingFor(input)) : 0;
  // Reasoning models spend max_completion_tokens on hidden reasoning first.
  if (input.maxTokens !== undefined) input.maxTokens = Math.max(0, input.maxTokens - reasoningTokens);
  const turn = planTurn(input);
  const seed = JSON.stringify(body);
  const idPart = opts.flavor === "openai" ? stableId(seed, 29) : stableId(seed, 32);
  return {
    id: `chatcmpl-${idPart}`,
    created: opts.created,
    model: body.model,
    n: body.n ?? 1,
    turn,
    promptTokens: chatPromptTokens(body),
    reasoningTokens,
    toolCallIds: turn.toolCalls.map((_, i) => `call_${stableId(`${seed}:call:${i}`, 24)}`),
    flavor: opts.flavor,
  };
}

export function openAiFinishReason(turn: Turn): "stop" | "length" | "tool_calls" {
  return turn.finish === "tool_calls" ? "tool_calls" : turn.finish === "length" ? "length" : "stop";
}

export function chatUsage(plan: ChatPlan) {
  const completion = (plan.turn.outputTokens + plan.reasoningTokens) * plan.n;
  if (plan.flavor === "runpod-serverless") {
    return { prompt_tokens: plan.promptTokens, total_tokens: plan.promptTokens + completion, completion_tokens: completion, prompt_tokens_details: null };
  }
  return {
    prompt_tokens: plan.promptTokens,
    completion_tokens: completion,
    total_tokens: plan.promptTokens + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: plan.reasoningTokens * plan.n, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function envelope(plan: ChatPlan, object: string): Record<string, unknown> {
  const base: Record<string, unknown> = { id: plan.id, object, created: plan.created, model: plan.model };
  if (plan.flavor === "openai") {
    base.service_tier = "default";
    base.system_fingerprint = `fp_${stableId(plan.model, 10)}`;
  }
  return base;
}

function toolCallsOf(plan: ChatPlan) {
  return plan.turn.toolCalls.map((c, i) => ({ id: plan.toolCallIds[i]!, type: "function", function: { name: c.name, arguments: c.argsJson } }));
}

export function chatCompletionBody(plan: ChatPlan): Record<string, unknown> {
  const { turn } = plan;
  const message: Record<string, unknown> = { role: "assistant", content: turn.toolCalls.length ? null : turn.text, refusal: null };
  if (plan.flavor === "openai") message.annotations = [];
  if (turn.toolCalls.length) message.tool_calls = toolCallsOf(plan);
  else if (plan.flavor === "runpod-serverless") message.tool_calls = [];
  const choices = Array.from({ length: plan.n }, (_, index) => ({ index, message, logprobs: null, finish_reason: openAiFinishReason(turn) }));
  const out = { ...envelope(plan, "chat.completion"), choices, usage: chatUsage(plan) };
  // The recorded OpenAI body lists service_tier/system_fingerprint after usage; key order does not matter to parsers.
  return out;
}

/** `data:` events of a streamed completion, ending with `[DONE]`; `includeUsage` adds the `choices: []` usage chunk. */
export function chatCompletionEvents(plan: ChatPlan, includeUsage: boolean): SseEvent[] {
  const { turn } = plan;
  const base = envelope(plan, "chat.completion.chunk");
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    ({ data: JSON.stringify({ ...base, choices, ...(includeUsage ? { usage: null } : {}), ...extra }) }) as SseEvent;
  const choice = (index: number, delta: Record<string, unknown>, finish: string | null = null) => ({ index, delta, logprobs: null, finish_reason: finish });
  const events: SseEvent[] = [];
  for (let index = 0; index < plan.n; index++) {
    events.push(chunk([choice(index, { role: "assistant", content: turn.toolCalls.length ? null : "", refusal: null })]));
    if (!turn.toolCalls.length) for (const piece of chunkText(turn.text)) if (piece) events.push(chunk([choice(index, { content: piece })]));
    turn.toolCalls.forEach((call, i) => {
      events.push(chunk([choice(index, { tool_calls: [{ index: i, id: plan.toolCallIds[i], type: "function", function: { name: call.name, arguments: "" } }] })]));
      for (const piece of chunkJson(call.argsJson)) events.push(chunk([choice(index, { tool_calls: [{ index: i, function: { arguments: piece } }] })]));
    });
    events.push(chunk([choice(index, {}, openAiFinishReason(turn))]));
  }
  if (includeUsage) events.push({ data: JSON.stringify({ ...base, choices: [], usage: chatUsage(plan) }) });
  events.push({ data: "[DONE]" });
  return events;
}
