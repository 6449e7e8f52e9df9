import { drainBody } from "../platform/drain";
import type { Observation } from "../observe/observation";
import { PlanModelError, routeForPlan, targetAllowed, type PlanAccess } from "../billing/free-tier";
import { AutoRouteError, chooseTarget, deploymentCandidate, isAutoModel, parseAuto, westernCandidates, type Candidate } from "./auto-route";
import { isOpen } from "./breaker";
import { isolateTargetStats, observeLatency } from "./target-stats";
import { recordAttempts } from "../status/record";
import type { Env } from "../env";
import { formatUsd } from "../catalog/prices";
import { assemble, mergeUsage, ResponseAssembler } from "./assemble";
import { cacheHitSavings, costAndSavings } from "./savings";
import { cacheDirective, cacheGet, cacheKey, cachePut, isDeterministic } from "./cache";
import { extractApiKey, type Principal } from "./auth";
import type { BridgeError, ChatEvent, ChatRequest, ChatResponse, Usage } from "./canonical";
import { DialectError, type BridgeMeta, type Dialect } from "./dialects/types";
import { bindRunpodTargets, markColdStarts, type DeploymentScope } from "./deployments";
import { globToRegExp, matchRule, qualified, resolveRoute, UnknownModelError, type BridgeRule, type ProviderName, type Route, type TargetRef } from "./resolve";
import { replayEvents } from "./replay";
import { translateStream } from "./stream";
import { estimateRequestTokens } from "./tokens";
import { callWithFallback, chatCall, isolateBreakers, type Attempt, type CallOptions } from "./upstream";

/**
 * The single path of a chat request (DESIGN.md, "Two data paths"):
 * authenticate -> read and parse in the caller's dialect -> resolve the model to targets with prices ->
 * [limits and budget reservation: the accounts issue plugs in at `reserve`/`settle`] -> call with fallback ->
 * translate (stream or whole) -> meter -> settle.
 */
export const BRIDGE_BODY_LIMIT = 20 * 1024 * 1024;

export interface BridgeHooks {
  /** Resolves a caller's API key to the principal that pays, or undefined when the key is not valid. */
  authenticate(key: string): Promise<Principal | undefined>;
  /** The principal's bridge map layers (its own map, then platform defaults). */
  rules(principal: Principal): Promise<BridgeRule[][]>;
  /**
   * Limits and budget before the upstream call: RPM/TPM of the key and the workspace's monthly tokens.
   * Returns the reservation (and the output cap the budget can pay for) or the platform's own 429.
   */
  admit(principal: Principal, want: { inputTokens: number; requestedOutput: number }): Promise<Admission>;
  /** The call failed before any output: give the reservation back. */
  release(principal: Principal, reservationId: string): Promise<void>;
  /** The workspace's own provider credentials, if it brought any. */
  overrides(principal: Principal): Promise<Partial<Record<ProviderName, { apiKey: string; baseUrl: string | undefined }>>>;
  /** The workspace's ready RunPod deployments by name, and whether raw endpoint ids are allowed. */
  deployments(principal: Principal): Promise<DeploymentScope>;
  /** Which of these deployment targets (by `model`) are scaled to zero right now (from their workers' health). */
  coldTargets(targets: TargetRef[]): Promise<Set<string>>;
  /** The workspace's plan and own provider keys, which decide the targets it may reach (absent: no plan rules). */
  planAccess?(principal: Principal): Promise<PlanAccess>;
  /** Records what a call used and cost, settling its reservation (never throws; runs after the response). */
  record(usage: UsageRecord): Promise<void>;
}

export type Admission =
  | { ok: true; reservationId: string | undefined; maxOutputTokens: number | undefined; headers: Record<string, string> }
  | { ok: false; error: BridgeError; headers: Record<string, string> };

/** What a request may produce when the caller set no limit: enough for long answers, bounded for reservations. */
export const DEFAULT_OUTPUT_RESERVATION = 4096;

