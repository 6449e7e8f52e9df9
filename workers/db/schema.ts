import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The D1 schema, one module for drizzle and drizzle-kit. better-auth's tables (users, sessions,
 * accounts, verification, organizations, members, invitations, device codes, SSO providers) are generated
 * into auth-schema.ts by `npm run db:auth-schema`; the platform's own tables are added beside them by each
 * capability as it lands, and `npm run db:generate` turns the diff into SQL in migrations/.
 */
export * from "./auth-schema";
export * from "./platform-schema";
export * from "./funnel-schema";
export * from "./notify-schema";
export * from "./cost-schema";
export * from "./observe-schema";

/**
 * Every email the platform would send (password resets, invitations, address verification). Nothing here
 * talks SMTP: locally the mail is printed to the console and kept in this table, which is also what a
 * future mail sender drains (`sent_at` null = not yet delivered). Owned by workers/auth/email.ts.
 */
export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: text("id").primaryKey(),
    toAddress: text("to_address").notNull(),
    /** reset_password | invitation | verify_email */
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    /** The link the mail carries (reset or accept URL), kept apart so tests and tools need not parse the body. */
    url: text("url"),
    createdAt: integer("created_at", { mode: "timestamp_ms" })
      .default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`)
      .notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("email_outbox_to_idx").on(t.toAddress, t.createdAt), index("email_outbox_unsent_idx").on(t.sentAt)],
);
