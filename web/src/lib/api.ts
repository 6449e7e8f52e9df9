import { IDE_CLIENTS, type IdeClient, type IdeConfig } from "../../../workers/ide/config";

/** Typed calls to the platform API. The only module in the PWA that knows URLs. */
export interface BrandInfo {
  id: "swaggystacks" | "scientiacapital";
  name: string;
  tagline: string;
  audience: string;
  themeColor: string;
  backgroundColor: string;
  /** An Enterprise workspace's own branding on this hostname (its logo at logoUrl). */
  whiteLabel?: { workspaceId: string; logoUrl: string | null };
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

/** The signed-in person and their workspaces (GET /api/me). */
export interface Me {
  user: { id: string; email: string; name: string };
  workspaces: { id: string; name: string; slug: string; role: string; personal: boolean }[];
  activeWorkspaceId: string | null;
}

/** The IDE clients the platform writes configuration for (the generator's own list). */
export { IDE_CLIENTS, type IdeClient };

/** A one-time setup link for the QR code (POST /api/ide/links). */
export interface SetupLink {
  url: string;
  client: IdeClient;
  scopes: string[];
  expiresAt: string;
  /** How long it lives from the moment it arrived, measured on the server's clock (a phone's may be off). */
  expiresInMs: number;
}

/** A client's configuration (GET /api/ide-config): the files, the one-line command, the notes; the
 * generator's own types, so the screen and the server cannot disagree. */
export type { IdeConfig, IdeFile } from "../../../workers/ide/config";

/** A device-pairing request as the phone sees it (GET /api/auth/device); opening it signed in claims it. */
export interface DeviceRequest {
  user_code: string;
  status: "pending" | "approved" | "denied";
  /** Only present when the request is this person's to decide. */
  client_id?: string;
  scope?: string | null;
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

type ErrorBody = { error?: string | { code?: string; message?: string }; error_description?: string } | null;

/**
 * The platform answers `{error: {code, message}}`; OAuth-style endpoints (device pairing, under /api/auth)
 * also carry RFC 6749's `error_description`, which is the more specific sentence when present.
 */
async function toApiError(res: Response, path: string): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorBody;
  const platform = typeof body?.error === "object" ? body.error : undefined;
  const code = platform?.code ?? (typeof body?.error === "string" ? body.error : undefined) ?? "http_error";
  const message = body?.error_description || platform?.message || `${path}: HTTP ${res.status}`;
  return new ApiError(res.status, code, message);
}

/** GET JSON from the platform; a non-2xx (unless listed) throws the API's own error as an ApiError. */
export async function getJson<T>(path: string, okStatuses: number[] = []): Promise<T> {
  const res = await fetch(path, { headers: { accept: "application/json" }, credentials: "same-origin" });
  if (!res.ok && !okStatuses.includes(res.status)) throw await toApiError(res, path);
  return (await res.json()) as T;
}

async function postJson<T>(path: string, body: unknown): Promise<{ data: T; res: Response }> {
  const res = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await toApiError(res, path);
  return { data: (await res.json()) as T, res };
}

/** Milliseconds from the server's `Date` header to `iso`; the local clock when the header is missing. */
function msUntil(iso: string, res: Response): number {
  const serverNow = Date.parse(res.headers.get("date") ?? "");
  return Date.parse(iso) - (Number.isNaN(serverNow) ? Date.now() : serverNow);
}

export const api = {
  brand: () => getJson<BrandInfo>("/api/brand"),
  health: () => getJson<HealthInfo>("/api/health", [503]),
  estimate: (q: EstimateQuery) => {
    const params = new URLSearchParams({ model: q.model });
    for (const k of ["workersMin", "workersMax", "engine"] as const) if (q[k] !== undefined) params.set(k, String(q[k]));
    return getJson<DeployEstimate>(`/api/deployments/estimate?${params}`);
  },

  /** Who is signed in; null when nobody is (204 for `optional=1`, so a signed-out visit logs no error; 401 from older servers). */
  me: async (): Promise<Me | null> => {
    try {
      const res = await fetch("/api/me?optional=1", { headers: { accept: "application/json" }, credentials: "same-origin" });
      if (res.status === 204) return null;
      if (!res.ok) throw await toApiError(res, "/api/me");
      return (await res.json()) as Me;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  },
  /** Email and password; sets the session cookie. */
  signIn: async (email: string, password: string): Promise<void> => {
    await postJson("/api/auth/sign-in/email", { email, password });
  },

  createSetupLink: async (client: IdeClient, scopes?: string[]): Promise<SetupLink> => {
    const { data, res } = await postJson<Omit<SetupLink, "expiresInMs">>("/api/ide/links", scopes ? { client, scopes } : { client });
    return { ...data, expiresInMs: msUntil(data.expiresAt, res) };
  },
  ideConfig: (client: IdeClient) => getJson<IdeConfig>(`/api/ide-config?${new URLSearchParams({ client })}`),

  deviceInfo: (userCode: string) => getJson<DeviceRequest>(`/api/auth/device?${new URLSearchParams({ user_code: userCode })}`),
  approveDevice: async (userCode: string): Promise<void> => {
    await postJson("/api/auth/device/approve", { userCode });
  },
  denyDevice: async (userCode: string): Promise<void> => {
    await postJson("/api/auth/device/deny", { userCode });
  },
};
