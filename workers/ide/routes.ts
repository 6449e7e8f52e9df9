import { Hono, type Context } from "hono";
import { z } from "zod";
import { requireWorkspace } from "../auth/middleware";
import { findMembership } from "../auth/workspaces";
import { audit } from "../audit/record";
import type { Brand } from "../brand/brands";
import { openDb } from "../db/client";
import type { AppEnv } from "../env";
import { AppError, badRequest, notFound } from "../errors";
import { KEY_SCOPES } from "../keys/scopes";
import { api } from "../openapi/describe";
import { buildIdeConfig, IDE_CLIENTS, type IdeClient, type IdeConfig, type IdeModels } from "./config";
import { createLink, redeemLink, type LinkRecord } from "./links";
import { setupPage } from "./setup-page";
import { visitorConfig } from "../funnel/visitor-config";
import { deleteTemplate, getTemplate, listTemplates, modelsFor, saveTemplate, scopesFor, templateSettings, type TemplateView } from "./templates";

/**
 * IDE setup: the generated configuration (`/api/ide-config`), the workspace's shared templates, and the
 * one-time links behind the phone's QR code (made on the phone, redeemed on the desktop, where
 * `/ide/setup/<token>` shows the configuration with a freshly minted key).
 */
/**
 * The models a generated config names. `openai` is the chat model Cursor and the OpenAI SDK are told to
 * use: the visitor's default_model arm (the brand's default, or its budget pick), so the experiment
 * reaches the configs it promises to.
 */
export function brandModels(brand: Brand, defaultModel: string = brand.defaults.model): IdeModels {
  return { main: "claude-sonnet-4-5", fast: "claude-haiku-4-5", openai: defaultModel, gemini: "google/gemini-2.5-flash" };
}

/** Documents GET /api/ide-config's query; parseClient checks `client` (its message names the clients). */
const ideConfigQuery = z.object({ client: z.enum(IDE_CLIENTS), template: z.string().min(1).optional() });

function parseClient(raw: string | undefined): IdeClient {
  if (raw && (IDE_CLIENTS as readonly string[]).includes(raw)) return raw as IdeClient;
  throw badRequest(`client is one of ${IDE_CLIENTS.join(", ")}`, [{ param: "client", message: raw ? `unknown client '${raw}'` : "required" }]);
}

export async function configFor(c: Context<AppEnv>, client: IdeClient, template: TemplateView | undefined, key?: string): Promise<IdeConfig> {
  const brand = c.var.brand;
  const { defaultModel } = await visitorConfig(c);
  return buildIdeConfig({
    client,
    origin: new URL(c.req.url).origin,
    brandId: brand.id,
    brandName: brand.name,
    models: modelsFor(brandModels(brand, defaultModel), template?.settings),
    serverName: template?.settings.serverName,
    key,
  });
}

async function templateOrThrow(c: Context<AppEnv>, workspaceId: string, id: string | undefined): Promise<TemplateView | undefined> {
  if (!id) return undefined;
  const t = await getTemplate(c.env.DB, workspaceId, id);
  if (!t) throw notFound("No such template in this workspace");
  return t;
}

const linkBody = z
  .object({
    client: z.enum(IDE_CLIENTS),
    templateId: z.string().min(1).max(64).optional(),
    scopes: z.array(z.enum(KEY_SCOPES)).min(1).max(KEY_SCOPES.length).optional(),
  })
  .strict();

const redeemBody = z.object({ token: z.string().min(1).max(200) }).strict();

const LINK_GONE: Record<"used" | "expired", { code: string; message: string }> = {
  used: { code: "link_used", message: "This setup link was already used. Make a new QR code on your phone." },
  expired: { code: "link_expired", message: "This setup link has expired (links last 10 minutes). Make a new QR code on your phone." },
};

export type RedeemOutcome = { ok: true; config: IdeConfig; key: { id: string; prefix: string; scopes: string[] }; link: LinkRecord } | { ok: false; status: 404 | 403 | 410; code: string; message: string };

/** Spends a link: mints the key and builds the configuration around it. */
export async function redeem(c: Context<AppEnv>, token: string): Promise<RedeemOutcome> {
  const now = Date.now();
  const result = await redeemLink(c.env.DB, token, now, (l) => `${l.client} setup (QR, ${new Date(now).toISOString().slice(0, 10)})`);
  if (!result.ok) {
    if (result.reason === "unknown") return { ok: false, status: 404, code: "link_unknown", message: "This setup link does not exist. Check that the whole link was opened." };
    return { ok: false, status: 410, ...LINK_GONE[result.reason] };
  }
  const { link } = result;
  const member = await findMembership(openDb(c.env.DB), link.userId, link.workspaceId);
  if (!member) {
    // The key exists but cannot act (it follows its maker's membership); say so instead of handing it out.
    await c.env.DB.prepare("UPDATE api_key SET revoked_at = ? WHERE id = ?").bind(now, result.keyId).run();
    return { ok: false, status: 403, code: "forbidden", message: "The person who made this link is no longer a member of the workspace" };
  }
  const template = link.templateId ? await getTemplate(c.env.DB, link.workspaceId, link.templateId) : undefined;
  return { ok: true, link, config: await configFor(c, link.client, template, result.key), key: { id: result.keyId, prefix: result.keyPrefix, scopes: link.scopes } };
}

