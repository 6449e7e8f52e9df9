import { defineConfig } from "drizzle-kit";

// SQL for D1 is generated into migrations/ and applied by `wrangler d1 migrations apply` (npm run db:migrate).
export default defineConfig({
  dialect: "sqlite",
  schema: "./workers/db/schema.ts",
  out: "./migrations",
});
