import { eq } from "drizzle-orm";
import { openDb } from "../db/client";
import { workspacePlan } from "../db/platform-schema";
import { TtlCache } from "../keys/ttl-cache";

/** The plans and their monthly token budgets (per workspace, shared by its members). */
export type PlanId = "free" | "pro" | "team" | "enterprise";

export const PLANS: Record<PlanId, { name: string; priceUsd: number | null; monthlyTokens: number | null }> = {
  free: { name: "Free", priceUsd: 0, monthlyTokens: 10_000 },
  pro: { name: "Pro", priceUsd: 29, monthlyTokens: 1_000_000 },
  team: { name: "Team", priceUsd: 99, monthlyTokens: 5_000_000 },
  enterprise: { name: "Enterprise", priceUsd: null, monthlyTokens: null },
};

export interface WorkspacePlan {
  plan: PlanId;
  /** Tokens per calendar month; null = unlimited (Enterprise without a cap). */
  monthlyTokens: number | null;
  /** A live Stripe subscription pays for usage beyond the included tokens (workers/billing/meter-run.ts). */
  billedOverage: boolean;
}

/** The budget a BudgetObject enforces: included tokens, plus the overage allowance a subscription pays for. */
export function enforcedBudget(plan: WorkspacePlan, overageFactorRaw: string | undefined): number | null {
  if (plan.monthlyTokens === null) return null;
  if (!plan.billedOverage) return plan.monthlyTokens;
  const f = Number(overageFactorRaw ?? 1);
  const factor = Number.isFinite(f) && f >= 0 && f <= 100 ? f : 1;
  return Math.round(plan.monthlyTokens * (1 + factor));
}

const cache = new TtlCache<WorkspacePlan>(5_000);

/** The plan on the hot path: cached 5 s per isolate (a plan change applies within seconds). */
export async function planOf(db: D1Database, workspaceId: string, now: number): Promise<WorkspacePlan> {
  const hit = cache.get(workspaceId, now);
  if (hit) return hit;
  const [row] = await openDb(db).select().from(workspacePlan).where(eq(workspacePlan.workspaceId, workspaceId)).limit(1);
  const plan = (row?.plan as PlanId | undefined) ?? "free";
  const paid = plan === "pro" || plan === "team";
  const sub = paid
    ? await db.prepare("SELECT status FROM billing_subscription WHERE workspace_id = ? AND status IN ('active', 'trialing', 'past_due')").bind(workspaceId).first<{ status: string }>()
    : null;
  const value: WorkspacePlan = {
    plan,
    monthlyTokens: plan === "enterprise" ? (row?.monthlyTokens ?? null) : (row?.monthlyTokens ?? PLANS[plan].monthlyTokens),
    billedOverage: Boolean(sub),
  };
  cache.set(workspaceId, value, now, 5_000);
  return value;
}

export async function setPlan(db: D1Database, workspaceId: string, plan: PlanId, monthlyTokens?: number | null): Promise<void> {
  const tokens = monthlyTokens === undefined ? null : monthlyTokens;
  await openDb(db)
    .insert(workspacePlan)
    .values({ workspaceId, plan, monthlyTokens: tokens, updatedAt: new Date() })
    .onConflictDoUpdate({ target: workspacePlan.workspaceId, set: { plan, monthlyTokens: tokens, updatedAt: new Date() } });
  cache.delete(workspaceId);
}
