import type { ComponentChildren } from "preact";
import type { Me } from "../lib/api";
import type { Session } from "../lib/session";
import { SignInForm } from "./SignInForm";

/** What a screen that needs a person shows until there is one: a wait, the sign-in form, or why not. */
export function SessionGate({ session, reason, onSignIn, children }: { session: Session; reason: string; onSignIn: (email: string, password: string) => void; children: (me: Me) => ComponentChildren }) {
  switch (session.state) {
    case "loading":
      return <p class="muted" aria-live="polite">Checking who is signed in…</p>;
    case "unreachable":
      return (
        <p role="alert" class="refusal">
          {session.error}
        </p>
      );
    case "signed-out":
      return <SignInForm reason={reason} busy={session.busy} error={session.error} onSubmit={onSignIn} />;
    case "signed-in":
      return <>{children(session.me)}</>;
  }
}
