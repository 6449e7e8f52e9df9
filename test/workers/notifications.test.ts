import { env, runDurableObjectAlarm, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { Env } from "../../workers/env";
import { app } from "../../workers/index";
import { enqueue, notify } from "../../workers/notify/emit";
import { naturalIds } from "../../workers/notify/events";
import { notifyBudgetRefused, notifyDeployTransition } from "../../workers/notify/emitters";
import { periodOf } from "../../workers/budgets/policy";
import { pruneNotifications, RETENTION_MS } from "../../workers/notify/resume";
import { resumeNotifications } from "../../workers/notify/resume";
import { generateSecret } from "../../workers/notify/sign";
import { sealEndpointSecret } from "../../workers/notify/store";
import { until } from "../e2e/wait";

/**
 * Notifications against a real D1 and the NotifyObject: deduplication when the same event is emitted
 * concurrently, the object's alarm attempting due deliveries and scheduling the next retry, recovery of
 * an attempt lost mid-flight, and the production SSRF policy through the API (loopback refused).
 * Webhook targets are the sandbox stand-in on 127.0.0.1 (loopback is allowed in local development); it
 * answers 404 to the paths used here, so attempts fail and retries are scheduled.
 */
const WS = "ws-notify-test";
const SANDBOX = env.TEST_SANDBOX_URL;
const db = env.DB;
let seq = 0;

async function endpoint(opts: { events?: string[]; enabled?: boolean; target?: string } = {}): Promise<string> {
  const id = `nep_test_${++seq}`;
  await db
    .prepare("insert into notification_endpoint (id, workspace_id, kind, target, events, sealed_secret, enabled) values (?, ?, 'webhook', ?, ?, ?, ?)")
    .bind(id, WS, opts.target ?? `${SANDBOX}/notify-test/${id}`, JSON.stringify(opts.events ?? ["budget.threshold"]), await sealEndpointSecret(env, id, generateSecret()), opts.enabled === false ? 0 : 1)
    .run();
  return id;
}

const count = async (sql: string, ...params: unknown[]) => (await db.prepare(sql).bind(...params).first<{ n: number }>())!.n;
const stub = () => env.NOTIFY.get(env.NOTIFY.idFromName(WS));

beforeAll(async () => {
  await db.prepare("INSERT OR IGNORE INTO organization (id, name, slug, created_at) VALUES (?, ?, ?, ?)").bind(WS, "Notify tests", WS, Date.now()).run();
});

describe("deduplication", () => {
  it("the same event emitted concurrently and again later is one event and one delivery per subscribed, enabled endpoint", async () => {
    const a = await endpoint();
    const b = await endpoint({ events: ["*"] });
    const disabled = await endpoint({ enabled: false });
    const other = await endpoint({ events: ["key.created"] });
    const id = await naturalIds.budgetThreshold(WS, "2026-11", 80);
    const input = { workspaceId: WS, type: "budget.threshold" as const, id, data: { percent: 80, period: "2026-11", budgetTokens: 100, usedTokens: 80 } };
    const results = await Promise.all(Array.from({ length: 8 }, () => notify(env, input)));
    const again = await notify(env, { ...input, data: { ...input.data, usedTokens: 99 } });
    expect(results.every((r) => r?.eventId === id)).toBe(true);
    // Exactly one of the racing calls created the two deliveries; nobody after it did.
    expect(results.map((r) => r!.queued).sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 2]);
    expect(again).toEqual({ eventId: id, queued: 0 });
    expect(await count("select count(*) as n from notification_event where id = ?", id)).toBe(1);
    for (const ep of [a, b]) expect(await count("select count(*) as n from notification_delivery where event_id = ? and endpoint_id = ?", id, ep)).toBe(1);
    for (const ep of [disabled, other]) expect(await count("select count(*) as n from notification_delivery where endpoint_id = ?", ep)).toBe(0);
    // The first emission's body is the one kept.
    const payload = JSON.parse((await db.prepare("select payload from notification_event where id = ?").bind(id).first<{ payload: string }>())!.payload);
    expect(payload.data.usedTokens).toBe(80);
    // Deleting an endpoint takes its deliveries with it.
    await db.prepare("delete from notification_endpoint where id in (?, ?, ?, ?)").bind(a, b, disabled, other).run();
    expect(await count("select count(*) as n from notification_delivery where event_id = ?", id)).toBe(0);
  });

  it("the database refuses a second delivery of one event to one endpoint", async () => {
    const ep = await endpoint();
    const fresh = await enqueue(env, WS, "evt_unique_test", "budget.threshold", "{}", [ep], Date.now());
    expect(fresh).toHaveLength(1);
    await expect(
      db.prepare("insert into notification_delivery (id, workspace_id, event_id, endpoint_id, event_type, status, created_at) values ('dlv_x', ?, 'evt_unique_test', ?, 'budget.threshold', 'pending', 0)").bind(WS, ep).run(),
    ).rejects.toThrow(/UNIQUE/);
  });

  it("nobody listening costs no writes", async () => {
    const before = await count("select count(*) as n from notification_event");
    expect(await notify(env, { workspaceId: "ws-nobody", type: "key.created", data: { keyId: "k", name: "n", prefix: "sk-x", createdBy: null } })).toBeNull();
    expect(await count("select count(*) as n from notification_event")).toBe(before);
  });
});

