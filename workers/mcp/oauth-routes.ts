import { AuthorizationError, CimdFetchError, type ConsentDescription } from "@cloudflare/workers-oauth-provider";
import { Hono, type Context } from "hono";
import { authHeaders } from "../auth/middleware";
import { getAuth } from "../auth/instance";
import { findMembership, listMemberships, type Workspace } from "../auth/workspaces";
import { openDb } from "../db/client";
import type { AppEnv } from "../env";
import { api } from "../openapi/describe";
import { scopesForRole, type KeyScope } from "../keys/scopes";
import { MCP_SCOPES, mcpResource, OAUTH_PATHS, oauthServer, type GrantProps } from "./oauth";

/**
 * The OAuth endpoints around /mcp: discovery documents, the library's token and registration endpoints,
 * and our authorization page, where a person signs in (a server-rendered form, no script), picks the
 * workspace, and grants scopes capped by their role there.
 */
const esc = (v: string) => v.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const SCOPE_TEXT: Record<string, string> = {
  "mcp:read": "see models, deployments, usage, the bridge map and collections",
  "mcp:write": "deploy, scale and delete models, chat with models, change collections",
  "mcp:admin": "change the bridge map",
};

function page(title: string, themeColor: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${esc(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}h1{color:${esc(themeColor)};font-size:1.4rem}
label{display:block;margin:.4rem 0}input[type=email],input[type=password],select{font:inherit;width:100%;padding:.5rem;box-sizing:border-box}
button{font:inherit;padding:.7rem 1.2rem;border:0;border-radius:.5rem;margin-right:.5rem;cursor:pointer}.allow{background:${esc(themeColor)};color:#fff}</style></head><body>${body}</body></html>`;
}

function signInPage(brand: AppEnv["Variables"]["brand"], next: string, error?: string): string {
  return page(
    `Sign in to ${brand.name}`,
    brand.themeColor,
    `<h1>Sign in to ${esc(brand.name)}</h1><p>An app asks to use your ${esc(brand.name)} workspace. Sign in to decide.</p>
${error ? `<p role="alert">${esc(error)}</p>` : ""}
<form method="post" action="${OAUTH_PATHS.authorize}/sign-in"><input type="hidden" name="next" value="${esc(next)}">
<label>Email <input type="email" name="email" autocomplete="username" required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<p><button class="allow" type="submit">Sign in</button></p></form>`,
  );
}

function consentPage(c: Context<AppEnv>, d: ConsentDescription, handle: string, workspaces: Workspace[]): string {
  const brand = c.var.brand;
  const options = workspaces.map((w) => `<option value="${esc(w.id)}">${esc(w.name)} (${esc(w.role)})</option>`).join("");
  // Every scope ticked by default, capped by the chosen workspace's role when granted: clients ask only for
  // the challenge's baseline, and a later step-up is something current SDKs handle poorly.
  const scopes = MCP_SCOPES.map((s) => `<label><input type="checkbox" name="scope" value="${s}" checked> <b>${s}</b>: ${esc(SCOPE_TEXT[s] ?? "")}</label>`).join("");
  return page(
    `Allow ${d.clientName}?`,
    brand.themeColor,
    `<h1>Allow ${esc(d.clientName)} to use ${esc(brand.name)}?</h1>
<p>${d.clientDomain ? `Published by <b>${esc(d.clientDomain)}</b>.` : "This app registered itself; its name is not verified."} Access goes to <b>${esc(d.redirectHost)}</b>.</p>
${d.redirectIsLoopback ? "<p><b>This sends access to an app on your computer.</b> Continue only if you just started signing in from it.</p>" : ""}
<form method="post"><input type="hidden" name="handle" value="${esc(handle)}">
<label>Workspace <select name="workspace">${options}</select></label>
<fieldset><legend>It may</legend>${scopes}</fieldset>
<p>Your role in the workspace limits what is granted; you can revoke access any time.</p>
<p><button class="allow" name="decision" value="approve">Allow</button><button name="decision" value="deny">Deny</button></p></form>`,
  );
}

async function sessionUser(c: Context<AppEnv>): Promise<string | undefined> {
  const session = await getAuth(c.env).api.getSession({ headers: authHeaders(c) });
  return session?.user.id;
}

function authorizationError(c: Context<AppEnv>, e: unknown): Response {
  if (e instanceof AuthorizationError && e.redirectTo) return c.redirect(e.redirectTo, 302);
  if (e instanceof AuthorizationError || e instanceof CimdFetchError) {
    const message = e instanceof AuthorizationError ? (e.description ?? "Invalid authorization request") : "This app could not be verified.";
    return c.html(page("Cannot authorize", c.var.brand.themeColor, `<h1>This request cannot be authorized</h1><p role="alert">${esc(message)}</p>`), 400);
  }
  throw e;
}

const unavailable = (c: Context<AppEnv>) => c.json({ error: "not_found", error_description: "OAuth is not offered on this host" }, 404);

/** A form post's fields, or null when the body is not a form (a missing or wrong content type, bad bytes). */
async function formOf(req: Request): Promise<FormData | null> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return null;
  try {
    return await req.formData();
  } catch {
    return null;
  }
}

export const oauthRoutes = new Hono<AppEnv>()
  // RFC 9728: the root document and the path-suffixed one for /mcp say the same.
  .get("/.well-known/oauth-protected-resource/mcp", api({ tag: "MCP", summary: "OAuth protected resource metadata for /mcp (RFC 9728)", auth: "none", errors: "oauth" }), (c) => protectedResource(c))
  .get("/.well-known/oauth-protected-resource", api({ tag: "MCP", summary: "OAuth protected resource metadata (RFC 9728)", auth: "none", errors: "oauth" }), (c) => protectedResource(c))
  .on(["GET", "HEAD", "OPTIONS"], "/.well-known/oauth-authorization-server", api({ tag: "MCP", summary: "OAuth authorization server metadata (RFC 8414)", auth: "none", errors: "oauth" }), (c) => {
    const server = oauthServer(new URL(c.req.url).origin);
    return server ? server.fetch(c.req.raw, c.env, c.executionCtx as ExecutionContext) : unavailable(c);
  })
  .on(["POST", "OPTIONS"], [OAUTH_PATHS.token, OAUTH_PATHS.register], api({ tag: "MCP", summary: "OAuth 2.1 token endpoint (/oauth/token, form-encoded) or dynamic client registration (/oauth/register, RFC 7591)", auth: "none", errors: "oauth" }), async (c) => {
    const server = oauthServer(new URL(c.req.url).origin);
    return server ? server.fetch(c.req.raw, c.env, c.executionCtx as ExecutionContext) : unavailable(c);
  })
  .get(OAUTH_PATHS.authorize, api({ tag: "MCP", summary: "OAuth authorization: sign-in and consent page (HTML)", auth: "none", errors: "html", responses: { 200: { description: "HTML page", contentType: "text/html" } } }), async (c) => {
    const server = oauthServer(new URL(c.req.url).origin);
    if (!server) return unavailable(c);
    const oauth = server.getOAuthApi(c.env);
    try {
      const request = await oauth.parseAuthRequest(c.req.raw); // client, redirect URI, PKCE, resource: checked first
      const userId = await sessionUser(c);
      if (!userId) return c.html(signInPage(c.var.brand, new URL(c.req.url).pathname + new URL(c.req.url).search));
      const workspaces = await listMemberships(openDb(c.env.DB), userId);
      const details = await oauth.describeConsent(request);
      const consent = await oauth.beginConsent(request);
      consent.headers.set("content-type", "text/html; charset=utf-8");
      return new Response(consentPage(c, details, consent.handle, workspaces), { headers: consent.headers });
    } catch (e) {
      return authorizationError(c, e);
    }
  })
  .post(`${OAUTH_PATHS.authorize}/sign-in`, api({ tag: "MCP", summary: "OAuth authorization: the sign-in form's post", auth: "none", errors: "html", bodyContentType: "application/x-www-form-urlencoded", responses: { 302: { description: "Back to the consent page" } } }), async (c) => {
    const form = await formOf(c.req.raw);
    if (!form) return c.text("Bad sign-in request: send the sign-in form (application/x-www-form-urlencoded)", 400);
    const next = String(form.get("next") ?? "");
    // Only back to the authorization page: never an open redirect.
    if (!next.startsWith(`${OAUTH_PATHS.authorize}?`)) return c.text("Bad sign-in request", 400);
    const result = await getAuth(c.env)
      .api.signInEmail({ body: { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") }, headers: authHeaders(c), returnHeaders: true })
      .catch(() => undefined);
    if (!result) return c.html(signInPage(c.var.brand, next, "Wrong email or password."), 401);
    const res = c.redirect(next, 303);
    for (const cookie of result.headers.getSetCookie()) res.headers.append("set-cookie", cookie);
    return res;
  })
  .post(OAUTH_PATHS.authorize, api({ tag: "MCP", summary: "OAuth authorization: the consent form's post (approve or deny, choose the workspace)", auth: "none", errors: "html", bodyContentType: "application/x-www-form-urlencoded", responses: { 302: { description: "Redirect to the client's callback" } } }), async (c) => {
    const server = oauthServer(new URL(c.req.url).origin);
    if (!server) return unavailable(c);
    const oauth = server.getOAuthApi(c.env);
    const userId = await sessionUser(c);
    if (!userId) return c.text("Sign in first", 401);
    const form = await formOf(c.req.raw.clone() as Request);
    if (!form) return c.text("Bad consent request: send the consent form (application/x-www-form-urlencoded)", 400);
    const handle = String(form.get("handle") ?? "");
    try {
      if (form.get("decision") !== "approve") {
        const denied = await oauth.denyConsent(c.req.raw, handle);
        return new Response(null, { status: 302, headers: denied.headers });
      }
      const member = await findMembership(openDb(c.env.DB), userId, String(form.get("workspace") ?? ""));
      if (!member) return c.text("You are not a member of that workspace", 403);
      const allowed = new Set<KeyScope>(scopesForRole(member.roles));
      const granted = form.getAll("scope").map(String).filter((s): s is KeyScope => allowed.has(s as KeyScope));
      if (!granted.length) return c.text("Your role in that workspace allows none of the chosen scopes", 403);
      const approved = await oauth.approveConsent(c.req.raw, handle, { scope: granted });
      const props: GrantProps = { userId, workspaceId: member.id };
      const { redirectTo } = await oauth.completeAuthorization({ request: approved.request, userId, scope: approved.request.scope, props, metadata: { workspaceId: member.id } });
      approved.headers.set("location", redirectTo);
      return new Response(null, { status: 302, headers: approved.headers });
    } catch (e) {
      return authorizationError(c, e);
    }
  });

function protectedResource(c: Context<AppEnv>): Response {
  const origin = new URL(c.req.url).origin;
  if (!oauthServer(origin)) return unavailable(c);
  return c.json(
    { resource: mcpResource(origin), authorization_servers: [origin], scopes_supported: MCP_SCOPES, bearer_methods_supported: ["header"], resource_name: `${c.var.brand.name} MCP` },
    200,
    { "access-control-allow-origin": "*", "cache-control": "public, max-age=300" },
  );
}
