import { ApiError } from "./api";

/**
 * Typed calls for the workspace's deployments (workers/deploy/routes.ts, views in workers/deploy/view.ts):
 * GET /api/deployments (the list), GET /api/deployments/:id (one, with its steps and cost so far), the
 * live stream GET /api/deployments/:id/events (server-sent `deployment` events until ready, failed or
 * deleted, then `end`), PATCH /api/deployments/:id {scaling} and DELETE /api/deployments/:id (both 202:
 * the deployment's Durable Object does the work, and the stream or a poll shows it happen).
 */
export type DeploymentState = "planned" | "creating" | "initializing" | "ready" | "failed" | "deleting" | "deleted";

export interface DeploymentPrice {
  inputPerMillionUsd: number;
  outputPerMillionUsd: number;
  workerPerHourUsd: number;
}

export interface Scaling {
  workersMin: number;
  workersMax: number;
  idleTimeoutSeconds: number;
  scaler: "QUEUE_DELAY" | "REQUEST_COUNT";
  scalerValue: number;
  flashboot: boolean;
}

/** A row of GET /api/deployments (from the D1 mirror: no steps, no plan). */
export interface DeploymentListItem {
  id: string;
  name: string;
  model: string;
  engine: string;
  state: DeploymentState;
  error: string | null;
  endpointId: string | null;
  gpu: { pool: string; count: number };
  scaling: { workersMin: number; workersMax: number };
  bridge: { model: string; openaiBaseUrl: string };
  price: DeploymentPrice;
  createdAt: string;
  updatedAt: string;
  readyAt: string | null;
}

export interface DeploymentStep {
  state: DeploymentState;
  at: string;
  note: string;
}

/** GET /api/deployments/:id, and each event of its stream. */
export interface Deployment {
  id: string;
  name: string;
  model: string;
  engine: string;
  kind: "chat" | "embedding";
  state: DeploymentState;
  error: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  readyAt: string | null;
  deletedAt: string | null;
  endpointId: string | null;
  bridge: { model: string; openaiBaseUrl: string; anthropicBaseUrl: string };
  endpointOpenaiUrl: string | null;
  gpu: { pool: string; label: string; count: number; memoryGb: number; usdPerSecond: number };
  scaling: Scaling;
  pendingScaling: Scaling | null;
  /** Predictive scaling and GPU pool fallback settings (PATCH {settings}); absent from older platforms. */
  autoscale?: AutoscaleSettings;
  pendingPool?: { gpu: { pool: string }; reason: string } | null;
  vram: { totalGb: number; maxModelLen: number; concurrency: number };
  price: DeploymentPrice;
  cost: { soFarUsd: number; alwaysOnUsd: number; callsUsd: number; note: string };
  steps: DeploymentStep[];
}

export interface AutoscaleSettings {
  autoscale: "off" | "propose" | "apply";
  costCeilingUsdPerMonth: number | null;
  /** Acceptable GPU pools in price order, the first preferred (the default list when `poolsDefault`). */
  pools: string[];
  poolsDefault: boolean;
  maxWorkerUsdPerHour: number | null;
}

export type ScalingChange = Partial<Pick<Scaling, "workersMin" | "workersMax" | "idleTimeoutSeconds">>;

/** States a deployment passes through on its own: the screen keeps watching while it is in one. */
export const MOVING: readonly DeploymentState[] = ["planned", "creating", "initializing", "deleting"];
/** The steps a deployment takes to come up, in order (the progress list shows the ones not reached yet). */
export const BRING_UP: readonly DeploymentState[] = ["planned", "creating", "initializing", "ready"];

type ErrorBody = { error?: { code?: string; message?: string; details?: { path?: string; message?: string }[] } } | null;

/** The API's sentence, with each field problem of a 400 after it ("Invalid scaling change: workersMax: …"). */
async function toApiError(res: Response, path: string): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorBody;
  const details = Array.isArray(body?.error?.details) ? body.error.details.map((d) => [d.path, d.message].filter(Boolean).join(": ")).filter(Boolean) : [];
  const message = body?.error?.message ?? `${path}: HTTP ${res.status}`;
  return new ApiError(res.status, body?.error?.code ?? "http_error", details.length ? `${message}: ${details.join("; ")}` : message);
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    credentials: "same-origin",
    ...init,
    headers: { accept: "application/json", ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
  });
  if (!res.ok) throw await toApiError(res, path);
  return (await res.json()) as T;
}

