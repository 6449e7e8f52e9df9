import { IDE_CLIENTS, type IdeClient } from "../lib/api";

export const CLIENT_LABELS: Record<IdeClient, string> = {
  "claude-code": "Claude Code",
  cursor: "Cursor",
  vscode: "VS Code",
  windsurf: "Windsurf",
  "claude-desktop": "Claude Desktop",
};

/** The five IDE clients as thumb-sized toggle chips; exactly one is chosen. */
export function ClientPicker({ value, onChange, disabled }: { value: IdeClient; onChange: (client: IdeClient) => void; disabled?: boolean }) {
  return (
    <div class="chips" role="group" aria-label="Your editor">
      {IDE_CLIENTS.map((id) => (
        <button key={id} type="button" class="chip" aria-pressed={id === value} disabled={disabled} onClick={() => onChange(id)}>
          {CLIENT_LABELS[id]}
        </button>
      ))}
    </div>
  );
}
