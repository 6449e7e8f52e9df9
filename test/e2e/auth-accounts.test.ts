import { request } from "node:http";
import { describe, expect, inject, it } from "vitest";
import { Browser, me, PASSWORD, query, signUp, uniqueEmail } from "./auth-client";

describe("accounts over HTTP", () => {
  it("sign-up creates a personal workspace the caller owns, active by default", async () => {
    const { browser, email, userId } = await signUp(uniqueEmail("newbie"), "Newbie");
    const profile = await me(browser);
    expect(profile.user).toMatchObject({ id: userId, email, name: "Newbie" });
    expect(profile.workspaces).toHaveLength(1);
    expect(profile.workspaces[0]).toMatchObject({ role: "owner", personal: true, name: "Newbie's workspace" });
    expect(profile.activeWorkspaceId).toBe(profile.workspaces[0]!.id);
    // The same through better-auth's own organization list.
    const orgs = await (await browser.fetch("/api/auth/organization/list")).json();
    expect(orgs).toEqual([expect.objectContaining({ id: profile.workspaces[0]!.id })]);
  });

  it("sign-in: wrong password is 401 in both error shapes; right password gives a working session", async () => {
    const { email } = await signUp(uniqueEmail("signin"));
    const browser = new Browser();
    const wrong = await browser.post("/api/auth/sign-in/email", { email, password: "not the password" });
    expect(wrong.status).toBe(401);
    const body = await wrong.json();
    expect(body).toMatchObject({ code: "INVALID_EMAIL_OR_PASSWORD", error: { code: "invalid_email_or_password", message: expect.any(String) } });
    expect(browser.cookies.size).toBe(0);

    const ok = await browser.post("/api/auth/sign-in/email", { email, password: PASSWORD });
    expect(ok.status).toBe(200);
    expect([...browser.cookies.keys()]).toContain("better-auth.session_token");
    expect((await me(browser)).user.email).toBe(email);
  });

  it("a session works as cookie and as Bearer; sign-out ends it", async () => {
    const { browser, token, email } = await signUp(uniqueEmail("session"));
    expect((await me(browser)).user.email).toBe(email);
    const bearer = new Browser();
    expect((await me(bearer, { authorization: `Bearer ${token}` })).user.email).toBe(email);

    const out = await browser.post("/api/auth/sign-out", {});
    expect(out.status).toBe(200);
    expect(browser.cookies.has("better-auth.session_token")).toBe(false);
    // The token is dead server-side too, not just forgotten by this browser.
    const after = await bearer.fetch("/api/me", { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("/api/me without a session is a JSON 401", async () => {
    const res = await new Browser().fetch("/api/me");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/json/);
    expect(await res.json()).toMatchObject({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("/api/me?optional=1 is a bodiless 204 for nobody (no console error for a signed-out PWA), the person otherwise", async () => {
    const nobody = await new Browser().fetch("/api/me?optional=1");
    expect(nobody.status).toBe(204);
    expect(await nobody.text()).toBe("");
    const user = await signUp(uniqueEmail("me-optional"));
    const res = await user.browser.fetch("/api/me?optional=1");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { id: string } }).user.id).toBe(user.userId);
  });

  it("password reset: the mail lands in email_outbox and its link resets the password", async () => {
    const { email, token: oldToken } = await signUp(uniqueEmail("reset"));
    const browser = new Browser();
    const asked = await browser.post("/api/auth/request-password-reset", { email, redirectTo: "/reset-password" });
    expect(asked.status).toBe(200);
    // Unknown addresses answer the same, so the endpoint cannot be used to find accounts.
    const unknown = await browser.post("/api/auth/request-password-reset", { email: uniqueEmail("nobody"), redirectTo: "/reset-password" });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual(await asked.clone().json());

    const [mail] = await query<{ kind: string; url: string; body: string; sent_at: number | null }>(
      "select kind, url, body, sent_at from email_outbox where to_address = ? order by created_at desc",
      [email.toLowerCase()],
    );
    expect(mail).toMatchObject({ kind: "reset_password", sent_at: null });
    expect(mail!.body).toContain(mail!.url);

    // The link is better-auth's: it checks the token and sends the browser on with it.
    const link = await browser.fetch(mail!.url);
    expect(link.status).toBe(302);
    const landing = new URL(link.headers.get("location")!, browser.base);
    expect(landing.pathname).toBe("/reset-password");
    const token = landing.searchParams.get("token")!;
    expect(token).toBeTruthy();

    const newPassword = "a brand new passphrase";
    const reset = await browser.post("/api/auth/reset-password", { token, newPassword });
    expect(reset.status).toBe(200);
    // Old password refused, new one accepted, old sessions revoked, token single-use.
    expect((await new Browser().post("/api/auth/sign-in/email", { email, password: PASSWORD })).status).toBe(401);
    expect((await new Browser().post("/api/auth/sign-in/email", { email, password: newPassword })).status).toBe(200);
    expect((await new Browser().fetch("/api/me", { headers: { authorization: `Bearer ${oldToken}` } })).status).toBe(401);
    expect((await browser.post("/api/auth/reset-password", { token, newPassword: "yet another passphrase" })).status).toBe(400);
  });

  it("sign-in brute force from one client turns into 429 with Retry-After; other clients are unaffected", async () => {
    const { email } = await signUp(uniqueEmail("victim"));
    const attacker = new Browser();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 12; i++) {
      last = await attacker.post("/api/auth/sign-in/email", { email, password: `guess number ${i}` });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await last!.json()).toMatchObject({ error: { code: "rate_limited" } });
    // Even the right password waits out the window from that client...
    expect((await attacker.post("/api/auth/sign-in/email", { email, password: PASSWORD })).status).toBe(429);
    // ...while the owner signing in from elsewhere is not locked out.
    expect((await new Browser().post("/api/auth/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  });

  it("malformed JSON and wrong types are 4xx with the /api error shape, never 500", async () => {
    const { browser } = await signUp(uniqueEmail("fuzz"));
    const cases: Array<[string, string, BodyInit]> = [
      ["POST", "/api/auth/sign-in/email", "{not json"],
      ["POST", "/api/auth/sign-in/email", JSON.stringify({ email: 42, password: ["x"] })],
      ["POST", "/api/auth/sign-up/email", JSON.stringify({ email: "not-an-email", password: "short", name: null })],
      ["POST", "/api/auth/sign-up/email", JSON.stringify([1, 2, 3])],
      ["POST", "/api/auth/organization/create", JSON.stringify({ name: { a: 1 }, slug: 7 })],
      ["POST", "/api/auth/organization/invite-member", JSON.stringify({ email: "x@example.com", role: "emperor" })],
      ["POST", "/api/auth/organization/update-member-role", "null"],
      ["POST", "/api/auth/sso/register", "{oops"],
      ["POST", "/api/auth/sso/register", JSON.stringify({ providerId: 1 })],
      ["POST", "/api/auth/sign-in/sso", JSON.stringify({ email: "nobody@unknown-domain.test", callbackURL: "/" })],
      ["POST", "/api/auth/request-password-reset", JSON.stringify({ email: { $ne: null } })],
      ["PATCH", "/api/workspace", "{nope"],
      ["PATCH", "/api/workspace", JSON.stringify({ name: 12 })],
      ["PATCH", "/api/workspace", JSON.stringify({ name: "ok", extra: true })],
      ["GET", "/api/auth/no-such-endpoint", ""],
    ];
    for (const [method, path, body] of cases) {
      const res = await browser.fetch(path, { method, body: method === "GET" ? undefined : body, headers: { "content-type": "application/json" } });
      expect(res.status, `${method} ${path} ${String(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path} ${String(body)}`).toBeLessThan(500);
      const json = (await res.json()) as { error?: { code?: string; message?: string } };
      expect(json.error?.code, `${method} ${path}`).toEqual(expect.any(String));
      expect(json.error?.message, `${method} ${path}`).toEqual(expect.any(String));
    }
  });

  it("answers on both brand hostnames: the session cookie belongs to the host that set it", async () => {
    const platform = new URL(inject("platformUrl"));
    const email = uniqueEmail("brand");
    for (const host of [`scientiacapital.localhost:${platform.port}`, `swaggystacks.localhost:${platform.port}`]) {
      const res = await rawPost(platform, host, "/api/auth/sign-in/email", { email, password: PASSWORD });
      // Not signed up: 401 from better-auth (not a host/baseURL error) proves the host is accepted.
      expect(res.status, host).toBe(401);
    }
  });
});

/** POST with an explicit Host header (Node's fetch drops it; glibc does not resolve *.localhost). */
function rawPost(base: URL, host: string, path: string, json: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(json);
    const req = request(
      new URL(path, base),
      { method: "POST", headers: { host, origin: `http://${host}`, "content-type": "application/json", "content-length": Buffer.byteLength(body), "cf-connecting-ip": "10.250.0.1" } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
