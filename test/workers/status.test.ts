import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import type { Env } from "../../workers/env";
import { deriveStatus, SAMPLE_INTERVAL_MS, summarize, type HealthStatus, type Sample } from "../../workers/status/derive";
import { FLUSH_EVERY_MS, flushTallies, recordAttempts, recordHealth } from "../../workers/status/record";
import { loadStatusInput } from "../../workers/status/routes";

/**
 * Recorded health against a real D1: the bridge's tallies, the cron's samples (with probes answered by a
 * stub fetch), and the route's aggregate queries giving exactly what `summarize` derives from the samples.
 */
const db = env.DB;
const MIN = 60_000;
const DAY = 86_400_000;

beforeEach(async () => {
  await db.batch([db.prepare("delete from health_sample"), db.prepare("delete from upstream_tally")]);
});

const sort = <T>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("the route's queries", () => {
  it("give the same status as summarize() over the raw samples (days, hours, incidents, latest)", async () => {
    const now = Date.now();
    const samples: Sample[] = [];
    // 10 days of openai and platform samples with outages at different times, plus one older than 90 days.
    for (let at = now - 10 * DAY; at <= now; at += SAMPLE_INTERVAL_MS) {
      const ago = now - at;
      const openai: HealthStatus = ago < 20 * MIN ? "down" : ago > 3 * DAY && ago < 3 * DAY + 40 * MIN ? "degraded" : "up";
      const platform: HealthStatus = ago > 5 * DAY && ago < 5 * DAY + 15 * MIN ? "down" : "up";
      samples.push({ component: "openai", at, status: openai }, { component: "platform", at, status: platform });
    }
    samples.push({ component: "openai", at: now - 95 * DAY, status: "down" });
    for (let i = 0; i < samples.length; i += 50) {
      await db.batch(samples.slice(i, i + 50).map((s) => db.prepare("insert into health_sample (component, at, status, error_rate, latency_ms) values (?, ?, ?, null, null)").bind(s.component, s.at, s.status)));
    }
    const fromDb = await loadStatusInput(db, now);
    const expected = summarize(samples, now);
    expect(sort(fromDb.days)).toEqual(sort(expected.days));
    expect(sort(fromDb.hours)).toEqual(sort(expected.hours));
    expect(sort(fromDb.incidentsSamples)).toEqual(sort(expected.incidentsSamples));
    expect(sort(fromDb.latest)).toEqual(sort(expected.latest));
    const derived = deriveStatus(fromDb, ["platform", "openai"], now);
    expect(derived).toEqual(deriveStatus(expected, ["platform", "openai"], now));
    expect(derived.incidents.map((i) => [i.components, i.worst, i.ongoing])).toEqual([
      [["openai"], "down", true],
      [["openai"], "degraded", false],
      [["platform"], "down", false],
    ]);
  });
});

describe("recording health", () => {
  const probesUp: typeof fetch = async () => new Response("{}", { status: 200 });

  it("the bridge's attempts become tallies; the cron turns 5 minutes of them into samples per component", async () => {
    const now = Date.now();
    // The last flush was FLUSH_EVERY_MS ago, so this call writes at once.
    await flushTallies(db, now - FLUSH_EVERY_MS);
    await recordAttempts(db, [{ target: "openai/gpt-4o-mini", status: 503, ms: 20 }, { target: "anthropic/claude-haiku-4-5", status: 200, ms: 40 }], now);
    // Within FLUSH_EVERY_MS: counted in the isolate, written by one delayed flush (not awaited here).
    const later = [
      recordAttempts(db, [{ target: "openai/gpt-4o-mini", status: "circuit_open", ms: 0 }, { target: "anthropic/claude-haiku-4-5", status: 200, ms: 40 }], now),
      recordAttempts(db, [{ target: "openai/gpt-4o-mini", status: "timeout", ms: 100 }, { target: "anthropic/claude-haiku-4-5", status: 400, ms: 10 }], now),
      recordAttempts(db, [{ target: "google/gemini-2.5-flash", status: "unconfigured", ms: 0 }], now),
    ];
    // The first call wrote its counts; the rest wait in the isolate until FLUSH_EVERY_MS has passed.
    expect((await db.prepare("select sum(ok + failed) as n from upstream_tally").first<{ n: number }>())!.n).toBe(2);
    // The delayed flush writes them without another call.
    await Promise.all(later);
    const tallies = await db.prepare("select provider, ok, failed from upstream_tally order by provider").all();
    expect(tallies.results).toEqual([
      { provider: "anthropic", ok: 3, failed: 0 },
      { provider: "openai", ok: 0, failed: 3 },
    ]);

    const samples = await recordHealth(env as unknown as Env, now, probesUp);
    const byId = Object.fromEntries(samples.map((s) => [s.component, s]));
    expect(byId.platform!.status).toBe("up");
    expect(byId.openai).toMatchObject({ status: "down", errorRate: 1 });
    expect(byId.anthropic).toMatchObject({ status: "up", errorRate: 0 });
    expect(byId.google).toMatchObject({ status: "up", errorRate: null });
    expect(Object.keys(byId).sort()).toEqual(["anthropic", "google", "huggingface", "openai", "platform", "runpod", "stripe"]);
    const stored = await db.prepare("select count(*) as n from health_sample").first<{ n: number }>();
    expect(stored!.n).toBe(7);
  }, 20_000);

  it("a failing probe is down even without calls; old samples and tallies are pruned", async () => {
    const now = Date.now();
    await db.batch([
      db.prepare("insert into health_sample (component, at, status) values ('stripe', ?, 'up')").bind(now - 91 * DAY),
      db.prepare("insert into upstream_tally (provider, minute, ok, failed, latency_ms) values ('openai', ?, 1, 0, 5)").bind(Math.floor((now - 2 * DAY) / MIN)),
    ]);
    const stripeDown: typeof fetch = async (input) => {
      const url = input instanceof Request ? input.url : String(input);
      return url.includes("/v1/products") ? new Response("down", { status: 503 }) : new Response("{}", { status: 200 });
    };
    const samples = await recordHealth(env as unknown as Env, now, stripeDown);
    expect(samples.find((s) => s.component === "stripe")!.status).toBe("down");
    expect(samples.find((s) => s.component === "huggingface")!.status).toBe("up");
    const old = await db.prepare("select count(*) as n from health_sample where at < ?").bind(now - 90 * DAY).first<{ n: number }>();
    expect(old!.n).toBe(0);
    expect((await db.prepare("select count(*) as n from upstream_tally").first<{ n: number }>())!.n).toBe(0);
  });

  it("recordAttempts never throws (no database, a failing write)", async () => {
    await expect(recordAttempts(undefined, [{ target: "openai/x", status: 500, ms: 1 }])).resolves.toBeUndefined();
    const broken = { batch: () => Promise.reject(new Error("D1 is down")), prepare: () => ({ bind: () => ({}) }) } as unknown as D1Database;
    await expect(recordAttempts(broken, [{ target: "openai/x", status: 500, ms: 1 }], Date.now() + 10 * FLUSH_EVERY_MS)).resolves.toBeUndefined();
    await expect(flushTallies(broken)).resolves.toBeUndefined();
  });
});
