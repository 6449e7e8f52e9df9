import type { Invitation } from "../lib/team-api";
import { formatTime } from "../lib/team-api";

/** Pending invitations: who, which role, until when; admins and owners may cancel one. */
export function InvitationList({ invitations, manage, busyId, onCancel }: { invitations: Invitation[]; manage: boolean; busyId: string | null; onCancel: (id: string) => void }) {
  if (invitations.length === 0)
    return (
      <p class="muted" data-testid="invitations-empty">
        No pending invitations.
      </p>
    );
  return (
    <ul class="team-list" data-testid="invitations">
      {invitations.map((i) => (
        <li key={i.id} class="team-item" data-testid="invitation" data-id={i.id} data-email={i.email} data-status={i.status}>
          <div class="team-head">
            <strong class="team-who">{i.email}</strong>
            <span class="team-role">{i.role}</span>
          </div>
          <p class="muted small team-meta">
            <span data-testid="invitation-status">{i.status}</span> · expires {formatTime(i.expiresAt)}
          </p>
          {manage && i.status === "pending" && (
            <button type="button" class="secondary team-cancel" disabled={busyId === i.id} aria-label={`Cancel invitation for ${i.email}`} onClick={() => onCancel(i.id)}>
              Cancel invitation
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
