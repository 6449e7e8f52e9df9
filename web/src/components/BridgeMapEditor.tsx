import { useState } from "preact/hooks";
import type { BridgeRule } from "../lib/settings-api";

interface Draft {
  match: string;
  targets: string;
}
const toDraft = (r: BridgeRule): Draft => ({ match: r.match, targets: r.targets.join(", ") });
const fromDraft = (d: Draft): BridgeRule => ({
  match: d.match.trim(),
  targets: d.targets
    .split(/[,\n]/)
    .map((t) => t.trim())
    .filter(Boolean),
});

/**
 * The bridge map: which targets serve a requested model name, in fallback order. Admins edit the rules
 * and save them all at once (the API's refusal is shown as it said it); everyone else reads them.
 * Presentational: the screen saves and passes `busy`, `error` and `saved` back.
 */
export function BridgeMapEditor({
  rules,
  editable,
  busy,
  error,
  saved,
  onSave,
}: {
  rules: BridgeRule[];
  editable: boolean;
  busy: boolean;
  error: string | null;
  saved: boolean;
  onSave: (rules: BridgeRule[]) => void;
}) {
  const [drafts, setDrafts] = useState<Draft[]>(() => rules.map(toDraft));
  const edit = (i: number, patch: Partial<Draft>) => setDrafts((ds) => ds.map((d, j) => (j === i ? { ...d, ...patch } : d)));

  if (!editable) {
    return (
      <div class="bridge-map" data-testid="bridge-map">
        {rules.length === 0 ? (
          <p class="muted" data-testid="bridge-empty">
            No rules: model names go to their usual provider.
          </p>
        ) : (
          <ul class="bridge-rules">
            {rules.map((r) => (
              <li key={r.match} class="bridge-rule" data-testid="bridge-rule">
                <code>{r.match}</code> → <span>{r.targets.join(", ")}</span>
              </li>
            ))}
          </ul>
        )}
        <p class="muted">Only workspace admins and owners can change the bridge map.</p>
      </div>
    );
  }

  return (
    <form
      class="bridge-map stack-form"
      data-testid="bridge-map"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(drafts.map(fromDraft));
      }}
    >
      {drafts.length === 0 && (
        <p class="muted" data-testid="bridge-empty">
          No rules: model names go to their usual provider.
        </p>
      )}
      <ol class="bridge-rules">
        {drafts.map((d, i) => (
          <li key={i} class="bridge-rule" data-testid="bridge-rule">
            <label>
              Model name or pattern
              <input name={`match-${i}`} value={d.match} placeholder="gpt-4o*" autocapitalize="off" spellcheck={false} onInput={(e) => edit(i, { match: (e.target as HTMLInputElement).value })} />
            </label>
            <label>
              Targets, in fallback order
              <input name={`targets-${i}`} value={d.targets} placeholder="runpod/qwen, openai/gpt-4o-mini" autocapitalize="off" spellcheck={false} onInput={(e) => edit(i, { targets: (e.target as HTMLInputElement).value })} />
            </label>
            <button type="button" class="secondary" aria-label={`Remove rule ${i + 1}`} onClick={() => setDrafts((ds) => ds.filter((_, j) => j !== i))}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      <p class="muted bridge-help">
        Match an exact name or a glob (<code>claude-*</code>); targets are <code>provider/model</code>, separated by commas.
      </p>
      {error && (
        <p role="alert" class="refusal" data-testid="bridge-error">
          {error}
        </p>
      )}
      {saved && !error && (
        <p role="status" data-testid="bridge-saved">
          Saved.
        </p>
      )}
      <div class="settings-actions">
        <button type="button" class="secondary" onClick={() => setDrafts((ds) => [...ds, { match: "", targets: "" }])}>
          Add rule
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Saving…" : "Save bridge map"}
        </button>
      </div>
    </form>
  );
}
