import { useEffect, useState } from "preact/hooks";
import { KeyList } from "../components/KeyList";
import { NewKeyForm, NewKeyShown } from "../components/NewKeyForm";
import { SessionGate } from "../components/SessionGate";
import { ApiError } from "../lib/api";
import { keysApi, type ApiKey, type CreatedKey, type KeyScope } from "../lib/keys-api";
import { useSession } from "../lib/session";
import "../styles-keys.css";

const OFFLINE = "Could not reach the platform; check your connection.";
const messageOf = (err: unknown) => (err instanceof ApiError ? err.message : OFFLINE);

/**
 * The workspace's API keys: the list (prefix, scopes, when made and last used, revoked or not), a new key
 * with the scopes it needs (shown once, with a copy button), and revoking one. Editors get theirs from
 * IDE setup, which makes a key with the right scopes by itself.
 */
export function Keys({ brandName }: { brandName: string }) {
  const { session, signIn } = useSession();
  return (
    <section aria-labelledby="keys-title" class="key-screen">
      <h2 id="keys-title">API keys</h2>
      <SessionGate session={session} reason={`Sign in to manage your workspace's API keys on ${brandName}.`} onSignIn={(e, p) => void signIn(e, p)}>
        {() => <KeysPanel />}
      </SessionGate>
    </section>
  );
}

function KeysPanel() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [formRound, setFormRound] = useState(0);

  const load = () =>
    keysApi.list().then(
      (k) => {
        setKeys(k);
        setError(null);
      },
      (err: unknown) => setError(messageOf(err)),
    );

  useEffect(() => void load(), []);

  async function create(name: string, scopes: KeyScope[]) {
    setCreating(true);
    setCreateError(null);
    try {
      const k = await keysApi.create(name, scopes);
      setCreated(k);
      setFormRound((r) => r + 1); // a fresh, empty form for the next one
      const { key: _secret, ...view } = k; // the list never holds the key itself
      setKeys((ks) => [view, ...(ks ?? []).filter((x) => x.id !== k.id)]);
    } catch (err) {
      setCreateError(messageOf(err));
    } finally {
      setCreating(false);
    }
  }

  async function revoke(id: string) {
    setRevoking(id);
    setError(null);
    try {
      await keysApi.revoke(id);
      await load();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setRevoking(null);
    }
  }

  return (
    <>
      <p class="muted">
        Keys let code and tools call this platform: the OpenAI, Anthropic and Gemini SDKs on <code>/v1</code> (scope <code>bridge</code>) and the MCP tools (<code>mcp:*</code>). For an editor, <a href="/ide">IDE setup</a> makes a key and writes the configuration for you.
      </p>
      {created && <NewKeyShown created={created} onDone={() => setCreated(null)} />}
      {error && (
        <p role="alert" class="refusal" data-testid="keys-error">
          {error}
        </p>
      )}
      {!keys && !error && (
        <p class="muted" aria-live="polite">
          Loading keys…
        </p>
      )}
      {keys && (
        <section aria-labelledby="key-list-title">
          <h3 id="key-list-title" class="key-list-title">
            Keys <span class="muted small">({keys.filter((k) => !k.revokedAt).length} active)</span>
          </h3>
          <KeyList keys={keys} busyId={revoking} onRevoke={(id) => void revoke(id)} />
        </section>
      )}
      <NewKeyForm key={formRound} busy={creating} error={createError} onCreate={(n, s) => void create(n, s)} />
      <a class="key-ide-link" href="/ide" data-testid="ide-link">
        Set up your IDE →
      </a>
    </>
  );
}
