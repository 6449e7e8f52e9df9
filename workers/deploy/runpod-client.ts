import { resolveUpstream, type Upstream } from "../platform/upstreams";

/**
 * The platform's RunPod client: REST v2 for endpoints (api.runpod.io/v2) and the serverless runtime for
 * worker health (api.runpod.ai/v2), per reference/upstream-apis.md §1.2 and §1.5. Every call is bounded by
 * a timeout and comes back as a value, never a throw: the deploy machine decides what a failure means.
 * A 429 or 5xx, a timeout or a dropped connection is retryable; other 4xx are RunPod refusing the request.
 */
export type RunpodResult<T> = { ok: true; value: T } | { ok: false; status: number | "timeout" | "network" | "unconfigured"; retryable: boolean; message: string };

export interface RunpodEndpoint {
  id: string;
  name: string;
  workers: { min: number; max: number; idleTimeout?: number };
  scaling: { type: "QUEUE_DELAY"; queueDelay: number } | { type: "REQUEST_COUNT"; requestCount: number };
  flashboot?: string;
  env?: Record<string, string>;
}

export interface WorkerHealth {
  idle: number;
  initializing: number;
  ready: number;
  running: number;
  throttled: number;
  unhealthy: number;
}

export interface RunpodClientOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const CONTROL_TIMEOUT_MS = 10_000;

function describe(status: number, body: string): string {
  try {
    const p = JSON.parse(body) as { detail?: string; errors?: string[]; error?: string | { message?: string } };
    const detail = p.detail ?? (typeof p.error === "string" ? p.error : p.error?.message);
    if (detail) return `${detail}${p.errors?.length ? ` (${p.errors.join("; ")})` : ""}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim().slice(0, 300) || `HTTP ${status}`;
}

export class RunpodClient {
  readonly rest: Upstream;
  readonly runtime: Upstream;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(config: Record<string, unknown>, opts: RunpodClientOptions = {}) {
    this.rest = resolveUpstream(config, "runpodRest");
    this.runtime = resolveUpstream(config, "runpodServerless");
    // Bound: workerd refuses a fetch called with another object as `this`.
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    const configured = Number(config.RUNPOD_TIMEOUT_MS);
    this.timeoutMs = opts.timeoutMs ?? (Number.isFinite(configured) && configured > 0 ? configured : CONTROL_TIMEOUT_MS);
  }

  private async call<T>(upstream: Upstream, method: string, path: string, body?: unknown, accept: number[] = []): Promise<RunpodResult<T>> {
    if (upstream.mode === "unconfigured" || !upstream.apiKey) {
      return { ok: false, status: "unconfigured", retryable: false, message: "RunPod is not configured on this platform (RUNPOD_API_KEY)" };
    }
    const signal = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await this.fetchFn(`${upstream.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${upstream.apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
    } catch (err) {
      if (signal.aborted) return { ok: false, status: "timeout", retryable: true, message: `RunPod did not answer ${method} ${path} within ${this.timeoutMs} ms` };
      return { ok: false, status: "network", retryable: true, message: `could not reach RunPod: ${err instanceof Error ? err.message : String(err)}` };
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      return { ok: false, status: "network", retryable: true, message: `RunPod's answer was cut: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (res.ok || accept.includes(res.status)) {
      if (!text) return { ok: true, value: undefined as T };
      try {
        return { ok: true, value: JSON.parse(text) as T };
      } catch {
        return { ok: false, status: res.status, retryable: true, message: `RunPod answered ${method} ${path} with malformed JSON` };
      }
    }
    const retryable = res.status === 429 || res.status >= 500;
    return { ok: false, status: res.status, retryable, message: `${method} ${path}: HTTP ${res.status}: ${describe(res.status, text)}` };
  }

  listEndpoints(): Promise<RunpodResult<{ endpoints: RunpodEndpoint[] }>> {
    return this.call(this.rest, "GET", "/serverless");
  }

  createEndpoint(body: Record<string, unknown>): Promise<RunpodResult<RunpodEndpoint>> {
    return this.call(this.rest, "POST", "/serverless", body);
  }

  updateEndpoint(id: string, body: Record<string, unknown>): Promise<RunpodResult<RunpodEndpoint>> {
    return this.call(this.rest, "PATCH", `/serverless/${encodeURIComponent(id)}`, body);
  }

  /** Deleting what is already gone succeeds: the goal (no endpoint) holds either way. */
  async deleteEndpoint(id: string): Promise<RunpodResult<undefined>> {
    const r = await this.call<undefined>(this.rest, "DELETE", `/serverless/${encodeURIComponent(id)}`, undefined, [404]);
    return r;
  }

  health(id: string): Promise<RunpodResult<{ workers?: Partial<WorkerHealth>; jobs?: Record<string, number> }>> {
    return this.call(this.runtime, "GET", `/${encodeURIComponent(id)}/health`);
  }

  /** The GPU catalog: types, their serverless pool, VRAM and list prices. */
  gpuCatalog(): Promise<RunpodResult<{ gpus: { id: string; pool?: string | null; memory?: number; price?: { serverless?: number } }[] }>> {
    return this.call(this.rest, "GET", "/catalog/gpus");
  }

  /** Serverless availability per GPU type for workers of `count` GPUs (`availability`: NONE | LOW | MEDIUM | HIGH). */
  gpuAvailability(count: number): Promise<RunpodResult<{ gpus: { id: string; pool?: string | null; availability?: string }[] }>> {
    return this.call(this.rest, "GET", `/catalog/gpus?include=AVAILABILITY&product=SERVERLESS&count=${Math.max(1, Math.floor(count))}`);
  }

  /** A job that only asks the worker its model list: enough to make a scaled-to-zero endpoint start a worker. */
  warmup(id: string): Promise<RunpodResult<{ id: string; status: string }>> {
    return this.call(this.runtime, "POST", `/${encodeURIComponent(id)}/run`, { input: { openai_route: "/v1/models" } });
  }
}

/** Worker counts with RunPod's missing keys as zero (the /health examples list different subsets). */
export function workerHealth(body: { workers?: Partial<WorkerHealth> } | undefined): WorkerHealth {
  const w = body?.workers ?? {};
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  return { idle: n(w.idle), initializing: n(w.initializing), ready: n(w.ready), running: n(w.running), throttled: n(w.throttled), unhealthy: n(w.unhealthy) };
}

/** Workers that can take a request now. */
export const warmWorkers = (h: WorkerHealth) => Math.max(h.idle, h.ready) + h.running;

/** Pools with serverless capacity by the catalog: a pool has it when any of its cards is not `NONE`. */
export function poolAvailability(gpus: readonly { pool?: string | null; availability?: string }[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const g of gpus) {
    if (!g.pool || g.availability === undefined) continue;
    out[g.pool] = (out[g.pool] ?? false) || g.availability !== "NONE";
  }
  return out;
}
