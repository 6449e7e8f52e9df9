import { beforeAll, describe, expect, it } from "vitest";
import { inviteAndAccept, me, query, signUp, type SignedUp, uniqueEmail, apiCall } from "./auth-client";

/**
 * The audit log over real HTTP: every change to keys, the bridge map, the workspace, members and SSO is
 * appended with actor, target and before/after; GET /api/audit filters, pages and exports it; the hash
 * chain shows tampering done directly in D1; only admins and owners of the workspace may read it.
 */
interface Entry {
  workspaceId: string;
  seq: number;
  at: number;
  time: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: any;
  after: any;
  prevHash: string;
  hash: string;
}

interface AuditPage {
  workspaceId: string;
  chainValid: boolean;
  chainLength: number;
  chainHead?: string;
  brokenAtSeq?: number;
  entries: Entry[];
  nextCursor: string | null;
}

const DOMAIN = `audit-${Date.now().toString(36)}.test`;
let owner: SignedUp, admin: SignedUp, dev: SignedUp, viewer: SignedUp, outsider: SignedUp;
let teamId = "";

/** Calls run in the shared team workspace unless told otherwise. */
function api(user: SignedUp, method: string, path: string, json?: unknown, ws = teamId) {
  return apiCall(user, method, path, json, ws ? { "x-workspace-id": ws } : {});
}

async function auditOf(user: SignedUp, qs = "", ws = teamId): Promise<AuditPage> {
  const res = await api(user, "GET", `/api/audit${qs}`, undefined, ws);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as AuditPage;
}

async function latest(action: string, ws = teamId): Promise<Entry> {
  const page = await auditOf(owner, `?action=${action}&limit=1`, ws);
  expect(page.entries.length, `no ${action} entry`).toBe(1);
  return page.entries[0]!;
}

const memberIds: Record<string, string> = {};

beforeAll(async () => {
  const named = (n: string) => signUp(uniqueEmail(n, DOMAIN), n);
  [owner, admin, dev, viewer, outsider] = await Promise.all([named("owner"), named("admin"), named("dev"), named("viewer"), named("outsider")]);
  const created = await owner.browser.post("/api/auth/organization/create", { name: "Audit Team", slug: `audit-${Date.now().toString(36)}` });
  expect(created.status).toBe(200);
  teamId = ((await created.json()) as { id: string }).id;
  memberIds.admin = (await inviteAndAccept(owner.browser, teamId, admin, "admin")).member.id;
  memberIds.dev = (await inviteAndAccept(owner.browser, teamId, dev, "member")).member.id;
  memberIds.viewer = (await inviteAndAccept(owner.browser, teamId, viewer, "viewer")).member.id;
});

