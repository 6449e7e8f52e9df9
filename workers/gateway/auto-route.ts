import { categorize } from "../catalog/categories";
import { WESTERN_PRICES, type Price } from "../catalog/prices";
import type { ProviderName, TargetRef } from "./resolve";

/**
 * Intelligent routing (pure): a caller asks for a capability instead of a model (`auto`, `auto:code`,
 * `auto:reasoning`, `auto:cheap`, `auto:fast`, with an optional quality floor and price ceiling) and gets
 * the cheapest healthy target that meets it among what the workspace may call (`auto:fast`: the lowest
 * observed latency). The same candidates, health and stats always give the same choice, so decisions can
 * be pinned by a table of cases; the runners-up become the route's fallbacks.
 */
export type AutoClass = "auto" | "code" | "reasoning" | "cheap" | "fast";
export type Capability = "chat" | "code" | "reasoning";

export interface AutoRequest {
  cls: AutoClass;
  /** 1 (anything) … 5 (frontier); the x-route-min-quality header. */
  minQuality: number;
  /** Blended USD per million tokens (3 input : 1 output); the x-route-max-price header. */
  maxPriceUsd: number | undefined;
}

export interface Candidate {
  /** What the caller would name: `openai/gpt-4o-mini`, `runpod/<deployment>`. */
  ref: string;
  target: TargetRef;
  caps: ReadonlySet<Capability>;
  quality: number;
  price: Price;
}

export interface TargetHealth {
  /** The circuit breaker is open: skipped unless nothing else meets the request. */
  open: boolean;
  /** Exponentially weighted time to first byte, when observed. */
  latencyMs: number | undefined;
}

export interface AutoChoice {
  targets: TargetRef[];
  chosen: Candidate;
  reason: string;
  /** The Western model this class of call is measured against (the one baseline rule for `auto`). */
  baseline: string;
}

export class AutoRouteError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404,
  ) {
    super(message);
    this.name = "AutoRouteError";
  }
}

const CLASSES: Record<string, AutoClass> = { auto: "auto", "auto:code": "code", "auto:reasoning": "reasoning", "auto:cheap": "cheap", "auto:fast": "fast" };
const NEEDS: Record<AutoClass, Capability> = { auto: "chat", cheap: "chat", fast: "chat", code: "code", reasoning: "reasoning" };

/**
 * What each class of `auto` call is measured against for x-savings-usd: the Western model a team would
 * otherwise have sent that traffic to.
 */
export const AUTO_BASELINES: Record<AutoClass, string> = {
  auto: "openai/gpt-4o",
  code: "anthropic/claude-sonnet-4-5",
  reasoning: "openai/o3",
  cheap: "openai/gpt-4o-mini",
  fast: "openai/gpt-4o-mini",
};

/** When nothing has been observed yet, `auto:fast` assumes this; real samples replace it within a few calls. */
export const UNOBSERVED_LATENCY_MS = 1_000;
/** How many targets the route carries: the choice and its fallbacks. */
export const AUTO_FALLBACKS = 3;

/** The names `/v1/models` lists for capability routing. */
export const AUTO_MODEL_NAMES = Object.keys(CLASSES);

export const isAutoModel = (model: string): boolean => model === "auto" || model.startsWith("auto:");

/** Parses the name and the constraint headers; undefined when the name is not an `auto` name. */
export function parseAuto(model: string, headers: { get(name: string): string | null }): AutoRequest | undefined {
  if (!isAutoModel(model)) return undefined;
  const cls = CLASSES[model];
  if (!cls) throw new AutoRouteError(`Unknown routing class '${model}': use auto, auto:code, auto:reasoning, auto:cheap or auto:fast`, 400);
  const q = headers.get("x-route-min-quality");
  const p = headers.get("x-route-max-price");
  const minQuality = q === null ? 1 : Number(q);
  if (!Number.isInteger(minQuality) || minQuality < 1 || minQuality > 5) throw new AutoRouteError("x-route-min-quality must be an integer from 1 to 5", 400);
  const maxPriceUsd = p === null ? undefined : Number(p);
  if (maxPriceUsd !== undefined && !(Number.isFinite(maxPriceUsd) && maxPriceUsd > 0)) throw new AutoRouteError("x-route-max-price must be a positive number of USD per million tokens", 400);
  return { cls, minQuality, maxPriceUsd };
}

