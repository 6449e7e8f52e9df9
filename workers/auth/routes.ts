import { eq } from "drizzle-orm";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { audit } from "../audit/record";
import { openDb } from "../db/client";
import { organization } from "../db/schema";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { assertKnownHost } from "./config";
import { getAuth } from "./instance";
import { requireSession, requireWorkspace, sessionOptional, WORKSPACE_HEADER } from "./middleware";
import { roles, statements } from "./roles";
import { guardSsoMutation, SSO_MUTATIONS } from "./sso-guard";
import { listMemberships } from "./workspaces";
import { api } from "../openapi/describe";

/**
 * Accounts over HTTP, mounted at /api: better-auth under /api/auth/*, and the platform's own views of the
 * signed-in user (/api/me) and of the active workspace (/api/workspace).
 */
export const accountRoutes = new Hono<AppEnv>();

const AUTH_PREFIX = "/api/auth";

/** The better-auth endpoints the PWA, the connect CLI and SSO use, listed by name in the OpenAPI document. */
const AUTH_ENDPOINTS: Array<[method: string, path: string, summary: string]> = [
  ["POST", "/sign-up/email", "Sign up with {email, password, name}: sets the session cookie; a personal workspace is created"],
  ["POST", "/sign-in/email", "Sign in with {email, password}: sets the session cookie (and returns the token for Bearer use)"],
  ["POST", "/sign-out", "Sign out (ends the session)"],
  ["GET", "/get-session", "The current session and user, or null"],
  ["POST", "/request-password-reset", "Mail a password reset link: {email, redirectTo}; unknown addresses get the same answer"],
  ["POST", "/reset-password", "Set a new password with the mailed {token, newPassword}; signs out every session"],
  ["POST", "/sign-in/sso", "Start enterprise SSO: {email, callbackURL} -> {url} of the company IdP"],
  ["GET", "/sso/callback/{providerId}", "The OIDC redirect back from the company IdP"],
  ["POST", "/sso/register", "Register the workspace's OIDC IdP (owners; domain rules in workers/auth/sso-guard.ts)"],
  ["GET", "/sso/providers", "The SSO providers of the caller's workspaces"],
  ["POST", "/device/code", "Device authorization (RFC 8628): a device and user code for the connect CLI"],
  ["POST", "/device/token", "Device authorization: poll for the session once the user approved"],
  ["GET", "/device", "Device authorization: look up a user code"],
  ["POST", "/device/approve", "Device authorization: approve a user code (signed in)"],
  ["POST", "/device/deny", "Device authorization: deny a user code (signed in)"],
  ["POST", "/organization/create", "Create a workspace: {name, slug}"],
  ["POST", "/organization/set-active", "Make a workspace the session's active one: {organizationId}"],
  ["GET", "/organization/list-members", "A workspace's members (?organizationId=)"],
  ["GET", "/organization/list-invitations", "A workspace's pending invitations (?organizationId=)"],
  ["POST", "/organization/invite-member", "Invite someone: {organizationId, email, role}"],
  ["POST", "/organization/cancel-invitation", "Withdraw an invitation: {invitationId}"],
  ["GET", "/organization/get-invitation", "An invitation addressed to you (?id=)"],
  ["POST", "/organization/accept-invitation", "Accept an invitation: {invitationId}"],
  ["POST", "/organization/reject-invitation", "Decline an invitation: {invitationId}"],
  ["POST", "/organization/update-member-role", "Change a member's role: {organizationId, memberId, role}"],
  ["POST", "/organization/remove-member", "Remove a member: {organizationId, memberIdOrEmail}"],
  ["POST", "/organization/leave", "Leave a workspace: {organizationId}"],
];

const authDoc = api({
  tag: "Auth",
  summary: "Other better-auth endpoints",
  auth: ["none", "session"],
  errors: "api",
  wildcard: {
    description:
      "better-auth (https://better-auth.com) serves everything under /api/auth: email and password, sessions, organizations (workspaces), SSO and device authorization. It validates its own bodies; errors keep its {message, code} and add the platform's {error: {code, message}}. Rate limits per client IP: sign-in and sign-up 10/min, reset mail 5 per 5 min, other calls 300/min.",
    endpoints: AUTH_ENDPOINTS.map(([method, path, summary]) => ({ method, path: `/api/auth${path}`, summary, operationId: `auth${path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? "").toUpperCase())}` })),
  },
});

accountRoutes.on(["GET", "POST"], "/auth/*", authDoc, async (c) => {
  const auth = getAuth(c.env);
  assertKnownHost(c.env, c.req.header("host") ?? new URL(c.req.url).host);
  let request = c.req.raw;
  const path = new URL(request.url).pathname.slice(AUTH_PREFIX.length);
  if (request.method === "POST" && SSO_MUTATIONS.has(path)) request = await guardSsoMutation(c, auth, path);
  const res = await auth.handler(request);
  // The device grant's endpoints speak OAuth (RFC 8628 §3.5: `{"error": "authorization_pending"}` and its
  // kin); CLIs and OAuth libraries read that string, so those answers pass unchanged.
  if (OAUTH_SHAPED.has(path)) return res;
  return withApiErrorShape(res, c.get("requestId"));
});

