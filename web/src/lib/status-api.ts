import type { WorkerHealth } from "../../../workers/deploy/runpod-client";
import type { ErrorBudget } from "../../../workers/status/derive";
import { getJson } from "./api";

/**
 * Typed calls for the status page (workers/status/routes.ts): GET /api/status (public, recorded health)
 * and GET /api/status/deployments (the signed-in workspace's deployments and their RunPod workers).
 */
export type HealthStatus = "up" | "degraded" | "down";
export type CurrentStatus = HealthStatus | "unknown";

export interface StatusComponent {
  id: string;
  name: string;
  status: CurrentStatus;
  checkedAt: string | null;
  uptime: { h24: number | null; d7: number | null; d30: number | null; d90: number | null };
  days: { day: string; uptime: number | null; worst: HealthStatus | null }[];
}

export interface StatusIncident {
  id: string;
  start: string;
  end: string | null;
  ongoing: boolean;
  worst: HealthStatus;
  components: string[];
  componentNames: string[];
  durationMinutes: number;
}

export interface PlatformStatus {
  name: string;
  brand: string;
  generatedAt: string;
  overall: { status: CurrentStatus; text: string };
  target: { availabilityPercent: number; sampleIntervalMinutes: number };
  budget: ErrorBudget;
  components: StatusComponent[];
  incidents: StatusIncident[];
}

/** A deployment's RunPod worker counts, as the server reads them from `/health`. */
export type WorkerCounts = WorkerHealth;

export interface DeploymentStatus {
  id: string;
  name: string;
  model: string;
  state: string;
  status: CurrentStatus;
  warm: boolean | null;
  workers: WorkerCounts | null;
}

export interface DeploymentsStatus {
  deployments: DeploymentStatus[];
  totals: WorkerCounts;
}

export const statusApi = {
  get: () => getJson<PlatformStatus>("/api/status"),
  deployments: () => getJson<DeploymentsStatus>("/api/status/deployments"),
};

export const STATUS_LABEL: Record<CurrentStatus, string> = { up: "Operational", degraded: "Degraded", down: "Down", unknown: "Not measured yet" };
/** A glyph next to the word, so status is never colour alone. */
export const STATUS_GLYPH: Record<CurrentStatus, string> = { up: "✓", degraded: "!", down: "✕", unknown: "?" };

/** 99.95 → "99.95%"; null → "no data". */
export const formatUptime = (p: number | null) => (p === null ? "no data" : `${Math.round(p * 1000) / 1000}%`);
/** "Nov 20, 14:05 UTC" */
export const formatWhen = (iso: string) =>
  `${new Date(iso).toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" })} UTC`;
export const formatMinutes = (m: number) => (Math.abs(m) >= 120 ? `${Math.round((m / 60) * 10) / 10} h` : `${Math.round(m * 10) / 10} min`);
