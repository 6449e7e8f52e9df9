import { HOUR_MS, WEEK_MS, type HourCount } from "./forecast";

/**
 * A deployment's request history by hour, from the usage ledger (`usage_event`: the bridge records its
 * calls with provider `runpod` and model `<endpoint id>/<served model>`). Bounded: the last `weeks`
 * weeks through the (workspace_id, at) index, at most 24 × 7 × weeks rows back.
 */
export async function hourlyRequests(db: D1Database, args: { workspaceId: string; endpointId: string; servedModel: string; now: number; weeks?: number }): Promise<HourCount[]> {
  const weeks = args.weeks ?? 4;
  const from = Math.floor(args.now / HOUR_MS) * HOUR_MS - weeks * WEEK_MS;
  const { results } = await db
    .prepare(
      `SELECT (at / ${HOUR_MS}) * ${HOUR_MS} AS hour, count(*) AS requests, coalesce(sum(latency_ms), 0) AS busy_ms
       FROM usage_event WHERE workspace_id = ? AND at >= ? AND at < ? AND provider = 'runpod' AND model = ?
       GROUP BY hour ORDER BY hour LIMIT ?`,
    )
    .bind(args.workspaceId, from, args.now, `${args.endpointId}/${args.servedModel}`, 24 * 7 * weeks + 1)
    .all<{ hour: number; requests: number; busy_ms: number }>();
  return results.map((r) => ({ hour: Number(r.hour), requests: Number(r.requests), busyMs: Number(r.busy_ms) }));
}
