import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { user } from "./auth-schema";

/**
 * The dual-domain funnel (owned by workers/funnel/). Only the entry of the funnel is stored here: who
 * arrived (an anonymous visitor) and who signed up (linked to the visitor they were, when there was one).
 * Every later step (first API call, deployment, IDE setup, upgrade) is derived at query time from the
 * tables that already record it, so no other capability writes to the funnel.
 *
 * Privacy: a visitor is a random id from a first-party cookie, the brand it arrived on, its experiment
 * arms, the first path segment it landed on and the time. No IP address, no user agent, nothing personal;
 * browsers sending DNT or GPC are not recorded at all.
 */
export const funnelVisitor = sqliteTable(
  "funnel_visitor",
  {
    /** The anonymous id (cookie `fid`), random, 128 bits, base64url. */
    id: text("id").primaryKey(),
    /** swaggystacks | scientiacapital: the brand of the host it first arrived on. */
    brand: text("brand").notNull(),
    /** JSON {experiment id: variant id} assigned on the first visit (workers/funnel/experiments.ts). */
    variants: text("variants").notNull(),
    /** First path segment of the landing page ("/", "/ide", "/device"); never a query or an id. */
    landing: text("landing").notNull(),
    firstAt: integer("first_at").notNull(),
  },
  (t) => [index("funnel_visitor_first_idx").on(t.firstAt)],
);

/**
 * One row per account, written when better-auth creates the user. `visitor_id` is the anonymous visitor
 * they signed up as (at most one account per visitor: the unique index, under which SQLite lets NULLs repeat); null for sign-ups without a recorded visit, which
 * count under the brand of the host they signed up on. Goes with the account (FK cascade).
 */
export const funnelSignup = sqliteTable(
  "funnel_signup",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => user.id, { onDelete: "cascade" }),
    visitorId: text("visitor_id").references(() => funnelVisitor.id, { onDelete: "set null" }),
    brand: text("brand").notNull(),
    signedUpAt: integer("signed_up_at")
      .default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`)
      .notNull(),
  },
  (t) => [uniqueIndex("funnel_signup_visitor_idx").on(t.visitorId), index("funnel_signup_at_idx").on(t.signedUpAt)],
);
