import type { Price } from "../catalog/prices";
import type { DeploymentRecord, DeploymentState, HistoryEntry } from "./machine";

/**
 * The D1 mirror of deployments (tables `deployment`, `deployment_event`): what lists, the bridge's
 * `runpod/<name>` lookup and the reconcile job read. Written only from DeployObject records, newest
 * revision wins, so replays and late retries are harmless.
 */
export interface DeploymentRow {
  id: string;
  workspaceId: string;
  createdBy: string | null;
  name: string;
  model: string;
  engine: string;
  state: DeploymentState;
  rev: number;
  endpointId: string | null;
  servedModel: string;
  gpuPool: string;
  gpuCount: number;
  workersMin: number;
  workersMax: number;
  price: Price;
  workerMicrosPerSecond: number;
  error: string | null;
  idempotencyKey: string | null;
  createdAt: number;
  updatedAt: number;
  readyAt: number | null;
  deletedAt: number | null;
}

const COLUMNS =
  "id, workspace_id, created_by, name, model, engine, state, rev, endpoint_id, served_model, gpu_pool, gpu_count, workers_min, workers_max, price, worker_micros_per_second, error, idempotency_key, created_at, updated_at, ready_at, deleted_at";

function values(r: DeploymentRecord): unknown[] {
  return [
    r.id, r.workspaceId, r.createdBy, r.name, r.model, r.engine, r.state, r.rev, r.endpointId, r.servedModel,
    r.plan.gpu.pool, r.plan.gpu.count, r.plan.scaling.workersMin, r.plan.scaling.workersMax, JSON.stringify(r.price),
    r.workerMicrosPerSecond, r.error, r.idempotencyKey, r.createdAt, r.updatedAt, r.readyAt, r.deletedAt,
  ];
}

type RawRow = Record<string, unknown>;

function fromRaw(r: RawRow): DeploymentRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: String(r.id),
    workspaceId: String(r.workspace_id),
    createdBy: (r.created_by as string | null) ?? null,
    name: String(r.name),
    model: String(r.model),
    engine: String(r.engine),
    state: r.state as DeploymentState,
    rev: Number(r.rev),
    endpointId: (r.endpoint_id as string | null) ?? null,
    servedModel: String(r.served_model),
    gpuPool: String(r.gpu_pool),
    gpuCount: Number(r.gpu_count),
    workersMin: Number(r.workers_min),
    workersMax: Number(r.workers_max),
    price: JSON.parse(String(r.price)) as Price,
    workerMicrosPerSecond: Number(r.worker_micros_per_second),
    error: (r.error as string | null) ?? null,
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    readyAt: num(r.ready_at),
    deletedAt: num(r.deleted_at),
  };
}

export type InsertResult = { ok: true } | { ok: false; conflict: "name" | "idempotency" };

/**
 * The first write of a deployment, before its DeployObject exists: the unique indexes make it the atomic
 * claim on the name (and on the idempotency key), so two racing POSTs cannot both win.
 */
export async function insertPlanned(db: D1Database, rec: DeploymentRecord): Promise<InsertResult> {
  try {
    await db.batch([
      db.prepare(`INSERT INTO deployment (${COLUMNS}) VALUES (${COLUMNS.split(",").map(() => "?").join(", ")})`).bind(...values(rec)),
      ...eventStatements(db, rec.id, rec.history),
    ]);
    return { ok: true };
  } catch (err) {
    const msg = String(err);
    if (msg.includes("deployment.idempotency_key") || msg.includes("deployment_idempotency_idx")) return { ok: false, conflict: "idempotency" };
    if (msg.includes("deployment.workspace_id, deployment.name") || msg.includes("deployment_live_name_idx")) return { ok: false, conflict: "name" };
    throw err;
  }
}

