import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv, Env } from "../env";
import { api } from "../openapi/describe";
import { AppError } from "../errors";
import { drainBody } from "../platform/drain";
import { resolveUpstream } from "../platform/upstreams";
import {
  decideHubWebhook,
  deliveryId,
  freshness,
  HUB_WEBHOOK_MAX_BYTES,
  HUB_WEBHOOK_RETENTION_MS,
  hubWebhookPayload,
  hubWebhookSecret,
  parseHubWebhook,
  secretMatches,
  type HubDecision,
  type HubWebhookPayload,
} from "./hub-webhook";
import { deleteModels, loadSyncState, upsertRowIfNotOlder } from "./mirror";
import { fetchHubModel } from "./on-demand";

/**
 * POST /webhooks/huggingface: a Hub repository webhook refreshes one model in the catalog mirror at once
 * (pure rules in hub-webhook.ts). Order: configured? (503) → secret (401, body unread) → size (413) →
 * JSON and shape (400) → a delivery seen before (200 duplicate, nothing changes) → apply. A Hub that does
 * not answer is a 503 and the delivery is forgotten, so the Hub's replay can try again.
 */

type Outcome = { outcome: string; stale?: boolean; hubSha?: string | null; hubModifiedAt?: number | null };

class HubUnavailable extends Error {
  constructor(
    readonly status: 502 | 503,
    message: string,
  ) {
    super(message);
  }
}

const hub = (env: Env) => {
  const u = resolveUpstream(env as unknown as Record<string, unknown>, "huggingface");
  return { baseUrl: u.baseUrl, apiKey: u.apiKey };
};

const verifySecret: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secret = hubWebhookSecret(c.env as unknown as Record<string, unknown>);
  if (!secret) {
    await drainBody(c.req.raw);
    throw new AppError(503, "webhook_unconfigured", "Hugging Face webhooks are not configured (HF_WEBHOOK_SECRET is not set)");
  }
  const given = c.req.header("x-webhook-secret");
  if (!secretMatches(given, secret)) {
    await drainBody(c.req.raw);
    throw new AppError(401, given ? "invalid_secret" : "missing_secret", given ? "X-Webhook-Secret does not match" : "The X-Webhook-Secret header is required");
  }
  await next();
};

const mirrorModifiedAt = async (db: D1Database, id: string) =>
  (await db.prepare("SELECT modified_at FROM hf_model WHERE id = ?").bind(id).first<{ modified_at: number }>())?.modified_at ?? null;

/** When `sha` of `repo` was applied here before, the lastModified it had. */
const knownShaModifiedAt = async (db: D1Database, repo: string, sha: string | null) =>
  sha === null
    ? null
    : ((await db
        .prepare("SELECT max(hub_modified_at) AS t FROM hub_webhook_delivery WHERE repo = ? AND hub_sha = ? AND hub_modified_at IS NOT NULL")
        .bind(repo, sha)
        .first<{ t: number | null }>())?.t ?? null);

async function removeIfMirrored(db: D1Database, id: string): Promise<boolean> {
  if ((await mirrorModifiedAt(db, id)) === null) return false;
  await deleteModels(db, [id]);
  return true;
}

/** The Hub's current entry for `id` replaces the mirror's unless one of them is older than the mirror. */
async function refresh(env: Env, id: string, headSha: string | null, redirected = false): Promise<Outcome> {
  const before = await mirrorModifiedAt(env.DB, id);
  if (freshness(before, await knownShaModifiedAt(env.DB, id, headSha)) === "stale_delivery") {
    return { outcome: `stale: ${headSha} is older than the mirrored revision`, stale: true };
  }
  const got = await fetchHubModel(hub(env), id);
  if (!got.ok) {
    if (got.status === 404) return { outcome: (await removeIfMirrored(env.DB, id)) ? "removed: not on the Hub" : "ignored: not on the Hub" };
    throw new HubUnavailable(got.status, got.message);
  }
  if (got.private) return { outcome: (await removeIfMirrored(env.DB, id)) ? "removed: private" : "ignored: private" };
  if (got.row.id.toLowerCase() !== id.toLowerCase()) {
    // The Hub redirected a renamed repo: the old id is gone; the new one is what it is now (followed once).
    await removeIfMirrored(env.DB, id);
    if (redirected) return { outcome: `ignored: the Hub redirects ${id} again` };
    return refresh(env, got.row.id, null, true);
  }
  const hubModifiedAt = got.row.modifiedAt ?? got.row.createdAt ?? 0;
  const after = got.row.id === id ? before : await mirrorModifiedAt(env.DB, got.row.id);
  if (freshness(after, null, hubModifiedAt) === "stale_hub") {
    return { outcome: "stale: the Hub answered an older revision than the mirror's", stale: true };
  }
  const pass = Math.max(1, (await loadSyncState(env.DB, "backfill")).pass);
  const written = await upsertRowIfNotOlder(env.DB, got.row, pass);
  if (!written) return { outcome: "stale: a newer revision was written meanwhile", stale: true };
  return { outcome: `refreshed ${got.row.id}${got.sha ? ` at ${got.sha}` : ""}`, hubSha: got.sha, hubModifiedAt };
}

