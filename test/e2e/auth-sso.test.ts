import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Browser, me, query, signUp, type SignedUp, uniqueEmail } from "./auth-client";

/**
 * Enterprise SSO end to end: a real OpenID Provider (`oidc-provider`) runs in this process on a free port,
 * an organization owner registers it for the company's email domain, and a new employee signs in through
 * it with nothing but an email address. The IdP's login step is our own tiny interaction handler (dev
 * interactions are off): it signs in whoever the platform named in `login_hint`, as a company IdP would
 * after checking their password.
 */
const CLIENT_ID = "llm-platform";
const CLIENT_SECRET = "a-client-secret-long-enough-for-hs256-0123456789";
const PROVIDER_ID = `acme-${Date.now().toString(36)}`;
const DOMAIN = `acme-${Date.now().toString(36)}.test`;

let idp: Server;
let issuer: string;
let logins: string[] = [];

async function startIdp(platformUrl: string): Promise<void> {
  idp = createServer();
  await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${platformUrl}/api/auth/sso/callback/${PROVIDER_ID}`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, email: sub, email_verified: true, name: `Employee ${sub.split("@")[0]}` }),
    }),
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ["idp-cookie-signing-key-for-tests"] },
    jwks: { keys: [{ ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }), kid: "test", alg: "RS256", use: "sig" }] },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    // The platform is a first-party client of the company IdP: no consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const existing = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  const oidc = provider.callback();
  idp.on("request", (req, res) => {
    if (!req.url?.startsWith("/interaction/")) return oidc(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const who = String(details.params.login_hint ?? "");
      logins.push(who);
      await provider.interactionFinished(req, res, { login: { accountId: who } }, { mergeWithLastSubmission: false });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
}

describe("enterprise SSO through a real OIDC provider", () => {
  const platformUrl = inject("platformUrl");
  let owner: SignedUp;
  let orgId: string;

  beforeAll(async () => {
    await startIdp(platformUrl);
    owner = await signUp(uniqueEmail("it-admin", DOMAIN), "IT Admin");
    const created = await owner.browser.post("/api/auth/organization/create", { name: "Acme Corp", slug: PROVIDER_ID });
    expect(created.status).toBe(200);
    orgId = ((await created.json()) as { id: string }).id;
  });

  afterAll(() => new Promise<void>((resolve) => (idp ? idp.close(() => resolve()) : resolve())));

  const registration = (overrides: Record<string, unknown> = {}) => ({
    providerId: PROVIDER_ID,
    issuer,
    domain: DOMAIN,
    organizationId: orgId,
    oidcConfig: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: ["openid", "email", "profile"], pkce: true },
    ...overrides,
  });

  it("only the organization's owner may register, and only for their own, unclaimed, non-webmail domain", async () => {
    // An admin of the organization (invited) is not enough: SSO claims a domain, that is the owner's call.
    const admin = await signUp(uniqueEmail("admin", DOMAIN));
    const invite = await owner.browser.post("/api/auth/organization/invite-member", { email: admin.email, role: "admin", organizationId: orgId });
    const invitationId = ((await invite.json()) as { id: string }).id;
    expect((await admin.browser.post("/api/auth/organization/accept-invitation", { invitationId })).status).toBe(200);
    const byAdmin = await admin.browser.post("/api/auth/sso/register", registration());
    expect(byAdmin.status).toBe(403);
    expect(await byAdmin.json()).toMatchObject({ error: { code: "forbidden" } });

    // Someone outside the organization cannot even learn that it exists.
    const stranger = await signUp(uniqueEmail("stranger", DOMAIN));
    expect((await stranger.browser.post("/api/auth/sso/register", registration())).status).toBe(404);

    // The owner cannot claim a domain that is not theirs, nor a public mailbox provider.
    for (const domain of ["someone-else.test", "gmail.com"]) {
      const res = await owner.browser.post("/api/auth/sso/register", registration({ domain }));
      expect(res.status, domain).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "domain_not_allowed" } });
    }
    // Without a session: 401.
    expect((await new Browser().post("/api/auth/sso/register", registration())).status).toBe(401);
  });

  it("the owner registers the IdP; discovery works because the issuer is trusted for this registration", async () => {
    const res = await owner.browser.post("/api/auth/sso/register", registration());
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { providerId: string; domain: string; redirectURI: string; oidcConfig: Record<string, unknown> };
    expect(body).toMatchObject({ providerId: PROVIDER_ID, domain: DOMAIN });
    expect(body.redirectURI).toBe(`${platformUrl}/api/auth/sso/callback/${PROVIDER_ID}`);
    // Endpoints came from the IdP's discovery document.
    expect(body.oidcConfig).toMatchObject({ authorizationEndpoint: `${issuer}/auth`, tokenEndpoint: `${issuer}/token` });

    // The domain is now taken: a second registration for it is refused.
    const again = await owner.browser.post("/api/auth/sso/register", registration({ providerId: `${PROVIDER_ID}-2` }));
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "domain_taken" } });
  });

  it("an employee signs in with only their email: IdP chosen by domain, account created, member of the org", async () => {
    const email = `eve-${Date.now().toString(36)}@${DOMAIN}`;
    const browser = new Browser();
    const start = await browser.post("/api/auth/sign-in/sso", { email, callbackURL: "/welcome" });
    expect(start.status, await start.clone().text()).toBe(200);
    const { url, redirect } = (await start.json()) as { url: string; redirect: boolean };
    expect(redirect).toBe(true);
    const authorize = new URL(url);
    expect(authorize.origin).toBe(issuer);
    expect(authorize.searchParams.get("login_hint")).toBe(email);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");

    // At the IdP: authorize -> our login interaction -> resume -> back to the platform with a code.
    const atIdp = new Browser(issuer, browser.ip);
    let res = await atIdp.fetch(url);
    for (let hops = 0; hops < 8 && res.status >= 300 && res.status < 400; hops++) {
      const next = new URL(res.headers.get("location")!, issuer);
      if (next.origin !== issuer) break;
      res = await atIdp.fetch(next.href);
    }
    expect(logins).toContain(email);
    const callback = new URL(res.headers.get("location")!);
    expect(callback.href.startsWith(`${platformUrl}/api/auth/sso/callback/${PROVIDER_ID}`)).toBe(true);
    expect(callback.searchParams.get("code")).toBeTruthy();

    // Back at the platform: the callback signs the user in and sends them where they asked to go.
    const done = await browser.fetch(callback.href);
    expect(done.status, await done.clone().text()).toBe(302);
    expect(new URL(done.headers.get("location")!, platformUrl).pathname).toBe("/welcome");
    expect(browser.cookies.has("better-auth.session_token")).toBe(true);

    const profile = await me(browser);
    expect(profile.user.email).toBe(email);
    expect(profile.workspaces.find((w) => w.id === orgId)).toMatchObject({ role: "member", personal: false });
    expect(profile.workspaces.find((w) => w.personal)).toMatchObject({ role: "owner" });
    const accounts = await query<{ provider_id: string; account_id: string }>("select provider_id, account_id from account where user_id = ?", [profile.user.id]);
    expect(accounts).toEqual([{ provider_id: PROVIDER_ID, account_id: email }]);

    // A second sign-in reuses the same user (no duplicate account or membership).
    const again = new Browser();
    const { url: url2 } = (await (await again.post("/api/auth/sign-in/sso", { email, callbackURL: "/welcome" })).json()) as { url: string };
    const idp2 = new Browser(issuer, again.ip);
    let r2 = await idp2.fetch(url2);
    for (let hops = 0; hops < 8 && r2.status >= 300 && r2.status < 400 && new URL(r2.headers.get("location")!, issuer).origin === issuer; hops++) {
      r2 = await idp2.fetch(new URL(r2.headers.get("location")!, issuer).href);
    }
    expect((await again.fetch(r2.headers.get("location")!)).status).toBe(302);
    expect((await me(again)).user.id).toBe(profile.user.id);
    const memberships = await query<{ n: number }>("select count(*) as n from member where user_id = ? and organization_id = ?", [profile.user.id, orgId]);
    expect(memberships[0]!.n).toBe(1);
  });

  it("cookie-carrying auth calls from a foreign origin are refused (CSRF)", async () => {
    // (The test IdP is on loopback, which local dev trusts wholesale; that issuer origins are trusted only
    // on SSO paths is pinned in test/workers/auth.test.ts.)
    const forged = await owner.browser.fetch("/api/auth/organization/create", {
      method: "POST",
      json: { name: "Forged", slug: `forged-${Date.now().toString(36)}` },
      headers: { origin: "https://evil.example" },
    });
    expect(forged.status).toBe(403);
  });

  it("an email whose domain has no IdP gets a clean 4xx", async () => {
    const res = await new Browser().post("/api/auth/sign-in/sso", { email: "someone@no-idp-here.test", callbackURL: "/" });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await res.json()).toMatchObject({ error: { code: expect.any(String) } });
  });

  it("issuer and domain cannot be edited in place; only the owner may delete the provider", async () => {
    const edit = await owner.browser.post("/api/auth/sso/update-provider", { providerId: PROVIDER_ID, domain: "other.test" });
    expect(edit.status).toBe(400);
    const stranger = await signUp(uniqueEmail("stranger2", DOMAIN));
    expect((await stranger.browser.post("/api/auth/sso/delete-provider", { providerId: PROVIDER_ID })).status).toBe(404);
  });
});
