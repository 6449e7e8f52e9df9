import OpenAI from "openai";
import { describe, expect, inject, it } from "vitest";
import { Browser, inviteAndAccept, me, PASSWORD, query, setPlan, signUp, type SignedUp, uniqueEmail, apiCall as api } from "./auth-client";
import { until } from "./wait";

/**
 * Privacy over real HTTP: GET /api/account/export hands a user all their data and no secrets;
 * DELETE /api/account re-authenticates, hands over or refuses, and removes everything in one transaction.
 */
const platform = inject("platformUrl");
const openai = (key: string) => new OpenAI({ baseURL: `${platform}/v1`, apiKey: key, maxRetries: 0 });

async function newKey(user: SignedUp, ws?: string) {
  const res = await api(user, "POST", "/api/keys", { name: "privacy key" }, ws ? { "x-workspace-id": ws } : {});
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  // These keys call gpt-4o-mini, which the Free plan does not serve (open models only): their workspace is on Pro.
  await setPlan(ws ?? (await api(user, "GET", "/api/workspace")).body.id, "pro");
  return res.body as { id: string; key: string; prefix: string };
}

async function createTeam(owner: SignedUp, name: string): Promise<string> {
  const res = await owner.browser.post("/api/auth/organization/create", { name, slug: `${name.toLowerCase().replaceAll(" ", "-")}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}` });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

const chat = (key: string, content = "hello") => openai(key).chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content }] });

describe("GET /api/account/export", () => {
  it("returns profile, sessions, workspaces, keys, usage, audit entries and mail, with no secrets", async () => {
    const user = await signUp(uniqueEmail("export"), "Exporter");
    const personalId = (await me(user.browser)).workspaces[0]!.id;
    const key = await newKey(user);
    const reply = await chat(key.key, "export me");
    expect((await api(user, "PUT", "/api/bridge", { rules: [{ match: "mine-*", targets: ["openai/gpt-4o-mini"] }] })).status).toBe(200);
    // Workspace settings of their own: a cost policy, prompt logging, and where events go (a paused webhook,
    // whose signing secret must not be exported, and an email address).
    expect((await api(user, "PUT", "/api/cost-policy", { autoscale: "propose", gpuSpendCeilingUsdPerMonth: 90 })).status).toBe(200);
    expect((await api(user, "PUT", "/api/logging", { logPrompts: true })).status).toBe(200);
    const hook = await api(user, "POST", "/api/notifications/endpoints", { url: "https://hooks.example.com/export", events: ["key.created"], enabled: false });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    expect((await api(user, "POST", "/api/notifications/endpoints", { email: "ops@example.com", events: ["*"] })).status).toBe(201);
    const boss = await signUp(uniqueEmail("export-boss"));
    const teamId = await createTeam(boss, "Export Team");
    await inviteAndAccept(boss, teamId, user, "member");
    // Catalog data of their own: a favorite and a personal collection with a noted model.
    expect((await api(user, "PUT", "/api/favorites/Qwen/Qwen2.5-7B-Instruct", { note: "my daily driver" })).status).toBe(201);
    const coll = await api(user, "POST", "/api/collections", { name: "Export picks" });
    expect(coll.status).toBe(201);
    expect((await api(user, "PUT", `/api/collections/${coll.body.id}/items/Qwen/Qwen3-0.6B`, { note: "tiny" })).status).toBe(201);
    // A password reset mail with a live one-time link in it.
    expect((await new Browser().post("/api/auth/request-password-reset", { email: user.email, redirectTo: "/reset" })).status).toBe(200);
    const ledger = await until(
      () => query("select 1 from usage_event where workspace_id = ?", [personalId]),
      (r) => r.length > 0,
    );
    expect(ledger.length).toBeGreaterThan(0);

    const res = await user.browser.fetch("/api/account/export");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const text = await res.text();
    const data = JSON.parse(text);

    expect(data.profile).toMatchObject({ id: user.userId, email: user.email, name: "Exporter" });
    expect(data.signInMethods).toEqual([expect.objectContaining({ providerId: "credential" })]);
    expect(data.sessions.length).toBeGreaterThanOrEqual(1);
    expect(data.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(data.workspaces.map((w: { id: string; role: string; personal: boolean }) => [w.id, w.role, w.personal])).toEqual([
      [personalId, "owner", true],
      [teamId, "member", false],
    ]);
    expect(data.apiKeys).toEqual([expect.objectContaining({ id: key.id, prefix: key.prefix, workspaceId: personalId })]);
    expect(data.personalWorkspace.id).toBe(personalId);
    expect(data.personalWorkspace.plan.plan).toBe("pro");
    expect(data.personalWorkspace.bridgeMap.rules).toEqual([{ match: "mine-*", targets: ["openai/gpt-4o-mini"] }]);
    expect(data.personalWorkspace.costPolicy).toMatchObject({ autoscale: "propose", gpuSpendCeilingUsdPerMonth: 90, maxWorkerUsdPerHour: null });
    expect(data.personalWorkspace.logPrompts).toBe(true);
    expect(data.personalWorkspace.notificationEndpoints.map((e: { kind: string; target: string; events: string[]; enabled: boolean }) => [e.kind, e.target, e.events, e.enabled])).toEqual([
      ["webhook", "https://hooks.example.com/export", ["key.created"], false],
      ["email", "ops@example.com", ["*"], true],
    ]);
    expect(text).not.toContain(hook.body.secret);
    expect(data.personalWorkspace.usage.events).toEqual([expect.objectContaining({ keyId: key.id, inputTokens: reply.usage!.prompt_tokens, outputTokens: reply.usage!.completion_tokens })]);
    expect(data.auditEntries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["key.create", "bridge.update", "member.join"]));
    expect(data.auditEntries.every((e: { actorId: string }) => e.actorId === user.userId)).toBe(true);
    expect(data.invitations).toEqual([expect.objectContaining({ workspaceId: teamId, status: "accepted" })]);
    expect(data.catalog.favorites).toEqual([expect.objectContaining({ modelId: "Qwen/Qwen2.5-7B-Instruct", note: "my daily driver" })]);
    expect(data.catalog.collections).toEqual([expect.objectContaining({ id: coll.body.id, name: "Export picks", workspaceId: null })]);
    expect(data.catalog.collectionItemsAdded).toEqual([expect.objectContaining({ collectionId: coll.body.id, modelId: "Qwen/Qwen3-0.6B", note: "tiny" })]);
    expect(data.deployments).toEqual([]);
    const kinds = data.emails.map((m: { kind: string }) => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(["invitation", "reset_password"]));

    // No secrets: key (and its hash), session tokens, password hash, one-time links.
    const [{ hash }] = (await query<{ hash: string }>("select hash from api_key where id = ?", [key.id])) as [{ hash: string }];
    const tokens = await query<{ token: string }>("select token from session where user_id = ?", [user.userId]);
    const [{ password }] = (await query<{ password: string }>("select password from account where user_id = ? and provider_id = 'credential'", [user.userId])) as [{ password: string }];
    const [{ url }] = (await query<{ url: string }>("select url from email_outbox where to_address = ? and kind = 'reset_password'", [user.email])) as [{ url: string }];
    expect(tokens.length).toBeGreaterThan(0);
    for (const secret of [key.key, hash, password, url, new URL(url).pathname.split("/").pop()!, ...tokens.map((t) => t.token)]) {
      expect(text).not.toContain(secret);
    }
    // No field that could hold one either ("hash" appears only as the audit chain's own hashes).
    expect(text).not.toMatch(/"(token|password|accessToken|refreshToken|idToken|oidcConfig|clientSecret)"/);
  });

  it("needs a session", async () => {
    expect((await api(new Browser(), "GET", "/api/account/export")).status).toBe(401);
  });
});

