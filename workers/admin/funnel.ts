import { PLANS, type PlanId } from "../budgets/plans";

/**
 * GET /api/admin/funnel: how far users get. "Made a bridge call" is read from the raw ledger and from the
 * daily roll-up, because raw usage events are pruned and the roll-up keeps the key that was used.
 */
export interface Funnel {
  users: number;
  usersWithKey: number;
  usersWithBridgeCall: number;
  workspaces: number;
  workspacesPerPlan: Record<PlanId, number>;
}

export async function readFunnel(d1: D1Database): Promise<Funnel> {
  const [counts, plans] = await d1.batch([
    d1.prepare(
      `select
         (select count(*) from user) as users,
         (select count(distinct created_by) from api_key where created_by is not null) as usersWithKey,
         (select count(distinct k.created_by) from api_key k
            where k.created_by is not null
              and k.id in (select key_id from usage_event where key_id is not null
                           union select key_id from usage_daily where key_id != '')) as usersWithBridgeCall`,
    ),
    d1.prepare("select coalesce(p.plan, 'free') as plan, count(*) as n from organization o left join workspace_plan p on p.workspace_id = o.id group by 1"),
  ]);
  const c = (counts!.results[0] ?? {}) as { users?: number; usersWithKey?: number; usersWithBridgeCall?: number };
  const workspacesPerPlan = Object.fromEntries(Object.keys(PLANS).map((p) => [p, 0])) as Record<PlanId, number>;
  for (const row of plans!.results as Array<{ plan: string; n: number }>) {
    if (row.plan in workspacesPerPlan) workspacesPerPlan[row.plan as PlanId] += row.n;
  }
  return {
    users: c.users ?? 0,
    usersWithKey: c.usersWithKey ?? 0,
    usersWithBridgeCall: c.usersWithBridgeCall ?? 0,
    workspaces: Object.values(workspacesPerPlan).reduce((a, b) => a + b, 0),
    workspacesPerPlan,
  };
}
