import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organization, user } from "./auth-schema";

/**
 * Outbound notifications (issue 11), owned by workers/notify/. An endpoint is a webhook URL or an email
 * address a workspace registered for some event types; an event is stored once with the exact body every
 * endpoint receives; a delivery is one event for one endpoint (unique: the dedupe), driven by the
 * workspace's NotifyObject; an attempt is one try of a delivery (the delivery log).
 */
const stamp = (name: string) =>
  integer(name, { mode: "timestamp_ms" })
    .default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`)
    .notNull();

export const notificationEndpoint = sqliteTable(
  "notification_endpoint",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    /** webhook | email */
    kind: text("kind").notNull(),
    /** The URL (webhook) or the address (email). */
    target: text("target").notNull(),
    description: text("description"),
    /** JSON array of event types, or ["*"]. */
    events: text("events").notNull(),
    /** The signing secret (`whsec_…`), AES-GCM sealed under ENCRYPTION_KEY and bound to the endpoint id; null for email. */
    sealedSecret: text("sealed_secret"),
    /** After a rotation the old secret still signs (a second signature) until this time. */
    sealedPreviousSecret: text("sealed_previous_secret"),
    previousSecretUntil: integer("previous_secret_until", { mode: "timestamp_ms" }),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: stamp("created_at"),
    updatedAt: stamp("updated_at"),
  },
  (t) => [index("notification_endpoint_workspace_idx").on(t.workspaceId, t.createdAt)],
);

export const notificationEvent = sqliteTable(
  "notification_event",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    /** The exact JSON body sent (the first emission's; a duplicate emission never changes it). */
    payload: text("payload").notNull(),
    createdAt: stamp("created_at"),
  },
  (t) => [index("notification_event_workspace_idx").on(t.workspaceId, t.createdAt)],
);

export const notificationDelivery = sqliteTable(
  "notification_delivery",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    eventId: text("event_id")
      .notNull()
      .references(() => notificationEvent.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => notificationEndpoint.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    /** pending | delivered | failed */
    status: text("status").notNull(),
    /** Every attempt, manual ones included. */
    attempts: integer("attempts").notNull().default(0),
    /** Attempts made by the retry schedule (decides the next delay). */
    scheduledAttempts: integer("scheduled_attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    /** Set while an attempt is in flight (a claim); an expired lease means that attempt was lost. */
    leaseUntil: integer("lease_until"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    lastAttemptAt: integer("last_attempt_at"),
    deliveredAt: integer("delivered_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("notification_delivery_event_endpoint_uq").on(t.eventId, t.endpointId),
    index("notification_delivery_endpoint_idx").on(t.endpointId, t.createdAt),
    index("notification_delivery_due_idx").on(t.workspaceId, t.status, t.nextAttemptAt),
  ],
);

export const notificationAttempt = sqliteTable(
  "notification_attempt",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => notificationDelivery.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id").notNull(),
    /** 1-based over all of the delivery's attempts. */
    attempt: integer("attempt").notNull(),
    /** scheduled | manual | test */
    trigger: text("trigger").notNull(),
    at: integer("at").notNull(),
    ok: integer("ok", { mode: "boolean" }).notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    latencyMs: integer("latency_ms").notNull(),
    /** The first KB of the receiver's answer. */
    responseExcerpt: text("response_excerpt"),
  },
  (t) => [index("notification_attempt_delivery_idx").on(t.deliveryId, t.at)],
);
