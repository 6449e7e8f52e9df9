/**
 * Server-sent events as the stand-ins send them. Every stand-in stream goes through here so that the
 * fault controls (cut mid-way, latency) behave the same for every service.
 */
export interface SseEvent {
  event?: string;
  data: string;
}

export function formatSse(e: SseEvent): string {
  const lines = e.event ? [`event: ${e.event}`] : [];
  for (const line of e.data.split("\n")) lines.push(`data: ${line}`);
  return `${lines.join("\n")}\n\n`;
}

export interface StreamOptions {
  /** Send this many events, then error the stream: the client sees the connection drop with no terminator. */
  cutAfterChunks?: number | undefined;
  /** Pause between events, so clients see a real stream rather than one buffered write. */
  chunkDelayMs?: number | undefined;
  headers?: Record<string, string>;
}

export function sseResponse(events: SseEvent[], opts: StreamOptions = {}): Response {
  const encoder = new TextEncoder();
  const cut = opts.cutAfterChunks;
  const delay = opts.chunkDelayMs ?? 0;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (let i = 0; i < events.length; i++) {
        if (cut !== undefined && i >= cut) {
          // Let what was sent reach the client first: a real connection drops after bytes went out.
          await new Promise((r) => setTimeout(r, 20));
          controller.error(new Error("sandbox: stream cut by fault rule"));
          return;
        }
        controller.enqueue(encoder.encode(formatSse(events[i]!)));
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      }
      controller.close();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", ...opts.headers },
  });
}
