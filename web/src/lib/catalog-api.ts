import type { ModelSummary } from "../../../workers/catalog/summary";
import { ApiError, type DeployEstimate } from "./api";
import { apiModelPath, deployBody, estimateQueryString, searchQueryString, type DeployChoice, type DiscoverFilters } from "./discover-query";

/**
 * Typed calls for model discovery (workers/catalog/routes.ts: search, categories, verticals, popular,
 * detail), favorites (workers/catalog/collections/routes.ts) and the deploy form (workers/deploy/routes.ts:
 * the live estimate and POST /api/deployments). The model summary is the
 * server's own type; the other shapes are written out here because their server modules reach Worker
 * bindings the PWA's type check does not load.
 */
export type { ModelSummary };

export type FacetName = "task" | "library" | "license" | "size" | "gated" | "deployable" | "category";
export type FacetCounts = Record<FacetName, { value: string; count: number }[]>;

export interface SearchResult {
  models: ModelSummary[];
  nextCursor: string | null;
  facets?: FacetCounts;
  facetsApproximate?: boolean;
}

export interface CategoryInfo {
  id: string;
  label: string;
  count: number;
}

export interface Vertical {
  id: string;
  title: string;
  summary: string;
  useCases: { id: string; title: string; why: string; model: string; systemPrompt: string }[];
  models: { model: string; why: string }[];
}

export interface PopularModel extends Partial<ModelSummary> {
  id: string;
  platform: { requests7d: number; deployments7d: number };
}

export interface Popular {
  brand: string;
  label: string;
  models: PopularModel[];
}

type Estimate = DeployEstimate["estimate"];

/** The planner's verdict on a model: its plan and price, or why it cannot be deployed. */
export type Deployability =
  | {
      deployable: true;
      engine: "vllm" | "sglang";
      kind: "chat" | "embedding";
      gpu: DeployEstimate["plan"]["gpu"] & { usdPerSecond?: number };
      vram: DeployEstimate["plan"]["vram"];
      needsHfToken: boolean;
      scaling: DeployEstimate["plan"]["scaling"];
      warnings: string[];
      estimate: Estimate;
    }
  | { deployable: false; code: string; reason: string };

export interface ModelDetail extends ModelSummary {
  fetchedOnDemand: boolean;
  platform: { requests7d: number; deployments7d: number };
  deploy: Deployability;
  replaces: Estimate["comparison"];
  links: { hub: string; deploy: string; estimate: string };
}

export interface Favorite {
  modelId: string;
  note: string | null;
  createdAt: string;
}

/** The estimate endpoint's answer: the plan (with the fields the form reads) and its price. */
export interface LiveEstimate extends DeployEstimate {
  /** The estimate endpoint adds why the planner chose this (the detail's verdict leaves it out). */
  plan: DeployEstimate["plan"] & { needsHfToken?: boolean; reasons?: string[] };
}

/** What POST /api/deployments answers (the fields this screen reads). */
export interface CreatedDeployment {
  id: string;
  name: string;
  model: string;
  state: string;
}

/** The API's sentence, with the parameter problems of a 400 ("sort: one of trending, …") added. */
async function toApiError(res: Response, path: string): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: unknown } } | null;
  let message = body?.error?.message ?? `${path}: HTTP ${res.status}`;
  const details = body?.error?.details;
  if (Array.isArray(details) && details.length) {
    const parts = details.map((d: { param?: string; path?: string; message?: string }) => [d.param ?? d.path, d.message].filter(Boolean).join(": ")).filter(Boolean);
    if (parts.length) message = `${message}: ${parts.join("; ")}`;
  }
  return new ApiError(res.status, body?.error?.code ?? "http_error", message);
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, {
    credentials: "same-origin",
    ...init,
    headers: { accept: "application/json", ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...(init.headers as Record<string, string> | undefined) },
  });
  if (!res.ok) throw await toApiError(res, path);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export const catalogApi = {
  search: (f: DiscoverFilters, cursor?: string | null, signal?: AbortSignal) => call<SearchResult>(`/api/models?${searchQueryString(f, cursor)}`, signal ? { signal } : {}),
  /** The catalog-wide facet counts (a browse with no filter): which tasks and licenses to offer as chips. */
  facets: () => call<SearchResult>("/api/models?facets=true&limit=1").then((r) => r.facets ?? null),
  categories: () => call<{ categories: CategoryInfo[] }>("/api/models/categories").then((r) => r.categories),
  verticals: () => call<{ brand: string; verticals: Vertical[] }>("/api/models/verticals"),
  popular: (limit = 10) => call<Popular>(`/api/models/popular?limit=${limit}`),
  detail: (id: string, signal?: AbortSignal) => call<ModelDetail>(apiModelPath("/api/models", id), signal ? { signal } : {}),

  favorites: () => call<{ favorites: Favorite[] }>("/api/favorites").then((r) => r.favorites),
  addFavorite: (id: string) => call<Favorite>(apiModelPath("/api/favorites", id), { method: "PUT" }),
  removeFavorite: (id: string) => call<void>(apiModelPath("/api/favorites", id), { method: "DELETE" }),

  estimate: (model: string, choice: DeployChoice, signal?: AbortSignal) => call<LiveEstimate>(`/api/deployments/estimate?${estimateQueryString(model, choice)}`, signal ? { signal } : {}),
  /** The same key for retries of one tap, so a lost answer never makes a second deployment. */
  deploy: (model: string, choice: DeployChoice, idempotencyKey: string) =>
    call<CreatedDeployment>("/api/deployments", { method: "POST", body: JSON.stringify(deployBody(model, choice)), headers: { "idempotency-key": idempotencyKey } }),
};

/** The detail's plan and price in the estimate card's shape, so the first paint needs no second request. */
export function estimateOfDetail(d: ModelDetail): LiveEstimate | null {
  if (!d.deploy.deployable) return null;
  const { engine, kind, gpu, vram, scaling, warnings, needsHfToken, estimate } = d.deploy;
  return { model: d.id, plan: { engine, kind, gpu, vram, scaling, warnings, needsHfToken }, estimate };
}
