import { useEffect, useState } from "preact/hooks";
import { AuditLog } from "../components/AuditLog";
import { InvitationList } from "../components/InvitationList";
import { InviteForm } from "../components/InviteForm";
import { MemberList } from "../components/MemberList";
import { SessionGate } from "../components/SessionGate";
import { SsoProviders } from "../components/SsoProviders";
import { WorkspaceSwitcher } from "../components/WorkspaceSwitcher";
import { ApiError, type Me } from "../lib/api";
import { useSession } from "../lib/session";
import {
  canManage,
  teamApi,
  type AuditEntry,
  type AuditFilter,
  type Invitation,
  type InvitationDetail,
  type Member,
  type Role,
  type SsoProvider,
  type SsoRegistration,
} from "../lib/team-api";
import "../styles-team.css";

const OFFLINE = "Could not reach the platform; check your connection.";
const messageOf = (err: unknown) => (err instanceof ApiError ? err.message : OFFLINE);

/** The invitation id in /invitations/<id> (the link in the invitation email, workers/auth/instance.ts). */
const invitationIdOf = (pathname: string) => /^\/invitations\/([^/]+)\/?$/.exec(pathname)?.[1];

/**
 * The team: the workspace switcher, members and their roles, invitations, enterprise SSO and the audit
 * log. /invitations/<id> (the invitation email's link) opens the accept view first.
 */
export function Team({ brandName }: { brandName: string }) {
  const { session, signIn } = useSession();
  const [invitationId, setInvitationId] = useState(() => invitationIdOf(location.pathname));
  return (
    <section aria-labelledby="team-title" class="team-screen">
      <h2 id="team-title">{invitationId ? "Invitation" : "Team"}</h2>
      <SessionGate
        session={session}
        reason={invitationId ? `Sign in with the invited email address to join the workspace on ${brandName}.` : `Sign in to manage your team on ${brandName}.`}
        onSignIn={(e, p) => void signIn(e, p)}
      >
        {(me) =>
          invitationId ? (
            <AcceptInvitation
              id={invitationId}
              me={me}
              onDone={() => {
                history.replaceState(null, "", "/team");
                setInvitationId(undefined);
              }}
            />
          ) : (
            <TeamPanel initial={me} />
          )
        }
      </SessionGate>
    </section>
  );
}

