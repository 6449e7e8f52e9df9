import type { Dialect as DialectName } from "./canonical";

/**
 * The caller's API key, read the way each dialect's official clients send it: OpenAI `Authorization:
 * Bearer`; Anthropic `x-api-key` or Bearer (Claude Code with ANTHROPIC_AUTH_TOKEN); Gemini
 * `x-goog-api-key` or `?key=`.
 */
export function extractApiKey(dialect: DialectName, req: Request): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.get("authorization") ?? "")?.[1]?.trim();
  if (dialect === "anthropic") return req.headers.get("x-api-key")?.trim() || bearer || undefined;
  if (dialect === "gemini") return req.headers.get("x-goog-api-key")?.trim() || new URL(req.url).searchParams.get("key") || bearer || undefined;
  return bearer || undefined;
}

/** Who is calling, for limits, budgets, metering and the bridge map. */
export interface Principal {
  /** Billing principal (the workspace whose budget pays); "local" for open-access local development. */
  id: string;
  keyId: string | undefined;
  /** Model names or globs this key may call; undefined = any. */
  allowedModels?: string[] | undefined;
  rpm?: number | undefined;
  tpm?: number | undefined;
  monthlyTokens?: number | undefined;
}
