/**
 * The platform-wide bridge map the e2e server starts with (BRIDGE_DEFAULT_RULES). Each rule serves one
 * test's scenario; the stand-ins accept suffixed model names (`gpt-4o-mini-fb-chat`), so sandbox fault rules
 * scoped to those names never touch other tests.
 */
export const E2E_BRIDGE_RULES = [
  // Claude Code on another provider: any claude-via-openai-* name served by OpenAI's stand-in.
  { match: "claude-via-openai-*", targets: ["openai/gpt-4o-mini"] },
  // Fallback: the primary (an OpenAI model the tests make fail) then Anthropic.
  { match: "fallback-chat", targets: ["openai/gpt-4o-mini-fb-chat", "anthropic/claude-haiku-4-5-fb-chat"] },
  { match: "fallback-breaker", targets: ["openai/gpt-4o-mini-fb-breaker", "anthropic/claude-haiku-4-5-fb-breaker"] },
  { match: "fallback-all-down", targets: ["openai/gpt-4o-mini-fb-down", "anthropic/claude-haiku-4-5-fb-down"] },
  { match: "fallback-bad-request", targets: ["openai/gpt-4o-mini-fb-400", "anthropic/claude-haiku-4-5-fb-400"] },
];