function AcceptInvitation({ id, me, onDone }: { id: string; me: Me; onDone: () => void }) {
  const [invitation, setInvitation] = useState<InvitationDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [declined, setDeclined] = useState(false);

  useEffect(() => {
    teamApi.invitation(id).then(setInvitation, (err: unknown) => setError(messageOf(err)));
  }, [id]);

  async function act(accept: boolean) {
    setBusy(true);
    setError(null);
    try {
      if (accept) {
        await teamApi.accept(id);
        onDone();
      } else {
        await teamApi.reject(id);
        setDeclined(true);
      }
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="card team-accept" data-testid="invitation-accept">
      {!invitation && !error && (
        <p class="muted" aria-live="polite">
          Loading the invitation…
        </p>
      )}
      {invitation && !declined && (
        <>
          <p data-testid="invitation-summary">
            <strong>{invitation.inviterEmail}</strong> invited <strong>{invitation.email}</strong> to <strong>{invitation.organizationName}</strong> as{" "}
            <strong data-testid="invitation-role">{invitation.role}</strong>.
          </p>
          {invitation.status !== "pending" && <p class="refusal">This invitation is {invitation.status}.</p>}
          {invitation.status === "pending" && (
            <div class="team-confirm-actions">
              <button type="button" class="secondary" disabled={busy} onClick={() => void act(false)}>
                Decline
              </button>
              <button type="button" class="primary" disabled={busy} onClick={() => void act(true)}>
                {busy ? "Joining…" : "Accept and join"}
              </button>
            </div>
          )}
        </>
      )}
      {declined && <p data-testid="invitation-declined">Invitation declined.</p>}
      {error && (
        <p role="alert" class="refusal" data-testid="invitation-error">
          {error}
          {error && me.user.email && <span class="muted small"> (signed in as {me.user.email})</span>}
        </p>
      )}
      <a class="team-link" href="/team">
        Go to your team →
      </a>
    </div>
  );
}

function TeamPanel({ initial }: { initial: Me }) {
  const [me, setMe] = useState<Me>(initial);
  const [switching, setSwitching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const active = me.workspaces.find((w) => w.id === me.activeWorkspaceId) ?? me.workspaces[0];
  const role = active?.role ?? "viewer";
  const manage = canManage(role);

  // Fresh on mount: accepting an invitation just now changed the workspaces.
  useEffect(() => {
    teamApi.me().then(setMe, () => undefined);
  }, []);

  async function switchTo(id: string) {
    setSwitching(true);
    setError(null);
    try {
      await teamApi.setActive(id);
      setMe(await teamApi.me());
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setSwitching(false);
    }
  }

  return (
    <>
      <WorkspaceSwitcher workspaces={me.workspaces} activeId={active?.id ?? null} busy={switching} onSwitch={(id) => void switchTo(id)} />
      {error && (
        <p role="alert" class="refusal" data-testid="team-error">
          {error}
        </p>
      )}
      {active && (
        <p class="muted small" data-testid="my-role">
          You are <strong>{role}</strong> in {active.name}
          {active.personal ? " (your personal workspace)" : ""}.
        </p>
      )}
      {active && <WorkspaceView key={active.id} workspaceId={active.id} me={me} role={role} manage={manage} />}
    </>
  );
}

function WorkspaceView({ workspaceId, me, role, manage }: { workspaceId: string; me: Me; role: string; manage: boolean }) {
  const [members, setMembers] = useState<Member[] | null>(null);
  const [invitations, setInvitations] = useState<Invitation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busyMember, setBusyMember] = useState<string | null>(null);
  const [busyInvite, setBusyInvite] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);
  const [inviteError, setInviteError] = useState<string | null>(null);
  const [inviteRound, setInviteRound] = useState(0);
  const [auditRound, setAuditRound] = useState(0);

  const loadMembers = () =>
    teamApi.members(workspaceId).then(
      (m) => setMembers(m),
      (err: unknown) => setError(messageOf(err)),
    );
  const loadInvitations = () =>
    teamApi.invitations(workspaceId).then(
      (list) => setInvitations(list.filter((i) => i.status === "pending")),
      (err: unknown) => setError(messageOf(err)),
    );

  useEffect(() => {
    void loadMembers();
    if (manage) void loadInvitations();
  }, [workspaceId, manage]);

  const changed = () => setAuditRound((r) => r + 1);

  async function memberAction(id: string, run: () => Promise<unknown>) {
    setBusyMember(id);
    setError(null);
    try {
      await run();
      await loadMembers();
      changed();
    } catch (err) {
      setError(messageOf(err));
      await loadMembers();
    } finally {
      setBusyMember(null);
    }
  }

  async function invite(email: string, r: Role) {
    setInviting(true);
    setInviteError(null);
    try {
      await teamApi.invite(workspaceId, email, r);
      setInviteRound((n) => n + 1);
      await loadInvitations();
      changed();
    } catch (err) {
      setInviteError(messageOf(err));
    } finally {
      setInviting(false);
    }
  }

  async function cancel(id: string) {
    setBusyInvite(id);
    setError(null);
    try {
      await teamApi.cancelInvitation(id);
      await loadInvitations();
      changed();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusyInvite(null);
    }
  }

  return (
    <div class="team-grid">
      <section aria-labelledby="members-title" class="team-section">
        <h3 id="members-title">
          Members {members && <span class="muted small">({members.length})</span>}
        </h3>
        {error && (
          <p role="alert" class="refusal" data-testid="members-error">
            {error}
          </p>
        )}
        {!members && !error && (
          <p class="muted" aria-live="polite">
            Loading members…
          </p>
        )}
        {members && (
          <MemberList
            members={members}
            myUserId={me.user.id}
            myRole={role}
            manage={manage}
            busyId={busyMember}
            onRoleChange={(id, r) => void memberAction(id, () => teamApi.changeRole(workspaceId, id, r))}
            onRemove={(id) => void memberAction(id, () => teamApi.remove(workspaceId, id))}
          />
        )}
        {!manage && (
          <p class="muted small" data-testid="read-only">
            Only admins and owners invite people and change roles.
          </p>
        )}
      </section>
      {manage && (
        <section aria-labelledby="invitations-title" class="team-section">
          <h3 id="invitations-title">Invitations</h3>
          <InviteForm key={inviteRound} canInviteOwner={role === "owner"} busy={inviting} error={inviteError} onInvite={(e, r) => void invite(e, r)} />
          <h4 class="team-subtitle">Pending</h4>
          {invitations ? <InvitationList invitations={invitations} manage={manage} busyId={busyInvite} onCancel={(id) => void cancel(id)} /> : <p class="muted">Loading invitations…</p>}
        </section>
      )}
      <section aria-labelledby="sso-title" class="team-section team-wide">
        <h3 id="sso-title">Single sign-on</h3>
        <SsoSection workspaceId={workspaceId} owner={role === "owner"} onChange={changed} />
      </section>
      {manage && (
        <section aria-labelledby="audit-title" class="team-section team-wide">
          <h3 id="audit-title">Audit log</h3>
          <AuditSection key={auditRound} workspaceId={workspaceId} />
        </section>
      )}
    </div>
  );
}

function SsoSection({ workspaceId, owner, onChange }: { workspaceId: string; owner: boolean; onChange: () => void }) {
  const [providers, setProviders] = useState<SsoProvider[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    teamApi.ssoProviders().then(
      (p) => setProviders(p.filter((x) => x.organizationId === workspaceId)),
      (err: unknown) => setLoadError(messageOf(err)),
    );
  useEffect(() => {
    if (owner) void load();
  }, [workspaceId, owner]);

  async function register(r: SsoRegistration) {
    setBusy(true);
    setError(null);
    try {
      await teamApi.ssoRegister(workspaceId, r);
      await load();
      onChange();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return <SsoProviders owner={owner} providers={providers} loadError={loadError} busy={busy} error={error} origin={location.origin} onRegister={(r) => void register(r)} />;
}

function AuditSection({ workspaceId }: { workspaceId: string }) {
  const [filter, setFilter] = useState<AuditFilter>({});
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [chain, setChain] = useState<{ valid: boolean; brokenAtSeq?: number } | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function load(f: AuditFilter, after?: string) {
    setLoading(true);
    setError(null);
    try {
      const page = await teamApi.audit(workspaceId, f, after);
      setEntries((prev) => (after ? [...(prev ?? []), ...page.entries] : page.entries));
      setChain({ valid: page.chainValid, ...(page.brokenAtSeq !== undefined ? { brokenAtSeq: page.brokenAtSeq } : {}) });
      setCursor(page.nextCursor);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => void load(filter), [workspaceId]);

  return (
    <AuditLog
      entries={entries}
      chainValid={chain?.valid ?? null}
      {...(chain?.brokenAtSeq !== undefined ? { brokenAtSeq: chain.brokenAtSeq } : {})}
      hasMore={Boolean(cursor)}
      loading={loading}
      error={error}
      filter={filter}
      onFilter={(f) => {
        setFilter(f);
        setEntries(null);
        void load(f);
      }}
      onMore={() => cursor && void load(filter, cursor)}
    />
  );
}
