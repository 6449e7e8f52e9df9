import { useState } from "preact/hooks";
import { formatDate, type ApiKey } from "../lib/keys-api";

type Status = "active" | "revoked" | "expired";
const statusOf = (k: ApiKey, now: number): Status => (k.revokedAt ? "revoked" : k.expiresAt && Date.parse(k.expiresAt) <= now ? "expired" : "active");
const STATUS_LABEL: Record<Status, string> = { active: "Active", revoked: "Revoked", expired: "Expired" };

/**
 * The workspace's keys, live ones first: name, the prefix to recognise it by, scopes, when it was made
 * and last used, and Revoke behind a second tap (inline, so it works the same on every phone).
 * Presentational: the screen revokes and passes back which key is busy.
 */
export function KeyList({ keys, busyId, onRevoke }: { keys: ApiKey[]; busyId: string | null; onRevoke: (id: string) => void }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (keys.length === 0) {
    return (
      <p class="card muted" data-testid="keys-empty">
        No keys yet. Create one below to call models from your code, or let IDE setup make one for your editor.
      </p>
    );
  }
  const now = Date.now();
  const ordered = [...keys].sort((a, b) => Number(statusOf(a, now) !== "active") - Number(statusOf(b, now) !== "active"));
  return (
    <ul class="key-list" data-testid="keys-list">
      {ordered.map((k) => {
        const status = statusOf(k, now);
        const busy = busyId === k.id;
        return (
          <li key={k.id} class={`key-item key-${status}`} data-testid="key" data-id={k.id} data-status={status}>
            <div class="key-head">
              <strong class="key-name">{k.name}</strong>
              <span class={`key-badge key-badge-${status}`} data-testid="key-status">
                {STATUS_LABEL[status]}
              </span>
            </div>
            <code class="key-prefix" data-testid="key-prefix" aria-label={`Key starting ${k.prefix}`}>
              {k.prefix}
            </code>
            <ul class="key-scope-chips" aria-label="Scopes" data-testid="key-scopes">
              {k.scopes.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
            <p class="muted small key-dates">
              Created {formatDate(k.createdAt)} · {k.lastUsedAt ? `last used ${formatDate(k.lastUsedAt)}` : "never used"}
              {k.revokedAt && ` · revoked ${formatDate(k.revokedAt)}`}
              {!k.revokedAt && k.expiresAt && ` · ${status === "expired" ? "expired" : "expires"} ${formatDate(k.expiresAt)}`}
            </p>
            {status !== "revoked" &&
              (confirming === k.id ? (
                <div class="key-confirm" role="group" aria-label={`Revoke ${k.name}?`}>
                  <p class="key-confirm-text">Revoke “{k.name}”? Anything using it stops working within seconds. This cannot be undone.</p>
                  <div class="key-confirm-actions">
                    <button type="button" class="secondary" onClick={() => setConfirming(null)} disabled={busy}>
                      Cancel
                    </button>
                    <button type="button" class="danger" data-testid="confirm-revoke" disabled={busy} onClick={() => onRevoke(k.id)}>
                      {busy ? "Revoking…" : "Revoke key"}
                    </button>
                  </div>
                </div>
              ) : (
                <button type="button" class="secondary key-revoke" data-testid="revoke" aria-label={`Revoke ${k.name}`} onClick={() => setConfirming(k.id)}>
                  Revoke
                </button>
              ))}
          </li>
        );
      })}
    </ul>
  );
}
