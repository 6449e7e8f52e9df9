import type { MiddlewareHandler } from "hono";
import { resolveBrand } from "../brand/brands";
import type { AppEnv, Env } from "../env";
import { AppError } from "../errors";

/** Reuses a well-formed caller request id (for tracing across hops) or mints one; echoed on every response. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const id = incoming && /^[A-Za-z0-9._:-]{8,128}$/.test(incoming) ? incoming : `req_${crypto.randomUUID().replaceAll("-", "")}`;
    c.set("requestId", id);
    await next();
    c.res.headers.set("x-request-id", id);
  };
}

export function brand(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("brand", resolveBrand(c.req.header("host") ?? new URL(c.req.url).host, c.env.BRAND));
    await next();
  };
}

/** Headers every API response carries. The PWA's own headers come from the asset layer. */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set("x-content-type-options", "nosniff");
    h.set("referrer-policy", "strict-origin-when-cross-origin");
    h.set("x-frame-options", "DENY");
    if (!h.has("cache-control")) h.set("cache-control", "no-store");
  };
}

/** Per-client flood guard backed by the RateLimiter Durable Object. */
export function rateLimit(opts: { bucket: string; limit: (env: Env) => number; windowMs: number }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const client = c.req.header("cf-connecting-ip") ?? c.req.header("x-real-ip") ?? "local";
    const stub = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(`ip:${client}`));
    const decision = await stub.take(opts.bucket, opts.limit(c.env), opts.windowMs);
    if (!decision.allowed) {
      c.header("retry-after", String(decision.retryAfter));
      throw new AppError(429, "rate_limited", `Too many requests; retry in ${decision.retryAfter}s`);
    }
    await next();
  };
}
