import type { ComponentChildren } from "preact";
import type { ModelSummary } from "../lib/catalog-api";
import { compactNumber, contextLabel, parameterLabel, taskLabel, wholeNumber } from "../lib/discover-query";

/**
 * The heart on a model: pressed when it is a favorite. `favorite` null means nobody is signed in: the
 * heart is still there, and tapping it asks the screen for a sign-in (onToggle decides what happens).
 */
export function FavoriteButton({ id, favorite, busy, onToggle }: { id: string; favorite: boolean | null; busy?: boolean; onToggle: () => void }) {
  const on = favorite === true;
  return (
    <button
      type="button"
      class="heart"
      data-testid="favorite-toggle"
      aria-pressed={favorite === null ? undefined : on}
      aria-label={favorite === null ? `Sign in to save ${id} to favorites` : on ? `Remove ${id} from favorites` : `Add ${id} to favorites`}
      title={on ? "In your favorites" : "Add to favorites"}
      disabled={busy}
      onClick={onToggle}
    >
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
        <path
          d="M12 21s-7.5-4.6-9.6-9.2C.9 8.4 3 4.5 6.8 4.5c2.1 0 3.6 1.1 5.2 3 1.6-1.9 3.1-3 5.2-3 3.8 0 5.9 3.9 4.4 7.3C19.5 16.4 12 21 12 21z"
          fill={on ? "currentColor" : "none"}
          stroke="currentColor"
          stroke-width="2"
          stroke-linejoin="round"
        />
      </svg>
    </button>
  );
}

/**
 * One model in a list: its id as the link to its detail, what it does and how big it is, where it
 * deploys, and the Hub's counts. Presentational: `onOpen` lets the screen navigate without a reload.
 */
export function ModelCard({
  model,
  href,
  favorite,
  favoriteBusy,
  onFavorite,
  onOpen,
  children,
}: {
  model: Pick<ModelSummary, "id"> & Partial<ModelSummary>;
  href: string;
  favorite: boolean | null;
  favoriteBusy?: boolean;
  onFavorite: () => void;
  onOpen: (e: MouseEvent) => void;
  /** Extra lines under the counts (e.g. this platform's own usage). */
  children?: ComponentChildren;
}) {
  const slash = model.id.indexOf("/");
  const meta = [model.task ? taskLabel(model.task) : null, model.parameters !== undefined && model.parameters !== null ? `${parameterLabel(model.parameters)} params` : null, model.contextLength ? `${contextLabel(model.contextLength)} context` : null].filter(Boolean);
  return (
    <article class="model-card" data-testid="model-card" data-model-id={model.id}>
      <div class="model-card-head">
        <a class="model-link" href={href} onClick={onOpen}>
          <span class="model-owner">{model.id.slice(0, slash + 1)}</span>
          <strong class="model-name">{model.id.slice(slash + 1)}</strong>
        </a>
        <FavoriteButton id={model.id} favorite={favorite} busy={favoriteBusy} onToggle={onFavorite} />
      </div>
      {meta.length > 0 && <p class="model-meta">{meta.join(" · ")}</p>}
      <ul class="badges" aria-label="Badges">
        {model.deployable?.vllm && <li class="badge-ok">vLLM</li>}
        {model.deployable?.sglang && <li class="badge-ok">SGLang</li>}
        {model.gated && <li class="badge-warn">gated</li>}
        {model.license && <li>{model.license}</li>}
      </ul>
      {model.downloads !== undefined && (
        <p class="model-stats">
          <span title={`${wholeNumber(model.downloads)} downloads`}>
            <span aria-hidden="true">↓ </span>
            {compactNumber(model.downloads)}
            <span class="visually-hidden"> downloads</span>
          </span>
          <span title={`${wholeNumber(model.likes ?? 0)} likes`}>
            <span aria-hidden="true">★ </span>
            {compactNumber(model.likes ?? 0)}
            <span class="visually-hidden"> likes</span>
          </span>
        </p>
      )}
      {children}
    </article>
  );
}
