import type { IdeConfig } from "../lib/api";

const SCOPE_LABEL = { project: "in your project", user: "in your home folder", local: "local to this project" } as const;

/** The files and command a client gets, as the desktop will show them (with the key's variable, not a key). */
export function ConfigPreview({ config }: { config: IdeConfig }) {
  return (
    <section class="card config-preview" aria-labelledby="config-title" data-testid="config-preview">
      <h2 id="config-title">What {config.title} gets</h2>
      {config.command && (
        <>
          <p class="small muted">One command in a terminal:</p>
          <pre data-testid="config-command">
            <code>{config.command}</code>
          </pre>
        </>
      )}
      <p class="small muted">
        {config.command ? "Or these files" : "These files"}; the setup link shows them with a new key filled in:
      </p>
      <ul class="files">
        {config.files.map((f) => (
          <li key={f.path}>
            <details>
              <summary>
                <code data-testid="config-file">{f.path}</code> <span class="muted small">{SCOPE_LABEL[f.scope]}</span>
              </summary>
              <pre>
                <code>{f.content}</code>
              </pre>
            </details>
          </li>
        ))}
      </ul>
      {config.oauthCommand && (
        <>
          <p class="small muted">Or sign in without a key:</p>
          <pre>
            <code>{config.oauthCommand}</code>
          </pre>
        </>
      )}
      {config.notes.length > 0 && (
        <ul class="notes small">
          {config.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
