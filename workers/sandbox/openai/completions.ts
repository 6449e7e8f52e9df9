/**
 * Legacy Completions (`text_completion`), pure. vLLM serves it for every model; OpenAI only for its
 * instruct/base models. As on OpenAI, `max_tokens` defaults to 16, so an unbounded request ends "length".
 */
import type { SseEvent } from "../lib/sse";
import { countTokens, chunkText, stableId } from "../lib/text";
import { planTurn, type Turn } from "../lib/turn";
import { badRequest, fromZodIssue, type OpenAiFlavor } from "./errors";
import { completionRequestLoose, completionRequestStrict, type CompletionRequestBody } from "./schema";

export function parseCompletionRequest(body: unknown, flavor: OpenAiFlavor): CompletionRequestBody {
  const parsed = (flavor === "openai" ? completionRequestStrict : completionRequestLoose).safeParse(body, { reportInput: true });
  if (!parsed.success) throw fromZodIssue(parsed.error.issues[0]!);
  const data = parsed.data as CompletionRequestBody;
  if (data.stream_options && !data.stream) throw badRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
  return data;
}

function prompts(p: CompletionRequestBody["prompt"]): string[] {
  if (p == null) return ["<|endoftext|>"];
  if (typeof p === "string") return [p];
  if (!p.length) return [""];
  if (typeof p[0] === "number") return [(p as number[]).join(" ")];
  return (p as Array<string | number[]>).map((x) => (typeof x === "string" ? x : x.join(" ")));
}

export interface CompletionPlan {
  id: string;
  created: number;
  model: string;
  choices: Array<{ text: string; turn: Turn }>;
  promptTokens: number;
  flavor: OpenAiFlavor;
}

export function planCompletion(body: CompletionRequestBody, opts: { flavor: OpenAiFlavor; created: number }): CompletionPlan {
  const n = body.n ?? 1;
  const stop = body.stop == null ? [] : typeof body.stop === "string" ? [body.stop] : body.stop;
  const choices: CompletionPlan["choices"] = [];
  const all = prompts(body.prompt);
  for (const prompt of all) {
    const turn = planTurn({ model: body.model, prompt, tools: [], toolChoice: { type: "none" }, parallel: false, maxTokens: body.max_tokens ?? 16, stop });
    const text = body.echo ? prompt + turn.text : turn.text;
    for (let i = 0; i < n; i++) choices.push({ text, turn });
  }
  const seed = JSON.stringify(body);
  return {
    id: opts.flavor === "openai" ? `cmpl-${stableId(seed, 29)}` : `cmpl-${stableId(seed, 32)}`,
    created: opts.created,
    model: body.model,
    choices,
    promptTokens: all.reduce((s, p) => s + countTokens(p), 0),
    flavor: opts.flavor,
  };
}

const finishOf = (t: Turn) => (t.finish === "length" ? "length" : "stop");

function usage(plan: CompletionPlan) {
  const completion = plan.choices.reduce((s, c) => s + c.turn.outputTokens, 0);
  return { prompt_tokens: plan.promptTokens, completion_tokens: completion, total_tokens: plan.promptTokens + completion };
}

function envelope(plan: CompletionPlan) {
  const base: Record<string, unknown> = { id: plan.id, object: "text_completion", created: plan.created, model: plan.model };
  if (plan.flavor === "openai") base.system_fingerprint = null;
  return base;
}

export function completionBody(plan: CompletionPlan): Record<string, unknown> {
  const choices = plan.choices.map((c, index) => ({ text: c.text, index, logprobs: null, finish_reason: finishOf(c.turn) }));
  return { ...envelope(plan), choices, usage: usage(plan) };
}

export function completionEvents(plan: CompletionPlan, includeUsage: boolean): SseEvent[] {
  const base = envelope(plan);
  const events: SseEvent[] = [];
  plan.choices.forEach((c, index) => {
    for (const piece of chunkText(c.text)) if (piece) events.push({ data: JSON.stringify({ ...base, choices: [{ text: piece, index, logprobs: null, finish_reason: null }] }) });
    events.push({ data: JSON.stringify({ ...base, choices: [{ text: "", index, logprobs: null, finish_reason: finishOf(c.turn) }] }) });
  });
  if (includeUsage) events.push({ data: JSON.stringify({ ...base, choices: [], usage: usage(plan) }) });
  events.push({ data: "[DONE]" });
  return events;
}