export const ideRoutes = new Hono<AppEnv>()
  .get("/ide-config", requireWorkspace({ ide: ["read"] }), api({ tag: "IDE", summary: "The configuration files for an IDE client", auth: "workspace", query: ideConfigQuery, validate: false }), async (c) => {
    const client = parseClient(c.req.query("client"));
    const template = await templateOrThrow(c, c.var.workspace.id, c.req.query("template"));
    return c.json(await configFor(c, client, template));
  })
  .get("/ide/templates", requireWorkspace({ ide: ["read"] }), api({ tag: "IDE", summary: "List the workspace's IDE templates", auth: "workspace" }), async (c) => c.json({ templates: await listTemplates(c.env.DB, c.var.workspace.id) }))
  .put("/ide/templates/:name", requireWorkspace({ ide: ["manage"] }), api({ tag: "IDE", summary: "Create or replace an IDE template", auth: "workspace", body: templateSettings, what: "template" }), async (c) => {
    const name = c.req.param("name");
    if (!/^[\w .-]{1,60}$/.test(name)) throw badRequest("Template names are 1-60 letters, digits, spaces, dots, dashes or underscores");
    const settings = c.req.valid("json");
    const before = (await listTemplates(c.env.DB, c.var.workspace.id)).find((t) => t.name === name);
    const saved = await saveTemplate(c.env.DB, c.var.workspace.id, c.var.user.id, name, settings, Date.now());
    await audit(c, { action: before ? "ide_template.update" : "ide_template.create", target: { type: "ide_template", id: saved.id }, before: before?.settings, after: saved.settings });
    return c.json(saved, before ? 200 : 201);
  })
  .delete("/ide/templates/:id", requireWorkspace({ ide: ["manage"] }), api({ tag: "IDE", summary: "Delete an IDE template", auth: "workspace", responses: { 204: { description: "Deleted" } } }), async (c) => {
    const t = await getTemplate(c.env.DB, c.var.workspace.id, c.req.param("id"));
    if (!t || !(await deleteTemplate(c.env.DB, c.var.workspace.id, t.id))) throw notFound("No such template in this workspace");
    await audit(c, { action: "ide_template.delete", target: { type: "ide_template", id: t.id }, before: t.settings });
    return c.body(null, 204);
  })
  // Made on the phone by a signed-in person: the QR code encodes the returned URL.
  .post("/ide/links", requireWorkspace({ apiKey: ["create"] }, { sessionOnly: true }), api({ tag: "IDE", summary: "Make a one-time setup link (for a QR code)", auth: "session", body: linkBody, what: "setup link", responses: { 201: { description: "The link and when it expires" } } }), async (c) => {
    const body = c.req.valid("json");
    const template = await templateOrThrow(c, c.var.workspace.id, body.templateId);
    const scopes = body.scopes ? [...new Set(body.scopes)] : scopesFor(template?.settings);
    const { token, expiresAt } = await createLink(c.env.DB, { workspaceId: c.var.workspace.id, userId: c.var.user.id, client: body.client, scopes, templateId: template?.id ?? null }, Date.now());
    await audit(c, { action: "ide_link.create", target: { type: "ide_link", id: token.slice(0, 12) }, after: { client: body.client, scopes, expiresAt: new Date(expiresAt).toISOString() } });
    return c.json({ url: `${new URL(c.req.url).origin}/ide/setup/${token}`, client: body.client, scopes, expiresAt: new Date(expiresAt).toISOString() }, 201);
  })
  // Redeemed where the link was opened; the token is the credential, so no sign-in.
  .post("/ide/links/redeem", api({ tag: "IDE", summary: "Redeem a setup link for a key and configuration (the token is the credential)", auth: "none", body: redeemBody, what: "redeem request" }), async (c) => {
    const { token } = c.req.valid("json");
    const out = await redeem(c, token);
    if (!out.ok) throw new AppError(out.status, out.code, out.message);
    return c.json({ config: out.config, key: out.key });
  });

/** The desktop page the QR link opens: a button first (link previewers must not spend it), then the files. */
export const ideSetupPages = new Hono<AppEnv>()
  .get("/setup/:token", api({ tag: "IDE", summary: "The desktop setup page a QR link opens (HTML)", auth: "none", errors: "html", responses: { 200: { description: "HTML page", contentType: "text/html" } } }), (c) => c.html(setupPage({ brand: c.var.brand, state: "confirm" })))
  .post("/setup/:token", api({ tag: "IDE", summary: "Spend a setup link from its page (HTML with the files)", auth: "none", errors: "html", responses: { 200: { description: "HTML page", contentType: "text/html" } } }), async (c) => {
    const out = await redeem(c, c.req.param("token"));
    if (!out.ok) return c.html(setupPage({ brand: c.var.brand, state: "error", message: out.message }), out.status);
    return c.html(setupPage({ brand: c.var.brand, state: "config", config: out.config, keyPrefix: out.key.prefix }));
  });
