/**
 * W3C Trace Context (pure): a request's `traceparent` is continued when a caller sends a valid one, else a
 * trace starts here; each hop gets its own span id. The bridge passes it to upstreams and returns it, so a
 * caller's trace runs through the platform into the provider's logs.
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface TraceContext {
  traceId: string;
  spanId: string;
  flags: string;
}

/** Byte → two hex digits, built once: every request makes a span id (and usually a trace id) on the hot path. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  let out = "";
  for (let i = 0; i < b.length; i++) out += HEX[b[i]!];
  return out;
}

/** The caller's trace id if its header is valid (all-zero ids are invalid by the spec), with a new span. */
export function continueTrace(header: string | null | undefined): TraceContext {
  const m = TRACEPARENT.exec((header ?? "").trim().toLowerCase());
  const traceId = m && !/^0+$/.test(m[1]!) && !/^0+$/.test(m[2]!) ? m[1]! : hex(16);
  return { traceId, spanId: hex(8), flags: m ? m[3]! : "01" };
}

export const formatTraceparent = (t: TraceContext): string => `00-${t.traceId}-${t.spanId}-${t.flags}`;
