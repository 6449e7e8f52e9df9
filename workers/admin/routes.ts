import { eq } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { z } from "zod";
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
import { api } from "../openapi/describe";
import { parsePlanChange, PLAN_BODY_MESSAGE, planChangeBody } from "./plan-body";

/**
 * /api/admin: platform operators (ADMIN_EMAILS). Set a workspace's plan (Enterprise with a custom monthly
 * token limit), by workspace id or by user id (their personal workspace); read the sign-up funnel. Every
 * plan change is audited in the workspace it changed, with the operator as actor.
 */
/** Validated by the route's api() with the same schema; parsePlanChange adds the Enterprise-only rule. */
const planDoc = (summary: string) =>
  api({ tag: "Admin", summary, auth: "admin", body: planChangeBody, invalidMessage: PLAN_BODY_MESSAGE, params: { id: "the workspace (org) or user id" } });

async function changePlan(c: Context<AppEnv>, workspaceId: string, body: unknown) {
  const parsed = parsePlanChange(body);
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
/** Documents GET /funnel's query; parseWindow checks it. */
const funnelQuery = z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() });

export const adminRoutes = new Hono<AppEnv>()
  .use("*", requireSession(), requirePlatformAdmin())
  .put("/orgs/:id/plan", planDoc("Set a workspace's plan (Enterprise takes a custom monthlyTokens)"), async (c) => {
    const id = c.req.param("id");
    const found = ID.test(id) && (await openDb(c.env.DB).select({ id: organization.id }).from(organization).where(eq(organization.id, id)).get());
    if (!found) throw new AppError(404, "workspace_not_found", "No such workspace");
    return changePlan(c, id, c.req.valid("json"));
  })
  .put("/users/:id/plan", planDoc("Set the plan of a user's personal workspace"), async (c) => {
    const id = c.req.param("id");
    const db = openDb(c.env.DB);
    const found = ID.test(id) && (await db.select({ id: user.id }).from(user).where(eq(user.id, id)).get());
    if (!found) throw new AppError(404, "user_not_found", "No such user");
    // Normally made at sign-up; created here if an older account lacks one, so the plan has a home.
    return changePlan(c, await ensurePersonalWorkspace(db, id), c.req.valid("json"));
  })
  // The counts (users, keys, bridge calls, plans) plus the dual-domain funnel of the window: per brand,
  // the brands compared, per experiment arm (workers/funnel/).
  .get("/funnel", api({ tag: "Admin", summary: "Sign-up funnel per brand and experiment arm (?from=&to= dates)", auth: "admin", query: funnelQuery, validate: false }), async (c) => {
    const window = parseWindow({ from: c.req.query("from"), to: c.req.query("to") }, Date.now());
    if (!window.ok) throw badRequest(window.message);
    const [counts, brands] = await Promise.all([readFunnel(c.env.DB), readBrandFunnel(c.env.DB, window.window)]);
    return c.json({ ...counts, ...brands });
  });
