/**
 * A batch item's life (pure): what a RunPod job's final status body means for the item, when a failed
 * attempt is tried again, what a completed item costs at the batch discount, and the output and error
 * files' lines in input order. The BatchObject stores the item and applies these decisions.
 *
 *   pending --submit--> submitted --COMPLETED (2xx body)--> completed (charged once)
 *      ^                    |------COMPLETED (vLLM 4xx body)--> failed (the model's answer is the reason)
 *      |                    |------FAILED / TIMED_OUT / worker error / lost job--> pending (backoff) or failed (attempts spent)
 *      +--------------------+
 *   pending | submitted --cancel--> cancelled
 */

export type ItemState = "pending" | "submitted" | "completed" | "failed" | "cancelled";

export const TERMINAL_ITEM_STATES: readonly ItemState[] = ["completed", "failed", "cancelled"];
export const isTerminalItem = (s: ItemState) => TERMINAL_ITEM_STATES.includes(s);

export interface ItemUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What a job's final (or current) status body means for its item. */
export type JobOutcome =
  | { kind: "running" }
  /** The model answered: 200 with its body. */
  | { kind: "completed"; body: Record<string, unknown>; usage: ItemUsage }
  /** The model refused the request (vLLM's error body): final, the caller's error. */
  | { kind: "refused"; statusCode: number; body: { error: { message: string; type: string; param: string | null; code: string | null } } }
  /** The job failed where a retry may succeed (the handler raised, timed out, the worker erred). */
  | { kind: "retry"; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/**
 * RunPod's job status body (`/status/{id}` or the webhook's POST): `{id, status, output?, error?}`. The vLLM
 * worker's `output` is the list of what its generator yielded (or one value): for a non-streaming
 * `openai_route` call, the OpenAI body, vLLM's `{object: "error", message, type, code}`, or the worker's own
 * `{error: {message, type: "worker_error"}}`.
 */
export function interpretJob(body: unknown): JobOutcome {
  if (!isObject(body)) return { kind: "retry", reason: "RunPod answered with no job status" };
  const status = String(body.status ?? "");
  if (status === "IN_QUEUE" || status === "IN_PROGRESS" || status === "RUNNING") return { kind: "running" };
  if (status === "FAILED") return { kind: "retry", reason: `RunPod job failed: ${typeof body.error === "string" ? body.error : JSON.stringify(body.error ?? "no error given")}` };
  if (status === "TIMED_OUT") return { kind: "retry", reason: "RunPod job timed out" };
  if (status === "CANCELLED") return { kind: "retry", reason: "RunPod job was cancelled" };
  if (status !== "COMPLETED") return { kind: "retry", reason: `RunPod job ended in an unknown state ${JSON.stringify(status)}` };
  const out = Array.isArray(body.output) ? body.output[0] : body.output;
  if (!isObject(out)) return { kind: "retry", reason: "RunPod job completed without output" };
  if (out.object === "error") {
    const code = num(out.code) >= 400 && num(out.code) < 600 ? num(out.code) : 400;
    if (code >= 500) return { kind: "retry", reason: `the model server failed: ${String(out.message ?? "")}` };
    return { kind: "refused", statusCode: code, body: { error: { message: String(out.message ?? "The request was refused"), type: "invalid_request_error", param: null, code: typeof out.type === "string" ? out.type : null } } };
  }
  if (isObject(out.error)) return { kind: "retry", reason: `the worker failed: ${String(out.error.message ?? "unknown error")}` };
  if (!Array.isArray(out.choices)) return { kind: "retry", reason: "RunPod job completed with an output that is not a chat completion" };
  const usage = isObject(out.usage) ? out.usage : {};
  return { kind: "completed", body: out, usage: { inputTokens: num(usage.prompt_tokens), outputTokens: num(usage.completion_tokens) } };
}

/** Pause before attempt `attempts + 1`: 1 s, 2 s, 4 s, ... capped at a minute. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** After a retryable failure of attempt `attempts` (1-based): try again later, or give up. */
export function afterFailure(attempts: number, maxAttempts: number, now: number): { state: "pending"; nextAt: number } | { state: "failed" } {
  return attempts < maxAttempts ? { state: "pending", nextAt: now + retryDelayMs(attempts) } : { state: "failed" };
}

/** Micro-dollars for a completed item: list price, less the batch discount, rounded up to whole micro-dollars. */
export function discountedCostMicros(usage: ItemUsage, price: { input: number; output: number }, discountPercent: number): number {
  const pct = Math.min(100, Math.max(0, discountPercent));
  const full = usage.inputTokens * price.input + usage.outputTokens * price.output;
  return Math.ceil((full * (100 - pct)) / 100 / 1_000_000);
}

/** The discount in force: BATCH_DISCOUNT_PERCENT (0-100), default 50. */
export function batchDiscountPercent(raw: string | undefined): number {
  const n = Number(raw);
  return raw !== undefined && raw.trim() !== "" && Number.isFinite(n) && n >= 0 && n <= 100 ? n : 50;
}

/** The usage event id of an item: one per item, whatever number of attempts, webhooks or polls it took. */
export const usageEventId = (batchId: string, index: number) => `${batchId}:item:${index}`;

export interface FinishedItem {
  index: number;
  customId: string;
  state: ItemState;
  statusCode: number | null;
  /** The response body (completion or the model's error), JSON. */
  response: unknown;
  /** Why the item failed without a response from the model, or was cancelled. */
  error: { code: string; message: string } | null;
  requestId: string;
}

export function outputLine(batchId: string, item: FinishedItem): string {
  const response = item.statusCode === null ? null : { status_code: item.statusCode, request_id: item.requestId, body: item.response };
  return JSON.stringify({ id: `batch_req_${batchId.replace(/^batch_/, "")}_${item.index}`, custom_id: item.customId, response, error: item.error });
}

/**
 * The output file (items the model answered with 200) and the error file (everything else), each in the
 * input file's order whatever order the items finished in.
 */
export function assembleFiles(batchId: string, items: readonly FinishedItem[]): { output: string; errors: string; completed: number; failed: number } {
  const sorted = [...items].sort((a, b) => a.index - b.index);
  const ok = sorted.filter((i) => i.state === "completed");
  const bad = sorted.filter((i) => i.state !== "completed");
  const join = (list: FinishedItem[]) => list.map((i) => outputLine(batchId, i) + "\n").join("");
  return { output: join(ok), errors: join(bad), completed: ok.length, failed: bad.filter((i) => i.state === "failed").length };
}
