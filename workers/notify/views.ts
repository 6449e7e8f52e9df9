/**
 * The shapes /api/notifications answers with, as types only: the routes build them (store.ts) and the
 * PWA reads them (web/src/lib/notifications-api.ts), so both name one definition.
 */
export interface EndpointView {
  id: string;
  kind: "webhook" | "email";
  url: string | null;
  email: string | null;
  description: string | null;
  /** Event types, or ["*"] for all. */
  events: string[];
  enabled: boolean;
  /** The first characters of the secret, so a person can tell which one a receiver holds. */
  secretHint: string | null;
  createdAt: string;
  updatedAt: string;
}

export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}
