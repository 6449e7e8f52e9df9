import type { DeployEstimate, Me } from "../../web/src/lib/api";
import type { Deployment, DeploymentListItem } from "../../web/src/lib/deployments-api";
import type { ApiKey } from "../../web/src/lib/keys-api";
import type { Usage } from "../../web/src/lib/usage-api";
import { apiError, json, text, type Route } from "./fetch-stub";

/**
 * Platform answers the screens share, typed with the PWA's own interfaces so a change of shape on either
 * side fails the type check instead of passing quietly. Each test overrides only what its state needs.
 */

/** What every screen says when there was no answer at all (the lib's OFFLINE / UNREACHABLE sentence). */
export const UNREACHABLE = "Could not reach the platform; check your connection.";

export const ME: Me = {
  user: { id: "user-ada", email: "ada@example.com", name: "Ada Lovelace" },
  workspaces: [{ id: "ws-ada", name: "Ada's workspace", slug: "ada", role: "owner", personal: true }],
  activeWorkspaceId: "ws-ada",
};

/** The same person as a viewer of a shared workspace (read-only everywhere). */
export const VIEWER: Me = {
  user: { id: "user-bob", email: "bob@example.com", name: "Bob" },
  workspaces: [{ id: "ws-acme", name: "Acme", slug: "acme", role: "viewer", personal: false }],
  activeWorkspaceId: "ws-acme",
};

export const signedIn = (me: Me = ME): Record<string, Route> => ({ "GET /api/me": json(me) });
/** GET /api/me?optional=1 answers 204 to nobody: the session hook reads that as signed out, not as an error. */
export const signedOut: Record<string, Route> = { "GET /api/me": text("", 204) };
/** What a server without `optional` answers (401): read as signed out too. */
export const signedOutLegacy: Record<string, Route> = { "GET /api/me": apiError(401, "unauthorized", "Sign in first.") };

/** The month so far with nothing used: a fresh Free workspace. */
export function usage(over: Partial<Usage> = {}): Usage {
  const start = new Date();
  start.setUTCDate(1);
  start.setUTCHours(0, 0, 0, 0);
  const end = new Date(start);
  end.setUTCMonth(end.getUTCMonth() + 1);
  return {
    period: { start: start.toISOString(), end: end.toISOString() },
    plan: "free",
    budgetTokens: 10_000,
    usedTokens: 0,
    reservedTokens: 0,
    remainingTokens: 10_000,
    costUsd: 0,
    savingsUsd: 0,
    byDay: [],
    byModel: [],
    byKey: [],
    ...over,
  };
}

export function apiKey(over: Partial<ApiKey> = {}): ApiKey {
  return {
    id: "key-1",
    name: "laptop",
    prefix: "sk-abc123",
    scopes: ["bridge"],
    createdBy: ME.user.id,
    createdAt: "2026-05-01T10:00:00.000Z",
    lastUsedAt: null,
    expiresAt: null,
    revokedAt: null,
    rpm: null,
    tpm: null,
    monthlyTokens: null,
    allowedModels: null,
    ...over,
  };
}

const price = { inputPerMillionUsd: 0.05, outputPerMillionUsd: 0.2, workerPerHourUsd: 1.19 };

export function deploymentItem(over: Partial<DeploymentListItem> = {}): DeploymentListItem {
  return {
    id: "dep-1",
    name: "qwen-7b",
    model: "Qwen/Qwen2.5-7B-Instruct",
    engine: "vllm",
    state: "ready",
    error: null,
    endpointId: "ep-1",
    gpu: { pool: "ADA_24", count: 1 },
    scaling: { workersMin: 0, workersMax: 2 },
    bridge: { model: "runpod/ep-1/Qwen/Qwen2.5-7B-Instruct", openaiBaseUrl: "http://localhost:3000/v1" },
    price,
    createdAt: "2026-05-02T09:00:00.000Z",
    updatedAt: "2026-05-02T09:05:00.000Z",
    readyAt: "2026-05-02T09:05:00.000Z",
    ...over,
  };
}

export function deployment(over: Partial<Deployment> = {}): Deployment {
  const scaling = { workersMin: 0, workersMax: 2, idleTimeoutSeconds: 5, scaler: "QUEUE_DELAY" as const, scalerValue: 4, flashboot: true };
  return {
    id: "dep-1",
    name: "qwen-7b",
    model: "Qwen/Qwen2.5-7B-Instruct",
    engine: "vllm",
    kind: "chat",
    state: "ready",
    error: null,
    lastError: null,
    createdAt: "2026-05-02T09:00:00.000Z",
    updatedAt: "2026-05-02T09:05:00.000Z",
    readyAt: "2026-05-02T09:05:00.000Z",
    deletedAt: null,
    endpointId: "ep-1",
    bridge: { model: "runpod/ep-1/Qwen/Qwen2.5-7B-Instruct", openaiBaseUrl: "http://localhost:3000/v1", anthropicBaseUrl: "http://localhost:3000" },
    endpointOpenaiUrl: null,
    gpu: { pool: "ADA_24", label: "L4", count: 1, memoryGb: 24, usdPerSecond: 0.00033 },
    scaling,
    pendingScaling: null,
    vram: { totalGb: 24, maxModelLen: 32_768, concurrency: 8 },
    price,
    cost: { soFarUsd: 0.42, alwaysOnUsd: 0, callsUsd: 0.42, note: "calls at cost plus markup" },
    steps: [
      { state: "planned", at: "2026-05-02T09:00:00.000Z", note: "planned" },
      { state: "ready", at: "2026-05-02T09:05:00.000Z", note: "ready" },
    ],
    ...over,
  };
}

export function estimate(model = "Qwen/Qwen2.5-7B-Instruct"): DeployEstimate {
  return {
    model,
    plan: {
      engine: "vllm",
      kind: "chat",
      gpu: { pool: "ADA_24", label: "L4", count: 1, memoryGb: 24 },
      vram: { totalGb: 17.2, maxModelLen: 32_768, concurrency: 8 },
      scaling: { workersMin: 0, workersMax: 2, idleTimeoutSeconds: 5 },
      warnings: [],
    },
    estimate: {
      perWorker: { usdPerSecond: 0.00033, usdPerHour: 1.19 },
      monthly: { minUsd: 0, maxUsd: 1737, note: "from 0 to 2 workers around the clock" },
      perMillionTokens: { usd: 0.0413, outputTokensPerSecond: 8000, note: "at full load" },
      comparison: [{ model: "openai/gpt-4o-mini", usdPerMillion: 0.6, savingPercent: 93 }],
    },
  };
}
