/**
 * Batch files: metadata in D1 (`batch_file`), bytes in R2 (`FILES`, Miniflare's local R2 under `npm start`).
 * The bytes are written before the row, so a listed file always has its content; a crash between the two
 * leaves an unlisted object, never a row without bytes.
 */

export interface FileRow {
  id: string;
  workspace_id: string;
  purpose: string;
  filename: string;
  bytes: number;
  r2_key: string;
  batch_id: string | null;
  created_at: number;
}

export interface FileBindings {
  DB: D1Database;
  FILES: R2Bucket;
}

/** Largest input file accepted (OpenAI takes 200 MB; a Worker holds the whole file while validating it). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export const r2KeyFor = (workspaceId: string, fileId: string) => `files/${workspaceId}/${fileId}`;

export function newFileId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `file-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** OpenAI's FileObject. */
export function fileView(row: FileRow) {
  return {
    id: row.id,
    object: "file" as const,
    bytes: row.bytes,
    created_at: Math.floor(row.created_at / 1000),
    filename: row.filename,
    purpose: row.purpose,
    status: "processed" as const,
    expires_at: null,
    status_details: null,
  };
}

/** Stores a file (idempotent on `id`: a batch finalizing again rewrites the same bytes and keeps one row). */
export async function putFile(env: FileBindings, f: { id: string; workspaceId: string; purpose: string; filename: string; content: string | ArrayBuffer; batchId?: string }): Promise<FileRow> {
  const key = r2KeyFor(f.workspaceId, f.id);
  const body = typeof f.content === "string" ? new TextEncoder().encode(f.content) : new Uint8Array(f.content);
  await env.FILES.put(key, body, { httpMetadata: { contentType: f.purpose === "batch_output" ? "application/jsonl" : "application/octet-stream" } });
  const now = Date.now();
  await env.DB.prepare("insert or ignore into batch_file (id, workspace_id, purpose, filename, bytes, r2_key, batch_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(f.id, f.workspaceId, f.purpose, f.filename, body.byteLength, key, f.batchId ?? null, now)
    .run();
  return (await getFile(env.DB, f.workspaceId, f.id))!;
}

/** A workspace's file; another workspace's id is as unknown as one that never existed. */
export async function getFile(db: D1Database, workspaceId: string, id: string): Promise<FileRow | null> {
  return db.prepare("select * from batch_file where id = ? and workspace_id = ?").bind(id, workspaceId).first<FileRow>();
}

export async function listFiles(db: D1Database, workspaceId: string, opts: { purpose?: string; limit: number; after?: string }): Promise<FileRow[]> {
  const where = ["workspace_id = ?"];
  const params: unknown[] = [workspaceId];
  if (opts.purpose) {
    where.push("purpose = ?");
    params.push(opts.purpose);
  }
  if (opts.after) {
    where.push("(created_at, id) < (select created_at, id from batch_file where id = ? and workspace_id = ?)");
    params.push(opts.after, workspaceId);
  }
  const { results } = await db
    .prepare(`select * from batch_file where ${where.join(" and ")} order by created_at desc, id desc limit ?`)
    .bind(...params, opts.limit)
    .all<FileRow>();
  return results;
}

export async function readFileText(env: FileBindings, row: FileRow): Promise<string | null> {
  const obj = await env.FILES.get(row.r2_key);
  return obj ? obj.text() : null;
}

export async function deleteFile(env: FileBindings, row: FileRow): Promise<void> {
  await env.DB.prepare("delete from batch_file where id = ? and workspace_id = ?").bind(row.id, row.workspace_id).run();
  await env.FILES.delete(row.r2_key);
}
