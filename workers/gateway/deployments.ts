import type { Price } from "../catalog/prices";
import { UnknownModelError, type Route, type TargetRef } from "./resolve";

/**
 * RunPod targets, bound to what the caller may reach (pure). `runpod/<name>` names one of the workspace's
 * ready deployments and becomes `<endpoint id>/<served model>` with the deployment's own price. A raw
 * `runpod/<endpoint id>/<model>` reaches an endpoint directly, which is only allowed with the workspace's
 * own RunPod key (or in open-access local development): on the platform's account it would let anyone
 * call any endpoint the platform runs for other workspaces.
 */
export interface DeploymentTarget {
  name: string;
  endpointId: string;
  servedModel: string;
  price: Price;
}

export interface DeploymentScope {
  byName: ReadonlyMap<string, DeploymentTarget>;
  /** Raw endpoint ids allowed (own RunPod key, or local development). */
  allowRaw: boolean;
}

export class NoSuchDeploymentError extends UnknownModelError {
  constructor(model: string, readonly deploymentName: string) {
    super(model);
    this.message = `No ready deployment named '${deploymentName}' in this workspace. runpod/<name> addresses your own deployments (see GET /api/deployments); deploy a model first or wait until it is ready.`;
  }
}

function bind(t: TargetRef, scope: DeploymentScope): TargetRef | undefined {
  if (t.provider !== "runpod") return t;
  const d = scope.byName.get(t.model);
  if (d) return { provider: "runpod", model: `${d.endpointId}/${d.servedModel}`, price: d.price, deployment: d.name };
  return t.model.includes("/") && scope.allowRaw ? t : undefined;
}

/** The route with its RunPod targets bound; unreachable ones dropped; none left is an unknown model. */
export function bindRunpodTargets(route: Route, scope: DeploymentScope): Route {
  if (!route.targets.some((t) => t.provider === "runpod")) return route;
  const targets = route.targets.map((t) => bind(t, scope)).filter((t): t is TargetRef => t !== undefined);
  if (!targets.length) {
    const first = route.targets.find((t) => t.provider === "runpod")!;
    throw first.model.includes("/") ? new UnknownModelError(route.requested) : new NoSuchDeploymentError(route.requested, first.model);
  }
  return { ...route, targets };
}

/** Marks the targets whose deployment is scaled to zero, and how long their first byte may take. */
export function markColdStarts(route: Route, cold: ReadonlySet<string>): Route {
  if (!cold.size) return route;
  return { ...route, targets: route.targets.map((t) => (t.deployment && cold.has(t.model) ? { ...t, coldStart: true } : t)) };
}
