import type { BatchLineError } from "./jsonl";

/**
 * A batch's stored record and its OpenAI shape (pure). Statuses as OpenAI's: validating -> in_progress ->
 * finalizing -> completed; failed (the input file was refused); cancelling -> cancelled; expired.
 */
export type BatchStatus = "validating" | "failed" | "in_progress" | "finalizing" | "completed" | "expired" | "cancelling" | "cancelled";

export const TERMINAL_BATCH: readonly BatchStatus[] = ["failed", "completed", "expired", "cancelled"];
export const isTerminalBatch = (s: BatchStatus) => TERMINAL_BATCH.includes(s);

export interface BatchRecord {
  id: string;
  workspaceId: string;
  keyId: string | null;
  /** The key has its own monthly token cap (its BudgetObject counts the batch's tokens too). */
  keyBudget?: boolean;
  /** That cap, for reserving each item against it as the bridge reserves a call. */
  keyMonthlyTokens?: number;
  /** False for the open-access local workspace, which has no ledger. */
  chargeable: boolean;
  /** Where RunPod's webhooks reach this platform (the origin the batch was created on). */
  origin: string;
  endpoint: string;
  completionWindow: string;
  inputFileId: string;
  metadata: Record<string, string> | null;
  status: BatchStatus;
  /** What the status is headed to once finalizing is done (completed, cancelled or expired). */
  finalStatus?: "completed" | "cancelled" | "expired";
  discountPercent: number;
  maxAttempts: number;
  total: number;
  errors: BatchLineError[] | null;
  outputFileId: string | null;
  errorFileId: string | null;
  createdAt: number;
  expiresAt: number;
  inProgressAt?: number;
  finalizingAt?: number;
  completedAt?: number;
  failedAt?: number;
  expiredAt?: number;
  cancellingAt?: number;
  cancelledAt?: number;
}

export interface RequestCounts {
  total: number;
  completed: number;
  failed: number;
}

const sec = (ms: number | undefined) => (ms === undefined ? null : Math.floor(ms / 1000));

/** OpenAI's Batch object. */
export function batchView(r: BatchRecord, counts: RequestCounts) {
  return {
    id: r.id,
    object: "batch" as const,
    endpoint: r.endpoint,
    errors: r.errors ? { object: "list" as const, data: r.errors } : null,
    input_file_id: r.inputFileId,
    completion_window: r.completionWindow,
    status: r.status,
    output_file_id: r.outputFileId,
    error_file_id: r.errorFileId,
    created_at: sec(r.createdAt)!,
    in_progress_at: sec(r.inProgressAt),
    expires_at: sec(r.expiresAt),
    finalizing_at: sec(r.finalizingAt),
    completed_at: sec(r.completedAt),
    failed_at: sec(r.failedAt),
    expired_at: sec(r.expiredAt),
    cancelling_at: sec(r.cancellingAt),
    cancelled_at: sec(r.cancelledAt),
    request_counts: counts,
    metadata: r.metadata,
  };
}

export type BatchView = ReturnType<typeof batchView>;

export function newBatchId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `batch_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export const BATCH_ID_RE = /^batch_[0-9a-f]{24}$/;

/** Output and error file ids are derived from the batch id, so finalizing twice writes the same files. */
export const outputFileIdOf = (batchId: string) => `file-${batchId.slice("batch_".length)}out`;
export const errorFileIdOf = (batchId: string) => `file-${batchId.slice("batch_".length)}err`;

/** The webhook's per-item token: `<batch id>.<item index>.<secret>`; only the secret's SHA-256 is stored. */
export function parseWebhookToken(raw: string | undefined): { batchId: string; index: number; secret: string } | undefined {
  const m = /^(batch_[0-9a-f]{24})\.(\d{1,6})\.([A-Za-z0-9_-]{32,128})$/.exec(raw ?? "");
  if (!m) return undefined;
  return { batchId: m[1]!, index: Number(m[2]), secret: m[3]! };
}

export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
