import type { BridgeError, ChatEvent, ChatRequest, ChatResponse } from "../canonical";

/** What the bridge adds to every answer: who served it and what it cost (also sent as x-* headers). */
export interface BridgeMeta {
  requestId: string;
  provider: string;
  model: string;
  costUsd: number;
  savingsUsd: number;
  cache?: "HIT" | "MISS";
}

/** A parse failure in the caller's dialect terms: becomes a 400 (or 413/404) in that dialect's error shape. */
export class DialectError extends Error {
  constructor(
    readonly error: BridgeError,
    readonly param?: string,
  ) {
    super(error.message);
    this.name = "DialectError";
  }
}

export const invalid = (message: string, param?: string) => new DialectError({ status: 400, kind: "invalid_request", message }, param);

/** Turns canonical events into the caller's stream frames. Terminal frames wait for `end`, when usage and cost are known. */
export interface StreamEncoder {
  event(e: ChatEvent): string;
  end(meta: BridgeMeta): string;
  /** The stream broke after its first byte: an error frame in the dialect, never a clean end. */
  fail(error: BridgeError): string;
}

export interface Dialect<Parsed = ChatRequest> {
  name: "openai" | "anthropic" | "gemini";
  parse(body: unknown, ctx: { model?: string; stream?: boolean }): Parsed;
  streamEncoder(req: ChatRequest): StreamEncoder;
  encodeResponse(res: ChatResponse, meta: BridgeMeta, req: ChatRequest): unknown;
  encodeError(error: BridgeError, param?: string): { status: number; body: unknown; headers: Record<string, string> };
}
