import { and, eq } from "drizzle-orm";
import { isLocalDev } from "../auth/config";
import { openDb } from "../db/client";
import { providerKey } from "../db/platform-schema";
import type { Env } from "../env";
import { AppError } from "../errors";
import type { ProviderName } from "../gateway/resolve";
import { TtlCache } from "../keys/ttl-cache";
import { openSecret, sealSecret } from "./crypto";

/** A workspace's own provider credentials: sealed in D1, opened for the bridge through a 2 s isolate cache. */
export const BYOK_PROVIDERS = ["openai", "anthropic", "google", "runpod"] as const satisfies readonly ProviderName[];
export type ByokProvider = (typeof BYOK_PROVIDERS)[number];

export interface ProviderOverride {
  apiKey: string;
  baseUrl: string | undefined;
}

/** Published on purpose: it only protects keys stored on a developer's own machine. */
const LOCAL_DEV_ENCRYPTION_KEY = "local-dev-only-encryption-key-never-used-in-production-0123456789";

export function encryptionKey(env: Env): string {
  if (env.ENCRYPTION_KEY && env.ENCRYPTION_KEY.length >= 32) return env.ENCRYPTION_KEY;
  if (isLocalDev(env)) return env.ENCRYPTION_KEY || LOCAL_DEV_ENCRYPTION_KEY;
  throw new AppError(503, "encryption_unconfigured", "ENCRYPTION_KEY is not set (at least 32 characters); stored provider keys are unavailable");
}

const cache = new TtlCache<Partial<Record<ByokProvider, ProviderOverride>>>(5_000);

export async function listProviderKeys(env: Env, workspaceId: string) {
  const rows = await openDb(env.DB).select().from(providerKey).where(eq(providerKey.workspaceId, workspaceId));
  return rows.map((r) => ({ provider: r.provider, last4: r.last4, baseUrl: r.baseUrl, updatedBy: r.updatedBy, updatedAt: r.updatedAt.toISOString() }));
}

export async function saveProviderKey(env: Env, workspaceId: string, provider: ByokProvider, apiKey: string, baseUrl: string | undefined, userId: string): Promise<void> {
  const sealedKey = await sealSecret(encryptionKey(env), apiKey, `${workspaceId}:${provider}`);
  const row = { workspaceId, provider, sealedKey, last4: apiKey.slice(-4), baseUrl: baseUrl ?? null, updatedBy: userId, updatedAt: new Date() };
  await openDb(env.DB)
    .insert(providerKey)
    .values(row)
    .onConflictDoUpdate({ target: [providerKey.workspaceId, providerKey.provider], set: { sealedKey: row.sealedKey, last4: row.last4, baseUrl: row.baseUrl, updatedBy: userId, updatedAt: row.updatedAt } });
  cache.delete(workspaceId);
}

export async function deleteProviderKey(env: Env, workspaceId: string, provider: ByokProvider): Promise<boolean> {
  const deleted = await openDb(env.DB).delete(providerKey).where(and(eq(providerKey.workspaceId, workspaceId), eq(providerKey.provider, provider))).returning();
  cache.delete(workspaceId);
  return deleted.length > 0;
}

/** The bridge's view: provider -> the workspace's own key and endpoint, used instead of the platform's. */
export async function loadOverrides(env: Env, workspaceId: string, now: number): Promise<Partial<Record<ByokProvider, ProviderOverride>>> {
  const hit = cache.get(workspaceId, now);
  if (hit) return hit;
  const rows = await openDb(env.DB).select().from(providerKey).where(eq(providerKey.workspaceId, workspaceId));
  const out: Partial<Record<ByokProvider, ProviderOverride>> = {};
  for (const r of rows) {
    try {
      out[r.provider as ByokProvider] = { apiKey: await openSecret(encryptionKey(env), r.sealedKey, `${workspaceId}:${r.provider}`), baseUrl: r.baseUrl ?? undefined };
    } catch (err) {
      // A key sealed under a rotated ENCRYPTION_KEY: fall back to the platform's credentials, loudly.
      console.error(`provider key ${r.provider} of ${workspaceId} cannot be opened`, err);
    }
  }
  cache.set(workspaceId, out, now, 2_000);
  return out;
}
