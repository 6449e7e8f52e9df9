import { useEffect, useState } from "preact/hooks";
import { CLIENT_LABELS, ClientPicker } from "../components/ClientPicker";
import { ConfigPreview } from "../components/ConfigPreview";
import { SessionGate } from "../components/SessionGate";
import { SetupLinkCard } from "../components/SetupLinkCard";
import { api, ApiError, type IdeClient, type IdeConfig, type SetupLink } from "../lib/api";
import { useRemaining } from "../lib/countdown";
import { useSession } from "../lib/session";

const OFFLINE = "Could not reach the platform; check your connection.";
const messageOf = (err: unknown) => (err instanceof ApiError ? err.message : OFFLINE);

/**
 * IDE setup from the phone: pick the editor, show a QR code of a one-time link (minutes, single use) that
 * the computer opens to get the configuration with a freshly minted, scoped key; below, what that
 * configuration will be.
 */
export function IdeSetup() {
  const { session, signIn } = useSession();
  return (
    <section aria-labelledby="ide-title">
      <h2 id="ide-title">Set up your IDE</h2>
      <SessionGate session={session} reason="Sign in to make a setup link for your editor." onSignIn={(e, p) => void signIn(e, p)}>
        {() => <IdeSetupPanel />}
      </SessionGate>
    </section>
  );
}

function IdeSetupPanel() {
  const [client, setClient] = useState<IdeClient>("claude-code");
  const [shown, setShown] = useState<{ link: SetupLink; deadline: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [config, setConfig] = useState<IdeConfig | null>(null);
  const [configError, setConfigError] = useState<string | null>(null);
  const remaining = useRemaining(shown?.deadline ?? null);

  useEffect(() => {
    let current = true;
    setConfig(null);
    setConfigError(null);
    api.ideConfig(client).then(
      (c) => current && setConfig(c),
      (err: unknown) => current && setConfigError(messageOf(err)),
    );
    return () => {
      current = false;
    };
  }, [client]);

  function choose(next: IdeClient) {
    if (next === client) return;
    setClient(next);
    setShown(null); // a link is made for one client
    setError(null);
  }

  async function makeLink() {
    setBusy(true);
    setError(null);
    try {
      const link = await api.createSetupLink(client);
      setShown({ link, deadline: Date.now() + link.expiresInMs });
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p class="muted">Which editor are you setting up?</p>
      <ClientPicker value={client} onChange={choose} disabled={busy} />
      {!shown && (
        <button type="button" class="primary block" onClick={makeLink} disabled={busy}>
          {busy ? "Making the code…" : "Show QR code"}
        </button>
      )}
      {error && (
        <p role="alert" class="refusal" data-testid="setup-error">
          {error}
        </p>
      )}
      {shown && <SetupLinkCard link={shown.link} clientLabel={CLIENT_LABELS[shown.link.client]} remainingMs={remaining} busy={busy} onRenew={makeLink} />}
      {configError && (
        <p role="alert" class="refusal" data-testid="config-error">
          {configError}
        </p>
      )}
      {!config && !configError && (
        <p class="muted" aria-live="polite">
          Loading {CLIENT_LABELS[client]}'s configuration…
        </p>
      )}
      {config && <ConfigPreview config={config} />}
    </>
  );
}
