import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { z } from "zod";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { api } from "../openapi/describe";
import { assignVariants, controlAssignment, trackingAllowed, variantConfig } from "./experiments";
import { cookieValue, isAnonId, landingOf, newAnonId, recordVisit, VISITOR_COOKIE, VISITOR_COOKIE_MAX_AGE } from "./store";

/**
 * /api/funnel: the PWA's one call on load. POST /visit {path?} gives the visitor an anonymous id (cookie
 * `fid`) on their first visit, records them once under the brand of the host and their experiment arms,
 * and answers with the arms and what they mean for this brand (headline, default model, plan order).
 * Browsers that send DNT or GPC are not recorded and get no cookie: they see the control arm.
 * The admin report is GET /api/admin/funnel (workers/admin/routes.ts).
 */
const visitBody = z.object({ path: z.string().max(2048).optional() }).strict();

/** The body is optional: none (or an empty one) is `{}`; anything else must be the JSON above. */
export const funnelRoutes = new Hono<AppEnv>().post("/visit", api({ tag: "Funnel", summary: "Record a visit (anonymous, first-party) and get the visitor's experiment arms", auth: "none", body: visitBody, what: "visit", optionalBody: true }), async (c) => {
  const body = c.req.valid("json");
  const brand = c.var.brand;
  // Browsers send Origin on POST: a page of another site may not count visits here.
  const origin = c.req.header("origin");
  const host = c.req.header("host") ?? new URL(c.req.url).host;
  if (origin && origin !== "null") {
    let originHost = "";
    try {
      originHost = new URL(origin).host;
    } catch {
      // fall through to the refusal
    }
    if (originHost.toLowerCase() !== host.toLowerCase()) throw new AppError(403, "cross_origin", "Visits are recorded from the platform's own pages only");
  }

  if (!trackingAllowed(c.req.raw.headers)) {
    const variants = controlAssignment();
    return c.json({ recorded: false, variants, config: variantConfig(brand, variants) });
  }

  const existing = cookieValue(c.req.header("cookie"), VISITOR_COOKIE);
  const id = isAnonId(existing) ? existing : newAnonId();
  const visitor = await recordVisit(c.env.DB, { id, brand: brand.id, variants: await assignVariants(id), landing: landingOf(body.path), now: Date.now() });
  if (id !== existing) {
    setCookie(c, VISITOR_COOKIE, id, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: new URL(c.req.url).protocol === "https:",
      maxAge: VISITOR_COOKIE_MAX_AGE,
    });
  }
  return c.json({ recorded: true, firstVisit: visitor.created, variants: visitor.variants, config: variantConfig(brand, visitor.variants) });
});