describe("the NotifyObject", () => {
  it("its alarm attempts a due delivery, logs it, and schedules the next retry by the schedule", async () => {
    const ep = await endpoint({ events: ["key.created"] });
    const queued = await notify(env, { workspaceId: WS, type: "key.created", id: "evt_alarm_test", data: { keyId: "k1", name: "n", prefix: "sk-x", createdBy: null } });
    expect(queued).toEqual({ eventId: "evt_alarm_test", queued: 1 });
    await runDurableObjectAlarm(stub()); // may already have run on its own: the D1 row is what counts
    const d = await until(
      () => db.prepare("select * from notification_delivery where endpoint_id = ?").bind(ep).first<{ id: string; status: string; attempts: number; next_attempt_at: number; last_attempt_at: number; last_status_code: number; lease_until: number | null }>(),
      (row) => (row?.attempts ?? 0) >= 1,
    );
    expect(d).toMatchObject({ status: "pending", attempts: 1, last_status_code: 404, lease_until: null });
    expect(d!.next_attempt_at - d!.last_attempt_at).toBe(5_000); // the default schedule's second delay
    const attempt = await db.prepare("select * from notification_attempt where delivery_id = ?").bind(d!.id).first<{ ok: number; trigger: string; error: string }>();
    expect(attempt).toMatchObject({ ok: 0, trigger: "scheduled", error: "receiver answered 404" });
    // Not due yet: firing the alarm now changes nothing.
    await runDurableObjectAlarm(stub());
    expect(await count("select count(*) as n from notification_attempt where delivery_id = ?", d!.id)).toBe(1);
  });

  it("an attempt lost mid-flight (its lease ran out) is attempted again; a live lease is respected", async () => {
    const ep = await endpoint({ events: ["key.revoked"] });
    const now = Date.now();
    await db.batch([
      db.prepare("insert into notification_event (id, workspace_id, type, payload, created_at) values ('evt_lost', ?, 'key.revoked', '{}', ?)").bind(WS, now),
      db.prepare("insert into notification_event (id, workspace_id, type, payload, created_at) values ('evt_leased', ?, 'key.revoked', '{}', ?)").bind(WS, now),
      db
        .prepare("insert into notification_delivery (id, workspace_id, event_id, endpoint_id, event_type, status, next_attempt_at, lease_until, created_at) values ('dlv_lost', ?, 'evt_lost', ?, 'key.revoked', 'pending', ?, ?, ?)")
        .bind(WS, ep, now - 60_000, now - 1_000, now),
      db
        .prepare("insert into notification_delivery (id, workspace_id, event_id, endpoint_id, event_type, status, next_attempt_at, lease_until, created_at) values ('dlv_leased', ?, 'evt_leased', ?, 'key.revoked', 'pending', ?, ?, ?)")
        .bind(WS, ep, now - 60_000, now + 600_000, now),
    ]);
    // The cron's safety net re-arms the workspace's object (as after a restart that lost its alarm).
    expect(await resumeNotifications(env, Date.now())).toBeGreaterThanOrEqual(1);
    await runDurableObjectAlarm(stub());
    const lost = await until(
      () => db.prepare("select attempts, lease_until from notification_delivery where id = 'dlv_lost'").first<{ attempts: number; lease_until: number | null }>(),
      (r) => (r?.attempts ?? 0) >= 1,
    );
    expect(lost).toEqual({ attempts: 1, lease_until: null });
    expect(await count("select count(*) as n from notification_attempt where delivery_id = 'dlv_leased'")).toBe(0);
    // A manual redelivery cannot take a delivery another attempt holds.
    expect(await stub().deliverNow(WS, "dlv_leased", "manual")).toBeNull();
    expect(await stub().deliverNow(WS, "dlv_lost", "manual")).toMatchObject({ ok: false, statusCode: 404 });
  });
});

