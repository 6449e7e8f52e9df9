import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { organization } from "./auth-schema";

/**
 * The local equivalent of the Analytics Engine dataset (workers/observe/metrics.ts): one row per request,
 * the same fields as a data point. Only written where `METRICS` is not bound; pruned after a week.
 */
export const requestMetric = sqliteTable(
  "request_metric",
  {
    at: integer("at").notNull(),
    workspaceId: text("workspace_id"),
    brand: text("brand"),
    method: text("method"),
    route: text("route"),
    provider: text("provider"),
    model: text("model"),
    cache: text("cache"),
    keyPrefix: text("key_prefix"),
    requestId: text("request_id"),
    status: integer("status").notNull(),
    latencyMs: real("latency_ms").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    costUsd: real("cost_usd").notNull(),
    fallbackAttempts: integer("fallback_attempts").notNull(),
    streamed: integer("streamed").notNull(),
  },
  (t) => [index("request_metric_at_idx").on(t.at), index("request_metric_workspace_at_idx").on(t.workspaceId, t.at)],
);

/** A workspace's choice to have its prompts written into the request log (off unless a row says on). */
export const workspaceLogging = sqliteTable("workspace_logging", {
  workspaceId: text("workspace_id")
    .primaryKey()
    .references(() => organization.id, { onDelete: "cascade" }),
  logPrompts: integer("log_prompts", { mode: "boolean" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  updatedBy: text("updated_by"),
});