/** Blended USD per million tokens, three input to one output (how price pages compare chat models). */
export function blendedUsd(price: Price): number {
  return (3 * price.input + price.output) / 4 / 1_000_000;
}

/**
 * The Western models' quality tier (1–5) and what they are good for: data, not code, so a new model is one
 * line. Embedding models are absent: they never answer chat.
 */
export const WESTERN_PROFILES: Record<string, { quality: number; caps: Capability[] }> = {
  "openai/gpt-5": { quality: 5, caps: ["chat", "code", "reasoning"] },
  "openai/gpt-5-mini": { quality: 4, caps: ["chat", "code", "reasoning"] },
  "openai/gpt-5-nano": { quality: 2, caps: ["chat", "reasoning"] },
  "openai/gpt-4.1": { quality: 4, caps: ["chat", "code"] },
  "openai/gpt-4.1-mini": { quality: 3, caps: ["chat", "code"] },
  "openai/gpt-4.1-nano": { quality: 2, caps: ["chat"] },
  "openai/gpt-4o": { quality: 4, caps: ["chat", "code"] },
  "openai/gpt-4o-mini": { quality: 3, caps: ["chat", "code"] },
  "openai/o3": { quality: 5, caps: ["reasoning", "code"] },
  "openai/o4-mini": { quality: 4, caps: ["reasoning", "code"] },
  "anthropic/claude-opus-4-5": { quality: 5, caps: ["chat", "code", "reasoning"] },
  "anthropic/claude-opus-4-1": { quality: 5, caps: ["chat", "code", "reasoning"] },
  "anthropic/claude-sonnet-4-5": { quality: 5, caps: ["chat", "code", "reasoning"] },
  "anthropic/claude-sonnet-4": { quality: 4, caps: ["chat", "code", "reasoning"] },
  "anthropic/claude-haiku-4-5": { quality: 3, caps: ["chat", "code"] },
  "anthropic/claude-3-5-haiku": { quality: 3, caps: ["chat"] },
  "google/gemini-3-pro-preview": { quality: 5, caps: ["chat", "code", "reasoning"] },
  "google/gemini-2.5-pro": { quality: 5, caps: ["chat", "code", "reasoning"] },
  "google/gemini-2.5-flash": { quality: 4, caps: ["chat", "code", "reasoning"] },
  "google/gemini-2.5-flash-lite": { quality: 2, caps: ["chat"] },
  "google/gemini-2.0-flash": { quality: 3, caps: ["chat"] },
};

export function westernCandidates(providers: (p: ProviderName) => boolean): Candidate[] {
  const out: Candidate[] = [];
  for (const [ref, profile] of Object.entries(WESTERN_PROFILES)) {
    const price = WESTERN_PRICES[ref];
    const slash = ref.indexOf("/");
    const provider = ref.slice(0, slash) as ProviderName;
    if (!price || !providers(provider)) continue;
    out.push({ ref, target: { provider, model: ref.slice(slash + 1) }, caps: new Set(profile.caps), quality: profile.quality, price });
  }
  return out;
}

/** Parameters from a model id's size marker (`Qwen2.5-Coder-7B`, `Llama-3.1-70B`, `…-1.5b-…`). */
export function paramsFromName(id: string): number | undefined {
  const all = [...id.matchAll(/(?:^|[-_/.])(\d+(?:\.\d+)?)[bB](?=$|[-_.])/g)].map((m) => Number(m[1]));
  return all.length ? Math.max(...all) * 1e9 : undefined;
}

/** An open model's tier by size, the best signal the Hub gives without running evaluations. */
export function openQuality(params: number | undefined): number {
  if (params === undefined) return 2;
  if (params < 3e9) return 1;
  if (params < 10e9) return 2;
  if (params < 40e9) return 3;
  if (params < 150e9) return 4;
  return 5;
}

