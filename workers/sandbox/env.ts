import type { FaultEffect } from "./faults";
import type { SandboxState } from "./state";

export interface SandboxEnv {
  STATE: DurableObjectNamespace<SandboxState>;
  PLATFORM_URL: string;
  STRIPE_WEBHOOK_SECRET: string;
}

export interface SandboxVars {
  /** The fault chosen for this request by the fault middleware, if any (streams read cutAfterChunks). */
  fault: FaultEffect | undefined;
}

export interface SandboxAppEnv {
  Bindings: SandboxEnv;
  Variables: SandboxVars;
}

export function sandboxState(env: SandboxEnv) {
  return env.STATE.get(env.STATE.idFromName("sandbox"));
}
