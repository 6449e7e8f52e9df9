import type { Db } from "../db/client";
import { ssoProvider } from "../db/schema";

/**
 * Which IdP origins better-auth may talk to. The SSO plugin refuses to fetch a discovery document (and,
 * for IdPs on private addresses, token/userinfo/JWKS endpoints) from an origin outside `trustedOrigins`,
 * so the list must grow as organizations register IdPs: it is computed per request.
 *
 * Issuer origins are only added on SSO paths. Everywhere else trusted origins guard against CSRF and open
 * redirects, and an origin an organization owner typed in must not become trusted for the whole platform.
 */
const SSO_PATH = /^\/api\/auth\/(?:sso\/|sign-in\/sso$)/;

/**
 * The issuer a registration is about to add: discovery runs before the provider row exists, so the route
 * (after its own checks, see sso-guard.ts) vouches for it on that one Request object. A WeakMap keyed by the
 * Request cannot be forged by a client the way a header could.
 */
const pendingIssuers = new WeakMap<Request, string>();

export function vouchForIssuer(request: Request, issuerOrigin: string): void {
  pendingIssuers.set(request, issuerOrigin);
}

export async function ssoTrustedOrigins(db: Db, request: Request | undefined): Promise<string[]> {
  if (!request) return [];
  const origins: string[] = [];
  const pending = pendingIssuers.get(request);
  if (pending) origins.push(pending);
  if (SSO_PATH.test(new URL(request.url).pathname)) {
    // A handful of rows per platform; read on SSO requests only, so always current across isolates.
    const rows = await db.select({ issuer: ssoProvider.issuer }).from(ssoProvider).all();
    for (const { issuer } of rows) {
      const origin = originOf(issuer);
      if (origin) origins.push(origin);
    }
  }
  return origins;
}

export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.origin : undefined;
  } catch {
    return undefined;
  }
}
