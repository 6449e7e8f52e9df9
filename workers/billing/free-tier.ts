import type { PlanId } from "../budgets/plans";
import type { ProviderName, Route, TargetRef } from "../gateway/resolve";

/**
 * What each plan may reach through the bridge (pure). The Free plan serves open models only: the
 * workspace's own RunPod deployments (or endpoints it reaches with its own RunPod key). The Western
 * providers are paid for by the platform's keys, so on Free they are refused, unless the workspace brought
 * its own key for that provider: then the platform pays nothing upstream and the 10k-token budget still
 * applies. Paid plans and Enterprise reach everything their bridge map and keys allow.
 */
export interface PlanAccess {
  plan: PlanId;
  /** Providers the workspace brought its own key for (BYOK). */
  ownKeys: ReadonlySet<ProviderName>;
}

export const UPGRADE_HINT =
  "Deploy an open model and call runpod/<name> (or map this name to it in your bridge map), add your own provider key in Settings, or upgrade to Pro.";

export class PlanModelError extends Error {
  constructor(
    readonly model: string,
    readonly plan: PlanId,
  ) {
    super(`The ${plan === "free" ? "Free" : plan} plan serves open models only, and '${model}' is served by a Western provider on the platform's account. ${UPGRADE_HINT}`);
    this.name = "PlanModelError";
  }
}

export function targetAllowed(target: Pick<TargetRef, "provider">, access: PlanAccess): boolean {
  if (access.plan !== "free") return true;
  return target.provider === "runpod" || access.ownKeys.has(target.provider);
}

/**
 * The route with the targets this plan may use. Fallback targets the plan excludes are dropped and named
 * in a warning (the caller sees it in x-bridge-warnings, never silently); a route left empty is refused.
 */
export function routeForPlan(route: Route, access: PlanAccess): { route: Route; warnings: string[] } {
  if (access.plan !== "free") return { route, warnings: [] };
  const kept = route.targets.filter((t) => targetAllowed(t, access));
  if (!kept.length) throw new PlanModelError(route.requested, access.plan);
  if (kept.length === route.targets.length) return { route, warnings: [] };
  const dropped = route.targets.filter((t) => !targetAllowed(t, access)).map((t) => `${t.provider}/${t.model}`);
  return { route: { ...route, targets: kept }, warnings: [`fallback to ${dropped.join(", ")} skipped: the Free plan serves open models only`] };
}

/**
 * "Popular open models only" for what a Free workspace deploys: a model the Hub downloaded at least this
 * often in the last 30 days (the platform runs its GPUs; a paid plan deploys anything the planner accepts).
 */
export const FREE_POPULAR_MIN_DOWNLOADS = 100_000;

/** Why this plan may not deploy this model, or undefined when it may. */
export function deployRefusal(plan: PlanId, model: string, downloads: number | undefined): string | undefined {
  if (plan !== "free" || (downloads ?? 0) >= FREE_POPULAR_MIN_DOWNLOADS) return undefined;
  const seen = downloads === undefined ? "the Hub did not say how often it is downloaded" : `it was downloaded ${downloads.toLocaleString("en-US")} times in the last 30 days`;
  return `The Free plan deploys popular open models (at least ${FREE_POPULAR_MIN_DOWNLOADS.toLocaleString("en-US")} downloads on the Hub in the last 30 days); ${seen}, so ${model} needs Pro or above.`;
}

/** Whether `/v1/models` should list a name whose first target is this provider. */
export function listedForPlan(provider: ProviderName | undefined, access: PlanAccess): boolean {
  return provider === undefined || targetAllowed({ provider }, access);
}
