import { Hono } from "hono";
import { z } from "zod";
import { requireWorkspace } from "../auth/middleware";
import type { AppEnv } from "../env";
import { badRequest } from "../errors";
import { audit } from "../audit/record";
import { api } from "../openapi/describe";
import { readMap, saveMap } from "./bridge-map";
import { validateRules } from "./resolve";

/** /api/bridge: the active workspace's bridge map. Everyone reads it; admins and owners change it. */
const putBody = z
  .object({
    rules: z
      .array(z.object({ match: z.string().trim().min(1).max(200), targets: z.array(z.string().min(3).max(300)).min(1).max(10) }).strict())
      .max(200),
  })
  .strict();

export const bridgeMapRoutes = new Hono<AppEnv>()
  .get("/", requireWorkspace({ bridge: ["read"] }), api({ tag: "Bridge map", summary: "Read the workspace's bridge map", auth: "workspace" }), async (c) => c.json(await readMap(c.env.DB, c.var.workspace.id)))
  .put("/", requireWorkspace({ bridge: ["update"] }), api({ tag: "Bridge map", summary: "Replace the workspace's bridge map", auth: "workspace", body: putBody, what: "bridge map" }), async (c) => {
    const { rules } = c.req.valid("json");
    const problems = validateRules(rules);
    if (problems.length) throw badRequest(`Invalid bridge map: ${problems.join("; ")}`, problems);
    const before = await readMap(c.env.DB, c.var.workspace.id);
    await saveMap(c.env.DB, c.var.workspace.id, rules, c.var.user.id);
    await audit(c, { action: "bridge.update", target: { type: "bridge_map", id: c.var.workspace.id }, before: { rules: before.rules }, after: { rules: rules } });
    return c.json(await readMap(c.env.DB, c.var.workspace.id));
  });
