import type { BetterAuthOptions } from "better-auth";
import { bearer, deviceAuthorization, organization } from "better-auth/plugins";

/**
 * The better-auth options that shape the database (plugins and their tables). Shared by the runtime
 * auth instance and by the schema generator (`workers/db/auth.cli.ts`), so the migrations in
 * `migrations/` always match what the running code expects.
 */
export function authPlugins() {
  return [
    bearer(),
    organization({ creatorRole: "owner" }),
    deviceAuthorization({ expiresIn: "30m", interval: "5s", verificationUri: "/device" }),
  ];
}

export const baseAuthOptions = {
  basePath: "/api/auth",
  telemetry: { enabled: false },
  emailAndPassword: { enabled: true },
} satisfies Partial<BetterAuthOptions>;
