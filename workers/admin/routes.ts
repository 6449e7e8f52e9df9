import { eq } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { appendAudit } from "../audit/store";
import { requireSession } from "../auth/middleware";
import { ensurePersonalWorkspace } from "../auth/workspaces";
import { planOf, setPlan } from "../budgets/plans";
import { openDb } from "../db/client";
import { organization, user, workspacePlan } from "../db/schema";
import type { AppEnv } from "../env";
import { AppError, badRequest } from "../errors";
import { readBrandFunnel } from "../funnel/report";
import { parseWindow } from "../funnel/window";
import { readFunnel } from "./funnel";
import { requirePlatformAdmin } from "./middleware";
import { parsePlanChange } from "./plan-body";

/**
 * /api/admin: platform operators (ADMIN_EMAILS). Set a workspace's plan (Enterprise with a custom monthly
 * token limit), by workspace id or by user id (their personal workspace); read the sign-up funnel. Every
 * plan change is audited in the workspace it changed, with the operator as actor.
 */
async function readBody(c: Context<AppEnv>): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new AppError(400, "invalid_json", "Request body is not valid JSON");
  }
}

async function changePlan(c: Context<AppEnv>, workspaceId: string) {
  const parsed = parsePlanChange(await readBody(c));
  if (!parsed.ok) throw badRequest(parsed.message, parsed.issues);
  const { plan, monthlyTokens } = parsed.change;
  const db = openDb(c.env.DB);
  const before = await db.select({ plan: workspacePlan.plan, monthlyTokens: workspacePlan.monthlyTokens }).from(workspacePlan).where(eq(workspacePlan.workspaceId, workspaceId)).get();
  await setPlan(c.env.DB, workspaceId, plan, monthlyTokens);
  const effective = await planOf(c.env.DB, workspaceId, Date.now());
  const admin = c.var.user;
  await appendAudit(c.env.DB, [
    {
      workspaceId,
      actor: { id: admin.id, email: admin.email },
      action: "plan.change",
      target: { type: "workspace", id: workspaceId },
      before: before ?? { plan: "free", monthlyTokens: null },
      after: { plan, monthlyTokens: monthlyTokens ?? null, budgetTokens: effective.monthlyTokens, by: "platform_admin" },
    },
  ]);
  return c.json({ workspaceId, plan: effective.plan, budgetTokens: effective.monthlyTokens });
}

const ID = /^[A-Za-z0-9_-]{1,128}$/;

export const adminRoutes = new Hono<AppEnv>()
  .use("*", requireSession(), requirePlatformAdmin())
  .put("/orgs/:id/plan", async (c) => {
    const id = c.req.param("id");
    const found = ID.test(id) && (await openDb(c.env.DB).select({ id: organization.id }).from(organization).where(eq(organization.id, id)).get());
    if (!found) throw new AppError(404, "workspace_not_found", "No such workspace");
    return changePlan(c, id);
  })
  .put("/users/:id/plan", async (c) => {
    const id = c.req.param("id");
    const db = openDb(c.env.DB);
    const found = ID.test(id) && (await db.select({ id: user.id }).from(user).where(eq(user.id, id)).get());
    if (!found) throw new AppError(404, "user_not_found", "No such user");
    // Normally made at sign-up; created here if an older account lacks one, so the plan has a home.
    return changePlan(c, await ensurePersonalWorkspace(db, id));
  })
  // The counts (users, keys, bridge calls, plans) plus the dual-domain funnel of the window: per brand,
  // the brands compared, per experiment arm (workers/funnel/).
  .get("/funnel", async (c) => {
    const window = parseWindow({ from: c.req.query("from"), to: c.req.query("to") }, Date.now());
    if (!window.ok) throw badRequest(window.message);
    const [counts, brands] = await Promise.all([readFunnel(c.env.DB), readBrandFunnel(c.env.DB, window.window)]);
    return c.json({ ...counts, ...brands });
  });
