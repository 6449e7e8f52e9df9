import { applyD1Migrations, env } from "cloudflare:test";

// Every workers test starts from the schema in migrations/, applied exactly as wrangler applies it.
await applyD1Migrations(env.DB, (env as unknown as { TEST_MIGRATIONS: D1Migration[] }).TEST_MIGRATIONS);
