import type { LoggingSettings } from "../lib/settings-api";

/**
 * The prompt-logging opt-in (issue 11): off, the request log never holds a prompt; on, each bridge call's log
 * line carries a bounded text excerpt of it. Admins and owners switch it; everyone else reads. Presentational.
 */
export function PromptLogging({ settings, editable, busy, error, onChange }: { settings: LoggingSettings; editable: boolean; busy: boolean; error: string | null; onChange: (on: boolean) => void }) {
  return (
    <div data-testid="prompt-logging">
      <p class="muted">
        {settings.logPrompts
          ? "On: each bridge call's log line includes the prompt's text (up to 8,000 characters; images are left out)."
          : "Off: request logs hold the model, tokens, cost and timing, never a prompt."}
      </p>
      {editable ? (
        <label class="toggle">
          <input type="checkbox" name="logPrompts" checked={settings.logPrompts} disabled={busy} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />
          Write prompts into the request log (takes effect within {settings.appliesWithinSeconds} s)
        </label>
      ) : (
        <p class="muted">Only workspace admins and owners can change this.</p>
      )}
      {error && (
        <p role="alert" class="refusal" data-testid="prompt-logging-error">
          {error}
        </p>
      )}
    </div>
  );
}
