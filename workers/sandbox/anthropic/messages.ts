/**
 * Anthropic Messages, pure: the checks the real API makes beyond types, the deterministic turn, and its
 * rendering as a `message` or as the SSE event sequence (fixtures/upstream/anthropic/*): message_start,
 * per block content_block_start / (ping after the first start) / deltas / content_block_stop,
 * message_delta with stop_reason and cumulative usage, message_stop.
 */
import type { SseEvent } from "../lib/sse";
import { countTokens, chunkJson, chunkText, stableId } from "../lib/text";
import { planTurn, signatureFor, type ToolChoice, type Turn, type TurnInput } from "../lib/turn";
import { findClaudeModel } from "./models";
import { fromZodIssue, invalid, messagesRequest, type ContentBlock, type CountTokensBody, type MessageParam, type MessagesBody } from "./schema";

const IMAGE_TOKENS = 85;

export function parseMessagesRequest(body: unknown): MessagesBody {
  const parsed = messagesRequest.safeParse(body, { reportInput: true });
  if (!parsed.success) throw fromZodIssue(parsed.error.issues[0]!);
  return parsed.data;
}

const blocksOf = (m: MessageParam): ContentBlock[] => (typeof m.content === "string" ? [{ type: "text", text: m.content }] : m.content);

export function blockText(b: ContentBlock): string {
  switch (b.type) {
    case "text":
      return (b as { text: string }).text;
    case "tool_use":
      return `${(b as { name: string }).name} ${JSON.stringify((b as { input: unknown }).input)}`;
    case "tool_result": {
      const c = (b as { content?: string | Array<{ type: string; text?: string }> }).content;
      if (c === undefined) return "";
      return typeof c === "string" ? c : c.map((x) => (x.type === "text" ? (x.text ?? "") : `[${x.type}]`)).join("");
    }
    case "thinking":
      return (b as { thinking: string }).thinking;
    default:
      return `[${b.type}]`;
  }
}

function systemText(system: CountTokensBody["system"]): string {
  if (system === undefined) return "";
  return typeof system === "string" ? system : system.map((b) => b.text).join("\n");
}

export function inputTokens(body: CountTokensBody): number {
  const parts = [systemText(body.system), ...body.messages.map((m) => `${m.role}: ${blocksOf(m).map(blockText).join("\n")}`)];
  const images = body.messages.reduce((n, m) => n + blocksOf(m).filter((b) => b.type === "image").length, 0);
  return countTokens(parts.join("\n")) + images * IMAGE_TOKENS + (body.tools?.length ? countTokens(JSON.stringify(body.tools)) : 0);
}

/** The API's own consistency checks, worded as the API words them. */
export function checkMessages(body: CountTokensBody & Partial<MessagesBody>): void {
  const msgs = body.messages;
  if (!msgs.length) throw invalid("messages: at least one message is required");
  for (let i = 0; i < msgs.length; i++) {
    const blocks = blocksOf(msgs[i]!);
    const prev = i > 0 ? blocksOf(msgs[i - 1]!) : [];
    const offered = new Set(msgs[i - 1]?.role === "assistant" ? prev.filter((b) => b.type === "tool_use").map((b) => (b as { id: string }).id) : []);
    blocks.forEach((b, j) => {
      if (b.type !== "tool_result") return;
      const id = (b as { tool_use_id: string }).tool_use_id;
      if (msgs[i]!.role !== "user" || !offered.has(id)) {
        throw invalid(
          `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
        );
      }
    });
    if (msgs[i]!.role === "assistant") {
      const uses = blocks.filter((b) => b.type === "tool_use").map((b) => (b as { id: string }).id);
      const next = msgs[i + 1];
      if (uses.length && next) {
        const answered = new Set(blocksOf(next).filter((b) => b.type === "tool_result").map((b) => (b as { tool_use_id: string }).tool_use_id));
        const missing = uses.filter((id) => !answered.has(id));
        if (missing.length) {
          throw invalid(
            `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
          );
        }
      }
    }
  }
  const tools = body.tools ?? [];
  tools.forEach((t, i) => {
    if ((t.type == null || t.type === "custom") && !t.input_schema) throw invalid(`tools.${i}.custom.input_schema: Field required`);
  });
  const choice = body.tool_choice;
  if (choice && choice.type !== "none" && !tools.length) throw invalid("tool_choice: tool_choice may only be specified while providing tools.");
  if (choice?.type === "tool" && !tools.some((t) => t.name === choice.name)) throw invalid(`tool_choice: Tool '${choice.name}' not found in tools.`);
  const thinking = body.thinking;
  if (thinking?.type === "enabled" || thinking?.type === "adaptive") {
    if (choice?.type === "any" || choice?.type === "tool") throw invalid("Thinking may not be enabled when tool_choice forces tool use.");
    if (body.temperature !== undefined && body.temperature !== 1) throw invalid("`temperature` may only be set to 1 when thinking is enabled or in adaptive mode. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility");
  }
  if (thinking?.type === "enabled" && body.max_tokens !== undefined && body.max_tokens <= thinking.budget_tokens) {
    throw invalid("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size");
  }
  const known = findClaudeModel(body.model);
  if (known && body.max_tokens !== undefined && body.max_tokens > known.max_output) {
    throw invalid(`max_tokens: ${body.max_tokens} > ${known.max_output}, which is the maximum allowed number of output tokens for ${known.id}`);
  }
}

