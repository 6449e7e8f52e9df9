import Stripe from "stripe";
import type { Env } from "../env";
import { AppError } from "../errors";
import { resolveUpstream } from "../platform/upstreams";

/**
 * The Stripe client: the official SDK on Workers' fetch, pointed at api.stripe.com with a key, or at the
 * sandbox stand-in locally (STRIPE_API_URL / SANDBOX_URL, like every upstream). One per isolate and base URL.
 */
const clients = new Map<string, Stripe>();

export function stripeClient(env: Env): Stripe {
  const upstream = resolveUpstream(env as unknown as Record<string, unknown>, "stripe");
  if (upstream.mode === "unconfigured" || !upstream.apiKey) throw new AppError(503, "billing_unconfigured", "Billing is not configured on this platform (STRIPE_SECRET_KEY)");
  const id = `${upstream.baseUrl} ${upstream.apiKey}`;
  let client = clients.get(id);
  if (!client) {
    const url = new URL(upstream.baseUrl);
    client = new Stripe(upstream.apiKey, {
      httpClient: Stripe.createFetchHttpClient(),
      host: url.hostname,
      port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
      protocol: url.protocol === "https:" ? "https" : "http",
      // Our own retries (the meter outbox, webhooks) are idempotent; the SDK's add idempotency keys too.
      maxNetworkRetries: 2,
      timeout: 10_000,
    });
    clients.set(id, client);
  }
  return client;
}

/** The async verifier Workers need (no Node crypto): SubtleCrypto HMAC-SHA256. */
export const webCrypto = Stripe.createSubtleCryptoProvider();
