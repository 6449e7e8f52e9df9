import { useEffect, useRef, useState } from "preact/hooks";
import { KEY_SCOPES, SCOPE_HELP, type CreatedKey, type KeyScope } from "../lib/keys-api";

/** Copies to the clipboard (the selection trick where the Clipboard API is missing or refused). */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

/** A copy button that says what it copied, for two seconds, to the eye and to a screen reader. */
export function CopyButton({ text, label, testId, class: cls = "secondary" }: { text: string; label: string; testId?: string; class?: string }) {
  const [done, setDone] = useState<"copied" | "failed" | null>(null);
  useEffect(() => {
    if (!done) return;
    const t = setTimeout(() => setDone(null), 2000);
    return () => clearTimeout(t);
  }, [done]);
  return (
    <>
      <button type="button" class={cls} data-testid={testId} onClick={() => void copyText(text).then((ok) => setDone(ok ? "copied" : "failed"))}>
        {done === "copied" ? "Copied ✓" : label}
      </button>
      <span class="copy-status" role="status">
        {done === "copied" ? "Copied to the clipboard" : done === "failed" ? "Could not copy: select the text and copy it by hand" : ""}
      </span>
    </>
  );
}

/**
 * The new-key form: a name and what the key may do (scope checkboxes, model calls only by default).
 * Presentational: the screen creates the key and passes back whether it is busy or what went wrong.
 */
export function NewKeyForm({ busy, error, onCreate }: { busy: boolean; error: string | null; onCreate: (name: string, scopes: KeyScope[]) => void }) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<KeyScope[]>(["bridge"]);
  const [problem, setProblem] = useState<string | null>(null);

  function toggle(scope: KeyScope, on: boolean) {
    setProblem(null);
    setScopes((s) => KEY_SCOPES.filter((k) => (k === scope ? on : s.includes(k))));
  }

  return (
    <form
      class="stack-form card key-form"
      data-testid="new-key-form"
      aria-labelledby="new-key-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return setProblem("Give the key a name, e.g. the laptop or app that uses it.");
        if (scopes.length === 0) return setProblem("Choose at least one scope.");
        onCreate(name.trim(), scopes);
      }}
    >
      <h3 id="new-key-title">New key</h3>
      <label>
        Name
        <input name="name" value={name} maxLength={100} autocomplete="off" placeholder="e.g. laptop, CI, my-app" onInput={(e) => (setName((e.target as HTMLInputElement).value), setProblem(null))} required />
      </label>
      <fieldset class="key-scopes">
        <legend>What it may do</legend>
        {KEY_SCOPES.map((s) => (
          <label key={s} class="key-scope">
            <input type="checkbox" name="scopes" value={s} checked={scopes.includes(s)} onChange={(e) => toggle(s, (e.target as HTMLInputElement).checked)} />
            <span>
              <code>{s}</code>
              <span class="muted small">{SCOPE_HELP[s]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {(problem ?? error) && (
        <p role="alert" class="refusal" data-testid="new-key-error">
          {problem ?? error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? "Creating…" : "Create key"}
      </button>
    </form>
  );
}

/** The key just made, shown this once: copy it now, it cannot be shown again. */
export function NewKeyShown({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  // Focus moves to the key once, so a screen reader reads the warning and the key next.
  const box = useRef<HTMLElement>(null);
  useEffect(() => box.current?.focus(), [created.id]);
  return (
    <section class="card key-shown" data-testid="new-key" aria-labelledby="new-key-shown-title" tabIndex={-1} ref={box}>
      <h3 id="new-key-shown-title">Key “{created.name}” created</h3>
      <p class="key-warning" role="alert" data-testid="new-key-warning">
        Copy it now: this is the only time it is shown. Store it somewhere safe; if it is lost, revoke it and make a new one.
      </p>
      <p class="key-secret" data-testid="new-key-value">
        {created.key}
      </p>
      <div class="key-shown-actions">
        <CopyButton text={created.key} label="Copy key" testId="copy-key" class="primary" />
        <button type="button" class="secondary" data-testid="new-key-done" onClick={onDone}>
          I have saved it
        </button>
      </div>
      <p class="muted small">
        Scopes: {created.scopes.join(", ")}. Use it as the API key of any OpenAI, Anthropic or Gemini SDK pointed at this platform, or let <a href="/ide">IDE setup</a> write your editor's configuration.
      </p>
    </section>
  );
}
