import { DurableObject } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { sendEmail } from "../auth/email";
import { openDb } from "../db/client";
import { notificationEndpoint } from "../db/notify-schema";
import type { Env } from "../env";
import { afterManualAttempt, afterScheduledAttempt } from "./backoff";
import { scheduleOf, ssrfPolicy, timeoutOf } from "./config";
import { attemptWebhook, type AttemptResult } from "./deliver";
import { summarize } from "./events";
import { abandon, claim, dueDeliveries, eventPayload, nextDueAt, recordAttempt, signingSecrets, type DeliveryRow, type EndpointRow } from "./store";

/**
 * One per workspace (`idFromName(workspaceId)`): drives the workspace's deliveries. The truth is in D1
 * (`notification_delivery`: status, attempts, next attempt time, lease); the object only holds the
 * workspace id and an alarm derived from the earliest due delivery, so a restart loses nothing: the alarm
 * lives in storage, and the cron re-arms any workspace with deliveries due as a safety net.
 *
 * Each attempt first claims its delivery in D1 (a conditional update setting a lease), so an alarm, a
 * manual redelivery and a second isolate can never send the same attempt twice; an attempt lost to a crash
 * is retried once its lease runs out. Webhook receivers still dedupe on `webhook-id` (the event id), which
 * is the same on every attempt, as Standard Webhooks asks.
 */
const PER_ALARM = 10;
const RETRY_ALARM_MS = 30_000;

export type AttemptTrigger = "scheduled" | "manual" | "test";

export class NotifyObject extends DurableObject<Env> {
  private async workspace(workspaceId?: string): Promise<string | undefined> {
    if (workspaceId) {
      if ((await this.ctx.storage.get<string>("workspaceId")) !== workspaceId) await this.ctx.storage.put("workspaceId", workspaceId);
      return workspaceId;
    }
    return this.ctx.storage.get<string>("workspaceId");
  }

  /** New deliveries are due: the alarm moves to `at` (now) unless it is already earlier. */
  async kick(workspaceId: string, at = Date.now()): Promise<void> {
    await this.workspace(workspaceId);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** One attempt now, outside the schedule (manual redelivery, test event). Null when another attempt holds it. */
  async deliverNow(workspaceId: string, deliveryId: string, trigger: "manual" | "test"): Promise<AttemptResult | null> {
    await this.workspace(workspaceId);
    const result = await this.attempt(workspaceId, deliveryId, trigger);
    await this.reschedule(workspaceId, false);
    return result;
  }

  override async alarm(): Promise<void> {
    const ws = await this.workspace();
    if (!ws) return;
    try {
      const due = await dueDeliveries(this.env.DB, ws, Date.now(), PER_ALARM);
      await Promise.all(due.map((id) => this.attempt(ws, id, "scheduled")));
      if (due.length === PER_ALARM) await this.ctx.storage.setAlarm(Date.now());
      else await this.reschedule(ws, true);
    } catch (err) {
      console.error(`notifications for ${ws}: alarm failed, retrying`, err);
      await this.ctx.storage.setAlarm(Date.now() + RETRY_ALARM_MS);
    }
  }

  /** The alarm follows the earliest pending delivery (or its lease). `replace`: inside the alarm, which consumed it. */
  private async reschedule(ws: string, replace: boolean): Promise<void> {
    const next = await nextDueAt(this.env.DB, ws);
    if (next === null) return;
    const at = Math.max(next, Date.now());
    const current = replace ? null : await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private async attempt(ws: string, deliveryId: string, trigger: AttemptTrigger): Promise<AttemptResult | null> {
    const db = this.env.DB;
    const timeoutMs = timeoutOf(this.env);
    const d = await claim(db, deliveryId, Date.now(), timeoutMs + 30_000, trigger === "scheduled");
    if (!d) return null;
    if (d.workspaceId !== ws) return null;
    const endpoint = await openDb(db).select().from(notificationEndpoint).where(eq(notificationEndpoint.id, d.endpointId)).get();
    if (!endpoint || (!endpoint.enabled && trigger === "scheduled")) {
      await abandon(db, d.id, "endpoint disabled");
      return null;
    }
    const payload = await eventPayload(this.env, d.eventId);
    if (payload === undefined) {
      await abandon(db, d.id, "event missing");
      return null;
    }
    const result = await this.send(endpoint, d, payload);
    const at = Date.now();
    const next =
      trigger === "manual"
        ? { ...afterManualAttempt({ status: d.status as "pending", nextAttemptAt: d.nextAttemptAt }, result.ok), scheduledAttempts: d.scheduledAttempts }
        : { ...afterScheduledAttempt(scheduleOf(this.env), d.scheduledAttempts + 1, result.ok, at), scheduledAttempts: d.scheduledAttempts + 1 };
    await recordAttempt(db, d, at, trigger, result, next);
    return result;
  }

  private async send(endpoint: EndpointRow, d: DeliveryRow, payload: string): Promise<AttemptResult> {
    const started = Date.now();
    if (endpoint.kind === "email") {
      try {
        const event = JSON.parse(payload) as { type: string; data: unknown };
        const summary = summarize(event);
        await sendEmail(this.env, {
          to: endpoint.target,
          kind: "notification",
          subject: summary,
          body: `${summary}\n\nEvent ${d.eventId} (${event.type}):\n${JSON.stringify(event.data, null, 2)}\n\nYou receive this because ${endpoint.target} is a notification endpoint of your workspace.`,
        });
        return { ok: true, statusCode: null, error: null, latencyMs: Date.now() - started, responseExcerpt: null };
      } catch (err) {
        return { ok: false, statusCode: null, error: `email outbox write failed: ${String(err).slice(0, 200)}`, latencyMs: Date.now() - started, responseExcerpt: null };
      }
    }
    let secrets: string[];
    try {
      secrets = await signingSecrets(this.env, endpoint, started);
    } catch {
      return { ok: false, statusCode: null, error: "the endpoint's secret cannot be opened (ENCRYPTION_KEY changed?)", latencyMs: 0, responseExcerpt: null };
    }
    return attemptWebhook({ url: endpoint.target, secrets, msgId: d.eventId, body: payload, policy: ssrfPolicy(this.env), timeoutMs: this.timeout() });
  }

  private timeout(): number {
    return timeoutOf(this.env);
  }
}
