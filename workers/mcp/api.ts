/**
 * How MCP tools reach the capabilities: as HTTP requests to the platform's own routes, dispatched in
 * process with the caller's own credential. A tool therefore validates, authorizes, audits and fails
 * exactly as the API does, and has no logic of its own to drift.
 */
export class ToolFailure extends Error {}

export interface ApiResponse<T> {
  body: T;
  headers: Headers;
  status: number;
}

export interface Api {
  call<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
}

/** `dispatch` is the app's own fetch; `origin` the brand's, so links in answers point at the right host. */
export function internalApi(dispatch: (req: Request) => Promise<Response>, origin: string, authorization: string, requestId: string): Api {
  return {
    async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const req = new Request(`${origin}${path}`, {
        method,
        headers: { authorization, accept: "application/json", "x-request-id": requestId, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const res = await dispatch(req);
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = text;
      }
      if (!res.ok) throw new ToolFailure(describeError(res.status, parsed));
      return { body: parsed as T, headers: res.headers, status: res.status };
    },
  };
}

/** The API's `{error: {code, message}}` (and the bridge's dialect errors) as one sentence for the model. */
export function describeError(status: number, body: unknown): string {
  const err = (body as { error?: { code?: unknown; type?: unknown; message?: unknown } } | null)?.error;
  const message = typeof err?.message === "string" ? err.message : typeof body === "string" && body ? body.slice(0, 300) : "request failed";
  const code = typeof err?.code === "string" ? err.code : typeof err?.type === "string" ? err.type : undefined;
  return `${message} (HTTP ${status}${code ? `, ${code}` : ""})`;
}
