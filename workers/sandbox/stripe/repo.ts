import type { CheckoutLine } from "./checkout";
import { lineItemsList } from "./checkout";
import { noSuch } from "./errors";
import { expandPaths } from "./expand";
import type { IdemRecord } from "./idempotency";
import { kindOfId, makeId, newSalt, type IdKind } from "./ids";
import type { Rec } from "./list";
import { buildEvent, type StripeEvent } from "./event";
import { deletedStub } from "./objects";
import type { DeliveryRecord } from "./webhook";

/** The slice of the SandboxState Durable Object the Stripe stand-in uses (an in-memory one in unit tests). */
export interface DocStore {
  nextSeq(ns: string): Promise<number>;
  getDoc<T>(ns: string, id: string): Promise<T | undefined>;
  putDoc<T>(ns: string, id: string, value: T): Promise<unknown>;
  listDocs<T>(ns: string, limit?: number): Promise<T[]>;
}

export type StoredKind =
  | "customer"
  | "product"
  | "price"
  | "checkout_session"
  | "subscription"
  | "invoice"
  | "event"
  | "meter"
  | "meter_event"
  | "portal_session";

/** Stripe's name for each kind in "No such ..." messages. */
export const KIND_NAMES: Record<StoredKind, string> = {
  customer: "customer",
  product: "product",
  price: "price",
  checkout_session: "checkout.session",
  subscription: "subscription",
  invoice: "invoice",
  event: "event",
  meter: "billing.meter",
  meter_event: "billing.meter_event",
  portal_session: "billing_portal.session",
};

export interface StoredRec<T> extends Rec<T> {
  deleted?: boolean;
  /** Checkout Sessions keep their line items and subscription_data here: Stripe does not render them inline. */
  lines?: CheckoutLine[];
  subscriptionData?: { metadata: Record<string, string>; trialDays: number | null; description: string | null };
}

/** Per-request facts every operation needs; `events` collects what it emitted, for delivery afterwards. */
export interface Ctx {
  now: number;
  requestId: string | null;
  idempotencyKey: string | null;
  origin: string;
  events: StripeEvent[];
}

const LIST_LIMIT = 1_000_000;
const ns = (kind: string) => `stripe:${kind}`;

export class Repo {
  constructor(readonly store: DocStore) {}

  private async salt(): Promise<string> {
    const existing = await this.store.getDoc<string>(ns("meta"), "salt");
    if (existing) return existing;
    const salt = newSalt();
    await this.store.putDoc(ns("meta"), "salt", salt);
    return salt;
  }

  /** A fresh id and its sequence number (creation order, which lists sort by). */
  async newId(kind: IdKind): Promise<{ id: string; seq: number }> {
    const seq = await this.store.nextSeq(ns(kind));
    return { id: makeId(kind, await this.salt(), seq), seq };
  }

  async seq(kind: IdKind | StoredKind): Promise<number> {
    return this.store.nextSeq(ns(kind));
  }

  async get<T>(kind: StoredKind, id: string): Promise<StoredRec<T> | undefined> {
    return this.store.getDoc<StoredRec<T>>(ns(kind), id);
  }

  /** The live object, or Stripe's 404 (400 when `param` names a request parameter). */
  async must<T>(kind: StoredKind, id: string, param = "id"): Promise<StoredRec<T>> {
    const rec = await this.get<T>(kind, id);
    if (!rec || rec.deleted) throw noSuch(KIND_NAMES[kind], id, param);
    return rec;
  }

  async put<T extends { id: string }>(kind: StoredKind, rec: StoredRec<T>): Promise<T> {
    await this.store.putDoc(ns(kind), rec.obj.id, rec);
    return rec.obj;
  }

  async putKeyed<T>(kind: StoredKind, key: string, rec: StoredRec<T>): Promise<void> {
    await this.store.putDoc(ns(kind), key, rec);
  }

  /** Every record of a kind, newest first. */
  async all<T>(kind: StoredKind): Promise<StoredRec<T>[]> {
    const recs = await this.store.listDocs<StoredRec<T>>(ns(kind), LIST_LIMIT);
    return recs.sort((a, b) => b.seq - a.seq);
  }

  /** Records an event (it is listed under /v1/events at once) and queues it for webhook delivery. */
  async emit(ctx: Ctx, type: string, object: unknown, previous?: Record<string, unknown>): Promise<StripeEvent> {
    const { id, seq } = await this.newId("event");
    const event = buildEvent(id, ctx.now, type, object, { id: ctx.requestId, idempotency_key: ctx.idempotencyKey }, previous);
    await this.put("event", { seq, obj: event });
    ctx.events.push(event);
    return event;
  }

  /** Resolves ids for `expand[]`: undefined = not an expandable id, null = gone. */
  resolver = async (id: string): Promise<unknown> => {
    const kind = kindOfId(id);
    const stored: Partial<Record<IdKind, StoredKind>> = {
      customer: "customer",
      product: "product",
      price: "price",
      checkout_session: "checkout_session",
      subscription: "subscription",
      invoice: "invoice",
      meter: "meter",
    };
    const storedKind = kind ? stored[kind] : undefined;
    if (!storedKind) return undefined;
    const rec = await this.get<{ id: string; object: string }>(storedKind, id);
    if (!rec) return null;
    return rec.deleted ? deletedStub(rec.obj.id, rec.obj.object) : rec.obj;
  };

  /** Applies `expand[]`, including the Checkout Session's `line_items`, which only exist when expanded. */
  async expand<T>(value: T, paths: readonly string[]): Promise<T> {
    if (!paths.length || value === null || typeof value !== "object") return value;
    let out: unknown = value;
    const lineItemPaths: string[] = paths.filter((p) => p === "line_items" || p === "data.line_items");
    if (lineItemPaths.length) {
      out = structuredClone(out);
      const sessions = (out as { object?: string }).object === "list" ? ((out as { data: unknown[] }).data as Record<string, unknown>[]) : [out as Record<string, unknown>];
      for (const s of sessions) {
        if (s.object !== "checkout.session") continue;
        const rec = await this.get<{ id: string }>("checkout_session", String(s.id));
        s.line_items = lineItemsList(String(s.id), rec?.lines ?? []);
      }
    }
    const rest = paths.filter((p) => !lineItemPaths.includes(p));
    return expandPaths(out as T, rest, this.resolver);
  }

  // ---- idempotency and delivery bookkeeping
  getIdem(key: string): Promise<IdemRecord | undefined> {
    return this.store.getDoc<IdemRecord>(ns("idempotency"), key);
  }

  async putIdem(key: string, rec: IdemRecord): Promise<void> {
    await this.store.putDoc(ns("idempotency"), key, rec);
  }

  async newDeliveryId(): Promise<string> {
    return `dlv_${String(await this.store.nextSeq(ns("delivery"))).padStart(6, "0")}`;
  }

  async saveDelivery(rec: DeliveryRecord): Promise<void> {
    await this.store.putDoc(ns("delivery"), rec.id, rec);
  }

  async deliveries(): Promise<DeliveryRecord[]> {
    const recs = await this.store.listDocs<DeliveryRecord>(ns("delivery"), LIST_LIMIT);
    return recs.sort((a, b) => (a.id < b.id ? 1 : -1));
  }
}

