import { Hono } from "hono";
import { audit } from "../audit/record";
import { requireWorkspace } from "../auth/middleware";
import { planOf } from "../budgets/plans";
import type { AppEnv } from "../env";
import { AppError, notFound } from "../errors";
import { api } from "../openapi/describe";
import { decodeLogo, whiteLabelBody, type WhiteLabel } from "./white-label";
import { deleteWhiteLabel, saveWhiteLabel, whiteLabelOf } from "./white-label-store";

/**
 * `/api/white-label`: an Enterprise workspace's own branding on its own hostname. Owners and admins set it
 * (session only: it changes what every visitor of that hostname sees); members read it. Point the
 * hostname at the brand worker's route (a Cloudflare custom hostname) and the PWA, its manifest and
 * /api/brand there speak as the customer.
 */
const view = (w: WhiteLabel) => ({ ...w, logo: w.logo ? { url: "/brand/logo", bytes: decodeLogo(w.logo)?.bytes.length ?? 0 } : null });

export const whiteLabelRoutes = new Hono<AppEnv>()
  .get("/", requireWorkspace({ billing: ["read"] }), api({ tag: "White label", summary: "Read the workspace's white-label branding", auth: "workspace" }), async (c) => {
    const label = await whiteLabelOf(c.env.DB, c.var.workspace.id);
    if (!label) throw notFound("This workspace has no white-label branding");
    return c.json(view(label));
  })
  .put("/", requireWorkspace({ organization: ["update"] }, { sessionOnly: true }), api({ tag: "White label", summary: "Set the workspace's branding on its own hostname (Enterprise)", auth: "session", body: whiteLabelBody, what: "white-label branding" }), async (c) => {
    const input = c.req.valid("json");
    const plan = await planOf(c.env.DB, c.var.workspace.id, Date.now());
    if (plan.plan !== "enterprise") throw new AppError(403, "plan_required", "White-label branding is part of the Enterprise plan; contact us to upgrade.");
    const saved = await saveWhiteLabel(c.env.DB, c.var.workspace.id, input, c.var.user.id, Date.now());
    if (!saved.ok) throw new AppError(409, "hostname_taken", `${input.hostname} is already white-labelled by another workspace`);
    const label = (await whiteLabelOf(c.env.DB, c.var.workspace.id))!;
    // The logo itself is not copied into the audit log: its size is enough to tell changes apart.
    await audit(c, { action: "white_label.set", target: { type: "white_label", id: label.hostname }, after: view(label) });
    return c.json(view(label), saved.previousHost === undefined ? 201 : 200);
  })
  .delete("/", requireWorkspace({ organization: ["update"] }, { sessionOnly: true }), api({ tag: "White label", summary: "Remove the workspace's white-label branding", auth: "session", responses: { 204: { description: "Removed" } } }), async (c) => {
    const removed = await deleteWhiteLabel(c.env.DB, c.var.workspace.id);
    if (!removed) throw notFound("This workspace has no white-label branding");
    await audit(c, { action: "white_label.delete", target: { type: "white_label", id: removed.hostname } });
    return c.body(null, 204);
  });

/**
 * GET /brand/logo on a white-labelled hostname. An SVG could carry script, so it is served under a CSP
 * sandbox: shown by <img> it is inert, and opened directly it cannot run in our origin.
 */
export const logoRoute = new Hono<AppEnv>().get("/", api({ tag: "Brand", summary: "The logo of a white-labelled hostname", auth: "none", responses: { 200: { description: "The image", contentType: "image/*" } } }), async (c) => {
  const owner = c.var.brand.whiteLabel?.workspaceId;
  const label = owner ? await whiteLabelOf(c.env.DB, owner) : undefined;
  const logo = label?.logo ? decodeLogo(label.logo) : undefined;
  if (!logo) throw notFound("This hostname has no logo");
  return c.body(logo.bytes, 200, {
    "content-type": logo.type,
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "cache-control": "public, max-age=300",
    vary: "host",
  });
});
