import type { Env } from "../env";
import type { Principal } from "../gateway/auth";
import type { Admission, UsageRecord } from "../gateway/pipeline";
import type { RateHeaders, UsageEvent } from "./budget-object";
import { periodBounds, periodOf } from "./policy";
import { enforcedBudget, planOf, PLANS } from "./plans";
import { notifyBudgetRefused } from "../notify/emitters";

/**
 * The bridge's side of budgets: reserve in the workspace's BudgetObject (monthly tokens of its plan, the
 * key's RPM/TPM) and, for a key with its own monthly cap, in that key's BudgetObject too; settle both after.
 */
const workspaceStub = (env: Env, workspaceId: string) => env.BUDGETS.get(env.BUDGETS.idFromName(`ws:${workspaceId}`));
const keyStub = (env: Env, keyId: string) => env.BUDGETS.get(env.BUDGETS.idFromName(`key:${keyId}`));

export function rateHeaders(rate: RateHeaders | undefined): Record<string, string> {
  if (!rate) return {};
  const h: Record<string, string> = {};
  if (rate.limitRequests !== undefined) {
    h["x-ratelimit-limit-requests"] = String(rate.limitRequests);
    h["x-ratelimit-remaining-requests"] = String(rate.remainingRequests ?? 0);
    h["x-ratelimit-reset-requests"] = `${rate.resetSeconds}s`;
  }
  if (rate.limitTokens !== undefined) {
    h["x-ratelimit-limit-tokens"] = String(rate.limitTokens);
    h["x-ratelimit-remaining-tokens"] = String(rate.remainingTokens ?? 0);
    h["x-ratelimit-reset-tokens"] = `${rate.resetSeconds}s`;
  }
  return h;
}

function resetDate(now: number): string {
  return periodBounds(periodOf(now)).end.slice(0, 10);
}

export async function admit(env: Env, principal: Principal, want: { inputTokens: number; requestedOutput: number }): Promise<Admission> {
  const now = Date.now();
  const plan = await planOf(env.DB, principal.id, now);
  const reservationId = crypto.randomUUID();
  const limits = principal.keyId ? { keyId: principal.keyId, rpm: principal.rpm, tpm: principal.tpm } : undefined;
  const ws = await workspaceStub(env, principal.id).reserve({ reservationId, budget: enforcedBudget(plan, env.BILLING_OVERAGE_FACTOR), inputTokens: want.inputTokens, requestedOutput: want.requestedOutput, ...(limits ? { limits } : {}) });
  const headers = rateHeaders(ws.rate);
  if (!ws.ok) {
    if (ws.reason === "rpm" || ws.reason === "tpm") {
      const retry = ws.retryAfterSeconds ?? 1;
      return {
        ok: false,
        headers: { ...headers, "retry-after": String(retry) },
        error: { status: 429, kind: "rate_limit", message: `Rate limit reached for this key (${ws.reason === "rpm" ? "requests" : "tokens"} per minute); retry in ${retry}s`, retryAfterSeconds: retry },
      };
    }
    await notifyBudgetRefused(env, principal.id, enforcedBudget(plan, env.BILLING_OVERAGE_FACTOR), ws.remaining, now); // "100%" when refused with <5% left
    const planName = PLANS[plan.plan].name;
    const message =
      ws.reason === "prompt_exceeds_budget"
        ? `This request needs more tokens than the ${planName} plan has left this month (${ws.remaining} tokens); it resets on ${resetDate(now)}`
        : `The workspace has used its ${planName} plan's monthly tokens; upgrade or wait until ${resetDate(now)}`;
    return { ok: false, headers, error: { status: 429, kind: "quota", message } };
  }
  let maxOutputTokens = ws.maxOutputTokens;
  if (principal.keyId && principal.monthlyTokens !== undefined) {
    const k = await keyStub(env, principal.keyId).reserve({ reservationId, budget: principal.monthlyTokens, inputTokens: want.inputTokens, requestedOutput: maxOutputTokens });
    if (!k.ok) {
      await workspaceStub(env, principal.id).release(reservationId);
      return { ok: false, headers, error: { status: 429, kind: "quota", message: `This key has used its monthly token limit (${principal.monthlyTokens}); it resets on ${resetDate(now)}` } };
    }
    maxOutputTokens = Math.min(maxOutputTokens, k.maxOutputTokens);
  }
  return { ok: true, reservationId, maxOutputTokens, headers };
}

export async function release(env: Env, principal: Principal, reservationId: string): Promise<void> {
  await workspaceStub(env, principal.id).release(reservationId);
  if (principal.keyId && principal.monthlyTokens !== undefined) await keyStub(env, principal.keyId).release(reservationId);
}

export async function record(env: Env, u: UsageRecord): Promise<void> {
  const event: UsageEvent = {
    id: u.requestId,
    at: Date.now(),
    workspaceId: u.principal.id,
    keyId: u.principal.keyId ?? null,
    requested: u.requested,
    provider: u.provider,
    model: u.model,
    inputTokens: u.usage.inputTokens,
    outputTokens: u.usage.outputTokens,
    cachedInputTokens: u.usage.cachedInputTokens ?? 0,
    costMicros: u.costMicros,
    savingsMicros: u.savingsMicros,
    latencyMs: u.latencyMs,
    status: u.status,
  };
  // Cache hits are free: logged, not charged.
  const charge = u.status !== "cached";
  await workspaceStub(env, u.principal.id).settle(u.reservationId, event, { charge });
  if (u.principal.keyId && u.principal.monthlyTokens !== undefined) await keyStub(env, u.principal.keyId).settle(u.reservationId, event, { charge, ledger: false });
}
