/**
 * Webhook signing and delivery. The signature is what `stripe.webhooks.constructEvent` verifies:
 * `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, the secret
 * used as-is (`whsec_...` included) as the HMAC key.
 */
const enc = new TextEncoder();

export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = await crypto.subtle.sign("HMAC", key, enc.encode(message));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function signatureHeader(payload: string, secret: string, timestamp: number): Promise<string> {
  return `t=${timestamp},v1=${await hmacSha256Hex(secret, `${timestamp}.${payload}`)}`;
}

/** Stripe sends events pretty-printed; receivers must verify the exact bytes, so this is the one encoder. */
export const eventPayload = (event: unknown) => JSON.stringify(event, null, 2);

export interface DeliveryAttempt {
  at: number;
  status: number | null;
  error?: string;
  durationMs: number;
}

export interface DeliveryRecord {
  id: string;
  event: string;
  type: string;
  url: string;
  status: "pending" | "succeeded" | "failed";
  attempts: DeliveryAttempt[];
  created: number;
}

export interface DeliverOptions {
  url: string;
  secret: string;
  /** Pauses between rounds of retries; attempts = backoffMs.length + 1. */
  backoffMs: readonly number[];
  timeoutMs: number;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  nowMs: () => number;
  newId: () => Promise<string>;
  save: (record: DeliveryRecord) => Promise<void>;
}

export const DEFAULT_BACKOFF_MS = [1000, 2000, 4000] as const;

/**
 * Delivers events in order, each once, then retries the failures round by round with backoff (a
 * receiver that is briefly down gets them all, in their original order). Any 2xx is success, as for
 * Stripe; redirects are not followed.
 */
export async function deliverEvents(events: readonly { id: string; type: string }[], opts: DeliverOptions): Promise<DeliveryRecord[]> {
  const pending: { record: DeliveryRecord; payload: string }[] = [];
  for (const event of events) {
    const record: DeliveryRecord = {
      id: await opts.newId(),
      event: event.id,
      type: event.type,
      url: opts.url,
      status: "pending",
      attempts: [],
      created: Math.floor(opts.nowMs() / 1000),
    };
    await opts.save(record);
    pending.push({ record, payload: eventPayload(event) });
  }
  for (let round = 0; round <= opts.backoffMs.length && pending.some((p) => p.record.status === "pending"); round++) {
    if (round > 0) await opts.sleep(opts.backoffMs[round - 1]!);
    for (const item of pending) {
      if (item.record.status !== "pending") continue;
      const attempt = await attemptOnce(item.payload, opts);
      item.record.attempts.push(attempt);
      const ok = attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
      if (ok) item.record.status = "succeeded";
      else if (round === opts.backoffMs.length) item.record.status = "failed";
      await opts.save(item.record);
    }
  }
  return pending.map((p) => p.record);
}

async function attemptOnce(payload: string, opts: DeliverOptions): Promise<DeliveryAttempt> {
  const started = opts.nowMs();
  const t = Math.floor(started / 1000);
  try {
    const res = await opts.fetch(opts.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs),
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        "cache-control": "no-cache",
        accept: "*/*; q=0.5, application/xml",
        "stripe-signature": await signatureHeader(payload, opts.secret, t),
      },
      body: payload,
    });
    await res.body?.cancel();
    return { at: t, status: res.status, durationMs: opts.nowMs() - started };
  } catch (err) {
    return { at: t, status: null, error: err instanceof Error ? err.message : String(err), durationMs: opts.nowMs() - started };
  }
}
