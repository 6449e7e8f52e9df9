import type { Env } from "../env";
import { buildPayload, randomEventId, subscribes, TEST_EVENT_TYPE, type NotifyInput } from "./events";
import { newId, parseEvents } from "./store";

/**
 * The one call emitters make: `await notify(env, { workspaceId, type, id?, data })`. It stores the event
 * once and one pending delivery per enabled endpoint subscribed to its type (both `insert or ignore`:
 * emitting the same event id again adds nothing, however many requests race), then wakes the workspace's
 * NotifyObject, whose alarm makes the attempts. Cheap when nobody listens (one indexed read). Never throws:
 * a notification must not fail the action it reports.
 */
export async function notify(env: Env, input: NotifyInput): Promise<{ eventId: string; queued: number } | null> {
  try {
    const endpoints = await env.DB.prepare("select id, events from notification_endpoint where workspace_id = ? and enabled = 1")
      .bind(input.workspaceId)
      .all<{ id: string; events: string }>();
    const targets = endpoints.results.filter((e) => subscribes(parseEvents(e.events), input.type));
    if (!targets.length) return null;
    const id = input.id ?? randomEventId();
    const at = input.at ?? Date.now();
    const queued = await enqueue(env, input.workspaceId, id, input.type, JSON.stringify(buildPayload(id, input, at)), targets.map((t) => t.id), Date.now());
    return { eventId: id, queued: queued.length };
  } catch (err) {
    console.error(`notify ${input.type} for ${input.workspaceId} failed`, err);
    return null;
  }
}

/** Stores the event (first payload wins) and a delivery per endpoint; returns the deliveries that are new. */
export async function enqueue(env: Env, workspaceId: string, eventId: string, type: string, payload: string, endpointIds: string[], now: number): Promise<string[]> {
  const db = env.DB;
  const ids = endpointIds.map(() => newId("dlv"));
  const results = await db.batch([
    db.prepare("insert or ignore into notification_event (id, workspace_id, type, payload, created_at) values (?, ?, ?, ?, ?)").bind(eventId, workspaceId, type, payload, now),
    ...endpointIds.map((endpointId, i) =>
      db
        .prepare(
          "insert or ignore into notification_delivery (id, workspace_id, event_id, endpoint_id, event_type, status, next_attempt_at, created_at) values (?, ?, ?, ?, ?, 'pending', ?, ?)",
        )
        .bind(ids[i], workspaceId, eventId, endpointId, type, now, now),
    ),
  ]);
  const fresh = ids.filter((_, i) => (results[i + 1]?.meta.changes ?? 0) > 0);
  if (fresh.length) await wake(env, workspaceId);
  return fresh;
}

/** Points the workspace's NotifyObject alarm at now (it only ever moves earlier). */
export async function wake(env: Env, workspaceId: string): Promise<void> {
  await env.NOTIFY.get(env.NOTIFY.idFromName(workspaceId)).kick(workspaceId);
}

/** "Send a test event": one event to one endpoint, whatever it subscribes to. */
export async function enqueueTest(env: Env, workspaceId: string, endpointId: string): Promise<{ eventId: string; deliveryId: string }> {
  const id = randomEventId();
  const now = Date.now();
  const payload = JSON.stringify(buildPayload(id, { workspaceId, type: TEST_EVENT_TYPE, data: { message: "This is a test event from your workspace's notification settings." } }, now));
  const db = env.DB;
  const deliveryId = newId("dlv");
  // Not due by the schedule: the route delivers it at once through the object (deliverNow).
  await db.batch([
    db.prepare("insert into notification_event (id, workspace_id, type, payload, created_at) values (?, ?, ?, ?, ?)").bind(id, workspaceId, TEST_EVENT_TYPE, payload, now),
    db
      .prepare("insert into notification_delivery (id, workspace_id, event_id, endpoint_id, event_type, status, next_attempt_at, created_at) values (?, ?, ?, ?, ?, 'pending', ?, ?)")
      .bind(deliveryId, workspaceId, id, endpointId, TEST_EVENT_TYPE, now, now),
  ]);
  return { eventId: id, deliveryId };
}
