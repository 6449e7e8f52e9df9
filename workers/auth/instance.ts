import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError } from "better-auth/api";
import { auditAfterHook, auditOrganizationHooks } from "../audit/auth-hooks";
import { openDb } from "../db/client";
import * as schema from "../db/schema";
import type { Env } from "../env";
import { recordSignUp } from "../funnel/store";
import { allowedHosts, authSecret, isLocalDev } from "./config";
import { sendEmail } from "./email";
import { authPlugins, baseAuthOptions } from "./options";
import { AUTH_RATE_LIMITS, durableObjectRateLimitStorage } from "./rate-limit-storage";
import { ssoTrustedOrigins } from "./sso-trust";
import { ensurePersonalWorkspace, isPersonal } from "./workspaces";

function createAuth(env: Env) {
  const db = openDb(env.DB);
  const dev = isLocalDev(env);
  return betterAuth({
    ...baseAuthOptions,
    secret: authSecret(env),
    // One instance serves both brands: each request's base URL is the host it came in on, if allowed.
    baseURL: { allowedHosts: allowedHosts(env), protocol: dev ? "auto" : "https" },
    trustedOrigins: (request) => ssoTrustedOrigins(db, request),
    database: drizzleAdapter(db, { provider: "sqlite", schema }),
    emailAndPassword: {
      enabled: true,
      // Locally a newcomer signs up and is in; in production an address must be proven first.
      requireEmailVerification: !dev,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 3600,
      sendResetPassword: async ({ user, url }) =>
        sendEmail(env, {
          to: user.email,
          kind: "reset_password",
          subject: "Reset your password",
          body: `Someone asked to reset the password of ${user.email}. If it was you, open ${url} within an hour. Otherwise ignore this mail.`,
          url,
        }),
    },
    emailVerification: {
      sendOnSignUp: !dev,
      autoSignInAfterVerification: true,
      sendVerificationEmail: async ({ user, url }) =>
        sendEmail(env, { to: user.email, kind: "verify_email", subject: "Confirm your email address", body: `Open ${url} to confirm ${user.email}.`, url }),
    },
    rateLimit: {
      enabled: true,
      ...AUTH_RATE_LIMITS.default,
      customRules: AUTH_RATE_LIMITS.customRules,
      customStorage: durableObjectRateLimitStorage(env),
    },
    advanced: {
      useSecureCookies: !dev,
      // Cloudflare sets cf-connecting-ip and overwrites any client-sent value, so it cannot be spoofed
      // in production; locally Miniflare sets it from the socket unless a test sends its own.
      ipAddress: { ipAddressHeaders: ["cf-connecting-ip"] },
    },
    // Audit entries for changes made through better-auth's own endpoints (see workers/audit/auth-hooks.ts).
    hooks: { after: auditAfterHook(env.DB) },
    databaseHooks: {
      user: {
        create: {
          // Every account starts with a workspace of its own (also accounts created by SSO sign-in).
          after: async (user, ctx) => {
            await ensurePersonalWorkspace(db, user.id);
            // The dual-domain funnel: links the visitor's anonymous cookie, if any (never throws).
            await recordSignUp(env, user.id, ctx);
          },
        },
      },
      session: {
        create: {
          // A fresh session starts in the personal workspace, so clients that send no x-workspace-id act
          // there rather than nowhere.
          before: async (session) => {
            if ((session as { activeOrganizationId?: string | null }).activeOrganizationId) return;
            return { data: { ...session, activeOrganizationId: await ensurePersonalWorkspace(db, session.userId) } };
          },
        },
      },
    },
    plugins: authPlugins({
      sendInvitationEmail: async (data, request) => {
        const origin = request ? new URL(request.url).origin : "";
        const url = `${origin}/invitations/${data.id}`;
        await sendEmail(env, {
          to: data.email,
          kind: "invitation",
          subject: `${data.inviter.user.name || data.inviter.user.email} invited you to ${data.organization.name}`,
          body: `You are invited to join ${data.organization.name} as ${data.role}. Accept at ${url} (valid 48 hours).`,
          url,
        });
      },
      organizationHooks: {
        ...auditOrganizationHooks(env.DB),
        // A personal workspace is where a user's own keys and usage live; it goes only with the account.
        beforeDeleteOrganization: async ({ organization }) => {
          if (isPersonal(organization.metadata)) {
            throw new APIError("BAD_REQUEST", { code: "PERSONAL_WORKSPACE", message: "A personal workspace cannot be deleted" });
          }
        },
      },
    }),
  });
}

export type Auth = ReturnType<typeof createAuth>;

/**
 * One auth instance per isolate: building it compiles the plugins' endpoints and checks the schema, which
 * per request would add milliseconds to every call. Keyed by the env object (stable within an isolate);
 * an unconfigured secret throws before anything is cached, so fixing the secret needs no restart logic.
 */
const instances = new WeakMap<Env, Auth>();

export function getAuth(env: Env): Auth {
  let auth = instances.get(env);
  if (!auth) {
    auth = createAuth(env);
    instances.set(env, auth);
  }
  return auth;
}
