import type { Env } from "../env";
import { wake } from "./emit";
import { workspacesWithDue } from "./store";

/** Events (and with them their deliveries and attempts, by cascade) are kept this long. */
export const RETENTION_MS = 30 * 86_400_000;

/**
 * The cron's part: every workspace with a delivery due (and not held by a live attempt) gets its
 * NotifyObject's alarm back (alarms survive restarts on their own; this covers an object whose alarm was
 * lost or never set, say a wake that failed after the delivery row was written), and the delivery log is
 * kept to 30 days.
 */
export async function resumeNotifications(env: Env, now: number): Promise<number> {
  await pruneNotifications(env.DB, now).catch((err) => console.error("notification log prune failed", err));
  const workspaces = await workspacesWithDue(env.DB, now);
  await Promise.all(workspaces.map((ws) => wake(env, ws).catch((err) => console.error(`notifications for ${ws}: wake failed`, err))));
  return workspaces.length;
}

/** Deletes events older than the retention, with their deliveries and attempts; returns how many events. */
export async function pruneNotifications(db: D1Database, now: number): Promise<number> {
  // `returning`: the changes count would include the rows the cascade removed.
  const r = await db.prepare("delete from notification_event where id in (select id from notification_event where created_at < ? limit 1000) returning id").bind(now - RETENTION_MS).all();
  return r.results.length;
}
