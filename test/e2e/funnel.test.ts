import { request } from "node:http";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Browser, operatorAccount, PASSWORD, query, signUp, type SignedUp, uniqueEmail, apiCall as api } from "./auth-client";
import { until } from "./wait";

/**
 * The dual-domain funnel over real HTTP: anonymous visits on both brand hosts (the brand follows the Host
 * header, as on swaggystacks.localhost / scientiacapital.localhost), sign-ups linked to them, a bridge call,
 * an IDE setup, a deployment and an upgrade, and what GET /api/admin/funnel makes of them per brand.
 * Counts are compared with a baseline taken first, so other accounts on the shared platform do not matter.
 */
const platform = inject("platformUrl");
const port = new URL(platform).port;
const SWAGGY = "swaggystacks.localhost";
const SCIENTIA = "scientiacapital.localhost";

let ipSeq = Math.floor(Math.random() * 2 ** 16);

/** A browser on one brand host: its own cookie jar and client address; Node's fetch cannot send a Host header. */
class HostClient {
  readonly cookies = new Map<string, string>();
  readonly ip = `10.250.${(++ipSeq >> 8) & 255}.${ipSeq & 255}`;
  constructor(readonly host: string) {}

  send(method: string, path: string, json?: unknown, headers: Record<string, string> = {}) {
    const body = json === undefined ? undefined : typeof json === "string" ? json : JSON.stringify(json);
    const h: Record<string, string> = { host: `${this.host}:${port}`, "cf-connecting-ip": this.ip, accept: "application/json", ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (method !== "GET" && !("origin" in headers)) h.origin = `http://${this.host}:${port}`;
    if (body !== undefined) {
      h["content-type"] ??= "application/json";
      h["content-length"] = String(Buffer.byteLength(body));
    }
    for (const [k, v] of Object.entries(h)) if (v === "") delete h[k];
    return new Promise<{ status: number; setCookies: string[]; body: any }>((resolve, reject) => {
      const req = request(new URL(path, platform), { method, headers: h }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const setCookies = res.headers["set-cookie"] ?? [];
          for (const line of setCookies) {
            const [pair] = line.split(";");
            const eq = pair!.indexOf("=");
            this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
          }
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, setCookies, body: parsed });
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  visit(path = "/", headers: Record<string, string> = {}) {
    return this.send("POST", "/api/funnel/visit", { path }, headers);
  }

  async signUp(label: string, headers: Record<string, string> = {}): Promise<string> {
    const res = await this.send("POST", "/api/auth/sign-up/email", { email: uniqueEmail(label), password: PASSWORD, name: label }, headers);
    if (res.status !== 200) throw new Error(`sign-up on ${this.host}: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { user: { id: string } }).user.id;
  }
}

type Brand = "swaggystacks" | "scientiacapital";
type Report = any;

let operator: SignedUp;
let baseline: Report;
const funnel = async (qs = "") => api(operator, "GET", `/api/admin/funnel${qs}`);
const step = (r: Report, brand: Brand, id: string) => r.brands[brand].steps.find((s: { step: string }) => s.step === id);
const count = (r: Report, brand: Brand, id: string) => step(r, brand, id).count as number;
const fromVisitX = (r: Report, brand: Brand, id: string) => step(r, brand, id).fromVisit.x as number;

beforeAll(async () => {
  operator = await operatorAccount();
  const res = await funnel();
  expect(res.status).toBe(200);
  baseline = res.body;
});

describe("POST /api/funnel/visit", () => {
  it("gives a first visitor an anonymous first-party cookie and stable experiment arms", async () => {
    const visitor = new HostClient(SWAGGY);
    const first = await visitor.visit("/ide?token=secret");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ recorded: true, firstVisit: true, variants: { copy: expect.any(String), default_model: expect.any(String), pricing_order: expect.any(String) } });
    expect(first.body.config).toMatchObject({ defaultModel: expect.any(String), pricingOrder: expect.any(Array) });
    const cookie = first.setCookies.find((c) => c.startsWith("fid="))!;
    expect(cookie).toMatch(/^fid=[A-Za-z0-9_-]{22};/);
    expect(cookie).toMatch(/Max-Age=31536000/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain http locally; https in production sets Secure

    const again = await visitor.visit("/");
    expect(again.body).toMatchObject({ recorded: true, firstVisit: false, variants: first.body.variants });
    expect(again.setCookies.filter((c) => c.startsWith("fid="))).toEqual([]);

    // What is stored: brand, arms, the landing section and the time; no query, no address, no user agent.
    const [row] = await query<Record<string, unknown>>("select * from funnel_visitor where id = ?", [visitor.cookies.get("fid")]);
    expect(row).toEqual({ id: visitor.cookies.get("fid"), brand: "swaggystacks", variants: JSON.stringify(first.body.variants), landing: "/ide", first_at: expect.any(Number) });
  });

  it("records the brand of the host", async () => {
    const visitor = new HostClient(SCIENTIA);
    const res = await visitor.visit("/");
    expect(res.body.recorded).toBe(true);
    const [row] = await query<{ brand: string }>("select brand from funnel_visitor where id = ?", [visitor.cookies.get("fid")]);
    expect(row!.brand).toBe("scientiacapital");
  });

  it("records nothing and sets no cookie for DNT or GPC; the control arm is served", async () => {
    const before = (await query<{ n: number }>("select count(*) as n from funnel_visitor"))[0]!.n;
    for (const headers of [{ dnt: "1" }, { "sec-gpc": "1" }] as Record<string, string>[]) {
      const res = await new HostClient(SWAGGY).visit("/", headers);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ recorded: false, variants: { copy: "tagline", default_model: "brand_default", pricing_order: "ascending" }, config: expect.objectContaining({ headline: null }) });
      expect(res.setCookies).toEqual([]);
    }
    expect((await query<{ n: number }>("select count(*) as n from funnel_visitor"))[0]!.n).toBe(before);
  });

  it("refuses other sites' pages and bad bodies", async () => {
    const c = new HostClient(SWAGGY);
    expect(await c.visit("/", { origin: "https://evil.example" })).toMatchObject({ status: 403, body: { error: { code: "cross_origin" } } });
    expect(await c.send("POST", "/api/funnel/visit", "{nope")).toMatchObject({ status: 400, body: { error: { code: "invalid_json" } } });
    expect(await c.send("POST", "/api/funnel/visit", { path: 5 })).toMatchObject({ status: 400, body: { error: { code: "invalid_request" } } });
    expect(await c.send("POST", "/api/funnel/visit", { path: "/", ip: "1.2.3.4" })).toMatchObject({ status: 400 });
    // No body at all is a plain visit.
    expect(await c.send("POST", "/api/funnel/visit")).toMatchObject({ status: 200, body: { recorded: true } });
  });
});

describe("the funnel per brand", () => {
  // SwaggyStacks: 3 visitors, one signs up and goes through API call, IDE setup and a deployment.
  // ScientiaCapital: 2 visitors, one signs up and upgrades; one more sign-up without a visit (API only),
  // and one whose browser sends DNT (not linked: counted without a visit).
  const a = new HostClient(SWAGGY);
  const b = new HostClient(SWAGGY);
  const c = new HostClient(SWAGGY);
  const d = new HostClient(SCIENTIA);
  const e = new HostClient(SCIENTIA);
  const f = new HostClient(SCIENTIA);
  let userA = "";
  let userD = "";
  let userE = "";
  let userF = "";
  let final: Report;

  beforeAll(async () => {
    baseline = (await funnel()).body;
    for (const v of [a, b, c, d, e]) expect((await v.visit("/")).body.recorded).toBe(true);
    userA = await a.signUp("funnel-a");
    userD = await d.signUp("funnel-d");
    userE = await e.signUp("funnel-e", { dnt: "1" });
    userF = await f.signUp("funnel-f");
  });

  it("links a sign-up to the visitor it came as; the others count under the host's brand", async () => {
    const rows = await query<{ user_id: string; visitor_id: string | null; brand: string }>(
      `select user_id, visitor_id, brand from funnel_signup where user_id in (?, ?, ?, ?)`,
      [userA, userD, userE, userF],
    );
    const byUser = Object.fromEntries(rows.map((r) => [r.user_id, r]));
    expect(byUser[userA]).toMatchObject({ visitor_id: a.cookies.get("fid"), brand: "swaggystacks" });
    expect(byUser[userD]).toMatchObject({ visitor_id: d.cookies.get("fid"), brand: "scientiacapital" });
    expect(byUser[userE]).toMatchObject({ visitor_id: null, brand: "scientiacapital" });
    expect(byUser[userF]).toMatchObject({ visitor_id: null, brand: "scientiacapital" });
  });

  it("derives the later steps from what the platform already records", async () => {
    // A: a key and a bridge call; a QR setup link redeemed; a deployment (written as the deploy mirror writes it).
    const key = await a.send("POST", "/api/keys", { name: "funnel" });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    // Still on Free, which serves Western models only with the workspace's own key: A brings one.
    const own = await a.send("PUT", "/api/provider-keys/openai", { apiKey: "sk-own-funnel-1234", baseUrl: `${inject("sandboxUrl")}/openai/v1` });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const chat = await fetch(`${platform}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key.body.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "funnel" }] }),
    });
    expect(chat.status).toBe(200);
    const link = await a.send("POST", "/api/ide/links", { client: "cursor" });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    const token = new URL(link.body.url).pathname.split("/").pop();
    expect((await fetch(`${platform}/api/ide/links/redeem`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) })).status).toBe(200);
    const [ws] = await query<{ id: string }>("select organization_id as id from member where user_id = ?", [userA]);
    await query(
      `insert into deployment (id, workspace_id, created_by, name, model, engine, state, rev, served_model, gpu_pool, gpu_count, workers_min, workers_max, price, worker_micros_per_second)
       values (?, ?, ?, 'funnel', 'Qwen/Qwen2.5-0.5B-Instruct', 'vllm', 'ready', 1, 'qwen', 'AMPERE_16', 1, 0, 1, '{}', 1)`,
      [`dep_funnel_${Date.now()}`, ws!.id, userA],
    );
    // D: upgraded to Pro by an operator.
    expect((await api(operator, "PUT", `/api/admin/users/${userD}/plan`, { plan: "pro" })).status).toBe(200);

    // The usage ledger is written behind the response (the budget's outbox): wait for it.
    final = (await until(
      async () => (await funnel()).body,
      (r: Report) => count(r, "swaggystacks", "api_call") >= count(baseline, "swaggystacks", "api_call") + 1,
    )) as Report;
    expect(count(final, "swaggystacks", "api_call") - count(baseline, "swaggystacks", "api_call")).toBe(1);
  });

  it("counts each brand's funnel", () => {
    const delta = (brand: Brand, id: string) => count(final, brand, id) - count(baseline, brand, id);
    const deltaVisit = (brand: Brand, id: string) => fromVisitX(final, brand, id) - fromVisitX(baseline, brand, id);
    expect(final.brands.swaggystacks.visitors - baseline.brands.swaggystacks.visitors).toBe(3);
    expect(final.brands.scientiacapital.visitors - baseline.brands.scientiacapital.visitors).toBe(2);
    expect(final.brands.swaggystacks.signUpsWithoutVisit - baseline.brands.swaggystacks.signUpsWithoutVisit).toBe(0);
    expect(final.brands.scientiacapital.signUpsWithoutVisit - baseline.brands.scientiacapital.signUpsWithoutVisit).toBe(2);

    expect(["signup", "api_call", "deployment", "ide_setup", "upgrade"].map((s) => delta("swaggystacks", s))).toEqual([1, 1, 1, 1, 0]);
    expect(["signup", "api_call", "deployment", "ide_setup", "upgrade"].map((s) => deltaVisit("swaggystacks", s))).toEqual([1, 1, 1, 1, 0]);
    expect(["signup", "api_call", "deployment", "ide_setup", "upgrade"].map((s) => delta("scientiacapital", s))).toEqual([3, 0, 0, 0, 1]);
    expect(["signup", "api_call", "deployment", "ide_setup", "upgrade"].map((s) => deltaVisit("scientiacapital", s))).toEqual([1, 0, 0, 0, 1]);
  });

  it("compares the brands with rates, intervals and a test; keeps the old counts", () => {
    expect(final).toMatchObject({
      users: expect.any(Number),
      usersWithKey: expect.any(Number),
      usersWithBridgeCall: expect.any(Number),
      workspaces: expect.any(Number),
      workspacesPerPlan: { free: expect.any(Number), pro: expect.any(Number) },
      window: { from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), to: new Date().toISOString().slice(0, 10) },
    });
    expect(final.comparison.map((s: { step: string }) => s.step)).toEqual(["signup", "api_call", "deployment", "ide_setup", "upgrade"]);
    const signup = final.comparison[0];
    const s = signup.fromVisit.swaggystacks;
    const c = signup.fromVisit.scientiacapital;
    expect(s.n).toBe(final.brands.swaggystacks.visitors);
    expect(s.rate).toBeCloseTo(s.x / s.n, 6);
    expect(s.ci.low).toBeLessThanOrEqual(s.rate);
    expect(s.ci.high).toBeGreaterThanOrEqual(s.rate);
    expect(signup.fromVisit.difference.difference).toBeCloseTo(s.rate - c.rate, 5);
    expect(signup.fromVisit.difference.pValue).toBeGreaterThan(0);
    expect(signup.fromVisit.difference.pValue).toBeLessThanOrEqual(1);
  });

  it("breaks every experiment down by arm, per brand", async () => {
    for (const exp of final.experiments) {
      const visitors = exp.variants.reduce((n: number, v: { overall: { visitors: number } }) => n + v.overall.visitors, 0);
      expect(visitors, exp.id).toBe(final.brands.swaggystacks.visitors + final.brands.scientiacapital.visitors);
      const none = exp.variants.find((v: { id: string }) => v.id === "none");
      expect(none.overall.visitors).toBe(0);
      expect(none.byBrand.scientiacapital.signUpsWithoutVisit).toBe(final.brands.scientiacapital.signUpsWithoutVisit);
    }
    // A's arm of the copy experiment holds A's sign-up.
    const [row] = await query<{ variants: string }>("select variants from funnel_visitor where id = ?", [a.cookies.get("fid")]);
    const arm = JSON.parse(row!.variants).copy as string;
    const signups = (r: Report) => r.experiments.find((x: { id: string }) => x.id === "copy").variants.find((v: { id: string }) => v.id === arm).byBrand.swaggystacks.steps[1].fromVisit.x;
    expect(signups(final) - signups(baseline)).toBe(1);
    expect(final.experiments.find((x: { id: string }) => x.id === "copy").vsControl[0].variant).toBe("savings");
  });

  it("a window that holds none of them counts nothing", async () => {
    const old = await funnel("?from=2000-01-01&to=2000-01-31");
    expect(old.status).toBe(200);
    expect(old.body.window).toEqual({ from: "2000-01-01", to: "2000-01-31" });
    expect(old.body.brands.swaggystacks).toMatchObject({ visitors: 0, subjects: 0 });
    expect(old.body.comparison[0].fromVisit.difference).toEqual({ difference: null, ci: null, z: null, pValue: null });
  });

  it("bad windows are 400 with a reason; only operators may look", async () => {
    for (const qs of ["?from=yesterday", "?to=2026-02-30", "?from=2026-03-02&to=2026-03-01", "?from=2020-01-01&to=2026-01-01"]) {
      const res = await funnel(qs);
      expect(res.status, qs).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_request", message: expect.any(String) });
    }
    const someone = await signUp(uniqueEmail("funnel-nobody"));
    expect((await api(someone, "GET", "/api/admin/funnel")).status).toBe(403);
    expect((await api(new Browser(), "GET", "/api/admin/funnel")).status).toBe(401);
  });

  it("an account's deletion takes its sign-up record; the visitor it came as stays, anonymous", async () => {
    const g = new HostClient(SWAGGY);
    await g.visit("/");
    const userG = await g.signUp("funnel-g");
    expect(await query("select visitor_id from funnel_signup where user_id = ?", [userG])).toEqual([{ visitor_id: g.cookies.get("fid") }]);
    const del = await g.send("DELETE", "/api/account", { password: PASSWORD });
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    expect(await query("select * from funnel_signup where user_id = ?", [userG])).toEqual([]);
    expect(await query("select brand, landing from funnel_visitor where id = ?", [g.cookies.get("fid")])).toEqual([{ brand: "swaggystacks", landing: "/" }]);
  });
});
