/**
 * Whether a workspace has opted in to prompt logging (issue 11): off unless its `workspace_logging` row
 * says on. Read for bridge calls only, after the response has gone, through a short per-isolate cache, so
 * the request path never waits on it; a change takes effect within CACHE_MS.
 */
export const CACHE_MS = 10_000;
const cache = new Map<string, { on: boolean; until: number }>();

export async function logsPrompts(db: D1Database, workspaceId: string, now = Date.now(), fresh = false): Promise<boolean> {
  const hit = cache.get(workspaceId);
  if (hit && hit.until > now && !fresh) return hit.on;
  const row = await db.prepare("SELECT log_prompts FROM workspace_logging WHERE workspace_id = ?").bind(workspaceId).first<{ log_prompts: number }>();
  const on = row?.log_prompts === 1;
  if (cache.size > 10_000) cache.clear();
  cache.set(workspaceId, { on, until: now + CACHE_MS });
  return on;
}

export async function setLogsPrompts(db: D1Database, workspaceId: string, on: boolean, by: string | null, now = Date.now()): Promise<void> {
  await db
    .prepare(
      `INSERT INTO workspace_logging (workspace_id, log_prompts, updated_at, updated_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (workspace_id) DO UPDATE SET log_prompts = excluded.log_prompts, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    .bind(workspaceId, on ? 1 : 0, now, by)
    .run();
  // This isolate sees its own change at once; others within CACHE_MS.
  cache.set(workspaceId, { on, until: now + CACHE_MS });
}
