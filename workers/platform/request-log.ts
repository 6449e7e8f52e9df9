import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { writeMetric } from "../observe/metrics";
import { promptExcerpt, type Observation, type PromptExcerpt } from "../observe/observation";
import { logsPrompts } from "../observe/prompt-logging";
import { continueTrace, formatTraceparent } from "./trace";

/**
 * One structured JSON log line per request (Workers Logs / `wrangler tail` index JSON fields). It carries
 * what an operator needs to follow a call and nothing a caller would not want written down: no API or
 * provider key (only a key's display prefix), no query string (Gemini's `?key=`), no headers, no bodies,
 * so no prompts, unless the workspace opted in to prompt logging (workers/observe/prompt-logging.ts), when a
 * bridge call's line carries a bounded text excerpt of its prompt. Bridge fields come from the response
 * headers the pipeline already sets and from the request's Observation (paying workspace, tokens); a
 * streamed answer is logged when its stream ends, with the time it took. Each line is also one metrics
 * point (workers/observe/metrics.ts: Analytics Engine, or its local D1 equivalent).
 */
export interface RequestLogLine {
  at: string;
  requestId: string;
  traceId: string;
  brand: string;
  method: string;
  route: string;
  status: number;
  latencyMs: number;
  workspace?: string;
  keyPrefix?: string;
  model?: string;
  provider?: string;
  costUsd?: number;
  cache?: string;
  fallbackAttempts?: number;
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  streamed?: boolean;
  /** Only for workspaces that opted in to prompt logging. */
  prompt?: PromptExcerpt;
}

/** The display prefix of a platform key (`sk-abcd…wxyz`, as the keys screen shows it); nothing else. */
export function keyPrefix(headers: Headers): string | undefined {
  const raw = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "")?.[1] ?? headers.get("x-api-key") ?? headers.get("x-goog-api-key") ?? undefined;
  return raw && /^sk-[0-9A-Za-z]{38}$/.test(raw) ? `${raw.slice(0, 7)}…${raw.slice(-4)}` : undefined;
}

/** The line for a finished request (pure). */
export function logLine(input: { requestId: string; traceId: string; brand: string; method: string; route: string; status: number; latencyMs: number; workspace: string | undefined; requestHeaders: Headers; responseHeaders: Headers; streamed: boolean; now: number; observation?: Observation }): RequestLogLine {
  const h = input.responseHeaders;
  const line: RequestLogLine = {
    at: new Date(input.now).toISOString(),
    requestId: input.requestId,
    traceId: input.traceId,
    brand: input.brand,
    method: input.method,
    route: input.route,
    status: input.status,
    latencyMs: input.latencyMs,
  };
  const key = keyPrefix(input.requestHeaders);
  if (input.workspace) line.workspace = input.workspace;
  if (key) line.keyPrefix = key;
  const model = h.get("x-model");
  if (model) line.model = model;
  const provider = h.get("x-provider");
  if (provider) line.provider = provider;
  const cost = h.get("x-cost-usd");
  if (cost !== null && Number.isFinite(Number(cost))) line.costUsd = Number(cost);
  const cache = h.get("x-cache");
  if (cache) line.cache = cache;
  const attempts = h.get("x-bridge-attempts");
  if (attempts) line.fallbackAttempts = attempts.split(",").length;
  const usage = input.observation?.usage;
  if (usage) {
    line.inputTokens = usage.inputTokens;
    line.outputTokens = usage.outputTokens;
    if (usage.cachedInputTokens) line.cachedInputTokens = usage.cachedInputTokens;
  }
  if (input.streamed) line.streamed = true;
  return line;
}

export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = Date.now();
    const trace = continueTrace(c.req.header("traceparent"));
    c.set("traceparent", formatTraceparent(trace));
    const observation: Observation = {};
    c.set("observation", observation);
    await next();
    c.res.headers.set("traceparent", formatTraceparent(trace));
    const waitUntil = (p: Promise<unknown>) => {
      try {
        c.executionCtx.waitUntil(p);
      } catch {
        // No execution context (a test calling app.request directly): the promise still runs.
      }
    };
    const emit = (streamed: boolean) => {
      const line = logLine({
        requestId: c.var.requestId,
        traceId: trace.traceId,
        brand: c.var.brand?.id ?? "unknown",
        method: c.req.method,
        route: c.req.routePath || new URL(c.req.url).pathname,
        status: c.res.status,
        latencyMs: Date.now() - started,
        // A bridge call's workspace is known inside the pipeline (the open-access local one is nobody's).
        workspace: c.var.workspace?.id ?? c.var.credential?.workspaceId ?? (observation.workspaceId !== "local" ? observation.workspaceId : undefined),
        requestHeaders: c.req.raw.headers,
        responseHeaders: c.res.headers,
        streamed,
        now: Date.now(),
        observation,
      });
      writeMetric(c.env, line, waitUntil);
      const request = observation.request;
      if (!request || !line.workspace || !c.env.DB) return console.log(JSON.stringify(line));
      // The opt-in is read after the response has gone (cached per isolate), never on the request's path.
      waitUntil(
        logsPrompts(c.env.DB, line.workspace)
          .then((on) => {
            if (on) line.prompt = promptExcerpt(request);
          })
          .catch((err) => console.error("prompt logging setting unavailable", err))
          .finally(() => console.log(JSON.stringify(line))),
      );
    };
    const body = c.res.body;
    if (!body || !(c.res.headers.get("content-type") ?? "").includes("text/event-stream")) return emit(false);
    // A bridge stream says when it ends; other streams (deploy progress, MCP) are watched through a tap.
    if (observation.streamDone) return waitUntil(observation.streamDone.then(() => emit(true)));
    // A stream: log when it ends (or the caller goes away), so latency covers the whole answer.
    let logged = false;
    const once = () => {
      if (!logged) (logged = true), emit(true);
    };
    const tap = new TransformStream<Uint8Array, Uint8Array>({ flush: once, cancel: once } as Transformer<Uint8Array, Uint8Array>);
    c.res = new Response(body.pipeThrough(tap), c.res);
  };
}
