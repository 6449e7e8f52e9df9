import { useState } from "preact/hooks";
import { ROLES, type Member, type Role } from "../lib/team-api";

/**
 * The workspace's members with their roles. Admins and owners change roles (a select per person; only
 * owners can make owners, nobody edits themselves or, unless owner, an owner) and remove members with a
 * second tap to confirm; everyone else reads.
 */
export function MemberList({
  members,
  myUserId,
  myRole,
  manage,
  busyId,
  onRoleChange,
  onRemove,
}: {
  members: Member[];
  myUserId: string;
  myRole: string;
  manage: boolean;
  busyId: string | null;
  onRoleChange: (memberId: string, role: Role) => void;
  onRemove: (memberId: string) => void;
}) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const editable = (m: Member) => manage && m.userId !== myUserId && (m.role !== "owner" || myRole === "owner");
  const choices = ROLES.filter((r) => r !== "owner" || myRole === "owner");
  return (
    <ul class="team-list" data-testid="members">
      {members.map((m) => {
        const who = m.user.name && m.user.name !== m.user.email ? m.user.name : m.user.email;
        const busy = busyId === m.id;
        return (
          <li key={m.id} class="team-item" data-testid="member" data-id={m.id} data-email={m.user.email} data-role={m.role}>
            <div class="team-head">
              <span class="team-who">
                <strong>{who}</strong>
                {who !== m.user.email && <span class="muted small team-email">{m.user.email}</span>}
                {m.userId === myUserId && <span class="muted small"> (you)</span>}
              </span>
              {!editable(m) && (
                <span class={`team-role team-role-${m.role}`} data-testid="member-role">
                  {m.role}
                </span>
              )}
            </div>
            {editable(m) && confirming !== m.id && (
              <div class="team-actions">
                <label class="team-field">
                  <span class="sr-only">Role for {m.user.email}</span>
                  <select
                    aria-label={`Role for ${m.user.email}`}
                    data-testid="member-role-select"
                    value={m.role}
                    disabled={busy}
                    onChange={(e) => onRoleChange(m.id, (e.currentTarget as HTMLSelectElement).value as Role)}
                  >
                    {(choices.includes(m.role as Role) ? choices : [m.role as Role, ...choices]).map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="button" class="danger" disabled={busy} aria-label={`Remove ${m.user.email}`} onClick={() => setConfirming(m.id)}>
                  Remove
                </button>
              </div>
            )}
            {editable(m) && confirming === m.id && (
              <div class="team-confirm" role="group" aria-label={`Remove ${m.user.email}?`}>
                <p class="team-confirm-text">Remove {m.user.email} from this workspace? They lose access at once.</p>
                <div class="team-confirm-actions">
                  <button type="button" class="secondary" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                  <button
                    type="button"
                    class="danger"
                    disabled={busy}
                    onClick={() => {
                      setConfirming(null);
                      onRemove(m.id);
                    }}
                  >
                    Remove member
                  </button>
                </div>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
