import { Hono } from "hono";
import { z } from "zod";
import { audit } from "../audit/record";
import { requireWorkspace } from "../auth/middleware";
import type { AppEnv } from "../env";
import { api } from "../openapi/describe";
import { CACHE_MS, logsPrompts, setLogsPrompts } from "./prompt-logging";

/**
 * GET/PUT /api/logging: whether the workspace's bridge calls write their prompts into the request log.
 * Off by default; turning it on is a data-handling decision, so admins and owners only (as for SSO and
 * billing), and audited.
 */
export const loggingInput = z.object({ logPrompts: z.boolean() }).strict();

const view = (on: boolean) => ({ logPrompts: on, appliesWithinSeconds: CACHE_MS / 1000 });

export const loggingRoutes = new Hono<AppEnv>()
  .get("/", requireWorkspace({ usage: ["read"] }), api({ tag: "Workspaces", summary: "Whether the workspace's bridge calls log their prompts", auth: "workspace" }), async (c) => c.json(view(await logsPrompts(c.env.DB, c.var.workspace.id, Date.now(), true))))
  .put("/", requireWorkspace({ billing: ["manage"] }), api({ tag: "Workspaces", summary: "Turn prompt logging on or off (admins and owners, audited)", auth: "workspace", body: loggingInput, what: "logging settings" }), async (c) => {
    const { logPrompts } = c.req.valid("json");
    const ws = c.var.workspace.id;
    const before = await logsPrompts(c.env.DB, ws, Date.now(), true);
    await setLogsPrompts(c.env.DB, ws, logPrompts, c.get("user").id);
    await audit(c, { action: "workspace.logging", target: { type: "workspace", id: ws }, before: { logPrompts: before }, after: { logPrompts } });
    return c.json(view(logPrompts));
  });
