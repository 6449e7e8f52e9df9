import { Hono } from "hono";
import { z } from "zod";
import { requireWorkspace } from "../auth/middleware";
import type { AppEnv } from "../env";
import { api } from "../openapi/describe";
import { badRequest } from "../errors";
import { buildSavingsReport, monthBounds, monthOf, parseMonth, savingsCsv, type UsageDailyRow } from "./savings";

/**
 * The active workspace's monthly savings report (workers/reports/savings.ts), from the `usage_daily`
 * roll-up the ledger writes:
 *
 * - GET /api/reports/savings?month=YYYY-MM[&format=csv]: JSON, or the CSV file to download;
 * - GET /api/reports/savings/months: the months with usage, newest first, for a month picker.
 *
 * Readable by whoever may read usage (any member; API keys and tokens with mcp:read), like /api/usage.
 */
const canReadUsage = requireWorkspace({ usage: ["read"] });

/** The workspace slug as a safe filename part (slugs are chosen by people). */
const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "workspace";

/** Documents GET /savings's query; parseMonth and the handler check it. */
const savingsQuery = z.object({ month: z.string().regex(/^\d{4}-\d{2}$/).optional(), format: z.enum(["json", "csv"]).optional() });

export const reportRoutes = new Hono<AppEnv>()
  .get("/savings/months", canReadUsage, api({ tag: "Usage", summary: "The months with usage, for the savings report", auth: "workspace" }), async (c) => {
    const { results } = await c.env.DB.prepare("select distinct substr(day, 1, 7) as month from usage_daily where workspace_id = ? order by month desc")
      .bind(c.var.workspace.id)
      .all<{ month: string }>();
    c.header("cache-control", "private, no-store");
    return c.json({ current: monthOf(Date.now()), months: results.map((r) => r.month) });
  })
  .get("/savings", canReadUsage, api({ tag: "Usage", summary: "The savings report for a month (?month=YYYY-MM, ?format=csv)", auth: "workspace", query: savingsQuery, validate: false }), async (c) => {
    const now = Date.now();
    const chosen = parseMonth(c.req.query("month"), now);
    if (!chosen.ok) throw badRequest(chosen.message);
    const format = c.req.query("format") ?? "json";
    if (format !== "json" && format !== "csv") throw badRequest(`format must be json or csv, not '${format.slice(0, 20)}'`);

    const { month } = chosen;
    const { start, end } = monthBounds(month);
    // Summed over keys here: the report is per provider/model and per day.
    const { results } = await c.env.DB.prepare(
      `select day, provider, model, sum(requests) as requests, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
              sum(cost_micros) as cost_micros, sum(savings_micros) as savings_micros
         from usage_daily where workspace_id = ? and day >= ? and day < ? group by day, provider, model order by day`,
    )
      .bind(c.var.workspace.id, start, end)
      .all<UsageDailyRow>();
    const report = buildSavingsReport(month, results, now);
    const { id, slug, name } = c.var.workspace;
    c.header("cache-control", "private, no-store");

    if (format === "csv") {
      const filename = `savings-${fileSafe(slug)}-${month}.csv`;
      return c.body(savingsCsv(report), 200, {
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-disposition": `attachment; filename="${filename}"`,
      });
    }
    return c.json({
      workspace: { id, slug, name },
      ...report,
      csvUrl: `/api/reports/savings?${new URLSearchParams({ month, format: "csv" })}`,
    });
  });
