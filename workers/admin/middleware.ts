import type { MiddlewareHandler } from "hono";
import { adminEmails, isLocalDev } from "../auth/config";
import type { AppEnv } from "../env";
import { AppError } from "../errors";

/**
 * Platform operators only: the signed-in user's address must be in ADMIN_EMAILS. Outside local development
 * the address must also be verified, so that an account merely claiming an operator's address (say, one
 * provisioned by some organization's IdP) never passes. Runs after requireSession().
 */
export function requirePlatformAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get("user");
    const listed = adminEmails(c.env).has(user.email.toLowerCase());
    if (!listed || (!user.emailVerified && !isLocalDev(c.env))) {
      throw new AppError(403, "forbidden", "Platform administrators only");
    }
    await next();
  };
}
