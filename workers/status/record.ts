import type { Env } from "../env";
import type { Attempt } from "../gateway/upstream";
import { kvKeys } from "../kv";
import { resolveUpstream, type UpstreamName } from "../platform/upstreams";
import { SAMPLE_INTERVAL_MS, SEVERITY, STATUS_OF, type HealthStatus } from "./derive";

/**
 * Recorded health (issue 11). Circuit breakers live per isolate, so the status page cannot read them;
 * instead the bridge tallies every upstream attempt per provider and minute in D1 (`upstream_tally`, one
 * upsert per call, from the pipeline), and the 5-minute cron turns the last 5 minutes of tallies, plus an
 * optional cheap probe of each configured upstream (its models list), into one `health_sample` per
 * component. Samples are kept 90 days, tallies one day.
 */
export const UPSTREAM_COMPONENTS = ["openai", "anthropic", "google", "runpod", "huggingface", "stripe"] as const;
export type UpstreamComponent = (typeof UPSTREAM_COMPONENTS)[number];
export const COMPONENTS = ["platform", ...UPSTREAM_COMPONENTS] as const;

/** The upstream configuration each component is checked through. */
export const COMPONENT_UPSTREAM: Record<UpstreamComponent, UpstreamName> = {
  openai: "openai",
  anthropic: "anthropic",
  google: "gemini",
  runpod: "runpodRest",
  huggingface: "huggingface",
  stripe: "stripe",
};

export const SAMPLE_RETENTION_MS = 90 * 86_400_000;
const TALLY_RETENTION_MS = 86_400_000;
const PROBE_TIMEOUT_MS = 5_000;
/** A probe slower than this is "degraded". */
export const SLOW_PROBE_MS = 3_000;
/** Below this many calls in a window the error rate says nothing (one failed call is not an outage). */
export const MIN_CALLS = 3;
export const DOWN_ERROR_RATE = 0.5;
export const DEGRADED_ERROR_RATE = 0.1;

/** Whether an attempt counts against the upstream: 429, 5xx, 401/403 (credentials refused), no answer, open circuit. */
export function attemptFailed(status: Attempt["status"]): boolean | undefined {
  if (status === "unconfigured") return undefined; // the platform's configuration, not the upstream
  if (typeof status !== "number") return true; // network, timeout, circuit_open
  return status === 401 || status === 403 || status === 429 || status >= 500;
}

/**
 * The bridge's hook (after each `callWithFallback`): adds the call's attempts to this isolate's per-minute
 * tally, and writes the tally to D1 at most every FLUSH_EVERY_MS (plus whenever the cron asks; a count
 * waits at most that long), so the
 * status page costs the hot path a Map update, not a D1 write per call. Never throws; a failed write only
 * loses those counts.
 */
export const FLUSH_EVERY_MS = 5_000;
const pending = new Map<string, { provider: string; minute: number; ok: number; failed: number; ms: number }>();
let lastFlush = 0;
let scheduled: Promise<void> | undefined;

export async function recordAttempts(db: D1Database | undefined, attempts: Attempt[], now = Date.now()): Promise<void> {
  if (!db || attempts.length === 0) return;
  const minute = Math.floor(now / 60_000);
  for (const a of attempts) {
    const failed = attemptFailed(a.status);
    if (failed === undefined) continue;
    const provider = a.target.split("/")[0]!;
    const key = `${provider}:${minute}`;
    const t = pending.get(key) ?? { provider, minute, ok: 0, failed: 0, ms: 0 };
    if (failed) t.failed += 1;
    else t.ok += 1;
    t.ms += Math.max(0, Math.round(a.ms));
    pending.set(key, t);
  }
  if (now - lastFlush >= FLUSH_EVERY_MS) return flushTallies(db, now);
  // Written within FLUSH_EVERY_MS even when no other call comes: one delayed flush per isolate, which the
  // caller's waitUntil keeps alive.
  scheduled ??= new Promise<void>((done) => setTimeout(done, Math.max(0, FLUSH_EVERY_MS - (now - lastFlush)))).then(() => {
    scheduled = undefined;
    return flushTallies(db);
  });
  return scheduled;
}

/** Writes this isolate's pending counts (added to what other isolates wrote for the same minute). */
export async function flushTallies(db: D1Database, now = Date.now()): Promise<void> {
  lastFlush = now;
  if (pending.size === 0) return;
  const rows = [...pending.values()];
  pending.clear();
  try {
    await db.batch(
      rows.map((t) =>
        db
          .prepare(
            `insert into upstream_tally (provider, minute, ok, failed, latency_ms) values (?1, ?2, ?3, ?4, ?5)
             on conflict (provider, minute) do update set ok = ok + excluded.ok, failed = failed + excluded.failed, latency_ms = latency_ms + excluded.latency_ms`,
          )
          .bind(t.provider, t.minute, t.ok, t.failed, t.ms),
      ),
    );
  } catch (err) {
    console.error("upstream tally failed", err);
  }
}

/** Status from the bridge's calls in the window: null when there were too few to say. */
export function classifyCalls(ok: number, failed: number): { status: HealthStatus; errorRate: number } | null {
  const n = ok + failed;
  if (n < MIN_CALLS) return null;
  const errorRate = failed / n;
  return { status: errorRate >= DOWN_ERROR_RATE ? "down" : errorRate >= DEGRADED_ERROR_RATE ? "degraded" : "up", errorRate };
}

export interface ProbeResult {
  ok: boolean;
  ms: number;
  detail?: string;
}

