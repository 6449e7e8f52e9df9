import { useState } from "preact/hooks";
import { SignInForm } from "../components/SignInForm";
import { ResetPasswordForm, SignUpForm } from "../components/SignUpForm";
import { EmailActionForm, SsoForm } from "../components/SsoForm";
import { accountApi, messageOf, safeNext } from "../lib/account-api";
import { useSession } from "../lib/session";
import "../styles-auth.css";

type Busy = null | "password" | "sso" | "forgot" | "reset" | "sign-out";

/**
 * Sign in (/signin) and sign up (/signup): email and password, "Sign in with your company" (SSO), forgot
 * password (and the reset link's new password, ?token=…). `?next=` says where to go afterwards (paths on
 * this origin only; the dashboard otherwise).
 */
export function Auth({ brandName }: { brandName: string }) {
  const params = new URLSearchParams(location.search);
  const next = safeNext(params.get("next"), location.origin);
  const signingUp = location.pathname.replace(/\/+$/, "") === "/signup";
  const resetToken = params.get("token");
  const { session } = useSession();
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<{ where: Busy; message: string } | null>(null);
  const [forgot, setForgot] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [resetDone, setResetDone] = useState(false);
  const errorFor = (where: Busy) => (error?.where === where ? error.message : null);

  async function run(where: Exclude<Busy, null>, call: () => Promise<void>) {
    setBusy(where);
    setError(null);
    setNotice(null);
    try {
      await call();
    } catch (err) {
      setError({ where, message: messageOf(err) });
      setBusy(null);
    }
  }
  const go = () => location.assign(next);
  const withNext = (path: string) => (next === "/home" ? path : `${path}?next=${encodeURIComponent(next)}`);

  if (session.state === "loading") return <p class="muted">Checking who is signed in…</p>;
  if (session.state === "signed-in") {
    return (
      <section class="auth-screen" aria-labelledby="auth-title">
        <div class="auth-card stack-form" data-testid="signed-in">
          <h2 id="auth-title">You are signed in</h2>
          <p>
            as <strong data-testid="signed-in-email">{session.me.user.email}</strong>
          </p>
          <a class="auth-button primary-link" href={next}>
            Continue
          </a>
          <button type="button" class="secondary" disabled={busy === "sign-out"} onClick={() => void run("sign-out", async () => (await accountApi.signOut(), location.reload()))}>
            Sign out
          </button>
        </div>
      </section>
    );
  }

  const sso = <SsoForm busy={busy === "sso"} error={errorFor("sso")} onSubmit={(email) => void run("sso", async () => location.assign((await accountApi.sso(email, new URL(next, location.origin).href)).url))} />;

  return (
    <section class="auth-screen" aria-labelledby="auth-screen-title">
      <h2 id="auth-screen-title" class="visually-hidden">
        {signingUp ? `Create your ${brandName} account` : `Sign in to ${brandName}`}
      </h2>
      {session.state === "unreachable" && (
        <p role="alert" class="refusal">
          {session.error}
        </p>
      )}
      {params.get("deleted") && (
        <p role="status" class="auth-notice" data-testid="account-deleted">
          Your account and its data are deleted.
        </p>
      )}
      {signingUp ? (
        <>
          <SignUpForm busy={busy === "password"} error={errorFor("password")} onSubmit={(name, email, password) => void run("password", async () => (await accountApi.signUp(name, email, password), go()))} />
          <p class="auth-switch">
            Already have an account? <a href={withNext("/signin")}>Sign in</a>
          </p>
        </>
      ) : (
        <>
          {resetToken && (
            <ResetPasswordForm
              busy={busy === "reset"}
              done={resetDone}
              error={errorFor("reset")}
              onSubmit={(password) =>
                void run("reset", async () => {
                  await accountApi.resetPassword(resetToken, password);
                  setResetDone(true);
                  setBusy(null);
                })
              }
            />
          )}
          {forgot ? (
            <EmailActionForm
              testId="forgot"
              title="Forgot your password?"
              help="We will email you a link to choose a new one."
              label="Email"
              action="Email me a reset link"
              busyLabel="Sending…"
              busy={busy === "forgot"}
              error={errorFor("forgot")}
              notice={notice}
              onSubmit={(email) =>
                void run("forgot", async () => {
                  await accountApi.requestPasswordReset(email, `${location.origin}/signin`);
                  setNotice("If an account uses that address, a reset link is on its way.");
                  setBusy(null);
                })
              }
            />
          ) : (
            <div class="auth-card">
              <SignInForm
                reason={`Welcome back to ${brandName}.`}
                busy={busy === "password"}
                error={errorFor("password")}
                onSubmit={(email, password) => void run("password", async () => (await accountApi.signIn(email, password), go()))}
              />
            </div>
          )}
          <button type="button" class="link-button" onClick={() => setForgot((f) => !f)}>
            {forgot ? "Back to sign in" : "Forgot password?"}
          </button>
          <p class="auth-switch">
            New here? <a href={withNext("/signup")}>Create an account</a>
          </p>
        </>
      )}
      <p class="auth-or" aria-hidden="true">
        or
      </p>
      {sso}
    </section>
  );
}