const one = (id: string) => `/api/deployments/${encodeURIComponent(id)}`;

export const deploymentsApi = {
  list: () => call<{ deployments: DeploymentListItem[] }>("/api/deployments").then((r) => r.deployments),
  get: (id: string) => call<Deployment>(one(id)),
  scale: (id: string, scaling: ScalingChange) => call<Deployment>(one(id), { method: "PATCH", body: JSON.stringify({ scaling }) }),
  remove: (id: string) => call<Deployment>(one(id), { method: "DELETE" }),
  eventsUrl: (id: string) => `${one(id)}/events`,
};

export interface Watcher {
  stop(): void;
}

/**
 * Follows a deployment while it moves: the server-sent stream first (one `deployment` event per change),
 * then a poll of GET when the stream is unavailable (no EventSource, a proxy that buffers, an error) or
 * ends while the deployment is still moving. `onUpdate` gets every new view; `onError` a failed poll
 * (the watch keeps trying after a network blip or a 5xx, and stops on a 4xx; the last good view stays on screen). Stops by itself when nothing moves.
 */
export function watchDeployment(id: string, onUpdate: (d: Deployment) => void, onError: (err: unknown) => void, pollMs = 1500): Watcher {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let source: EventSource | undefined;
  let last: Deployment | null = null;

  const moving = (d: Deployment | null) => d === null || MOVING.includes(d.state) || d.pendingScaling !== null;

  const poll = async () => {
    if (stopped) return;
    try {
      const d = await deploymentsApi.get(id);
      if (stopped) return;
      last = d;
      onUpdate(d);
      if (!moving(d)) return;
    } catch (err) {
      if (stopped) return;
      onError(err);
      // Gone, or no longer ours to see: asking again will not change that.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) return;
    }
    timer = setTimeout(() => void poll(), pollMs);
  };

  const stream = () => {
    if (typeof EventSource === "undefined") return void poll();
    source = new EventSource(deploymentsApi.eventsUrl(id), { withCredentials: true });
    let ended = false;
    source.addEventListener("deployment", (e) => {
      try {
        last = JSON.parse((e as MessageEvent<string>).data) as Deployment;
        onUpdate(last);
      } catch {
        // a malformed event: the poll after the stream ends reads the truth
      }
    });
    const finish = () => {
      if (ended) return;
      ended = true;
      source?.close();
      source = undefined;
      // The stream's views leave out what the calls cost; one GET fills it in and carries on if still moving.
      void poll();
    };
    source.addEventListener("end", finish);
    // Both the server's `event: error` and a failed connection land here; EventSource would retry on its
    // own, the poll is steadier.
    source.addEventListener("error", finish);
  };

  stream();
  return {
    stop() {
      stopped = true;
      source?.close();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

export { formatUsd } from "./usage-api";

/** 12 May, 14:03 (the phone's own zone: these are moments, not billing dates). */
export const formatWhen = (iso: string) => new Date(iso).toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

export const STATE_LABEL: Record<DeploymentState, string> = {
  planned: "Planned",
  creating: "Creating",
  initializing: "Starting",
  ready: "Ready",
  failed: "Failed",
  deleting: "Deleting",
  deleted: "Deleted",
};

/** The OpenAI SDK call for a deployment through the bridge, as a developer pastes it. */
export function openaiSnippet(d: Pick<Deployment, "bridge"> & { kind?: Deployment["kind"] }): string {
  const head = `import OpenAI from "openai";\n\nconst client = new OpenAI({\n  baseURL: "${d.bridge.openaiBaseUrl}",\n  apiKey: process.env.PLATFORM_API_KEY, // a key from /keys\n});\n\n`;
  if (d.kind === "embedding") return `${head}const res = await client.embeddings.create({\n  model: "${d.bridge.model}",\n  input: "Hello",\n});\nconsole.log(res.data[0].embedding.length);\n`;
  return `${head}const res = await client.chat.completions.create({\n  model: "${d.bridge.model}",\n  messages: [{ role: "user", content: "Hello" }],\n});\nconsole.log(res.choices[0].message.content);\n`;
}
