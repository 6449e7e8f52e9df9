import { stableId } from "../lib/text";

/** Prefix and random-part length of each kind of Stripe id, as api.stripe.com issues them in test mode. */
export const ID_SHAPES = {
  customer: ["cus_", 14],
  product: ["prod_", 14],
  price: ["price_", 24],
  checkout_session: ["cs_test_", 58],
  checkout_line_item: ["li_", 24],
  subscription: ["sub_", 24],
  subscription_item: ["si_", 14],
  invoice: ["in_", 24],
  invoice_line: ["il_", 24],
  event: ["evt_", 24],
  meter: ["mtr_test_", 24],
  meter_event_summary: ["mtrusg_test_", 24],
  portal_session: ["bps_", 24],
  portal_configuration: ["bpc_", 24],
  payment_intent: ["pi_", 24],
  setup_intent: ["seti_", 24],
  payment_method: ["pm_", 24],
} as const satisfies Record<string, readonly [string, number]>;

export type IdKind = keyof typeof ID_SHAPES;

/**
 * A Stripe-looking id, deterministic in (salt, kind, seq). The salt is drawn once per sandbox world,
 * so ids never repeat after a reset while the platform may still hold the old ones.
 */
export function makeId(kind: IdKind, salt: string, seq: number): string {
  const [prefix, length] = ID_SHAPES[kind];
  const seed = `${salt}:${kind}:${seq}`;
  const body = stableId(seed, length);
  const caps = stableId(`${seed}:case`, length);
  let out = "";
  for (let i = 0; i < length; i++) {
    const ch = body[i]!;
    out += caps.charCodeAt(i) % 2 === 0 ? ch.toUpperCase() : ch;
  }
  return prefix + out;
}

const ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Request ids are per HTTP request, so they are random like Stripe's. */
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

export const newRequestId = () => `req_${randomToken(14)}`;
export const newSalt = () => randomToken(10);

/** What kind of object an id names, by prefix (used to expand ids into objects). */
export function kindOfId(id: string): IdKind | undefined {
  let best: IdKind | undefined;
  let bestLen = 0;
  for (const [kind, [prefix]] of Object.entries(ID_SHAPES) as [IdKind, readonly [string, number]][]) {
    if (id.startsWith(prefix) && prefix.length > bestLen) {
      best = kind;
      bestLen = prefix.length;
    }
  }
  // Custom product ids (`prod_pro`) and short test ids still carry the prefix.
  return best;
}
