import { send } from "./account-api";

/**
 * Typed calls for the workspace's settings: the bridge map (workers/gateway/map-routes.ts: GET/PUT
 * /api/bridge {rules}), its own provider keys (workers/byok/routes.ts: GET /api/provider-keys,
 * PUT/DELETE /api/provider-keys/:provider) and what the caller's role may do (GET /api/workspace).
 */
export interface BridgeRule {
  /** An exact model name or a glob (`claude-*`). */
  match: string;
  /** `provider/model`, in fallback order. */
  targets: string[];
}

export interface BridgeMap {
  rules: BridgeRule[];
  updatedAt: string | null;
  updatedBy: string | null;
}

export const BYOK_PROVIDERS = ["openai", "anthropic", "google", "runpod"] as const;
export type ByokProvider = (typeof BYOK_PROVIDERS)[number];

export interface ProviderKey {
  provider: ByokProvider;
  last4: string;
  baseUrl: string | null;
  updatedBy: string | null;
  updatedAt: string;
}

export interface Workspace {
  id: string;
  name: string;
  role: string;
  personal: boolean;
  permissions: Record<string, string[]>;
}

export type AutoscaleMode = "off" | "propose" | "apply";

export interface CostPolicy {
  autoscale: AutoscaleMode;
  maxWorkerUsdPerHour: number | null;
  gpuSpendCeilingUsdPerMonth: number | null;
  expectedGpuSpendUsdPerMonth: number;
  deployments: { id: string; expectedUsdPerMonth: number }[];
}

export type CostPolicyChange = Partial<Pick<CostPolicy, "autoscale" | "maxWorkerUsdPerHour" | "gpuSpendCeilingUsdPerMonth">>;

export interface LoggingSettings {
  logPrompts: boolean;
  appliesWithinSeconds: number;
}

export const settingsApi = {
  workspace: () => send<Workspace>("/api/workspace", "GET"),
  bridge: () => send<BridgeMap>("/api/bridge", "GET"),
  saveBridge: (rules: BridgeRule[]) => send<BridgeMap>("/api/bridge", "PUT", { rules }),
  providerKeys: () => send<{ providerKeys: ProviderKey[] }>("/api/provider-keys", "GET").then((r) => r.providerKeys),
  saveProviderKey: (provider: ByokProvider, apiKey: string, baseUrl?: string) =>
    send<{ provider: ByokProvider; last4: string; baseUrl: string | null }>(`/api/provider-keys/${provider}`, "PUT", baseUrl ? { apiKey, baseUrl } : { apiKey }),
  deleteProviderKey: (provider: ByokProvider) => send<null>(`/api/provider-keys/${provider}`, "DELETE"),
  costPolicy: () => send<CostPolicy>("/api/cost-policy", "GET"),
  saveCostPolicy: (change: CostPolicyChange) => send<CostPolicy>("/api/cost-policy", "PUT", change),
  logging: () => send<LoggingSettings>("/api/logging", "GET"),
  saveLogging: (logPrompts: boolean) => send<LoggingSettings>("/api/logging", "PUT", { logPrompts }),
};
