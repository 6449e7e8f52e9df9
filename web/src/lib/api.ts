/** Typed calls to the platform API. The only module in the PWA that knows URLs. */
export interface BrandInfo {
  id: "swaggystacks" | "scientiacapital";
  name: string;
  tagline: string;
  audience: string;
  themeColor: string;
  backgroundColor: string;
}

export interface HealthInfo {
  status: "ok" | "degraded";
  version: string;
  sandbox: boolean;
  upstreams: Record<string, { mode: "real" | "sandbox" | "unconfigured"; url: string }>;
}

/** What a deployment would cost, before anyone taps deploy (GET /api/deployments/estimate). */
export interface DeployEstimate {
  model: string;
  plan: {
    engine: "vllm" | "sglang";
    kind: "chat" | "embedding";
    gpu: { pool: string; label: string; count: number; memoryGb: number };
    vram: { totalGb: number; maxModelLen: number; concurrency: number };
    scaling: { workersMin: number; workersMax: number; idleTimeoutSeconds: number };
    warnings: string[];
  };
  estimate: {
    perWorker: { usdPerSecond: number; usdPerHour: number };
    monthly: { minUsd: number; maxUsd: number; note: string };
    perMillionTokens: { usd: number; outputTokensPerSecond: number; note: string };
    comparison: { model: string; usdPerMillion: number; savingPercent: number }[];
  };
}

export interface EstimateQuery {
  model: string;
  workersMin?: number;
  workersMax?: number;
  engine?: "vllm" | "sglang";
}

/** An API refusal, with the platform's code (e.g. `not_text_model`) and its sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string, okStatuses: number[] = []): Promise<T> {
  const res = await fetch(path, { headers: { accept: "application/json" } });
  if (!res.ok && !okStatuses.includes(res.status)) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? "http_error", body?.error?.message ?? `${path}: HTTP ${res.status}`);
  }
  return (await res.json()) as T;
}

export const api = {
  brand: () => getJson<BrandInfo>("/api/brand"),
  health: () => getJson<HealthInfo>("/api/health", [503]),
  estimate: (q: EstimateQuery) => {
    const params = new URLSearchParams({ model: q.model });
    for (const k of ["workersMin", "workersMax", "engine"] as const) if (q[k] !== undefined) params.set(k, String(q[k]));
    return getJson<DeployEstimate>(`/api/deployments/estimate?${params}`);
  },
};
