/**
 * The D1 schema, one module for drizzle and drizzle-kit. better-auth's tables (users, sessions,
 * accounts, verification, organizations, members, invitations, device codes) are generated into
 * auth-schema.ts by `npm run db:auth-schema`; the platform's own tables are added beside them by each
 * capability as it lands, and `npm run db:generate` turns the diff into SQL in migrations/.
 */
export * from "./auth-schema";
