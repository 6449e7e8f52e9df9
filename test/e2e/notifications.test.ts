import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server as HttpServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI, { toFile } from "openai";
import Stripe from "stripe";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, Browser, signUp, teamWith, uniqueEmail, type SignedUp } from "./auth-client";
import { deployReady } from "./deploy-ready";
import { until } from "./wait";

/**
 * Outbound notifications end to end (issue 11), on a platform of its own started with a fast retry
 * schedule (0, 300 ms, 600 ms): a Node receiver on 127.0.0.1 (loopback is allowed in local development)
 * gets signed webhooks that the independent `standardwebhooks` library verifies; retries with backoff,
 * manual redelivery, test events, secret rotation, email endpoints through the outbox, SSRF refusals,
 * tenancy and roles.
 */
// @ts-expect-error plain .mjs module shared with `npm start`
const { freePort, startPlatform } = await import("../../scripts/platform-server.mjs");
type Db = { prepare(sql: string): { bind(...params: unknown[]): { all<T>(): Promise<{ results: T[] }> } } };
type Server = { mf: { getD1Database(binding: string, worker: string): Promise<Db> }; platformUrl: string; sandboxUrl: string; dispose(): Promise<void> };

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: records every request; per path, answers the queued statuses first, then 200. */
class Receiver {
  readonly received: Received[] = [];
  private readonly plans = new Map<string, number[]>();
  private server!: HttpServer;
  base = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const path = req.url ?? "/";
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        const status = this.plans.get(path)?.shift() ?? 200;
        res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "thanks" : "receiver is down");
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  answer(path: string, statuses: number[]): void {
    this.plans.set(path, [...statuses]);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const headersOf = (r: Received) => ({
  "webhook-id": String(r.headers["webhook-id"]),
  "webhook-timestamp": String(r.headers["webhook-timestamp"]),
  "webhook-signature": String(r.headers["webhook-signature"]),
});

let server: Server;
let own = "";
let db: Db;
const receiver = new Receiver();
const query = async <T>(sql: string, params: unknown[] = []) => (await db.prepare(sql).bind(...params).all<T>()).results;

beforeAll(async () => {
  server = (await startPlatform({ port: await freePort(), sandboxPort: await freePort(), persist: false, bindings: { NOTIFY_RETRY_SCHEDULE_MS: "0,300,600" } })) as Server;
  own = server.platformUrl;
  db = await server.mf.getD1Database("DB", "llm-platform");
  await receiver.start();
}, 60_000);
afterAll(async () => {
  await receiver.stop();
  await server?.dispose();
});

const owner = async (label: string) => signUp(uniqueEmail(label), "Owner", new Browser(own));
let seq = 0;
const hookPath = (label: string) => `/hooks/${label}-${++seq}`;

async function createEndpoint(who: SignedUp, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await apiCall(who, "POST", "/api/notifications/endpoints", body, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; secret: string | null; url: string | null; email: string | null; events: string[] };
}

async function createKey(who: SignedUp, name: string) {
  const res = await apiCall(who, "POST", "/api/keys", { name });
  expect(res.status).toBe(201);
  return res.body as { id: string; prefix: string };
}

async function deliveries(who: SignedUp, endpointId: string, qs = "") {
  const res = await apiCall(who, "GET", `/api/notifications/endpoints/${endpointId}/deliveries${qs}`);
  expect(res.status).toBe(200);
  return res.body as { deliveries: Array<{ id: string; eventId: string; eventType: string; status: string; attempts: number }>; nextCursor: string | null };
}

const waitFor = (path: string, n: number) => until(async () => receiver.at(path), (xs) => xs.length >= n, 15_000, 50);

describe("signed webhooks", () => {
  it("a key created and revoked reach the endpoint signed; the independent verifier accepts them", async () => {
    const alice = await owner("notify-sign");
    const path = hookPath("keys");
    const ep = await createEndpoint(alice, { url: receiver.base + path, events: ["key.created", "key.revoked"], description: "CI" });
    expect(ep.secret).toMatch(/^whsec_/);
    expect(ep).toMatchObject({ url: receiver.base + path, email: null, events: ["key.created", "key.revoked"] });
    // The secret is shown once: reads carry only a hint.
    const read = await apiCall(alice, "GET", `/api/notifications/endpoints/${ep.id}`);
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain(ep.secret!);
    expect(read.body.secretHint).toBe(`${ep.secret!.slice(0, 10)}…`);

    const key = await createKey(alice, "deploy-bot");
    const [created] = await waitFor(path, 1);
    const payload = new Webhook(ep.secret!).verify(created!.body, headersOf(created!)) as { id: string; type: string; workspaceId: string; data: Record<string, unknown> };
    expect(payload.type).toBe("key.created");
    expect(payload.id).toBe(created!.headers["webhook-id"]);
    expect(payload.data).toMatchObject({ keyId: key.id, name: "deploy-bot", prefix: key.prefix, createdBy: alice.userId });
    expect(created!.headers["content-type"]).toBe("application/json");
    expect(created!.headers["user-agent"]).toMatch(/Webhooks/);
    // Tampering is caught by the same verifier.
    expect(() => new Webhook(ep.secret!).verify(created!.body.replace("deploy-bot", "evil-bot"), headersOf(created!))).toThrow();

    expect((await apiCall(alice, "DELETE", `/api/keys/${key.id}`)).status).toBe(200);
    const all = await waitFor(path, 2);
    const revoked = new Webhook(ep.secret!).verify(all[1]!.body, headersOf(all[1]!)) as { type: string; data: Record<string, unknown> };
    expect(revoked).toMatchObject({ type: "key.revoked", data: { keyId: key.id, revokedBy: alice.userId } });

    const log = await until(() => deliveries(alice, ep.id), (l) => l.deliveries.every((d) => d.status === "delivered") && l.deliveries.length === 2);
    expect(log.deliveries.map((d) => [d.eventType, d.status, d.attempts])).toEqual([
      ["key.revoked", "delivered", 1],
      ["key.created", "delivered", 1],
    ]);
  });

  it("a receiver failing twice gets three attempts, spaced by the schedule; each one signed with the same id", async () => {
    const bob = await owner("notify-retry");
    const path = hookPath("flaky");
    receiver.answer(path, [500, 500]);
    const ep = await createEndpoint(bob, { url: receiver.base + path, events: ["key.created"] });
    await createKey(bob, "flaky");
    const got = await waitFor(path, 3);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers["webhook-id"])).size).toBe(1);
    for (const r of got) expect(new Webhook(ep.secret!).verify(r.body, headersOf(r))).toBeTruthy();

    const log = await until(() => deliveries(bob, ep.id), (l) => l.deliveries[0]?.status === "delivered");
    expect(log.deliveries).toHaveLength(1);
    expect(log.deliveries[0]).toMatchObject({ status: "delivered", attempts: 3 });
    const detail = await apiCall(bob, "GET", `/api/notifications/deliveries/${log.deliveries[0]!.id}`);
    expect(detail.status).toBe(200);
    const attempts = detail.body.attemptLog as Array<{ attempt: number; trigger: string; ok: boolean; statusCode: number; error: string | null; at: string; responseExcerpt: string }>;
    expect(attempts.map((a) => [a.attempt, a.trigger, a.ok, a.statusCode])).toEqual([
      [1, "scheduled", false, 500],
      [2, "scheduled", false, 500],
      [3, "scheduled", true, 200],
    ]);
    expect(attempts[0]!.error).toBe("receiver answered 500");
    expect(attempts[0]!.responseExcerpt).toBe("receiver is down");
    // Backoff: each retry waited at least its delay after the previous attempt ended (300 ms, then 600 ms).
    const at = attempts.map((a) => Date.parse(a.at));
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(300);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(600);
    expect(detail.body.payload).toMatchObject({ type: "key.created", data: { name: "flaky" } });
  });

  it("after the last scheduled attempt the delivery fails; a manual redelivery is a new attempt with the same id", async () => {
    const carol = await owner("notify-redeliver");
    const path = hookPath("down");
    receiver.answer(path, [503, 503, 503]);
    const ep = await createEndpoint(carol, { url: receiver.base + path, events: ["*"] });
    await createKey(carol, "k");
    const log = await until(() => deliveries(carol, ep.id), (l) => l.deliveries[0]?.status === "failed");
    expect(log.deliveries[0]).toMatchObject({ status: "failed", attempts: 3 });
    expect(receiver.at(path)).toHaveLength(3);

    const again = await apiCall(carol, "POST", `/api/notifications/deliveries/${log.deliveries[0]!.id}/redeliver`);
    expect(again.status).toBe(200);
    expect(again.body.attempt).toMatchObject({ ok: true, statusCode: 200 });
    expect(again.body.delivery).toMatchObject({ status: "delivered", attempts: 4 });
    const got = receiver.at(path);
    expect(got).toHaveLength(4);
    expect(got[3]!.headers["webhook-id"]).toBe(got[0]!.headers["webhook-id"]);
    expect(new Webhook(ep.secret!).verify(got[3]!.body, headersOf(got[3]!))).toBeTruthy();
    const detail = await apiCall(carol, "GET", `/api/notifications/deliveries/${log.deliveries[0]!.id}`);
    expect(detail.body.attemptLog.map((a: { trigger: string }) => a.trigger)).toEqual(["scheduled", "scheduled", "scheduled", "manual"]);
    const audit = await apiCall(carol, "GET", "/api/audit?action=notification.*");
    expect(audit.status).toBe(200);
    expect(audit.body.entries.map((e: { action: string }) => e.action).sort()).toEqual(["notification.endpoint_create", "notification.redeliver"]);
  });

  it("a test event goes to one endpoint at once, whatever it subscribes to", async () => {
    const dan = await owner("notify-test");
    const path = hookPath("test");
    const ep = await createEndpoint(dan, { url: receiver.base + path, events: ["payment.failed"] });
    const res = await apiCall(dan, "POST", `/api/notifications/endpoints/${ep.id}/test`);
    expect(res.status).toBe(200);
    expect(res.body.attempt).toMatchObject({ ok: true, statusCode: 200 });
    expect(res.body.delivery).toMatchObject({ status: "delivered", eventType: "notification.test" });
    const [r] = receiver.at(path);
    expect(new Webhook(ep.secret!).verify(r!.body, headersOf(r!))).toMatchObject({ type: "notification.test" });
  });

  it("a rotated secret signs at once; the old one keeps verifying during the grace period", async () => {
    const eve = await owner("notify-rotate");
    const path = hookPath("rotate");
    const ep = await createEndpoint(eve, { url: receiver.base + path, events: ["key.created"] });
    const rotated = await apiCall(eve, "POST", `/api/notifications/endpoints/${ep.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(ep.secret);
    await createKey(eve, "after-rotation");
    const [r] = await waitFor(path, 1);
    expect(String(r!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(new Webhook(rotated.body.secret).verify(r!.body, headersOf(r!))).toBeTruthy();
    expect(new Webhook(ep.secret!).verify(r!.body, headersOf(r!))).toBeTruthy();
  });

  it("a disabled endpoint or one not subscribed to the type gets nothing; events are delivered once per endpoint", async () => {
    const fay = await owner("notify-filter");
    const on = hookPath("on");
    const off = hookPath("off");
    const other = hookPath("other");
    const a = await createEndpoint(fay, { url: receiver.base + on, events: ["key.created"] });
    const b = await createEndpoint(fay, { url: receiver.base + off, events: ["key.created"] });
    await createEndpoint(fay, { url: receiver.base + other, events: ["deployment.ready"] });
    const patched = await apiCall(fay, "PATCH", `/api/notifications/endpoints/${b.id}`, { enabled: false });
    expect(patched.status).toBe(200);
    expect(patched.body.enabled).toBe(false);
    await createKey(fay, "one");
    await waitFor(on, 1);
    // The probe endpoint proves the platform has finished with this event: only then are absences meaningful.
    expect((await deliveries(fay, a.id)).deliveries).toHaveLength(1);
    expect((await deliveries(fay, b.id)).deliveries).toHaveLength(0);
    expect(receiver.at(off)).toHaveLength(0);
    expect(receiver.at(other)).toHaveLength(0);
    const rows = await query<{ n: number }>("select count(*) as n from notification_delivery where endpoint_id = ?", [a.id]);
    expect(rows[0]!.n).toBe(1);
  });

  it("the delivery log pages newest first", async () => {
    const gus = await owner("notify-pages");
    const path = hookPath("pages");
    const ep = await createEndpoint(gus, { url: receiver.base + path, events: ["key.created"] });
    for (const name of ["k1", "k2", "k3"]) await createKey(gus, name);
    await waitFor(path, 3);
    const first = await deliveries(gus, ep.id, "?limit=2");
    expect(first.deliveries).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = await deliveries(gus, ep.id, `?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.deliveries).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.deliveries, ...second.deliveries].map((d) => d.id);
    expect(new Set(ids).size).toBe(3);
    const payloads = await Promise.all(ids.map(async (id) => (await apiCall(gus, "GET", `/api/notifications/deliveries/${id}`)).body.payload.data.name));
    expect(payloads).toEqual(["k3", "k2", "k1"]);
    expect((await apiCall(gus, "GET", `/api/notifications/endpoints/${ep.id}/deliveries?limit=0`)).status).toBe(400);
    expect((await apiCall(gus, "GET", `/api/notifications/endpoints/${ep.id}/deliveries?cursor=x`)).status).toBe(400);
  });
});

