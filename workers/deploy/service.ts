import { deployRefusal } from "../billing/free-tier";
import { planOf } from "../budgets/plans";
import { runpodPrice, type Price } from "../catalog/prices";
import { sealSecret } from "../byok/crypto";
import { encryptionKey } from "../byok/store";
import type { Env } from "../env";
import { AppError } from "../errors";
import { resolveUpstream } from "../platform/upstreams";
import { estimateCost, type CostEstimate } from "./estimate";
import { livePools } from "./gpu-catalog";
import { fetchModelFacts, HubRequestError, HubUnavailableError } from "./hub";
import { newRecord, type DeploymentRecord } from "./machine";
import type { ModelFacts } from "./model-facts";
import { planDeployment, type DeploymentPlan, type PlanOptions } from "./planner";
import { RunpodClient } from "./runpod-client";
import { endpointNameFor } from "./steps";
import { findByIdempotencyKey, getRow, insertPlanned, mirror, nameTaken } from "./store";

/**
 * What the deploy API and (later) the MCP tools call: plan and price a model, create a deployment, load
 * one. Routes stay thin; everything here takes plain values and the Env.
 */
export interface DeployRequest {
  workspaceId: string;
  userId: string | null;
  model: string;
  name?: string | undefined;
  options: Omit<PlanOptions, "hfTokenAvailable">;
  hfToken?: string | undefined;
  idempotencyKey?: string | undefined;
}

const factsCache = new Map<string, { at: number; facts: ModelFacts | undefined }>();
const FACTS_TTL_MS = 10 * 60_000;

/** A Hub model's facts (cached per isolate for ten minutes: the estimate screen asks on every change). */
export async function modelFactsFor(env: Env, model: string): Promise<ModelFacts> {
  const hit = factsCache.get(model);
  if (hit && Date.now() - hit.at < FACTS_TTL_MS && hit.facts) return hit.facts;
  const hub = resolveUpstream(env as unknown as Record<string, unknown>, "huggingface");
  let facts: ModelFacts | undefined;
  try {
    facts = await fetchModelFacts({ hubUrl: hub.baseUrl, ...(hub.apiKey ? { token: hub.apiKey } : {}) }, model);
  } catch (err) {
    if (err instanceof HubUnavailableError) throw new AppError(503, "hub_unavailable", `The Hugging Face Hub did not answer for ${model}; try again shortly`);
    // The Hub refused the platform's own request (e.g. its token): not the caller's fault.
    if (err instanceof HubRequestError) throw new AppError(502, "hub_error", `The Hugging Face Hub refused the request for ${model}: ${err.message}`);
    throw err;
  }
  if (!facts) throw new AppError(404, "model_not_found", `No model '${model}' on the Hugging Face Hub`);
  if (factsCache.size > 500) factsCache.clear();
  factsCache.set(model, { at: Date.now(), facts });
  return facts;
}

/** Plans a model at today's GPU prices, or explains, as a 422 with the planner's code, why it cannot be deployed. */
export async function planOrRefuse(env: Env, facts: ModelFacts, options: PlanOptions): Promise<DeploymentPlan> {
  const pools = await livePools(new RunpodClient(env as unknown as Record<string, unknown>, { timeoutMs: 3_000 }));
  const result = planDeployment(facts, options, pools);
  if (!result.ok) throw new AppError(422, result.code, result.reason);
  return result.plan;
}

export async function estimateFor(env: Env, model: string, options: Omit<PlanOptions, "hfTokenAvailable">): Promise<{ plan: DeploymentPlan; estimate: CostEstimate }> {
  const facts = await modelFactsFor(env, model);
  // A price is shown for gated models too: the token is only needed at deploy time.
  const plan = await planOrRefuse(env, facts, { ...options, hfTokenAvailable: true });
  return { plan, estimate: estimateCost(plan) };
}

/** The bridge's price for a deployment: its GPUs' cost per second spread over the expected throughput. */
export function deploymentPrice(plan: DeploymentPlan): { price: Price; workerMicrosPerSecond: number } {
  const usdPerSecond = plan.gpu.usdPerSecond * plan.gpu.count;
  return {
    price: runpodPrice(usdPerSecond, Math.max(1, plan.throughput.outputTokensPerSecond), Math.max(1, plan.throughput.inputTokensPerSecond)),
    workerMicrosPerSecond: Math.round(usdPerSecond * 1_000_000),
  };
}

