import type { ChatEvent, ChatResponse } from "./canonical";

/** A whole response as the event sequence a stream would have carried (cache hits, non-streaming upstreams). */
export function replayEvents(res: ChatResponse): ChatEvent[] {
  const out: ChatEvent[] = [{ type: "start", id: res.id, model: res.model, created: res.created }];
  let tool = 0;
  for (const c of res.content) {
    if (c.type === "text") out.push({ type: "text_delta", text: c.text });
    else if (c.type === "thinking") {
      if (c.redacted) out.push({ type: "redacted_thinking", data: c.text });
      else {
        if (c.text) out.push({ type: "thinking_delta", text: c.text });
        if (c.signature) out.push({ type: "thinking_signature", signature: c.signature });
      }
    } else {
      const index = tool++;
      out.push({ type: "tool_call_start", index, id: c.id, name: c.name, ...(c.signature ? { signature: c.signature } : {}) });
      if (c.arguments) out.push({ type: "tool_call_delta", index, argumentsDelta: c.arguments });
      out.push({ type: "tool_call_end", index });
    }
  }
  out.push({ type: "usage", usage: res.usage });
  out.push(res.stopSequence !== undefined ? { type: "finish", reason: res.finishReason, stopSequence: res.stopSequence } : { type: "finish", reason: res.finishReason });
  return out;
}
