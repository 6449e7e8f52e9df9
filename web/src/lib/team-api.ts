import { ApiError, type Me } from "./api";

/**
 * Typed calls for the Team screen: workspaces are better-auth organizations under /api/auth/organization/*
 * (list-members, invite-member, list-invitations, cancel-invitation, get-invitation, accept-invitation,
 * reject-invitation, update-member-role, remove-member, set-active, create), SSO providers under
 * /api/auth/sso/* (owners only, rules in workers/auth/sso-guard.ts) and the audit log at GET /api/audit
 * (admins and owners; workers/audit/routes.ts). Who one is and one's workspaces come from GET /api/me.
 */
export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];
export type Workspace = Me["workspaces"][number];

export interface Member {
  id: string;
  userId: string;
  role: string;
  createdAt: string;
  user: { id: string; name: string; email: string };
}

export interface Invitation {
  id: string;
  email: string;
  role: string;
  status: "pending" | "accepted" | "rejected" | "canceled";
  organizationId: string;
  expiresAt: string;
  inviterId?: string;
}

/** GET /organization/get-invitation: the invitation as its recipient sees it. */
export interface InvitationDetail extends Invitation {
  organizationName: string;
  organizationSlug: string;
  inviterEmail: string;
}

export interface SsoProvider {
  providerId: string;
  issuer: string;
  domain: string;
  organizationId: string | null;
  domainVerified?: boolean;
  oidcConfig?: { clientIdLastFour?: string; pkce?: boolean; scopes?: string[] };
}

export interface SsoRegistration {
  providerId: string;
  issuer: string;
  domain: string;
  clientId: string;
  clientSecret: string;
}

export interface AuditEntry {
  seq: number;
  time: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditPage {
  workspaceId: string;
  chainValid: boolean;
  chainLength: number;
  brokenAtSeq?: number;
  entries: AuditEntry[];
  nextCursor: string | null;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
}

type ErrorBody = { error?: { code?: string; message?: string; details?: { path?: string; message?: string }[] }; message?: string } | null;

async function call<T>(path: string, init: RequestInit & { json?: unknown; workspaceId?: string } = {}): Promise<T> {
  const { json, workspaceId, ...rest } = init;
  const res = await fetch(path, {
    credentials: "same-origin",
    ...rest,
    ...(json !== undefined ? { method: rest.method ?? "POST", body: JSON.stringify(json) } : {}),
    headers: {
      accept: "application/json",
      ...(json !== undefined ? { "content-type": "application/json" } : {}),
      ...(workspaceId ? { "x-workspace-id": workspaceId } : {}),
    },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ErrorBody;
    const details = Array.isArray(body?.error?.details) ? body.error.details.map((d) => [d.path, d.message].filter(Boolean).join(": ")).filter(Boolean) : [];
    const message = body?.error?.message ?? body?.message ?? `${path}: HTTP ${res.status}`;
    throw new ApiError(res.status, body?.error?.code ?? "http_error", details.length ? `${message}: ${details.join("; ")}` : message);
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

const ORG = "/api/auth/organization";
const q = (params: Record<string, string | undefined>) => {
  const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  return s ? `?${s}` : "";
};

/** The audit export link: the same filters, every matching entry as NDJSON. */
export const auditExportUrl = (filter: AuditFilter) => `/api/audit${q({ action: filter.action?.trim(), actor: filter.actor?.trim(), format: "ndjson" })}`;

export const teamApi = {
  me: () => call<Me>("/api/me"),
  setActive: (organizationId: string) => call<unknown>(`${ORG}/set-active`, { json: { organizationId } }),
  create: (name: string, slug: string) => call<{ id: string }>(`${ORG}/create`, { json: { name, slug } }),
  members: (organizationId: string) => call<{ members: Member[] }>(`${ORG}/list-members${q({ organizationId })}`).then((r) => r.members),
  invitations: (organizationId: string) => call<Invitation[]>(`${ORG}/list-invitations${q({ organizationId })}`).then((r) => r ?? []),
  invite: (organizationId: string, email: string, role: Role) => call<Invitation>(`${ORG}/invite-member`, { json: { organizationId, email, role } }),
  cancelInvitation: (invitationId: string) => call<unknown>(`${ORG}/cancel-invitation`, { json: { invitationId } }),
  invitation: (id: string) => call<InvitationDetail>(`${ORG}/get-invitation${q({ id })}`),
  accept: (invitationId: string) => call<{ member: { id: string; role: string; organizationId: string } }>(`${ORG}/accept-invitation`, { json: { invitationId } }),
  reject: (invitationId: string) => call<unknown>(`${ORG}/reject-invitation`, { json: { invitationId } }),
  changeRole: (organizationId: string, memberId: string, role: Role) => call<unknown>(`${ORG}/update-member-role`, { json: { organizationId, memberId, role } }),
  remove: (organizationId: string, memberId: string) => call<unknown>(`${ORG}/remove-member`, { json: { organizationId, memberIdOrEmail: memberId } }),
  ssoProviders: () => call<{ providers: SsoProvider[] }>("/api/auth/sso/providers").then((r) => r.providers),
  ssoRegister: (organizationId: string, r: SsoRegistration) =>
    call<SsoProvider>("/api/auth/sso/register", {
      json: {
        providerId: r.providerId,
        issuer: r.issuer,
        domain: r.domain,
        organizationId,
        oidcConfig: { clientId: r.clientId, clientSecret: r.clientSecret, scopes: ["openid", "email", "profile"], pkce: true },
      },
    }),
  audit: (workspaceId: string, filter: AuditFilter, cursor?: string) =>
    call<AuditPage>(`/api/audit${q({ action: filter.action?.trim(), actor: filter.actor?.trim(), cursor, limit: "25" })}`, { workspaceId }),
};

/** What each role may do, in a phrase (README's role table). */
export const ROLE_HELP: Record<Role, string> = {
  owner: "Everything, including SSO and deleting the workspace",
  admin: "Invite, change roles, remove members, read the audit log",
  member: "Use models, create their own keys",
  viewer: "Read only",
};

/** Whether a role may manage people (invite, change roles, remove) and read the audit log. */
export const canManage = (role: string | undefined) => role === "owner" || role === "admin";

/** May 3, 2026, 14:05 */
export const formatTime = (iso: string) =>
  new Date(iso).toLocaleString("en-US", { month: "short", day: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit" });
