import { OAuthAuthorizationServer, OAuthError } from "@cloudflare/workers-oauth-provider";
import { registerCredentialResolver, type CredentialCheck } from "../auth/credential";
import { findMembership } from "../auth/workspaces";
import { openDb } from "../db/client";
import type { Env } from "../env";
import { isKeyScope, scopesForRole, type KeyScope } from "../keys/scopes";

/**
 * MCP authorization (OAuth 2.1, the MCP spec's profile): this worker is the authorization server for its
 * own /mcp. `@cloudflare/workers-oauth-provider` does the protocol (RFC 8414 metadata, RFC 7591 dynamic
 * registration with any-port loopback redirects, authorization code with PKCE S256 only, RFC 8707
 * `resource` checks, rotating refresh tokens, RFC 7009 revocation, tokens stored only as hashes in
 * OAUTH_KV); the consent page is ours (oauth-routes.ts). An access token acts like an API key: for one
 * person in one workspace, within its scopes, capped again by their role at every call.
 */
export const MCP_SCOPES: KeyScope[] = ["mcp:read", "mcp:write", "mcp:admin"];
export const OAUTH_PATHS = { authorize: "/oauth/authorize", token: "/oauth/token", register: "/oauth/register" } as const;

/** Custom-scheme callbacks accepted at registration (Cursor's); every other redirect is http(s). */
const PRIVATE_USE_REDIRECTS = new Set(["cursor://anysphere.cursor-mcp/oauth/callback"]);

export interface GrantProps {
  userId: string;
  workspaceId: string;
}

/**
 * One authorization server per origin: the library fixes issuer and resource at construction, and one
 * worker answers several hostnames (both brands locally). It refuses plain http except on loopback, so
 * `http://swaggystacks.localhost` has no OAuth (API keys still work there); production is https.
 */
const servers = new Map<string, OAuthAuthorizationServer<Env> | null>();

export function oauthServer(origin: string): OAuthAuthorizationServer<Env> | undefined {
  if (!servers.has(origin)) {
    try {
      servers.set(origin, build(origin));
    } catch (err) {
      console.warn(`MCP OAuth unavailable on ${origin}: ${(err as Error).message}`);
      servers.set(origin, null);
    }
  }
  return servers.get(origin) ?? undefined;
}

export const mcpResource = (origin: string) => `${origin}/mcp`;

function build(origin: string): OAuthAuthorizationServer<Env> {
  return new OAuthAuthorizationServer<Env>({
    issuer: origin,
    resources: [mcpResource(origin)],
    authorizeEndpoint: OAUTH_PATHS.authorize,
    tokenEndpoint: OAUTH_PATHS.token,
    clientRegistrationEndpoint: OAUTH_PATHS.register,
    scopesSupported: [...MCP_SCOPES],
    accessTokenTTL: 3600,
    refreshTokenTTL: 90 * 86_400,
    refreshTokenIdleTTL: 30 * 86_400,
    allowPrivateUseRedirectUris: true,
    clientRegistrationCallback: ({ clientMetadata }) => {
      const uris = Array.isArray(clientMetadata.redirect_uris) ? (clientMetadata.redirect_uris as unknown[]) : [];
      const bad = uris.find((u) => typeof u !== "string" || (!/^https?:/i.test(u) && !PRIVATE_USE_REDIRECTS.has(u)));
      if (bad !== undefined) return { code: "invalid_redirect_uri", description: `Unsupported redirect URI ${String(bad)}` };
    },
    // At code exchange and every refresh: a person removed from the workspace loses the grant, a demoted
    // one gets a narrower token.
    tokenExchangeCallback: async ({ grantType, props, requestedScope, env }) => {
      if (grantType !== "authorization_code" && grantType !== "refresh_token") return;
      const p = props as GrantProps;
      const member = await findMembership(openDb(env.DB), p.userId, p.workspaceId);
      if (!member) throw new OAuthError("invalid_grant", { description: "No longer a member of the workspace this access was granted for" });
      const allowed = new Set(scopesForRole(member.roles));
      return { accessTokenScope: requestedScope.filter((s) => allowed.has(s as KeyScope)) };
    },
    onError: ({ code, description, status }) => {
      if (status >= 500) console.error(`oauth ${code}: ${description}`);
    },
  });
}

/** Access tokens look like `<user>:<grant>:<secret>`; API keys and session tokens never contain a colon. */
export function isOAuthToken(token: string): boolean {
  return /^[^:\s]{1,200}:[^:\s]{1,200}:[^:\s]{1,200}$/.test(token);
}

async function resolveOAuth(env: Env, token: string, ctx: { origin: string }): Promise<CredentialCheck> {
  const server = oauthServer(ctx.origin);
  if (!server) return { ok: false, message: "OAuth is not available on this host" };
  const valid = await server.validateToken(mcpResource(ctx.origin), token, env);
  if (!valid) return { ok: false, message: "Invalid or expired access token" };
  const props = valid.props as GrantProps;
  const grantId = token.split(":")[1]!;
  return { ok: true, credential: { kind: "oauth", id: `oauth:${grantId}`, workspaceId: props.workspaceId, userId: props.userId, scopes: valid.scope.filter(isKeyScope) } };
}

registerCredentialResolver("oauth", isOAuthToken, resolveOAuth);
