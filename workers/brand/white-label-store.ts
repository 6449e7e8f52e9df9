import { TtlCache } from "../keys/ttl-cache";
import { isBrandId } from "./brands";
import type { WhiteLabel, WhiteLabelInput } from "./white-label";

/**
 * White-label rows in D1 (`white_label`), read by hostname on requests to hostnames that are not the
 * platform's own. Cached per isolate for a minute, misses included, so a stranger's Host header costs one
 * query a minute, not one per request; a change clears this isolate's entry at once.
 */
const TTL_MS = 60_000;
const byHost = new TtlCache<WhiteLabel | null>(2_000);

interface Row {
  workspace_id: string;
  hostname: string;
  base_brand: string;
  name: string;
  tagline: string | null;
  theme_color: string;
  background_color: string;
  logo: string | null;
}

function fromRow(r: Row): WhiteLabel {
  return {
    workspaceId: r.workspace_id,
    hostname: r.hostname,
    baseBrand: isBrandId(r.base_brand) ? r.base_brand : "scientiacapital",
    name: r.name,
    tagline: r.tagline,
    themeColor: r.theme_color,
    backgroundColor: r.background_color,
    logo: r.logo,
  };
}

export async function whiteLabelForHost(db: D1Database, hostname: string, now: number): Promise<WhiteLabel | undefined> {
  const hit = byHost.get(hostname, now);
  if (hit !== undefined) return hit ?? undefined;
  const row = await db.prepare("SELECT * FROM white_label WHERE hostname = ?").bind(hostname).first<Row>();
  const label = row ? fromRow(row) : null;
  byHost.set(hostname, label, now, TTL_MS);
  return label ?? undefined;
}

export async function whiteLabelOf(db: D1Database, workspaceId: string): Promise<WhiteLabel | undefined> {
  const row = await db.prepare("SELECT * FROM white_label WHERE workspace_id = ?").bind(workspaceId).first<Row>();
  return row ? fromRow(row) : undefined;
}

/** Saves the workspace's branding; false when another workspace already has the hostname. */
export async function saveWhiteLabel(db: D1Database, workspaceId: string, input: WhiteLabelInput, userId: string, now: number): Promise<{ ok: true; previousHost: string | undefined } | { ok: false }> {
  const taken = await db.prepare("SELECT workspace_id FROM white_label WHERE hostname = ? AND workspace_id != ?").bind(input.hostname, workspaceId).first();
  if (taken) return { ok: false };
  const previous = await whiteLabelOf(db, workspaceId);
  await db
    .prepare(
      `INSERT INTO white_label (workspace_id, hostname, base_brand, name, tagline, theme_color, background_color, logo, updated_by, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (workspace_id) DO UPDATE SET hostname = excluded.hostname, base_brand = excluded.base_brand, name = excluded.name,
         tagline = excluded.tagline, theme_color = excluded.theme_color, background_color = excluded.background_color,
         logo = excluded.logo, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    )
    .bind(workspaceId, input.hostname, input.baseBrand, input.name, input.tagline, input.themeColor, input.backgroundColor, input.logo, userId, now)
    .run();
  byHost.delete(input.hostname);
  if (previous) byHost.delete(previous.hostname);
  return { ok: true, previousHost: previous?.hostname };
}

export async function deleteWhiteLabel(db: D1Database, workspaceId: string): Promise<WhiteLabel | undefined> {
  const previous = await whiteLabelOf(db, workspaceId);
  if (!previous) return undefined;
  await db.prepare("DELETE FROM white_label WHERE workspace_id = ?").bind(workspaceId).run();
  byHost.delete(previous.hostname);
  return previous;
}
