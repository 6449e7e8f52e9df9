import { Hono } from "hono";
import { z } from "zod";
import { requireWorkspace } from "../auth/middleware";
import { roleAllows } from "../auth/roles";
import { openDb } from "../db/client";
import type { AppEnv } from "../env";
import { AppError, notFound } from "../errors";
import { audit } from "../audit/record";
import { api } from "../openapi/describe";
import { KEY_SCOPES } from "./scopes";
import { createKey, getKey, listKeys, revokeKey, toView, updateKey } from "./store";
import { notifyKey } from "../notify/emitters";

/**
 * /api/keys: bridge API keys of the active workspace. Members create and revoke their own keys; admins
 * and owners manage every key; viewers only list. The key is returned once, at creation.
 */
const limits = {
  rpm: z.number().int().positive().max(1_000_000).optional(),
  tpm: z.number().int().positive().max(1_000_000_000).optional(),
  monthlyTokens: z.number().int().positive().max(1_000_000_000_000).optional(),
  allowedModels: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
};

const createBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** What the key may do (workers/keys/scopes.ts); model traffic only unless asked. */
    scopes: z.array(z.enum(KEY_SCOPES)).min(1).max(KEY_SCOPES.length).optional(),
    /** The older single-scope form. */
    scope: z.enum(["bridge"]).optional(),
    expiresInDays: z.number().int().positive().max(3650).optional(),
    ...limits,
  })
  .strict();

const patchBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    ...limits,
    clear: z.array(z.enum(["rpm", "tpm", "monthlyTokens", "allowedModels"])).optional(),
  })
  .strict();

export const keyRoutes = new Hono<AppEnv>()
  .get("/", requireWorkspace({ apiKey: ["read"] }), api({ tag: "Keys", summary: "List the workspace's API keys (prefixes only)", auth: "workspace" }), async (c) => {
    return c.json({ keys: await listKeys(openDb(c.env.DB), c.var.workspace.id) });
  })
  .post("/", requireWorkspace({ apiKey: ["create"] }), api({ tag: "Keys", summary: "Create an API key (shown once)", auth: "workspace", body: createBody, what: "key", responses: { 201: { description: "The key; its secret (key) is shown only this once" } } }), async (c) => {
    const body = c.req.valid("json");
    const { view, key } = await createKey(openDb(c.env.DB), {
      workspaceId: c.var.workspace.id,
      createdBy: c.var.user.id,
      name: body.name,
      rpm: body.rpm,
      tpm: body.tpm,
      monthlyTokens: body.monthlyTokens,
      allowedModels: body.allowedModels,
      expiresAt: body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000) : undefined,
      scopes: body.scopes ? [...new Set(body.scopes)] : ["bridge"],
    });
    await audit(c, { action: "key.create", target: { type: "api_key", id: view.id }, after: view });
    await notifyKey(c.env, "key.created", c.var.workspace.id, view, c.var.user.id);
    return c.json({ ...view, key }, 201);
  })
  .patch("/:id", requireWorkspace({ apiKey: ["create"] }), api({ tag: "Keys", summary: "Rename a key or change its limits", auth: "workspace", body: patchBody, what: "key" }), async (c) => {
    const db = openDb(c.env.DB);
    const row = await getKey(db, c.var.workspace.id, c.req.param("id"));
    if (!row) throw notFound("No such key");
    if (row.createdBy !== c.var.user.id && !roleAllows(c.var.workspace.roles, { apiKey: ["manage"] })) {
      throw new AppError(403, "forbidden", "Only admins may change keys created by others");
    }
    const body = c.req.valid("json");
    const view = await updateKey(db, c.var.workspace.id, row.id, body);
    if (!view) throw new AppError(409, "key_revoked", "A revoked key cannot be changed");
    await audit(c, { action: "key.update", target: { type: "api_key", id: row.id }, before: toView(row), after: view });
    return c.json(view);
  })
  .delete("/:id", requireWorkspace({ apiKey: ["create"] }), api({ tag: "Keys", summary: "Revoke a key", auth: "workspace" }), async (c) => {
    const db = openDb(c.env.DB);
    const row = await getKey(db, c.var.workspace.id, c.req.param("id"));
    if (!row) throw notFound("No such key");
    if (row.createdBy !== c.var.user.id && !roleAllows(c.var.workspace.roles, { apiKey: ["manage"] })) {
      throw new AppError(403, "forbidden", "Only admins may revoke keys created by others");
    }
    const revoked = await revokeKey(db, c.var.workspace.id, row.id);
    if (revoked) await audit(c, { action: "key.revoke", target: { type: "api_key", id: row.id }, before: toView(row), after: revoked });
    if (revoked) await notifyKey(c.env, "key.revoked", c.var.workspace.id, toView(row), c.var.user.id);
    return c.json(revoked ?? { id: row.id, revokedAt: row.revokedAt?.toISOString() ?? null });
  });
