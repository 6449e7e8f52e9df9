import { describe, expect, it } from "vitest";
import { countTokens, replyFor } from "../../../workers/sandbox/lib/text";
import { buildEndpoint, type EndpointRecord } from "../../../workers/sandbox/runpod/endpoint";
import { healthBody, isReady, workerCounts, workersListing } from "../../../workers/sandbox/runpod/health";
import { jobCounts, jobId, jobStatus, jobView, newJob, isExpired, streamView, uuidFrom } from "../../../workers/sandbox/runpod/jobs";
import { RATE_LIMIT_POLICY, RateWindows } from "../../../workers/sandbox/runpod/ratelimit";
import { createEndpointRequest } from "../../../workers/sandbox/runpod/schemas";
import { limitTokens, runVllmWorker } from "../../../workers/sandbox/runpod/worker";

const T0 = 1_780_000_000_000;
const MODEL = "Qwen/Qwen2.5-0.5B-Instruct";

function endpoint(workers = { max: 2 }): EndpointRecord {
  const body = createEndpointRequest.parse({ name: "e", image: "i", type: "QUEUE", gpu: { pools: ["AMPERE_24"], excludedTypes: ["NVIDIA L4"] }, scaling: { type: "QUEUE_DELAY", queueDelay: 4 }, workers, dataCenterIds: ["EU-RO-1"] });
  const r = buildEndpoint(body, { id: "ep1", seq: 1, now: T0, readyDelayMs: 3000 });
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

describe("RunPod endpoint health from timestamps", () => {
  it("initializes every worker until the ready time, then reports them idle and ready", () => {
    const rec = endpoint();
    const noJobs = { completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 };
    expect(healthBody(rec, T0 + 2999, noJobs)).toEqual({ jobs: noJobs, workers: { idle: 0, initializing: 2, ready: 0, running: 0, throttled: 0, unhealthy: 0 } });
    expect(isReady(rec, T0 + 2999)).toBe(false);
    expect(healthBody(rec, T0 + 3000, noJobs).workers).toEqual({ idle: 2, initializing: 0, ready: 2, running: 0, throttled: 0, unhealthy: 0 });
    expect(workerCounts(rec, T0 + 5000, 5)).toMatchObject({ running: 2, idle: 0, ready: 0 });
    expect(isReady(endpoint({ max: 0 }), T0 + 10_000)).toBe(false);
  });

  it("lists workers placed on the first non-excluded GPU of the pools once ready", () => {
    const rec = endpoint();
    const before = workersListing(rec, T0 + 1000, 0);
    expect(before.summary).toEqual({ running: 0, idle: 0, initializing: 2, throttled: 0, unhealthy: 0, total: 2 });
    expect(before.workers[0]).toMatchObject({ status: "INITIALIZING", gpuTypeId: null, startedAt: null, uptimeSeconds: null, isStale: false, gpuCount: 1 });
    const after = workersListing(rec, T0 + 63_000, 1);
    expect(after).toMatchObject({ endpointVersion: 1, summary: { running: 1, idle: 1, total: 2 } });
    expect(after.workers.map((w) => w.status)).toEqual(["RUNNING", "IDLE"]);
    expect(after.workers[1]).toMatchObject({ gpuTypeId: "NVIDIA RTX A5000", dataCenterId: "EU-RO-1", uptimeSeconds: 60, startedAt: "2026-05-28T20:26:43Z" });
    expect(after.workers[0]!.id).toMatch(/^[a-z0-9]{14}$/);
    expect(workersListing(rec, T0, 0).workers[0]!.id).toBe(after.workers[0]!.id);
  });
});

describe("RunPod queue jobs", () => {
  const result = runVllmWorker({ prompt: "Tell me a joke", sampling_params: { max_tokens: 200 } }, MODEL);

  it("waits in the queue until the workers are ready, then runs for its execution time", () => {
    const job = newJob({ id: jobId("ep1", 1, false), sync: false, now: T0 + 1000, readyAt: T0 + 3000, workerId: "w1", result });
    expect(jobStatus(job, T0 + 2999)).toBe("IN_QUEUE");
    expect(jobView(job, T0 + 2999)).toEqual({ id: job.id, status: "IN_QUEUE" });
    expect(jobView(job, T0 + 3000)).toEqual({ delayTime: 2000, id: job.id, status: "IN_PROGRESS", workerId: "w1" });
    const done = jobView(job, T0 + 3000 + result.executionMs);
    expect(done).toEqual({ delayTime: 2000, executionTime: result.executionMs, id: job.id, output: result.output, status: "COMPLETED", workerId: "w1" });
    expect(streamView(job, T0 + 2000)).toEqual({ status: "IN_QUEUE", stream: [] });
    expect(streamView(job, T0 + 10_000)).toEqual({ status: "COMPLETED", stream: [{ output: result.output[0] }] });
    expect(jobView({ ...job, cancelledAt: T0 + 2000 }, T0 + 2500)).toEqual({ id: job.id, status: "CANCELLED" });
  });

  it("forgets results after the retention window (30 min async, 1 min sync)", () => {
    const run = newJob({ id: "a", sync: false, now: T0, readyAt: T0, workerId: "w", result });
    const sync = { ...run, sync: true };
    const end = T0 + result.executionMs;
    expect(isExpired(sync, end + 60_001)).toBe(true);
    expect(isExpired(run, end + 60_001)).toBe(false);
    expect(isExpired(run, end + 30 * 60_000 + 1)).toBe(true);
  });

  it("counts jobs by state for /health", () => {
    const at = (now: number) => newJob({ id: String(now), sync: false, now, readyAt: T0 + 3000, workerId: "w", result });
    const jobs = [at(T0), at(T0 + 1), at(T0 - 60_000)];
    expect(jobCounts(jobs, T0 + 1000)).toEqual({ completed: 0, failed: 0, inProgress: 0, inQueue: 3, retried: 0 });
    expect(jobCounts(jobs, T0 + 3001)).toEqual({ completed: 0, failed: 0, inProgress: 3, inQueue: 0, retried: 0 });
    expect(jobCounts(jobs, T0 + 60_000)).toMatchObject({ completed: 3 });
  });

  it("hands out the same UUID-shaped ids for the same sequence", () => {
    expect(uuidFrom("x")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(jobId("ep1", 7, false)).toBe(jobId("ep1", 7, false));
    expect(jobId("ep1", 7, false)).toMatch(/-u1$/);
    expect(jobId("ep1", 7, true)).toMatch(/^sync-/);
    expect(jobId("ep1", 8, false)).not.toBe(jobId("ep1", 7, false));
  });
});

describe("emulated vLLM worker", () => {
  it("answers the native prompt input with one batch of tokens and usage", () => {
    const r = runVllmWorker({ prompt: "Tell me a joke", sampling_params: { max_tokens: 200 } }, MODEL);
    const text = replyFor("Tell me a joke", MODEL);
    expect(r.output).toEqual([{ choices: [{ tokens: [text] }], usage: { input: countTokens("Tell me a joke"), output: countTokens(text) } }]);
    expect(runVllmWorker({ prompt: "Tell me a joke", sampling_params: { max_tokens: 200 } }, MODEL)).toEqual(r);
  });

  it("stops at max_tokens (16 by default, as vLLM's SamplingParams)", () => {
    const r = runVllmWorker({ messages: [{ role: "system", content: "Be brief" }, { role: "user", content: "Hi" }] }, MODEL);
    const batch = r.output[0] as { choices: { tokens: string[] }[]; usage: { input: number; output: number } };
    expect(batch.usage.output).toBeLessThanOrEqual(16);
    expect(replyFor("Hi", MODEL).startsWith(batch.choices[0]!.tokens[0]!)).toBe(true);
    expect(limitTokens("one two three four five", 2)).toEqual({ text: "one two ", truncated: true });
  });

  it("streams growing batches (1, 3, 9, ...) when asked, with n choices each", () => {
    const r = runVllmWorker({ prompt: "Stream please", stream: true, sampling_params: { max_tokens: 500, n: 2 } }, MODEL);
    const batches = r.output as { choices: { tokens: string[] }[]; usage: { output: number } }[];
    expect(batches.map((b) => b.choices[0]!.tokens.length)).toEqual([1, 3, batches.at(-1)!.choices[0]!.tokens.length]);
    expect(batches.every((b) => b.choices.length === 2)).toBe(true);
    expect(batches.flatMap((b) => b.choices[0]!.tokens).join("")).toBe(replyFor("Stream please", MODEL));
    expect(r.stream).toEqual(batches.map((output) => ({ output })));
  });

  it("reports worker errors inside the output", () => {
    expect(runVllmWorker({ foo: 1 }, MODEL).output).toEqual([{ error: { message: "Input must contain either 'prompt' or 'messages'.", type: "worker_error", code: null } }]);
    expect(runVllmWorker("text", MODEL).output[0]).toMatchObject({ error: { type: "worker_error" } });
    expect(runVllmWorker({ prompt: "x", sampling_params: { max_tokens: 0 } }, MODEL).output[0]).toMatchObject({ error: { message: "max_tokens must be at least 1, got 0." } });
  });

  it("proxies openai_route inputs to the OpenAI server", () => {
    expect(runVllmWorker({ openai_route: "/v1/models" }, MODEL).output).toEqual([
      { object: "list", data: [{ id: MODEL, object: "model", created: 1_700_000_000, owned_by: "vllm", root: MODEL, parent: null }] },
    ]);
    const chat = runVllmWorker({ openai_route: "/v1/chat/completions", openai_input: { model: MODEL, messages: [{ role: "user", content: "Hello" }] } }, MODEL);
    expect(chat.output[0]).toMatchObject({ object: "chat.completion", model: MODEL, choices: [{ message: { role: "assistant", content: replyFor("Hello", MODEL) }, finish_reason: "stop" }] });
    const wrong = runVllmWorker({ openai_route: "/v1/chat/completions", openai_input: { model: "gpt-4o", messages: [] } }, MODEL);
    expect(wrong.output[0]).toEqual({ object: "error", message: "The model `gpt-4o` does not exist.", type: "NotFoundError", param: null, code: 404 });
    const streamed = runVllmWorker({ openai_route: "/v1/chat/completions", openai_input: { model: MODEL, stream: true, messages: [{ role: "user", content: "Hello" }] } }, MODEL);
    const sse = (streamed.output as string[]).join("");
    expect(sse.startsWith("data: {")).toBe(true);
    expect(sse.endsWith("data: [DONE]\n\n")).toBe(true);
    const content = sse.split("\n\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? "").join("");
    expect(content).toBe(replyFor("Hello", MODEL));
  });
});

describe("RunPod rate-limit headers", () => {
  it("counts down per window and resets with it", () => {
    const w = new RateWindows();
    const start = Date.parse("2026-06-01T12:00:00Z");
    expect(w.hit(start)).toBe(`"minute";r=59;t=60, "hour";r=2999;t=3600, "day";r=49999;t=43200`);
    expect(w.hit(start + 30_000)).toMatch(/^"minute";r=58;t=30, "hour";r=2998;/);
    expect(w.hit(start + 60_000)).toMatch(/^"minute";r=59;t=60, "hour";r=2997;/);
    expect(RATE_LIMIT_POLICY).toBe(`"minute";q=60;w=60, "hour";q=3000;w=3600, "day";q=50000;w=86400`);
  });
});