export interface UsageRecord {
  requestId: string;
  principal: Principal;
  requested: string;
  provider: string;
  model: string;
  usage: Usage;
  costMicros: number;
  savingsMicros: number;
  status: "complete" | "broken" | "aborted" | "cached";
  reservationId: string | undefined;
  latencyMs: number;
}

export interface BridgeContext {
  env: Env;
  requestId: string;
  waitUntil(p: Promise<unknown>): void;
  hooks: BridgeHooks;
  fetch?: typeof fetch;
  /** This request's W3C traceparent, sent to the upstream. */
  traceparent?: string | undefined;
  /** Where the request log learns the paying workspace, the tokens and (for opted-in workspaces) the prompt. */
  observation?: Observation | undefined;
}

/** A key's model allowlist (exact names or globs); no list means any model. */
export function modelAllowed(principal: Principal, model: string): boolean {
  if (!principal.allowedModels?.length) return true;
  return principal.allowedModels.some((p) => p === model || globToRegExp(p).test(model));
}

/** How this request calls upstreams: the one fetch, the timeout, the isolate's breakers, the workspace's own keys. */
export async function upstreamOptions(bc: BridgeContext, principal: Principal): Promise<CallOptions> {
  return {
    // Bound: workerd refuses a fetch called with another object as `this`.
    fetch: bc.fetch ?? ((input, init) => fetch(input, init)),
    firstByteTimeoutMs: Number(bc.env.UPSTREAM_FIRST_BYTE_TIMEOUT_MS ?? 120_000),
    coldStartTimeoutMs: Number(bc.env.RUNPOD_COLD_START_MAX_MS ?? 180_000),
    breakers: isolateBreakers,
    now: Date.now,
    overrides: await bc.hooks.overrides(principal),
    traceparent: bc.traceparent,
  };
}

export { costAndSavings, targetPrice } from "./savings";

/**
 * The model name to targets: the bridge map, then RunPod names bound to the workspace's deployments, then
 * what the workspace's plan may reach, then which of those are cold (their first byte may wait for a
 * worker to start). Throws UnknownModelError or PlanModelError.
 */
export async function routeFor(bc: BridgeContext, principal: Principal, model: string, headers?: Headers): Promise<Route> {
  const [rules, access] = await Promise.all([bc.hooks.rules(principal), bc.hooks.planAccess?.(principal)]);
  // `auto…` names pick a target by capability, unless the workspace's own bridge map says otherwise.
  if (isAutoModel(model) && !rules.some((layer) => matchRule(model, layer))) return autoRoute(bc, principal, model, headers, access);
  const mapped = resolveRoute(model, rules);
  const bound = mapped.targets.some((t) => t.provider === "runpod") ? bindRunpodTargets(mapped, await bc.hooks.deployments(principal)) : mapped;
  if (!access) return markCold(bc, bound);
  const { route, warnings } = routeForPlan(bound, access);
  return markCold(bc, warnings.length ? { ...route, warnings } : route);
}

/**
 * An `auto` route: the workspace's ready deployments and the Western models its plan serves (and its key
 * allows), judged by this isolate's breakers and observed latency; the choice first, runners-up after.
 */
async function autoRoute(bc: BridgeContext, principal: Principal, model: string, headers: Headers | undefined, access: PlanAccess | undefined): Promise<Route> {
  const want = parseAuto(model, headers ?? new Headers())!;
  const scope = await bc.hooks.deployments(principal);
  const open = [...scope.byName.values()].map(deploymentCandidate).filter((c): c is Candidate => c !== undefined);
  const western = westernCandidates((provider) => !access || targetAllowed({ provider }, access));
  const candidates = [...open, ...western].filter((c) => modelAllowed(principal, c.ref));
  const now = Date.now();
  const choice = chooseTarget(want, candidates, (c) => {
    const key = qualified(c.target);
    return { open: isOpen(isolateBreakers.get(key), now), latencyMs: isolateTargetStats.get(key)?.latencyMs };
  });
  return markCold(bc, { requested: model, targets: choice.targets, baseline: choice.baseline, rule: undefined, reason: choice.reason });
}

