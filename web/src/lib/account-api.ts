import { ApiError } from "./api";

/**
 * Typed calls for signing in and out and for the person's own account: better-auth's email and password
 * and enterprise SSO endpoints under /api/auth (README "Accounts and workspaces"), password reset, and
 * /api/account (workers/account/routes.ts: GET /export, DELETE / {password}).
 */
type ErrorBody = { message?: string; code?: string; error?: string | { code?: string; message?: string; details?: unknown } } | null;

/** The API's own sentence: the platform's `{error: {code, message, details}}`, else better-auth's `{message, code}`. */
export async function apiErrorOf(res: Response, path: string): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorBody;
  const platform = typeof body?.error === "object" ? body.error : undefined;
  const details = Array.isArray(platform?.details)
    ? (platform.details as unknown[])
        .map((d) => (typeof d === "string" ? d : typeof d === "object" && d ? [(d as { path?: string }).path, (d as { message?: string }).message].filter(Boolean).join(": ") : ""))
        .filter(Boolean)
    : [];
  let message = platform?.message ?? body?.message ?? `${path}: HTTP ${res.status}`;
  // Schema refusals say "Invalid …" and list each problem; rule problems are already in the sentence.
  if (details.length && !details.every((d) => message.includes(d))) message = `${message}: ${details.join("; ")}`;
  return new ApiError(res.status, platform?.code ?? body?.code ?? (typeof body?.error === "string" ? body.error : "http_error"), message);
}

export async function send<T>(path: string, method: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: { accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw await apiErrorOf(res, path);
  if (res.status === 204) return null as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

export const OFFLINE = "Could not reach the platform; check your connection.";
/** The API's message, or the offline sentence when there was no answer at all. */
export const messageOf = (err: unknown) => (err instanceof ApiError ? err.message : OFFLINE);

/**
 * Where `?next=` may send someone after signing in: a path on this origin only (never `//host`, a scheme
 * or a backslash trick); anything else is the dashboard.
 */
export function safeNext(raw: string | null, origin: string, fallback = "/home"): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return fallback;
  try {
    const url = new URL(raw, origin);
    if (url.origin !== origin) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

export const accountApi = {
  signIn: (email: string, password: string) => send<unknown>("/api/auth/sign-in/email", "POST", { email, password }),
  signUp: (name: string, email: string, password: string) => send<unknown>("/api/auth/sign-up/email", "POST", { email, password, name }),
  /** Signs out and forgets the API answers kept for offline use: they belong to the person leaving. */
  signOut: async () => {
    const out = await send<unknown>("/api/auth/sign-out", "POST", {});
    await import("./sw").then((sw) => sw.forgetLastSeen());
    return out;
  },
  /** The company's IdP for this email's domain: `{url}` to send the browser to. */
  sso: (email: string, callbackURL: string) => send<{ url: string }>("/api/auth/sign-in/sso", "POST", { email, callbackURL }),
  /** Mails a link to `redirectTo?token=…`; unknown addresses get the same answer. */
  requestPasswordReset: (email: string, redirectTo: string) => send<unknown>("/api/auth/request-password-reset", "POST", { email, redirectTo }),
  resetPassword: (token: string, newPassword: string) => send<unknown>("/api/auth/reset-password", "POST", { token, newPassword }),
  /** Everything the platform holds about the signed-in person, as the JSON file the API names. */
  export: async (): Promise<{ blob: Blob; filename: string }> => {
    const res = await fetch("/api/account/export", { credentials: "same-origin", headers: { accept: "application/json" } });
    if (!res.ok) throw await apiErrorOf(res, "/api/account/export");
    const filename = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "account.json";
    return { blob: await res.blob(), filename };
  },
  /** After re-authentication (the password; omitted for SSO-only accounts); the session cookie goes too. */
  delete: async (password: string) => {
    const out = await send<{ deleted: true }>("/api/account", "DELETE", password ? { password } : {});
    await import("./sw").then((sw) => sw.forgetLastSeen());
    return out;
  },
};
