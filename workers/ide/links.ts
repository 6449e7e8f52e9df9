import { displayPrefix, generateKey, hashKey } from "../keys/format";
import type { KeyScope } from "../keys/scopes";
import type { IdeClient } from "./config";

/**
 * One-time setup links: what the phone's QR code encodes. The link carries a random token, never a key;
 * only the token's SHA-256 is stored. Redeeming it (on the desktop) mints a fresh, scoped, revocable key
 * for the person who made the link, once: the link is marked used and the key written in one D1 batch
 * (a transaction), and the key row is only written if this redemption is the one that marked the link.
 */
export const LINK_TTL_MS = 10 * 60_000;
const TOKEN_PREFIX = "ide_";

export interface LinkRecord {
  workspaceId: string;
  userId: string;
  client: IdeClient;
  scopes: KeyScope[];
  templateId: string | null;
  expiresAt: number;
}

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function isLinkToken(token: string): boolean {
  return /^ide_[A-Za-z0-9_-]{43}$/.test(token);
}

export async function createLink(db: D1Database, input: Omit<LinkRecord, "expiresAt">, now: number, ttlMs = LINK_TTL_MS): Promise<{ token: string; expiresAt: number }> {
  const token = `${TOKEN_PREFIX}${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
  const expiresAt = now + ttlMs;
  await db
    .prepare("INSERT INTO ide_link (hash, workspace_id, user_id, client, scopes, template_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(await hashKey(token), input.workspaceId, input.userId, input.client, JSON.stringify(input.scopes), input.templateId, now, expiresAt)
    .run();
  return { token, expiresAt };
}

export type Redemption =
  | { ok: true; link: LinkRecord; key: string; keyId: string; keyPrefix: string }
  | { ok: false; reason: "unknown" | "used" | "expired" };

/** Spends the link and mints its key, or says why it cannot be spent. */
export async function redeemLink(db: D1Database, token: string, now: number, keyName: (l: LinkRecord) => string): Promise<Redemption> {
  if (!isLinkToken(token)) return { ok: false, reason: "unknown" };
  const hash = await hashKey(token);
  const row = await db.prepare("SELECT workspace_id, user_id, client, scopes, template_id, expires_at, used_at FROM ide_link WHERE hash = ?").bind(hash).first<{
    workspace_id: string;
    user_id: string;
    client: IdeClient;
    scopes: string;
    template_id: string | null;
    expires_at: number;
    used_at: number | null;
  }>();
  if (!row) return { ok: false, reason: "unknown" };
  if (row.used_at !== null) return { ok: false, reason: "used" };
  if (row.expires_at <= now) return { ok: false, reason: "expired" };
  const link: LinkRecord = { workspaceId: row.workspace_id, userId: row.user_id, client: row.client, scopes: JSON.parse(row.scopes) as KeyScope[], templateId: row.template_id, expiresAt: row.expires_at };

  const key = generateKey();
  const keyId = `key_${crypto.randomUUID().replaceAll("-", "")}`;
  const [claim, insert] = await db.batch([
    db.prepare("UPDATE ide_link SET used_at = ?, key_id = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?").bind(now, keyId, hash, now),
    // Only when the update above claimed the link for this key id (a racing redemption claims it for its own).
    db
      .prepare(
        `INSERT INTO api_key (id, workspace_id, created_by, name, prefix, hash, scopes, created_at)
         SELECT ?, workspace_id, user_id, ?, ?, ?, scopes, ? FROM ide_link WHERE hash = ? AND key_id = ?`,
      )
      .bind(keyId, keyName(link), displayPrefix(key), await hashKey(key), now, hash, keyId),
  ]);
  if ((claim!.meta.changes ?? 0) === 0 || (insert!.meta.changes ?? 0) === 0) {
    const again = await db.prepare("SELECT expires_at, used_at FROM ide_link WHERE hash = ?").bind(hash).first<{ expires_at: number; used_at: number | null }>();
    return { ok: false, reason: again?.used_at !== null && again?.used_at !== undefined ? "used" : "expired" };
  }
  return { ok: true, link, key, keyId, keyPrefix: displayPrefix(key) };
}
