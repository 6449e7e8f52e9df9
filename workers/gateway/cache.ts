import { kvKeys, kvTtl } from "../kv";
import type { ChatRequest, ChatResponse } from "./canonical";
import type { TargetRef } from "./resolve";

/**
 * Exact-match response cache in KV, opt-in per request (`x-bridge-cache: on`, optional
 * `x-bridge-cache-ttl` seconds, at most a day). Only deterministic requests are cached: temperature 0 or a
 * fixed seed. The key hashes the principal, the targets and every canonical field that shapes the answer,
 * so one workspace never sees another's entries and a changed route never serves a stale target's answer.
 */
export const CACHE_MAX_TTL = 86_400;

export interface CacheDirective {
  enabled: boolean;
  ttl: number;
}

export function cacheDirective(headers: Headers): CacheDirective {
  const v = (headers.get("x-bridge-cache") ?? "").trim().toLowerCase();
  const enabled = v === "on" || v === "true" || v === "1";
  const ttlRaw = Number(headers.get("x-bridge-cache-ttl") ?? "3600");
  const ttl = Number.isFinite(ttlRaw) ? Math.min(CACHE_MAX_TTL, Math.max(60, Math.floor(ttlRaw))) : 3600;
  return { enabled, ttl };
}

export function isDeterministic(req: ChatRequest): boolean {
  return req.temperature === 0 || req.seed !== undefined;
}

export async function cacheKey(principalId: string, targets: TargetRef[], req: ChatRequest): Promise<string> {
  const { stream: _s, includeUsage: _u, unsupported: _w, ...shape } = req;
  const material = JSON.stringify({ v: 1, principalId, targets, shape });
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface CachedAnswer {
  response: ChatResponse;
  target: TargetRef;
  storedAt: number;
}

export async function cacheGet(kv: KVNamespace, hash: string): Promise<CachedAnswer | undefined> {
  try {
    return (await kv.get<CachedAnswer>(kvKeys.responseCache(hash).key, "json")) ?? undefined;
  } catch (err) {
    console.error("response cache read failed", err); // a cache outage must not fail the call
    return undefined;
  }
}

export async function cachePut(kv: KVNamespace, hash: string, answer: CachedAnswer, ttl: number): Promise<void> {
  const entry = kvKeys.responseCache(hash, ttl);
  await kv.put(entry.key, JSON.stringify(answer), { expirationTtl: kvTtl(entry) });
}
