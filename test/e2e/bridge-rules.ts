/**
 * The platform-wide bridge map the e2e server starts with (BRIDGE_DEFAULT_RULES). Each rule serves one
 * test's scenario; model names are unique so sandbox fault rules scoped to them never touch other tests.
 */
export const E2E_BRIDGE_RULES = [
  // Claude Code on another provider: any claude-* name served by OpenAI's stand-in.
  { match: "claude-via-openai-*", targets: ["openai/gpt-4o-mini"] },
  // Fallback: the primary (an OpenAI model the tests make fail) then Anthropic.
  { match: "fallback-chat", targets: ["openai/fb-primary-chat", "anthropic/claude-haiku-4-5"] },
  { match: "fallback-breaker", targets: ["openai/fb-primary-breaker", "google/gemini-2.5-flash"] },
  { match: "fallback-all-down", targets: ["openai/fb-down-1", "anthropic/fb-down-2"] },
];
