import { useEffect, useState } from "preact/hooks";
import { SessionGate } from "../components/SessionGate";
import { api, ApiError } from "../lib/api";
import { useSession } from "../lib/session";
import { formatUserCode, isCompleteUserCode, normalizeUserCode } from "../lib/user-code";

const OFFLINE = "Could not reach the platform; check your connection.";

type Step =
  | { kind: "enter" }
  | { kind: "checking" }
  | { kind: "review" }
  | { kind: "deciding"; decision: "approve" | "deny" }
  | { kind: "done"; outcome: "approved" | "denied" }
  | { kind: "already"; status: "approved" | "denied" }
  | { kind: "not-yours" }
  | { kind: "failed"; message: string };

/**
 * Device pairing, the phone's half (RFC 8628): the `connect` CLI shows a QR code of
 * /device?user_code=XXXXXXXX; here the signed-in person checks the code against their terminal and
 * approves or denies. Opening the request while signed in is what ties it to this person.
 */
export function Device({ brandName }: { brandName: string }) {
  const { session, signIn } = useSession();
  return (
    <section aria-labelledby="device-title">
      <h2 id="device-title">Connect a computer</h2>
      <SessionGate session={session} reason="Sign in to approve the computer that shows this code in its terminal." onSignIn={(e, p) => void signIn(e, p)}>
        {(me) => <DevicePanel brandName={brandName} email={me.user.email} />}
      </SessionGate>
    </section>
  );
}

function DevicePanel({ brandName, email }: { brandName: string; email: string }) {
  const [code, setCode] = useState(() => normalizeUserCode(new URLSearchParams(location.search).get("user_code") ?? ""));
  const [step, setStep] = useState<Step>(code ? { kind: "checking" } : { kind: "enter" });

  useEffect(() => {
    if (!code) {
      setStep({ kind: "enter" });
      return;
    }
    let current = true;
    setStep({ kind: "checking" });
    api.deviceInfo(code).then(
      (req) => {
        if (!current) return;
        if (req.status !== "pending") setStep({ kind: "already", status: req.status });
        // Without client_id the request was opened first by another account: it is not ours to decide.
        else setStep(req.client_id ? { kind: "review" } : { kind: "not-yours" });
      },
      (err: unknown) => current && setStep({ kind: "failed", message: err instanceof ApiError ? err.message : OFFLINE }),
    );
    return () => {
      current = false;
    };
  }, [code]);

  function openCode(next: string) {
    const normalized = normalizeUserCode(next);
    history.replaceState(null, "", normalized ? `/device?${new URLSearchParams({ user_code: normalized })}` : "/device");
    setCode(normalized);
  }

  async function decide(decision: "approve" | "deny") {
    setStep({ kind: "deciding", decision });
    try {
      await (decision === "approve" ? api.approveDevice(code) : api.denyDevice(code));
      setStep({ kind: "done", outcome: decision === "approve" ? "approved" : "denied" });
    } catch (err) {
      setStep({ kind: "failed", message: err instanceof ApiError ? err.message : OFFLINE });
    }
  }

  const another = (
    <button type="button" class="secondary block" onClick={() => openCode("")}>
      Enter another code
    </button>
  );

  switch (step.kind) {
    case "enter":
      return <CodeEntry onSubmit={openCode} />;
    case "checking":
      return (
        <p class="muted" aria-live="polite">
          Checking code {formatUserCode(code)}…
        </p>
      );
    case "review":
    case "deciding":
      return (
        <div class="card device-review" data-testid="device-review">
          <p>
            A computer asks to connect to <strong>{brandName}</strong> as you ({email}): code
          </p>
          <p class="user-code" data-testid="user-code">
            {formatUserCode(code)}
          </p>
          <p>
            <strong>Approve only if you see this code in your terminal.</strong> If you did not start this, deny it.
          </p>
          <div class="actions">
            <button type="button" class="primary" onClick={() => void decide("approve")} disabled={step.kind === "deciding"}>
              {step.kind === "deciding" && step.decision === "approve" ? "Approving…" : "Approve"}
            </button>
            <button type="button" class="secondary" onClick={() => void decide("deny")} disabled={step.kind === "deciding"}>
              {step.kind === "deciding" && step.decision === "deny" ? "Denying…" : "Deny"}
            </button>
          </div>
        </div>
      );
    case "done":
      return (
        <div class={`card result result-${step.outcome}`} role="status" data-testid="device-result" data-outcome={step.outcome}>
          {step.outcome === "approved" ? (
            <>
              <h3>Approved</h3>
              <p>Your terminal finishes the setup on its own in a few seconds. You can close this page.</p>
            </>
          ) : (
            <>
              <h3>Denied</h3>
              <p>The computer was not connected. Your terminal says so too.</p>
            </>
          )}
        </div>
      );
    case "already":
      return (
        <div class="card result" role="status" data-testid="device-result" data-outcome={`already-${step.status}`}>
          <h3>Already {step.status}</h3>
          <p>Code {formatUserCode(code)} was {step.status} before. To connect again, run the command in your terminal once more.</p>
          {another}
        </div>
      );
    case "not-yours":
      return (
        <div class="card result result-failed" role="alert" data-testid="device-result" data-outcome="not-yours">
          <h3>Not yours to approve</h3>
          <p>Code {formatUserCode(code)} was opened by another account first. Run the command in your terminal again for a new code.</p>
          {another}
        </div>
      );
    case "failed":
      return (
        <div class="card result result-failed" role="alert" data-testid="device-result" data-outcome="failed">
          <h3>This code did not work</h3>
          <p data-testid="device-error">{step.message}</p>
          <p class="muted small">Codes last 30 minutes and work once. Run the command in your terminal again for a new one.</p>
          {another}
        </div>
      );
  }
}

/** The code typed by hand (when the QR code could not be scanned), shown as XXXX-XXXX while typing. */
function CodeEntry({ onSubmit }: { onSubmit: (code: string) => void }) {
  const [value, setValue] = useState("");
  return (
    <form
      class="stack-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (isCompleteUserCode(value)) onSubmit(value);
      }}
    >
      <label>
        The code in your terminal
        <input
          name="user_code"
          class="code-input"
          value={value}
          onInput={(e) => setValue(formatUserCode((e.target as HTMLInputElement).value))}
          placeholder="XXXX-XXXX"
          autocomplete="one-time-code"
          autocapitalize="characters"
          spellcheck={false}
          maxLength={9}
          required
        />
      </label>
      <button type="submit" class="primary" disabled={!isCompleteUserCode(value)}>
        Continue
      </button>
    </form>
  );
}
