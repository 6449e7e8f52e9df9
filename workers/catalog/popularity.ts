/**
 * The platform's own popularity, across all workspaces and anonymous (counts only): per Hub model, the
 * bridge requests its deployments served and the deployments made of it in the last 7 days. Rebuilt by
 * the cron from the usage roll-up and the deployment mirror, so reading it is one indexed lookup.
 */
const DAY_MS = 86_400_000;

export async function refreshPopularity(db: D1Database, now = Date.now()): Promise<number> {
  const since = now - 7 * DAY_MS;
  const sinceDay = new Date(since).toISOString().slice(0, 10);
  await db.batch([
    db.prepare("DELETE FROM model_popularity"),
    db
      .prepare(
        `INSERT INTO model_popularity (model_id, requests_7d, deployments_7d, updated_at)
         SELECT model, sum(requests), sum(deployments), ? FROM (
           SELECT d.model AS model, u.requests AS requests, 0 AS deployments
             FROM usage_daily u JOIN deployment d ON u.provider = 'runpod' AND u.model = d.endpoint_id || '/' || d.served_model
             WHERE u.day >= ?
           UNION ALL
           SELECT model, 0, 1 FROM deployment WHERE created_at >= ?
         ) GROUP BY model`,
      )
      .bind(now, sinceDay, since),
  ]);
  const r = await db.prepare("SELECT count(*) AS n FROM model_popularity").first<{ n: number }>();
  return Number(r?.n ?? 0);
}

export interface PlatformPopularity {
  requests7d: number;
  deployments7d: number;
}

export async function popularityOf(db: D1Database, modelId: string): Promise<PlatformPopularity> {
  const r = await db.prepare("SELECT requests_7d, deployments_7d FROM model_popularity WHERE model_id = ?").bind(modelId).first<{ requests_7d: number; deployments_7d: number }>();
  return { requests7d: Number(r?.requests_7d ?? 0), deployments7d: Number(r?.deployments_7d ?? 0) };
}

/** The most used models on this platform this week, most requests first (deployments break ties). */
export async function popularOnPlatform(db: D1Database, limit: number): Promise<{ modelId: string; requests7d: number; deployments7d: number }[]> {
  const { results } = await db
    .prepare("SELECT model_id, requests_7d, deployments_7d FROM model_popularity ORDER BY requests_7d + 10 * deployments_7d DESC, model_id LIMIT ?")
    .bind(limit)
    .all<{ model_id: string; requests_7d: number; deployments_7d: number }>();
  return results.map((r) => ({ modelId: r.model_id, requests7d: Number(r.requests_7d), deployments7d: Number(r.deployments_7d) }));
}