const OAUTH_SHAPED = new Set(["/device/code", "/device/token"]);

/** better-auth's generic codes, renamed to the platform's; specific ones (INVALID_EMAIL_OR_PASSWORD) are kept. */
const GENERIC_CODES: Record<string, string> = {
  BAD_REQUEST: "invalid_request",
  VALIDATION_ERROR: "invalid_request",
  UNAUTHORIZED: "unauthorized",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "not_found",
};

const STATUS_CODES: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "invalid_request",
  429: "rate_limited",
};

/**
 * better-auth answers errors as `{ message, code }` (code in UPPER_SNAKE). The platform's /api contract is
 * `{ error: { code, message } }`; both are returned so better-auth's own client keeps reading its fields.
 * A 429 also gets the standard `Retry-After` (better-auth only sets `X-Retry-After`).
 */
async function withApiErrorShape(res: Response, requestId: string): Promise<Response> {
  if (res.status < 400) return res;
  let upstream: { message?: unknown; code?: unknown } = {};
  const text = await res.text();
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === "object") upstream = parsed as typeof upstream;
  } catch {
    // Not JSON (better-auth's bare 404 for unknown paths): the status decides the code.
  }
  if (res.status >= 500) console.error(`[${requestId}] better-auth ${res.status}: ${text.slice(0, 500)}`);
  const code =
    typeof upstream.code === "string" && res.status < 500
      ? (GENERIC_CODES[upstream.code] ?? upstream.code.toLowerCase())
      : (STATUS_CODES[res.status] ?? (res.status >= 500 ? "internal" : "invalid_request"));
  const message =
    res.status >= 500 ? "Internal error" : typeof upstream.message === "string" && upstream.message ? upstream.message : res.statusText || "Request rejected";
  const headers = new Headers(res.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.delete("content-length");
  const retryAfter = headers.get("x-retry-after");
  if (res.status === 429 && retryAfter) headers.set("retry-after", retryAfter);
  const body = { ...upstream, error: { code, message, requestId } };
  if (res.status >= 500) {
    delete body.message;
    delete body.code;
  }
  return new Response(JSON.stringify(body), { status: res.status as ContentfulStatusCode, headers });
}

/**
 * The PWA's entry point (`?optional=1`: 204 instead of 401 when nobody is signed in): who is signed in, every workspace they belong to with their role there, and the
 * active workspace (the `x-workspace-id` header if given, else the session's choice, else the personal one).
 */
accountRoutes.get("/me", sessionOptional(), requireSession(), api({ tag: "Auth", summary: "Who is signed in, their workspaces and the active one (?optional=1: 204 when signed out)", auth: "session" }), async (c) => {
  const db = openDb(c.env.DB);
  const user = c.get("user");
  const workspaces = await listMemberships(db, user.id);
  const asked = c.req.header(WORKSPACE_HEADER)?.trim();
  let active = asked ? workspaces.find((w) => w.id === asked) : undefined;
  if (asked && !active) throw new AppError(404, "workspace_not_found", "No such workspace");
  active ??= workspaces.find((w) => w.id === c.get("session").activeOrganizationId) ?? workspaces.find((w) => w.personal) ?? workspaces[0];
  return c.json({
    user,
    session: { id: c.get("session").id, expiresAt: c.get("session").expiresAt },
    workspaces: workspaces.map(({ id, name, slug, role, personal }) => ({ id, name, slug, role, personal })),
    activeWorkspaceId: active?.id ?? null,
  });
});

/** What the caller's role allows, resource by resource, so clients can show only what will work. */
function permissionsOf(rolesHeld: string): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const r of rolesHeld.split(",").map((x) => x.trim())) {
    const role = roles[r as keyof typeof roles];
    if (!role) continue;
    for (const [resource, actions] of Object.entries(role.statements as Record<string, readonly string[]>)) {
      if (!(resource in statements) || actions.length === 0) continue;
      for (const a of actions) (out[resource] ??= new Set()).add(a);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]]));
}

/** The active workspace, the caller's role in it and what that role permits. Any member may read it. */
accountRoutes.get("/workspace", requireWorkspace(), api({ tag: "Workspaces", summary: "The active workspace, your role and its permissions", auth: "workspace" }), async (c) => {
  const { id, name, slug, role, roles: held, personal } = c.get("workspace");
  return c.json({ id, name, slug, role, personal, permissions: permissionsOf(held) });
});

const renameBody = z.object({ name: z.string().trim().min(1).max(80) }).strict();

/** Renames the active workspace: admins and owners (`organization:update`). */
accountRoutes.patch(
  "/workspace",
  requireWorkspace({ organization: ["update"] }),
  api({ tag: "Workspaces", summary: "Rename the active workspace (admins and owners)", auth: "workspace", body: renameBody, invalidMessage: 'Body must be {"name": string (1-80 chars)}' }),
  async (c) => {
    const ws = c.get("workspace");
    const { name } = c.req.valid("json");
    await openDb(c.env.DB).update(organization).set({ name }).where(eq(organization.id, ws.id)).run();
    if (name !== ws.name) await audit(c, { action: "workspace.rename", target: { type: "workspace", id: ws.id }, before: { name: ws.name }, after: { name } });
    return c.json({ id: ws.id, name });
  },
);
