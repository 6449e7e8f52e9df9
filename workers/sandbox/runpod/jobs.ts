import { stableId } from "../lib/text";
import type { WorkerResult } from "./worker";

/**
 * Queue jobs of the serverless runtime (`/run`, `/runsync`, `/status`, `/cancel`, ...). A job's whole
 * timeline is fixed when it is submitted: it waits in the queue until the endpoint's workers are ready,
 * then runs for its (deterministic) execution time. Its status at any moment is derived from that, so
 * nothing has to be scheduled. Body shapes follow the operation reference (reference/upstream-apis.md §1.5).
 */

export type JobStatus = "IN_QUEUE" | "IN_PROGRESS" | "COMPLETED" | "FAILED" | "CANCELLED" | "TIMED_OUT";

export interface JobRecord {
  id: string;
  sync: boolean;
  submittedAt: number;
  startAt: number;
  executionTime: number;
  output: unknown[];
  stream: { output: unknown }[];
  workerId: string;
  cancelledAt?: number;
  /** The handler raised (an injected `jobError` fault): the job ends FAILED with this error instead of its output. */
  error?: string;
  /** Where RunPod POSTs the job's final status body (`/run`'s `webhook`), unless a fault dropped it. */
  webhook?: string;
}

export const jobNs = (endpointId: string) => `runpod:job:${endpointId}`;

/** Results are kept 30 minutes after an async job ends, 1 minute after a sync one (SEND). */
const RETENTION_MS = { async: 30 * 60_000, sync: 60_000 };

/** A UUID-shaped id that is the same for the same seed (so a fresh sandbox replays the same ids). */
export function uuidFrom(seed: string): string {
  const hex = stableId(seed, 32)
    .split("")
    .map((c) => (parseInt(c, 36) % 16).toString(16))
    .join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[parseInt(hex[16]!, 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `/run` ids carry the datacenter suffix seen in status responses; `/runsync` ids the `sync-` prefix. */
export function jobId(endpointId: string, seq: number, sync: boolean): string {
  const uuid = uuidFrom(`${endpointId}:job:${seq}`);
  return sync ? `sync-${uuid}` : `${uuid}-u1`;
}

export function newJob(args: { id: string; sync: boolean; now: number; readyAt: number; workerId: string; result: WorkerResult; error?: string; webhook?: string }): JobRecord {
  return {
    ...(args.error !== undefined ? { error: args.error } : {}),
    ...(args.webhook !== undefined ? { webhook: args.webhook } : {}),
    id: args.id,
    sync: args.sync,
    submittedAt: args.now,
    startAt: Math.max(args.now, args.readyAt),
    executionTime: args.result.executionMs,
    output: args.result.output,
    stream: args.result.stream,
    workerId: args.workerId,
  };
}

export function jobStatus(job: JobRecord, now: number): JobStatus {
  if (job.cancelledAt !== undefined) return "CANCELLED";
  if (now < job.startAt) return "IN_QUEUE";
  if (now < job.startAt + job.executionTime) return "IN_PROGRESS";
  return job.error !== undefined ? "FAILED" : "COMPLETED";
}

export const isTerminal = (s: JobStatus) => s === "COMPLETED" || s === "FAILED" || s === "CANCELLED" || s === "TIMED_OUT";

/** When the job reaches its terminal state (for waiting in /runsync). */
export const finishesAt = (job: JobRecord) => job.cancelledAt ?? job.startAt + job.executionTime;

export function isExpired(job: JobRecord, now: number): boolean {
  return isTerminal(jobStatus(job, now)) && now > finishesAt(job) + (job.sync ? RETENTION_MS.sync : RETENTION_MS.async);
}

/** The `/status` (and `/runsync`) body at `now`. */
export function jobView(job: JobRecord, now: number): Record<string, unknown> {
  const status = jobStatus(job, now);
  const delayTime = job.startAt - job.submittedAt;
  switch (status) {
    case "IN_QUEUE":
      return { id: job.id, status };
    case "IN_PROGRESS":
      return { delayTime, id: job.id, status, workerId: job.workerId };
    case "CANCELLED":
      return { id: job.id, status };
    case "FAILED":
      return { delayTime, error: job.error, executionTime: job.executionTime, id: job.id, status, workerId: job.workerId };
    default:
      return { delayTime, executionTime: job.executionTime, id: job.id, output: job.output, status, workerId: job.workerId };
  }
}

/** The `/stream/{job}` body: what the worker has yielded so far (all of it once the job is done). */
export function streamView(job: JobRecord, now: number): Record<string, unknown> {
  const status = jobStatus(job, now);
  if (status === "COMPLETED") return { status, stream: job.stream };
  if (status === "FAILED") return { status, stream: [], error: job.error };
  if (status !== "IN_PROGRESS") return { status, stream: [] };
  const share = (now - job.startAt) / job.executionTime;
  return { status, stream: job.stream.slice(0, Math.floor(share * job.stream.length)) };
}

export interface JobCounts {
  completed: number;
  failed: number;
  inProgress: number;
  inQueue: number;
  retried: number;
}

export function jobCounts(jobs: readonly JobRecord[], now: number): JobCounts {
  const counts: JobCounts = { completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 };
  for (const job of jobs) {
    const s = jobStatus(job, now);
    if (s === "COMPLETED") counts.completed++;
    else if (s === "FAILED" || s === "TIMED_OUT") counts.failed++;
    else if (s === "IN_PROGRESS") counts.inProgress++;
    else if (s === "IN_QUEUE") counts.inQueue++;
  }
  return counts;
}
