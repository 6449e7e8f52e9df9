import { listModels, type ModelEntry } from "@huggingface/hub";
import { deleteUnseen, loadSyncState, saveSyncState, upsertRows, type SyncState } from "./mirror";
import { catalogRow, type CatalogRow } from "./mirror-row";

/**
 * Mirrors the Hub's model list into D1 with `@huggingface/hub`'s listModels, which follows the Hub's
 * `Link` pagination; our `fetch` hook sees each page request, which is where a page boundary is:
 * - **backfill** walks the whole Hub (sort=createdAt) a bounded number of pages per run and stores the
 *   next page's URL after each page, so a run cut short (a Hub error, the page budget, a crash) resumes
 *   where it stopped. A pass that reaches the end deletes what it never saw (models deleted on the Hub).
 * - **incremental** reads the most recently modified models (sort=lastModified) down to the last run's
 *   watermark, so changes show within one cron tick; anything it cannot reach in its page budget is
 *   caught by the rolling backfill.
 * Malformed entries are dropped from the page before the library sees them (a `null` entry would stop it)
 * and counted.
 */
export type SyncMode = "backfill" | "incremental";

export interface SyncOptions {
  hubUrl: string;
  token?: string | undefined;
  fetch?: typeof fetch;
  /** Page requests this run may make (each is one subrequest plus its D1 writes). */
  maxPages: number;
  /** Models per page (the Hub's `limit`; the library asks for 500). Smaller pages, more resume points. */
  pageSize?: number;
  now?: () => number;
}

export interface SyncReport {
  mode: SyncMode;
  pass: number;
  pages: number;
  seen: number;
  upserted: number;
  skipped: number;
  deleted: number;
  /** The pass (backfill) or the walk down to the watermark (incremental) finished. */
  complete: boolean;
  error?: string;
}

/** What the library does not type as an extra field but the Hub expands and the library passes through. */
const FIELDS = ["author", "tags", "library_name", "createdAt", "safetensors", "config", "cardData", "trendingScore"] as const;

/** Modified timestamps are compared with this much slack: the Hub's clock and ours are not the same. */
const WATERMARK_SLACK_MS = 10 * 60_000;

class PageBudgetSpent extends Error {}

/** The library's yielded entry back in the Hub's own field names, for the one row mapper. */
function asHubItem(e: ModelEntry & Record<string, unknown>): Record<string, unknown> {
  return { ...e, id: e.name, pipeline_tag: e.task, lastModified: e.updatedAt instanceof Date && !Number.isNaN(e.updatedAt.getTime()) ? e.updatedAt.toISOString() : undefined };
}

export async function syncCatalog(db: D1Database, mode: SyncMode, opts: SyncOptions): Promise<SyncReport> {
  const now = opts.now ?? Date.now;
  const backfill = await loadSyncState(db, "backfill");
  const state: SyncState = mode === "backfill" ? backfill : await loadSyncState(db, "incremental");
  if (mode === "backfill" && !state.cursor) {
    // A new pass: counters start over.
    Object.assign(state, { pass: state.pass + 1, seen: 0, upserted: 0, skipped: 0, deleted: 0, startedAt: now(), finishedAt: null, error: null });
  }
  // Incremental writes carry the current backfill pass, so a pass never deletes what they just wrote.
  const pass = mode === "backfill" ? state.pass : Math.max(1, backfill.pass);
  const resumeFrom = mode === "backfill" ? state.cursor : null;
  const oldWatermark = mode === "incremental" ? state.watermark : null;
  let newestSeen = oldWatermark ?? 0;

  const report: SyncReport = { mode, pass, pages: 0, seen: 0, upserted: 0, skipped: 0, deleted: 0, complete: false };
  let pending: CatalogRow[] = [];

  const flush = async (cursor: string | null) => {
    if (pending.length) {
      await upsertRows(db, pending, pass, now());
      report.upserted += pending.length;
      pending = [];
    }
    if (mode === "backfill") await saveSyncState(db, { ...state, cursor, seen: state.seen + report.seen, upserted: state.upserted + report.upserted, skipped: state.skipped + report.skipped });
  };

  const baseFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const pageFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // A page request means the previous page has been handled: write it, and remember where we are.
    let url = report.pages === 0 && resumeFrom ? resumeFrom : String(input);
    if (report.pages === 0 && !resumeFrom && opts.pageSize) {
      // The Hub's next-page links repeat the first request's limit, so setting it once sets every page.
      const u = new URL(url);
      u.searchParams.set("limit", String(opts.pageSize));
      url = u.toString();
    }
    await flush(url);
    if (report.pages >= opts.maxPages) throw new PageBudgetSpent();
    const headers = new Headers(init?.headers);
    if (opts.token) headers.set("authorization", `Bearer ${opts.token}`);
    const res = await baseFetch(url, { ...init, headers });
    report.pages++;
    if (!res.ok) return res; // the library turns it into a HubApiError
    let items: unknown;
    try {
      items = await res.json();
    } catch {
      throw new Error(`page ${report.pages} is not JSON`);
    }
    if (!Array.isArray(items)) throw new Error(`page ${report.pages} is not a list`);
    const clean = items.filter((item) => {
      const ok = catalogRow(item).ok;
      if (!ok) report.skipped++;
      return ok;
    });
    return new Response(JSON.stringify(clean), { status: 200, headers: res.headers });
  };

  try {
    const entries = listModels({
      hubUrl: opts.hubUrl,
      sort: mode === "backfill" ? "createdAt" : "lastModified",
      // Extra expands the library passes through untyped (trendingScore is a sort key, not a typed field).
      additionalFields: FIELDS as unknown as ("author" | "tags")[],
      fetch: pageFetch,
    });
    for await (const entry of entries) {
      const row = catalogRow(asHubItem(entry as unknown as ModelEntry & Record<string, unknown>));
      if (!row.ok) {
        report.skipped++;
        continue;
      }
      report.seen++;
      if (mode === "incremental") {
        const modified = row.row.modifiedAt ?? 0;
        if (oldWatermark !== null && modified < oldWatermark - WATERMARK_SLACK_MS) {
          report.complete = true;
          break;
        }
        newestSeen = Math.max(newestSeen, modified);
      }
      pending.push(row.row);
    }
    // The library stops when there is no next page: the pass (or the walk to the watermark) is done.
    report.complete = true;
  } catch (err) {
    if (!(err instanceof PageBudgetSpent)) report.error = err instanceof Error ? err.message : String(err);
  }

  if (mode === "backfill") {
    // The stored cursor is right as of the last page written (each page request writes the page before it
    // and the URL about to be fetched): a run cut short leaves it where the next run must start.
    if (report.complete) {
      await flush(null);
      report.deleted = await deleteUnseen(db, pass, state.startedAt ?? now());
      const s = await loadSyncState(db, "backfill");
      await saveSyncState(db, { ...s, cursor: null, deleted: report.deleted, finishedAt: now(), error: null });
    } else {
      const s = await loadSyncState(db, "backfill");
      await saveSyncState(db, { ...s, error: report.error ?? null });
    }
  } else {
    await flush(null);
    const reachedOld = report.complete && !report.error;
    await saveSyncState(db, {
      ...state,
      pass,
      watermark: reachedOld ? Math.max(newestSeen, oldWatermark ?? 0) || null : state.watermark,
      seen: report.seen,
      upserted: report.upserted,
      skipped: report.skipped,
      deleted: 0,
      startedAt: now(),
      finishedAt: now(),
      error: report.error ?? null,
    });
  }
  return report;
}
