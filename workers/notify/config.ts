import { isLocalDev } from "../auth/config";
import type { Env } from "../env";
import { retrySchedule } from "./backoff";
import { DEFAULT_TIMEOUT_MS } from "./deliver";
import { LOCAL_DEV_POLICY, PRODUCTION_POLICY, type SsrfPolicy } from "./ssrf";

/** Loopback and http only on a developer's machine (the sandbox configured), never in production. */
export function ssrfPolicy(env: Env): SsrfPolicy {
  return isLocalDev(env) ? LOCAL_DEV_POLICY : PRODUCTION_POLICY;
}

export function scheduleOf(env: Env): readonly number[] {
  return retrySchedule(env.NOTIFY_RETRY_SCHEDULE_MS);
}

export function timeoutOf(env: Env): number {
  const n = Number(env.NOTIFY_TIMEOUT_MS);
  return Number.isInteger(n) && n > 0 && n <= 60_000 ? n : DEFAULT_TIMEOUT_MS;
}

/** How long a rotated-out secret keeps signing (receivers switch over meanwhile). */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3_600_000;
/** Endpoints per workspace. */
export const MAX_ENDPOINTS = 20;
