/**
 * The events a workspace can subscribe to, their payloads and how each is summarised for a human (the
 * email subject). Pure: no I/O, importable by the PWA and by unit tests.
 *
 * Every event has an id. Where an event is naturally unique (a key is created once; a budget crosses 80%
 * once per month; Stripe names each failure with its own event id) the id is derived from that fact, so the
 * same event emitted twice (a Stripe retry, two racing requests both crossing 80%) is delivered once per
 * endpoint: `notification_delivery` is unique on (event id, endpoint id).
 */

export const EVENT_TYPES = [
  "budget.threshold",
  "deployment.ready",
  "deployment.failed",
  "key.created",
  "key.revoked",
  "payment.failed",
  "batch.finished",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Sent only by "send a test event" to one endpoint; nobody subscribes to it. */
export const TEST_EVENT_TYPE = "notification.test";
export type AnyEventType = EventType | typeof TEST_EVENT_TYPE;

export const EVENT_DESCRIPTIONS: Record<EventType, string> = {
  "budget.threshold": "The workspace's monthly token budget reached 50%, 80% or 100%",
  "deployment.ready": "A RunPod deployment is serving",
  "deployment.failed": "A RunPod deployment failed (with the reason)",
  "key.created": "An API key was created",
  "key.revoked": "An API key was revoked",
  "payment.failed": "Stripe could not collect a payment (grace period started)",
  "batch.finished": "A batch completed, failed, was cancelled or expired",
};

/** Budget percentages that notify, in ascending order. */
export const BUDGET_THRESHOLDS = [50, 80, 100] as const;

export interface EventDataMap {
  "budget.threshold": { percent: number; period: string; budgetTokens: number; usedTokens: number };
  "deployment.ready": { deploymentId: string; name: string; model: string; state: "ready" };
  "deployment.failed": { deploymentId: string; name: string; model: string; state: "failed"; error: string | null };
  "key.created": { keyId: string; name: string; prefix: string; createdBy: string | null };
  "key.revoked": { keyId: string; name: string; prefix: string; revokedBy: string | null };
  "payment.failed": {
    stripeEventId: string;
    invoiceId: string | null;
    amountDue: number | null;
    currency: string | null;
    attemptCount: number | null;
    graceUntil: string | null;
    hostedInvoiceUrl: string | null;
  };
  "batch.finished": { batchId: string; status: "completed" | "failed" | "cancelled" | "expired"; requestCounts: { total: number; completed: number; failed: number } };
  "notification.test": { message: string };
}

/** What an emitter hands to `notify()`. */
export type NotifyInput = {
  [T in AnyEventType]: { workspaceId: string; type: T; data: EventDataMap[T]; /** Deterministic id; random when absent. */ id?: string; at?: number };
}[AnyEventType];

/** The JSON body every endpoint receives (Standard Webhooks' recommended shape plus id and workspace). */
export interface EventPayload {
  id: string;
  type: AnyEventType;
  /** ISO 8601, when the event happened. */
  timestamp: string;
  workspaceId: string;
  data: unknown;
}

export function isEventType(s: string): s is EventType {
  return (EVENT_TYPES as readonly string[]).includes(s);
}

/** Whether an endpoint subscribed to `events` (a list of types, or "*") receives `type`. */
export function subscribes(events: readonly string[], type: AnyEventType): boolean {
  if (type === TEST_EVENT_TYPE) return false;
  return events.includes("*") || events.includes(type);
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/**
 * A deterministic event id from the facts that make the event unique: the same facts always give the same
 * id (`evt_` + 32 hex characters of SHA-256), different types or facts different ids.
 */
export async function eventId(type: AnyEventType, ...facts: (string | number)[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode([type, ...facts.map(String)].join("\u001f")));
  return `evt_${hex(digest).slice(0, 32)}`;
}

export function randomEventId(): string {
  return `evt_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** Natural ids of the events that have one (see the module comment). */
export const naturalIds = {
  budgetThreshold: (workspaceId: string, period: string, percent: number) => eventId("budget.threshold", workspaceId, period, percent),
  deploymentReady: (deploymentId: string, readyAt: number) => eventId("deployment.ready", deploymentId, readyAt),
  deploymentFailed: (deploymentId: string) => eventId("deployment.failed", deploymentId),
  keyCreated: (keyId: string) => eventId("key.created", keyId),
  keyRevoked: (keyId: string) => eventId("key.revoked", keyId),
  paymentFailed: (stripeEventId: string) => eventId("payment.failed", stripeEventId),
  batchFinished: (batchId: string) => eventId("batch.finished", batchId),
};

/**
 * Thresholds crossed when usage went from `before` to `after` tokens of `budget`: each percentage p with
 * before < p% <= after. Unlimited or empty budgets cross nothing.
 */
export function crossedThresholds(before: number, after: number, budget: number | null): number[] {
  if (budget === null || !(budget > 0) || after <= before) return [];
  return BUDGET_THRESHOLDS.filter((p) => {
    const line = (budget * p) / 100;
    return before < line && line <= after;
  });
}

export function buildPayload(id: string, input: NotifyInput, at: number): EventPayload {
  return { id, type: input.type, timestamp: new Date(at).toISOString(), workspaceId: input.workspaceId, data: input.data };
}

/** One line for a human: the email subject, and the first line of its body. */
export function summarize(p: { type: string; data: unknown }): string {
  const d = (p.data ?? {}) as Record<string, unknown>;
  switch (p.type) {
    case "budget.threshold":
      return `${d.percent}% of this month's token budget used (${d.usedTokens} of ${d.budgetTokens} tokens)`;
    case "deployment.ready":
      return `Deployment ${d.name} is ready (runpod/${d.name})`;
    case "deployment.failed":
      return `Deployment ${d.name} failed${d.error ? `: ${d.error}` : ""}`;
    case "key.created":
      return `API key "${d.name}" (${d.prefix}…) was created`;
    case "key.revoked":
      return `API key "${d.name}" (${d.prefix}…) was revoked`;
    case "payment.failed":
      return `A payment failed${d.graceUntil ? `; the plan stays until ${d.graceUntil}` : ""}`;
    case "batch.finished":
      return `Batch ${d.batchId} ${d.status}`;
    case TEST_EVENT_TYPE:
      return "Test notification";
    default:
      return p.type;
  }
}
