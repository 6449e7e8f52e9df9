import { useState } from "preact/hooks";

/**
 * The person's own data: download all of it (JSON), or delete the account after typing the email address
 * and the password (the API re-authenticates). Presentational: the screen makes the calls.
 */
export function DangerZone({
  email,
  exporting,
  exportError,
  onExport,
  deleting,
  deleteError,
  onDelete,
}: {
  email: string;
  exporting: boolean;
  exportError: string | null;
  onExport: () => void;
  deleting: boolean;
  deleteError: string | null;
  onDelete: (password: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [password, setPassword] = useState("");
  const confirmed = typed.trim().toLowerCase() === email.toLowerCase();
  return (
    <div class="danger-zone">
      <div class="danger-block" data-testid="export">
        <h4>Your data</h4>
        <p class="muted">Everything the platform holds about you, as one JSON file (no secrets).</p>
        {exportError && (
          <p role="alert" class="refusal" data-testid="export-error">
            {exportError}
          </p>
        )}
        <button type="button" class="secondary" disabled={exporting} onClick={onExport}>
          {exporting ? "Preparing…" : "Download my data"}
        </button>
      </div>
      <div class="danger-block danger-delete" data-testid="delete-account">
        <h4>Delete account</h4>
        <p class="muted">Removes your account, sessions, keys and personal workspace for good. Shared workspaces you alone own pass to their longest-standing admin.</p>
        {!open ? (
          <button type="button" class="danger" onClick={() => setOpen(true)}>
            Delete my account…
          </button>
        ) : (
          <form
            class="stack-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (confirmed) onDelete(password);
            }}
          >
            <label>
              Type your email address ({email}) to confirm
              <input name="confirm-email" type="email" autocomplete="off" inputMode="email" value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} required />
            </label>
            <label>
              Password
              <input name="password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
              <span class="muted settings-hint">Leave empty if you only sign in with your company (SSO).</span>
            </label>
            {deleteError && (
              <p role="alert" class="refusal" data-testid="delete-error">
                {deleteError}
              </p>
            )}
            <div class="settings-actions">
              <button type="button" class="secondary" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit" class="danger danger-solid" disabled={!confirmed || deleting}>
                {deleting ? "Deleting…" : "Delete for good"}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
