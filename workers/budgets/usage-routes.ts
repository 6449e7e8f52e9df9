import { Hono } from "hono";
import { requireWorkspace } from "../auth/middleware";
import type { AppEnv } from "../env";
import { api } from "../openapi/describe";
import { periodBounds, periodOf } from "./policy";
import { planOf } from "./plans";

/**
 * GET /api/usage: the active workspace's month so far. Budget numbers come from its BudgetObject (the
 * truth for what is spent and reserved); breakdowns from the daily roll-up that the ledger writes.
 */
interface DailyRow {
  day: string;
  provider: string;
  model: string;
  key_id: string;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_micros: number;
  savings_micros: number;
}

const usd = (micros: number) => Math.round(micros) / 1_000_000;

function group<K extends string>(rows: DailyRow[], key: (r: DailyRow) => K) {
  const out = new Map<K, { requests: number; inputTokens: number; outputTokens: number; costUsd: number; savingsUsd: number }>();
  for (const r of rows) {
    const g = out.get(key(r)) ?? { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, savingsUsd: 0 };
    g.requests += r.requests;
    g.inputTokens += r.input_tokens;
    g.outputTokens += r.output_tokens;
    g.costUsd += usd(r.cost_micros);
    g.savingsUsd += usd(r.savings_micros);
    out.set(key(r), g);
  }
  return [...out.entries()].map(([k, v]) => ({ key: k, ...v, costUsd: Number(v.costUsd.toFixed(6)), savingsUsd: Number(v.savingsUsd.toFixed(6)) }));
}

export const usageRoutes = new Hono<AppEnv>().get("/", requireWorkspace({ usage: ["read"] }), api({ tag: "Usage", summary: "The month's plan, budget, usage, cost and savings, by day, model and key", auth: "workspace" }), async (c) => {
  const now = Date.now();
  const workspaceId = c.var.workspace.id;
  const period = periodBounds(periodOf(now));
  const plan = await planOf(c.env.DB, workspaceId, now);
  const snapshot = await c.env.BUDGETS.get(c.env.BUDGETS.idFromName(`ws:${workspaceId}`)).snapshot(plan.monthlyTokens);
  const { results } = await c.env.DB.prepare(
    "select day, provider, model, key_id, requests, input_tokens, output_tokens, cost_micros, savings_micros from usage_daily where workspace_id = ? and day >= ? and day < ? order by day",
  )
    .bind(workspaceId, period.start.slice(0, 10), period.end.slice(0, 10))
    .all<DailyRow>();
  const cost = results.reduce((n, r) => n + r.cost_micros, 0);
  const savings = results.reduce((n, r) => n + r.savings_micros, 0);
  return c.json({
    period,
    plan: plan.plan,
    budgetTokens: plan.monthlyTokens,
    usedTokens: snapshot.used,
    reservedTokens: snapshot.reserved,
    remainingTokens: snapshot.remaining,
    costUsd: usd(cost),
    savingsUsd: usd(savings),
    byDay: group(results, (r) => r.day).map(({ key, ...v }) => ({ day: key, ...v })),
    byModel: group(results, (r) => `${r.provider}/${r.model}` as string).map(({ key, ...v }) => ({ model: key, ...v })),
    byKey: group(results, (r) => r.key_id).map(({ key, ...v }) => ({ keyId: key || null, ...v })),
  });
});
