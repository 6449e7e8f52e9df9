import { env, SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { getAuth } from "../../workers/auth/instance";
import { requireSession, requireWorkspace } from "../../workers/auth/middleware";
import { AUTH_RATE_LIMITS, durableObjectRateLimitStorage } from "../../workers/auth/rate-limit-storage";
import { roleAllows, roles, type Permission } from "../../workers/auth/roles";
import { ssoTrustedOrigins, vouchForIssuer } from "../../workers/auth/sso-trust";
import { openDb } from "../../workers/db/client";
import { member, organization } from "../../workers/db/schema";
import type { AppEnv, Env } from "../../workers/env";
import { AppError, apiErrorResponse } from "../../workers/errors";
import { app } from "../../workers/index";

let ipSeq = 0;
/** Each simulated client gets its own address, so auth rate limits only bite where a test wants them to. */
const nextIp = () => `198.51.100.${++ipSeq}`;

async function signUp(email: string, name = "Tester") {
  const res = await SELF.fetch("http://localhost/api/auth/sign-up/email", {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost", "cf-connecting-ip": nextIp() },
    body: JSON.stringify({ email, password: "correct horse battery", name }),
  });
  expect(res.status).toBe(200);
  const body = await res.json<{ token: string; user: { id: string } }>();
  return { token: body.token, userId: body.user.id, cookie: res.headers.get("set-cookie")!.split(";")[0]! };
}

describe("role matrix (static)", () => {
  const cases: Array<[string, Permission, Record<"viewer" | "member" | "admin" | "owner", boolean>]> = [
    ["read usage", { usage: ["read"] }, { viewer: true, member: true, admin: true, owner: true }],
    ["read keys", { apiKey: ["read"] }, { viewer: true, member: true, admin: true, owner: true }],
    ["create own key", { apiKey: ["create"] }, { viewer: false, member: true, admin: true, owner: true }],
    ["manage all keys", { apiKey: ["manage"] }, { viewer: false, member: false, admin: true, owner: true }],
    ["update bridge map", { bridge: ["update"] }, { viewer: false, member: false, admin: true, owner: true }],
    ["create deployment", { deployment: ["create"] }, { viewer: false, member: false, admin: true, owner: true }],
    ["delete deployment", { deployment: ["delete"] }, { viewer: false, member: false, admin: true, owner: true }],
    ["manage billing", { billing: ["manage"] }, { viewer: false, member: false, admin: true, owner: true }],
    ["read audit", { audit: ["read"] }, { viewer: false, member: false, admin: true, owner: true }],
    ["invite members", { member: ["create"] }, { viewer: false, member: false, admin: true, owner: true }],
    ["manage SSO", { sso: ["manage"] }, { viewer: false, member: false, admin: false, owner: true }],
    ["delete workspace", { organization: ["delete"] }, { viewer: false, member: false, admin: false, owner: true }],
  ];
  for (const [label, permission, expected] of cases) {
    it(`${label}: ${JSON.stringify(expected)}`, () => {
      for (const role of ["viewer", "member", "admin", "owner"] as const) {
        expect(roles[role].authorize(permission).success, `${role} ${label}`).toBe(expected[role]);
        expect(roleAllows(role, permission)).toBe(expected[role]);
      }
    });
  }

  it("combines comma-separated roles and refuses unknown ones", () => {
    expect(roleAllows("viewer,admin", { billing: ["manage"] })).toBe(true);
    expect(roleAllows("superuser", { usage: ["read"] })).toBe(false);
    expect(roleAllows("member", { usage: ["read"], billing: ["manage"] })).toBe(false);
  });
});

describe("auth instance", () => {
  it("is built once per isolate (per env object)", () => {
    expect(getAuth(env)).toBe(getAuth(env));
  });

  it("refuses to run without AUTH_SECRET outside local dev, with a JSON 503 instead of a 500", async () => {
    const prod = { ...env, SANDBOX_URL: "", AUTH_SECRET: undefined } as Env;
    expect(() => getAuth(prod)).toThrow(AppError);
    const res = await app.request("https://swaggystacks.com/api/auth/get-session", {}, prod);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: "auth_unconfigured" } });
    const me = await app.request("https://swaggystacks.com/api/me", {}, prod);
    expect(me.status).toBe(503);
  });

  it("answers a host it does not serve with 421 JSON, not better-auth's 500", async () => {
    for (const path of ["/api/auth/get-session", "/api/me"]) {
      const res = await SELF.fetch(`http://evil.example${path}`);
      expect(res.status, path).toBe(421);
      expect(await res.json()).toMatchObject({ error: { code: "unknown_host" } });
    }
    expect((await SELF.fetch("https://scientiacapital.com/api/auth/get-session")).status).toBe(200);
  });

  it("signs up with a personal workspace owned by the new user, made active in the session", async () => {
    const { userId, token } = await signUp("solo@example.com", "Solo");
    const rows = await openDb(env.DB)
      .select({ orgId: organization.id, role: member.role, metadata: organization.metadata, slug: organization.slug })
      .from(member)
      .innerJoin(organization, eq(member.organizationId, organization.id))
      .where(eq(member.userId, userId))
      .all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ role: "owner", metadata: JSON.stringify({ personal: true }) });
    const session = await SELF.fetch("http://localhost/api/auth/get-session", { headers: { authorization: `Bearer ${token}` } });
    const body = await session.json<{ session: { activeOrganizationId: string } }>();
    expect(body.session.activeOrganizationId).toBe(rows[0]!.orgId);
  });

  it("writes password-reset mail to email_outbox", async () => {
    await signUp("forgetful@example.com");
    const res = await SELF.fetch("http://localhost/api/auth/request-password-reset", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost", "cf-connecting-ip": nextIp() },
      body: JSON.stringify({ email: "forgetful@example.com", redirectTo: "/reset" }),
    });
    expect(res.status).toBe(200);
    const mail = await env.DB.prepare("select kind, url, subject from email_outbox where to_address = ?").bind("forgetful@example.com").first<{ kind: string; url: string }>();
    expect(mail?.kind).toBe("reset_password");
    expect(mail?.url).toMatch(/^http:\/\/localhost\/api\/auth\/reset-password\/[A-Za-z0-9]+/);
  });

  it("answers malformed JSON and wrong types with 4xx in the /api error shape", async () => {
    const bad = await SELF.fetch("http://localhost/api/auth/sign-in/email", { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": nextIp() }, body: "{nope" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "invalid_request" } });
    const wrong = await SELF.fetch("http://localhost/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": nextIp() },
      body: JSON.stringify({ email: 5, password: [] }),
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: "invalid_request" } });
  });
});

