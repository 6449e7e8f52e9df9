import { signatureHeaders } from "./sign";
import { checkTarget, type SsrfPolicy } from "./ssrf";

/**
 * One webhook attempt: the target is checked again (the policy may be stricter than when it was
 * registered), the body is signed, and the request never follows a redirect (a 3xx is a failure naming
 * the Location), so a public URL cannot bounce it to a private address. The answer is read up to
 * EXCERPT_BYTES for the delivery log and the rest discarded. Only a 2xx is success.
 */
export const EXCERPT_BYTES = 1024;
export const DEFAULT_TIMEOUT_MS = 15_000;
export const USER_AGENT = "SwaggyStacks-Webhooks/1.0 (+standard-webhooks)";

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  responseExcerpt: string | null;
}

export interface WebhookAttempt {
  url: string;
  /** Current secret first; a rotated-out one still honoured after it. */
  secrets: string[];
  msgId: string;
  body: string;
  policy: SsrfPolicy;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

async function readExcerpt(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const all = new Uint8Array(Math.min(size, EXCERPT_BYTES));
  let off = 0;
  for (const c of chunks) {
    const part = c.subarray(0, all.length - off);
    all.set(part, off);
    off += part.length;
    if (off >= all.length) break;
  }
  return new TextDecoder().decode(all);
}

export async function attemptWebhook(a: WebhookAttempt): Promise<AttemptResult> {
  const now = a.now ?? Date.now;
  const started = now();
  const target = checkTarget(a.url, a.policy);
  if (!target.ok) return { ok: false, statusCode: null, error: `refused target: ${target.reason}`, latencyMs: 0, responseExcerpt: null };
  const headers = {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    ...(await signatureHeaders(a.secrets, a.msgId, Math.floor(now() / 1000), a.body)),
  };
  const timeoutMs = a.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await (a.fetch ?? fetch)(target.url, { method: "POST", headers, body: a.body, redirect: "manual", signal: controller.signal });
    const excerpt = await readExcerpt(res).catch(() => null);
    const latencyMs = now() - started;
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status, error: null, latencyMs, responseExcerpt: excerpt };
    const error =
      res.status >= 300 && res.status < 400
        ? `redirect not followed (${res.status} to ${res.headers.get("location") ?? "nowhere"})`
        : `receiver answered ${res.status}`;
    return { ok: false, statusCode: res.status, error, latencyMs, responseExcerpt: excerpt };
  } catch (err) {
    const latencyMs = now() - started;
    const error = controller.signal.aborted ? `timed out after ${timeoutMs} ms` : `connection failed: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, statusCode: null, error: error.slice(0, 500), latencyMs, responseExcerpt: null };
  } finally {
    clearTimeout(timer);
  }
}
