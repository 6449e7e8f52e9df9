import type { FaultEffect } from "./faults";
import type { HubStateApi, SandboxState } from "./state";

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

/** The state object's Hugging Face methods, typed (see HubStateApi). */
export function hubState(env: SandboxEnv): HubStateApi {
  return sandboxState(env) as unknown as HubStateApi;
}
