import { isAPIError } from "better-auth/api";
import { Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import { z } from "zod";
import { authHeaders, requireSession } from "../auth/middleware";
import { getAuth } from "../auth/instance";
import type { AppEnv } from "../env";
import { AppError, badRequest, notFound } from "../errors";
import { rateLimit } from "../platform/middleware";
import { api } from "../openapi/describe";
import { deleteAccount } from "./delete";
import { reauthFor } from "./departure";
import { exportAccount } from "./export";

/**
 * /api/account: the signed-in user's own data (privacy). GET /export hands all of it over as JSON;
 * DELETE / removes it after the user proves it is them again (password, or a fresh SSO sign-in).
 */
const deleteBody = z.object({ password: z.string().min(1).max(1024).optional() }).strict();

export const accountDataRoutes = new Hono<AppEnv>()
  .get("/export", requireSession(), api({ tag: "Account", summary: "Everything the platform holds about you (JSON download, no secrets)", auth: "session" }), async (c) => {
    const data = await exportAccount(c.env.DB, c.var.user.id, c.var.session.id);
    if (!data) throw notFound("No such account");
    c.header("content-disposition", `attachment; filename="account-${c.var.user.id}.json"`);
    c.header("cache-control", "no-store");
    return c.json(data);
  })
  .delete(
    "/",
    // Password guesses against a stolen session are worth slowing down: a few tries a minute per client.
    rateLimit({ bucket: "account-delete", limit: () => 10, windowMs: 60_000 }),
    requireSession(),
    api({
      tag: "Account",
      summary: "Delete your account after re-authentication (password, or a fresh SSO sign-in)",
      auth: "session",
      body: deleteBody,
      optionalBody: true,
      invalidMessage: 'Body must be {"password": string} (omit it for SSO-only accounts)',
    }),
    async (c) => {
      const { password } = c.req.valid("json");
      const userId = c.var.user.id;

      const credential = await c.env.DB.prepare("select 1 as ok from account where user_id = ? and provider_id = 'credential' and password is not null limit 1")
        .bind(userId)
        .first<{ ok: number }>();
      const started = await c.env.DB.prepare("select created_at from session where id = ?").bind(c.var.session.id).first<{ created_at: number }>();
      const reauth = reauthFor(Boolean(credential), started?.created_at ?? 0, Date.now());
      if (reauth.kind === "password") {
        if (!password) throw new AppError(400, "password_required", "Confirm with your password: {\"password\": \"...\"}");
        const ok = await getAuth(c.env)
          .api.verifyPassword({ body: { password }, headers: authHeaders(c) })
          .then(
            () => true,
            (err: unknown) => {
              if (isAPIError(err)) return false;
              throw err;
            },
          );
        if (!ok) throw new AppError(401, "invalid_password", "The password is not correct");
      } else if (!reauth.fresh) {
        throw new AppError(401, "reauthentication_required", "Sign in again through your identity provider, then delete the account within 5 minutes");
      }

      const result = await deleteAccount(c.env, { id: userId, email: c.var.user.email });
      // The sessions are gone from D1; tell the browser to drop its cookie too.
      for (const name of ["better-auth.session_token", "__Secure-better-auth.session_token"]) {
        deleteCookie(c, name, { path: "/", ...(name.startsWith("__Secure-") ? { secure: true } : {}) });
      }
      return c.json({ deleted: true, ...result });
    },
  );