describe("audit entries for each change", () => {
  it("workspace creation, invitations and joins are on record from the start, chain valid", async () => {
    const page = await auditOf(owner, "?limit=200");
    expect(page.chainValid).toBe(true);
    const oldestFirst = [...page.entries].reverse();
    expect(oldestFirst.map((e) => e.seq)).toEqual(oldestFirst.map((_, i) => i + 1));
    expect(oldestFirst[0]).toMatchObject({ action: "workspace.create", actorId: owner.userId, actorEmail: owner.email.toLowerCase(), targetType: "workspace", targetId: teamId });
    const invites = oldestFirst.filter((e) => e.action === "member.invite");
    expect(invites.map((e) => e.after.email)).toEqual([admin.email.toLowerCase(), dev.email.toLowerCase(), viewer.email.toLowerCase()]);
    expect(invites.map((e) => e.after.role)).toEqual(["admin", "member", "viewer"]);
    expect(invites.every((e) => e.actorId === owner.userId && e.targetType === "invitation")).toBe(true);
    const joins = oldestFirst.filter((e) => e.action === "member.join");
    expect(joins.map((e) => e.actorId)).toEqual([admin.userId, dev.userId, viewer.userId]);
    expect(page.chainLength).toBe(oldestFirst.length);
    expect(page.chainHead).toBe(page.entries[0]!.hash);
  });

  it("key.create, key.update and key.revoke carry before/after and never the key or its hash", async () => {
    const created = await api(dev, "POST", "/api/keys", { name: "ci", rpm: 5 });
    expect(created.status).toBe(201);
    const create = await latest("key.create");
    expect(create).toMatchObject({ actorId: dev.userId, actorEmail: dev.email.toLowerCase(), targetType: "api_key", targetId: created.body.id, before: null });
    expect(create.after).toMatchObject({ id: created.body.id, name: "ci", rpm: 5, prefix: created.body.prefix, revokedAt: null });

    expect((await api(admin, "PATCH", `/api/keys/${created.body.id}`, { name: "ci-2", rpm: 9 })).status).toBe(200);
    const update = await latest("key.update");
    expect(update).toMatchObject({ actorId: admin.userId, targetId: created.body.id });
    expect(update.before).toMatchObject({ name: "ci", rpm: 5 });
    expect(update.after).toMatchObject({ name: "ci-2", rpm: 9 });

    expect((await api(dev, "DELETE", `/api/keys/${created.body.id}`)).status).toBe(200);
    const revoke = await latest("key.revoke");
    expect(revoke).toMatchObject({ actorId: dev.userId, targetId: created.body.id });
    expect(revoke.before.revokedAt).toBeNull();
    expect(revoke.after.revokedAt).toEqual(expect.any(String));
    // Revoking twice changes nothing, so records nothing.
    expect((await api(dev, "DELETE", `/api/keys/${created.body.id}`)).status).toBe(200);
    expect((await latest("key.revoke")).seq).toBe(revoke.seq);

    const [{ hash }] = (await query<{ hash: string }>("select hash from api_key where id = ?", [created.body.id])) as [{ hash: string }];
    const everything = JSON.stringify(await auditOf(owner, "?limit=200"));
    expect(everything).not.toContain(created.body.key);
    expect(everything).not.toContain(hash);
  });

  it("bridge.update records the map before and after", async () => {
    const first = [{ match: "house-*", targets: ["openai/gpt-4o-mini"] }];
    const second = [{ match: "house-*", targets: ["anthropic/claude-haiku-4-5"] }];
    expect((await api(admin, "PUT", "/api/bridge", { rules: first })).status).toBe(200);
    expect((await api(owner, "PUT", "/api/bridge", { rules: second })).status).toBe(200);
    const entry = await latest("bridge.update");
    expect(entry).toMatchObject({ actorId: owner.userId, targetType: "bridge_map", targetId: teamId, before: { rules: first }, after: { rules: second } });
  });

  it("workspace.rename records old and new name", async () => {
    expect((await api(admin, "PATCH", "/api/workspace", { name: "Audit Team HQ" })).status).toBe(200);
    expect(await latest("workspace.rename")).toMatchObject({ actorId: admin.userId, before: { name: "Audit Team" }, after: { name: "Audit Team HQ" } });
  });

  it("workspace.update through better-auth's organization/update records before and after", async () => {
    const res = await owner.browser.post("/api/auth/organization/update", { organizationId: teamId, data: { name: "Audit Team Renamed" } });
    expect(res.status, await res.clone().text()).toBe(200);
    const entry = await latest("workspace.update");
    expect(entry).toMatchObject({ actorId: owner.userId, targetId: teamId, before: { name: "Audit Team HQ" }, after: { name: "Audit Team Renamed" } });
  });

  it("member.role_change names the acting user, not only the member changed", async () => {
    const res = await owner.browser.post("/api/auth/organization/update-member-role", { memberId: memberIds.dev, role: "admin", organizationId: teamId });
    expect(res.status).toBe(200);
    const entry = await latest("member.role_change");
    expect(entry).toMatchObject({ actorId: owner.userId, targetType: "member", targetId: memberIds.dev, before: { userId: dev.userId, role: "member" }, after: { userId: dev.userId, role: "admin" } });
    expect((await owner.browser.post("/api/auth/organization/update-member-role", { memberId: memberIds.dev, role: "member", organizationId: teamId })).status).toBe(200);
    expect((await latest("member.role_change")).after.role).toBe("member");
  });

  it("member.remove and member.leave", async () => {
    const temp = await signUp(uniqueEmail("temp", DOMAIN));
    const { member } = await inviteAndAccept(admin.browser, teamId, temp, "member");
    expect((await admin.browser.post("/api/auth/organization/remove-member", { memberIdOrEmail: member.id, organizationId: teamId })).status).toBe(200);
    expect(await latest("member.remove")).toMatchObject({ actorId: admin.userId, targetId: member.id, before: { userId: temp.userId, role: "member" }, after: null });

    const leaver = await signUp(uniqueEmail("leaver", DOMAIN));
    const joined = await inviteAndAccept(owner.browser, teamId, leaver, "viewer");
    expect((await leaver.browser.post("/api/auth/organization/leave", { organizationId: teamId })).status).toBe(200);
    expect(await latest("member.leave")).toMatchObject({ actorId: leaver.userId, actorEmail: leaver.email.toLowerCase(), targetId: joined.member.id, before: { userId: leaver.userId, role: "viewer" } });
  });

  it("sso.register records the provider without its client secret", async () => {
    const secret = "client-secret-that-must-not-be-logged-0123456789";
    const providerId = `audit-idp-${Date.now().toString(36)}`;
    const res = await owner.browser.post("/api/auth/sso/register", {
      providerId,
      issuer: "http://127.0.0.1:9/idp",
      domain: DOMAIN,
      organizationId: teamId,
      oidcConfig: {
        clientId: "platform",
        clientSecret: secret,
        skipDiscovery: true,
        authorizationEndpoint: "http://127.0.0.1:9/idp/auth",
        tokenEndpoint: "http://127.0.0.1:9/idp/token",
        jwksEndpoint: "http://127.0.0.1:9/idp/jwks",
      },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const entry = await latest("sso.register");
    expect(entry).toMatchObject({ actorId: owner.userId, targetType: "sso_provider", targetId: providerId, after: { providerId, issuer: "http://127.0.0.1:9/idp", domain: DOMAIN } });
    expect(JSON.stringify(await auditOf(owner, "?limit=200"))).not.toContain(secret);
  });
});

describe("reading the log", () => {
  it("filters by action (exact and family), actor (id or email) and time; pages with a cursor", async () => {
    const keys = await auditOf(owner, "?action=key.*&limit=200");
    expect(keys.entries.length).toBeGreaterThanOrEqual(3);
    expect(keys.entries.every((e) => e.action.startsWith("key."))).toBe(true);
    const two = await auditOf(owner, "?action=key.create,bridge.update&limit=200");
    expect(new Set(two.entries.map((e) => e.action))).toEqual(new Set(["key.create", "bridge.update"]));

    const byId = await auditOf(owner, `?actor=${admin.userId}&limit=200`);
    const byEmail = await auditOf(owner, `?actor=${encodeURIComponent(admin.email.toUpperCase())}&limit=200`);
    expect(byId.entries.length).toBeGreaterThan(0);
    expect(byId.entries.every((e) => e.actorId === admin.userId)).toBe(true);
    expect(byEmail.entries.map((e) => e.seq)).toEqual(byId.entries.map((e) => e.seq));

    const all = (await auditOf(owner, "?limit=200")).entries;
    const middle = all[Math.floor(all.length / 2)]!;
    const since = await auditOf(owner, `?since=${new Date(middle.at).toISOString()}&limit=200`);
    expect(since.entries.every((e) => e.at >= middle.at)).toBe(true);
    expect(since.entries.map((e) => e.seq)).toContain(middle.seq);
    const until = await auditOf(owner, `?until=${middle.at}&limit=200`);
    expect(until.entries.every((e) => e.at < middle.at)).toBe(true);

    // Newest first, three at a time, until the cursor runs out: every entry exactly once.
    const seen: number[] = [];
    let cursor: string | null = "";
    for (let pages = 0; cursor !== null && pages < 100; pages++) {
      const page: AuditPage = await auditOf(owner, `?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries.map((e) => e.seq));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all.map((e) => e.seq));
  });

  it("exports NDJSON oldest first, re-verifiable line by line", async () => {
    const res = await owner.browser.fetch("/api/audit?format=ndjson", { headers: { "x-workspace-id": teamId } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get("x-audit-chain-valid")).toBe("true");
    const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l) as Entry);
    expect(lines.map((e) => e.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(res.headers.get("x-audit-chain-head")).toBe(lines[lines.length - 1]!.hash);
    // An auditor can check the export with the same pure function the platform uses.
    const { verifyChain } = await import("../../workers/audit/chain");
    expect((await verifyChain(lines)).valid).toBe(true);

    const keysOnly = await owner.browser.fetch("/api/audit?format=ndjson&action=key.*", { headers: { "x-workspace-id": teamId } });
    const keyLines = (await keysOnly.text()).trim().split("\n").map((l) => JSON.parse(l) as Entry);
    expect(keyLines.every((e) => e.action.startsWith("key."))).toBe(true);
  });

  it("admins and owners read it; members and viewers get 403; another tenant's workspace id is 404", async () => {
    expect((await api(admin, "GET", "/api/audit")).status).toBe(200);
    for (const who of [dev, viewer]) {
      const res = await api(who, "GET", "/api/audit");
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: { code: "forbidden" } });
    }
    const res = await api(outsider, "GET", "/api/audit");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: "workspace_not_found" } });
    // And the outsider's own log shows nothing of the team.
    const own = await auditOf(outsider, "", "");
    expect(own.workspaceId).not.toBe(teamId);
    expect(own.entries.every((e) => e.workspaceId === own.workspaceId)).toBe(true);
    expect((await new (await import("./auth-client")).Browser().fetch("/api/audit")).status).toBe(401);
  });

  it("refuses bad queries with 400", async () => {
    for (const qs of ["?action=key.%25", "?since=yesterday", "?cursor=abc", "?limit=1000", "?format=csv", "?bogus=1", "?since=2026-02-01&until=2026-01-01"]) {
      const res = await api(owner, "GET", `/api/audit${qs}`);
      expect(res.status, qs).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
    }
  });
});

describe("the chain", () => {
  it("concurrent appends to one workspace never share a seq or fork", async () => {
    const racer = await signUp(uniqueEmail("racer"));
    const ws = (await me(racer.browser)).workspaces[0]!.id;
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => api(racer, "POST", "/api/keys", { name: `race ${i}` }, ws)));
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    const page = await auditOf(racer, "?limit=200", ws);
    expect(page.chainValid).toBe(true);
    const creates = page.entries.filter((e) => e.action === "key.create");
    expect(creates).toHaveLength(30);
    expect(new Set(creates.map((e) => e.targetId))).toEqual(new Set(results.map((r) => r.body.id)));
    const seqs = page.entries.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it("chainValid turns false when a row is edited, deleted or reordered in D1", async () => {
    const victim = await signUp(uniqueEmail("victim"));
    const ws = (await me(victim.browser)).workspaces[0]!.id;
    for (let i = 0; i < 4; i++) expect((await api(victim, "POST", "/api/keys", { name: `k${i}` }, ws)).status).toBe(201);
    expect((await auditOf(victim, "", ws)).chainValid).toBe(true);

    // An edited field.
    await query("update audit_log set after = replace(after, '\"k1\"', '\"innocent\"') where workspace_id = ? and seq = 2", [ws]);
    let page = await auditOf(victim, "", ws);
    expect(page).toMatchObject({ chainValid: false, brokenAtSeq: 2 });
    const exported = await victim.browser.fetch("/api/audit?format=ndjson", { headers: { "x-workspace-id": ws } });
    expect(exported.headers.get("x-audit-chain-valid")).toBe("false");
    expect(exported.headers.get("x-audit-chain-broken-at")).toBe("2");
    await query("update audit_log set after = replace(after, '\"innocent\"', '\"k1\"') where workspace_id = ? and seq = 2", [ws]);
    expect((await auditOf(victim, "", ws)).chainValid).toBe(true);

    // A deleted entry.
    const [row] = await query<Record<string, unknown>>("select * from audit_log where workspace_id = ? and seq = 3", [ws]);
    await query("delete from audit_log where workspace_id = ? and seq = 3", [ws]);
    page = await auditOf(victim, "", ws);
    expect(page).toMatchObject({ chainValid: false, brokenAtSeq: 3 });

    // Put it back under another number, as if entries had been reordered.
    const cols = Object.keys(row!);
    await query(`insert into audit_log (${cols.join(",")}) values (${cols.map(() => "?").join(",")})`, cols.map((c) => (c === "seq" ? 99 : row![c])));
    await query("update audit_log set seq = 3 where workspace_id = ? and seq = 4", [ws]);
    await query("update audit_log set seq = 4 where workspace_id = ? and seq = 99", [ws]);
    expect(await auditOf(victim, "", ws)).toMatchObject({ chainValid: false, brokenAtSeq: 3 });
  });
});
