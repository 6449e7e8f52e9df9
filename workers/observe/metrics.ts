import type { RequestLogLine } from "../platform/request-log";

/**
 * Per-request metrics (issue 11), one Workers Analytics Engine data point per request where the `METRICS`
 * dataset is bound (production); locally, where there is no Analytics Engine, the same point goes to the
 * D1 table `request_metric` (the local equivalent, queryable with SQL like the real one).
 *
 * Layout of a point (Analytics Engine has positional fields; this order is the contract for queries):
 *   index1  workspace id ("" when none): the sampling key, so one busy workspace cannot crowd out others
 *   blob1   brand       blob2 method   blob3 route     blob4 provider   blob5 model
 *   blob6   cache       blob7 key prefix                blob8 request id
 *   double1 status      double2 latency ms              double3 input tokens
 *   double4 output tokens                               double5 cost USD
 *   double6 fallback attempts                           double7 streamed (0/1)
 */
export interface MetricPoint {
  indexes: [string];
  blobs: [string, string, string, string, string, string, string, string];
  doubles: [number, number, number, number, number, number, number];
}

export function metricPoint(line: RequestLogLine): MetricPoint {
  return {
    indexes: [line.workspace ?? ""],
    blobs: [line.brand, line.method, line.route, line.provider ?? "", line.model ?? "", line.cache ?? "", line.keyPrefix ?? "", line.requestId],
    doubles: [line.status, line.latencyMs, line.inputTokens ?? 0, line.outputTokens ?? 0, line.costUsd ?? 0, line.fallbackAttempts ?? 0, line.streamed ? 1 : 0],
  };
}

/** Local rows wait at most this long (or until this many gather) before one batched D1 write. */
export const FLUSH_EVERY_MS = 2_000;
const FLUSH_AT_ROWS = 200;
/** A D1 outage must not grow an isolate's memory without bound: past this, new points are dropped (counted). */
const MAX_PENDING = 5_000;

interface Pending {
  at: number;
  point: MetricPoint;
}
const pending: Pending[] = [];
let dropped = 0;
let scheduled: Promise<void> | undefined;

export interface MetricsEnv {
  METRICS?: AnalyticsEngineDataset;
  DB?: D1Database;
}

/**
 * Records one request's point. Analytics Engine's write is fire-and-forget and costs the request nothing;
 * the local equivalent buffers per isolate and writes in batches off the response path (`waitUntil`).
 * Never throws.
 */
export function writeMetric(env: MetricsEnv, line: RequestLogLine, waitUntil: (p: Promise<unknown>) => void, now = Date.now()): void {
  const point = metricPoint(line);
  if (env.METRICS) {
    try {
      env.METRICS.writeDataPoint(point);
    } catch (err) {
      console.error("analytics engine write failed", err);
    }
    return;
  }
  const db = env.DB;
  if (!db) return;
  if (pending.length >= MAX_PENDING) {
    dropped++;
    return;
  }
  pending.push({ at: now, point });
  if (pending.length >= FLUSH_AT_ROWS) {
    waitUntil(flushMetrics(db));
    return;
  }
  if (scheduled) return; // the request that scheduled the flush keeps it alive (its waitUntil) for everyone's points
  scheduled = new Promise<void>((done) => setTimeout(done, FLUSH_EVERY_MS)).then(() => {
    scheduled = undefined;
    return flushMetrics(db);
  });
  waitUntil(scheduled);
}

const INSERT = `insert into request_metric (at, workspace_id, brand, method, route, provider, model, cache, key_prefix, request_id,
  status, latency_ms, input_tokens, output_tokens, cost_usd, fallback_attempts, streamed) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Writes this isolate's pending local points in one batch. */
export async function flushMetrics(db: D1Database): Promise<void> {
  if (pending.length === 0) return;
  const rows = pending.splice(0, pending.length);
  if (dropped) console.error(`request metrics: ${dropped} points dropped while D1 was behind`), (dropped = 0);
  try {
    await db.batch(
      rows.map(({ at, point: p }) =>
        db.prepare(INSERT).bind(at, p.indexes[0] || null, ...p.blobs.map((b) => b || null), ...p.doubles),
      ),
    );
  } catch (err) {
    console.error("request metrics write failed", err);
  }
}

/** The local table keeps a week, like a development machine needs; Analytics Engine keeps its own 90 days. */
export const LOCAL_METRICS_RETENTION_MS = 7 * 24 * 3_600_000;

export async function pruneLocalMetrics(db: D1Database, now: number): Promise<number> {
  const r = await db.prepare("delete from request_metric where rowid in (select rowid from request_metric where at < ? limit 5000)").bind(now - LOCAL_METRICS_RETENTION_MS).run();
  return r.meta.changes ?? 0;
}
