import { Hono } from "hono";
import { z } from "zod";
import { audit } from "../audit/record";
import { requireWorkspace } from "../auth/middleware";
import { openDb } from "../db/client";
import { notificationEndpoint } from "../db/notify-schema";
import type { AppEnv, Env } from "../env";
import { AppError, badRequest, notFound } from "../errors";
import { api } from "../openapi/describe";
import { and, eq } from "drizzle-orm";
import { MAX_ENDPOINTS, PREVIOUS_SECRET_GRACE_MS, ssrfPolicy } from "./config";
import { enqueueTest } from "./emit";
import { EVENT_DESCRIPTIONS, EVENT_TYPES } from "./events";
import { generateSecret } from "./sign";
import { checkTarget } from "./ssrf";
import {
  attemptView,
  deliveryAttempts,
  deliveryView,
  endpointView,
  eventPayload,
  getDelivery,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  newId,
  sealEndpointSecret,
} from "./store";

/**
 * /api/notifications: a workspace's webhook and email endpoints for platform events, their delivery log
 * and manual redelivery. Admins and owners, signed in (keys and tokens cannot change where events go).
 * Another workspace's ids answer 404. Secrets are shown once, at creation and at rotation.
 */
const eventList = z
  .array(z.union([z.enum(EVENT_TYPES), z.literal("*")]))
  .min(1)
  .max(EVENT_TYPES.length + 1)
  .transform((xs) => (xs.includes("*") ? ["*"] : [...new Set(xs)]));

export const createEndpointBody = z
  .object({
    url: z.string().trim().min(1).max(2000).optional(),
    email: z.email().max(320).optional(),
    events: eventList,
    description: z.string().trim().max(500).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => (b.url === undefined) !== (b.email === undefined), { message: "Give exactly one of url or email" });

export const updateEndpointBody = z
  .object({
    url: z.string().trim().min(1).max(2000).optional(),
    email: z.email().max(320).optional(),
    events: eventList.optional(),
    description: z.string().trim().max(500).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const deliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^\d+\.[A-Za-z0-9_]+$/, "not a cursor from a previous page")
    .optional(),
  status: z.enum(["pending", "delivered", "failed"]).optional(),
});

const manage = requireWorkspace({ notification: ["manage"] }, { sessionOnly: true });

/** The URL as it will be called, or a 400 naming why it may not receive webhooks. */
function validUrl(env: Env, raw: string): string {
  const check = checkTarget(raw, ssrfPolicy(env));
  if (!check.ok) throw new AppError(400, "invalid_url", `This URL cannot receive webhooks: ${check.reason}`);
  return check.url;
}

async function endpointOr404(env: Env, workspaceId: string, id: string) {
  const row = await getEndpoint(env, workspaceId, id);
  if (!row) throw notFound("No such notification endpoint");
  return row;
}

