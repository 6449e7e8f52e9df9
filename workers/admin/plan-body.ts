import { z } from "zod";
import type { PlanId } from "../budgets/plans";

/**
 * The body of PUT /api/admin/{orgs,users}/:id/plan (pure). Only Enterprise takes a custom monthly token
 * limit (null or omitted = no cap); the other plans have their fixed budgets, so a limit there is refused
 * rather than silently dropped.
 */
export const planChangeBody = z
  .object({
    plan: z.enum(["free", "pro", "team", "enterprise"]),
    monthlyTokens: z.number().int().min(0).max(1_000_000_000_000_000).nullable().optional(),
  })
  .strict();

export type PlanChange = { plan: PlanId; monthlyTokens: number | null | undefined };

export type ParsedPlanChange = { ok: true; change: PlanChange } | { ok: false; message: string; issues?: unknown };

/** The message of a body that breaks the schema (api() in workers/admin/routes.ts answers with it too). */
export const PLAN_BODY_MESSAGE = 'Body must be {"plan": "free"|"pro"|"team"|"enterprise", "monthlyTokens"?: integer|null}';

export function parsePlanChange(raw: unknown): ParsedPlanChange {
  const parsed = planChangeBody.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      message: PLAN_BODY_MESSAGE,
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    };
  }
  const { plan, monthlyTokens } = parsed.data;
  if (monthlyTokens !== undefined && plan !== "enterprise") return { ok: false, message: "monthlyTokens can only be set on the enterprise plan" };
  return { ok: true, change: { plan, monthlyTokens: plan === "enterprise" ? (monthlyTokens ?? null) : undefined } };
}
