import type { D1Migration } from "cloudflare:test";
import type { Env as PlatformEnv } from "../../workers/env";

// `env` from cloudflare:test carries the platform's bindings plus the migrations the config injects.
declare global {
  namespace Cloudflare {
    interface Env extends PlatformEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** The sandbox stand-ins started for this test run (vitest.config.ts). */
      TEST_SANDBOX_URL: string;
    }
  }
}
