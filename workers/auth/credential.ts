import type { Env } from "../env";
import { KEY_PREFIX } from "../keys/format";
import type { KeyScope } from "../keys/scopes";
import { verifyApiKey } from "../keys/verify";

/**
 * Credentials that are not a browser session: platform API keys (`sk-…`) and, for the MCP server, OAuth
 * access tokens. Each resolves to the workspace it belongs to, the person it acts for and its scopes.
 */
export interface Credential {
  kind: "key" | "oauth";
  id: string;
  workspaceId: string;
  userId: string | null;
  scopes: KeyScope[];
}

export type CredentialCheck = { ok: true; credential: Credential } | { ok: false; message: string };

/** Resolvers for other token kinds (OAuth access tokens register theirs), each recognising its tokens by shape. */
/** Where and when a credential is presented: OAuth tokens are bound to the origin that issued them. */
export interface CredentialContext {
  now: number;
  origin: string;
  waitUntil?: (p: Promise<unknown>) => void;
}

type Resolver = (env: Env, token: string, ctx: CredentialContext) => Promise<CredentialCheck>;
const resolvers: { name: string; matches: (token: string) => boolean; resolve: Resolver }[] = [];

export function registerCredentialResolver(name: string, matches: (token: string) => boolean, resolve: Resolver): void {
  if (!resolvers.some((r) => r.name === name)) resolvers.push({ name, matches, resolve });
}

/** Whether a bearer token is one of ours rather than a better-auth session token. */
export function isCredentialToken(token: string): boolean {
  return token.startsWith(KEY_PREFIX) || resolvers.some((r) => r.matches(token));
}

const WHY: Record<string, string> = {
  malformed: "This API key is malformed (check that it was copied whole)",
  unknown: "Unknown API key",
  revoked: "This API key was revoked",
  expired: "This API key has expired",
};

export async function resolveCredential(env: Env, token: string, ctx: CredentialContext): Promise<CredentialCheck> {
  if (token.startsWith(KEY_PREFIX)) {
    const check = await verifyApiKey(env.DB, token, ctx.now, ctx.waitUntil);
    if (!check.ok) return { ok: false, message: WHY[check.reason] ?? "Invalid API key" };
    const r = check.record;
    return { ok: true, credential: { kind: "key", id: r.id, workspaceId: r.workspaceId, userId: r.createdBy, scopes: r.scopes } };
  }
  const resolver = resolvers.find((r) => r.matches(token));
  return resolver ? resolver.resolve(env, token, ctx) : { ok: false, message: "Unknown credential" };
}
