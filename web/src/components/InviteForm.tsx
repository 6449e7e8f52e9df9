import { useState } from "preact/hooks";
import { ROLE_HELP, ROLES, type Role } from "../lib/team-api";

/** Invite someone by email with a role; admins cannot invite owners, so `roles` says what may be chosen. */
export function InviteForm({ canInviteOwner, busy, error, onInvite }: { canInviteOwner: boolean; busy: boolean; error: string | null; onInvite: (email: string, role: Role) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [local, setLocal] = useState<string | null>(null);
  const roles = ROLES.filter((r) => r !== "owner" || canInviteOwner);
  return (
    <form
      class="card team-form stack-form"
      data-testid="invite-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const value = email.trim();
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return setLocal("Enter an email address.");
        setLocal(null);
        onInvite(value, role);
      }}
    >
      <h3>Invite someone</h3>
      <label>
        Email
        <input type="email" name="email" autocomplete="off" inputMode="email" value={email} onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label>
        Role
        <select name="role" value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as Role)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <p class="muted small team-help">{ROLE_HELP[role]}</p>
      {(local ?? error) && (
        <p role="alert" class="refusal" data-testid="invite-error">
          {local ?? error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Inviting…" : "Send invitation"}
      </button>
    </form>
  );
}
