import type { ChatEvent, ChatResponse, FinishReason, TextPart, ThinkingPart, ToolCallPart, Usage } from "./canonical";
import { emptyUsage } from "./canonical";

/**
 * Folds a canonical event stream into a whole response: used when the caller did not ask for a stream
 * but the pipeline streams upstream anyway (one decoding path), and by tests.
 * Adjacent text deltas merge into one part; thinking and its signature form one part; tool calls keep
 * their upstream order.
 */
export class ResponseAssembler {
  private id = "";
  private model = "";
  private created = 0;
  private content: Array<TextPart | ThinkingPart | ToolCallPart> = [];
  private toolParts = new Map<number, ToolCallPart>();
  private finishReason: FinishReason = "other";
  private stopSequence: string | undefined;
  private usage: Usage = emptyUsage();
  error: Extract<ChatEvent, { type: "error" }>["error"] | undefined;

  push(e: ChatEvent): void {
    switch (e.type) {
      case "start":
        this.id = e.id;
        this.model = e.model;
        this.created = e.created;
        break;
      case "text_delta": {
        const last = this.content.at(-1);
        if (last?.type === "text") last.text += e.text;
        else this.content.push({ type: "text", text: e.text });
        break;
      }
      case "thinking_delta": {
        const last = this.content.at(-1);
        if (last?.type === "thinking" && !last.redacted && last.signature === undefined) last.text += e.text;
        else this.content.push({ type: "thinking", text: e.text });
        break;
      }
      case "thinking_signature": {
        const last = this.content.at(-1);
        if (last?.type === "thinking") last.signature = e.signature;
        else this.content.push({ type: "thinking", text: "", signature: e.signature });
        break;
      }
      case "redacted_thinking":
        this.content.push({ type: "thinking", text: e.data, redacted: true });
        break;
      case "tool_call_start": {
        const part: ToolCallPart = { type: "tool_call", id: e.id, name: e.name, arguments: "" };
        if (e.signature !== undefined) part.signature = e.signature;
        this.toolParts.set(e.index, part);
        this.content.push(part);
        break;
      }
      case "tool_call_delta": {
        const part = this.toolParts.get(e.index);
        if (part) part.arguments += e.argumentsDelta;
        break;
      }
      case "tool_call_end":
        break;
      case "usage":
        this.usage = mergeUsage(this.usage, e.usage);
        break;
      case "finish":
        this.finishReason = e.reason;
        this.stopSequence = e.stopSequence;
        break;
      case "error":
        this.error = e.error;
        this.finishReason = "error";
        break;
    }
  }

  result(): ChatResponse {
    const res: ChatResponse = {
      id: this.id,
      model: this.model,
      created: this.created,
      content: this.content,
      finishReason: this.finishReason,
      usage: this.usage,
    };
    if (this.stopSequence !== undefined) res.stopSequence = this.stopSequence;
    return res;
  }
}

/**
 * Providers report usage in pieces (Anthropic: input at message_start, output at message_delta; Gemini:
 * cumulative per chunk). Later non-zero values win field by field, so neither style loses a count.
 */
export function mergeUsage(a: Usage, b: Usage): Usage {
  const pick = (x: number | undefined, y: number | undefined) => (y !== undefined && y > 0 ? y : x);
  const out: Usage = { inputTokens: pick(a.inputTokens, b.inputTokens) ?? 0, outputTokens: pick(a.outputTokens, b.outputTokens) ?? 0 };
  const cached = pick(a.cachedInputTokens, b.cachedInputTokens);
  const write = pick(a.cacheWriteTokens, b.cacheWriteTokens);
  const reasoning = pick(a.reasoningTokens, b.reasoningTokens);
  if (cached !== undefined) out.cachedInputTokens = cached;
  if (write !== undefined) out.cacheWriteTokens = write;
  if (reasoning !== undefined) out.reasoningTokens = reasoning;
  return out;
}

export function assemble(events: Iterable<ChatEvent>): ChatResponse {
  const a = new ResponseAssembler();
  for (const e of events) a.push(e);
  return a.result();
}
