/**
 * The audit log's hash chain, pure: no bindings, no I/O (Web Crypto's SHA-256 only), so it runs the same in
 * the worker, in plain Node tests and in an auditor's own script over an NDJSON export.
 *
 * Each workspace has its own chain: entries numbered 1, 2, 3, ... without gaps, and
 *   hash = SHA-256_hex(prevHash + canonicalJson(entry fields))
 * where prevHash is the previous entry's hash (GENESIS_HASH for seq 1). Changing any field of an entry
 * changes its hash; deleting, inserting or reordering entries breaks the seq run and the prevHash links.
 * What a chain alone cannot show is the newest entries being cut off (or the whole tail rewritten by someone
 * who can recompute hashes); keeping a copy of the head hash off-platform (the export carries it) does.
 */

export const GENESIS_HASH = "0".repeat(64);

/** JSON values as stored in before/after. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The fields an entry's hash covers, in the shape they are hashed. */
export interface AuditFields {
  workspaceId: string;
  seq: number;
  /** Epoch milliseconds. */
  at: number;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: Json;
  after: Json;
}

export interface AuditEntry extends AuditFields {
  prevHash: string;
  hash: string;
}

/** What a caller supplies; the chain supplies seq, at, prevHash and hash. */
export interface AuditInput {
  workspaceId: string;
  actor: { id: string; email: string } | null;
  action: string;
  target?: { type: string; id: string } | null;
  before?: unknown;
  after?: unknown;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export const EMPTY_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

/**
 * JSON with object keys sorted at every depth and no whitespace: one text per value, whatever order the
 * keys were built in, so a hash computed today can be recomputed from a row read back tomorrow.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("audit values must be finite numbers");
    return JSON.stringify(value);
  }
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new TypeError(`audit values cannot hold a ${typeof value}`);
}

/** Any value (Dates, undefined fields, class instances) reduced to the plain JSON that will be stored. */
export function toJson(value: unknown): Json {
  return value === undefined ? null : (JSON.parse(canonicalJson(value)) as Json);
}

function fieldsOf(e: AuditFields): AuditFields {
  // Only the hashed fields, so extra properties on a row (or a reader's annotations) never change the hash.
  return {
    workspaceId: e.workspaceId,
    seq: e.seq,
    at: e.at,
    actorId: e.actorId,
    actorEmail: e.actorEmail,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    before: e.before,
    after: e.after,
  };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function hashEntry(prevHash: string, fields: AuditFields): Promise<string> {
  return sha256Hex(prevHash + canonicalJson(fieldsOf(fields)));
}

/** The entry that follows `head`: seq + 1, linked to head's hash. */
export async function nextEntry(head: ChainHead, input: AuditInput, at: number): Promise<AuditEntry> {
  const fields: AuditFields = {
    workspaceId: input.workspaceId,
    seq: head.seq + 1,
    at,
    actorId: input.actor?.id ?? null,
    actorEmail: input.actor?.email.toLowerCase() ?? null,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    before: toJson(input.before),
    after: toJson(input.after),
  };
  return { ...fields, prevHash: head.hash, hash: await hashEntry(head.hash, fields) };
}

export type ChainBreak = "sequence" | "prev_hash" | "hash";

export type ChainVerdict =
  | { valid: true; checked: number; head: ChainHead }
  | {
      valid: false;
      checked: number;
      /** The first seq that can no longer be trusted (a missing, moved or altered entry). */
      brokenAtSeq: number;
      /** Position in the given array where the break shows. */
      index: number;
      reason: ChainBreak;
    };

/**
 * Walks entries in array order (as stored, by seq ascending) and reports the first one that does not fit:
 * - `sequence`: the entry is not the next number (one was deleted, inserted or the order changed);
 * - `prev_hash`: it does not link to the entry before it;
 * - `hash`: its own fields were changed after it was written.
 * `from` lets a long chain be checked page by page: pass the previous page's head.
 */
export async function verifyChain(entries: readonly AuditEntry[], from: ChainHead = EMPTY_HEAD): Promise<ChainVerdict> {
  let head = from;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const expected = head.seq + 1;
    const broken = (reason: ChainBreak): ChainVerdict => ({ valid: false, checked: i, brokenAtSeq: expected, index: i, reason });
    if (e.seq !== expected) return broken("sequence");
    if (e.prevHash !== head.hash) return broken("prev_hash");
    if ((await hashEntry(e.prevHash, e)) !== e.hash) return broken("hash");
    head = { seq: e.seq, hash: e.hash };
  }
  return { valid: true, checked: entries.length, head };
}
