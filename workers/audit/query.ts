import { z } from "zod";
import type { AuditEntry } from "./chain";
import type { AuditFilter } from "./store";

/**
 * GET /api/audit's query string, validated (pure: no bindings). Unknown parameters are refused rather than
 * ignored, so a misspelt filter cannot silently return the whole log.
 */
const ACTION = /^[a-z][a-z0-9_]*(?:\.(?:[a-z0-9_]+|\*))*$/;

const time = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const ms = /^\d{1,16}$/.test(s) ? Number(s) : /^\d{4}-\d{2}-\d{2}/.test(s) ? Date.parse(s) : Number.NaN;
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: "custom", message: "expected an ISO 8601 time or epoch milliseconds" });
      return z.NEVER;
    }
    return ms;
  });

export const auditQuery = z
  .object({
    action: z
      .string()
      .max(500)
      .transform((s) => s.split(",").map((a) => a.trim()).filter(Boolean))
      .refine((list) => list.length > 0 && list.length <= 20 && list.every((a) => ACTION.test(a) && (!a.includes("*") || a.endsWith(".*"))), {
        message: "comma-separated actions such as key.create or key.*",
      })
      .optional(),
    actor: z.string().trim().min(1).max(320).optional(),
    since: time.optional(),
    until: time.optional(),
    cursor: z.string().regex(/^[1-9]\d{0,15}$/, "cursor must come from nextCursor").transform(Number).optional(),
    limit: z.string().regex(/^\d{1,4}$/).transform(Number).pipe(z.number().int().min(1).max(200)).optional(),
    format: z.enum(["json", "ndjson"]).optional(),
  })
  .strict();

export interface AuditQuery {
  filter: AuditFilter;
  cursor?: number;
  limit: number;
  format: "json" | "ndjson";
}

export type ParsedAuditQuery = { ok: true; query: AuditQuery } | { ok: false; issues: Array<{ path: string; message: string }> };

export function parseAuditQuery(params: Record<string, string>): ParsedAuditQuery {
  const parsed = auditQuery.safeParse(params);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) };
  const q = parsed.data;
  if (q.since !== undefined && q.until !== undefined && q.since >= q.until) return { ok: false, issues: [{ path: "since", message: "since must be before until" }] };
  const filter: AuditFilter = {};
  if (q.action) filter.actions = q.action;
  if (q.actor) filter.actor = q.actor;
  if (q.since !== undefined) filter.since = q.since;
  if (q.until !== undefined) filter.until = q.until;
  const query: AuditQuery = { filter, limit: q.limit ?? 50, format: q.format ?? "json" };
  if (q.cursor !== undefined) query.cursor = q.cursor;
  return { ok: true, query };
}

/** An entry as clients get it: the exact hashed fields (so an export can be re-verified) plus a readable time. */
export function entryView(e: AuditEntry) {
  return { ...e, time: new Date(e.at).toISOString() };
}