describe("emitters", () => {
  it("a deployment's move into failed or ready notifies once; other transitions and repeats do not", async () => {
    const ep = await endpoint({ events: ["deployment.failed", "deployment.ready"] });
    const rec = { id: "dep_notify_1", workspaceId: WS, name: "qwen-small", model: "Qwen/Qwen2.5-0.5B-Instruct", readyAt: null, error: "no GPU capacity" };
    await notifyDeployTransition(env, { state: "planned" }, { ...rec, state: "creating" });
    await notifyDeployTransition(env, { state: "creating" }, { ...rec, state: "failed" });
    await notifyDeployTransition(env, { state: "creating" }, { ...rec, state: "failed" }); // a replayed commit
    await notifyDeployTransition(env, { state: "failed" }, { ...rec, state: "failed" });
    const rows = (await db.prepare("select e.type, e.payload from notification_delivery d join notification_event e on e.id = d.event_id where d.endpoint_id = ?").bind(ep).all<{ type: string; payload: string }>()).results;
    expect(rows.map((r) => r.type)).toEqual(["deployment.failed"]);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({ type: "deployment.failed", workspaceId: WS, data: { deploymentId: "dep_notify_1", name: "qwen-small", state: "failed", error: "no GPU capacity" } });
    await db.prepare("delete from notification_endpoint where id = ?").bind(ep).run();
  });
});

describe("budget exhaustion", () => {
  it("a refusal counts as 100% only when settled usage is within 5% of the budget, not while calls merely hold the rest", async () => {
    const ws = "ws-notify-budget";
    await db.prepare("INSERT OR IGNORE INTO organization (id, name, slug, created_at) VALUES (?, ?, ?, ?)").bind(ws, "Budget notify", ws, Date.now()).run();
    const ep = `nep_budget_${++seq}`;
    await db
      .prepare("insert into notification_endpoint (id, workspace_id, kind, target, events, sealed_secret, enabled) values (?, ?, 'webhook', ?, ?, ?, 1)")
      .bind(ep, ws, `${SANDBOX}/notify-test/${ep}`, JSON.stringify(["budget.threshold"]), await sealEndpointSecret(env, ep, generateSecret()))
      .run();
    const budget = env.BUDGETS.get(env.BUDGETS.idFromName(`ws:${ws}`));
    const usage = (id: string, tokens: number) => ({ id, at: Date.now(), workspaceId: ws, keyId: null, requested: "m", provider: "openai", model: "m", inputTokens: tokens, outputTokens: 0, cachedInputTokens: 0, costMicros: 0, savingsMicros: 0, latencyMs: 1, status: "complete" });
    expect(await budget.reserve({ reservationId: "r1", budget: 1000, inputTokens: 1, requestedOutput: 1 })).toMatchObject({ ok: true });
    await budget.release("r1");
    await budget.settle(undefined, usage("u1", 500));
    // A burst holds the rest: remaining is 20, but only half is used.
    expect(await budget.reserve({ reservationId: "r2", budget: 1000, inputTokens: 10, requestedOutput: 470 })).toMatchObject({ ok: true, remaining: 20 });
    const hundred = await naturalIds.budgetThreshold(ws, periodOf(Date.now()), 100);
    await notifyBudgetRefused(env, ws, 1000, 20);
    expect(await count("select count(*) as n from notification_event where id = ?", hundred)).toBe(0);
    await budget.release("r2");
    await budget.settle(undefined, usage("u2", 470));
    await notifyBudgetRefused(env, ws, 1000, 30);
    await notifyBudgetRefused(env, ws, 1000, 30);
    const events = (await db.prepare("select payload from notification_event where id = ?").bind(hundred).all<{ payload: string }>()).results;
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ type: "budget.threshold", data: { percent: 100, budgetTokens: 1000, usedTokens: 970 } });
    // The settles crossed 50% and 80% on their own (emitted after the call, in the object's waitUntil).
    const percents = await until(
      async () => (await db.prepare("select e.payload from notification_delivery d join notification_event e on e.id = d.event_id where d.endpoint_id = ?").bind(ep).all<{ payload: string }>()).results.map((r) => JSON.parse(r.payload).data.percent as number).sort((a, b) => a - b),
      (ps) => ps.length >= 3,
    );
    expect(percents).toEqual([50, 80, 100]);
  });
});

