import { Hono } from "hono";
import { audit } from "../audit/record";
import { requireWorkspace } from "../auth/middleware";
import type { AppEnv } from "../env";
import { api } from "../openapi/describe";
import { applyPolicyInput, costPolicyInput } from "./cost-policy";
import { readCostPolicy, workspaceExpectedSpend, writeCostPolicy } from "./cost-policy-store";

/**
 * The workspace's cost policy (issue 10): what predictive scaling may do, the GPU pool price ceiling and the
 * monthly GPU ceiling across its deployments. Anyone who can see deployments reads it with the spend it
 * bounds; changing it is a billing decision (admins and owners), audited.
 */
async function view(db: D1Database, workspaceId: string) {
  const [policy, spend] = await Promise.all([readCostPolicy(db, workspaceId), workspaceExpectedSpend(db, workspaceId)]);
  const expected = Math.round([...spend.values()].reduce((a, b) => a + b, 0) * 100) / 100;
  return {
    ...policy,
    expectedGpuSpendUsdPerMonth: expected,
    deployments: [...spend].map(([id, usd]) => ({ id, expectedUsdPerMonth: Math.round(usd * 100) / 100 })),
  };
}

export const costPolicyRoutes = new Hono<AppEnv>()
  .get("/", requireWorkspace({ deployment: ["read"] }), api({ tag: "Deployments", summary: "The workspace's cost policy and the GPU spend it bounds", auth: "workspace" }), async (c) => c.json(await view(c.env.DB, c.var.workspace.id)))
  .put("/", requireWorkspace({ billing: ["manage"] }), api({ tag: "Deployments", summary: "Change the cost policy: autoscale mode, GPU price and monthly ceilings (admins and owners)", auth: "workspace", body: costPolicyInput, what: "cost policy" }), async (c) => {
    const input = c.req.valid("json");
    const ws = c.var.workspace.id;
    const before = await readCostPolicy(c.env.DB, ws);
    const after = applyPolicyInput(before, input);
    await writeCostPolicy(c.env.DB, ws, after, c.get("user").id);
    await audit(c, { action: "workspace.cost_policy", target: { type: "workspace", id: ws }, before, after });
    return c.json(await view(c.env.DB, ws));
  });