describe("SSO trusted origins", () => {
  it("adds registered issuers on SSO paths only, plus an issuer vouched for on one request", async () => {
    const db = openDb(env.DB);
    const now = Date.now();
    await env.DB.prepare("insert into user (id, name, email, email_verified, created_at, updated_at) values ('sso-u', 'S', 'sso@corp.example', 0, ?, ?)").bind(now, now).run();
    await env.DB.prepare("insert into sso_provider (id, issuer, user_id, provider_id, organization_id, domain) values ('p1', 'https://idp.corp.example/oauth2', 'sso-u', 'corp', null, 'corp.example')").run();
    expect(await ssoTrustedOrigins(db, new Request("http://localhost/api/auth/sso/callback/corp"))).toEqual(["https://idp.corp.example"]);
    expect(await ssoTrustedOrigins(db, new Request("http://localhost/api/auth/sign-in/sso", { method: "POST" }))).toEqual(["https://idp.corp.example"]);
    expect(await ssoTrustedOrigins(db, new Request("http://localhost/api/auth/organization/create", { method: "POST" }))).toEqual([]);
    expect(await ssoTrustedOrigins(db, undefined)).toEqual([]);
    const registering = new Request("http://localhost/api/auth/organization/create", { method: "POST" });
    vouchForIssuer(registering, "https://new-idp.example");
    expect(await ssoTrustedOrigins(db, registering)).toEqual(["https://new-idp.example"]);
    // A copy of the request (or a client-made one) carries no such vouching.
    expect(await ssoTrustedOrigins(db, new Request(registering))).toEqual([]);
  });
});

