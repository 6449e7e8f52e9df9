import { Hono } from "hono";
import { z } from "zod";
import { requireWorkspace } from "../auth/middleware";
import { getAuth } from "../auth/instance";
import { authHeaders } from "../auth/middleware";
import { audit } from "../audit/record";
import { openDb } from "../db/client";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
import { KEY_SCOPES } from "../keys/scopes";
import { createKey } from "../keys/store";
import { api } from "../openapi/describe";
import { IDE_CLIENTS } from "./config";
import { configFor } from "./routes";
import { getTemplate, scopesFor } from "./templates";

/**
 * The last step of device pairing (RFC 8628, better-auth's device authorization plugin): the `connect`
 * CLI, holding the session the phone just approved, trades it for what it came for: a scoped key and the
 * chosen client's configuration. The session is then signed out, so the desktop keeps only the key,
 * which the person can see and revoke like any other.
 */
const body = z
  .object({
    client: z.enum(IDE_CLIENTS),
    templateId: z.string().min(1).max(64).optional(),
    scopes: z.array(z.enum(KEY_SCOPES)).min(1).max(KEY_SCOPES.length).optional(),
    device: z.string().trim().min(1).max(80).optional(),
  })
  .strict();

export const pairingRoutes = new Hono<AppEnv>().post("/", requireWorkspace({ apiKey: ["create"] }, { sessionOnly: true }), api({ tag: "IDE", summary: "Finish device pairing: trade the approved session for a scoped key and the client's configuration", auth: "session", body, what: "pairing request" }), async (c) => {
  const input = c.req.valid("json");
  const template = input.templateId ? await getTemplate(c.env.DB, c.var.workspace.id, input.templateId) : undefined;
  if (input.templateId && !template) throw notFound("No such template in this workspace");
  const scopes = input.scopes ? [...new Set(input.scopes)] : scopesFor(template?.settings);
  const { view, key } = await createKey(openDb(c.env.DB), {
    workspaceId: c.var.workspace.id,
    createdBy: c.var.user.id,
    name: `${input.client} on ${input.device ?? "a paired computer"}`,
    scopes,
  });
  await audit(c, { action: "key.create", target: { type: "api_key", id: view.id }, after: { ...view, via: "device pairing" } });
  // The approved session has done its one job; the CLI must not keep a full session around.
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (token) await getAuth(c.env).api.revokeSession({ body: { token }, headers: authHeaders(c) }).catch((e: unknown) => console.error("pairing: session revoke failed", e));
  return c.json({ config: await configFor(c, input.client, template, key), key: { id: view.id, prefix: view.prefix, scopes } }, 201);
});
