import { useState } from "preact/hooks";

/** Email and password. Presentational: the screen decides what signing in does and passes the outcome back. */
export function SignInForm({ reason, busy, error, onSubmit }: { reason: string; busy: boolean; error: string | null; onSubmit: (email: string, password: string) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  return (
    <form
      class="stack-form"
      data-testid="sign-in"
      aria-labelledby="sign-in-title"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(email.trim(), password);
      }}
    >
      <h2 id="sign-in-title">Sign in</h2>
      <p class="muted">{reason}</p>
      <label>
        Email
        <input name="email" type="email" autocomplete="username" inputMode="email" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} required />
      </label>
      <label>
        Password
        <input name="password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} required />
      </label>
      {error && (
        <p role="alert" class="refusal" data-testid="sign-in-error">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
