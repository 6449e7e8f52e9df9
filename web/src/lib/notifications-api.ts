import type { DeliveryView, EndpointView } from "../../../workers/notify/views";
import { send } from "./account-api";

/**
 * Typed calls for the workspace's notifications (workers/notify/routes.ts, /api/notifications): webhook and
 * email endpoints for platform events, their delivery log, test events and manual redelivery. Admins and
 * owners only; a webhook's signing secret is shown once, when it is made or rotated.
 */
export interface EventType {
  type: string;
  description: string;
}

/** An endpoint as the API shows it (never its secret; `secretHint` only). */
export type NotificationEndpoint = EndpointView;
export type Delivery = DeliveryView;

export interface NewEndpoint {
  url?: string;
  email?: string;
  events: string[];
  description?: string;
}

const base = "/api/notifications";

export const notificationsApi = {
  eventTypes: () => send<{ eventTypes: EventType[] }>(`${base}/event-types`, "GET").then((r) => r.eventTypes),
  endpoints: () => send<{ endpoints: NotificationEndpoint[] }>(`${base}/endpoints`, "GET").then((r) => r.endpoints),
  create: (e: NewEndpoint) => send<NotificationEndpoint & { secret: string | null }>(`${base}/endpoints`, "POST", e),
  setEnabled: (id: string, enabled: boolean) => send<NotificationEndpoint>(`${base}/endpoints/${encodeURIComponent(id)}`, "PATCH", { enabled }),
  remove: (id: string) => send<null>(`${base}/endpoints/${encodeURIComponent(id)}`, "DELETE"),
  test: (id: string) => send<{ delivery: Delivery }>(`${base}/endpoints/${encodeURIComponent(id)}/test`, "POST"),
  rotate: (id: string) => send<{ id: string; secret: string; previousSecretValidUntil: string }>(`${base}/endpoints/${encodeURIComponent(id)}/rotate-secret`, "POST"),
  deliveries: (id: string) => send<{ deliveries: Delivery[]; nextCursor: string | null }>(`${base}/endpoints/${encodeURIComponent(id)}/deliveries?limit=10`, "GET"),
  redeliver: (deliveryId: string) => send<{ delivery: Delivery }>(`${base}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, "POST"),
};

/** "delivered (200)", "failed (500, 5 attempts)", "retrying (503), next at 14:05" for the log. */
export function deliveryLine(d: Delivery, timeOf: (iso: string) => string): string {
  const code = d.lastStatusCode !== null ? String(d.lastStatusCode) : d.lastError ? d.lastError : "no answer";
  if (d.status === "delivered") return `delivered (${code})`;
  if (d.status === "failed") return `failed (${code}, ${d.attempts} attempt${d.attempts === 1 ? "" : "s"})`;
  return d.attempts === 0 ? "queued" : `retrying (${code})${d.nextAttemptAt ? `, next at ${timeOf(d.nextAttemptAt)}` : ""}`;
}
