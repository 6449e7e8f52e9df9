import type { PlaygroundModel } from "../../../workers/playground/models";
import { ApiError } from "./api";

/**
 * The playground's calls (workers/playground/routes.ts): GET /api/playground/models and POST
 * /api/playground/chat, which answers in OpenAI's chat-completions stream. The session cookie pays; the
 * PWA never holds a key. `chat` reads the stream as it arrives and reports text deltas, then the usage
 * frame's tokens and cost, and measures time to first token and tokens per second on this side.
 */
export type { PlaygroundModel };

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
}

/** One piece of a streamed answer. */
export type StreamPart =
  | { type: "delta"; text: string }
  | { type: "usage"; promptTokens: number; completionTokens: number; costUsd: number | null; savingsUsd: number | null }
  | { type: "error"; code: string; message: string };

/** What an answer cost and how fast it came. Token counts and cost are absent when it was stopped. */
export interface AnswerStats {
  provider: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  costUsd: number | null;
  savingsUsd: number | null;
  firstTokenMs: number | null;
  totalMs: number;
  tokensPerSecond: number | null;
}

export const OFFLINE_MESSAGE = "Chat needs a connection: you seem to be offline. Your conversation stays here; send again when you are back.";

type ErrorBody = { error?: { code?: string | null; type?: string; message?: string; details?: { path?: string; message?: string }[] } } | null;

/** The API's own sentence (and each problem it listed), as ApiError. */
async function toApiError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorBody;
  const e = body?.error;
  const details = Array.isArray(e?.details) ? e.details.map((d) => [d.path, d.message].filter(Boolean).join(": ")).filter(Boolean) : [];
  const message = e?.message ?? `The playground answered HTTP ${res.status}`;
  return new ApiError(res.status, e?.code ?? e?.type ?? "http_error", details.length ? `${message}: ${details.join("; ")}` : message);
}

/** Splits an SSE byte stream into events' data (multi-line data joined by newlines, comments skipped). */
async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // stream: true keeps a character split across two chunks whole.
      buffer += decoder.decode(value, { stream: true });
      let end: RegExpExecArray | null;
      while ((end = /\r?\n\r?\n/.exec(buffer))) {
        const event = buffer.slice(0, end.index);
        buffer = buffer.slice(end.index + end[0].length);
        const data = event
          .split(/\r?\n/)
          .filter((l) => l.startsWith("data:"))
          .map((l) => l.slice(5).replace(/^ /, ""));
        if (data.length) yield data.join("\n");
      }
    }
  } finally {
    // Stopping early (a Stop tap, an error frame) must let go of the connection too.
    reader.cancel().catch(() => undefined);
  }
}

type Chunk = {
  choices?: { delta?: { content?: string | null } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; cost_usd?: number; savings_usd?: number } | null;
  error?: { code?: string | null; type?: string; message?: string };
};

/** An OpenAI chat-completions stream as text deltas, then its usage frame; an error frame ends it. */
export async function* readChatStream(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamPart> {
  for await (const data of sseData(body)) {
    if (data === "[DONE]") return;
    let chunk: Chunk;
    try {
      chunk = JSON.parse(data) as Chunk;
    } catch {
      continue; // a frame we cannot read says nothing we could show
    }
    if (chunk.error) {
      yield { type: "error", code: chunk.error.code ?? chunk.error.type ?? "stream_error", message: chunk.error.message ?? "The answer broke off" };
      return;
    }
    const text = chunk.choices?.[0]?.delta?.content;
    if (text) yield { type: "delta", text };
    if (chunk.usage) {
      const u = chunk.usage;
      yield { type: "usage", promptTokens: u.prompt_tokens ?? 0, completionTokens: u.completion_tokens ?? 0, costUsd: u.cost_usd ?? null, savingsUsd: u.savings_usd ?? null };
    }
  }
}

/** Output tokens per second from the first token to the last (the wait for the first is its own number). */
export function tokensPerSecond(completionTokens: number | null, firstTokenMs: number | null, totalMs: number): number | null {
  if (!completionTokens || firstTokenMs === null) return null;
  const streamingMs = Math.max(totalMs - firstTokenMs, 1);
  return (completionTokens * 1000) / streamingMs;
}

/**
 * Sends one turn and streams the answer: `onText` gets each delta as it arrives. Resolves with the stats
 * when the stream ends; rejects with ApiError for a refusal (before or during the stream), with an
 * AbortError when `signal` stops it, and with a TypeError when the network is gone.
 */
export async function chat(req: ChatRequest, opts: { signal?: AbortSignal; onText: (text: string) => void; now?: () => number }): Promise<AnswerStats> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const res = await fetch("/api/playground/chat", {
    method: "POST",
    credentials: "same-origin",
    headers: { accept: "text/event-stream", "content-type": "application/json" },
    body: JSON.stringify({ model: req.model, messages: req.messages, stream: true, ...(req.maxTokens ? { max_tokens: req.maxTokens } : {}), ...(req.temperature !== undefined ? { temperature: req.temperature } : {}) }),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (!res.ok) throw await toApiError(res);
  if (!res.body) throw new ApiError(502, "no_body", "The playground answered without a body");
  let firstTokenMs: number | null = null;
  let usage: Extract<StreamPart, { type: "usage" }> | null = null;
  for await (const part of readChatStream(res.body)) {
    if (part.type === "delta") {
      firstTokenMs ??= now() - started;
      opts.onText(part.text);
    } else if (part.type === "usage") usage = part;
    else throw new ApiError(502, part.code, part.message);
  }
  const totalMs = now() - started;
  const completionTokens = usage?.completionTokens ?? null;
  return {
    provider: res.headers.get("x-provider"),
    promptTokens: usage?.promptTokens ?? null,
    completionTokens,
    costUsd: usage?.costUsd ?? null,
    savingsUsd: usage?.savingsUsd ?? null,
    firstTokenMs,
    totalMs,
    tokensPerSecond: tokensPerSecond(completionTokens, firstTokenMs, totalMs),
  };
}

export const playgroundApi = {
  /** What the workspace may call: its ready deployments first, then bridge-map names and Western models. */
  models: async (): Promise<PlaygroundModel[]> => {
    const res = await fetch("/api/playground/models", { headers: { accept: "application/json" }, credentials: "same-origin" });
    if (!res.ok) throw await toApiError(res);
    return ((await res.json()) as { models: PlaygroundModel[] }).models;
  },
  chat,
};

/** $0.000123 for the tiny costs of one answer, $1.23 beyond a cent. */
export function formatCost(usd: number | null): string {
  if (usd === null) return "—";
  if (usd === 0) return "$0";
  return usd < 0.01 ? `$${usd.toFixed(6)}` : `$${usd.toFixed(2)}`;
}

/** 840 ms, 2.4 s */
export const formatMs = (ms: number | null) => (ms === null ? "—" : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/** 47.3 tok/s; whole numbers from 100 up, where a decimal is noise. */
export const formatSpeed = (tps: number | null) => (tps === null ? "—" : `${tps >= 100 ? Math.round(tps) : tps.toFixed(1)} tok/s`);
