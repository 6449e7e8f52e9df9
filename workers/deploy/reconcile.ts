import type { DeploymentState } from "./machine";

/**
 * The reconcile job's decisions (pure): compare what RunPod runs under our name prefix with what the
 * deployment records say, and decide what to repair. The runner (reconcile-run.ts) reads the records
 * before it lists RunPod, so any endpoint a record names already existed when the list was taken: an
 * endpoint missing from the list is really gone, not merely newer than the list.
 */
export interface ReconcileDeployment {
  id: string;
  state: DeploymentState;
  endpointId: string | null;
  updatedAt: number;
}

export interface ReconcileInput {
  prefix: string;
  endpoints: { id: string; name: string }[];
  deployments: ReconcileDeployment[];
  now: number;
  /** A deployment with work to do that has not changed for this long may have lost its alarm. */
  staleAfterMs: number;
}

export interface ReconcilePlan {
  deleteEndpoints: { id: string; name: string; reason: string }[];
  vanished: string[];
  resume: string[];
}

const UNFINISHED: ReadonlySet<DeploymentState> = new Set(["planned", "creating", "initializing", "deleting", "failed"]);

export function planReconcile(input: ReconcileInput): ReconcilePlan {
  const byId = new Map(input.deployments.map((d) => [d.id, d]));
  const listed = new Set(input.endpoints.map((e) => e.id));
  const plan: ReconcilePlan = { deleteEndpoints: [], vanished: [], resume: [] };
  const mark = `${input.prefix}-`;

  for (const e of input.endpoints) {
    if (!e.name.startsWith(mark)) continue; // not ours (another brand, or the account owner's own)
    const d = byId.get(e.name.slice(mark.length));
    if (!d) plan.deleteEndpoints.push({ ...e, reason: "no deployment owns it" });
    else if (d.state === "deleted") plan.deleteEndpoints.push({ ...e, reason: "its deployment was deleted" });
    else if (d.state === "failed") plan.deleteEndpoints.push({ ...e, reason: "its deployment failed" });
    else if (d.endpointId !== null && d.endpointId !== e.id) plan.deleteEndpoints.push({ ...e, reason: `a second endpoint for ${d.id} (it owns ${d.endpointId})` });
  }

  for (const d of input.deployments) {
    if ((d.state === "ready" || d.state === "initializing") && d.endpointId && !listed.has(d.endpointId)) plan.vanished.push(d.id);
    else if (UNFINISHED.has(d.state) && input.now - d.updatedAt >= input.staleAfterMs) plan.resume.push(d.id);
  }
  return plan;
}
