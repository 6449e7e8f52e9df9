import { and, desc, eq, lt, or } from "drizzle-orm";
import { openSecret, sealSecret } from "../byok/crypto";
import { encryptionKey } from "../byok/store";
import { openDb } from "../db/client";
import { notificationAttempt, notificationDelivery, notificationEndpoint, notificationEvent } from "../db/notify-schema";
import type { Env } from "../env";
import type { AttemptResult } from "./deliver";
import type { DeliveryStatus, DeliveryView, EndpointView } from "./views";

/** D1 access for notifications: endpoints, events, deliveries and attempts. No HTTP here. */

export type EndpointRow = typeof notificationEndpoint.$inferSelect;
export type DeliveryRow = typeof notificationDelivery.$inferSelect;
export type AttemptRow = typeof notificationAttempt.$inferSelect;

export type { EndpointView } from "./views";

export const newId = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;

export function parseEvents(raw: string): string[] {
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export async function endpointView(env: Env, row: EndpointRow): Promise<EndpointView> {
  const secret = row.sealedSecret ? await openEndpointSecret(env, row.id, row.sealedSecret).catch(() => null) : null;
  return {
    id: row.id,
    kind: row.kind as "webhook" | "email",
    url: row.kind === "webhook" ? row.target : null,
    email: row.kind === "email" ? row.target : null,
    description: row.description,
    events: parseEvents(row.events),
    enabled: row.enabled,
    secretHint: secret ? `${secret.slice(0, 10)}…` : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const sealEndpointSecret = (env: Env, endpointId: string, secret: string) => sealSecret(encryptionKey(env), secret, `notify:${endpointId}`);
export const openEndpointSecret = (env: Env, endpointId: string, sealed: string) => openSecret(encryptionKey(env), sealed, `notify:${endpointId}`);

/** The secrets an attempt signs with now: the current one, and the previous one while its grace lasts. */
export async function signingSecrets(env: Env, row: EndpointRow, now: number): Promise<string[]> {
  const out: string[] = [];
  if (row.sealedSecret) out.push(await openEndpointSecret(env, row.id, row.sealedSecret));
  if (row.sealedPreviousSecret && row.previousSecretUntil && row.previousSecretUntil.getTime() > now) {
    out.push(await openEndpointSecret(env, row.id, row.sealedPreviousSecret));
  }
  return out;
}

export async function getEndpoint(env: Env, workspaceId: string, id: string): Promise<EndpointRow | undefined> {
  return openDb(env.DB)
    .select()
    .from(notificationEndpoint)
    .where(and(eq(notificationEndpoint.workspaceId, workspaceId), eq(notificationEndpoint.id, id)))
    .get();
}

export async function listEndpoints(env: Env, workspaceId: string): Promise<EndpointRow[]> {
  return openDb(env.DB).select().from(notificationEndpoint).where(eq(notificationEndpoint.workspaceId, workspaceId)).orderBy(desc(notificationEndpoint.createdAt));
}

export async function getDelivery(env: Env, workspaceId: string, id: string): Promise<DeliveryRow | undefined> {
  return openDb(env.DB)
    .select()
    .from(notificationDelivery)
    .where(and(eq(notificationDelivery.workspaceId, workspaceId), eq(notificationDelivery.id, id)))
    .get();
}

export async function deliveryAttempts(env: Env, deliveryId: string): Promise<AttemptRow[]> {
  return openDb(env.DB).select().from(notificationAttempt).where(eq(notificationAttempt.deliveryId, deliveryId)).orderBy(notificationAttempt.attempt);
}

export async function eventPayload(env: Env, eventId: string): Promise<string | undefined> {
  const row = await openDb(env.DB).select({ payload: notificationEvent.payload }).from(notificationEvent).where(eq(notificationEvent.id, eventId)).get();
  return row?.payload;
}

/** A page of an endpoint's deliveries, newest first; the cursor is the last row's `createdAt.id`. */
export async function listDeliveries(env: Env, endpointId: string, opts: { limit: number; cursor?: string | undefined; status?: string | undefined }) {
  const conds = [eq(notificationDelivery.endpointId, endpointId)];
  if (opts.status) conds.push(eq(notificationDelivery.status, opts.status));
  if (opts.cursor) {
    const dot = opts.cursor.indexOf(".");
    const at = Number(opts.cursor.slice(0, dot));
    const id = opts.cursor.slice(dot + 1);
    conds.push(or(lt(notificationDelivery.createdAt, at), and(eq(notificationDelivery.createdAt, at), lt(notificationDelivery.id, id)))!);
  }
  const rows = await openDb(env.DB)
    .select()
    .from(notificationDelivery)
    .where(and(...conds))
    .orderBy(desc(notificationDelivery.createdAt), desc(notificationDelivery.id))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > opts.limit && last ? `${last.createdAt}.${last.id}` : null };
}

export function deliveryView(d: DeliveryRow): DeliveryView {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    endpointId: d.endpointId,
    status: d.status as DeliveryStatus,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt ? new Date(d.nextAttemptAt).toISOString() : null,
    lastAttemptAt: d.lastAttemptAt ? new Date(d.lastAttemptAt).toISOString() : null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt ? new Date(d.deliveredAt).toISOString() : null,
    createdAt: new Date(d.createdAt).toISOString(),
  };
}

export function attemptView(a: AttemptRow) {
  return {
    attempt: a.attempt,
    trigger: a.trigger,
    at: new Date(a.at).toISOString(),
    ok: a.ok,
    statusCode: a.statusCode,
    error: a.error,
    latencyMs: a.latencyMs,
    responseExcerpt: a.responseExcerpt,
  };
}

/**
 * Claims a delivery for one attempt: succeeds for one caller only (a lease that a lost attempt outlives).
 * `due` additionally requires a pending delivery whose scheduled time has come (the alarm's path).
 */
export async function claim(db: D1Database, id: string, now: number, leaseMs: number, due: boolean): Promise<DeliveryRow | undefined> {
  const dueClause = due ? "and status = 'pending' and next_attempt_at <= ?3" : "";
  const r = await db
    .prepare(`update notification_delivery set lease_until = ?2 where id = ?1 and (lease_until is null or lease_until < ?3) ${dueClause}`)
    .bind(id, now + leaseMs, now)
    .run();
  if (!r.meta.changes) return undefined;
  return openDb(db).select().from(notificationDelivery).where(eq(notificationDelivery.id, id)).get();
}

/** Records an attempt and the delivery's new state in one batch, releasing the lease. */
export async function recordAttempt(
  db: D1Database,
  d: DeliveryRow,
  at: number,
  trigger: "scheduled" | "manual" | "test",
  result: AttemptResult,
  next: { status: string; nextAttemptAt: number | null; scheduledAttempts: number },
): Promise<void> {
  const n = d.attempts + 1;
  await db.batch([
    db
      .prepare(
        "insert into notification_attempt (id, delivery_id, workspace_id, attempt, trigger, at, ok, status_code, error, latency_ms, response_excerpt) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(newId("att"), d.id, d.workspaceId, n, trigger, at, result.ok ? 1 : 0, result.statusCode, result.error, result.latencyMs, result.responseExcerpt),
    db
      .prepare(
        `update notification_delivery set attempts = ?2, scheduled_attempts = ?3, status = ?4, next_attempt_at = ?5, lease_until = null,
           last_status_code = ?6, last_error = ?7, last_attempt_at = ?8, delivered_at = coalesce(delivered_at, ?9) where id = ?1`,
      )
      .bind(d.id, n, next.scheduledAttempts, next.status, next.nextAttemptAt, result.statusCode, result.error, at, result.ok ? at : null),
  ]);
}

/** Ends a delivery without an attempt (its endpoint was disabled meanwhile). */
export async function abandon(db: D1Database, id: string, why: string): Promise<void> {
  await db.prepare("update notification_delivery set status = 'failed', next_attempt_at = null, lease_until = null, last_error = ? where id = ?").bind(why, id).run();
}

/** Deliveries of a workspace whose time has come (and whose lease, if any, ran out). */
export async function dueDeliveries(db: D1Database, workspaceId: string, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .prepare(
      "select id from notification_delivery where workspace_id = ? and status = 'pending' and next_attempt_at <= ? and (lease_until is null or lease_until < ?) order by next_attempt_at limit ?",
    )
    .bind(workspaceId, now, now, limit)
    .all<{ id: string }>();
  return rows.results.map((r) => r.id);
}

/** When the workspace's next attempt is due (a lease's end counts: the attempt it covers may have been lost). */
export async function nextDueAt(db: D1Database, workspaceId: string): Promise<number | null> {
  const row = await db
    .prepare("select min(max(next_attempt_at, coalesce(lease_until, 0))) as at from notification_delivery where workspace_id = ? and status = 'pending'")
    .bind(workspaceId)
    .first<{ at: number | null }>();
  return row?.at ?? null;
}

/** Workspaces with deliveries due (the cron re-arms their objects: a safety net under the alarms). */
export async function workspacesWithDue(db: D1Database, now: number): Promise<string[]> {
  const rows = await db
    .prepare("select distinct workspace_id from notification_delivery where status = 'pending' and next_attempt_at <= ? and (lease_until is null or lease_until < ?) limit 500")
    .bind(now, now)
    .all<{ workspace_id: string }>();
  return rows.results.map((r) => r.workspace_id);
}
