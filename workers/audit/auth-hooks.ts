import { tryGetCurrentAuthEndpointContext } from "@better-auth/core/context";
import { createAuthMiddleware, isAPIError } from "better-auth/api";
import type { OrganizationOptions } from "better-auth/plugins";
import type { AuditInput } from "./chain";
import { appendAudit } from "./store";

/**
 * Audit entries for the changes better-auth makes on its own endpoints (invitations, role changes,
 * removals, leaving, workspace create/update, SSO registration). Wired into the one auth instance in
 * workers/auth/instance.ts.
 *
 * The organization plugin's hooks name the member affected, not who acted. The acting user is the
 * session of the endpoint being run, which better-auth keeps in its endpoint context (AsyncLocalStorage,
 * available on Workers through nodejs_compat) for exactly this kind of callback.
 */
type OrgHooks = NonNullable<OrganizationOptions["organizationHooks"]>;
type Actor = { id: string; email: string };

const who = (u: { id: string; email: string }): Actor => ({ id: u.id, email: u.email });

function sessionActor(): Actor | null {
  const user = tryGetCurrentAuthEndpointContext()?.context.session?.user;
  return user ? who(user) : null;
}

async function userActor(d1: D1Database, userId: string): Promise<Actor | null> {
  const row = await d1.prepare("select id, email from user where id = ?").bind(userId).first<Actor>();
  return row ?? null;
}

const record = (d1: D1Database, input: AuditInput) => appendAudit(d1, [input]).then(() => undefined);

/** Updates are audited with the state before them: remembered per endpoint call between the two hooks. */
const beforeUpdate = new WeakMap<object, unknown>();

export function auditOrganizationHooks(d1: D1Database): Partial<OrgHooks> {
  return {
    afterCreateOrganization: async ({ organization, user }) =>
      record(d1, {
        workspaceId: organization.id,
        actor: who(user),
        action: "workspace.create",
        target: { type: "workspace", id: organization.id },
        after: { name: organization.name, slug: organization.slug },
      }),
    beforeUpdateOrganization: async ({ member }) => {
      const ctx = tryGetCurrentAuthEndpointContext();
      const row = await d1.prepare("select name, slug, logo from organization where id = ?").bind(member.organizationId).first();
      if (ctx && row) beforeUpdate.set(ctx, row);
    },
    afterUpdateOrganization: async ({ organization, user, member }) => {
      const ctx = tryGetCurrentAuthEndpointContext();
      await record(d1, {
        workspaceId: member.organizationId,
        actor: who(user),
        action: "workspace.update",
        target: { type: "workspace", id: member.organizationId },
        before: ctx ? beforeUpdate.get(ctx) : null,
        after: organization ? { name: organization.name, slug: organization.slug, logo: organization.logo ?? null } : null,
      });
    },
    afterCreateInvitation: async ({ invitation, inviter, organization }) =>
      record(d1, {
        workspaceId: organization.id,
        actor: who(inviter),
        action: "member.invite",
        target: { type: "invitation", id: invitation.id },
        after: { email: invitation.email, role: invitation.role, status: invitation.status, expiresAt: invitation.expiresAt },
      }),
    afterCancelInvitation: async ({ invitation, cancelledBy, organization }) =>
      record(d1, {
        workspaceId: organization.id,
        actor: who(cancelledBy),
        action: "member.invite_cancel",
        target: { type: "invitation", id: invitation.id },
        before: { email: invitation.email, role: invitation.role, status: invitation.status },
      }),
    afterAcceptInvitation: async ({ invitation, member, user, organization }) =>
      record(d1, {
        workspaceId: organization.id,
        actor: who(user),
        action: "member.join",
        target: { type: "member", id: member.id },
        after: { userId: user.id, email: user.email, role: member.role, invitationId: invitation.id },
      }),
    afterUpdateMemberRole: async ({ member, previousRole, user, organization }) =>
      record(d1, {
        workspaceId: organization.id,
        actor: sessionActor(),
        action: "member.role_change",
        target: { type: "member", id: member.id },
        before: { userId: user.id, email: user.email, role: previousRole },
        after: { userId: user.id, email: user.email, role: member.role },
      }),
    afterRemoveMember: async ({ member, user, organization }) =>
      record(d1, {
        workspaceId: organization.id,
        actor: sessionActor(),
        action: "member.remove",
        target: { type: "member", id: member.id },
        before: { userId: user.id, email: user.email, role: member.role },
      }),
  };
}

/**
 * Endpoints without an organization hook, audited after they succeeded: leaving a workspace, and SSO
 * provider registration (the SSO plugin has no hooks). Only the provider's public facts are recorded:
 * its OIDC config holds the client secret.
 */
export function auditAfterHook(d1: D1Database) {
  return createAuthMiddleware(async (ctx) => {
    if (ctx.path !== "/organization/leave" && ctx.path !== "/sso/register") return;
    const returned: unknown = ctx.context.returned;
    if (!returned || typeof returned !== "object" || isAPIError(returned) || returned instanceof Response) return;
    if (ctx.path === "/organization/leave") {
      const m = returned as { id: string; organizationId: string; userId: string; role: string };
      if (!m.organizationId || !m.userId) return;
      await record(d1, {
        workspaceId: m.organizationId,
        actor: await userActor(d1, m.userId),
        action: "member.leave",
        target: { type: "member", id: m.id },
        before: { userId: m.userId, role: m.role },
      });
      return;
    }
    const p = returned as { id: string; providerId: string; issuer: string; domain: string; organizationId?: string | null; userId: string };
    if (!p.organizationId) return;
    await record(d1, {
      workspaceId: p.organizationId,
      actor: await userActor(d1, p.userId),
      action: "sso.register",
      target: { type: "sso_provider", id: p.providerId },
      after: { providerId: p.providerId, issuer: p.issuer, domain: p.domain },
    });
  });
}