export function classifyProbe(p: ProbeResult): HealthStatus {
  if (!p.ok) return "down";
  return p.ms > SLOW_PROBE_MS ? "degraded" : "up";
}

export const worse = (a: HealthStatus, b: HealthStatus): HealthStatus => STATUS_OF[Math.max(SEVERITY[a], SEVERITY[b])]!;

/** The cheap GET that shows an upstream answers: its models list (or an equivalent listing). */
export function probeRequest(component: UpstreamComponent, baseUrl: string, apiKey: string | undefined): Request {
  const h = new Headers({ accept: "application/json" });
  switch (component) {
    case "openai":
      if (apiKey) h.set("authorization", `Bearer ${apiKey}`);
      return new Request(`${baseUrl}/models`, { headers: h });
    case "anthropic":
      if (apiKey) h.set("x-api-key", apiKey);
      h.set("anthropic-version", "2023-06-01");
      return new Request(`${baseUrl}/v1/models?limit=1`, { headers: h });
    case "google":
      if (apiKey) h.set("x-goog-api-key", apiKey);
      return new Request(`${baseUrl}/v1beta/models?pageSize=1`, { headers: h });
    case "runpod":
      if (apiKey) h.set("authorization", `Bearer ${apiKey}`);
      return new Request(`${baseUrl}/serverless`, { headers: h });
    case "huggingface":
      if (apiKey) h.set("authorization", `Bearer ${apiKey}`);
      return new Request(`${baseUrl}/api/models?limit=1`, { headers: h });
    case "stripe":
      if (apiKey) h.set("authorization", `Bearer ${apiKey}`);
      return new Request(`${baseUrl}/v1/products?limit=1`, { headers: h });
  }
}

async function probe(req: Request, fetchFn: typeof fetch): Promise<ProbeResult> {
  const started = Date.now();
  try {
    const res = await fetchFn(req, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await res.body?.cancel();
    return { ok: res.ok, ms: Date.now() - started, detail: res.ok ? undefined : `HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, ms: Date.now() - started, detail: err instanceof Error ? err.name : "error" };
  }
}

/** When this isolate last recorded samples: its cached /api/status older than that is stale at once. */
let recordedAt = 0;
export const lastRecordedAt = () => recordedAt;

export interface SampleRow {
  component: string;
  at: number;
  status: HealthStatus;
  errorRate: number | null;
  latencyMs: number | null;
}

/** The cron's pass: one sample per configured component, then retention. */
export async function recordHealth(env: Env, now: number, fetchFn: typeof fetch = (i, init) => fetch(i, init)): Promise<SampleRow[]> {
  const config = env as unknown as Record<string, unknown>;
  const at = Math.floor(now / 60_000) * 60_000;
  const samples: SampleRow[] = [];
  // This isolate's unwritten counts first (other isolates write theirs within FLUSH_EVERY_MS).
  await flushTallies(env.DB, now);

  // The platform itself: what /api/health checks (D1, KV).
  const started = Date.now();
  const [d1, kv] = await Promise.all([
    env.DB.prepare("select 1 as ok").first().then(() => true, () => false),
    env.KV.get(kvKeys.healthProbe().key).then(() => true, () => false),
  ]);
  samples.push({ component: "platform", at, status: !d1 ? "down" : !kv ? "degraded" : "up", errorRate: null, latencyMs: Date.now() - started });

  const sinceMinute = Math.floor((now - SAMPLE_INTERVAL_MS) / 60_000);
  const tallies = await env.DB.prepare(
    "select provider, sum(ok) as ok, sum(failed) as failed, sum(latency_ms) as ms from upstream_tally where minute >= ?1 group by provider",
  )
    .bind(sinceMinute)
    .all<{ provider: string; ok: number; failed: number; ms: number }>();
  const tally = new Map(tallies.results.map((r) => [r.provider, r]));
  const probes = config.STATUS_PROBES !== "off";

  await Promise.all(
    UPSTREAM_COMPONENTS.map(async (component) => {
      const upstream = resolveUpstream(config, COMPONENT_UPSTREAM[component]);
      if (upstream.mode === "unconfigured") return;
      const t = tally.get(component);
      const calls = t ? classifyCalls(t.ok, t.failed) : null;
      const p = probes ? await probe(probeRequest(component, upstream.baseUrl, upstream.apiKey), fetchFn) : undefined;
      const status = p ? worse(classifyProbe(p), calls?.status ?? "up") : (calls?.status ?? "up");
      const callMs = t && t.ok + t.failed > 0 ? Math.round(t.ms / (t.ok + t.failed)) : null;
      samples.push({ component, at, status, errorRate: t && t.ok + t.failed > 0 ? t.failed / (t.ok + t.failed) : null, latencyMs: p?.ms ?? callMs });
    }),
  );

  await env.DB.batch([
    ...samples.map((s) =>
      env.DB.prepare("insert or replace into health_sample (component, at, status, error_rate, latency_ms) values (?1, ?2, ?3, ?4, ?5)").bind(
        s.component,
        s.at,
        s.status,
        s.errorRate,
        s.latencyMs,
      ),
    ),
    env.DB.prepare("delete from health_sample where at < ?1").bind(now - SAMPLE_RETENTION_MS),
    env.DB.prepare("delete from upstream_tally where minute < ?1").bind(Math.floor((now - TALLY_RETENTION_MS) / 60_000)),
  ]);
  recordedAt = Date.now();
  return samples;
}