function toolChoiceOf(body: MessagesBody): ToolChoice {
  const c = body.tool_choice;
  if (!c || c.type === "auto") return { type: "auto" };
  if (c.type === "any") return { type: "required" };
  if (c.type === "none") return { type: "none" };
  return { type: "tool", name: c.name };
}

export function messagesTurnInput(body: MessagesBody): TurnInput {
  const last = body.messages.at(-1)!;
  const lastBlocks = blocksOf(last);
  const results = last.role === "user" ? lastBlocks.filter((b) => b.type === "tool_result") : [];
  const lastUser = [...body.messages].reverse().find((m) => m.role === "user" && blocksOf(m).some((b) => b.type === "text"));
  const prompt = lastUser ? blocksOf(lastUser).filter((b) => b.type === "text").map(blockText).join("\n") : "";
  const custom = (body.tools ?? []).filter((t) => t.type == null || t.type === "custom");
  return {
    model: body.model,
    prompt,
    toolResult: results.length ? results.map(blockText).join("\n") : undefined,
    tools: custom.map((t) => ({ name: t.name, schema: t.input_schema })),
    toolChoice: toolChoiceOf(body),
    parallel: body.tool_choice?.type !== "none" && !(body.tool_choice as { disable_parallel_tool_use?: boolean } | undefined)?.disable_parallel_tool_use,
    maxTokens: body.max_tokens,
    stop: body.stop_sequences ?? [],
    thinking: body.thinking?.type === "enabled" || body.thinking?.type === "adaptive",
  };
}

export interface MessagePlan {
  id: string;
  model: string;
  turn: Turn;
  signature: string | undefined;
  toolIds: string[];
  inputTokens: number;
}

export function planMessage(body: MessagesBody): MessagePlan {
  const input = messagesTurnInput(body);
  // Thinking counts against max_tokens, so the visible answer gets what the thinking left over.
  const probe = planTurn({ ...input, maxTokens: undefined });
  if (input.maxTokens !== undefined) input.maxTokens = Math.max(0, input.maxTokens - probe.thinkingTokens);
  const turn = planTurn(input);
  const seed = JSON.stringify(body);
  return {
    id: `msg_01${stableId(seed, 22)}`,
    model: body.model,
    turn,
    signature: turn.thinking ? signatureFor(turn.thinking, body.model) : undefined,
    toolIds: turn.toolCalls.map((_, i) => `toolu_01${stableId(`${seed}:tool:${i}`, 22)}`),
    inputTokens: inputTokens(body),
  };
}

const STOP_REASONS = { stop: "end_turn", length: "max_tokens", tool_calls: "tool_use", stop_sequence: "stop_sequence" } as const;

export function contentBlocks(plan: MessagePlan): Array<Record<string, unknown>> {
  const { turn } = plan;
  const blocks: Array<Record<string, unknown>> = [];
  if (turn.thinking) blocks.push({ type: "thinking", thinking: turn.thinking, signature: plan.signature });
  if (turn.text) blocks.push({ type: "text", text: turn.text });
  turn.toolCalls.forEach((c, i) => blocks.push({ type: "tool_use", id: plan.toolIds[i], name: c.name, input: c.args }));
  return blocks;
}

const outputTokens = (plan: MessagePlan) => plan.turn.outputTokens + plan.turn.thinkingTokens;

function usage(plan: MessagePlan, output: number) {
  return {
    input_tokens: plan.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    service_tier: "standard",
  };
}

export function messageBody(plan: MessagePlan): Record<string, unknown> {
  return {
    model: plan.model,
    id: plan.id,
    type: "message",
    role: "assistant",
    content: contentBlocks(plan),
    stop_reason: STOP_REASONS[plan.turn.finish],
    stop_sequence: plan.turn.stopSequence ?? null,
    usage: usage(plan, outputTokens(plan)),
  };
}

export function messageEvents(plan: MessagePlan): SseEvent[] {
  const events: SseEvent[] = [];
  const emit = (payload: { type: string } & Record<string, unknown>) => events.push({ event: payload.type, data: JSON.stringify(payload) });
  emit({
    type: "message_start",
    message: { model: plan.model, id: plan.id, type: "message", role: "assistant", content: [], stop_reason: null, stop_sequence: null, usage: usage(plan, 1) },
  });
  contentBlocks(plan).forEach((block, index) => {
    const delta = (d: Record<string, unknown>) => emit({ type: "content_block_delta", index, delta: d });
    if (block.type === "thinking") {
      emit({ type: "content_block_start", index, content_block: { type: "thinking", thinking: "", signature: "" } });
      if (index === 0) emit({ type: "ping" });
      for (const piece of chunkText(String(block.thinking))) delta({ type: "thinking_delta", thinking: piece });
      delta({ type: "signature_delta", signature: block.signature });
    } else if (block.type === "text") {
      emit({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
      if (index === 0) emit({ type: "ping" });
      for (const piece of chunkText(String(block.text))) delta({ type: "text_delta", text: piece });
    } else {
      emit({ type: "content_block_start", index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } });
      if (index === 0) emit({ type: "ping" });
      delta({ type: "input_json_delta", partial_json: "" });
      const json = JSON.stringify(block.input);
      if (json !== "{}") for (const piece of chunkJson(json)) delta({ type: "input_json_delta", partial_json: piece });
    }
    emit({ type: "content_block_stop", index });
  });
  emit({
    type: "message_delta",
    delta: { stop_reason: STOP_REASONS[plan.turn.finish], stop_sequence: plan.turn.stopSequence ?? null },
    usage: { input_tokens: plan.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens(plan) },
  });
  emit({ type: "message_stop" });
  return events;
}
