import type { Env } from "../env";
import { planReconcile, type ReconcilePlan } from "./reconcile";
import { RunpodClient } from "./runpod-client";
import { deploymentStub } from "./service";
import { reconcileRows } from "./store";

/**
 * The scheduled reconcile (every cron tick): orphaned endpoints are deleted, deployments whose endpoint
 * vanished are marked failed, and deployments with unfinished work get their alarm back if they lost it.
 */
export const RECONCILE_STALE_MS = 2 * 60_000;

export interface ReconcileReport extends ReconcilePlan {
  skipped?: string;
  errors: string[];
}

export async function runReconcile(env: Env, now = Date.now(), opts: { fetch?: typeof fetch } = {}): Promise<ReconcileReport> {
  const client = new RunpodClient(env as unknown as Record<string, unknown>, opts.fetch ? { fetch: opts.fetch } : {});
  if (client.rest.mode === "unconfigured") return { deleteEndpoints: [], vanished: [], resume: [], errors: [], skipped: "RunPod is not configured" };
  // Records first, then RunPod (see reconcile.ts for why the order matters).
  const rows = await reconcileRows(env.DB, now);
  const listed = await client.listEndpoints();
  if (!listed.ok) return { deleteEndpoints: [], vanished: [], resume: [], errors: [listed.message], skipped: "could not list RunPod endpoints" };

  const plan = planReconcile({
    prefix: env.RUNPOD_ENDPOINT_PREFIX?.trim() || "platform",
    endpoints: listed.value.endpoints.map((e) => ({ id: e.id, name: e.name })),
    deployments: rows.map((r) => ({ id: r.id, state: r.state, endpointId: r.endpointId, updatedAt: r.updatedAt })),
    now,
    staleAfterMs: RECONCILE_STALE_MS,
  });
  const errors: string[] = [];
  for (const e of plan.deleteEndpoints) {
    const r = await client.deleteEndpoint(e.id);
    if (!r.ok) errors.push(`delete ${e.id}: ${r.message}`);
  }
  await Promise.all([
    ...plan.vanished.map((id) => deploymentStub(env, id).vanished().catch((err) => void errors.push(`mark ${id}: ${String(err)}`))),
    ...plan.resume.map((id) => deploymentStub(env, id).resume().catch((err) => void errors.push(`resume ${id}: ${String(err)}`))),
  ]);
  return { ...plan, errors };
}
