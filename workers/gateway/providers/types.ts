import type { BridgeError, ChatEvent, ChatRequest } from "../canonical";

/** What the pipeline needs to call one upstream: pure translation, the pipeline does the one fetch. */
export interface UpstreamCall {
  /** Path relative to the upstream base URL. */
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** Settings the target cannot honour, reported to the caller in `x-bridge-warnings`. */
  warnings: string[];
}

export interface Target {
  /** The provider's own model id (after bridge-map resolution). */
  model: string;
  baseUrl: string;
  apiKey: string | undefined;
}

/** Stateful decoder of one upstream stream: feed each SSE data payload, get canonical events. */
export interface StreamDecoder {
  push(data: string, event?: string): ChatEvent[];
  /** Called at end of input; returns closing events (open tool calls ended, a missing finish supplied). */
  end(): ChatEvent[];
}

export interface Provider {
  name: "openai" | "anthropic" | "gemini" | "runpod";
  buildRequest(req: ChatRequest, target: Target): UpstreamCall;
  decodeResponse(json: unknown): ChatEvent[];
  streamDecoder(): StreamDecoder;
  /** The upstream's error body and status, as a canonical error. */
  decodeError(status: number, body: string, headers: Headers): BridgeError;
}

export function retryAfterSeconds(headers: Headers): number | undefined {
  const v = headers.get("retry-after");
  if (!v) return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, Math.ceil(n));
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : undefined;
}

export function errorKind(status: number): BridgeError["kind"] {
  if (status === 400 || status === 422) return "invalid_request";
  if (status === 401) return "authentication";
  if (status === 403) return "permission";
  if (status === 404) return "not_found";
  if (status === 408 || status === 504) return "timeout";
  if (status === 413) return "too_large";
  if (status === 429) return "rate_limit";
  if (status === 503 || status === 529) return "overloaded";
  return "upstream";
}

/**
 * An upstream's error response as a canonical error: `read` pulls the message (and any retry hint in the body)
 * out of that provider's JSON; a body that is not JSON becomes the message itself (proxies answer HTML).
 */
export function upstreamError(
  status: number,
  body: string,
  headers: Headers,
  read: (parsed: unknown) => { message?: string | undefined; retryAfterSeconds?: number | undefined },
): BridgeError {
  let message = `Upstream returned HTTP ${status}`;
  let bodyRetry: number | undefined;
  try {
    const found = read(JSON.parse(body));
    if (found.message) message = found.message;
    bodyRetry = found.retryAfterSeconds;
  } catch {
    if (body.trim()) message = body.trim().slice(0, 500);
  }
  const err: BridgeError = { status, kind: errorKind(status), message };
  const ra = retryAfterSeconds(headers) ?? bodyRetry;
  if (ra !== undefined && Number.isFinite(ra)) err.retryAfterSeconds = ra;
  return err;
}
