import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { organization } from "./auth-schema";
import { deployment } from "./platform-schema";

/**
 * A workspace's cost policy (issue 10, workers/deploy/cost-policy.ts): the most predictive scaling may do,
 * the GPU pool price ceiling, the monthly GPU ceiling across its deployments. No row = the defaults.
 */
export const workspaceCostPolicy = sqliteTable("workspace_cost_policy", {
  workspaceId: text("workspace_id")
    .primaryKey()
    .references(() => organization.id, { onDelete: "cascade" }),
  /** off | propose | apply */
  autoscale: text("autoscale").notNull(),
  maxWorkerUsdPerHour: real("max_worker_usd_per_hour"),
  gpuSpendCeilingUsdPerMonth: real("gpu_spend_ceiling_usd_per_month"),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  updatedBy: text("updated_by"),
});

/**
 * Each deployment's latest expected monthly GPU cost from its forecast, written by its DeployObject on every
 * autoscale tick: the workspace ceiling's share for one deployment is what its siblings leave.
 */
export const deploymentForecast = sqliteTable(
  "deployment_forecast",
  {
    deploymentId: text("deployment_id")
      .primaryKey()
      .references(() => deployment.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id").notNull(),
    monthlyUsd: real("monthly_usd").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("deployment_forecast_workspace_idx").on(t.workspaceId)],
);
