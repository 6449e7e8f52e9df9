import { wholeNumber } from "../lib/discover-query";

/**
 * Chips: tap to choose, tap again to clear. A group holds one choice (the catalog API takes one value per
 * filter); a count is shown when the search's facets have one for that value. Presentational only.
 */
export interface ChipOption {
  value: string;
  label: string;
  /** Matches with this value among the current results' facets; undefined when not known. */
  count?: number;
}

export interface ChipGroup {
  key: string;
  label: string;
  options: ChipOption[];
  selected?: string | undefined;
}

const countText = (n: number, approximate: boolean) => `${approximate ? "~" : ""}${wholeNumber(n)}`;

export function ChipRow({ group, approximate = false, fit = false, onToggle }: { group: ChipGroup; approximate?: boolean; /** Share the width evenly instead of scrolling (a few short options). */ fit?: boolean; onToggle: (value: string) => void }) {
  return (
    <div class={fit ? "chip-group chip-group-fit" : "chip-group"} role="group" aria-label={group.label} data-testid={`filter-${group.key}`}>
      <span class="chip-group-label" aria-hidden="true">
        {group.label}
      </span>
      <div class="chip-row">
        {group.options.map((o) => {
          const on = group.selected === o.value;
          return (
            <button
              key={o.value}
              type="button"
              class="chip"
              aria-pressed={on}
              data-value={o.value}
              aria-label={o.count !== undefined ? `${o.label}, ${countText(o.count, approximate)} models` : o.label}
              onClick={() => onToggle(o.value)}
            >
              <span>{o.label}</span>
              {o.count !== undefined && <span class="chip-count">{countText(o.count, approximate)}</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}

/** Every filter group, then the chosen filters as one line with a way to clear them all. */
export function FilterChips({
  groups,
  approximate,
  defaultOpen,
  onToggle,
  onClear,
}: {
  groups: ChipGroup[];
  approximate: boolean;
  /** Whether the panel starts open (a wide screen has room for it); the person opens and closes it after. */
  defaultOpen: boolean;
  onToggle: (key: string, value: string) => void;
  onClear: () => void;
}) {
  const active = groups.flatMap((g) => (g.selected === undefined ? [] : [{ key: g.key, group: g.label, option: g.options.find((o) => o.value === g.selected)?.label ?? g.selected }]));
  return (
    <div class="filters">
      {active.length > 0 && (
        <div class="active-filters" data-testid="active-filters">
          {active.map((a) => (
            <button key={a.key} type="button" class="chip chip-on" aria-label={`Remove filter ${a.group}: ${a.option}`} onClick={() => onToggle(a.key, groups.find((g) => g.key === a.key)!.selected!)}>
              {a.option} <span aria-hidden="true">✕</span>
            </button>
          ))}
          <button type="button" class="link-button" onClick={onClear}>
            Clear filters
          </button>
        </div>
      )}
      <details class="filter-panel" open={defaultOpen || undefined}>
        <summary>
          Filters{active.length > 0 ? ` · ${active.length} on` : ""}
          {approximate && <span class="muted small"> (counts from the first 500 matches)</span>}
        </summary>
        {groups.map((g) => (
          <ChipRow key={g.key} group={g} approximate={approximate} onToggle={(v) => onToggle(g.key, v)} />
        ))}
      </details>
    </div>
  );
}
