/**
 * Raw usage events are kept for a bounded time (the daily roll-up keeps the totals forever): without this the
 * ledger grows without bound, the field's most common complaint about gateways' spend logs.
 */
export const RAW_EVENT_RETENTION_DAYS = 90;
/** Deleted per scheduled run, so one run never holds D1 for long. */
const PRUNE_BATCH = 5_000;

export async function pruneUsageEvents(db: D1Database, now: number): Promise<number> {
  const cutoff = now - RAW_EVENT_RETENTION_DAYS * 86_400_000;
  const result = await db
    .prepare("delete from usage_event where id in (select id from usage_event where at < ? limit ?)")
    .bind(cutoff, PRUNE_BATCH)
    .run();
  return result.meta.changes ?? 0;
}
