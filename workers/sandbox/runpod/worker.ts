import { chunkText, countTokens, replyFor, stableId } from "../lib/text";

/**
 * What the official vLLM worker (runpod-workers/worker-vllm) hands back for a job, made deterministic.
 * The worker is a generator handler with `return_aggregate_stream`, so a job's `output` is the list of
 * batches it yielded: for the native input `{prompt|messages, sampling_params, stream}` each batch is
 * `{choices: [{tokens: [...]}], usage: {input, output}}` (one batch holding the whole text unless
 * `stream` is set); for `{openai_route, openai_input}` it is the OpenAI body vLLM produced (raw SSE text
 * batches when streaming). Worker-side errors are yielded as output too, so the job still COMPLETES.
 * See reference/upstream-apis.md §1.6-1.7.
 */

export interface WorkerResult {
  output: unknown[];
  /** What `/stream/{job}` hands out, one entry per yielded batch. */
  stream: { output: unknown }[];
  /** Simulated time on the GPU, ms: grows with the tokens generated. */
  executionMs: number;
}

const CREATED = 1_700_000_000;
// worker-vllm's streaming batch sizes: start at DEFAULT_MIN_BATCH_SIZE, grow by the factor up to DEFAULT_BATCH_SIZE.
const MIN_BATCH = 1;
const BATCH_GROWTH = 3;
const MAX_BATCH = 50;

type Message = { role?: unknown; content?: unknown };

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (p && typeof p === "object" && (p as { type?: unknown }).type === "text" ? String((p as { text?: unknown }).text ?? "") : ""))
      .join(" ");
  }
  return "";
}

function lastUserText(messages: Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === "user") return textOf(messages[i]!.content);
  return textOf(messages.at(-1)?.content);
}

/** The reply cut to at most `maxTokens` (whole words), as a length-limited generation stops. */
export function limitTokens(text: string, maxTokens: number | undefined): { text: string; truncated: boolean } {
  if (maxTokens === undefined || countTokens(text) <= maxTokens) return { text, truncated: false };
  let out = "";
  for (const word of text.match(/\S+\s*/g) ?? []) {
    if (countTokens(out + word) > maxTokens) break;
    out += word;
  }
  return { text: out, truncated: true };
}

/** vLLM's OpenAI error body (`ErrorResponse.model_dump()`). */
function vllmError(message: string, type = "BadRequestError", code = 400) {
  return { object: "error", message, type, param: null, code };
}

/** Worker-side failures as the current worker yields them. */
const workerError = (message: string) => ({ error: { message, type: "worker_error", code: null } });

const executionMs = (outputTokens: number) => 25 + 2 * outputTokens;

function single(output: unknown, tokens = 0): WorkerResult {
  return { output: [output], stream: [{ output }], executionMs: executionMs(tokens) };
}

/** A job the worker answers with an error only (e.g. it has no model to serve). */
export const workerFailure = (message: string): WorkerResult => single(workerError(message));

function batches<T>(items: T[]): T[][] {
  const out: T[][] = [];
  let size = MIN_BATCH;
  for (let i = 0; i < items.length; i += size, size = Math.min(size * BATCH_GROWTH, MAX_BATCH)) out.push(items.slice(i, i + size));
  return out;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function nativeJob(input: Record<string, unknown>, model: string): WorkerResult {
  const messages = Array.isArray(input.messages) ? (input.messages as Message[]) : undefined;
  const prompt = typeof input.prompt === "string" ? input.prompt : undefined;
  if (!messages && prompt === undefined) return single(workerError("Input must contain either 'prompt' or 'messages'."));
  const sp = (input.sampling_params && typeof input.sampling_params === "object" ? input.sampling_params : {}) as Record<string, unknown>;
  // SamplingParams defaults: max_tokens 16, n 1.
  const maxTokens = sp.max_tokens === undefined ? 16 : num(sp.max_tokens);
  const n = sp.n === undefined ? 1 : num(sp.n);
  if (maxTokens === undefined || !Number.isInteger(maxTokens) || maxTokens < 1) return single(workerError(`max_tokens must be at least 1, got ${JSON.stringify(sp.max_tokens)}.`));
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > 16) return single(workerError(`n must be an integer between 1 and 16, got ${JSON.stringify(sp.n)}.`));

  const promptText = messages ? lastUserText(messages) : prompt!;
  const inputTokens = countTokens(messages ? JSON.stringify(messages) : prompt!);
  const { text } = limitTokens(replyFor(promptText, model), maxTokens);
  const outputTokens = countTokens(text);
  if (input.stream !== true) {
    return single({ choices: Array.from({ length: n }, () => ({ tokens: [text] })), usage: { input: inputTokens, output: outputTokens * n } }, outputTokens);
  }
  let sent = "";
  const out = batches(chunkText(text)).map((group) => {
    sent += group.join("");
    return { choices: Array.from({ length: n }, () => ({ tokens: group })), usage: { input: inputTokens, output: countTokens(sent) * n } };
  });
  return { output: out, stream: out.map((output) => ({ output })), executionMs: executionMs(outputTokens) };
}

