import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * A failure we expect and can explain to the caller. Thrown anywhere under /api and turned into
 * `{ "error": { "code", "message" } }` in exactly one place (`apiErrorResponse`).
 */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, "invalid_request", message, details);
export const notFound = (message = "Not found") => new AppError(404, "not_found", message);

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

/** Maps anything thrown to a status and body; unknown errors become a 500 with no internals leaked. */
export function toApiError(err: unknown): { status: ContentfulStatusCode; body: ApiErrorBody } {
  if (err instanceof AppError) {
    const error: ApiErrorBody["error"] = { code: err.code, message: err.message };
    if (err.details !== undefined) error.details = err.details;
    return { status: err.status, body: { error } };
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code = status === 413 ? "payload_too_large" : status === 401 ? "unauthorized" : status === 404 ? "not_found" : "invalid_request";
    return { status, body: { error: { code, message: err.message || "Request rejected" } } };
  }
  if (err instanceof SyntaxError) {
    return { status: 400, body: { error: { code: "invalid_json", message: "Request body is not valid JSON" } } };
  }
  return { status: 500, body: { error: { code: "internal", message: "Internal error" } } };
}

export function apiErrorResponse(c: Context, err: unknown): Response {
  const { status, body } = toApiError(err);
  if (status >= 500) console.error(`[${c.get("requestId") ?? "-"}]`, err);
  const requestId = c.get("requestId") as string | undefined;
  if (requestId) body.error.requestId = requestId;
  return c.json(body, status);
}
