import { applyD1Migrations, env } from "cloudflare:test";

// Every workers test starts from the schema in migrations/, applied exactly as wrangler applies it.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