describe("DELETE /api/account", () => {
  it("re-authenticates: wrong password 401, missing password 400, bad bodies 400", async () => {
    const user = await signUp(uniqueEmail("del-auth"));
    expect(await api(user, "DELETE", "/api/account", { password: "not my password" })).toMatchObject({ status: 401, body: { error: { code: "invalid_password" } } });
    expect(await api(user, "DELETE", "/api/account", {})).toMatchObject({ status: 400, body: { error: { code: "password_required" } } });
    expect((await api(user, "DELETE", "/api/account", { password: 123 })).status).toBe(400);
    expect((await api(user, "DELETE", "/api/account", { password: PASSWORD, extra: true })).status).toBe(400);
    const raw = await user.browser.fetch("/api/account", { method: "DELETE", body: "{nope", headers: { "content-type": "application/json" } });
    expect(raw.status).toBe(400);
    expect((await api(new Browser(), "DELETE", "/api/account", { password: PASSWORD })).status).toBe(401);
    expect((await me(user.browser)).user.id).toBe(user.userId);
  });

  it("409 naming the shared workspaces it solely owns when there is no admin to hand them to; nothing changes", async () => {
    const user = await signUp(uniqueEmail("del-sole"));
    const dev = await signUp(uniqueEmail("del-sole-dev"));
    const teamId = await createTeam(user, "Lonely Owners Club");
    await inviteAndAccept(user, teamId, dev, "member");
    const key = await newKey(user);
    const res = await api(user, "DELETE", "/api/account", { password: PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("sole_owner");
    expect(res.body.error.message).toContain("Lonely Owners Club");
    expect(res.body.error.details.workspaces).toEqual([{ id: teamId, name: "Lonely Owners Club" }]);
    expect((await me(user.browser)).workspaces.map((w) => w.id)).toContain(teamId);
    expect((await chat(key.key)).choices).toHaveLength(1);
  });

  it("all or nothing: a failure inside the batch leaves every row as it was", async () => {
    const user = await signUp(uniqueEmail("del-atomic"));
    const boss = await signUp(uniqueEmail("del-atomic-boss"));
    const teamId = await createTeam(boss, "Atomic Team");
    await inviteAndAccept(boss, teamId, user, "admin");
    const key = await newKey(user, teamId);
    const personalId = (await me(user.browser)).workspaces.find((w) => w.personal)!.id;
    const trigger = `fail_delete_${user.userId.replace(/[^A-Za-z0-9]/g, "")}`;
    // The last statement of the batch fails: everything before it must roll back.
    await query(`create trigger ${trigger} before delete on user when old.id = '${user.userId}' begin select raise(abort, 'injected failure'); end`);
    try {
      const res = await api(user, "DELETE", "/api/account", { password: PASSWORD });
      expect(res.status).toBe(500);
    } finally {
      await query(`drop trigger ${trigger}`);
    }
    expect(await query("select id from organization where id = ?", [personalId])).toHaveLength(1);
    expect(await query("select id from member where user_id = ? and organization_id = ?", [user.userId, teamId])).toHaveLength(1);
    expect(await query("select revoked_at from api_key where id = ?", [key.id])).toEqual([{ revoked_at: null }]);
    expect(await query("select seq from audit_log where workspace_id = ? and action = 'member.leave'", [teamId])).toHaveLength(0);
    expect((await me(user.browser)).user.id).toBe(user.userId);
    expect((await chat(key.key)).choices).toHaveLength(1);
    // With the fault gone, the same request goes through.
    expect((await api(user, "DELETE", "/api/account", { password: PASSWORD })).status).toBe(200);
  });

  it("removes everything: keys stop working, ownership goes to the longest-standing admin, the personal workspace is gone", async () => {
    const domain = `gone-${Date.now().toString(36)}.test`;
    const user = await signUp(uniqueEmail("del-me", domain), "Leaving");
    const earlyAdmin = await signUp(uniqueEmail("early-admin", domain));
    const lateAdmin = await signUp(uniqueEmail("late-admin", domain));
    const other = await signUp(uniqueEmail("other-owner"));
    const personalId = (await me(user.browser)).workspaces[0]!.id;

    // A team they own alone (two admins), and a team where they are a member.
    const ownedId = await createTeam(user, "Handover Team");
    await inviteAndAccept(user, ownedId, earlyAdmin, "admin");
    await inviteAndAccept(user, ownedId, lateAdmin, "admin");
    const memberOfId = await createTeam(other, "Other Team");
    await inviteAndAccept(other, memberOfId, user, "member");
    // SSO for the team they own, registered by them.
    const sso = await user.browser.post("/api/auth/sso/register", {
      providerId: `gone-${Date.now().toString(36)}`,
      issuer: "http://127.0.0.1:9/idp",
      domain,
      organizationId: ownedId,
      oidcConfig: { clientId: "c", clientSecret: "s".repeat(40), skipDiscovery: true, authorizationEndpoint: "http://127.0.0.1:9/a", tokenEndpoint: "http://127.0.0.1:9/t", jwksEndpoint: "http://127.0.0.1:9/j" },
    });
    expect(sso.status, await sso.clone().text()).toBe(200);

    // Creating a team made it the session's active workspace: name the personal one explicitly.
    const personalKey = await newKey(user, personalId);
    const ownedKey = await newKey(user, ownedId);
    const memberKey = await newKey(user, memberOfId);
    for (const k of [personalKey, ownedKey, memberKey]) expect((await chat(k.key)).choices).toHaveLength(1);
    const ledger = await until(
      () => query("select 1 from usage_event where workspace_id = ?", [personalId]),
      (r) => r.length > 0,
    );
    expect(ledger.length).toBeGreaterThan(0);
    // The request metrics of those calls (written within 2 s) and the workspace's settings go too.
    await until(
      () => query("select 1 from request_metric where workspace_id = ?", [personalId]),
      (r) => r.length > 0,
    );
    expect((await api(user, "PUT", "/api/cost-policy", { autoscale: "off" }, { "x-workspace-id": personalId })).status).toBe(200);
    expect((await api(user, "POST", "/api/notifications/endpoints", { email: "gone@example.com", events: ["*"] }, { "x-workspace-id": personalId })).status).toBe(201);
    const cookies = user.browser.cookieHeader();

    const deletedAt = Date.now();
    const res = await api(user, "DELETE", "/api/account", { password: PASSWORD });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      deleted: true,
      userId: user.userId,
      personalWorkspaceId: personalId,
      handedOver: [{ id: ownedId, name: "Handover Team", newOwnerId: earlyAdmin.userId }],
      revokedKeys: 3,
    });
    expect(res.body.left.map((w: { id: string }) => w.id).sort()).toEqual([ownedId, memberOfId].sort());

    // Every key they made is refused by the bridge once the key cache's two seconds have passed. (Calls
    // inside that window would still be served, and billed to the deleted workspace id; none are made here.)
    await new Promise((r) => setTimeout(r, 2_100));
    for (const k of [personalKey, ownedKey, memberKey]) {
      expect(await chat(k.key, "after deletion").catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
    }

    // The account is gone: the old session, sign-in, every row about them.
    const stale = await fetch(`${platform}/api/me`, { headers: { cookie: cookies } });
    expect(stale.status).toBe(401);
    const signIn = await new Browser().post("/api/auth/sign-in/email", { email: user.email, password: PASSWORD });
    expect(signIn.status).toBe(401);
    for (const [sql, id] of [
      ["select id from user where id = ?", user.userId],
      ["select id from session where user_id = ?", user.userId],
      ["select id from account where user_id = ?", user.userId],
      ["select id from member where user_id = ?", user.userId],
      ["select id from organization where id = ?", personalId],
      ["select id from api_key where workspace_id = ?", personalId],
      ["select workspace_id from bridge_map where workspace_id = ?", personalId],
      ["select seq from audit_log where workspace_id = ?", personalId],
      ["select workspace_id from workspace_cost_policy where workspace_id = ?", personalId],
      ["select id from notification_endpoint where workspace_id = ?", personalId],
      ["select id from email_outbox where to_address = ?", user.email],
      ["select id from invitation where email = ?", user.email],
    ] as const) {
      expect(await query(sql, [id]), sql).toEqual([]);
    }
    // Metrics of requests made before the deletion are gone (the deletion's own request is logged after it).
    expect(await query("select workspace_id from request_metric where workspace_id = ? and at < ?", [personalId, deletedAt])).toEqual([]);
    // The ledger of the personal workspace is gone and stays gone (its outbox was drained first).
    await new Promise((r) => setTimeout(r, 500));
    expect(await query("select id from usage_event where workspace_id = ?", [personalId])).toEqual([]);
    expect(await query("select day from usage_daily where workspace_id = ?", [personalId])).toEqual([]);

    // Shared workspaces keep their keys (revoked, author cleared) and their history.
    expect(await query("select revoked_at is not null as revoked, created_by from api_key where id in (?, ?) order by id", [ownedKey.id, memberKey.id])).toEqual([
      { revoked: 1, created_by: null },
      { revoked: 1, created_by: null },
    ]);
    const roles = await query<{ user_id: string; role: string }>("select user_id, role from member where organization_id = ? order by created_at", [ownedId]);
    expect(roles).toEqual([
      { user_id: earlyAdmin.userId, role: "owner" },
      { user_id: lateAdmin.userId, role: "admin" },
    ]);
    expect(await query("select user_id from sso_provider where organization_id = ?", [ownedId])).toEqual([{ user_id: earlyAdmin.userId }]);

    const log = await api(earlyAdmin, "GET", "/api/audit?limit=200", undefined, { "x-workspace-id": ownedId });
    expect(log.status).toBe(200);
    expect(log.body.chainValid).toBe(true);
    const mine = log.body.entries.filter((e: { actorId: string }) => e.actorId === user.userId).map((e: { action: string; targetId: string }) => [e.action, e.targetId]);
    expect(mine).toEqual(expect.arrayContaining([["member.leave", expect.any(String)], ["member.role_change", expect.any(String)], ["key.revoke", ownedKey.id]]));
    const otherLog = await api(other, "GET", "/api/audit?action=member.leave", undefined, { "x-workspace-id": memberOfId });
    expect(otherLog.body.entries[0]).toMatchObject({ actorId: user.userId, after: { reason: "account_deleted" } });
  });

  it("SSO-only accounts confirm with a sign-in from the last five minutes instead of a password", async () => {
    const user = await signUp(uniqueEmail("del-sso"));
    // As if the account had come from an IdP: no password to check.
    await query("delete from account where user_id = ? and provider_id = 'credential'", [user.userId]);
    await query("update session set created_at = ? where user_id = ?", [Date.now() - 10 * 60_000, user.userId]);
    expect(await api(user, "DELETE", "/api/account")).toMatchObject({ status: 401, body: { error: { code: "reauthentication_required" } } });
    await query("update session set created_at = ? where user_id = ?", [Date.now(), user.userId]);
    expect(await api(user, "DELETE", "/api/account")).toMatchObject({ status: 200, body: { deleted: true } });
    expect(await query("select id from user where id = ?", [user.userId])).toEqual([]);
  });
});
