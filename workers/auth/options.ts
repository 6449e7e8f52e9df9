import { sso, type SSOOptions } from "@better-auth/sso";
import type { BetterAuthOptions } from "better-auth";
import { bearer, deviceAuthorization, organization, type OrganizationOptions } from "better-auth/plugins";
import { ac, roles } from "./roles";

/** The client id of the device-pairing CLI (scripts/connect.ts); the only device client there is. */
export const PAIRING_CLIENT_ID = "platform-connect";

/** The runtime-only parts of the plugins (callbacks that need bindings); the schema generator passes none. */
export interface PluginRuntime {
  sendInvitationEmail?: OrganizationOptions["sendInvitationEmail"];
  organizationHooks?: OrganizationOptions["organizationHooks"];
}

/**
 * The better-auth plugins. They shape the database (their tables) as much as the API, so the runtime
 * auth instance (instance.ts) and the schema generator (`workers/db/auth.cli.ts`) build them here from
 * one place, and the migrations in `migrations/` always match what the running code expects.
 */
export function authPlugins(runtime: PluginRuntime = {}) {
  return [
    bearer(),
    organization({
      ac,
      roles,
      creatorRole: "owner",
      // Invitations live two days; a re-invite replaces the pending one instead of piling up.
      invitationExpiresIn: 48 * 3600,
      cancelPendingInvitationsOnReInvite: true,
      sendInvitationEmail: runtime.sendInvitationEmail,
      organizationHooks: runtime.organizationHooks,
    }),
    // RFC 8628 for the `connect` CLI: it shows a QR code of /device?user_code=…, the phone approves.
    deviceAuthorization({ expiresIn: "30m", interval: "5s", verificationUri: "/device", validateClient: (id) => id === PAIRING_CLIENT_ID }),
    sso(ssoOptions),
  ];
}

/**
 * Enterprise SSO: OIDC per organization, chosen by email domain (`POST /sign-in/sso {email}`). Users who
 * sign in through their company's IdP join that company's workspace as members. The IdP's email_verified
 * claim is not trusted to link an SSO identity onto an existing password account (that would let whoever
 * runs an IdP take over accounts); SAML endpoints exist in the plugin but are not offered.
 */
const ssoOptions = {
  organizationProvisioning: { disabled: false, defaultRole: "member" },
  trustEmailVerified: false,
  providersLimit: 5,
} satisfies SSOOptions;

export const baseAuthOptions = {
  basePath: "/api/auth",
  telemetry: { enabled: false },
  emailAndPassword: { enabled: true },
} satisfies Partial<BetterAuthOptions>;