const EMBEDDING_FAMILIES = /(^|\/)(bge|gte|e5|multilingual-e5|all-minilm|all-mpnet|nomic-embed|jina-embeddings|snowflake-arctic-embed|stella)[-_]/i;

/** A ready deployment as a candidate: what it can do from the catalog's own rules over its model id. */
export function deploymentCandidate(d: { name: string; endpointId: string; servedModel: string; price: Price; model?: string | undefined }): Candidate | undefined {
  const id = d.model ?? d.servedModel;
  // The registry keeps no model kind: the catalog's name rules, and the best-known embedding families,
  // tell embedding and reranking models apart (a wrong guess only costs a fallback).
  if (EMBEDDING_FAMILIES.test(id) || categorize({ id, tags: [] }).some((c) => c === "embeddings" || c === "reranking")) return undefined;
  const categories = categorize({ id, tags: [], task: "text-generation" });
  const caps = new Set<Capability>(["chat"]);
  if (categories.includes("code")) caps.add("code");
  if (categories.includes("reasoning") || categories.includes("math")) caps.add("reasoning");
  return {
    ref: `runpod/${d.name}`,
    target: { provider: "runpod", model: `${d.endpointId}/${d.servedModel}`, price: d.price, deployment: d.name },
    caps,
    quality: openQuality(paramsFromName(id)),
    price: d.price,
  };
}

const usd = (n: number) => `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}/M`;

/**
 * The choice. Candidates that lack the capability, fall under the floor or over the ceiling are out;
 * open circuits go last. Then by price (cheapest first; quality, then latency, then name break ties) or,
 * for `auto:fast`, by latency (then price, then name).
 */
export function chooseTarget(req: AutoRequest, candidates: readonly Candidate[], health: (c: Candidate) => TargetHealth): AutoChoice {
  const need = NEEDS[req.cls];
  const fits = candidates.filter((c) => c.caps.has(need) && c.quality >= req.minQuality && (req.maxPriceUsd === undefined || blendedUsd(c.price) <= req.maxPriceUsd));
  const constraint = `${need}${req.minQuality > 1 ? `, quality >= ${req.minQuality}` : ""}${req.maxPriceUsd !== undefined ? `, <= ${usd(req.maxPriceUsd)}` : ""}`;
  if (!fits.length) {
    throw new AutoRouteError(`No model this workspace may call meets ${req.cls === "auto" ? "auto" : `auto:${req.cls}`} (${constraint}); deploy one, relax the constraints, or name a model.`, 404);
  }
  const latency = (c: Candidate) => health(c).latencyMs ?? UNOBSERVED_LATENCY_MS;
  const byPrice = (a: Candidate, b: Candidate) => blendedUsd(a.price) - blendedUsd(b.price) || b.quality - a.quality || latency(a) - latency(b) || (a.ref < b.ref ? -1 : 1);
  const byLatency = (a: Candidate, b: Candidate) => latency(a) - latency(b) || blendedUsd(a.price) - blendedUsd(b.price) || (a.ref < b.ref ? -1 : 1);
  const order = req.cls === "fast" ? byLatency : byPrice;
  const sorted = [...fits].sort((a, b) => Number(health(a).open) - Number(health(b).open) || order(a, b));
  const chosen = sorted[0]!;
  const why =
    req.cls === "fast"
      ? `lowest latency (${health(chosen).latencyMs === undefined ? "not yet observed" : `${Math.round(latency(chosen))} ms to first byte`})`
      : `cheapest at ${usd(blendedUsd(chosen.price))}`;
  const state = health(chosen).open ? "; every match's circuit is open, trying anyway" : "";
  const runnerUp = sorted[1] ? `; next ${sorted[1].ref}` : "";
  return {
    targets: sorted.slice(0, AUTO_FALLBACKS).map((c) => c.target),
    chosen,
    // ASCII only: it travels in a header.
    reason: `${req.cls === "auto" ? "auto" : `auto:${req.cls}`} -> ${chosen.ref}: ${why} of ${fits.length} meeting ${constraint}${state}${runnerUp}`,
    baseline: AUTO_BASELINES[req.cls],
  };
}
