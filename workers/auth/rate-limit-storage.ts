import type { BetterAuthRateLimitStorage } from "@better-auth/core";
import type { Env } from "../env";

/**
 * better-auth's rate-limit storage backed by the RateLimiter Durable Object, so limits hold across every
 * isolate (better-auth's default memory store is per isolate, and its database store costs D1 writes on
 * every auth request). better-auth keys a request as `<ip>|<path>`; the key's client part picks the same
 * per-client object the /api flood guard uses, and the path becomes a bucket inside it.
 */
export function durableObjectRateLimitStorage(env: Env): BetterAuthRateLimitStorage {
  return {
    async consume(key, rule) {
      const cut = key.lastIndexOf("|");
      const client = cut > 0 ? key.slice(0, cut) : key;
      const path = cut > 0 ? key.slice(cut + 1) : "";
      const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`ip:${client}`));
      const decision = await stub.take(`auth:${path}`, rule.max, rule.window * 1000);
      return { allowed: decision.allowed, retryAfter: decision.allowed ? null : decision.retryAfter };
    },
  };
}

/**
 * Per-path limits per client IP. Sign-in is the brute-force target: a person mistyping a password a few
 * times stays well under it; a script does not. Sign-up and reset mails are limited harder since each
 * creates rows and (reset) mail. Everything else under /api/auth shares a generous default.
 */
export const AUTH_RATE_LIMITS = {
  default: { window: 60, max: 300 },
  customRules: {
    "/sign-in/*": { window: 60, max: 10 },
    "/sign-up/*": { window: 60, max: 10 },
    "/request-password-reset": { window: 300, max: 5 },
    "/reset-password": { window: 300, max: 10 },
    "/change-password": { window: 300, max: 10 },
  },
} as const;