export const notificationRoutes = new Hono<AppEnv>()
  .get("/event-types", manage, api({ tag: "Notifications", auth: "session", summary: "The platform events an endpoint can subscribe to" }), (c) => c.json({ eventTypes: EVENT_TYPES.map((type) => ({ type, description: EVENT_DESCRIPTIONS[type] })) }))
  .get("/endpoints", manage, api({ tag: "Notifications", auth: "session", summary: "The workspace's webhook and email endpoints" }), async (c) => {
    const rows = await listEndpoints(c.env, c.var.workspace.id);
    return c.json({ endpoints: await Promise.all(rows.map((r) => endpointView(c.env, r))) });
  })
  .post("/endpoints", manage, api({ tag: "Notifications", auth: "session", summary: "Add a webhook (url) or email endpoint; a webhook's signing secret is shown once", body: createEndpointBody, what: "notification endpoint", responses: { 201: { description: "The endpoint, with its secret" } } }), async (c) => {
    const body = c.req.valid("json");
    const ws = c.var.workspace.id;
    if ((await listEndpoints(c.env, ws)).length >= MAX_ENDPOINTS) throw new AppError(409, "too_many_endpoints", `A workspace may have at most ${MAX_ENDPOINTS} notification endpoints`);
    const id = newId("nep");
    const kind = body.url !== undefined ? "webhook" : "email";
    const target = body.url !== undefined ? validUrl(c.env, body.url) : body.email!.toLowerCase();
    const secret = kind === "webhook" ? generateSecret() : null;
    await openDb(c.env.DB)
      .insert(notificationEndpoint)
      .values({
        id,
        workspaceId: ws,
        kind,
        target,
        description: body.description ?? null,
        events: JSON.stringify(body.events),
        sealedSecret: secret ? await sealEndpointSecret(c.env, id, secret) : null,
        enabled: body.enabled ?? true,
        createdBy: c.var.user.id,
      });
    const view = await endpointView(c.env, (await getEndpoint(c.env, ws, id))!);
    await audit(c, { action: "notification.endpoint_create", target: { type: "notification_endpoint", id }, after: view });
    return c.json({ ...view, secret }, 201);
  })
  .get("/endpoints/:id", manage, api({ tag: "Notifications", auth: "session", summary: "One endpoint" }), async (c) => c.json(await endpointView(c.env, await endpointOr404(c.env, c.var.workspace.id, c.req.param("id")))))
  .patch("/endpoints/:id", manage, api({ tag: "Notifications", auth: "session", summary: "Change an endpoint's target, events, description or enabled", body: updateEndpointBody, what: "notification endpoint" }), async (c) => {
    const row = await endpointOr404(c.env, c.var.workspace.id, c.req.param("id"));
    const body = c.req.valid("json");
    if (body.url !== undefined && row.kind !== "webhook") throw badRequest("An email endpoint has no url; create a webhook endpoint instead");
    if (body.email !== undefined && row.kind !== "email") throw badRequest("A webhook endpoint has no email; create an email endpoint instead");
    const before = await endpointView(c.env, row);
    const patch: Partial<typeof notificationEndpoint.$inferInsert> = { updatedAt: new Date() };
    if (body.url !== undefined) patch.target = validUrl(c.env, body.url);
    if (body.email !== undefined) patch.target = body.email.toLowerCase();
    if (body.events !== undefined) patch.events = JSON.stringify(body.events);
    if (body.description !== undefined) patch.description = body.description;
    if (body.enabled !== undefined) patch.enabled = body.enabled;
    await openDb(c.env.DB).update(notificationEndpoint).set(patch).where(and(eq(notificationEndpoint.id, row.id), eq(notificationEndpoint.workspaceId, row.workspaceId)));
    const after = await endpointView(c.env, (await getEndpoint(c.env, row.workspaceId, row.id))!);
    await audit(c, { action: "notification.endpoint_update", target: { type: "notification_endpoint", id: row.id }, before, after });
    return c.json(after);
  })
  .delete("/endpoints/:id", manage, api({ tag: "Notifications", auth: "session", summary: "Remove an endpoint", responses: { 204: { description: "Removed" } } }), async (c) => {
    const row = await endpointOr404(c.env, c.var.workspace.id, c.req.param("id"));
    const before = await endpointView(c.env, row);
    await openDb(c.env.DB).delete(notificationEndpoint).where(and(eq(notificationEndpoint.id, row.id), eq(notificationEndpoint.workspaceId, row.workspaceId)));
    await audit(c, { action: "notification.endpoint_delete", target: { type: "notification_endpoint", id: row.id }, before });
    return c.body(null, 204);
  })
  .post("/endpoints/:id/rotate-secret", manage, api({ tag: "Notifications", auth: "session", summary: "Rotate a webhook's signing secret (the previous one stays valid for a grace period)" }), async (c) => {
    const row = await endpointOr404(c.env, c.var.workspace.id, c.req.param("id"));
    if (row.kind !== "webhook" || !row.sealedSecret) throw badRequest("Only webhook endpoints have a signing secret");
    const secret = generateSecret();
    const previousUntil = new Date(Date.now() + PREVIOUS_SECRET_GRACE_MS);
    await openDb(c.env.DB)
      .update(notificationEndpoint)
      .set({ sealedSecret: await sealEndpointSecret(c.env, row.id, secret), sealedPreviousSecret: row.sealedSecret, previousSecretUntil: previousUntil, updatedAt: new Date() })
      .where(eq(notificationEndpoint.id, row.id));
    await audit(c, { action: "notification.secret_rotate", target: { type: "notification_endpoint", id: row.id }, after: { previousSecretValidUntil: previousUntil.toISOString() } });
    return c.json({ id: row.id, secret, previousSecretValidUntil: previousUntil.toISOString() });
  })
  .post("/endpoints/:id/test", manage, api({ tag: "Notifications", auth: "session", summary: "Send a test event to an endpoint now" }), async (c) => {
    const row = await endpointOr404(c.env, c.var.workspace.id, c.req.param("id"));
    const ws = c.var.workspace.id;
    const { eventId, deliveryId } = await enqueueTest(c.env, ws, row.id);
    const result = await c.env.NOTIFY.get(c.env.NOTIFY.idFromName(ws)).deliverNow(ws, deliveryId, "test");
    await audit(c, { action: "notification.test", target: { type: "notification_endpoint", id: row.id }, after: { eventId, deliveryId, ok: result?.ok ?? null } });
    const delivery = (await getDelivery(c.env, ws, deliveryId))!;
    return c.json({ delivery: deliveryView(delivery), attempt: result });
  })
  .get("/endpoints/:id/deliveries", manage, api({ tag: "Notifications", auth: "session", summary: "An endpoint's delivery log, newest first (limit, cursor, status)", query: deliveriesQuery, queryWhat: "query" }), async (c) => {
    const row = await endpointOr404(c.env, c.var.workspace.id, c.req.param("id"));
    const page = await listDeliveries(c.env, row.id, c.req.valid("query"));
    return c.json({ deliveries: page.rows.map(deliveryView), nextCursor: page.nextCursor });
  })
  .get("/deliveries/:id", manage, api({ tag: "Notifications", auth: "session", summary: "One delivery with its payload and attempt log" }), async (c) => {
    const d = await getDelivery(c.env, c.var.workspace.id, c.req.param("id"));
    if (!d) throw notFound("No such delivery");
    const [attempts, payload] = await Promise.all([deliveryAttempts(c.env, d.id), eventPayload(c.env, d.eventId)]);
    return c.json({ ...deliveryView(d), payload: payload ? JSON.parse(payload) : null, attemptLog: attempts.map(attemptView) });
  })
  .post("/deliveries/:id/redeliver", manage, api({ tag: "Notifications", auth: "session", summary: "Deliver again now" }), async (c) => {
    const ws = c.var.workspace.id;
    const d = await getDelivery(c.env, ws, c.req.param("id"));
    if (!d) throw notFound("No such delivery");
    const result = await c.env.NOTIFY.get(c.env.NOTIFY.idFromName(ws)).deliverNow(ws, d.id, "manual");
    if (!result) throw new AppError(409, "delivery_busy", "An attempt of this delivery is in flight; try again in a moment");
    await audit(c, { action: "notification.redeliver", target: { type: "notification_delivery", id: d.id }, after: { eventId: d.eventId, ok: result.ok, statusCode: result.statusCode } });
    const after = (await getDelivery(c.env, ws, d.id))!;
    return c.json({ delivery: deliveryView(after), attempt: result });
  });
