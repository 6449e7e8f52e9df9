import OpenAI from "openai";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { ADMIN_EMAIL, Browser, me, operatorAccount, PASSWORD, signUp, type SignedUp, uniqueEmail, apiCall as api } from "./auth-client";
import { until } from "./wait";

/**
 * Platform operators (ADMIN_EMAILS = admin@platform.test in global-setup) over real HTTP: plan changes by
 * workspace and by user take effect on /api/usage and are audited; everyone else gets 403; the funnel.
 */
const platform = inject("platformUrl");

let operator: SignedUp;
let user: SignedUp;
let personalId = "";
let teamId = "";

beforeAll(async () => {
  operator = await operatorAccount();
  user = await signUp(uniqueEmail("plan-user"));
  personalId = (await me(user.browser)).workspaces[0]!.id;
  const created = await user.browser.post("/api/auth/organization/create", { name: "Plan Team", slug: `plan-team-${Date.now().toString(36)}` });
  expect(created.status).toBe(200);
  teamId = ((await created.json()) as { id: string }).id;
});

describe("PUT /api/admin/{users,orgs}/:id/plan", () => {
  it("a user's plan is their personal workspace's; the new budget shows on /api/usage at once", async () => {
    const before = await api(user, "GET", "/api/usage", undefined, { "x-workspace-id": personalId });
    expect(before.body).toMatchObject({ plan: "free", budgetTokens: 10_000 });

    const res = await api(operator, "PUT", `/api/admin/users/${user.userId}/plan`, { plan: "pro" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ workspaceId: personalId, plan: "pro", budgetTokens: 1_000_000 });
    const after = await api(user, "GET", "/api/usage", undefined, { "x-workspace-id": personalId });
    expect(after.body).toMatchObject({ plan: "pro", budgetTokens: 1_000_000, remainingTokens: 1_000_000 });
    // The team workspace is untouched.
    expect((await api(user, "GET", "/api/usage", undefined, { "x-workspace-id": teamId })).body).toMatchObject({ plan: "free", budgetTokens: 10_000 });
  });

  it("an organization can go Enterprise with a custom limit, or none", async () => {
    const capped = await api(operator, "PUT", `/api/admin/orgs/${teamId}/plan`, { plan: "enterprise", monthlyTokens: 123_456 });
    expect(capped).toMatchObject({ status: 200, body: { workspaceId: teamId, plan: "enterprise", budgetTokens: 123_456 } });
    expect((await api(user, "GET", "/api/usage", undefined, { "x-workspace-id": teamId })).body).toMatchObject({ plan: "enterprise", budgetTokens: 123_456, remainingTokens: 123_456 });

    const unlimited = await api(operator, "PUT", `/api/admin/orgs/${teamId}/plan`, { plan: "enterprise", monthlyTokens: null });
    expect(unlimited.body).toMatchObject({ plan: "enterprise", budgetTokens: null });
    expect((await api(user, "GET", "/api/usage", undefined, { "x-workspace-id": teamId })).body).toMatchObject({ plan: "enterprise", budgetTokens: null, remainingTokens: null });

    expect((await api(operator, "PUT", `/api/admin/orgs/${teamId}/plan`, { plan: "team" })).body).toMatchObject({ plan: "team", budgetTokens: 5_000_000 });
  });

  it("every change is audited in the workspace it changed, with the operator as actor", async () => {
    const log = await api(user, "GET", "/api/audit?action=plan.change", undefined, { "x-workspace-id": teamId });
    expect(log.status).toBe(200);
    expect(log.body.chainValid).toBe(true);
    const oldestFirst = [...log.body.entries].reverse();
    expect(oldestFirst.map((e: { before: { plan: string }; after: { plan: string; monthlyTokens: number | null } }) => [e.before.plan, e.after.plan, e.after.monthlyTokens])).toEqual([
      ["free", "enterprise", 123_456],
      ["enterprise", "enterprise", null],
      ["enterprise", "team", null],
    ]);
    expect(oldestFirst.every((e: { actorId: string; actorEmail: string }) => e.actorId === operator.userId && e.actorEmail === ADMIN_EMAIL)).toBe(true);
    const personal = await api(user, "GET", "/api/audit?action=plan.change", undefined, { "x-workspace-id": personalId });
    expect(personal.body.entries[0]).toMatchObject({ targetType: "workspace", targetId: personalId, before: { plan: "free" }, after: { plan: "pro" } });
  });

  it("unknown ids are 404", async () => {
    expect(await api(operator, "PUT", "/api/admin/orgs/no-such-org/plan", { plan: "pro" })).toMatchObject({ status: 404, body: { error: { code: "workspace_not_found" } } });
    expect(await api(operator, "PUT", "/api/admin/users/no-such-user/plan", { plan: "pro" })).toMatchObject({ status: 404, body: { error: { code: "user_not_found" } } });
    expect((await api(operator, "PUT", `/api/admin/orgs/${"x".repeat(300)}/plan`, { plan: "pro" })).status).toBe(404);
  });

  it("bad bodies are 400, never 500", async () => {
    for (const body of [{}, { plan: "gold" }, { plan: "pro", monthlyTokens: 5 }, { plan: "enterprise", monthlyTokens: -1 }, { plan: "enterprise", monthlyTokens: 1.5 }, { plan: "enterprise", monthlyTokens: "lots" }, { plan: "pro", extra: 1 }, [], "pro", null]) {
      const res = await api(operator, "PUT", `/api/admin/orgs/${teamId}/plan`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
    }
    const raw = await operator.browser.fetch(`/api/admin/users/${user.userId}/plan`, { method: "PUT", body: "{plan:", headers: { "content-type": "application/json" } });
    expect(raw.status).toBe(400);
    expect((await api(user, "GET", "/api/usage", undefined, { "x-workspace-id": teamId })).body.plan).toBe("team");
  });

  it("everyone else: 403 (signed in) or 401 (not)", async () => {
    // A workspace owner is not a platform operator.
    for (const [method, path, body] of [
      ["PUT", `/api/admin/orgs/${teamId}/plan`, { plan: "enterprise" }],
      ["PUT", `/api/admin/users/${user.userId}/plan`, { plan: "enterprise" }],
      ["GET", "/api/admin/funnel", undefined],
    ] as const) {
      const res = await api(user, method, path, body);
      expect(res.status, path).toBe(403);
      expect(res.body).toMatchObject({ error: { code: "forbidden" } });
      expect((await api(new Browser(), method, path, body)).status).toBe(401);
    }
    // An address that merely looks like the operator's is not it.
    const lookalike = await signUp(uniqueEmail("admin", "platform.test.example"));
    expect((await api(lookalike, "GET", "/api/admin/funnel")).status).toBe(403);
    expect((await api(user, "GET", "/api/usage", undefined, { "x-workspace-id": teamId })).body.plan).toBe("team");
  });
});

describe("GET /api/admin/funnel", () => {
  it("counts sign-ups, users with a key, users who called the bridge, workspaces per plan", async () => {
    const first = await api(operator, "GET", "/api/admin/funnel");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      users: expect.any(Number),
      usersWithKey: expect.any(Number),
      usersWithBridgeCall: expect.any(Number),
      workspaces: expect.any(Number),
      workspacesPerPlan: { free: expect.any(Number), pro: expect.any(Number), team: expect.any(Number), enterprise: expect.any(Number) },
    });
    expect(first.body.workspacesPerPlan.pro).toBeGreaterThanOrEqual(1);
    expect(first.body.workspacesPerPlan.team).toBeGreaterThanOrEqual(1);
    expect(first.body.users).toBeGreaterThanOrEqual(first.body.usersWithKey);
    expect(first.body.usersWithKey).toBeGreaterThanOrEqual(first.body.usersWithBridgeCall);

    // One more user through every step of the funnel.
    const newcomer = await signUp(uniqueEmail("funnel"));
    const afterSignUp = (await api(operator, "GET", "/api/admin/funnel")).body;
    expect(afterSignUp.users).toBeGreaterThanOrEqual(first.body.users + 1);
    expect(afterSignUp.workspaces).toBeGreaterThanOrEqual(first.body.workspaces + 1);
    const key = await api(newcomer, "POST", "/api/keys", { name: "funnel" });
    expect(key.status).toBe(201);
    const afterKey = (await api(operator, "GET", "/api/admin/funnel")).body;
    expect(afterKey.usersWithKey).toBeGreaterThanOrEqual(first.body.usersWithKey + 1);
    // A Free workspace calls a Western model with its own key (the platform's serve paid plans only).
    const own = await api(newcomer, "PUT", "/api/provider-keys/openai", { apiKey: "sk-own-newcomer-1234", baseUrl: `${inject("sandboxUrl")}/openai/v1` });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    await new OpenAI({ baseURL: `${platform}/v1`, apiKey: key.body.key, maxRetries: 0 }).chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "funnel" }] });
    const afterCall = await until(
      async () => (await api(operator, "GET", "/api/admin/funnel")).body,
      (f) => f.usersWithBridgeCall >= first.body.usersWithBridgeCall + 1,
    );
    expect(afterCall.usersWithBridgeCall).toBeGreaterThanOrEqual(first.body.usersWithBridgeCall + 1);
  });
});
