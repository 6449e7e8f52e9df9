/**
 * RunPod's job webhooks (reference/upstream-apis.md §1.5, SEND): when a `/run` job with a `webhook` ends,
 * RunPod POSTs the job's final status body (what `/status` answers) to that URL. The receiver "should
 * return a 200"; otherwise RunPod "retries up to 2 more times with a 10-second delay". Redirects are not
 * followed. Pure apart from the injected fetch and sleep, so the schedule is testable.
 */
export const WEBHOOK_RETRY_DELAYS_MS = [10_000, 10_000] as const;

export interface WebhookAttempt {
  at: number;
  status: number | null;
  error?: string;
}

export interface WebhookDeliveryOptions {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
}

/** Delivers one job's final body; resolves with every attempt made (the last one 2xx, or the retries spent). */
export async function deliverJobWebhook(url: string, body: unknown, opts: WebhookDeliveryOptions): Promise<WebhookAttempt[]> {
  const delays = opts.retryDelaysMs ?? WEBHOOK_RETRY_DELAYS_MS;
  const payload = JSON.stringify(body);
  const attempts: WebhookAttempt[] = [];
  for (let i = 0; i <= delays.length; i++) {
    if (i > 0) await opts.sleep(delays[i - 1]!);
    const at = opts.now();
    try {
      const res = await opts.fetch(url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        headers: { "content-type": "application/json", "user-agent": "RunPod-Webhook/1.0" },
        body: payload,
      });
      await res.body?.cancel();
      attempts.push({ at, status: res.status });
      if (res.status >= 200 && res.status < 300) return attempts;
    } catch (err) {
      attempts.push({ at, status: null, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return attempts;
}
