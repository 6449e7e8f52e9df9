import { useState } from "preact/hooks";
import { BYOK_PROVIDERS, type ByokProvider, type ProviderKey } from "../lib/settings-api";

const LABEL: Record<ByokProvider, string> = { openai: "OpenAI", anthropic: "Anthropic", google: "Google", runpod: "RunPod" };

/**
 * The workspace's own provider keys (bring your own key): which providers have one (last four characters),
 * adding or replacing one and removing it. Admins change them; everyone else reads. Presentational.
 */
export function ProviderKeys({
  keys,
  editable,
  busy,
  error,
  onSave,
  onRemove,
}: {
  keys: ProviderKey[];
  editable: boolean;
  busy: boolean;
  error: string | null;
  onSave: (provider: ByokProvider, apiKey: string, baseUrl: string) => void;
  onRemove: (provider: ByokProvider) => void;
}) {
  const [provider, setProvider] = useState<ByokProvider>("openai");
  const [apiKey, setApiKey] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  return (
    <div class="provider-keys" data-testid="provider-keys">
      {keys.length === 0 ? (
        <p class="muted" data-testid="provider-keys-empty">
          None: the bridge uses the platform's own credentials.
        </p>
      ) : (
        <ul class="provider-key-list">
          {keys.map((k) => (
            <li key={k.provider} class="provider-key" data-testid="provider-key" data-provider={k.provider}>
              <div class="provider-key-text">
                <strong>{LABEL[k.provider] ?? k.provider}</strong>
                <span class="provider-key-last4" data-testid="provider-key-last4">
                  ••••{k.last4}
                </span>
                {k.baseUrl && <span class="muted provider-key-url">{k.baseUrl}</span>}
              </div>
              {editable && (
                <button type="button" class="danger" disabled={busy} aria-label={`Remove ${LABEL[k.provider] ?? k.provider} key`} onClick={() => onRemove(k.provider)}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable ? (
        <form
          class="stack-form"
          data-testid="provider-key-form"
          onSubmit={(e) => {
            e.preventDefault();
            onSave(provider, apiKey.trim(), baseUrl.trim());
            setApiKey("");
          }}
        >
          <label>
            Provider
            <select name="provider" value={provider} onChange={(e) => setProvider((e.target as HTMLSelectElement).value as ByokProvider)}>
              {BYOK_PROVIDERS.map((p) => (
                <option key={p} value={p}>
                  {LABEL[p]}
                </option>
              ))}
            </select>
          </label>
          <label>
            API key
            <input name="apiKey" type="password" autocomplete="off" value={apiKey} onInput={(e) => setApiKey((e.target as HTMLInputElement).value)} required />
          </label>
          <label>
            Base URL (optional)
            <input name="baseUrl" type="url" inputMode="url" placeholder="https://…" value={baseUrl} onInput={(e) => setBaseUrl((e.target as HTMLInputElement).value)} />
          </label>
          {error && (
            <p role="alert" class="refusal" data-testid="provider-key-error">
              {error}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? "Saving…" : "Save key"}
          </button>
        </form>
      ) : (
        <>
          {error && (
            <p role="alert" class="refusal" data-testid="provider-key-error">
              {error}
            </p>
          )}
          <p class="muted">Only workspace admins and owners can add or remove provider keys.</p>
        </>
      )}
    </div>
  );
}
