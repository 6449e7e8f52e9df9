import type { Context, MiddlewareHandler } from "hono";
import { openDb } from "../db/client";
import type { AppEnv, SessionInfo, SessionUser } from "../env";
import { AppError } from "../errors";
import { assertKnownHost } from "./config";
import { getAuth } from "./instance";
import { roleAllows, type Permission } from "./roles";
import { findMembership, findPersonalMembership, type Workspace } from "./workspaces";
import { eq } from "drizzle-orm";
import { user } from "../db/schema";
import { hasScope, scopesAllow } from "../keys/scopes";
import { isCredentialToken, resolveCredential } from "./credential";

/** The header that names the workspace a request acts in. */
export const WORKSPACE_HEADER = "x-workspace-id";

/**
 * Request headers for a direct `auth.api` call. better-auth derives the per-request base URL from the
 * Host header; requests built in code (tests, service bindings) may lack it, so it is filled from the URL.
 */
export function authHeaders(c: Context<AppEnv>): Headers {
  const headers = new Headers(c.req.raw.headers);
  if (!headers.has("host")) headers.set("host", new URL(c.req.url).host);
  assertKnownHost(c.env, headers.get("host") ?? undefined);
  return headers;
}

/**
 * Resolves the session once per request (cookie, or `Authorization: Bearer <session token>` through the
 * bearer plugin) and stores it on `c.var`. Returns false when there is none.
 */
async function loadSession(c: Context<AppEnv>): Promise<boolean> {
  if (c.get("user")) return true;
  // returnHeaders: when better-auth extends a session it re-issues the cookie; pass that on to the
  // client so the browser's cookie lives as long as the session it names.
  const { headers: issued, response: result } = await getAuth(c.env).api.getSession({ headers: authHeaders(c), returnHeaders: true });
  for (const cookie of issued.getSetCookie()) c.header("set-cookie", cookie, { append: true });
  if (!result) return false;
  const { user } = result;
  // The organization plugin adds activeOrganizationId to sessions; the inferred type does not carry it.
  const session = result.session as typeof result.session & { activeOrganizationId?: string | null };
  c.set("user", { id: user.id, email: user.email, name: user.name, emailVerified: user.emailVerified, image: user.image ?? null, createdAt: user.createdAt } satisfies SessionUser);
  c.set("session", { id: session.id, userId: session.userId, expiresAt: session.expiresAt, activeOrganizationId: session.activeOrganizationId ?? null } satisfies SessionInfo);
  return true;
}

const unauthorized = () =>
  new AppError(401, "unauthorized", "Sign in first: send the session cookie or Authorization: Bearer <session token>");

/**
 * For a client that only asks whether anyone is signed in (the PWA on load, `?optional=1`): 204 when
 * nobody is, so a signed-out visit is not an error (browsers log every 401 in the console); else on.
 */
export function sessionOptional(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.query("optional") === "1" && !(await loadSession(c))) return c.body(null, 204);
    await next();
  };
}

/** 401 unless the request carries a live session; sets `c.var.user` and `c.var.session`. */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!(await loadSession(c))) throw unauthorized();
    await next();
  };
}


/** The token of `Authorization: Bearer <token>`, if any. */
function bearerToken(c: Context<AppEnv>): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
}

/** The workspace a session acts in: the x-workspace-id header, else the active one, else the personal one. */
async function sessionWorkspace(c: Context<AppEnv>): Promise<Workspace> {
  const db = openDb(c.env.DB);
  const userId = c.get("user").id;
  const named = c.req.header(WORKSPACE_HEADER)?.trim();
  if (named) {
    const workspace = named.length <= 128 ? await findMembership(db, userId, named) : undefined;
    if (!workspace) throw new AppError(404, "workspace_not_found", "No such workspace");
    return workspace;
  }
  // The session's choice may be stale (the caller was removed from it since): the personal one then.
  const active = c.get("session").activeOrganizationId;
  const workspace = (active ? await findMembership(db, userId, active) : undefined) ?? (await findPersonalMembership(db, userId));
  if (!workspace) throw new AppError(400, "workspace_required", `Name the workspace in the ${WORKSPACE_HEADER} header`);
  return workspace;
}

/**
 * A key or token acts in its own workspace as the person who made it (their role now, not when it was
 * made) and only within its scopes. Without a named permission, reads need mcp:read and writes mcp:write.
 */
async function credentialWorkspace(c: Context<AppEnv>, token: string, permission: Permission | undefined): Promise<Workspace> {
  const found = await resolveCredential(c.env, token, { now: Date.now(), origin: new URL(c.req.url).origin, waitUntil: (p) => c.executionCtx.waitUntil(p) });
  if (!found.ok) throw new AppError(401, "unauthorized", found.message);
  const cred = found.credential;
  const named = c.req.header(WORKSPACE_HEADER)?.trim();
  if (named && named !== cred.workspaceId) throw new AppError(404, "workspace_not_found", "No such workspace");
  const db = openDb(c.env.DB);
  const [workspace, person] = await Promise.all([
    cred.userId ? findMembership(db, cred.userId, cred.workspaceId) : undefined,
    cred.userId ? db.select().from(user).where(eq(user.id, cred.userId)).get() : undefined,
  ]);
  if (!workspace || !person) throw new AppError(403, "forbidden", "The person this credential acts for is no longer a member of its workspace");
  const covered = permission ? scopesAllow(cred.scopes, permission) : hasScope(cred.scopes, ["GET", "HEAD"].includes(c.req.method) ? "mcp:read" : "mcp:write");
  if (!covered) {
    throw new AppError(403, "insufficient_scope", `This ${cred.kind === "key" ? "API key" : "token"} (scopes: ${cred.scopes.join(", ") || "none"}) does not cover this request`);
  }
  c.set("user", { id: person.id, email: person.email, name: person.name, emailVerified: person.emailVerified, image: person.image ?? null, createdAt: person.createdAt } satisfies SessionUser);
  c.set("credential", cred);
  return workspace;
}

/**
 * Resolves the workspace the request acts in and checks the caller may do `permission` there; sets
 * `c.var.workspace`. Implies `requireSession()`.
 *
 * The workspace is explicit: the `x-workspace-id` header, else the session's active workspace (set at
 * sign-in to the personal one, changed with organization/set-active), else the personal one. A named
 * workspace the caller does not belong to answers 404 exactly like one that does not exist, so ids of
 * other tenants cannot be probed; a member whose role lacks the permission gets 403.
 */
export function requireWorkspace(permission?: Permission, options: { sessionOnly?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const bearer = bearerToken(c);
    let workspace: Workspace | undefined;
    if (bearer && isCredentialToken(bearer)) {
      if (options.sessionOnly) throw new AppError(403, "session_required", "This needs a person signed in; API keys and tokens cannot do it");
      workspace = await credentialWorkspace(c, bearer, permission);
    } else {
      if (!(await loadSession(c))) throw unauthorized();
      workspace = await sessionWorkspace(c);
    }
    if (permission && !roleAllows(workspace.roles, permission)) {
      const wanted = Object.entries(permission)
        .map(([resource, actions]) => `${resource}:${(actions ?? []).join("|")}`)
        .join(", ");
      throw new AppError(403, "forbidden", `Your role in this workspace (${workspace.role}) does not allow ${wanted}`);
    }
    const { id, name, slug, role, roles, personal } = workspace;
    c.set("workspace", { id, name, slug, role, roles, personal });
    await next();
  };
}