async function markCold(bc: BridgeContext, route: Route): Promise<Route> {
  if (!route.targets.some((t) => t.provider === "runpod")) return route;
  const deployed = route.targets.filter((t) => t.deployment);
  return deployed.length ? markColdStarts(route, await bc.hooks.coldTargets(deployed)) : route;
}

/** A plan refusal in the caller's dialect: 403, naming what would work instead. */
export function planRefusal(dialect: Dialect, err: PlanModelError, requestId: string): Response {
  return errorResponse(dialect, { status: 403, kind: "permission", message: err.message }, requestId, "model");
}

/** Headers that say which deployment answered and whether it had to start a worker first. */
export function deploymentHeaders(target: TargetRef, attempts: Attempt[]): Record<string, string> {
  if (!target.deployment) return {};
  const h: Record<string, string> = { "x-deployment": headerSafe(target.deployment) };
  if (target.coldStart) {
    h["x-cold-start"] = "true";
    h["x-cold-start-ms"] = String(attempts.at(-1)?.ms ?? 0);
  }
  return h;
}


export function errorResponse(dialect: Dialect, error: BridgeError, requestId: string, param?: string, extra: Record<string, string> = {}): Response {
  const e = dialect.encodeError(error, param);
  return new Response(JSON.stringify(e.body), {
    status: e.status,
    headers: { "content-type": "application/json", "x-request-id": requestId, ...e.headers, ...extra },
  });
}

export async function readBody(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; error: BridgeError }> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > BRIDGE_BODY_LIMIT) {
    await drainBody(request);
    return { ok: false, error: { status: 413, kind: "too_large", message: `Request body exceeds ${BRIDGE_BODY_LIMIT} bytes` } };
  }
  const text = await request.text();
  if (text.length > BRIDGE_BODY_LIMIT) return { ok: false, error: { status: 413, kind: "too_large", message: `Request body exceeds ${BRIDGE_BODY_LIMIT} bytes` } };
  if (!text.trim()) return { ok: false, error: { status: 400, kind: "invalid_request", message: "The request body is empty; send a JSON object" } };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: { status: 400, kind: "invalid_request", message: "The request body is not valid JSON" } };
  }
}

export function attemptsHeader(attempts: Attempt[]): string {
  return attempts.map((a) => `${a.target}=${a.status}`).join(", ");
}

/** Header values must be ASCII and single-line. */
export function headerSafe(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, "?").slice(0, 1000);
}

