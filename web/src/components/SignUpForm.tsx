import { useState } from "preact/hooks";

const value = (e: Event) => (e.target as HTMLInputElement).value;

/** Name, email and a new password. Presentational: the screen creates the account and passes the outcome back. */
export function SignUpForm({ busy, error, onSubmit }: { busy: boolean; error: string | null; onSubmit: (name: string, email: string, password: string) => void }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  return (
    <form
      class="stack-form auth-card"
      data-testid="sign-up"
      aria-labelledby="sign-up-title"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(name.trim(), email.trim(), password);
      }}
    >
      <h2 id="sign-up-title">Create your account</h2>
      <label>
        Name
        <input name="name" autocomplete="name" value={name} onInput={(e) => setName(value(e))} required />
      </label>
      <label>
        Email
        <input name="email" type="email" autocomplete="email" inputMode="email" value={email} onInput={(e) => setEmail(value(e))} required />
      </label>
      <label>
        Password
        <input name="password" type="password" autocomplete="new-password" minLength={8} value={password} onInput={(e) => setPassword(value(e))} required />
        <span class="muted auth-hint">At least 8 characters.</span>
      </label>
      {error && (
        <p role="alert" class="refusal" data-testid="sign-up-error">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Creating your account…" : "Create account"}
      </button>
    </form>
  );
}

/** A new password for the token a reset email carried. */
export function ResetPasswordForm({ busy, error, done, onSubmit }: { busy: boolean; error: string | null; done: boolean; onSubmit: (password: string) => void }) {
  const [password, setPassword] = useState("");
  return (
    <form
      class="stack-form auth-card"
      data-testid="reset-password"
      aria-labelledby="reset-title"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(password);
      }}
    >
      <h2 id="reset-title">Choose a new password</h2>
      <label>
        New password
        <input name="new-password" type="password" autocomplete="new-password" minLength={8} value={password} onInput={(e) => setPassword(value(e))} required />
      </label>
      {error && (
        <p role="alert" class="refusal" data-testid="reset-error">
          {error}
        </p>
      )}
      {done ? (
        <p role="status" data-testid="reset-done">
          Your password is changed. Sign in with it below.
        </p>
      ) : (
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Saving…" : "Set new password"}
        </button>
      )}
    </form>
  );
}