describe("rate-limit storage on the RateLimiter Durable Object", () => {
  it("allows `max` per window per client and path, then reports when to retry", async () => {
    const storage = durableObjectRateLimitStorage(env);
    const rule = AUTH_RATE_LIMITS.customRules["/sign-in/*"];
    const results = [];
    for (let i = 0; i <= rule.max; i++) results.push(await storage.consume("192.0.2.1|/sign-in/email", rule));
    expect(results.slice(0, rule.max).every((r) => r.allowed)).toBe(true);
    expect(results[rule.max]).toMatchObject({ allowed: false });
    expect(results[rule.max]!.retryAfter).toBeGreaterThan(0);
    // Another path of the same client, and the same path of another client, are separate.
    expect((await storage.consume("192.0.2.1|/get-session", rule)).allowed).toBe(true);
    expect((await storage.consume("192.0.2.2|/sign-in/email", rule)).allowed).toBe(true);
  });

  it("turns sign-in brute force into 429 with Retry-After", async () => {
    await signUp("target@example.com");
    const ip = nextIp();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < AUTH_RATE_LIMITS.customRules["/sign-in/*"].max + 2; i++) {
      last = await SELF.fetch("http://localhost/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": ip },
        body: JSON.stringify({ email: "target@example.com", password: `guess-${i}-wrong` }),
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, AUTH_RATE_LIMITS.customRules["/sign-in/*"].max).every((s) => s === 401)).toBe(true);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await last!.json()).toMatchObject({ error: { code: "rate_limited" } });
  });
});

describe("requireSession / requireWorkspace with real D1", () => {
  const probe = new Hono<AppEnv>();
  probe.onError((err, c) => apiErrorResponse(c, err));
  probe.get("/whoami", requireSession(), (c) => c.json({ user: c.get("user").email }));
  probe.get("/usage", requireWorkspace({ usage: ["read"] }), (c) => c.json(c.get("workspace")));
  probe.post("/billing", requireWorkspace({ billing: ["manage"] }), (c) => c.json(c.get("workspace")));
  const call = (path: string, headers: Record<string, string> = {}, method = "GET") =>
    probe.request(`http://localhost${path}`, { method, headers: { "cf-connecting-ip": nextIp(), ...headers } }, env);

  async function addMember(orgId: string, userId: string, role: string) {
    await openDb(env.DB).insert(member).values({ id: crypto.randomUUID(), organizationId: orgId, userId, role, createdAt: new Date() });
  }
  async function personalOf(userId: string) {
    const row = await env.DB.prepare("select organization_id as id from member where user_id = ?").bind(userId).first<{ id: string }>();
    return row!.id;
  }

  it("401 JSON without a session; cookie and Bearer both work", async () => {
    const none = await call("/whoami");
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: "unauthorized" } });
    const forged = await call("/whoami", { authorization: "Bearer not-a-session" });
    expect(forged.status).toBe(401);
    const u = await signUp("mw@example.com");
    expect(await (await call("/whoami", { cookie: u.cookie })).json()).toEqual({ user: "mw@example.com" });
    expect(await (await call("/whoami", { authorization: `Bearer ${u.token}` })).json()).toEqual({ user: "mw@example.com" });
  });

  it("uses x-workspace-id, else the session's active workspace; other tenants' ids are 404; roles are enforced (403)", async () => {
    const alice = await signUp("alice-mw@example.com");
    const bob = await signUp("bob-mw@example.com");
    const aliceWs = await personalOf(alice.userId);
    const bobWs = await personalOf(bob.userId);
    const auth = { authorization: `Bearer ${alice.token}` };

    // Fallback: the session's active workspace (her personal one), where she is owner.
    const own = await call("/usage", auth);
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ id: aliceWs, role: "owner", personal: true });

    // Bob's workspace id and a made-up one look the same to Alice.
    for (const id of [bobWs, "does-not-exist"]) {
      const res = await call("/usage", { ...auth, "x-workspace-id": id });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "workspace_not_found" } });
    }

    // As a viewer in Bob's workspace she may read usage but not manage billing.
    await addMember(bobWs, alice.userId, "viewer");
    const read = await call("/usage", { ...auth, "x-workspace-id": bobWs });
    expect(await read.json()).toMatchObject({ id: bobWs, role: "viewer", personal: true });
    const denied = await call("/billing", { ...auth, "x-workspace-id": bobWs }, "POST");
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: { code: "forbidden" } });
    // Bob, the owner, may.
    expect((await call("/billing", { authorization: `Bearer ${bob.token}`, "x-workspace-id": bobWs }, "POST")).status).toBe(200);
  });
});