function eventStatements(db: D1Database, id: string, history: HistoryEntry[]): D1PreparedStatement[] {
  return history.map((h) =>
    db.prepare("INSERT OR IGNORE INTO deployment_event (deployment_id, seq, at, state, note) VALUES (?, ?, ?, ?, ?)").bind(id, h.seq, h.at, h.state, h.note),
  );
}

/** The part of a record the mirror shows: when a revision changes none of it, there is nothing to write. */
export function mirrorKey(rec: DeploymentRecord): string {
  return JSON.stringify([rec.state, rec.endpointId, rec.error, rec.plan.scaling, rec.price, rec.readyAt, rec.deletedAt, rec.name, rec.history.at(-1)?.seq ?? 0]);
}

/** Upserts the row when `rec` is at least as new as what D1 holds, and adds any history it lacks. */
export async function mirror(db: D1Database, rec: DeploymentRecord): Promise<void> {
  const set = COLUMNS.split(", ")
    .filter((c) => c !== "id" && c !== "created_at" && c !== "idempotency_key")
    .map((c) => `${c} = excluded.${c}`)
    .join(", ");
  await db.batch([
    db
      .prepare(`INSERT INTO deployment (${COLUMNS}) VALUES (${COLUMNS.split(",").map(() => "?").join(", ")}) ON CONFLICT(id) DO UPDATE SET ${set} WHERE excluded.rev >= deployment.rev`)
      .bind(...values(rec)),
    ...eventStatements(db, rec.id, rec.history),
  ]);
}

export async function getRow(db: D1Database, workspaceId: string, id: string): Promise<DeploymentRow | undefined> {
  const r = await db.prepare(`SELECT ${COLUMNS} FROM deployment WHERE id = ? AND workspace_id = ?`).bind(id, workspaceId).first<RawRow>();
  return r ? fromRaw(r) : undefined;
}

export async function findByIdempotencyKey(db: D1Database, workspaceId: string, key: string): Promise<DeploymentRow | undefined> {
  const r = await db.prepare(`SELECT ${COLUMNS} FROM deployment WHERE workspace_id = ? AND idempotency_key = ?`).bind(workspaceId, key).first<RawRow>();
  return r ? fromRaw(r) : undefined;
}

export async function nameTaken(db: D1Database, workspaceId: string, name: string): Promise<boolean> {
  const r = await db.prepare("SELECT 1 AS x FROM deployment WHERE workspace_id = ? AND name = ? AND state NOT IN ('deleted', 'failed')").bind(workspaceId, name).first();
  return r !== null;
}

/** A workspace's deployments, newest first; deleted ones only when asked. */
export async function listRows(db: D1Database, workspaceId: string, includeDeleted: boolean, limit = 200): Promise<DeploymentRow[]> {
  const where = includeDeleted ? "" : " AND state != 'deleted'";
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM deployment WHERE workspace_id = ?${where} ORDER BY created_at DESC LIMIT ?`).bind(workspaceId, limit).all<RawRow>();
  return results.map(fromRaw);
}

/** Ready deployments by name: what `runpod/<name>` resolves to for this workspace. */
export async function readyRows(db: D1Database, workspaceId: string): Promise<DeploymentRow[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM deployment WHERE workspace_id = ? AND state = 'ready'`).bind(workspaceId).all<RawRow>();
  return results.map(fromRaw);
}

/** Every deployment the reconcile job must consider: all but those deleted more than a day ago. */
export async function reconcileRows(db: D1Database, now: number): Promise<DeploymentRow[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM deployment WHERE state != 'deleted' OR deleted_at > ?`)
    .bind(now - 86_400_000)
    .all<RawRow>();
  return results.map(fromRaw);
}

export async function events(db: D1Database, id: string): Promise<HistoryEntry[]> {
  const { results } = await db.prepare("SELECT seq, at, state, note FROM deployment_event WHERE deployment_id = ? ORDER BY seq").bind(id).all<RawRow>();
  return results.map((r) => ({ seq: Number(r.seq), at: Number(r.at), state: r.state as DeploymentState, note: String(r.note) }));
}