export async function runChat(dialect: Dialect, request: Request, parseCtx: { model?: string; stream?: boolean }, bc: BridgeContext): Promise<Response> {
  const { requestId } = bc;
  const key = extractApiKey(dialect.name, request);
  if (!key) return errorResponse(dialect, { status: 401, kind: "authentication", message: "Missing API key" }, requestId);
  const principal = await bc.hooks.authenticate(key);
  if (!principal) return errorResponse(dialect, { status: 401, kind: "authentication", message: "Invalid API key" }, requestId);
  if (bc.observation) bc.observation.workspaceId = principal.id;

  const body = await readBody(request);
  if (!body.ok) return errorResponse(dialect, body.error, requestId);

  let req: ChatRequest;
  let route: Route;
  try {
    req = dialect.parse(body.value, parseCtx);
    if (bc.observation) bc.observation.request = req;
    if (!modelAllowed(principal, req.model)) {
      return errorResponse(dialect, { status: 403, kind: "permission", message: `This API key may not call '${req.model}'` }, requestId, "model");
    }
    route = await routeFor(bc, principal, req.model, request.headers);
  } catch (err) {
    if (err instanceof DialectError) return errorResponse(dialect, err.error, requestId, err.param);
    if (err instanceof AutoRouteError) return errorResponse(dialect, { status: err.status, kind: err.status === 400 ? "invalid_request" : "not_found", message: err.message }, requestId, "model");
    if (err instanceof UnknownModelError) return errorResponse(dialect, { status: 404, kind: "not_found", message: err.message }, requestId, "model");
    if (err instanceof PlanModelError) return planRefusal(dialect, err, requestId);
    throw err;
  }

  const estimatedInput = estimateRequestTokens(req);

  const directive = cacheDirective(request.headers);
  let cacheHash: string | undefined;
  // Warnings the bridge itself adds (cache, budget caps), shown with the provider's in x-bridge-warnings.
  const bridgeWarnings: string[] = [...(route.warnings ?? [])];
  if (directive.enabled) {
    if (isDeterministic(req)) {
      cacheHash = await cacheKey(principal.id, route.targets, req);
      const hit = await cacheGet(bc.env.KV, cacheHash);
      if (hit) return answerFromCache(dialect, req, route, hit.response, hit.target, principal, bc);
    } else {
      bridgeWarnings.push("not cached: only requests with temperature 0 or a seed are cached");
    }
  }
  const remember = (response: ChatResponse, target: TargetRef) => {
    if (cacheHash) bc.waitUntil(cachePut(bc.env.KV, cacheHash, { response, target, storedAt: Date.now() }, directive.ttl).catch((e) => console.error("cache write failed", e)));
  };

  // The platform's own limits come before any upstream call; their 429s never trigger fallback.
  const admission = await bc.hooks.admit(principal, { inputTokens: estimatedInput, requestedOutput: req.maxTokens ?? DEFAULT_OUTPUT_RESERVATION });
  if (!admission.ok) return errorResponse(dialect, admission.error, requestId, undefined, admission.headers);
  if (admission.maxOutputTokens !== undefined && (req.maxTokens === undefined || admission.maxOutputTokens < req.maxTokens)) {
    if (req.maxTokens !== undefined || admission.maxOutputTokens < DEFAULT_OUTPUT_RESERVATION) {
      bridgeWarnings.push(`max_tokens capped to ${admission.maxOutputTokens} by the workspace's remaining budget`);
    }
    req = { ...req, maxTokens: admission.maxOutputTokens };
  }
  const started = Date.now();

  const outcome = await callWithFallback(chatCall(req), route, bc.env, await upstreamOptions(bc, principal));
  // Every attempt, answered or not, feeds the status page's upstream health (the ledger has only answers).
  bc.waitUntil(recordAttempts(bc.env.DB, outcome.attempts));
  if (!outcome.ok) {
    if (admission.reservationId) bc.waitUntil(bc.hooks.release(principal, admission.reservationId).catch((e) => console.error("release failed", e)));
    return errorResponse(dialect, outcome.error, requestId, undefined, { ...admission.headers, "x-bridge-attempts": headerSafe(attemptsHeader(outcome.attempts)) });
  }

  const { target, provider } = outcome;
  // Time to first byte feeds auto:fast (an isolate's own view, like its breakers).
  const ttfb = outcome.attempts.at(-1)?.ms;
  if (ttfb !== undefined) isolateTargetStats.set(qualified(target), observeLatency(isolateTargetStats.get(qualified(target)), ttfb));
  const headers: Record<string, string> = {
    ...admission.headers,
    "x-request-id": requestId,
    "x-provider": target.provider,
    "x-model": headerSafe(target.model),
    "x-bridge-attempts": headerSafe(attemptsHeader(outcome.attempts)),
    "x-bridge-credentials": outcome.credentials,
    ...deploymentHeaders(target, outcome.attempts),
  };
  if (route.rule) headers["x-bridge-rule"] = headerSafe(route.rule);
  if (route.reason) headers["x-route-reason"] = headerSafe(route.reason);
  const warnings = [...outcome.warnings, ...bridgeWarnings];
  if (warnings.length) headers["x-bridge-warnings"] = headerSafe(warnings.join("; "));
  if (directive.enabled) headers["x-cache"] = cacheHash ? "MISS" : "BYPASS";

  const meter = (usage: Usage, status: UsageRecord["status"]): BridgeMeta => {
    const { cost, savings } = costAndSavings(usage, target, route);
    if (bc.observation) bc.observation.usage = usage;
    bc.waitUntil(
      bc.hooks
        .record({ requestId, principal, requested: req.model, provider: target.provider, model: target.model, usage, costMicros: cost, savingsMicros: savings, status, reservationId: admission.reservationId, latencyMs: Date.now() - started })
        .catch((e) => console.error(`[${requestId}] usage record failed`, e)),
    );
    return { requestId, provider: target.provider, model: target.model, costUsd: Number(formatUsd(cost)), savingsUsd: Number(formatUsd(savings)) };
  };

  const upstreamIsStream = (outcome.response.headers.get("content-type") ?? "").includes("text/event-stream");
  if (req.stream && upstreamIsStream && outcome.response.body) {
    const collected = cacheHash ? new ResponseAssembler() : undefined;
    // The request log waits on this instead of wrapping the answer in a stream of its own.
    let ended = () => {};
    if (bc.observation) bc.observation.streamDone = new Promise<void>((resolve) => (ended = resolve));
    const stream = translateStream(outcome.response.body, provider, dialect.streamEncoder(req), {
      estimatedInputTokens: estimatedInput,
      finish: ({ usage, status }) => {
        if (collected && status === "complete") remember({ ...collected.result(), usage }, target);
        const meta = meter(usage, status);
        ended();
        return meta;
      },
      ...(collected ? { tap: (e: ChatEvent) => collected.push(e) } : {}),
    });
    return new Response(stream, {
      status: 200,
      headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
    });
  }

  let json: unknown;
  try {
    json = await outcome.response.json();
  } catch {
    return errorResponse(dialect, { status: 502, kind: "upstream", message: `${target.provider} returned a malformed response` }, requestId, undefined, headers);
  }
  const response = assemble(provider.decodeResponse(json));
  let usage = response.usage;
  if (usage.inputTokens === 0 && usage.outputTokens === 0) {
    const text = response.content.map((c) => (c.type === "tool_call" ? c.arguments : c.text)).join("");
    usage = mergeUsage(usage, { inputTokens: estimatedInput, outputTokens: Math.ceil(text.length / 4) });
  }
  response.usage = usage;
  if (response.finishReason !== "error") remember(response, target);
  const meta = meter(usage, "complete");
  headers["x-cost-usd"] = meta.costUsd.toFixed(6);
  headers["x-savings-usd"] = meta.savingsUsd.toFixed(6);
  if (req.stream) {
    // The upstream answered whole although a stream was asked for: replay it as a stream.
    const enc = dialect.streamEncoder(req);
    const text = replayEvents(response).map((e) => enc.event(e)).join("") + enc.end(meta);
    return new Response(text, { status: 200, headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } });
  }
  return new Response(JSON.stringify(dialect.encodeResponse(response, meta, req)), { status: 200, headers: { ...headers, "content-type": "application/json" } });
}

