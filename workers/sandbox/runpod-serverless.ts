import { Hono, type Context } from "hono";
import type { SandboxAppEnv } from "./env";
import { createOpenAiRoutes } from "./openai";
import { ENDPOINT_NS, type EndpointRecord } from "./runpod/endpoint";
import { lbHealthPath, servedModelNames } from "./runpod/endpoint-view";
import { hasCapacity } from "./runpod/capacity";
import { healthBody, isReady, workerId, workerPhase } from "./runpod/health";
import { readJson, runtimeError, runtimeKey, sleep } from "./runpod/http";
import { finishesAt, isExpired, isTerminal, jobCounts, jobId, jobNs, jobStatus, jobView, newJob, streamView, type JobRecord } from "./runpod/jobs";
import { docStore } from "./runpod/store";
import { deliverJobWebhook } from "./runpod/webhook";
import { runVllmWorker, workerFailure } from "./runpod/worker";

/**
 * The RunPod serverless runtime (https://api.runpod.ai/v2/{endpoint_id}/...), mounted at /runpod-ai/v2:
 * the queue API (health, run, runsync, status, stream, cancel, retry, purge-queue) answered by an
 * emulated vLLM worker, and the worker's OpenAI-compatible route `/openai/v1`. Reference §1.5-1.7.
 */

/** The endpoint a request is for, loaded once by the middleware below. */
const endpoints = new WeakMap<Request, EndpointRecord>();
const endpointOf = (c: Context<SandboxAppEnv>) => endpoints.get(c.req.raw)!;

/** `/runsync` holds the request up to `?wait=` ms (1000-300000, default 90 s) for the job to finish. */
function runsyncWait(raw: string | undefined): number {
  const wait = Number(raw);
  return raw === undefined || !Number.isFinite(wait) ? 90_000 : Math.min(300_000, Math.max(1000, wait));
}

/**
 * How long an OpenAI-route request waits for a cold endpoint's workers, as a queued request does on
 * RunPod (it is held until a worker is up). Past this the sandbox answers 503 instead of hanging.
 */
const OPENAI_COLD_START_WAIT_MS = 90_000;

const MAX_PAYLOAD = { run: 10 * 1024 * 1024, runsync: 20 * 1024 * 1024 };

async function loadJob(c: Context<SandboxAppEnv>): Promise<JobRecord | undefined> {
  const rec = endpointOf(c);
  const job = await docStore(c.env).getDoc<JobRecord>(jobNs(rec.id), c.req.param("jobId") ?? "");
  if (!job || isExpired(job, Date.now())) return undefined;
  return job;
}

const jobMissing = () => runtimeError(404, "request does not exist");

async function submit(c: Context<SandboxAppEnv>, sync: boolean): Promise<JobRecord | Response> {
  const limit = sync ? MAX_PAYLOAD.runsync : MAX_PAYLOAD.run;
  if (Number(c.req.header("content-length") ?? "0") > limit) return runtimeError(413, `Payload exceeds the ${limit / 1024 / 1024} MB limit`);
  const body = await readJson(c.req.raw);
  if (!body.ok) return runtimeError(400, "Invalid JSON in request body");
  const value = body.value as { input?: unknown; webhook?: unknown } | null;
  if (!value || typeof value !== "object" || Array.isArray(value) || value.input === undefined || value.input === null) {
    return runtimeError(400, "Missing 'input' in request body");
  }
  let webhook: string | undefined;
  if (value.webhook !== undefined && value.webhook !== null) {
    if (sync) return runtimeError(400, "'webhook' is only accepted by /run");
    if (typeof value.webhook !== "string" || !URL.canParse(value.webhook) || !/^https?:$/.test(new URL(value.webhook).protocol)) return runtimeError(400, "'webhook' must be an http(s) URL");
    webhook = value.webhook;
  }
  const fault = c.get("fault");
  const rec = endpointOf(c);
  const store = docStore(c.env);
  const seq = await store.nextSeq(jobNs(rec.id));
  const model = servedModelNames(rec)[0];
  const result = model ? runVllmWorker(value.input, model) : workerFailure("vLLM engine not initialized: MODEL_NAME is not set");
  // The job waits in the queue until a worker takes it: after the first boot, a cold start, or at once.
  // With `workers.max` 0 no worker ever does: it stays queued.
  const woke = await store.wakeRunpodEndpoint(rec.id, result.executionMs);
  if (!woke) return runtimeError(404, `Endpoint ${rec.id} not found`);
  const up = Math.max(1, workerPhase(woke.record, woke.servedAt).warm);
  const job = newJob({
    id: jobId(rec.id, seq, sync),
    sync,
    now: Date.now(),
    readyAt: woke.servedAt,
    workerId: workerId(rec, seq % up),
    result,
    ...(fault?.jobError !== undefined ? { error: fault.jobError } : {}),
    ...(webhook !== undefined && !fault?.dropWebhook ? { webhook } : {}),
  });
  await store.putDoc(jobNs(rec.id), job.id, job);
  if (job.webhook) c.executionCtx.waitUntil(sendWebhook(c, rec.id, job));
  return job;
}

