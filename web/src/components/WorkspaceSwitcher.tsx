import type { Workspace } from "../lib/team-api";

/** The workspaces one belongs to, with one's role in each; choosing one makes it the active workspace. */
export function WorkspaceSwitcher({ workspaces, activeId, busy, onSwitch }: { workspaces: Workspace[]; activeId: string | null; busy: boolean; onSwitch: (id: string) => void }) {
  return (
    <label class="team-switcher" data-testid="workspace-switcher">
      <span>Workspace</span>
      <select value={activeId ?? ""} disabled={busy} onChange={(e) => onSwitch((e.currentTarget as HTMLSelectElement).value)}>
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
            {w.personal ? " (personal)" : ""} — {w.role}
          </option>
        ))}
      </select>
    </label>
  );
}
