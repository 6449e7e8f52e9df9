/**
 * API keys as /api/keys shows them, and the scope names (pure: no imports). The server builds these
 * (store.ts, scopes.ts) and the PWA reads them (web/src/lib/keys-api.ts), from this one definition.
 */
export const KEY_SCOPES = ["bridge", "mcp:read", "mcp:write", "mcp:admin"] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export interface KeyLimits {
  rpm: number | null;
  tpm: number | null;
  monthlyTokens: number | null;
  allowedModels: string[] | null;
}

export interface KeyView extends KeyLimits {
  id: string;
  name: string;
  prefix: string;
  scopes: KeyScope[];
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

