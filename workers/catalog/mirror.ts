import type { CatalogRow } from "./mirror-row";
import { searchText } from "./search-query";

/**
 * Writes of the catalog mirror (D1 `hf_model`, `hf_model_category`, `catalog_sync`). A model's row and
 * its category rows change in one batch, so a search never sees one without the other; FTS follows by
 * trigger.
 */
const COLS = [
  "id", "author", "task", "library", "license", "tags", "search_text", "downloads", "likes", "trending", "created_at", "modified_at", "gated",
  "params", "context_length", "architecture", "size_bucket", "categories", "deployable", "seen_pass", "synced_at",
] as const;

/**
 * Rows travel as one JSON array per statement (read back with json_each), so a chunk of models is three
 * statements whatever its size: the upsert, clearing their category rows, and writing them anew. That is
 * what keeps a 500-model page, or a 500,000-model load, cheap.
 */
const UPSERT = `INSERT INTO hf_model (${COLS.join(", ")})
  SELECT ${COLS.map((c) => `json_extract(value, '$.${c}')`).join(", ")} FROM json_each(?1) WHERE true
  ON CONFLICT(id) DO UPDATE SET ${COLS.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`).join(", ")}`;
const CLEAR_CATEGORIES = "DELETE FROM hf_model_category WHERE model_id IN (SELECT json_extract(value, '$.id') FROM json_each(?1))";
const WRITE_CATEGORIES = `INSERT OR IGNORE INTO hf_model_category (category, model_id, downloads)
  SELECT c.value, json_extract(j.value, '$.id'), json_extract(j.value, '$.downloads') FROM json_each(?1) j, json_each(json_extract(j.value, '$.category_list')) c`;

function record(r: CatalogRow, pass: number, now: number): Record<string, unknown> {
  return {
    id: r.id, author: r.author, task: r.task, library: r.library, license: r.license, tags: r.tags.join(" "),
    search_text: searchText(r.id, r.author, r.tags), downloads: r.downloads, likes: r.likes,
    // modified_at is a sort key: never null, so keyset cursors stay simple.
    trending: r.trending, created_at: r.createdAt, modified_at: r.modifiedAt ?? r.createdAt ?? 0, gated: r.gated, params: r.params,
    context_length: r.contextLength, architecture: r.architecture, size_bucket: r.sizeBucket, categories: `,${r.categories.join(",")},`,
    category_list: r.categories, deployable: r.deployable, seen_pass: pass, synced_at: now,
  };
}

export async function upsertRows(db: D1Database, rows: CatalogRow[], pass: number, now = Date.now(), perStatement = 200): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const json = JSON.stringify(rows.slice(i, i + perStatement).map((r) => record(r, pass, now)));
    statements.push(db.prepare(UPSERT).bind(json), db.prepare(CLEAR_CATEGORIES).bind(json), db.prepare(WRITE_CATEGORIES).bind(json));
  }
  // One batch: a page's models and their categories land together or not at all.
  if (statements.length) await db.batch(statements);
}

/**
 * One model's row as the Hub webhook writes it: never over a newer revision. The row is written only when
 * its `modified_at` is not older than the stored one, and its category rows only when the row now carries
 * that `modified_at` (one batch, so a concurrent newer write cannot be half-undone). Returns whether it was
 * written.
 */
export async function upsertRowIfNotOlder(db: D1Database, row: CatalogRow, pass: number, now = Date.now()): Promise<boolean> {
  const rec = record(row, pass, now);
  const json = JSON.stringify([rec]);
  const same = "(SELECT modified_at FROM hf_model WHERE id = ?2) = ?3";
  const [upsert] = await db.batch([
    db.prepare(`${UPSERT} WHERE excluded.modified_at >= hf_model.modified_at`).bind(json),
    db.prepare(`${CLEAR_CATEGORIES} AND ${same}`).bind(json, row.id, rec.modified_at),
    db.prepare(`${WRITE_CATEGORIES} WHERE ${same}`).bind(json, row.id, rec.modified_at),
  ]);
  return (upsert?.meta.changes ?? 0) > 0;
}

/** Removes models (deleted on the Hub) with their category rows. */
export async function deleteModels(db: D1Database, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    const marks = chunk.map(() => "?").join(", ");
    await db.batch([
      db.prepare(`DELETE FROM hf_model_category WHERE model_id IN (${marks})`).bind(...chunk),
      db.prepare(`DELETE FROM hf_model WHERE id IN (${marks})`).bind(...chunk),
    ]);
  }
}

/** After a complete backfill pass: every model it did not see (and nothing newer touched) is gone from the Hub. */
export async function deleteUnseen(db: D1Database, pass: number, passStartedAt: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { results } = await db
      .prepare("SELECT id FROM hf_model WHERE seen_pass < ? AND synced_at < ? LIMIT 500")
      .bind(pass, passStartedAt)
      .all<{ id: string }>();
    if (!results.length) return deleted;
    await deleteModels(db, results.map((r) => r.id));
    deleted += results.length;
  }
}

export interface SyncState {
  id: "backfill" | "incremental";
  pass: number;
  cursor: string | null;
  watermark: number | null;
  seen: number;
  upserted: number;
  skipped: number;
  deleted: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
}

export async function loadSyncState(db: D1Database, id: SyncState["id"]): Promise<SyncState> {
  const r = await db
    .prepare("SELECT id, pass, cursor, watermark, seen, upserted, skipped, deleted, started_at, finished_at, error FROM catalog_sync WHERE id = ?")
    .bind(id)
    .first<Record<string, unknown>>();
  if (!r) return { id, pass: 0, cursor: null, watermark: null, seen: 0, upserted: 0, skipped: 0, deleted: 0, startedAt: null, finishedAt: null, error: null };
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id,
    pass: Number(r.pass),
    cursor: (r.cursor as string | null) ?? null,
    watermark: n(r.watermark),
    seen: Number(r.seen),
    upserted: Number(r.upserted),
    skipped: Number(r.skipped),
    deleted: Number(r.deleted),
    startedAt: n(r.started_at),
    finishedAt: n(r.finished_at),
    error: (r.error as string | null) ?? null,
  };
}

export async function saveSyncState(db: D1Database, s: SyncState): Promise<void> {
  await db
    .prepare(
      `INSERT INTO catalog_sync (id, pass, cursor, watermark, seen, upserted, skipped, deleted, started_at, finished_at, error, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET pass = excluded.pass, cursor = excluded.cursor, watermark = excluded.watermark, seen = excluded.seen,
         upserted = excluded.upserted, skipped = excluded.skipped, deleted = excluded.deleted, started_at = excluded.started_at,
         finished_at = excluded.finished_at, error = excluded.error, updated_at = excluded.updated_at`,
    )
    .bind(s.id, s.pass, s.cursor, s.watermark, s.seen, s.upserted, s.skipped, s.deleted, s.startedAt, s.finishedAt, s.error, Date.now())
    .run();
}
