import type { Env } from "../env";

/**
 * The cron's safety net for batches (issue 10): every unfinished batch's object is asked for its view, which
 * re-arms its alarm if it has none (a restart normally keeps alarms; this covers one that was lost).
 */
export async function resumeBatches(env: Env): Promise<number> {
  const { results } = await env.DB.prepare("select id from batch where status in ('validating', 'in_progress', 'finalizing', 'cancelling') order by updated_at limit 500").all<{ id: string }>();
  await Promise.all(results.map((r) => env.BATCHES.get(env.BATCHES.idFromName(r.id)).view()));
  return results.length;
}
