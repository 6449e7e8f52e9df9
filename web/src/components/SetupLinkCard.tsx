import { formatRemaining } from "../lib/countdown";
import type { SetupLink } from "../lib/api";
import { QrCode } from "./QrCode";

/** The one-time link as a QR code, its text, and how long it has left; "New code" once it has run out. */
export function SetupLinkCard({ link, clientLabel, remainingMs, busy, onRenew }: { link: SetupLink; clientLabel: string; remainingMs: number; busy: boolean; onRenew: () => void }) {
  const expired = remainingMs <= 0;
  return (
    <section class="card setup-link" aria-label={`Setup link for ${clientLabel}`} data-testid="setup-card">
      <div class={expired ? "qr-frame expired" : "qr-frame"}>
        <QrCode class="qr" value={link.url} label={`QR code of a one-time link that sets up ${clientLabel} on your computer`} />
      </div>
      <p class="link-text" data-testid="setup-link">
        {link.url}
      </p>
      {expired ? (
        <>
          <p role="status" class="refusal" data-testid="expired">
            This code has expired. Make a new one.
          </p>
          <button type="button" class="primary" onClick={onRenew} disabled={busy}>
            {busy ? "Making…" : "New code"}
          </button>
        </>
      ) : (
        <p class="expiry">
          Expires in{" "}
          <strong role="timer" data-testid="expires-in">
            {formatRemaining(remainingMs)}
          </strong>
        </p>
      )}
      <p class="muted small">
        Works once: open it on the computer you code on (scan it with its camera, or type the link). It shows {clientLabel}'s files with a new
        key limited to {link.scopes.join(", ")}; you can revoke that key any time.
      </p>
    </section>
  );
}
