import { KEY_SCOPES, type KeyScope, type KeyView } from "../../../workers/keys/view";
import { ApiError } from "./api";

/**
 * Typed calls for the workspace's API keys (workers/keys/routes.ts; KeyView in workers/keys/store.ts):
 * GET /api/keys, POST /api/keys {name, scopes} (the only answer that carries the key itself, once) and
 * DELETE /api/keys/:id (revoke; the bridge stops taking the key within its 2-second cache).
 */
export { KEY_SCOPES, type KeyScope };

/** What each scope lets a key do, in a phrase (workers/keys/scopes.ts is the rule). */
export const SCOPE_HELP: Record<KeyScope, string> = {
  bridge: "Call models on /v1 (OpenAI, Anthropic and Gemini SDKs)",
  "mcp:read": "MCP: read models, deployments, usage",
  "mcp:write": "MCP: deploy, scale, delete, chat (includes read)",
  "mcp:admin": "MCP: change the bridge map (includes read)",
};

/** A key as GET /api/keys lists it (the server's KeyView). */
export type ApiKey = KeyView;

/** POST /api/keys: the view plus the key, which is never shown again. */
export interface CreatedKey extends ApiKey {
  key: string;
}

type ErrorBody = { error?: { code?: string; message?: string; details?: { path?: string; message?: string }[] } } | null;

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    credentials: "same-origin",
    ...init,
    headers: { accept: "application/json", ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ErrorBody;
    const details = Array.isArray(body?.error?.details) ? body.error.details.map((d) => [d.path, d.message].filter(Boolean).join(": ")).filter(Boolean) : [];
    const message = body?.error?.message ?? `${path}: HTTP ${res.status}`;
    throw new ApiError(res.status, body?.error?.code ?? "http_error", details.length ? `${message}: ${details.join("; ")}` : message);
  }
  return (await res.json()) as T;
}

export const keysApi = {
  list: () => call<{ keys: ApiKey[] }>("/api/keys").then((r) => r.keys),
  create: (name: string, scopes: KeyScope[]) => call<CreatedKey>("/api/keys", { method: "POST", body: JSON.stringify({ name, scopes }) }),
  revoke: (id: string) => call<{ id: string; revokedAt: string | null }>(`/api/keys/${encodeURIComponent(id)}`, { method: "DELETE" }),
};

/** May 3, 2026 */
export const formatDate = (iso: string) => new Date(iso).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric" });
