import type { MiddlewareHandler } from "hono";
import { hostnameOf, knownBrand, resolveBrand, type Brand } from "../brand/brands";
import { whiteLabeled } from "../brand/white-label";
import { whiteLabelForHost } from "../brand/white-label-store";
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
    c.set("brand", await brandFor(c.env, c.req.header("host") ?? new URL(c.req.url).host));
    await next();
  };
}

/**
 * The platform's own hostnames (whatever BRAND pins) and IPs or localhost never touch D1; any other
 * hostname may be an Enterprise customer's white-label (cached per isolate, misses too). A failed lookup
 * falls back to the pinned brand rather than failing the request.
 */
async function brandFor(env: Env, host: string): Promise<Brand> {
  const hostname = hostnameOf(host);
  if (!knownBrand(hostname) && /\.[a-z]{2,63}$/.test(hostname) && !hostname.endsWith(".localhost")) {
    const label = await whiteLabelForHost(env.DB, hostname, Date.now()).catch((e: unknown) => {
      console.error("white-label lookup failed", e);
      return undefined;
    });
    if (label) return whiteLabeled(label);
  }
  return resolveBrand(host, env.BRAND);
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
