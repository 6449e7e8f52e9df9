import type { Context } from "hono";
import type { AppEnv } from "../env";
import { controlAssignment, trackingAllowed, variantConfig, type Assignment, type VariantConfig } from "./experiments";
import { cookieValue, isAnonId, VISITOR_COOKIE } from "./store";

/**
 * What this browser's experiment arms mean on this brand, for server-rendered choices (the IDE config's
 * pre-selected model). The arms are the ones stored at the visitor's first visit, so the PWA and the server
 * agree; a visitor who opted out of tracking, has no cookie yet, or whose id is unknown sees the control.
 * One indexed read, only on the routes that need it.
 */
export async function visitorConfig(c: Context<AppEnv>): Promise<VariantConfig> {
  const brand = c.var.brand;
  const id = cookieValue(c.req.header("cookie"), VISITOR_COOKIE);
  if (!trackingAllowed(c.req.raw.headers) || !isAnonId(id)) return variantConfig(brand, controlAssignment());
  const row = await c.env.DB.prepare("SELECT variants FROM funnel_visitor WHERE id = ?").bind(id).first<{ variants: string }>();
  let stored: Assignment = {};
  try {
    stored = row ? (JSON.parse(row.variants) as Assignment) : {};
  } catch {
    // A damaged row must not break IDE setup: the control it is.
  }
  return variantConfig(brand, { ...controlAssignment(), ...stored });
}
