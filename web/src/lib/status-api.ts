import type { WorkerHealth } from "../../../workers/deploy/runpod-client";
import type { ComponentStatus, CurrentStatus, ErrorBudget, Incident } from "../../../workers/status/derive";
import { getJson } from "./api";

/**
 * Typed calls for the status page (workers/status/routes.ts): GET /api/status (public, recorded health)
 * and GET /api/status/deployments (the signed-in workspace's deployments and their RunPod workers).
 */
export type { CurrentStatus, HealthStatus } from "../../../workers/status/derive";

/** A component as /api/status sends it: the derived status with the brand's name for it. */
export type StatusComponent = ComponentStatus & { name: string };

/** An incident with its components' names as well as their ids. */
export type StatusIncident = Incident & { componentNames: string[] };

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
