import { and, asc, desc, eq, gt, gte, lt, or, sql, type SQL } from "drizzle-orm";
import { openDb } from "../db/client";
import { auditLog } from "../db/platform-schema";
import { EMPTY_HEAD, nextEntry, verifyChain, type AuditEntry, type AuditInput, type ChainHead, type ChainVerdict, type Json } from "./chain";

/**
 * The audit log in D1: appends, reads and chain checks.
 *
 * Why a unique (workspace_id, seq) key and a retry rather than a Durable Object per workspace: D1 already
 * runs every write through one SQLite writer, so the only race is two appenders reading the same head
 * before either writes. The primary key turns the second write into a constraint error, the batch it was in
 * rolls back as a whole, and the loser re-reads the head and tries again; nothing can land on a stale head,
 * so the chain cannot fork. A Durable Object would serialise appends too, but would add a hop and a
 * second copy of the truth to every change on the platform, for contention that is rare (admins editing
 * the same workspace in the same few milliseconds).
 */

/** Enough for dozens of appends racing on one workspace (each retry waits longer, at random). */
const MAX_ATTEMPTS = 40;

type Row = typeof auditLog.$inferSelect;

const parse = (text: string | null): Json => (text === null ? null : (JSON.parse(text) as Json));

export function rowToEntry(r: Row): AuditEntry {
  return {
    workspaceId: r.workspaceId,
    seq: r.seq,
    at: r.at,
    actorId: r.actorId,
    actorEmail: r.actorEmail,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    before: parse(r.before),
    after: parse(r.after),
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

const INSERT_SQL =
  "insert into audit_log (workspace_id, seq, at, actor_id, actor_email, action, target_type, target_id, before, after, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

function insertStatement(d1: D1Database, e: AuditEntry): D1PreparedStatement {
  const text = (v: Json) => (v === null ? null : JSON.stringify(v));
  // before/after were canonicalised by nextEntry (toJson), so JSON.stringify writes the canonical text.
  return d1.prepare(INSERT_SQL).bind(e.workspaceId, e.seq, e.at, e.actorId, e.actorEmail, e.action, e.targetType, e.targetId, text(e.before), text(e.after), e.prevHash, e.hash);
}

async function readHead(d1: D1Database, workspaceId: string): Promise<ChainHead> {
  const row = await d1.prepare("select seq, hash from audit_log where workspace_id = ? order by seq desc limit 1").bind(workspaceId).first<ChainHead>();
  return row ?? EMPTY_HEAD;
}

function isSeqConflict(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (/UNIQUE constraint failed: audit_log\./.test(String((e as { message?: unknown }).message ?? e))) return true;
  }
  return false;
}

/**
 * Appends entries (to one or several workspaces' chains) in one D1 batch, together with `alongside`: the
 * statements of the change being recorded, so the change and its record land together or not at all.
 * `alongside` is re-run on a retry, which is safe because a failed batch left nothing behind.
 */
export async function appendAudit(d1: D1Database, inputs: AuditInput[], alongside: D1PreparedStatement[] = []): Promise<AuditEntry[]> {
  // Appends to the same chains from this isolate take turns: a burst of changes to one workspace (a
  // script creating fifty deployments) then costs one head read each instead of a crowd of retries.
  // The retry below still settles races with other isolates.
  const key = [...new Set(inputs.map((i) => i.workspaceId))].sort().join(",");
  const before = localTurns.get(key) ?? Promise.resolve();
  const mine = before.then(() => appendWithRetry(d1, inputs, alongside));
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  localTurns.set(key, settled);
  void settled.then(() => {
    if (localTurns.get(key) === settled) localTurns.delete(key);
  });
  return mine;
}

/** The tail of each chain's queue of appends in this isolate. */
const localTurns = new Map<string, Promise<void>>();

async function appendWithRetry(d1: D1Database, inputs: AuditInput[], alongside: D1PreparedStatement[]): Promise<AuditEntry[]> {
  for (let attempt = 1; ; attempt++) {
    const heads = new Map<string, ChainHead>();
    for (const id of new Set(inputs.map((i) => i.workspaceId))) heads.set(id, await readHead(d1, id));
    const at = Date.now();
    const entries: AuditEntry[] = [];
    for (const input of inputs) {
      const entry = await nextEntry(heads.get(input.workspaceId)!, input, at);
      heads.set(input.workspaceId, { seq: entry.seq, hash: entry.hash });
      entries.push(entry);
    }
    const statements = [...alongside, ...entries.map((e) => insertStatement(d1, e))];
    if (statements.length === 0) return entries;
    try {
      await d1.batch(statements);
      return entries;
    } catch (err) {
      if (!isSeqConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
      // Someone else appended first: back off a little (jittered, so a crowd spreads out) and re-read.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 2 ** attempt)));
    }
  }
}

/** Checks a workspace's whole chain, a page at a time (memory stays bounded however long the log is). */
export async function verifyWorkspaceChain(d1: D1Database, workspaceId: string, pageSize = 1000): Promise<ChainVerdict & { length: number }> {
  const db = openDb(d1);
  let head = EMPTY_HEAD;
  let length = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, workspaceId), gt(auditLog.seq, head.seq)))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize)
      .all();
    const verdict = await verifyChain(rows.map(rowToEntry), head);
    length += verdict.checked;
    if (!verdict.valid) return { ...verdict, checked: length, length };
    head = verdict.head;
    if (rows.length < pageSize) return { ...verdict, checked: length, length };
  }
}

