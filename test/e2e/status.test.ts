import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, Browser, signUp, signUpOnPlan, uniqueEmail } from "./auth-client";
import { getWithHost } from "./host-request";
import { until } from "./wait";

/**
 * The status page end to end: failures injected into the OpenAI stand-in, calls through the bridge with a
 * Pro workspace's key, the 5-minute cron run on demand, and /api/status reading what the cron recorded.
 */
const platform = inject("platformUrl");

// @ts-expect-error plain .mjs module shared with `npm start`
const { freePort, startPlatform } = await import("../../scripts/platform-server.mjs");
type Db = { prepare(sql: string): { bind(...params: unknown[]): { all<T>(): Promise<{ results: T[] }>; run(): Promise<unknown> } } };
type Server = { mf: { getD1Database(binding: string, worker: string): Promise<Db> }; platformUrl: string; sandboxUrl: string; dispose(): Promise<void> };

interface StatusBody {
  name: string;
  overall: { status: string; text: string };
  target: { availabilityPercent: number };
  budget: { budgetMinutes: number; targetPercent: number; month: string };
  components: { id: string; name: string; status: string; uptime: Record<string, number | null>; days: unknown[] }[];
  incidents: { ongoing: boolean; worst: string; components: string[]; end: string | null }[];
}

async function fault(sandbox: string, rule: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${sandbox}/_control/faults`, { method: "POST", body: JSON.stringify(rule), headers: { "content-type": "application/json" } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const getStatus = async (base = platform) => {
  const res = await fetch(`${base}/api/status`);
  return { res, body: (await res.json()) as StatusBody };
};

describe("GET /api/status", () => {
  it("public, brand-named, with the 99.9% target and the month's 43.2-minute budget", async () => {
    const { res, body } = await getStatus();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=30");
    expect(body.name).toBe("SwaggyStacks status");
    expect(body.target.availabilityPercent).toBe(99.9);
    expect(body.budget).toMatchObject({ budgetMinutes: 43.2, targetPercent: 99.9, month: new Date().toISOString().slice(0, 7) });
    expect(body.components.map((c) => c.id)).toEqual(["platform", "openai", "anthropic", "google", "runpod", "huggingface", "stripe"]);
    for (const c of body.components) expect(c.days).toHaveLength(90);
  });

  it("deployments are private: /api/status/deployments needs a signed-in workspace", async () => {
    const anonymous = await fetch(`${platform}/api/status/deployments`);
    expect(anonymous.status).toBe(401);
    const user = await signUpOnPlan("status-deploys");
    const mine = await apiCall(user, "GET", "/api/status/deployments");
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ deployments: [], totals: { ready: 0, initializing: 0, throttled: 0, idle: 0, running: 0, unhealthy: 0 } });
  });
});

describe("status derived from injected upstream failures", () => {
  // A platform of its own: on the shared one, other tests' OpenAI calls in the same five minutes would
  // dilute the outage (the status judges the whole upstream), and its incident would show in their pages.
  let server: Server;
  let own = "";
  let sandbox = "";
  let db: Db;
  beforeAll(async () => {
    server = (await startPlatform({ port: await freePort(), sandboxPort: await freePort(), persist: false })) as Server;
    own = server.platformUrl;
    sandbox = server.sandboxUrl;
    db = await server.mf.getD1Database("DB", "llm-platform");
  }, 60_000);
  afterAll(async () => server?.dispose());

  const cron = () => fetch(`${own}/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*`);
  const query = async <T>(sql: string, params: unknown[] = []) => (await db.prepare(sql).bind(...params).all<T>()).results;
  const latestSample = async (component: string, after: number) =>
    (await query<{ status: string; error_rate: number | null }>("select status, error_rate from health_sample where component = ? and at >= ? order by at desc limit 1", [component, after]))[0];

  it("OpenAI failing every call: the cron records it down, /api/status shows it down with an ongoing incident, the rest up", async () => {
    const user = await signUp(uniqueEmail("status-outage"), "Outage", new Browser(own));
    const ws = (await apiCall(user, "GET", "/api/workspace")).body.id as string;
    // Pro: the calls below go to the OpenAI stand-in, which the Free plan does not serve.
    await db.prepare("insert into workspace_plan (workspace_id, plan, monthly_tokens, updated_at) values (?, 'pro', null, ?)").bind(ws, Date.now()).run();
    const created = await apiCall(user, "POST", "/api/keys", { name: "status" });
    expect(created.status).toBe(201);
    const key = (created.body as { key: string }).key;
    const model = "openai/gpt-4o-mini-status-outage";
    const faultId = await fault(sandbox, { service: "openai", match: { model: "gpt-4o-mini-status-outage" }, status: 503, message: "The stand-in is overloaded" });
    const started = Date.now();
    try {
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${own}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ model, messages: [{ role: "user", content: "status?" }] }),
        });
        expect(res.status).toBeGreaterThanOrEqual(500);
        await res.body?.cancel();
      }
      // The bridge's tally is written after the answer (waitUntil): wait until all six attempts are counted.
      const minute = Math.floor(started / 60_000);
      await until(
        () => query<{ failed: number }>("select sum(failed) as failed from upstream_tally where provider = 'openai' and minute >= ?", [minute]),
        (r) => (r[0]?.failed ?? 0) >= 6,
      );

      await cron();
      const sample = await until(() => latestSample("openai", started - 60_000), (s) => s?.status === "down", 15_000, 250);
      expect(sample?.status).toBe("down");
      expect(sample!.error_rate!).toBeGreaterThanOrEqual(0.5);

      // /api/status is cached 30 s per isolate (an isolate that recorded samples since recomputes at once).
      const { body } = await until(() => getStatus(own), (s) => s.body.components.find((c) => c.id === "openai")?.status === "down", 40_000, 1_000);
      const byId = new Map(body.components.map((c) => [c.id, c]));
      expect(byId.get("openai")!.status).toBe("down");
      expect(byId.get("openai")!.uptime.h24!).toBeLessThan(100);
      // The platform and the upstreams nobody broke are up (their probes answer; the platform is not down).
      for (const id of ["platform", "runpod", "huggingface", "stripe"]) expect(byId.get(id)!.status, id).toBe("up");
      for (const id of ["anthropic", "google"]) expect(byId.get(id)!.status, id).not.toBe("down");
      expect(body.overall.status).toBe("degraded");
      const incident = body.incidents.find((i) => i.components.includes("openai") && i.ongoing);
      expect(incident).toMatchObject({ ongoing: true, worst: "down", end: null });
      expect(incident!.components).not.toContain("platform");
    } finally {
      await fetch(`${sandbox}/_control/faults/${faultId}`, { method: "DELETE" });
    }
  }, 90_000);

  it("each brand's hostname names its own status page", async () => {
    const res = await getWithHost(platform, "scientiacapital.localhost", "/api/status");
    expect(res.status).toBe(200);
    expect((JSON.parse(res.text) as StatusBody).name).toBe("ScientiaCapital status");
  });
});
