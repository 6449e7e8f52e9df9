import type { Env } from "../env";
import { resolveUpstream, resolveUpstreamWith } from "../platform/upstreams";
import { isOpen, orderTargets, recordFailure, recordSuccess, type BreakerState } from "./breaker";
import type { BridgeError, ChatRequest } from "./canonical";
import { PROVIDERS } from "./providers/registry";
import type { Provider, UpstreamCall } from "./providers/types";
import { qualified, type ProviderName, type Route, type TargetRef } from "./resolve";

/**
 * The one place the bridge calls an upstream: tries the route's targets in order (closed circuits first),
 * falling back on 429, 5xx, connection errors and timeouts before the first byte. A caller error (400,
 * 413, 422) is returned at once: another provider would refuse the same request. After the first byte the
 * response is committed; a later failure becomes an error event in the caller's stream.
 */
export interface Attempt {
  target: string;
  status: number | "network" | "timeout" | "unconfigured" | "circuit_open";
  ms: number;
}

export type CallOutcome =
  | { ok: true; response: Response; target: TargetRef; provider: Provider; warnings: string[]; attempts: Attempt[]; credentials: "workspace" | "platform" }
  | { ok: false; error: BridgeError; attempts: Attempt[] };

export interface CallOptions {
  fetch: typeof fetch;
  /** Longest wait for response headers from one target. */
  firstByteTimeoutMs: number;
  /** Longest wait for a scaled-to-zero deployment's first byte (its worker has to start first). */
  coldStartTimeoutMs?: number;
  breakers: Map<string, BreakerState>;
  now: () => number;
  /** The workspace's own provider credentials (bring your own key), used instead of the platform's. */
  overrides?: Partial<Record<ProviderName, { apiKey: string; baseUrl: string | undefined }>>;
  /** W3C trace context for the upstream, so the caller's trace continues into the provider. */
  traceparent?: string | undefined;
}

/** Circuit state per isolate: a target failing for one request is skipped by the next ones here. */
export const isolateBreakers = new Map<string, BreakerState>();

const CALLER_ERRORS = new Set([400, 413, 422]);

/** Builds the upstream call for one target; chat uses the provider's translator, embeddings their own body. */
export type CallBuilder = (target: TargetRef, provider: Provider, upstream: { baseUrl: string; apiKey: string | undefined }) => UpstreamCall;

export const chatCall = (req: ChatRequest): CallBuilder => (target, provider, upstream) =>
  provider.buildRequest(req, { model: target.model, baseUrl: upstream.baseUrl, apiKey: upstream.apiKey });

export async function callWithFallback(build: CallBuilder, route: Route, env: Env, opts: CallOptions): Promise<CallOutcome> {
  const attempts: Attempt[] = [];
  let lastError: BridgeError | undefined;
  const targets = orderTargets(route.targets, qualified, opts.breakers, opts.now());

  for (const target of targets) {
    const key = qualified(target);
    const { provider, upstream: upstreamName } = PROVIDERS[target.provider];
    const override = opts.overrides?.[target.provider];
    const config = env as unknown as Record<string, unknown>;
    const upstream = override ? resolveUpstreamWith(config, upstreamName, override.apiKey, override.baseUrl) : resolveUpstream(config, upstreamName);
    const started = opts.now();
    if (upstream.mode === "unconfigured") {
      attempts.push({ target: key, status: "unconfigured", ms: 0 });
      lastError = { status: 503, kind: "upstream", message: `Provider ${target.provider} is not configured on this platform` };
      continue;
    }
    if (isOpen(opts.breakers.get(key), started) && targets.length > 1 && target !== targets.at(-1)) {
      attempts.push({ target: key, status: "circuit_open", ms: 0 });
      continue;
    }
    let call: UpstreamCall;
    try {
      call = build(target, provider, upstream);
    } catch (err) {
      // The target cannot take this request at all (e.g. embeddings on a chat-only provider): next target.
      attempts.push({ target: key, status: 400, ms: 0 });
      lastError = { status: 400, kind: "invalid_request", message: err instanceof Error ? err.message : String(err) };
      continue;
    }
    const controller = new AbortController();
    const timeoutMs = target.coldStart ? Math.max(opts.firstByteTimeoutMs, opts.coldStartTimeoutMs ?? 0) : opts.firstByteTimeoutMs;
    const timer = setTimeout(() => controller.abort("first-byte timeout"), timeoutMs);
    let res: Response;
    try {
      res = await opts.fetch(`${upstream.baseUrl}${call.path}`, {
        method: "POST",
        headers: opts.traceparent ? { ...call.headers, traceparent: opts.traceparent } : call.headers,
        body: JSON.stringify(call.body),
        signal: controller.signal,
      });
    } catch (err) {
      const timedOut = controller.signal.aborted;
      attempts.push({ target: key, status: timedOut ? "timeout" : "network", ms: opts.now() - started });
      opts.breakers.set(key, recordFailure(opts.breakers.get(key), opts.now()));
      lastError = timedOut
        ? target.coldStart
          ? { status: 503, kind: "upstream", message: `Deployment ${target.deployment} is starting a worker (cold start) and was not ready within ${timeoutMs} ms; retry shortly`, retryAfterSeconds: 15 }
          : { status: 504, kind: "timeout", message: `${target.provider} did not answer within ${timeoutMs} ms` }
        : { status: 502, kind: "upstream", message: `Could not reach ${target.provider}: ${err instanceof Error ? err.message : String(err)}` };
      continue;
    } finally {
      clearTimeout(timer);
    }
    attempts.push({ target: key, status: res.status, ms: opts.now() - started });
    if (res.ok) {
      opts.breakers.set(key, recordSuccess());
      return { ok: true, response: res, target, provider, warnings: call.warnings, attempts, credentials: override ? "workspace" : "platform" };
    }
    const body = await res.text().catch(() => "");
    const error = provider.decodeError(res.status, body, res.headers);
    if (CALLER_ERRORS.has(res.status)) return { ok: false, error, attempts };
    if (res.status === 401 || res.status === 403) {
      // The platform's provider credentials were refused: not the caller's fault, and another target may work.
      lastError = { status: 502, kind: "upstream", message: `${target.provider} refused the platform's credentials (HTTP ${res.status})` };
    } else {
      lastError = error;
    }
    opts.breakers.set(key, recordFailure(opts.breakers.get(key), opts.now(), res.status === 429 ? error.retryAfterSeconds : undefined));
  }
  return { ok: false, error: lastError ?? { status: 502, kind: "upstream", message: "No upstream target could serve the request" }, attempts };
}
