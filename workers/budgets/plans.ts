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
}

const cache = new TtlCache<WorkspacePlan>(5_000);

/** The plan on the hot path: cached 5 s per isolate (a plan change applies within seconds). */
export async function planOf(db: D1Database, workspaceId: string, now: number): Promise<WorkspacePlan> {
  const hit = cache.get(workspaceId, now);
  if (hit) return hit;
  const [row] = await openDb(db).select().from(workspacePlan).where(eq(workspacePlan.workspaceId, workspaceId)).limit(1);
  const plan = (row?.plan as PlanId | undefined) ?? "free";
  const value: WorkspacePlan = { plan, monthlyTokens: plan === "enterprise" ? (row?.monthlyTokens ?? null) : (row?.monthlyTokens ?? PLANS[plan].monthlyTokens) };
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