async function apply(env: Env, d: Exclude<HubDecision, { kind: "ignore" }>): Promise<Outcome> {
  switch (d.kind) {
    case "refresh":
      return refresh(env, d.id, d.headSha);
    case "delete": {
      // The Hub is asked first: a repo re-created since (or a stale delete) keeps its entry.
      const got = await fetchHubModel(hub(env), d.id);
      if (got.ok && !got.private && got.row.id.toLowerCase() === d.id.toLowerCase()) {
        const r = await refresh(env, d.id, null);
        return { ...r, outcome: `still on the Hub: ${r.outcome}` };
      }
      if (!got.ok && got.status !== 404) throw new HubUnavailable(got.status, got.message);
      return { outcome: (await removeIfMirrored(env.DB, d.id)) ? "deleted" : "ignored: not mirrored" };
    }
    case "move": {
      const to = await refresh(env, d.to, d.headSha);
      const old = await fetchHubModel(hub(env), d.from);
      if (!old.ok && old.status !== 404) throw new HubUnavailable(old.status, old.message);
      // Gone, or answered under its new name (the Hub redirects a moved repo).
      const gone = !old.ok || old.row.id.toLowerCase() !== d.from.toLowerCase();
      const removed = gone && (await removeIfMirrored(env.DB, d.from));
      return { ...to, outcome: `moved ${d.from} -> ${d.to}${removed ? " (old id removed)" : ""}: ${to.outcome}` };
    }
  }
}

export async function handleHubWebhook(env: Env, body: string, now = Date.now()): Promise<Record<string, unknown>> {
  const parsed = parseHubWebhook(body);
  if (!parsed.ok) throw new AppError(400, parsed.code, parsed.message, parsed.details);
  const p: HubWebhookPayload = parsed.payload;
  const id = await deliveryId(p.webhook.id, body);
  const decision = decideHubWebhook(p);
  const claimed = await env.DB.prepare(
    `INSERT INTO hub_webhook_delivery (id, webhook_id, action, scope, repo, head_sha, outcome, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  )
    .bind(id, p.webhook.id, p.event.action, p.event.scope, p.repo.name, p.repo.headSha?.toLowerCase() ?? null, decision.kind === "ignore" ? `ignored: ${decision.reason}` : "processing", now)
    .run();
  if (!claimed.meta.changes) {
    const seen = await env.DB.prepare("SELECT outcome FROM hub_webhook_delivery WHERE id = ?").bind(id).first<{ outcome: string }>();
    return { received: true, duplicate: true, delivery: id, outcome: seen?.outcome ?? "processing" };
  }
  if (decision.kind === "ignore") return { received: true, delivery: id, ignored: decision.reason };
  let result: Outcome;
  try {
    result = await apply(env, decision);
  } catch (err) {
    // Not applied: forget the delivery so the Hub's retry or replay is not taken for a duplicate.
    await env.DB.prepare("DELETE FROM hub_webhook_delivery WHERE id = ?").bind(id).run();
    if (err instanceof HubUnavailable) throw new AppError(err.status, "hub_unavailable", err.message);
    throw err;
  }
  await env.DB.prepare("UPDATE hub_webhook_delivery SET outcome = ?, hub_sha = ?, hub_modified_at = ? WHERE id = ?")
    .bind(result.outcome, result.hubSha ?? null, result.hubModifiedAt ?? null, id)
    .run();
  return { received: true, delivery: id, outcome: result.outcome, ...(result.stale ? { stale: true } : {}) };
}

/** The catalog cron: deliveries older than the retention window are forgotten. */
export async function pruneHubWebhookDeliveries(db: D1Database, now: number): Promise<number> {
  const r = await db.prepare("DELETE FROM hub_webhook_delivery WHERE received_at < ?").bind(now - HUB_WEBHOOK_RETENTION_MS).run();
  return r.meta.changes ?? 0;
}

export const hubWebhookRoutes = new Hono<AppEnv>().post(
  "/huggingface",
  api({ tag: "Webhooks", summary: "Hugging Face Hub repo webhooks (X-Webhook-Secret): refresh the catalog entry", auth: "signature", body: hubWebhookPayload, validate: false }),
  verifySecret,
  bodyLimit({
    maxSize: HUB_WEBHOOK_MAX_BYTES,
    onError: async (c) => {
      await drainBody(c.req.raw);
      throw new AppError(413, "payload_too_large", `Request body exceeds ${HUB_WEBHOOK_MAX_BYTES} bytes`);
    },
  }),
  async (c) => c.json(await handleHubWebhook(c.env, await c.req.text())),
);
