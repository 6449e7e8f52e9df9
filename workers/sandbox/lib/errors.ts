/**
 * Each real service's error body, so a fault injected by a test looks exactly like that service failing.
 * Shapes from the recorded fixtures (../shared/fixtures/upstream) and reference/upstream-apis.md.
 */
export type Service = "openai" | "anthropic" | "gemini" | "runpod" | "runpod-serverless" | "huggingface" | "stripe";
export const SERVICES: readonly Service[] = ["openai", "anthropic", "gemini", "runpod", "runpod-serverless", "huggingface", "stripe"];

const json = (status: number, body: unknown, headers: Record<string, string> = {}, type = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": type, ...headers } });

function openaiType(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: "invalid_request_error", code: "invalid_api_key" };
  if (status === 403) return { type: "invalid_request_error", code: "unsupported_country_region_territory" };
  if (status === 404) return { type: "invalid_request_error", code: "model_not_found" };
  if (status === 429) return { type: "requests", code: "rate_limit_exceeded" };
  if (status >= 500) return { type: "server_error", code: null };
  return { type: "invalid_request_error", code: null };
}

function anthropicType(status: number): string {
  const map: Record<number, string> = {
    400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "not_found_error",
    413: "request_too_large", 429: "rate_limit_error", 500: "api_error", 529: "overloaded_error",
  };
  return map[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

function googleStatus(status: number): string {
  const map: Record<number, string> = {
    400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 409: "ABORTED",
    429: "RESOURCE_EXHAUSTED", 499: "CANCELLED", 500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
  };
  return map[status] ?? (status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION");
}

const PROBLEM_TITLES: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
  409: "Conflict", 413: "Content Too Large", 422: "Unprocessable Entity", 429: "Too Many Requests",
  500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
};

export function problemTitle(status: number): string {
  return PROBLEM_TITLES[status] ?? (status >= 500 ? "Server Error" : "Client Error");
}

/** The error response `service` would send for `status`, with `message` as its human-readable part. */
export function serviceError(
  service: Service,
  status: number,
  message: string,
  opts: { retryAfterSeconds?: number; errors?: string[] } = {},
): Response {
  const headers: Record<string, string> = {};
  if (opts.retryAfterSeconds !== undefined) headers["retry-after"] = String(opts.retryAfterSeconds);
  switch (service) {
    case "openai": {
      const { type, code } = openaiType(status);
      return json(status, { error: { message, type, param: null, code } }, headers);
    }
    case "anthropic":
      return json(
        status,
        { type: "error", error: { type: anthropicType(status), message }, request_id: `req_sandbox_${status}` },
        { ...headers, "request-id": `req_sandbox_${status}` },
      );
    case "gemini": {
      const body: Record<string, unknown> = { code: status, message, status: googleStatus(status) };
      if (status === 429 && opts.retryAfterSeconds !== undefined) {
        body.details = [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${opts.retryAfterSeconds}s` }];
      }
      return json(status, { error: body }, headers);
    }
    case "runpod": {
      const body: Record<string, unknown> = { title: problemTitle(status), status, detail: message };
      if (opts.errors?.length) body.errors = opts.errors;
      return json(status, body, headers, "application/problem+json");
    }
    case "runpod-serverless":
      return json(status, { error: message }, headers);
    case "huggingface":
      return json(status, { error: message }, headers);
    case "stripe": {
      const type = status === 402 ? "card_error" : status >= 500 ? "api_error" : "invalid_request_error";
      const error: Record<string, unknown> = { type, message };
      if (status === 429) error.code = "rate_limit";
      if (status === 401) error.code = "api_key_invalid";
      return json(status, { error }, headers);
    }
  }
}
