import type { Context } from "hono";
import { z } from "zod";
import { eq } from "drizzle-orm";
import { openDb, type Db } from "../db/client";
import { ssoProvider } from "../db/schema";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { adminEmails } from "./config";
import type { Auth } from "./instance";
import { authHeaders } from "./middleware";
import { roleAllows } from "./roles";
import { originOf, vouchForIssuer } from "./sso-trust";
import { findMembership } from "./workspaces";

/**
 * Our rules on top of the SSO plugin's, checked before a provider is registered, changed or removed.
 * The plugin lets any organization admin register any domain. But a provider claims an email domain for the
 * whole platform (`sign-in/sso` sends every `@acme.com` address to it), so:
 * - only owners manage SSO (`sso:manage`), and only for an organization (no user-level providers);
 * - the claimed domain must be the owner's own email domain (platform operators in ADMIN_EMAILS may claim
 *   any), never a public mailbox provider, and not already claimed by another provider;
 * - issuer and domain cannot be edited in place: delete and register again, which re-runs these checks.
 */
const PUBLIC_MAIL_DOMAINS = new Set([
  "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com",
  "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de",
  "mail.com", "zoho.com", "yandex.com", "yandex.ru", "mail.ru", "qq.com", "163.com", "126.com", "fastmail.com",
]);

const registerBody = z.object({
  providerId: z.string().min(1).max(64),
  issuer: z.string().url().max(2048),
  domain: z.string().min(1).max(1024),
  organizationId: z.string().min(1).max(128),
});
const providerRef = z.object({ providerId: z.string().min(1).max(64) }).passthrough();

export const SSO_MUTATIONS = new Set(["/sso/register", "/sso/update-provider", "/sso/delete-provider"]);

/** Checks an SSO mutation; returns the request to hand to better-auth (the body re-attached). */
export async function guardSsoMutation(c: Context<AppEnv>, auth: Auth, path: string): Promise<Request> {
  const text = await c.req.raw.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError(400, "invalid_json", "Request body is not valid JSON");
  }
  const session = await auth.api.getSession({ headers: authHeaders(c) });
  if (!session) throw new AppError(401, "unauthorized", "Sign in first");
  const db = openDb(c.env.DB);
  const forward = new Request(c.req.raw, { body: text });

  if (path === "/sso/register") {
    const parsed = registerBody.safeParse(json);
    if (!parsed.success) throw new AppError(400, "invalid_request", "providerId, issuer (URL), domain and organizationId are required", parsed.error.issues);
    const body = parsed.data;
    await requireOwner(db, session.user.id, body.organizationId);
    await checkDomains(db, c, session.user.email, body.domain);
    const issuerOrigin = originOf(body.issuer);
    if (!issuerOrigin) throw new AppError(400, "invalid_request", "issuer must be an http(s) URL");
    vouchForIssuer(forward, issuerOrigin);
    return forward;
  }

  const parsed = providerRef.safeParse(json);
  if (!parsed.success) throw new AppError(400, "invalid_request", "providerId is required");
  const provider = await db.select().from(ssoProvider).where(eq(ssoProvider.providerId, parsed.data.providerId)).get();
  if (!provider?.organizationId) throw new AppError(404, "not_found", "No such SSO provider");
  await requireOwner(db, session.user.id, provider.organizationId);
  if (path === "/sso/update-provider" && ("issuer" in parsed.data || "domain" in parsed.data)) {
    throw new AppError(400, "invalid_request", "issuer and domain cannot be changed; delete the provider and register it again");
  }
  return forward;
}

async function requireOwner(db: Db, userId: string, organizationId: string): Promise<void> {
  const membership = await findMembership(db, userId, organizationId);
  // Not a member: the same 404 as everywhere, so organization ids cannot be probed through SSO either.
  if (!membership) throw new AppError(404, "workspace_not_found", "No such workspace");
  if (!roleAllows(membership.roles, { sso: ["manage"] })) throw new AppError(403, "forbidden", "Only workspace owners manage SSO");
}

async function checkDomains(db: Db, c: Context<AppEnv>, email: string, domainList: string): Promise<void> {
  const domains = domainList.split(",").map((d) => d.trim().toLowerCase()).filter(Boolean);
  if (domains.length === 0 || domains.some((d) => !/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(d))) {
    throw new AppError(400, "invalid_request", "domain must be one or more comma-separated domain names");
  }
  const operator = adminEmails(c.env).has(email.toLowerCase());
  const own = email.toLowerCase().split("@")[1];
  for (const domain of domains) {
    if (PUBLIC_MAIL_DOMAINS.has(domain)) throw new AppError(403, "domain_not_allowed", `${domain} is a public mail provider and cannot be claimed for SSO`);
    if (!operator && domain !== own) throw new AppError(403, "domain_not_allowed", `You can only claim your own email domain (${own}) for SSO`);
  }
  const claimed = new Set(
    (await db.select({ domain: ssoProvider.domain }).from(ssoProvider).all()).flatMap((r) => r.domain.split(",").map((d) => d.trim().toLowerCase())),
  );
  const taken = domains.find((d) => claimed.has(d));
  if (taken) throw new AppError(409, "domain_taken", `${taken} already has an SSO provider`);
}