describe("email endpoints", () => {
  it("go through the email outbox", async () => {
    const hal = await owner("notify-email");
    const to = uniqueEmail("alerts");
    const ep = await createEndpoint(hal, { email: to, events: ["key.created"] });
    expect(ep).toMatchObject({ email: to.toLowerCase(), url: null, secret: null });
    await createKey(hal, "mailed");
    const mail = await until(
      () => query<{ kind: string; subject: string; body: string }>("select kind, subject, body from email_outbox where to_address = ?", [to.toLowerCase()]),
      (rows) => rows.length > 0,
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ kind: "notification" });
    expect(mail[0]!.subject).toMatch(/^API key "mailed" \(sk-.*\) was created$/);
    expect(mail[0]!.body).toContain('"name": "mailed"');
    const log = await deliveries(hal, ep.id);
    expect(log.deliveries[0]).toMatchObject({ status: "delivered", attempts: 1 });
    expect((await apiCall(hal, "POST", `/api/notifications/endpoints/${ep.id}/rotate-secret`)).status).toBe(400);
  });
});

describe("refusals", () => {
  it("private, link-local, metadata and reserved targets are refused with a clear 400 (even in local development)", async () => {
    const ivy = await owner("notify-ssrf");
    const refused = [
      "http://169.254.169.254/latest/meta-data/",
      "http://0xa9fea9fe/",
      "http://[::ffff:169.254.169.254]/",
      "http://10.0.0.1/hook",
      "http://192.168.1.10/",
      "http://172.16.5.4/",
      "http://100.64.0.1/",
      "http://0.0.0.0/",
      "http://[fd00::1]/",
      "http://[fe80::1]/",
      "http://metadata.google.internal/",
      "http://printer.local/",
      "ftp://example.com/",
      "https://user:pass@example.com/",
    ];
    for (const url of refused) {
      const res = await apiCall(ivy, "POST", "/api/notifications/endpoints", { url, events: ["key.created"] });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code, url).toBe("invalid_url");
      expect(res.body.error.message, url).toMatch(/^This URL cannot receive webhooks: /);
    }
    const ok = await createEndpoint(ivy, { url: `${receiver.base}/fine`, events: ["key.created"] });
    const moved = await apiCall(ivy, "PATCH", `/api/notifications/endpoints/${ok.id}`, { url: "http://169.254.169.254/" });
    expect(moved.status).toBe(400);
    expect(moved.body.error.code).toBe("invalid_url");
    expect((await apiCall(ivy, "GET", "/api/notifications/endpoints")).body.endpoints).toHaveLength(1);
  });

  it("bad input is a 400 naming the problem", async () => {
    const jo = await owner("notify-input");
    const cases: unknown[] = [
      { url: `${receiver.base}/x`, events: [] },
      { url: `${receiver.base}/x`, events: ["key.exploded"] },
      { url: `${receiver.base}/x`, email: "a@example.com", events: ["key.created"] },
      { events: ["key.created"] },
      { email: "not-an-address", events: ["key.created"] },
      { url: `${receiver.base}/x`, events: ["key.created"], extra: 1 },
    ];
    for (const body of cases) {
      const res = await apiCall(jo, "POST", "/api/notifications/endpoints", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
    }
    const raw = await jo.browser.fetch("/api/notifications/endpoints", { method: "POST", body: "{nope", headers: { "content-type": "application/json" } });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
  });

  it("another workspace cannot read, change, test or redeliver your endpoints and deliveries (404)", async () => {
    const kim = await owner("notify-victim");
    const mallory = await owner("notify-intruder");
    const path = hookPath("victim");
    const ep = await createEndpoint(kim, { url: receiver.base + path, events: ["key.created"] });
    await createKey(kim, "secret-project");
    const log = await until(() => deliveries(kim, ep.id), (l) => l.deliveries[0]?.status === "delivered");
    const deliveryId = log.deliveries[0]!.id;
    const tries: Array<[string, string, unknown?]> = [
      ["GET", `/api/notifications/endpoints/${ep.id}`],
      ["PATCH", `/api/notifications/endpoints/${ep.id}`, { enabled: false }],
      ["DELETE", `/api/notifications/endpoints/${ep.id}`],
      ["POST", `/api/notifications/endpoints/${ep.id}/rotate-secret`],
      ["POST", `/api/notifications/endpoints/${ep.id}/test`],
      ["GET", `/api/notifications/endpoints/${ep.id}/deliveries`],
      ["GET", `/api/notifications/deliveries/${deliveryId}`],
      ["POST", `/api/notifications/deliveries/${deliveryId}/redeliver`],
    ];
    for (const [method, p, body] of tries) {
      const res = await apiCall(mallory, method, p, body);
      expect(res.status, `${method} ${p}`).toBe(404);
    }
    expect((await apiCall(mallory, "GET", "/api/notifications/endpoints")).body.endpoints).toEqual([]);
    // Naming the victim's workspace does not help either.
    const kimWs = (await apiCall(kim, "GET", "/api/me")).body.workspaces[0].id as string;
    expect((await apiCall(mallory, "GET", "/api/notifications/endpoints", undefined, { "x-workspace-id": kimWs })).status).toBe(404);
    expect(receiver.at(path)).toHaveLength(1);
    expect((await apiCall(kim, "GET", `/api/notifications/endpoints/${ep.id}`)).body.enabled).toBe(true);
  });

  it("members and viewers cannot manage notifications; admins can; API keys cannot", async () => {
    const lee = await owner("notify-team-owner");
    const member = await owner("notify-member");
    const admin = await owner("notify-admin");
    const team = await teamWith(lee, "Notify Team", [
      [member, "member"],
      [admin, "admin"],
    ]);
    const as = { "x-workspace-id": team };
    const body = { url: `${receiver.base}/team`, events: ["key.created"] };
    const denied = await apiCall(member, "POST", "/api/notifications/endpoints", body, as);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("forbidden");
    expect((await apiCall(member, "GET", "/api/notifications/endpoints", undefined, as)).status).toBe(403);
    const made = await createEndpoint(admin, body, as);
    expect((await apiCall(lee, "GET", "/api/notifications/endpoints", undefined, as)).body.endpoints.map((e: { id: string }) => e.id)).toEqual([made.id]);
    const key = (await apiCall(lee, "POST", "/api/keys", { name: "mcp", scopes: ["mcp:admin"] }, as)).body.key as string;
    const byKey = await new Browser(own).fetch("/api/notifications/endpoints", { headers: { authorization: `Bearer ${key}`, "x-workspace-id": team } });
    expect(byKey.status).toBe(403);
  });
});