/** A cache hit: the stored answer in the caller's dialect, free, with the whole call's price as the saving. */
function answerFromCache(dialect: Dialect, req: ChatRequest, route: Route, response: ChatResponse, target: TargetRef, principal: Principal, bc: BridgeContext): Response {
  const savings = cacheHitSavings(response.usage, target, route);
  if (bc.observation) bc.observation.usage = response.usage;
  bc.waitUntil(
    bc.hooks
      .record({ requestId: bc.requestId, principal, requested: req.model, provider: target.provider, model: target.model, usage: response.usage, costMicros: 0, savingsMicros: savings, status: "cached", reservationId: undefined, latencyMs: 0 })
      .catch((e) => console.error("usage record failed", e)),
  );
  const meta: BridgeMeta = { requestId: bc.requestId, provider: target.provider, model: target.model, costUsd: 0, savingsUsd: Number(formatUsd(savings)), cache: "HIT" };
  const headers: Record<string, string> = {
    "x-request-id": bc.requestId,
    "x-provider": target.provider,
    "x-model": headerSafe(target.model),
    "x-cache": "HIT",
    "x-cost-usd": "0.000000",
    "x-savings-usd": formatUsd(savings),
  };
  if (req.stream) {
    const enc = dialect.streamEncoder(req);
    const text = replayEvents(response).map((e) => enc.event(e)).join("") + enc.end(meta);
    return new Response(text, { status: 200, headers: { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } });
  }
  return new Response(JSON.stringify(dialect.encodeResponse(response, meta, req)), { status: 200, headers: { ...headers, "content-type": "application/json" } });
}
