import type { DeploymentTarget } from "../gateway/deployments";
import type { TargetRef } from "../gateway/resolve";
import { RunpodClient, warmWorkers, workerHealth } from "./runpod-client";
import { readyRows } from "./store";

/**
 * What the bridge knows of deployments, on its hot path: a workspace's ready deployments by name (D1,
 * cached per isolate for a few seconds, so a deployment that just became ready is routable almost at
 * once), and whether a deployment's workers are warm (its /health, cached per isolate the same way).
 */
const ROUTES_TTL_MS = 3_000;
const HEALTH_TTL_MS = 3_000;

const routes = new Map<string, { at: number; byName: Map<string, DeploymentTarget> }>();
const health = new Map<string, { at: number; cold: boolean }>();

export async function workspaceDeployments(db: D1Database, workspaceId: string, now = Date.now()): Promise<Map<string, DeploymentTarget>> {
  const hit = routes.get(workspaceId);
  if (hit && now - hit.at < ROUTES_TTL_MS) return hit.byName;
  const rows = await readyRows(db, workspaceId);
  const byName = new Map(rows.filter((r) => r.endpointId).map((r) => [r.name, { name: r.name, endpointId: r.endpointId!, servedModel: r.servedModel, price: r.price }]));
  if (routes.size > 10_000) routes.clear();
  routes.set(workspaceId, { at: now, byName });
  return byName;
}

/** Forget a workspace's cached routes (after this isolate changed one of its deployments). */
export function forgetWorkspaceRoutes(workspaceId: string): void {
  routes.delete(workspaceId);
}

/**
 * The bound targets (`<endpoint>/<model>`) whose endpoint has no warm worker. A health check that fails is
 * not "cold": the call itself will tell, and fallback handles a dead endpoint.
 */
export async function coldTargets(config: Record<string, unknown>, targets: TargetRef[], now = Date.now()): Promise<Set<string>> {
  const cold = new Set<string>();
  const client = new RunpodClient(config, { timeoutMs: 2_000 });
  await Promise.all(
    targets.map(async (t) => {
      const endpointId = t.model.split("/")[0]!;
      const hit = health.get(endpointId);
      let isCold: boolean;
      if (hit && now - hit.at < HEALTH_TTL_MS) isCold = hit.cold;
      else {
        const h = await client.health(endpointId);
        if (!h.ok) return;
        isCold = warmWorkers(workerHealth(h.value)) === 0;
        if (health.size > 10_000) health.clear();
        health.set(endpointId, { at: now, cold: isCold });
      }
      if (isCold) cold.add(t.model);
    }),
  );
  return cold;
}
