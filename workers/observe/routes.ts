import { Hono } from "hono";
import { z } from "zod";
import { audit } from "../audit/record";
import { requireWorkspace } from "../auth/middleware";
import type { AppEnv } from "../env";
import { readJsonBody } from "../platform/json-body";
import { CACHE_MS, logsPrompts, setLogsPrompts } from "./prompt-logging";

/**
 * GET/PUT /api/logging: whether the workspace's bridge calls write their prompts into the request log.
 * Off by default; turning it on is a data-handling decision, so admins and owners only (as for SSO and
 * billing), and audited.
 */
export const loggingInput = z.object({ logPrompts: z.boolean() }).strict();

const view = (on: boolean) => ({ logPrompts: on, appliesWithinSeconds: CACHE_MS / 1000 });

export const loggingRoutes = new Hono<AppEnv>()
  .get("/", requireWorkspace({ usage: ["read"] }), async (c) => c.json(view(await logsPrompts(c.env.DB, c.var.workspace.id, Date.now(), true))))
  .put("/", requireWorkspace({ billing: ["manage"] }), async (c) => {
    const { logPrompts } = await readJsonBody(c.req.raw, loggingInput, "logging settings");
    const ws = c.var.workspace.id;
    const before = await logsPrompts(c.env.DB, ws, Date.now(), true);
    await setLogsPrompts(c.env.DB, ws, logPrompts, c.get("user").id);
    await audit(c, { action: "workspace.logging", target: { type: "workspace", id: ws }, before: { logPrompts: before }, after: { logPrompts } });
    return c.json(view(logPrompts));
  });
