import { Hono } from "hono";
import { requireWorkspace } from "../auth/middleware";
import type { AppEnv } from "../env";
import { api } from "../openapi/describe";
import { listRows } from "../deploy/store";
import { RunpodClient, warmWorkers, workerHealth, type WorkerHealth } from "../deploy/runpod-client";
import { resolveUpstream } from "../platform/upstreams";
import { dayStart, deriveStatus, hourStart, type Bucket, type DerivedStatus, type HealthStatus, type Sample, type StatusInput } from "./derive";
import { COMPONENT_UPSTREAM, lastRecordedAt, UPSTREAM_COMPONENTS } from "./record";

/**
 * GET /api/status (public): overall status, each component's current status and uptime, incidents of the
 * last 90 days, the 99.9% target and the month's error budget, from the cron's recorded samples.
 * GET /api/status/deployments (signed in): the workspace's deployments with their RunPod worker counts.
 * Both are cached per isolate (30 s and 15 s); deployments are never part of the public answer.
 */
export const COMPONENT_NAMES: Record<string, string> = {
  platform: "Platform (API, bridge, storage)",
  openai: "OpenAI",
  anthropic: "Anthropic",
  google: "Google Gemini",
  runpod: "RunPod",
  huggingface: "Hugging Face Hub",
  stripe: "Stripe (billing)",
};

const STATUS_TTL_MS = 30_000;
const DEPLOY_TTL_MS = 15_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

let cached: { at: number; key: string; value: DerivedStatus & { generatedAt: string } } | undefined;
const deployCache = new Map<string, { at: number; health: WorkerHealth | null }>();

/** Components on this platform: itself and every upstream that is configured (real or sandbox). */
export function configuredComponents(config: Record<string, unknown>): string[] {
  return ["platform", ...UPSTREAM_COMPONENTS.filter((c) => resolveUpstream(config, COMPONENT_UPSTREAM[c]).mode !== "unconfigured")];
}

const SCORE_SQL = "sum(case status when 'up' then 1.0 when 'degraded' then 0.5 else 0 end)";
const WORST_SQL = "max(case status when 'down' then 2 when 'degraded' then 1 else 0 end)";

/** The queries that mirror `summarize` in derive.ts. */
export async function loadStatusInput(db: D1Database, now: number): Promise<StatusInput> {
  const since = dayStart(now) - 89 * DAY_MS;
  const sinceHour = hourStart(now) - 23 * HOUR_MS;
  const [days, hours, nonUp, latest] = await db.batch<Record<string, unknown>>([
    db.prepare(`select component, (at / ${DAY_MS}) * ${DAY_MS} as start, count(*) as samples, ${SCORE_SQL} as score, ${WORST_SQL} as worst from health_sample where at >= ?1 and at <= ?2 group by component, start`).bind(since, now),
    db.prepare(`select component, (at / ${HOUR_MS}) * ${HOUR_MS} as start, count(*) as samples, ${SCORE_SQL} as score, ${WORST_SQL} as worst from health_sample where at >= ?1 and at <= ?2 group by component, start`).bind(sinceHour, now),
    db.prepare("select component, at, status from health_sample where status in ('degraded', 'down') and at >= ?1 and at <= ?2 order by at limit 50000").bind(since, now),
    db.prepare("select component, max(at) as at, status from health_sample where at >= ?1 and at <= ?2 group by component").bind(since, now),
  ]);
  const bucket = (r: Record<string, unknown>): Bucket => ({ component: String(r.component), start: Number(r.start), samples: Number(r.samples), score: Number(r.score), worst: Number(r.worst) });
  const sample = (r: Record<string, unknown>): Sample => ({ component: String(r.component), at: Number(r.at), status: String(r.status) as HealthStatus });
  return { days: days!.results.map(bucket), hours: hours!.results.map(bucket), incidentsSamples: nonUp!.results.map(sample), latest: latest!.results.map(sample) };
}

const OVERALL_TEXT = { up: "All systems operational", degraded: "Some systems degraded", down: "Outage in progress", unknown: "Status not yet measured" } as const;

export const statusRoutes = new Hono<AppEnv>()
  .get("/", api({ tag: "Status", summary: "The public status page: providers and platform, with recent history", auth: "none" }), async (c) => {
    const now = Date.now();
    const config = c.env as unknown as Record<string, unknown>;
    const components = configuredComponents(config);
    const key = components.join(",");
    if (!cached || now - cached.at > STATUS_TTL_MS || cached.key !== key || cached.at < lastRecordedAt()) {
      const derived = deriveStatus(await loadStatusInput(c.env.DB, now), components, now);
      cached = { at: now, key, value: { ...derived, generatedAt: new Date(now).toISOString() } };
    }
    const v = cached.value;
    // The platform's own component decides "down"; an upstream out (the bridge falls back) is "degraded".
    const platform = v.components.find((x) => x.id === "platform");
    const overall = platform?.status === "down" ? "down" : v.overall === "down" ? "degraded" : v.overall;
    return c.json(
      {
        name: `${c.var.brand.name} status`,
        brand: c.var.brand.id,
        generatedAt: v.generatedAt,
        overall: { status: overall, text: OVERALL_TEXT[overall] },
        target: { availabilityPercent: v.budget.targetPercent, sampleIntervalMinutes: 5 },
        budget: v.budget,
        components: v.components.map((x) => ({ ...x, name: COMPONENT_NAMES[x.id] ?? x.id })),
        incidents: v.incidents.map((i) => ({ ...i, componentNames: i.components.map((id) => COMPONENT_NAMES[id] ?? id) })),
      },
      200,
      { "cache-control": "public, max-age=30" },
    );
  })
  .get("/deployments", requireWorkspace({ deployment: ["read"] }), api({ tag: "Status", summary: "Health of the workspace's deployments", auth: "workspace" }), async (c) => {
    const ws = c.var.workspace!;
    const rows = (await listRows(c.env.DB, ws.id, false)).filter((r) => r.state !== "deleted");
    const client = new RunpodClient(c.env as unknown as Record<string, unknown>, { timeoutMs: 3_000 });
    const now = Date.now();
    const items = await Promise.all(
      rows.map(async (r) => {
        let health: WorkerHealth | null = null;
        if (r.endpointId && (r.state === "ready" || r.state === "initializing")) {
          const hit = deployCache.get(r.endpointId);
          if (hit && now - hit.at < DEPLOY_TTL_MS) health = hit.health;
          else {
            const h = await client.health(r.endpointId);
            health = h.ok ? workerHealth(h.value) : null;
            if (deployCache.size > 10_000) deployCache.clear();
            deployCache.set(r.endpointId, { at: now, health });
          }
        }
        const status: HealthStatus | "unknown" = !health
          ? r.state === "failed"
            ? "down"
            : "unknown"
          : health.unhealthy > 0 || health.throttled > 0
            ? "degraded"
            : "up";
        return {
          id: r.id,
          name: r.name,
          model: r.model,
          state: r.state,
          status,
          warm: health ? warmWorkers(health) > 0 : null,
          workers: health,
        };
      }),
    );
    const sum = (k: keyof WorkerHealth) => items.reduce((n, i) => n + (i.workers?.[k] ?? 0), 0);
    return c.json(
      {
        deployments: items,
        totals: { ready: sum("ready"), initializing: sum("initializing"), throttled: sum("throttled"), idle: sum("idle"), running: sum("running"), unhealthy: sum("unhealthy") },
      },
      200,
      { "cache-control": "private, no-store" },
    );
  });
