import { describe, expect, it } from "vitest";
import { decide, faultRuleInput, type FaultRule } from "../../../workers/sandbox/faults";
import { jobCounts, jobStatus, jobView, newJob, streamView } from "../../../workers/sandbox/runpod/jobs";
import { deliverJobWebhook, WEBHOOK_RETRY_DELAYS_MS } from "../../../workers/sandbox/runpod/webhook";
import { runVllmWorker } from "../../../workers/sandbox/runpod/worker";

const T0 = 1_780_000_000_000;
const MODEL = "Qwen/Qwen2.5-0.5B-Instruct";
const result = runVllmWorker({ openai_route: "/v1/chat/completions", openai_input: { model: MODEL, messages: [{ role: "user", content: "hi" }] } }, MODEL);

describe("RunPod queue jobs that fail (injected jobError)", () => {
  it("run, then end FAILED with the error instead of the output; counted as failed", () => {
    const job = newJob({ id: "j1", sync: false, now: T0, readyAt: T0, workerId: "w", result, error: "CUDA error", webhook: "http://platform/webhooks/runpod?job=x" });
    expect(jobStatus(job, T0 + 1)).toBe("IN_PROGRESS");
    const end = T0 + job.executionTime;
    expect(jobView(job, end)).toEqual({ delayTime: 0, error: "CUDA error", executionTime: job.executionTime, id: "j1", status: "FAILED", workerId: "w" });
    expect(streamView(job, end)).toEqual({ status: "FAILED", stream: [], error: "CUDA error" });
    expect(jobCounts([job], end).failed).toBe(1);
    expect(job.webhook).toBe("http://platform/webhooks/runpod?job=x");
  });
});

describe("fault rules for the queue", () => {
  it("accept jobError and dropWebhook as effects and hand them to the request", () => {
    const input = faultRuleInput.parse({ service: "runpod-serverless", match: { path: "/ep/run" }, jobError: "boom", dropWebhook: true, times: 1 });
    const rules: FaultRule[] = [{ ...input, id: "fault_1", createdAt: T0, applied: 0 }];
    const first = decide(rules, { service: "runpod-serverless", path: "/ep/run", method: "POST" }, T0);
    expect(first.effect).toEqual({ ruleId: "fault_1", jobError: "boom", dropWebhook: true });
    expect(first.rules).toEqual([]);
  });
});

describe("webhook delivery", () => {
  it("POSTs the final status body, retrying twice 10 s apart on non-2xx or a dead receiver", async () => {
    const calls: { url: string; body: string }[] = [];
    const statuses: (number | Error)[] = [new Error("connection refused"), 500, 200];
    const slept: number[] = [];
    const attempts = await deliverJobWebhook("http://p/webhooks/runpod?job=t", { id: "j1", status: "COMPLETED" }, {
      fetch: (async (url: string, init: RequestInit) => {
        calls.push({ url, body: String(init.body) });
        const next = statuses.shift()!;
        if (next instanceof Error) throw next;
        return new Response(null, { status: next });
      }) as typeof fetch,
      sleep: async (ms) => void slept.push(ms),
      now: () => T0,
    });
    expect(attempts.map((a) => a.status)).toEqual([null, 500, 200]);
    expect(slept).toEqual([...WEBHOOK_RETRY_DELAYS_MS]);
    expect(JSON.parse(calls[0]!.body)).toEqual({ id: "j1", status: "COMPLETED" });
  });

  it("gives up after three attempts", async () => {
    const attempts = await deliverJobWebhook("http://p/x", {}, { fetch: (async () => new Response(null, { status: 401 })) as unknown as typeof fetch, sleep: async () => undefined, now: () => T0 });
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401]);
  });
});
