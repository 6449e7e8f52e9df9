import type { PlaygroundModel } from "../lib/playground-api";

const GROUPS: [PlaygroundModel["kind"], string][] = [
  ["deployment", "Your deployments"],
  ["bridge", "Your bridge map"],
  ["western", "Western models"],
];

const perMillion = (usd: number | null) => (usd === null ? "?" : `$${usd < 1 ? usd.toFixed(3) : usd.toFixed(2)}`);

/** A labelled model picker, grouped by where the models run, with the chosen one's price. Presentational. */
export function ModelSelect({ label, name, models, value, onChange }: { label: string; name: string; models: PlaygroundModel[]; value: string; onChange: (id: string) => void }) {
  const chosen = models.find((m) => m.id === value);
  const hintId = `${name}-price`;
  return (
    <div class="play-field">
      <label for={name}>{label}</label>
      <select id={name} name={name} value={value} aria-describedby={hintId} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {GROUPS.map(([kind, title]) => {
          const group = models.filter((m) => m.kind === kind);
          return group.length ? (
            <optgroup key={kind} label={title}>
              {group.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id}
                </option>
              ))}
            </optgroup>
          ) : null;
        })}
      </select>
      <span id={hintId} class="muted small play-price">
        {chosen ? `${perMillion(chosen.inputPerMillionUsd)} in · ${perMillion(chosen.outputPerMillionUsd)} out per million tokens${chosen.servedModel ? ` · ${chosen.servedModel}` : ""}` : " "}
      </span>
    </div>
  );
}
