import type { Env } from "../env";
import { resolveUpstream } from "../platform/upstreams";
import { refreshGlobalFacets } from "./facets";
import { pruneHubWebhookDeliveries } from "./hub-webhook-routes";
import { refreshPopularity } from "./popularity";
import { syncCatalog, type SyncReport } from "./sync";

/**
 * The catalog's scheduled work: the incremental sync (what changed on the Hub since last time), a slice
 * of the rolling backfill, and the platform-popularity roll-up. Page budgets keep one cron invocation
 * well inside the Workers subrequest and time limits; the backfill resumes where it stopped.
 */
const INCREMENTAL_PAGES = 4;
const BACKFILL_PAGES = 20;

function hubOptions(env: Env, maxPages: number) {
  const hub = resolveUpstream(env as unknown as Record<string, unknown>, "huggingface");
  return { hubUrl: hub.baseUrl, token: hub.apiKey, maxPages };
}

export async function runCatalogCron(env: Env, now = Date.now()): Promise<{ incremental: SyncReport; backfill: SyncReport; popular: number }> {
  const incremental = await syncCatalog(env.DB, "incremental", { ...hubOptions(env, INCREMENTAL_PAGES), now: () => Date.now() });
  const backfill = await syncCatalog(env.DB, "backfill", { ...hubOptions(env, BACKFILL_PAGES), now: () => Date.now() });
  const popular = await refreshPopularity(env.DB, now);
  await pruneHubWebhookDeliveries(env.DB, now); // Hub webhook deliveries older than 7 days
  if (incremental.upserted + backfill.upserted + backfill.deleted > 0) {
    await refreshGlobalFacets(env);
    // Fresh statistics let the query planner pick the right index as the catalog grows.
    await env.DB.prepare("PRAGMA optimize").run();
  }
  return { incremental, backfill, popular };
}

let started = false;

/** The first search on an empty mirror (a fresh install) starts a backfill slice instead of waiting for the cron. */
export function maybeStartBackfill(env: Env, waitUntil: (p: Promise<unknown>) => void): void {
  if (started) return;
  started = true;
  waitUntil(
    syncCatalog(env.DB, "backfill", hubOptions(env, BACKFILL_PAGES)).catch((err) => {
      started = false;
      console.error("catalog backfill failed", err);
    }),
  );
}
