import { resolveBrand, type BrandId } from "../brand/brands";
import type { Env } from "../env";
import { trackingAllowed, type Assignment } from "./experiments";

/**
 * The funnel's two writes: a visitor's first visit (POST /api/funnel/visit) and an account's sign-up
 * (better-auth's user-create hook). Both are idempotent; neither stores anything personal.
 */

/** The anonymous id's cookie. First-party, HttpOnly (the PWA never reads it), one year from the first visit. */
export const VISITOR_COOKIE = "fid";
export const VISITOR_COOKIE_MAX_AGE = 365 * 24 * 3600;

const ANON_ID = /^[A-Za-z0-9_-]{22}$/;

export function isAnonId(value: string | undefined | null): value is string {
  return typeof value === "string" && ANON_ID.test(value);
}

/** 128 random bits, base64url (22 characters). */
export function newAnonId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** One cookie's value from a Cookie header (the last one wins, as browsers send the most specific first). */
export function cookieValue(header: string | null | undefined, name: string): string | undefined {
  let found: string | undefined;
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) found = part.slice(eq + 1).trim();
  }
  return found;
}

/**
 * The landing page as the first path segment only ("/", "/ide", "/device"): enough to tell entry points
 * apart, never a query string, a token or an id.
 */
export function landingOf(path: string | undefined): string {
  if (!path || !path.startsWith("/")) return "/";
  const segment = path.split(/[?#]/)[0]!.split("/")[1] ?? "";
  if (segment === "") return "/";
  return /^[a-z0-9-]{1,32}$/i.test(segment) ? `/${segment.toLowerCase()}` : "/other";
}

export interface VisitorRecord {
  brand: BrandId;
  variants: Assignment;
  firstAt: number;
  /** True when this call stored the visitor (its first visit). */
  created: boolean;
}

/**
 * Stores the visitor once (the first visit wins: its brand, arms and time), then reads back what is stored,
 * in one round trip. Arms of experiments added since the first visit are filled in from `variants` (the
 * same deterministic assignment), so a visitor keeps old arms and gains new ones.
 */
export async function recordVisit(db: D1Database, v: { id: string; brand: BrandId; variants: Assignment; landing: string; now: number }): Promise<VisitorRecord> {
  const [ins, sel] = await db.batch([
    db.prepare("INSERT INTO funnel_visitor (id, brand, variants, landing, first_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING").bind(v.id, v.brand, JSON.stringify(v.variants), v.landing, v.now),
    db.prepare("SELECT brand, variants, first_at FROM funnel_visitor WHERE id = ?").bind(v.id),
  ]);
  const row = sel!.results[0] as { brand: BrandId; variants: string; first_at: number };
  const stored = JSON.parse(row.variants) as Assignment;
  const missing = Object.keys(v.variants).filter((k) => !(k in stored));
  if (missing.length > 0) {
    for (const k of missing) stored[k] = v.variants[k]!;
    await db.prepare("UPDATE funnel_visitor SET variants = ? WHERE id = ?").bind(JSON.stringify(stored), v.id).run();
  }
  return { brand: row.brand, variants: stored, firstAt: row.first_at, created: (ins!.meta.changes ?? 0) > 0 };
}

/** What better-auth hands its database hooks about the request (null when a user is made outside one). */
export interface HookRequest {
  headers?: Headers | undefined;
  request?: Request | undefined;
}

/**
 * Records a new account in the funnel. The anonymous visitor it came as (the `fid` cookie on the sign-up
 * request, unless the browser sends DNT/GPC) is linked when it exists and no other account has claimed it;
 * otherwise the sign-up counts under the brand of the host it was made on, with no variant. Never throws:
 * the funnel must not cost anyone their sign-up.
 */
export async function recordSignUp(env: Env, userId: string, ctx: HookRequest | null | undefined, now = Date.now()): Promise<void> {
  try {
    const headers = ctx?.headers ?? ctx?.request?.headers;
    const host = headers?.get("host") ?? (ctx?.request ? new URL(ctx.request.url).host : undefined);
    const brand = resolveBrand(host, env.BRAND).id;
    const fid = headers && trackingAllowed(headers) ? cookieValue(headers.get("cookie"), VISITOR_COOKIE) : undefined;
    if (isAnonId(fid)) {
      // No row when the visitor is unknown; none either (ON CONFLICT) when another account already claimed it.
      const linked = await env.DB.prepare(
        "INSERT INTO funnel_signup (user_id, visitor_id, brand, signed_up_at) SELECT ?, id, brand, ? FROM funnel_visitor WHERE id = ? ON CONFLICT DO NOTHING",
      )
        .bind(userId, now, fid)
        .run();
      if ((linked.meta.changes ?? 0) > 0) return;
    }
    await env.DB.prepare("INSERT INTO funnel_signup (user_id, visitor_id, brand, signed_up_at) VALUES (?, NULL, ?, ?) ON CONFLICT DO NOTHING").bind(userId, brand, now).run();
  } catch (err) {
    console.error("funnel: recording a sign-up failed", err);
  }
}

/**
 * Visitors who never signed up are dropped once their cookie has expired (they can no longer convert);
 * an optional call for the cron. Returns how many went.
 */
export async function pruneVisitors(db: D1Database, now: number): Promise<number> {
  const r = await db
    .prepare("DELETE FROM funnel_visitor WHERE first_at < ? AND id NOT IN (SELECT visitor_id FROM funnel_signup WHERE visitor_id IS NOT NULL)")
    .bind(now - VISITOR_COOKIE_MAX_AGE * 1000)
    .run();
  return r.meta.changes ?? 0;
}