/**
 * When the job ends, its final `/status` body goes to its webhook (retried as RunPod does). The timeline is
 * fixed at submission, so this waits until then and re-reads the job (a cancel meanwhile changes the body).
 * Runs in waitUntil: a sandbox restart loses pending deliveries, as a receiver that was down would.
 */
async function sendWebhook(c: Context<SandboxAppEnv>, endpointId: string, submitted: JobRecord): Promise<void> {
  try {
    await sleep(finishesAt(submitted) - Date.now());
    const job = (await docStore(c.env).getDoc<JobRecord>(jobNs(endpointId), submitted.id)) ?? submitted;
    const now = Math.max(Date.now(), finishesAt(job));
    const body = jobView(job, now);
    const attempts = await deliverJobWebhook(job.webhook!, body, { fetch: (u, i) => fetch(u, i), sleep, now: Date.now });
    const delivered = attempts.some((a) => a.status !== null && a.status >= 200 && a.status < 300);
    await docStore(c.env).putDoc(WEBHOOK_NS, job.id, { job: job.id, endpointId, url: job.webhook, body, attempts, status: delivered ? "succeeded" : "failed" });
  } catch (err) {
    console.error("runpod webhook delivery", err);
  }
}

const WEBHOOK_NS = "runpod:webhook";

/** Sandbox controls: `GET /_sandbox/runpod/webhooks[?endpoint=]`, the job webhooks delivered (or given up), for tests. */
export const runpodSandboxControls = new Hono<SandboxAppEnv>().get("/webhooks", async (c) => {
  const endpoint = c.req.query("endpoint");
  const all = await docStore(c.env).listDocs<{ endpointId: string }>(WEBHOOK_NS, 10_000);
  return c.json({ deliveries: all.filter((d) => !endpoint || d.endpointId === endpoint) });
});

export const runpodServerlessRoutes = new Hono<SandboxAppEnv>();

runpodServerlessRoutes.use("/:endpointId/*", async (c, next) => {
  if (!runtimeKey(c.req.header("authorization"))) return runtimeError(401, "Unauthorized");
  const rec = await docStore(c.env).getDoc<EndpointRecord>(ENDPOINT_NS, c.req.param("endpointId") ?? "");
  if (!rec) return runtimeError(404, `Endpoint ${c.req.param("endpointId")} not found`);
  endpoints.set(c.req.raw, rec);
  if (rec.type === "LOAD_BALANCER") {
    // Load-balancing endpoints have no queue: only their worker's health check is emulated.
    const path = new URL(c.req.url).pathname.split(`/${rec.id}`)[1] ?? "";
    if (c.req.method === "GET" && path === lbHealthPath(rec)) return isReady(rec, Date.now()) ? c.json({ status: "healthy" }) : c.body(null, 204);
    return runtimeError(404, `Endpoint ${rec.id} is a load-balancing endpoint: send requests to its worker's own paths`);
  }
  await next();
});

