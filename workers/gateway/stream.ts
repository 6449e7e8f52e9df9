import { mergeUsage } from "./assemble";
import type { BridgeError, ChatEvent, Usage } from "./canonical";
import type { BridgeMeta, StreamEncoder } from "./dialects/types";
import type { Provider } from "./providers/types";
import { SseParser } from "./sse";
import { CHARS_PER_TOKEN } from "./tokens";

/**
 * Upstream stream -> caller's stream, parsed once and decoded once. Usage is always captured: taken from
 * the upstream when it reports it, counted from what was streamed when it does not, and billed for what was
 * sent when the caller hangs up. A stream that breaks (read error, malformed chunk, end without a finish)
 * ends with an error event in the caller's dialect, never a clean end.
 */
export interface StreamOutcome {
  usage: Usage;
  /** "complete", "broken" (upstream failed mid-way) or "aborted" (the caller went away). */
  status: "complete" | "broken" | "aborted";
  error?: BridgeError;
}

export interface TranslateOptions {
  estimatedInputTokens: number;
  /** Called once when the stream ends for any reason; returns the cost line for the final frame. */
  finish: (outcome: StreamOutcome) => BridgeMeta;
  /** Sees every decoded event (the response cache assembles the answer from them). */
  tap?: (e: ChatEvent) => void;
}

const encoder = new TextEncoder();

export function translateStream(body: ReadableStream<Uint8Array>, provider: Provider, out: StreamEncoder, opts: TranslateOptions): ReadableStream<Uint8Array> {
  // Bytes are read, decoded and SSE-parsed in this one loop (no intermediate stream): each upstream chunk
  // costs one promise hop, which is most of the bridge's time-to-first-byte.
  const reader = body.getReader();
  const utf8 = new TextDecoder();
  const parser = new SseParser();
  const decoder = provider.streamDecoder();
  let usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let streamedChars = 0;
  let sawFinish = false;
  let done = false;

  const settle = (status: StreamOutcome["status"], error?: BridgeError): BridgeMeta => {
    done = true;
    const final: Usage = { ...usage };
    if (final.inputTokens === 0) final.inputTokens = opts.estimatedInputTokens;
    if (final.outputTokens === 0) final.outputTokens = Math.ceil(streamedChars / CHARS_PER_TOKEN);
    return opts.finish(error ? { usage: final, status, error } : { usage: final, status });
  };

  const consume = (events: ChatEvent[]): { text: string; error?: BridgeError } => {
    let text = "";
    for (const e of events) {
      opts.tap?.(e);
      if (e.type === "error") return { text, error: e.error };
      if (e.type === "usage") usage = mergeUsage(usage, e.usage);
      else if (e.type === "finish") sawFinish = true;
      else if (e.type === "text_delta" || e.type === "thinking_delta") streamedChars += e.text.length;
      else if (e.type === "tool_call_delta") streamedChars += e.argumentsDelta.length;
      text += out.event(e);
    }
    return { text };
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const next = await reader.read();
          if (next.done) {
            const rest = [...parser.push(utf8.decode()), ...parser.flush()];
            const last = consume(rest.flatMap((m) => decoder.push(m.data, m.event)));
            if (last.error) {
              settle("broken", last.error);
              controller.enqueue(encoder.encode(last.text + out.fail(last.error)));
              controller.close();
              return;
            }
            const endEvents = consume(decoder.end());
            const tail = { text: last.text + endEvents.text, error: endEvents.error };
            if (tail.error || !sawFinish) {
              const error = tail.error ?? { status: 502, kind: "upstream", message: "The upstream stream ended before the response was complete" };
              settle("broken", error);
              controller.enqueue(encoder.encode(tail.text + out.fail(error)));
            } else {
              controller.enqueue(encoder.encode(tail.text + out.end(settle("complete"))));
            }
            controller.close();
            return;
          }
          const messages = parser.push(utf8.decode(next.value, { stream: true }));
          const { text, error } = consume(messages.flatMap((m) => decoder.push(m.data, m.event)));
          if (error) {
            settle("broken", error);
            controller.enqueue(encoder.encode(text + out.fail(error)));
            controller.close();
            await reader.cancel().catch(() => {});
            return;
          }
          if (text) {
            controller.enqueue(encoder.encode(text));
            return;
          }
        }
      } catch (err) {
        const error: BridgeError = { status: 502, kind: "upstream", message: `The upstream stream broke: ${err instanceof Error ? err.message : String(err)}` };
        if (!done) settle("broken", error);
        controller.enqueue(encoder.encode(out.fail(error)));
        controller.close();
      }
    },
    async cancel() {
      if (!done) settle("aborted");
      await reader.cancel().catch(() => {});
    },
  });
}