function openaiJob(route: string, body: Record<string, unknown>, model: string): WorkerResult {
  if (route === "/v1/models") {
    return single({ object: "list", data: [{ id: model, object: "model", created: CREATED, owned_by: "vllm", root: model, parent: null }] });
  }
  if (route !== "/v1/chat/completions" && route !== "/v1/completions") return single(vllmError("Invalid route"));
  if (body.model !== model) return single(vllmError(`The model \`${String(body.model)}\` does not exist.`, "NotFoundError", 404));
  const chat = route === "/v1/chat/completions";
  if (chat && !Array.isArray(body.messages)) return single(vllmError("messages: Field required"));
  if (!chat && typeof body.prompt !== "string") return single(vllmError("prompt: Field required"));

  const maxTokens = num(body.max_tokens ?? body.max_completion_tokens);
  const promptText = chat ? lastUserText(body.messages as Message[]) : (body.prompt as string);
  const promptTokens = countTokens(chat ? JSON.stringify(body.messages) : (body.prompt as string));
  const { text, truncated } = limitTokens(replyFor(promptText, model), maxTokens);
  const completionTokens = countTokens(text);
  const finish = truncated ? "length" : "stop";
  const id = `${chat ? "chatcmpl" : "cmpl"}-${stableId(JSON.stringify({ route, body }), 32)}`;
  const usage = { prompt_tokens: promptTokens, total_tokens: promptTokens + completionTokens, completion_tokens: completionTokens };
  const exec = executionMs(completionTokens);

  if (body.stream !== true) {
    const choice = chat
      ? { index: 0, message: { role: "assistant", content: text, tool_calls: [] }, logprobs: null, finish_reason: finish, stop_reason: null }
      : { index: 0, text, logprobs: null, finish_reason: finish, stop_reason: null };
    return { ...single({ id, object: chat ? "chat.completion" : "text_completion", created: CREATED, model, choices: [choice], usage }), executionMs: exec };
  }
  const object = chat ? "chat.completion.chunk" : "text_completion";
  const chunk = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object, created: CREATED, model, choices: [{ index: 0, ...choice }], ...extra })}\n\n`;
  const events = [
    ...(chat ? [chunk({ delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null })] : []),
    ...chunkText(text).map((piece) => chunk(chat ? { delta: { content: piece }, logprobs: null, finish_reason: null } : { text: piece, logprobs: null, finish_reason: null })),
    chunk(chat ? { delta: {}, logprobs: null, finish_reason: finish, stop_reason: null } : { text: "", logprobs: null, finish_reason: finish, stop_reason: null }),
    ...((body.stream_options as { include_usage?: unknown } | undefined)?.include_usage ? [`data: ${JSON.stringify({ id, object, created: CREATED, model, choices: [], usage })}\n\n`] : []),
    "data: [DONE]\n\n",
  ];
  // RAW_OPENAI_OUTPUT: each yielded batch is the SSE text of a few events joined together.
  const out = batches(events).map((group) => group.join(""));
  return { output: out, stream: out.map((output) => ({ output })), executionMs: exec };
}

/** Runs one job's `input` through the emulated vLLM worker serving `model`. */
export function runVllmWorker(input: unknown, model: string): WorkerResult {
  if (!input || typeof input !== "object" || Array.isArray(input)) return single(workerError("Job input must be a JSON object."));
  const job = input as Record<string, unknown>;
  if (typeof job.openai_route === "string") {
    const body = job.openai_input && typeof job.openai_input === "object" ? (job.openai_input as Record<string, unknown>) : {};
    return openaiJob(job.openai_route, body, model);
  }
  return nativeJob(job, model);
}