runpodServerlessRoutes
  .get("/:endpointId/health", async (c) => {
    const rec = endpointOf(c);
    const now = Date.now();
    const store = docStore(c.env);
    const all = await store.listDocs<JobRecord>(jobNs(rec.id));
    // Results past their retention are gone upstream: drop them here too, so storage stays bounded.
    await Promise.all(all.filter((j) => isExpired(j, now)).map((j) => store.deleteDoc(jobNs(rec.id), j.id)));
    const jobs = all.filter((j) => !isExpired(j, now));
    return c.json(healthBody(rec, now, jobCounts(jobs, now), hasCapacity(rec, await store.getSettings())));
  })
  .post("/:endpointId/run", async (c) => {
    const job = await submit(c, false);
    if (job instanceof Response) return job;
    return c.json({ id: job.id, status: jobStatus(job, Date.now()) });
  })
  .post("/:endpointId/runsync", async (c) => {
    const deadline = Date.now() + runsyncWait(c.req.query("wait"));
    const job = await submit(c, true);
    if (job instanceof Response) return job;
    await sleep(Math.min(finishesAt(job), deadline) - Date.now());
    return c.json(jobView(job, Date.now()));
  })
  .on(["GET", "POST"], "/:endpointId/status/:jobId", async (c) => {
    const job = await loadJob(c);
    return job ? c.json(jobView(job, Date.now())) : jobMissing();
  })
  .on(["GET", "POST"], "/:endpointId/stream/:jobId", async (c) => {
    const job = await loadJob(c);
    return job ? c.json(streamView(job, Date.now())) : jobMissing();
  })
  .post("/:endpointId/cancel/:jobId", async (c) => {
    const job = await loadJob(c);
    if (!job) return jobMissing();
    const now = Date.now();
    if (isTerminal(jobStatus(job, now))) return c.json({ id: job.id, status: jobStatus(job, now) });
    const cancelled = { ...job, cancelledAt: now };
    await docStore(c.env).putDoc(jobNs(endpointOf(c).id), job.id, cancelled);
    return c.json({ id: job.id, status: "CANCELLED" });
  })
  .post("/:endpointId/retry/:jobId", async (c) => {
    const job = await loadJob(c);
    if (!job) return jobMissing();
    // Worker errors are part of a job's output; only an injected jobError fails one, and retrying it is not emulated.
    return runtimeError(400, `Job ${job.id} is ${jobStatus(job, Date.now())}; only FAILED or TIMED_OUT jobs can be retried`);
  })
  .post("/:endpointId/purge-queue", async (c) => {
    const rec = endpointOf(c);
    const store = docStore(c.env);
    const now = Date.now();
    const queued = (await store.listDocs<JobRecord>(jobNs(rec.id))).filter((j) => jobStatus(j, now) === "IN_QUEUE");
    await Promise.all(queued.map((j) => store.deleteDoc(jobNs(rec.id), j.id)));
    return c.json({ removed: queued.length, status: "completed" });
  });

// The vLLM/SGLang worker's OpenAI-compatible server. A request to an endpoint with no warm worker (first
// boot, or scaled to zero: it starts a cold start) waits for one, up to OPENAI_COLD_START_WAIT_MS; beyond
// that, 503, though the worker it woke still comes up, as on RunPod.
runpodServerlessRoutes.use("/:endpointId/openai/*", async (c, next) => {
  const rec = endpointOf(c);
  if (rec.workers.max === 0) return runtimeError(503, `No workers available: endpoint ${rec.id} has workers.max 0`);
  const woke = await docStore(c.env).wakeRunpodEndpoint(rec.id, 0);
  if (!woke) return runtimeError(404, `Endpoint ${rec.id} not found`);
  const wait = woke.servedAt - Date.now();
  if (wait > OPENAI_COLD_START_WAIT_MS) return runtimeError(503, `No workers available: endpoint ${rec.id} is still initializing`);
  if (wait > 0) await sleep(wait);
  await next();
});

runpodServerlessRoutes.route(
  "/:endpointId/openai/v1",
  createOpenAiRoutes({ service: "runpod-serverless", models: (c) => servedModelNames(endpointOf(c)), ownedBy: "vllm" }),
);
