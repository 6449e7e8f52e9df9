import { Hono } from "hono";
import { requireWorkspace } from "../auth/middleware";
import type { AppEnv } from "../env";
import { api } from "../openapi/describe";
import { badRequest } from "../errors";
import { auditQuery, entryView, parseAuditQuery } from "./query";
import { listAudit, verifyWorkspaceChain } from "./store";

/**
 * GET /api/audit: the active workspace's audit log, for admins and owners (`audit:read`). Newest first,
 * `?cursor=` pages back; `?format=ndjson` streams every matching entry oldest first, one JSON object per
 * line, as an export. Every answer says whether the workspace's whole chain still verifies.
 */
const EXPORT_PAGE = 500;

export const auditRoutes = new Hono<AppEnv>().get("/", requireWorkspace({ audit: ["read"] }), api({ tag: "Audit", summary: "The workspace's hash-chained audit log (filters, cursor paging, ?format=ndjson export)", auth: "workspace", query: auditQuery, validate: false }), async (c) => {
  const parsed = parseAuditQuery(c.req.query());
  if (!parsed.ok) throw badRequest("Invalid audit query", parsed.issues);
  const { filter, cursor, limit, format } = parsed.query;
  const workspaceId = c.var.workspace.id;
  const chain = await verifyWorkspaceChain(c.env.DB, workspaceId);
  const chainInfo = chain.valid
    ? { chainValid: true, chainLength: chain.length, chainHead: chain.head.hash }
    : { chainValid: false, chainLength: chain.length, brokenAtSeq: chain.brokenAtSeq, brokenReason: chain.reason };

  if (format === "ndjson") {
    const db = c.env.DB;
    const encoder = new TextEncoder();
    // cursor means "older than" here too, so a page seen in the UI can be exported from the same place.
    const range = cursor !== undefined ? { ...filter, beforeSeq: cursor } : filter;
    let after = 0;
    const body = new ReadableStream<Uint8Array>({
      // Pulled a page at a time, so a long log is never held in memory whole.
      async pull(controller) {
        const page = await listAudit(db, workspaceId, { ...range, afterSeq: after }, EXPORT_PAGE, "asc");
        if (page.length) controller.enqueue(encoder.encode(page.map((e) => JSON.stringify(entryView(e))).join("\n") + "\n"));
        if (page.length < EXPORT_PAGE) controller.close();
        else after = page[page.length - 1]!.seq;
      },
    });
    return c.body(body, 200, {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${workspaceId}.ndjson"`,
      "x-audit-chain-valid": String(chain.valid),
      ...(chain.valid ? { "x-audit-chain-head": chain.head.hash } : { "x-audit-chain-broken-at": String(chain.brokenAtSeq) }),
    });
  }

  const entries = await listAudit(c.env.DB, workspaceId, cursor !== undefined ? { ...filter, beforeSeq: cursor } : filter, limit + 1);
  const more = entries.length > limit;
  const page = more ? entries.slice(0, limit) : entries;
  return c.json({
    workspaceId,
    ...chainInfo,
    entries: page.map(entryView),
    nextCursor: more ? String(page[page.length - 1]!.seq) : null,
  });
});
