import type { Context, MiddlewareHandler } from "hono";
import { openDb } from "../db/client";
import type { AppEnv, SessionInfo, SessionUser } from "../env";
import { AppError } from "../errors";
import { assertKnownHost } from "./config";
import { getAuth } from "./instance";
import { roleAllows, type Permission } from "./roles";
import { findMembership, findPersonalMembership, type Workspace } from "./workspaces";

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

/** 401 unless the request carries a live session; sets `c.var.user` and `c.var.session`. */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!(await loadSession(c))) throw unauthorized();
    await next();
  };
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
export function requireWorkspace(permission?: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!(await loadSession(c))) throw unauthorized();
    const db = openDb(c.env.DB);
    const userId = c.get("user").id;
    const named = c.req.header(WORKSPACE_HEADER)?.trim();
    let workspace: Workspace | undefined;
    if (named) {
      workspace = named.length <= 128 ? await findMembership(db, userId, named) : undefined;
      if (!workspace) throw new AppError(404, "workspace_not_found", "No such workspace");
    } else {
      // The session's choice may be stale (the caller was removed from it since): the personal one then.
      const active = c.get("session").activeOrganizationId;
      workspace = (active ? await findMembership(db, userId, active) : undefined) ?? (await findPersonalMembership(db, userId));
      if (!workspace) throw new AppError(400, "workspace_required", `Name the workspace in the ${WORKSPACE_HEADER} header`);
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