describe("retention", () => {
  it("events older than 30 days go, with their deliveries and attempts", async () => {
    const ep = await endpoint({ events: ["key.created"] });
    const now = Date.now();
    await db.batch([
      db.prepare("insert into notification_event (id, workspace_id, type, payload, created_at) values ('evt_old', ?, 'key.created', '{}', ?)").bind(WS, now - RETENTION_MS - 1),
      db.prepare("insert into notification_event (id, workspace_id, type, payload, created_at) values ('evt_new', ?, 'key.created', '{}', ?)").bind(WS, now - RETENTION_MS + 60_000),
      db.prepare("insert into notification_delivery (id, workspace_id, event_id, endpoint_id, event_type, status, created_at) values ('dlv_old', ?, 'evt_old', ?, 'key.created', 'delivered', 0)").bind(WS, ep),
      db.prepare("insert into notification_attempt (id, delivery_id, workspace_id, attempt, trigger, at, ok, latency_ms) values ('att_old', 'dlv_old', ?, 1, 'scheduled', 0, 1, 5)").bind(WS),
    ]);
    expect(await pruneNotifications(db, now)).toBe(1);
    expect(await count("select count(*) as n from notification_event where id in ('evt_old', 'evt_new')")).toBe(1);
    expect(await count("select count(*) as n from notification_delivery where id = 'dlv_old'")).toBe(0);
    expect(await count("select count(*) as n from notification_attempt where id = 'att_old'")).toBe(0);
  });
});

describe("production policy through the API", () => {
  async function signUp(email: string) {
    const res = await SELF.fetch("http://localhost/api/auth/sign-up/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost", "cf-connecting-ip": "198.51.100.77" },
      body: JSON.stringify({ email, password: "correct horse battery", name: "Prod" }),
    });
    expect(res.status).toBe(200);
    return (await res.json<{ token: string }>()).token;
  }

  it("refuses loopback and http targets that local development allows; allows public https", async () => {
    const token = await signUp("notify-prod@example.com");
    // The same secret the local session was signed with, and the sandbox unset: production's rules.
    const prod = { ...env, SANDBOX_URL: "", AUTH_SECRET: "local-dev-only-auth-secret-never-used-in-production-0123456789", ENCRYPTION_KEY: "k".repeat(40) } as Env;
    const post = (url: string) =>
      app.request(
        "https://swaggystacks.com/api/notifications/endpoints",
        { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ url, events: ["key.created"] }) },
        prod,
      );
    for (const url of ["http://127.0.0.1:8080/hook", "https://127.0.0.1/hook", "https://[::1]/", "https://localhost/", "https://2130706433/", "https://[::ffff:127.0.0.1]/", "http://example.com/hook", "https://169.254.169.254/"]) {
      const res = await post(url);
      expect(res.status, url).toBe(400);
      const body = await res.json<{ error: { code: string; message: string } }>();
      expect(body.error.code, url).toBe("invalid_url");
    }
    const ok = await post("https://hooks.example.com/platform");
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ url: "https://hooks.example.com/platform", secret: expect.stringMatching(/^whsec_/) });
    // The same loopback URL is fine on a developer's machine.
    const dev = await SELF.fetch("http://localhost/api/notifications/endpoints", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ url: "http://127.0.0.1:8080/hook", events: ["key.created"] }),
    });
    expect(dev.status).toBe(201);
  });
});