describe("events where they happen", () => {
  const workspaceOf = async (who: SignedUp) => (await apiCall(who, "GET", "/api/workspace")).body.id as string;
  const setPlan = (ws: string, plan: string, monthlyTokens: number | null) =>
    query("insert into workspace_plan (workspace_id, plan, monthly_tokens, updated_at) values (?, ?, ?, ?) on conflict(workspace_id) do update set plan = excluded.plan, monthly_tokens = excluded.monthly_tokens", [ws, plan, monthlyTokens, Date.now()]);
  const verified = (secret: string, rs: Received[]) => rs.map((r) => new Webhook(secret).verify(r.body, headersOf(r)) as { id: string; type: string; data: Record<string, unknown> });

  it("budget.threshold at 50, 80 and 100% of the month's tokens, each once however many calls follow", async () => {
    const user = await owner("notify-budget");
    const ws = await workspaceOf(user);
    await setPlan(ws, "enterprise", 300);
    const path = hookPath("budget");
    const ep = await createEndpoint(user, { url: receiver.base + path, events: ["budget.threshold"] });
    const key = (await apiCall(user, "POST", "/api/keys", { name: "bridge" })).body.key as string;
    const openai = new OpenAI({ baseURL: `${own}/v1`, apiKey: key, maxRetries: 0 });
    let refused = false;
    for (let i = 0; i < 30 && !refused; i++) {
      await openai.chat.completions.create({ model: "openai/gpt-4o-mini", max_tokens: 40, messages: [{ role: "user", content: `spend ${i}` }] }).catch((err: { status?: number }) => {
        expect(err.status).toBe(429);
        refused = true;
      });
    }
    expect(refused).toBe(true);
    // More refused calls emit nothing new.
    for (let i = 0; i < 3; i++) await expect(openai.chat.completions.create({ model: "openai/gpt-4o-mini", max_tokens: 40, messages: [{ role: "user", content: "again" }] })).rejects.toMatchObject({ status: 429 });
    // The last calls' outputs are capped to what is left, so usage ends just under the budget; requests refused
    // with less than 5% left count as 100%.
    const usage = await apiCall(user, "GET", "/api/usage");
    expect(usage.body.usedTokens).toBeGreaterThanOrEqual(285);
    const got = await waitFor(path, 3);
    const events = verified(ep.secret!, got);
    expect(events.map((e) => e.data.percent).sort((a, b) => Number(a) - Number(b))).toEqual([50, 80, 100]);
    for (const e of events) expect(e).toMatchObject({ type: "budget.threshold", data: { period: new Date().toISOString().slice(0, 7), budgetTokens: 300 } });
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    const rows = await query<{ n: number }>("select count(*) as n from notification_delivery where endpoint_id = ?", [ep.id]);
    expect(rows[0]!.n).toBe(3);
  });

  it("payment.failed from Stripe's invoice.payment_failed; Stripe sending the event again delivers nothing more", async () => {
    const user = await owner("notify-payment");
    const ws = await workspaceOf(user);
    const checkout = await apiCall(user, "POST", "/api/billing/checkout", { plan: "pro", interval: "month" });
    expect(checkout.status).toBe(201);
    const done = await fetch(`${server.sandboxUrl}/_sandbox/stripe/checkout/${checkout.body.id}/complete`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const session = (await done.json()) as { customer: string };
    await until(async () => (await apiCall(user, "GET", "/api/billing")).body.plan, (p) => p === "pro");
    const path = hookPath("payment");
    const ep = await createEndpoint(user, { url: receiver.base + path, events: ["payment.failed"] });
    const event = {
      id: `evt_test_${Date.now()}`,
      object: "event",
      type: "invoice.payment_failed",
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: "in_notify_1", object: "invoice", customer: session.customer, amount_due: 2900, currency: "usd", attempt_count: 1, hosted_invoice_url: "https://invoice.example/in_notify_1" } },
    };
    const payload = JSON.stringify(event);
    const signer = new Stripe("sk_test_signer");
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${own}/webhooks/stripe`, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signer.webhooks.generateTestHeaderString({ payload, secret: "whsec_sandbox_local_development_only" }) },
        body: payload,
      });
      expect(res.status).toBe(200);
    }
    const [r] = await waitFor(path, 1);
    const [e] = verified(ep.secret!, [r!]);
    expect(e).toMatchObject({ type: "payment.failed", data: { stripeEventId: event.id, invoiceId: "in_notify_1", amountDue: 2900, currency: "usd", attemptCount: 1, hostedInvoiceUrl: "https://invoice.example/in_notify_1" } });
    expect(typeof e!.data.graceUntil).toBe("string");
    expect((await deliveries(user, ep.id)).deliveries).toHaveLength(1);
    expect(ws).toBeTruthy();
  });

  it("batch.finished when a batch ends (here: its input file is refused)", async () => {
    const user = await owner("notify-batch");
    const path = hookPath("batch");
    const ep = await createEndpoint(user, { url: receiver.base + path, events: ["batch.finished"] });
    const key = (await apiCall(user, "POST", "/api/keys", { name: "batch" })).body.key as string;
    const client = new OpenAI({ baseURL: `${own}/v1`, apiKey: key, maxRetries: 0 });
    const file = await client.files.create({ file: await toFile(Buffer.from("{not json\n"), "input.jsonl"), purpose: "batch" });
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    expect(batch.status).toBe("failed");
    const [r] = await waitFor(path, 1);
    const [e] = verified(ep.secret!, [r!]);
    expect(e).toMatchObject({ type: "batch.finished", data: { batchId: batch.id, status: "failed" } });
  });

  it("deployment.ready when a deployment starts serving", async () => {
    const user = await owner("notify-deploy");
    await setPlan(await workspaceOf(user), "pro", null);
    const path = hookPath("deploy");
    const ep = await createEndpoint(user, { url: receiver.base + path, events: ["deployment.ready", "deployment.failed"] });
    const dep = await deployReady(user, { model: "Qwen/Qwen2.5-0.5B-Instruct", name: "notify-qwen" });
    const [r] = await waitFor(path, 1);
    const [e] = verified(ep.secret!, [r!]);
    expect(e).toMatchObject({ type: "deployment.ready", data: { deploymentId: dep.id, name: "notify-qwen", model: "Qwen/Qwen2.5-0.5B-Instruct", state: "ready" } });
    expect((await deliveries(user, ep.id)).deliveries).toHaveLength(1);
  });
});

describe("restarts", () => {
  it("a retry scheduled before the platform stopped is made after it starts again", async () => {
    const storageDir = mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "llm-notify-e2e-"));
    const ports = { port: await freePort(), sandboxPort: await freePort() };
    const start = async () => (await startPlatform({ ...ports, persist: false, storageDir, bindings: { NOTIFY_RETRY_SCHEDULE_MS: "0,4000" } })) as Server;
    let p = await start();
    try {
      const user = await signUp(uniqueEmail("notify-restart"), "Owner", new Browser(p.platformUrl));
      const hook = hookPath("restart");
      receiver.answer(hook, [500]);
      const ep = await createEndpoint(user, { url: receiver.base + hook, events: ["key.created"] });
      await createKey(user, "before-restart");
      await waitFor(hook, 1);
      await p.dispose();
      const stoppedAt = Date.now();
      p = await start();
      const got = await waitFor(hook, 2);
      expect(got).toHaveLength(2);
      // Signed after the first platform had stopped: the stored alarm drove it (nothing else touches the object).
      expect(Number(got[1]!.headers["webhook-timestamp"]) * 1000).toBeGreaterThanOrEqual(Math.floor(stoppedAt / 1000) * 1000);
      expect(new Webhook(ep.secret!).verify(got[1]!.body, headersOf(got[1]!))).toMatchObject({ type: "key.created" });
      const log = await until(() => deliveries(user, ep.id), (l) => l.deliveries[0]?.status === "delivered");
      expect(log.deliveries[0]).toMatchObject({ status: "delivered", attempts: 2 });
    } finally {
      await p.dispose();
      rmSync(storageDir, { recursive: true, force: true });
    }
  });
});
