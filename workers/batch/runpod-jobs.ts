import { resolveUpstream } from "../platform/upstreams";

/**
 * The few calls a batch makes to RunPod's serverless queue (reference/upstream-apis.md §1.5): `/run` with a
 * webhook, `/status/{job}` as the fallback, `/cancel/{job}`. Input in the vLLM worker's OpenAI form
 * `{openai_route, openai_input}` (§1.6), never streamed.
 */
export type JobCall<T> = { ok: true; value: T } | { ok: false; status: number | "network" | "timeout" | "unconfigured"; retryable: boolean; message: string };

const TIMEOUT_MS = 10_000;

export class RunpodJobs {
  private readonly base: string;
  private readonly key: string | undefined;
  private readonly unconfigured: boolean;

  constructor(config: Record<string, unknown>) {
    const up = resolveUpstream(config, "runpodServerless");
    this.base = up.baseUrl;
    this.key = up.apiKey;
    this.unconfigured = up.mode === "unconfigured" || !up.apiKey;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<JobCall<T>> {
    if (this.unconfigured) return { ok: false, status: "unconfigured", retryable: false, message: "RunPod is not configured on this platform (RUNPOD_API_KEY)" };
    const signal = AbortSignal.timeout(TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
    } catch (err) {
      if (signal.aborted) return { ok: false, status: "timeout", retryable: true, message: `RunPod did not answer ${method} ${path} in ${TIMEOUT_MS} ms` };
      return { ok: false, status: "network", retryable: true, message: `could not reach RunPod: ${err instanceof Error ? err.message : String(err)}` };
    }
    const text = await res.text().catch(() => "");
    if (!res.ok) {
      let detail = text.trim().slice(0, 300);
      try {
        const p = JSON.parse(text) as { error?: unknown; detail?: unknown };
        detail = String((typeof p.error === "string" ? p.error : (p.error as { message?: string } | undefined)?.message) ?? p.detail ?? detail);
      } catch {
        // not JSON
      }
      return { ok: false, status: res.status, retryable: res.status === 429 || res.status >= 500, message: `RunPod ${method} ${path.split("/").slice(0, 3).join("/")}: HTTP ${res.status}: ${detail || "no detail"}` };
    }
    try {
      return { ok: true, value: JSON.parse(text) as T };
    } catch {
      return { ok: false, status: res.status, retryable: true, message: `RunPod answered ${method} with malformed JSON` };
    }
  }

  run(endpointId: string, openaiInput: Record<string, unknown>, webhook: string): Promise<JobCall<{ id: string; status: string }>> {
    return this.call("POST", `/${encodeURIComponent(endpointId)}/run`, { input: { openai_route: "/v1/chat/completions", openai_input: openaiInput }, webhook });
  }

  status(endpointId: string, jobId: string): Promise<JobCall<Record<string, unknown>>> {
    return this.call("GET", `/${encodeURIComponent(endpointId)}/status/${encodeURIComponent(jobId)}`);
  }

  cancel(endpointId: string, jobId: string): Promise<JobCall<Record<string, unknown>>> {
    return this.call("POST", `/${encodeURIComponent(endpointId)}/cancel/${encodeURIComponent(jobId)}`);
  }
}
