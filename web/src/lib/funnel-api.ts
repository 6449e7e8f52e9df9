import type { Assignment, VariantConfig } from "../../../workers/funnel/experiments";
import type { FunnelReport } from "../../../workers/funnel/stats";
import { ApiError } from "./api";

/**
 * The PWA's side of the dual-domain funnel: the one visit call on load (which also says which experiment
 * arms this visitor is in and what they mean here), and the operators' report (GET /api/admin/funnel).
 * The anonymous id lives in an HttpOnly cookie the server sets; this code never sees it.
 */
export type { Difference, FunnelReport, GroupFunnel, Proportion, StepComparison, StepId, StepStats } from "../../../workers/funnel/stats";
export type { Assignment, VariantConfig } from "../../../workers/funnel/experiments";

export interface VisitResult {
  /** False when the browser asked not to be tracked (DNT / GPC) or the call failed: the control arm. */
  recorded: boolean;
  firstVisit?: boolean;
  variants: Assignment;
  /** What the arms mean on this brand: headline (null = the brand's tagline), pre-selected model, plan order. */
  config: VariantConfig | null;
}

/** The operators' report: the existing counts plus the brand funnel of the window. */
export interface AdminFunnel extends FunnelReport {
  users: number;
  usersWithKey: number;
  usersWithBridgeCall: number;
  workspaces: number;
  workspacesPerPlan: Record<string, number>;
  window: { from: string; to: string };
  unattributedUsers: number;
}

let visit: Promise<VisitResult> | null = null;

/**
 * Records this visit once per page load and resolves to the visitor's arms. Never rejects: analytics must
 * not break the app, so a failure resolves to "not recorded" with no config (screens keep their defaults).
 * Later calls (a screen that wants the arms) share the first call's answer.
 */
export function recordVisit(path: string = location.pathname): Promise<VisitResult> {
  visit ??= fetch("/api/funnel/visit", {
    method: "POST",
    credentials: "same-origin",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({ path }),
  })
    .then(async (res) => (res.ok ? ((await res.json()) as VisitResult) : { recorded: false, variants: {}, config: null }))
    .catch(() => ({ recorded: false, variants: {}, config: null }));
  return visit;
}

/** The arms of this visitor (records the visit if nothing has yet). */
export const visitorVariants = (): Promise<VisitResult> => recordVisit();

export async function fetchAdminFunnel(window: { from?: string; to?: string } = {}): Promise<AdminFunnel> {
  const params = new URLSearchParams();
  if (window.from) params.set("from", window.from);
  if (window.to) params.set("to", window.to);
  const path = `/api/admin/funnel${params.size ? `?${params}` : ""}`;
  const res = await fetch(path, { headers: { accept: "application/json" }, credentials: "same-origin" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? "http_error", body?.error?.message ?? `${path}: HTTP ${res.status}`);
  }
  return (await res.json()) as AdminFunnel;
}
