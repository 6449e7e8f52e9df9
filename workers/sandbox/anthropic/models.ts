/**
 * Claude models the stand-in lists. Requests may use any `claude-*` name (aliases, dated ids, or a
 * test-scoped name like `claude-sonnet-4-5-cut-1` so a fault rule matches one test), as Claude Code and
 * gateways pass names through; other names get Anthropic's 404 `model: <name>`.
 */
export interface ClaudeModel {
  id: string;
  display_name: string;
  created_at: string;
  max_output: number;
}

// Newest first, as the real list is. Models from 4.6 on have undated ids; their dates here are approximate.
export const CLAUDE_MODELS: readonly ClaudeModel[] = [
  { id: "claude-opus-5", display_name: "Claude Opus 5", created_at: "2026-06-01T00:00:00Z", max_output: 64000 },
  { id: "claude-sonnet-4-6", display_name: "Claude Sonnet 4.6", created_at: "2026-02-17T00:00:00Z", max_output: 64000 },
  { id: "claude-opus-4-6", display_name: "Claude Opus 4.6", created_at: "2026-02-05T00:00:00Z", max_output: 128000 },
  { id: "claude-opus-4-5-20251101", display_name: "Claude Opus 4.5", created_at: "2025-11-24T00:00:00Z", max_output: 64000 },
  { id: "claude-haiku-4-5-20251001", display_name: "Claude Haiku 4.5", created_at: "2025-10-15T00:00:00Z", max_output: 64000 },
  { id: "claude-sonnet-4-5-20250929", display_name: "Claude Sonnet 4.5", created_at: "2025-09-29T00:00:00Z", max_output: 64000 },
  { id: "claude-opus-4-1-20250805", display_name: "Claude Opus 4.1", created_at: "2025-08-05T00:00:00Z", max_output: 32000 },
  { id: "claude-opus-4-20250514", display_name: "Claude Opus 4", created_at: "2025-05-22T00:00:00Z", max_output: 32000 },
  { id: "claude-sonnet-4-20250514", display_name: "Claude Sonnet 4", created_at: "2025-05-22T00:00:00Z", max_output: 64000 },
  { id: "claude-3-5-haiku-20241022", display_name: "Claude Haiku 3.5", created_at: "2024-10-22T00:00:00Z", max_output: 8192 },
];

export const isClaudeModel = (name: string) => /^claude-[a-z0-9.-]+$/i.test(name);

/** The listed model an alias or dated id names (`claude-sonnet-4-5` -> `claude-sonnet-4-5-20250929`). */
export function findClaudeModel(name: string): ClaudeModel | undefined {
  return CLAUDE_MODELS.find((m) => m.id === name) ?? CLAUDE_MODELS.find((m) => m.id.startsWith(`${name}-`) && /^\d{8}$/.test(m.id.slice(name.length + 1)));
}

export function modelObject(m: ClaudeModel) {
  return { type: "model", id: m.id, display_name: m.display_name, created_at: m.created_at };
}

/** `GET /v1/models` paging: `limit` (1-1000, default 20), `after_id` / `before_id` cursors. */
export function listModelsPage(query: { limit?: string | undefined; after_id?: string | undefined; before_id?: string | undefined }) {
  const limit = Math.min(1000, Math.max(1, Number(query.limit ?? 20) || 20));
  let start = 0;
  let end = CLAUDE_MODELS.length;
  if (query.after_id) start = CLAUDE_MODELS.findIndex((m) => m.id === query.after_id) + 1;
  if (query.before_id) end = Math.max(0, CLAUDE_MODELS.findIndex((m) => m.id === query.before_id));
  const slice = query.before_id && !query.after_id ? CLAUDE_MODELS.slice(Math.max(0, end - limit), end) : CLAUDE_MODELS.slice(start, Math.min(end, start + limit));
  const has_more = query.before_id && !query.after_id ? end - limit > 0 : start + limit < end;
  return { data: slice.map(modelObject), has_more, first_id: slice[0]?.id ?? null, last_id: slice.at(-1)?.id ?? null };
}
