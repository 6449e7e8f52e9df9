import type { ChatRequest, ContentPart, Usage } from "../gateway/canonical";

/**
 * What a request's handlers learn that its log line and metrics need (issue 11): the workspace that paid
 * (a bridge call authenticates inside the pipeline, not in middleware), the tokens it used, and the parsed
 * request, kept by reference: it is only ever read when the workspace has opted in to prompt logging.
 * One mutable object per request, set by the request-log middleware before anything else runs.
 */
export interface Observation {
  workspaceId?: string;
  usage?: Usage;
  request?: ChatRequest;
  /**
   * Set by the bridge when it answers with a translated stream: settles when that stream ends (complete,
   * broken or the caller gone), so the request log can write its line then without a stream stage of its own.
   */
  streamDone?: Promise<void>;
}

/** How much of a prompt an opted-in log line carries: enough to debug a call, bounded for the log pipeline. */
export const PROMPT_LOG_LIMIT = 8_000;

function partText(p: ContentPart): string {
  switch (p.type) {
    case "text":
      return p.text;
    case "image":
      return "[image]";
    case "thinking":
      return p.redacted ? "[redacted thinking]" : `[thinking] ${p.text}`;
    case "tool_call":
      return `[tool call ${p.name}] ${p.arguments}`;
    case "tool_result":
      return `[tool result${p.name ? ` ${p.name}` : ""}] ${p.content.map(partText).join("\n")}`;
  }
}

export interface PromptExcerpt {
  system?: string;
  messages: { role: string; text: string }[];
  truncated?: true;
}

/**
 * The prompt as text for an opted-in workspace's log line: system and messages, images as placeholders
 * (never their bytes), cut at `limit` characters in total.
 */
export function promptExcerpt(req: Pick<ChatRequest, "system" | "messages">, limit = PROMPT_LOG_LIMIT): PromptExcerpt {
  let left = limit;
  let truncated = false;
  const take = (s: string): string => {
    if (s.length <= left) {
      left -= s.length;
      return s;
    }
    truncated = true;
    const cut = s.slice(0, Math.max(0, left));
    left = 0;
    return cut;
  };
  const out: PromptExcerpt = { messages: [] };
  const system = req.system.map((p) => p.text).join("\n");
  if (system) out.system = take(system);
  for (const m of req.messages) {
    if (left <= 0) {
      truncated = true;
      break;
    }
    out.messages.push({ role: m.role, text: take(m.content.map(partText).join("\n")) });
  }
  if (truncated) out.truncated = true;
  return out;
}
