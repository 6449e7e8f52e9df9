import { z } from "zod";
import { resolveUpstream, SANDBOX_HF_WEBHOOK_SECRET } from "../platform/upstreams";

/**
 * Hugging Face Hub repository webhooks (POST /webhooks/huggingface): the pure parts. The Hub POSTs JSON
 * (`{event: {action, scope}, repo: {type, name, id, private, url, headSha?, ...}, movedTo?, updatedRefs?,
 * webhook: {id, version: 3}}`) with the configured secret sent as is in `X-Webhook-Secret` (no HMAC, no
 * timestamp, no delivery id header), and its "Replay" button sends a past payload again. So:
 * - the secret is compared in constant time;
 * - a delivery is identified by the SHA-256 of the webhook id and the raw body: a replay is the same
 *   delivery and changes nothing;
 * - a stale delivery is recognised against the mirror: a head commit the platform already applied at an
 *   older `lastModified` than the mirror holds, or a Hub answer older than the mirror, is never written.
 * The payload only says *which* model to look at: what is written is the Hub's own current entry.
 */

/** Largest body accepted (real payloads are a few KB). */
export const HUB_WEBHOOK_MAX_BYTES = 256 * 1024;
/** Deliveries are remembered (and replays recognised) this long; the catalog cron prunes older ones. */
export const HUB_WEBHOOK_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

const objectId = z.looseObject({ id: z.string().max(200) });
const url = z.looseObject({ web: z.string().max(2000).optional(), api: z.string().max(2000).optional() });
const sha = z.string().regex(/^[0-9a-f]{40}$/i);

export const hubWebhookPayload = z.looseObject({
  event: z.looseObject({
    // create | update | delete | move today; an unknown action is acknowledged and ignored.
    action: z.string().min(1).max(50),
    // repo | repo.content | repo.config | discussion | discussion.comment, more may come.
    scope: z.string().min(1).max(100),
  }),
  repo: z.looseObject({
    type: z.string().min(1).max(50),
    name: z.string().min(1).max(250),
    id: z.string().max(200).optional(),
    private: z.boolean().optional(),
    url: url.optional(),
    headSha: sha.nullable().optional(),
    tags: z.array(z.string()).max(1000).optional(),
    owner: objectId.optional(),
  }),
  movedTo: z.looseObject({ name: z.string().min(1).max(250), owner: objectId.optional() }).optional(),
  updatedRefs: z.array(z.looseObject({ ref: z.string(), oldSha: sha.nullable(), newSha: sha.nullable() })).max(1000).optional(),
  webhook: z.looseObject({ id: z.string().min(1).max(200), version: z.number().int() }),
});

export type HubWebhookPayload = z.infer<typeof hubWebhookPayload>;

export type Parsed = { ok: true; payload: HubWebhookPayload } | { ok: false; code: "invalid_json" | "invalid_payload"; message: string; details?: unknown };

export function parseHubWebhook(body: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, code: "invalid_json", message: "The body is not valid JSON" };
  }
  const r = hubWebhookPayload.safeParse(json);
  if (!r.success) {
    const details = r.error.issues.slice(0, 10).map((i) => ({ path: i.path.join("."), message: i.message }));
    return { ok: false, code: "invalid_payload", message: "The body is not a Hugging Face webhook payload", details };
  }
  return { ok: true, payload: r.data };
}

/** The catalog's id rule (mirror-row.ts): owner/name. */
const HF_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[\w.-]{1,96}$/;

export type HubDecision =
  | { kind: "ignore"; reason: string }
  | { kind: "refresh"; id: string; headSha: string | null }
  | { kind: "delete"; id: string }
  | { kind: "move"; from: string; to: string; headSha: string | null };

/** What a (valid) delivery asks of the catalog. */
export function decideHubWebhook(p: HubWebhookPayload): HubDecision {
  if (p.webhook.version !== 3) return { kind: "ignore", reason: `webhook version ${p.webhook.version} is not supported` };
  const scope = p.event.scope;
  // Narrower repo scopes added later count as updates of the repo (the Hub's own advice).
  if (scope !== "repo" && !scope.startsWith("repo.")) return { kind: "ignore", reason: `scope ${scope}` };
  if (p.repo.type !== "model") return { kind: "ignore", reason: `${p.repo.type} repo` };
  const id = p.repo.name;
  if (!HF_ID.test(id)) return { kind: "ignore", reason: `'${id.slice(0, 100)}' is not an owner/name model id` };
  const headSha = p.repo.headSha?.toLowerCase() ?? null;
  const action = scope === "repo" ? p.event.action : "update";
  switch (action) {
    case "create":
    case "update":
      return { kind: "refresh", id, headSha };
    case "delete":
      return { kind: "delete", id };
    case "move": {
      const to = p.movedTo?.name;
      if (!to) return { kind: "ignore", reason: "move without movedTo" };
      if (!HF_ID.test(to)) return { kind: "ignore", reason: `'${to.slice(0, 100)}' is not an owner/name model id` };
      return { kind: "move", from: id, to, headSha };
    }
    default:
      return { kind: "ignore", reason: `action ${action}` };
  }
}

/**
 * Whether the Hub's entry may be written over the mirror's. `mirrorModifiedAt`: the mirror's row (null: not
 * mirrored); `knownShaModifiedAt`: when the delivery's head commit was already applied here, the
 * lastModified it had (null: never seen); `hubModifiedAt`: the Hub's answer now (undefined: not fetched yet).
 */
export type Freshness = "fresh" | "stale_delivery" | "stale_hub";

export function freshness(mirrorModifiedAt: number | null, knownShaModifiedAt: number | null, hubModifiedAt?: number): Freshness {
  if (mirrorModifiedAt === null) return "fresh";
  if (knownShaModifiedAt !== null && knownShaModifiedAt < mirrorModifiedAt) return "stale_delivery";
  if (hubModifiedAt !== undefined && hubModifiedAt < mirrorModifiedAt) return "stale_hub";
  return "fresh";
}

/** Constant-time string equality (time depends only on the lengths): the secret is compared as sent. */
export function secretMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== "string" || !expected) return false;
  const enc = new TextEncoder();
  const a = enc.encode(given);
  const b = enc.encode(expected);
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i % (a.length || 1)] ?? 0) ^ (b[i % b.length] ?? 0);
  return diff === 0;
}

/** The delivery's identity: SHA-256 (hex) of the webhook id and the raw body. A replay has the same. */
export async function deliveryId(webhookId: string, body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${webhookId}\n${body}`));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** HF_WEBHOOK_SECRET, or against the Hub stand-in (no real Hub configured) its published local secret. */
export function hubWebhookSecret(env: Record<string, unknown>): string | undefined {
  const configured = typeof env.HF_WEBHOOK_SECRET === "string" ? env.HF_WEBHOOK_SECRET.trim() : "";
  if (configured) return configured;
  return resolveUpstream(env, "huggingface").mode === "sandbox" ? SANDBOX_HF_WEBHOOK_SECRET : undefined;
}
