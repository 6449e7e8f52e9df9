import type { D1Migration } from "cloudflare:test";
import type { Env as PlatformEnv } from "../../workers/env";

// `env` from cloudflare:test carries the platform's bindings plus the migrations the config injects.
declare global {
  namespace Cloudflare {
    interface Env extends PlatformEnv {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
