import { DEFAULT_COST_POLICY, expectedMonthlyUsd, type AutoscaleMode, type WorkspaceCostPolicy } from "./cost-policy";

/** D1 access for the workspace cost policy and the deployments' latest forecasts (migration 0015). */

interface PolicyRow {
  workspace_id: string;
  autoscale: string;
  max_worker_usd_per_hour: number | null;
  gpu_spend_ceiling_usd_per_month: number | null;
}

const fromRow = (r: PolicyRow): WorkspaceCostPolicy => ({
  autoscale: (["off", "propose", "apply"].includes(r.autoscale) ? r.autoscale : DEFAULT_COST_POLICY.autoscale) as AutoscaleMode,
  maxWorkerUsdPerHour: r.max_worker_usd_per_hour,
  gpuSpendCeilingUsdPerMonth: r.gpu_spend_ceiling_usd_per_month,
});

export async function readCostPolicy(db: D1Database, workspaceId: string): Promise<WorkspaceCostPolicy> {
  const row = await db.prepare("SELECT * FROM workspace_cost_policy WHERE workspace_id = ?").bind(workspaceId).first<PolicyRow>();
  return row ? fromRow(row) : { ...DEFAULT_COST_POLICY };
}

/** The policies of several workspaces at once (the cron's batch); workspaces without a row get the defaults. */
export async function readCostPolicies(db: D1Database, workspaceIds: readonly string[]): Promise<Map<string, WorkspaceCostPolicy>> {
  const out = new Map<string, WorkspaceCostPolicy>();
  const ids = [...new Set(workspaceIds)];
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    const { results } = await db.prepare(`SELECT * FROM workspace_cost_policy WHERE workspace_id IN (${chunk.map(() => "?").join(",")})`).bind(...chunk).all<PolicyRow>();
    for (const r of results) out.set(r.workspace_id, fromRow(r));
  }
  for (const id of ids) if (!out.has(id)) out.set(id, { ...DEFAULT_COST_POLICY });
  return out;
}

export async function writeCostPolicy(db: D1Database, workspaceId: string, policy: WorkspaceCostPolicy, by: string | null, now = Date.now()): Promise<void> {
  await db
    .prepare(
      `INSERT INTO workspace_cost_policy (workspace_id, autoscale, max_worker_usd_per_hour, gpu_spend_ceiling_usd_per_month, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (workspace_id) DO UPDATE SET autoscale = excluded.autoscale, max_worker_usd_per_hour = excluded.max_worker_usd_per_hour,
         gpu_spend_ceiling_usd_per_month = excluded.gpu_spend_ceiling_usd_per_month, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    .bind(workspaceId, policy.autoscale, policy.maxWorkerUsdPerHour, policy.gpuSpendCeilingUsdPerMonth, now, by)
    .run();
}

export async function recordForecast(db: D1Database, f: { deploymentId: string; workspaceId: string; monthlyUsd: number; at: number }): Promise<void> {
  await db
    .prepare(
      `INSERT INTO deployment_forecast (deployment_id, workspace_id, monthly_usd, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (deployment_id) DO UPDATE SET monthly_usd = excluded.monthly_usd, at = excluded.at`,
    )
    .bind(f.deploymentId, f.workspaceId, Math.round(f.monthlyUsd * 100) / 100, f.at)
    .run();
}

/**
 * What each live deployment of the workspace is expected to cost per month (forecast.ts's figure when it
 * has one, its always-on workers otherwise), by deployment id.
 */
export async function workspaceExpectedSpend(db: D1Database, workspaceId: string): Promise<Map<string, number>> {
  const { results } = await db
    .prepare(
      `SELECT d.id, d.workers_min, d.worker_micros_per_second, f.monthly_usd
         FROM deployment d LEFT JOIN deployment_forecast f ON f.deployment_id = d.id
        WHERE d.workspace_id = ? AND d.state IN ('creating', 'initializing', 'ready')`,
    )
    .bind(workspaceId)
    .all<{ id: string; workers_min: number; worker_micros_per_second: number; monthly_usd: number | null }>();
  return new Map(results.map((r) => [r.id, expectedMonthlyUsd({ lastForecastUsd: r.monthly_usd, workersMin: r.workers_min, workerMicrosPerSecond: r.worker_micros_per_second })]));
}

/** The sum of the other deployments' expected spend. */
export function othersSpend(spend: Map<string, number>, deploymentId: string): number {
  let total = 0;
  for (const [id, usd] of spend) if (id !== deploymentId) total += usd;
  return Math.round(total * 100) / 100;
}
