import { API_VERSION } from "./objects";

/** Events: what /v1/events lists and webhooks carry, with Stripe's `previous_attributes` on updates. */
export interface StripeEvent {
  id: string;
  object: "event";
  created: number;
  type: string;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
  pending_webhooks: number;
  [key: string]: unknown;
}

export function buildEvent(
  id: string,
  now: number,
  type: string,
  object: unknown,
  request: { id: string | null; idempotency_key: string | null },
  previous?: Record<string, unknown>,
): StripeEvent {
  const data: StripeEvent["data"] = { object: structuredClone(object) };
  if (previous && Object.keys(previous).length) data.previous_attributes = structuredClone(previous);
  return { id, object: "event", api_version: API_VERSION, created: now, data, livemode: false, pending_webhooks: 1, request, type };
}

/** Top-level fields whose value changed, with their old values: Stripe's `previous_attributes`. */
export function previousAttributes(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = before[key] ?? null;
  }
  return out;
}
