import type { Env } from "../env";
import { BRANDS } from "../brand/brands";
import { AppError } from "../errors";

/**
 * Local development and tests are recognised by the sandbox being configured (`SANDBOX_URL`), the same
 * signal the upstream resolution uses; production environments blank it in wrangler.toml.
 */
export function isLocalDev(env: Env): boolean {
  return Boolean(env.SANDBOX_URL);
}

/** Published in the repository on purpose: it only ever signs sessions on a developer's own machine. */
const LOCAL_DEV_SECRET = "local-dev-only-auth-secret-never-used-in-production-0123456789";

/**
 * The session-signing secret. Production must configure AUTH_SECRET; without it auth refuses to start
 * (503 with a clear code) rather than fall back to a guessable secret or crash with a 500.
 */
export function authSecret(env: Env): string {
  if (env.AUTH_SECRET && env.AUTH_SECRET.length >= 32) return env.AUTH_SECRET;
  if (isLocalDev(env)) return env.AUTH_SECRET || LOCAL_DEV_SECRET;
  throw new AppError(
    503,
    "auth_unconfigured",
    env.AUTH_SECRET ? "AUTH_SECRET is too short (at least 32 characters)" : "AUTH_SECRET is not set; accounts are unavailable",
  );
}

/**
 * Hosts the auth base URL may be derived from (better-auth's dynamic baseURL: each request gets the
 * origin it came in on, so both brands share one instance). Production: the brand hostnames and their
 * subdomains; locally also localhost, *.localhost (swaggystacks.localhost:8787) and 127.0.0.1, any port.
 */
export function allowedHosts(env: Env): string[] {
  const hosts = Object.values(BRANDS).flatMap((b) => [b.hostname, `*.${b.hostname}`]);
  if (isLocalDev(env)) hosts.push("localhost", "localhost:*", "*.localhost", "*.localhost:*", "127.0.0.1", "127.0.0.1:*");
  return hosts;
}

/**
 * better-auth throws (a 500) when a request's host is not an allowed one; answer 421 Misdirected Request
 * first. In production only the brand routes reach the worker, so this guards local and odd setups.
 */
export function assertKnownHost(env: Env, host: string | undefined): void {
  const h = (host ?? "").toLowerCase();
  const known = allowedHosts(env).some((pattern) =>
    new RegExp(`^${pattern.replaceAll(".", "\\.").replaceAll("*", "[a-z0-9.-]+")}$`).test(h),
  );
  if (!known) throw new AppError(421, "unknown_host", `Accounts are not served on host ${JSON.stringify(host ?? "")}`);
}

/** Platform operators (`ADMIN_EMAILS`, comma-separated), lower-cased. */
export function adminEmails(env: Env): Set<string> {
  return new Set(
    (env.ADMIN_EMAILS ?? "")
      .split(",")
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
  );
}
