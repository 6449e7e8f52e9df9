import type { ChatRequest } from "./canonical";

/**
 * Token estimates for when an upstream does not report usage (some compatible servers, aborted streams)
 * and for reserving budget before a call. About four characters per token, as BPE tokenizers average on
 * English and code; images count as a flat 765 tokens (OpenAI's high-detail tile estimate).
 */
export const CHARS_PER_TOKEN = 4;
const IMAGE_TOKENS = 765;
/** Per-message framing overhead (role markers), as chat templates add it. */
const MESSAGE_OVERHEAD = 4;

export function estimateTextTokens(text: string): number {
  return text ? Math.ceil(text.length / CHARS_PER_TOKEN) : 0;
}

export function estimateRequestTokens(req: ChatRequest): number {
  let chars = 0;
  let extra = 0;
  for (const s of req.system) chars += s.text.length;
  for (const m of req.messages) {
    extra += MESSAGE_OVERHEAD;
    for (const p of m.content) {
      if (p.type === "text" || p.type === "thinking") chars += p.text.length;
      else if (p.type === "image") extra += IMAGE_TOKENS;
      else if (p.type === "tool_call") chars += p.name.length + p.arguments.length;
      else for (const c of p.content) c.type === "text" ? (chars += c.text.length) : (extra += IMAGE_TOKENS);
    }
  }
  for (const t of req.tools) chars += t.name.length + (t.description?.length ?? 0) + JSON.stringify(t.parameters).length;
  return Math.ceil(chars / CHARS_PER_TOKEN) + extra;
}
