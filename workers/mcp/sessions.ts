/**
 * MCP sessions of the 2025 protocol revisions, in D1: a session is opened by `initialize`, named by the
 * Mcp-Session-Id header on every later request, and bound to the credential that opened it (another key
 * presenting the id finds nothing, exactly like an unknown id). Idle sessions end after SESSION_IDLE_MS;
 * DELETE ends one at once. D1 rather than KV: a client uses its session id right after initialize, and
 * KV may not show a fresh write (or may cache the miss) for up to a minute.
 */
export const SESSION_IDLE_MS = 24 * 3_600_000;
/** `last_seen_at` is refreshed at most this often, so a busy session is not a write per call. */
const TOUCH_EVERY_MS = 5 * 60_000;

export interface McpSessionRecord {
  id: string;
  credentialId: string;
  workspaceId: string;
  protocolVersion: string;
  lastSeenAt: number;
}

export async function openSession(db: D1Database, s: { id: string; credentialId: string; workspaceId: string; protocolVersion: string; clientName: string | null }, now: number): Promise<void> {
  await db
    .prepare("INSERT INTO mcp_session (id, credential_id, workspace_id, protocol_version, client_name, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .bind(s.id, s.credentialId, s.workspaceId, s.protocolVersion, s.clientName, now, now)
    .run();
}

/** The live session with this id opened by this credential, touching it when due; undefined otherwise. */
export async function findSession(db: D1Database, id: string, credentialId: string, now: number): Promise<McpSessionRecord | undefined> {
  if (id.length > 100) return undefined;
  const row = await db
    .prepare("SELECT id, credential_id, workspace_id, protocol_version, last_seen_at FROM mcp_session WHERE id = ? AND credential_id = ? AND closed_at IS NULL AND last_seen_at > ?")
    .bind(id, credentialId, now - SESSION_IDLE_MS)
    .first<{ id: string; credential_id: string; workspace_id: string; protocol_version: string; last_seen_at: number }>();
  if (!row) return undefined;
  if (now - row.last_seen_at > TOUCH_EVERY_MS) await db.prepare("UPDATE mcp_session SET last_seen_at = ? WHERE id = ?").bind(now, id).run();
  return { id: row.id, credentialId: row.credential_id, workspaceId: row.workspace_id, protocolVersion: row.protocol_version, lastSeenAt: row.last_seen_at };
}

/** Ends a session; true when it was open. */
export async function closeSession(db: D1Database, id: string, credentialId: string, now: number): Promise<boolean> {
  const r = await db.prepare("UPDATE mcp_session SET closed_at = ? WHERE id = ? AND credential_id = ? AND closed_at IS NULL").bind(now, id, credentialId).run();
  return (r.meta.changes ?? 0) > 0;
}

/** Daily cleanup: sessions closed or idle past their life. */
export async function pruneSessions(db: D1Database, now: number): Promise<number> {
  const r = await db.prepare("DELETE FROM mcp_session WHERE closed_at IS NOT NULL OR last_seen_at <= ?").bind(now - SESSION_IDLE_MS).run();
  return r.meta.changes ?? 0;
}