/** `Qwen/Qwen2.5-7B-Instruct` -> `qwen2-5-7b-instruct`: what `runpod/<name>` reads like. */
export function slugFor(model: string): string {
  const base = (model.split("/").pop() ?? model).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return (base || "model").slice(0, 40).replace(/-+$/, "");
}

export const NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  return `dep-${Array.from(bytes, (b) => alphabet[b & 31]).join("")}`;
}

export const deploymentStub = (env: Env, id: string) => env.DEPLOYMENTS.get(env.DEPLOYMENTS.idFromName(id));

export type CreateResult = { created: boolean; record: DeploymentRecord };

/**
 * Creates a deployment: plan it (refusing with the reason), claim its name in D1, hand the record to
 * its DeployObject, whose alarm takes it from there. A retried POST with the same idempotency key gets
 * the deployment the first one made.
 */
export async function createDeployment(env: Env, req: DeployRequest): Promise<CreateResult> {
  if (req.idempotencyKey) {
    const prior = await findByIdempotencyKey(env.DB, req.workspaceId, req.idempotencyKey);
    if (prior) return { created: false, record: await loadRecord(env, prior.id) };
  }
  const facts = await modelFactsFor(env, req.model);
  const plan = await planOrRefuse(env, facts, { ...req.options, hfTokenAvailable: Boolean(req.hfToken) });
  // After the planner, so a model that cannot run at all says why first; then what the plan allows.
  const refusal = deployRefusal((await planOf(env.DB, req.workspaceId, Date.now())).plan, facts.id, facts.downloads);
  if (refusal) throw new AppError(403, "plan_required", refusal);
  const { price, workerMicrosPerSecond } = deploymentPrice(plan);
  const id = newId();
  const sealedHfToken = req.hfToken ? await sealSecret(encryptionKey(env), req.hfToken, id) : null;
  const prefix = env.RUNPOD_ENDPOINT_PREFIX?.trim() || "platform";

  const candidates = req.name ? [req.name] : Array.from({ length: 20 }, (_, i) => (i === 0 ? slugFor(req.model) : `${slugFor(req.model)}-${i + 1}`));
  for (const name of candidates) {
    if (!req.name && (await nameTaken(env.DB, req.workspaceId, name))) continue;
    const record = newRecord(
      { id, workspaceId: req.workspaceId, createdBy: req.userId, name, plan, price, workerMicrosPerSecond, endpointName: endpointNameFor(prefix, id), idempotencyKey: req.idempotencyKey ?? null, sealedHfToken },
      Date.now(),
    );
    const claimed = await insertPlanned(env.DB, record);
    if (!claimed.ok && claimed.conflict === "idempotency") {
      const prior = await findByIdempotencyKey(env.DB, req.workspaceId, req.idempotencyKey!);
      if (prior) return { created: false, record: await loadRecord(env, prior.id) };
    }
    if (!claimed.ok) {
      if (req.name) throw new AppError(409, "name_taken", `A live deployment is already named '${req.name}' in this workspace`);
      continue; // lost a race for this name: try the next one
    }
    try {
      return { created: true, record: await deploymentStub(env, id).init(record) };
    } catch (err) {
      // The name was claimed but no machine runs it: record the failure instead of leaving it planned.
      const reason = "the deployment could not be started; nothing was created on RunPod";
      await mirror(env.DB, { ...record, state: "failed", rev: record.rev + 1, error: reason }).catch(() => undefined);
      console.error(`deployment ${id}: DeployObject init failed`, err);
      throw new AppError(503, "deploy_unavailable", `${reason}; try again`);
    }
  }
  throw new AppError(409, "name_taken", `Could not find a free name for ${req.model}; pass one in "name"`);
}

/** The DeployObject's record (the truth), for a deployment D1 says exists. */
export async function loadRecord(env: Env, id: string): Promise<DeploymentRecord> {
  const rec = await deploymentStub(env, id).get();
  if (!rec) throw new AppError(404, "not_found", "No such deployment");
  return rec as DeploymentRecord;
}

/** A workspace's deployment or 404: another workspace's id is indistinguishable from a missing one. */
export async function ownedRecord(env: Env, workspaceId: string, id: string): Promise<DeploymentRecord> {
  const row = await getRow(env.DB, workspaceId, id);
  if (!row) throw new AppError(404, "not_found", "No such deployment");
  return loadRecord(env, id);
}
