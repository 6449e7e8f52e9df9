import { useState } from "preact/hooks";

/**
 * One email address and one action: enterprise SSO ("Sign in with your company") or a password-reset
 * mail. Presentational: the screen makes the call and passes the outcome back.
 */
export function EmailActionForm({
  testId,
  title,
  help,
  label,
  action,
  busyLabel,
  busy,
  error,
  notice,
  onSubmit,
}: {
  testId: string;
  title: string;
  help: string;
  label: string;
  action: string;
  busyLabel: string;
  busy: boolean;
  error: string | null;
  notice?: string | null;
  onSubmit: (email: string) => void;
}) {
  const [email, setEmail] = useState("");
  return (
    <form
      class="stack-form auth-card"
      data-testid={testId}
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(email.trim());
      }}
    >
      <h3>{title}</h3>
      <p class="muted">{help}</p>
      <label>
        {label}
        <input name="email" type="email" autocomplete="email" inputMode="email" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} required />
      </label>
      {error && (
        <p role="alert" class="refusal" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
      {notice && (
        <p role="status" data-testid={`${testId}-notice`}>
          {notice}
        </p>
      )}
      <button type="submit" class="secondary" disabled={busy}>
        {busy ? busyLabel : action}
      </button>
    </form>
  );
}

/** "Sign in with your company (SSO)": the IdP is chosen by the email's domain. */
export function SsoForm({ busy, error, onSubmit }: { busy: boolean; error: string | null; onSubmit: (email: string) => void }) {
  return (
    <EmailActionForm
      testId="sso"
      title="Sign in with your company (SSO)"
      help="Your company's sign-in page is found from your work email's domain."
      label="Work email"
      action="Continue with SSO"
      busyLabel="Finding your company…"
      busy={busy}
      error={error}
      onSubmit={onSubmit}
    />
  );
}