export interface AuditFilter {
  /** Exact actions, or families written `key.*`. */
  actions?: string[];
  /** A user id, or an email address (contains "@"). */
  actor?: string;
  since?: number;
  until?: number;
  /** Only entries older than this seq (pagination, newest first). */
  beforeSeq?: number;
  /** Only entries newer than this seq (export, oldest first). */
  afterSeq?: number;
}

function conditions(workspaceId: string, f: AuditFilter): SQL {
  const where: SQL[] = [eq(auditLog.workspaceId, workspaceId)];
  if (f.actions?.length) {
    const each = f.actions.map((a) =>
      a.endsWith(".*")
        ? // Families match by prefix; the action grammar (letters, digits, _ and .) is checked by the route,
          // and _ is escaped because LIKE treats it as a wildcard.
          sql`${auditLog.action} like ${`${a.slice(0, -1).replaceAll("_", "\\_")}%`} escape '\\'`
        : eq(auditLog.action, a),
    );
    where.push(or(...each)!);
  }
  if (f.actor) where.push(f.actor.includes("@") ? eq(auditLog.actorEmail, f.actor.toLowerCase()) : eq(auditLog.actorId, f.actor));
  if (f.since !== undefined) where.push(gte(auditLog.at, f.since));
  if (f.until !== undefined) where.push(lt(auditLog.at, f.until));
  if (f.beforeSeq !== undefined) where.push(lt(auditLog.seq, f.beforeSeq));
  if (f.afterSeq !== undefined) where.push(gt(auditLog.seq, f.afterSeq));
  return and(...where)!;
}

/** One page of a workspace's entries, newest first (the UI) or oldest first (exports, chain order). */
export async function listAudit(d1: D1Database, workspaceId: string, filter: AuditFilter, limit: number, order: "asc" | "desc" = "desc"): Promise<AuditEntry[]> {
  const rows = await openDb(d1)
    .select()
    .from(auditLog)
    .where(conditions(workspaceId, filter))
    .orderBy(order === "asc" ? asc(auditLog.seq) : desc(auditLog.seq))
    .limit(limit)
    .all();
  return rows.map(rowToEntry);
}

/** Every entry a user made, in any workspace (the account export). */
export async function listByActor(d1: D1Database, userId: string): Promise<AuditEntry[]> {
  const rows = await openDb(d1).select().from(auditLog).where(eq(auditLog.actorId, userId)).orderBy(asc(auditLog.at)).all();
  return rows.map(rowToEntry);
}
