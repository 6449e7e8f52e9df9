import "../styles-discover.css";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ComponentChildren } from "preact";
import type { ScreenProps } from "../app";
import { DeployForm } from "../components/DeployForm";
import { EstimateCard } from "../components/EstimateCard";
import { ChipRow, FilterChips, type ChipGroup } from "../components/FilterChips";
import { FavoriteButton, ModelCard } from "../components/ModelCard";
import { DeployVerdict, ModelFacts } from "../components/ModelFacts";
import { SignInForm } from "../components/SignInForm";
import { ApiError } from "../lib/api";
import { catalogApi, estimateOfDetail, type CategoryInfo, type FacetCounts, type LiveEstimate, type ModelDetail, type ModelSummary, type Popular, type Vertical } from "../lib/catalog-api";
import {
  cacheKey,
  clearFilters,
  describeFilters,
  ENGINE_LABELS,
  filtersFromSearch,
  filtersToSearch,
  isBrowse,
  mergePage,
  modelIdFromPath,
  modelPath,
  setWorkers,
  SIZE_LABELS,
  SIZES,
  SORT_LABELS,
  SORTS,
  taskLabel,
  toggleFilter,
  wholeNumber,
  type DeployChoice,
  type DiscoverFilters,
  type FilterKey,
} from "../lib/discover-query";
import { useSession, type Session } from "../lib/session";

const UNREACHABLE = "Could not reach the platform; check your connection.";
const messageOf = (err: unknown) => (err instanceof ApiError ? err.message : UNREACHABLE);
const isAbort = (err: unknown) => err instanceof DOMException && err.name === "AbortError";
const TYPE_AHEAD_MS = 250;
/** Longest the browse waits for its side sections before showing the list without the late ones. */
const BROWSE_WAIT_MS = 3000;
const REPRICE_MS = 350;

/**
 * Model discovery (/models) and a model's page (/models/<owner>/<name>), one screen: search as you type,
 * filter chips with counts, sorts, pages from the API's cursor, the brand's verticals, what is popular here,
 * favorites; a model's facts, its price and a deploy form. Moving between the list and a model keeps the
 * list (pushState, no reload), so coming back shows the same results at the same place.
 */
export function Discover({ brandName }: ScreenProps) {
  const [path, setPath] = useState(location.pathname);
  const { session, signIn } = useSession();
  const favorites = useFavorites(session);
  const [categories, setCategories] = useState<CategoryInfo[] | null>(null);
  const [categoriesSettled, setCategoriesSettled] = useState(false);
  const modelId = modelIdFromPath(path);
  // The list mounts when first shown and then stays (hidden under a model's page), keeping its state.
  const listSeen = useRef(false);
  if (modelId === null) listSeen.current = true;

  useEffect(
    () =>
      void catalogApi.categories().then(
        (c) => {
          setCategories(c);
          setCategoriesSettled(true);
        },
        () => setCategoriesSettled(true),
      ),
    [],
  );
  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);
  // Back on the list: where it was scrolled to.
  useEffect(() => {
    if (modelId !== null) return;
    const y = (history.state as { scrollY?: number } | null)?.scrollY;
    if (typeof y === "number") requestAnimationFrame(() => scrollTo(0, y));
  }, [modelId]);

  const navigate = useCallback((to: string) => {
    if (modelIdFromPath(location.pathname) === null) history.replaceState({ ...(history.state as object | null), scrollY }, "");
    history.pushState({ fromList: modelIdFromPath(location.pathname) === null }, "", to);
    setPath(new URL(to, location.href).pathname);
    scrollTo(0, 0);
  }, []);
  /** A plain left click opens in place; a modified click (new tab) is the browser's. */
  const openHandler = useCallback(
    (to: string) => (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(to);
    },
    [navigate],
  );
  const categoryLabel = useCallback((id: string) => categories?.find((c) => c.id === id)?.label ?? taskLabel(id), [categories]);

  const signInForm = (reason: string) =>
    session.state === "signed-out" ? (
      <SignInForm reason={reason} busy={session.busy} error={session.error} onSubmit={(e, p) => void signIn(e, p)} />
    ) : session.state === "unreachable" ? (
      <p role="alert" class="refusal">
        {session.error}
      </p>
    ) : session.state === "loading" ? (
      <p class="muted" aria-live="polite">
        Checking who is signed in…
      </p>
    ) : null;

  return (
    <section class="discover" aria-label="Models">
      {listSeen.current && (
        <div hidden={modelId !== null}>
          <DiscoverList
            brandName={brandName}
            favorites={favorites}
            categories={categories}
            categoriesSettled={categoriesSettled}
            categoryLabel={categoryLabel}
            openHandler={openHandler}
            signInForm={signInForm}
            session={session}
          />
        </div>
      )}
      {modelId !== null && (
        <ModelPage
          key={modelId}
          id={modelId}
          brandName={brandName}
          session={session}
          favorites={favorites}
          categoryLabel={categoryLabel}
          signInForm={signInForm}
          onBack={(e) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            if ((history.state as { fromList?: boolean } | null)?.fromList) history.back();
            else navigate("/models");
          }}
        />
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Favorites: the signed-in person's set of model ids, toggled optimistically.

interface Favorites {
  /** true/false for a signed-in person, null when nobody is signed in (the heart asks for a sign-in). */
  of: (id: string) => boolean | null;
  busy: (id: string) => boolean;
  ids: string[];
  loaded: boolean;
  error: string | null;
  toggle: (id: string) => void;
}

function useFavorites(session: Session): Favorites {
  const [ids, setIds] = useState<string[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const signedIn = session.state === "signed-in";
  // Hearts tapped before the list arrived (id -> now a favorite): the list must not undo them.
  const early = useRef(new Map<string, boolean>());

  useEffect(() => {
    if (!signedIn) {
      setIds([]);
      setLoaded(false);
      return;
    }
    let current = true;
    catalogApi.favorites().then(
      (f) => {
        if (!current) return;
        let list = f.map((x) => x.modelId);
        for (const [id, on] of early.current) list = on ? [id, ...list.filter((x) => x !== id)] : list.filter((x) => x !== id);
        early.current.clear();
        setIds(list);
        setLoaded(true);
      },
      (err: unknown) => current && setError(messageOf(err)),
    );
    return () => {
      current = false;
    };
  }, [signedIn]);

  const toggle = useCallback(
    (id: string) => {
      if (!signedIn || busy.has(id)) return;
      const on = ids.includes(id);
      if (!loaded) early.current.set(id, !on);
      setError(null);
      setIds((list) => (on ? list.filter((x) => x !== id) : [id, ...list]));
      setBusy((b) => new Set([...b, id]));
      (on ? catalogApi.removeFavorite(id) : catalogApi.addFavorite(id).then(() => undefined))
        .catch((err: unknown) => {
          // Already gone is what was asked for; anything else puts the heart back.
          if (on && err instanceof ApiError && err.status === 404) return;
          early.current.delete(id);
          setIds((list) => (on ? [id, ...list] : list.filter((x) => x !== id)));
          setError(messageOf(err));
        })
        .finally(() =>
          setBusy((b) => {
            const next = new Set(b);
            next.delete(id);
            return next;
          }),
        );
    },
    [signedIn, ids, busy, loaded],
  );

  // One object while nothing in it changes, so the result cards can tell that they need no new render.
  return useMemo(() => ({ of: (id) => (signedIn ? ids.includes(id) : null), busy: (id) => busy.has(id), ids, loaded, error, toggle }), [signedIn, ids, busy, loaded, error, toggle]);
}

// ---------------------------------------------------------------------------------------------------------
// The last results, kept in memory and in sessionStorage: shown while a search reloads, when coming back
// to the list after a full page load, and when the phone is offline.

interface Shown {
  key: string;
  models: ModelSummary[];
  nextCursor: string | null;
  facets: FacetCounts | null;
  approximate: boolean;
}

const STORE = "discover:results";
const KEEP = 8;
const memory = new Map<string, Shown>();
let lastShown: Shown | null = null;

function readStore(): { order: string[]; byKey: Record<string, Shown> } {
  try {
    const raw = sessionStorage.getItem(STORE);
    if (raw) return JSON.parse(raw) as { order: string[]; byKey: Record<string, Shown> };
  } catch {
    // storage unavailable or corrupt: memory only
  }
  return { order: [], byKey: {} };
}

function remember(s: Shown) {
  memory.set(s.key, s);
  lastShown = s;
  try {
    const store = readStore();
    store.order = [s.key, ...store.order.filter((k) => k !== s.key)];
    store.byKey[s.key] = { ...s, models: s.models.slice(0, 100) };
    for (const k of store.order.splice(KEEP)) delete store.byKey[k];
    sessionStorage.setItem(STORE, JSON.stringify(store));
  } catch {
    // full or unavailable: memory still has it
  }
}

function recall(key: string): Shown | null {
  return memory.get(key) ?? readStore().byKey[key] ?? null;
}

function recallLast(): Shown | null {
  if (lastShown) return lastShown;
  const store = readStore();
  return store.order[0] ? (store.byKey[store.order[0]] ?? null) : null;
}

// ---------------------------------------------------------------------------------------------------------
// The list.

type Status = "loading" | "ready" | "error" | "offline";

function DiscoverList({
  brandName,
  favorites,
  categories,
  categoriesSettled,
  categoryLabel,
  openHandler,
  signInForm,
  session,
}: {
  brandName: string;
  favorites: Favorites;
  categories: CategoryInfo[] | null;
  /** The categories' answer (or failure) is in: the browse may show. */
  categoriesSettled: boolean;
  categoryLabel: (id: string) => string;
  openHandler: (to: string) => (e: MouseEvent) => void;
  signInForm: (reason: string) => ComponentChildren;
  session: Session;
}) {
  const [filters, setFilters] = useState<DiscoverFilters>(() => filtersFromSearch(location.search));
  const [typed, setTyped] = useState(filters.q);
  const [shown, setShown] = useState<Shown | null>(() => recall(cacheKey(filters)));
  const [status, setStatus] = useState<Status>("loading");
  const [error, setError] = useState<string | null>(null);
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [retry, setRetry] = useState(0);
  const [optionFacets, setOptionFacets] = useState<FacetCounts | null>(null);
  const [side, setSide] = useState<SideSections | null>(null);
  const [waitedLongEnough, setWaitedLongEnough] = useState(false);
  const [askSignIn, setAskSignIn] = useState(false);
  const signInRef = useRef<HTMLDivElement>(null);
  const wide = useMemo(() => typeof matchMedia === "function" && matchMedia("(min-width: 48rem)").matches, []);
  const key = cacheKey(filters);
  const browse = isBrowse(filters);

  // Type-ahead: the search follows the typing once it pauses.
  useEffect(() => {
    if (typed === filters.q) return;
    const t = setTimeout(() => setFilters((f) => ({ ...f, q: typed })), TYPE_AHEAD_MS);
    return () => clearTimeout(t);
  }, [typed]);

  // The address follows the search (replace, not push: typing is not a trail of pages to go back through).
  useEffect(() => {
    if (modelIdFromPath(location.pathname) !== null) return;
    const url = `/models${filtersToSearch(filters)}`;
    if (url !== location.pathname + location.search) history.replaceState(history.state, "", url);
  }, [filters]);

  // The first page of a search (and its facets); a newer search cancels an older one.
  useEffect(() => {
    setMoreError(null);
    if (!navigator.onLine) {
      setShown((s) => recall(key) ?? s ?? recallLast());
      setStatus("offline");
      return;
    }
    const ctl = new AbortController();
    setStatus("loading");
    setError(null);
    catalogApi.search(filters, null, ctl.signal).then(
      (r) => {
        const next: Shown = { key, models: r.models, nextCursor: r.nextCursor, facets: r.facets ?? null, approximate: Boolean(r.facetsApproximate) };
        remember(next);
        setShown(next);
        setStatus("ready");
      },
      (err: unknown) => {
        if (ctl.signal.aborted || isAbort(err)) return;
        if (!navigator.onLine) {
          setShown((s) => recall(key) ?? s ?? recallLast());
          setStatus("offline");
          return;
        }
        setError(messageOf(err));
        setStatus("error");
      },
    );
    return () => ctl.abort();
  }, [key, retry]);

  // Connectivity: say so at once when it drops; search again when it returns.
  useEffect(() => {
    const off = () => setStatus((s) => (s === "loading" ? s : "offline"));
    const on = () => setRetry((n) => n + 1);
    addEventListener("offline", off);
    addEventListener("online", on);
    return () => {
      removeEventListener("offline", off);
      removeEventListener("online", on);
    };
  }, []);

  // What the chips offer (the catalog-wide tasks and licenses), what is popular here, and the verticals.
  useEffect(() => {
    catalogApi.facets().then(setOptionFacets, () => undefined);
    void loadSideSections().then(setSide);
    const t = setTimeout(() => setWaitedLongEnough(true), BROWSE_WAIT_MS);
    return () => clearTimeout(t);
  }, []);
  // The browse sections stand above the results, so they appear together, once: each one arriving on its
  // own pushed everything under it down the screen (a layout shift of most of the viewport on a phone).
  const personKnown = session.state !== "loading" && (session.state !== "signed-in" || favorites.loaded || favorites.error !== null);
  const browseReady = (side !== null && categoriesSettled && personKnown) || waitedLongEnough;

  async function loadMore() {
    if (!shown?.nextCursor || moreBusy) return;
    if (!navigator.onLine) {
      setStatus("offline");
      return;
    }
    const from = shown;
    setMoreBusy(true);
    setMoreError(null);
    try {
      const r = await catalogApi.search(filters, from.nextCursor);
      setShown((s) => {
        if (!s || s.key !== from.key) return s; // the search changed meanwhile
        const next = { ...s, models: mergePage(s.models, r.models), nextCursor: r.nextCursor };
        remember(next);
        return next;
      });
    } catch (err) {
      setMoreError(messageOf(err));
    } finally {
      setMoreBusy(false);
    }
  }

  const change = (next: DiscoverFilters) => {
    setFilters(next);
    if (next.q !== typed) setTyped(next.q);
  };
  const onChip = (k: string, value: string) => {
    const fk = k as FilterKey;
    const v = fk === "gated" ? value === "true" : value;
    change(toggleFilter({ ...filters, q: typed }, fk, v as never));
  };
  const clearAll = () => change(clearFilters(filters));

  const heart = useCallback(
    (id: string) => () => {
      if (favorites.of(id) === null) {
        setAskSignIn(true);
        requestAnimationFrame(() => signInRef.current?.scrollIntoView({ block: "center", behavior: "smooth" }));
        return;
      }
      favorites.toggle(id);
    },
    [favorites],
  );

  const groups = chipGroups(filters, shown?.key === key ? shown.facets : null, optionFacets, categories);
  const models = shown?.models ?? NO_MODELS;
  // The cards are most of the screen. The same element while they have not changed lets Preact skip them
  // when a keystroke, a chip or the loading state re-renders the list around them: on a phone's CPU that
  // pass over every card was a good part of each tap's response time.
  const cards = useMemo(() => <ResultCards models={models} favorites={favorites} heart={heart} openHandler={openHandler} />, [models, favorites, heart, openHandler]);
  const stale = shown !== null && shown.key !== key;
  const showingEmpty = status === "ready" && models.length === 0;

  return (
    <>
      <h2 id="discover-title">Discover models</h2>
      <form
        role="search"
        class="discover-search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters((f) => ({ ...f, q: typed }));
          (document.activeElement as HTMLElement | null)?.blur(); // closes the phone's keyboard
        }}
      >
        <label for="discover-q" class="visually-hidden">
          Search models
        </label>
        <input
          id="discover-q"
          type="search"
          name="q"
          data-testid="search"
          value={typed}
          placeholder="Search: qwen coder, llama, bge…"
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          enterKeyHint="search"
          maxLength={200}
          onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
        />
      </form>
      <ChipRow
        fit
        group={{ key: "sort", label: "Sort", options: SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] })), selected: filters.sort }}
        onToggle={(v) => v !== filters.sort && change({ ...filters, q: typed, sort: v as DiscoverFilters["sort"] })}
      />
      <FilterChips groups={groups} approximate={shown?.key === key && shown.approximate} defaultOpen={wide} onToggle={onChip} onClear={clearAll} />

      {askSignIn && session.state !== "signed-in" && (
        <div ref={signInRef} class="card" data-testid="favorites-sign-in">
          {signInForm("Sign in to keep favorites: your hearts follow you to every device.")}
        </div>
      )}
      {favorites.error && (
        <p role="alert" class="refusal" data-testid="favorite-error">
          {favorites.error}
        </p>
      )}

      {browse && !browseReady && <Skeletons label="Loading models…" />}
      {browse && browseReady && (
        <BrowseSections
          popular={side?.popular ?? null}
          verticals={side?.verticals ?? null}
          categories={categories}
          favorites={favorites}
          session={session}
          brandName={brandName}
          openHandler={openHandler}
          onCategory={(id) => change(toggleFilter({ ...filters, q: typed }, "category", id))}
          onAskSignIn={() => setAskSignIn(true)}
          heart={heart}
        />
      )}

      <section class="results" aria-labelledby="results-title" aria-busy={status === "loading"} hidden={browse && !browseReady}>
        <h3 id="results-title">{browse ? (filters.sort === "trending" ? "Trending" : `Most ${filters.sort === "recent" ? "recently updated" : SORT_LABELS[filters.sort].toLowerCase()}`) : "Results"}</h3>
        {status === "offline" && (
          <p role="status" class="banner banner-warn" data-testid="offline-banner">
            {models.length > 0
              ? `You are offline; showing the last results${stale ? " (from an earlier search)" : ""}. They refresh when you are back online.`
              : "You are offline, and no results were kept on this device yet. They load when you are back online."}
          </p>
        )}
        {status === "error" && (
          <div role="alert" class="refusal" data-testid="discover-error">
            <p>{error}</p>
            <button type="button" class="secondary" onClick={() => setRetry((n) => n + 1)}>
              Try again
            </button>
          </div>
        )}
        <p class="muted small" aria-live="polite" data-testid="result-count">
          {status === "loading" && !shown ? "Loading models…" : status === "loading" ? "Searching…" : showingEmpty ? "" : `${models.length} shown${shown?.nextCursor && !stale ? ", more below" : ""}`}
        </p>
        {status === "loading" && !shown && <Skeletons />}
        {showingEmpty && (
          <div class="card empty" data-testid="empty-state">
            {browse ? (
              <p>The catalog is still filling from the Hugging Face Hub; try again in a minute.</p>
            ) : (
              <>
                <p>No models match {describeFilters(filters, categoryLabel)}.</p>
                <button type="button" class="primary" data-testid="clear-filters" onClick={clearAll}>
                  Clear search and filters
                </button>
              </>
            )}
          </div>
        )}
        {models.length > 0 && !showingEmpty && (
          <ol class={`model-grid${status === "loading" ? " stale" : ""}`} data-testid="results">
            {cards}
          </ol>
        )}
        {moreError && (
          <p role="alert" class="refusal" data-testid="load-more-error">
            {moreError}
          </p>
        )}
        {shown?.nextCursor && !stale && status !== "loading" && !showingEmpty && (
          <button type="button" class="secondary block" data-testid="load-more" disabled={moreBusy} onClick={() => void loadMore()}>
            {moreBusy ? "Loading…" : "Load more"}
          </button>
        )}
      </section>
    </>
  );
}

const NO_MODELS: ModelSummary[] = [];

/** The results' cards, each an item of the list around them. */
function ResultCards({
  models,
  favorites,
  heart,
  openHandler,
}: {
  models: ModelSummary[];
  favorites: Favorites;
  heart: (id: string) => () => void;
  openHandler: (to: string) => (e: MouseEvent) => void;
}) {
  return (
    <>
      {models.map((m) => (
        <li key={m.id}>
          <ModelCard model={m} href={modelPath(m.id)} favorite={favorites.of(m.id)} favoriteBusy={favorites.busy(m.id)} onFavorite={heart(m.id)} onOpen={openHandler(modelPath(m.id))} />
        </li>
      ))}
    </>
  );
}

/** Grey cards where models will be, with the words for screen readers when given. */
function Skeletons({ label }: { label?: string }) {
  return (
    <>
      {label && (
        <p class="muted small" role="status">
          {label}
        </p>
      )}
      <ol class="model-grid skeletons" aria-hidden="true">
        {[0, 1, 2, 3].map((i) => (
          <li key={i} class="model-card skeleton" />
        ))}
      </ol>
    </>
  );
}

interface SideSections {
  popular: Popular | null;
  verticals: Vertical[] | null;
}

/** What is popular here and the brand's verticals, asked together; a section that fails is left out. */
async function loadSideSections(): Promise<SideSections> {
  const [popular, verticals] = await Promise.all([
    catalogApi.popular(10).catch(() => null),
    catalogApi.verticals().then(
      (v) => v.verticals,
      () => null,
    ),
  ]);
  return { popular, verticals };
}

/** Chip groups: values offered from the catalog-wide facets, counts from the current search's facets. */
function chipGroups(f: DiscoverFilters, facets: FacetCounts | null, options: FacetCounts | null, categories: CategoryInfo[] | null): ChipGroup[] {
  const count = (facet: keyof FacetCounts, value: string) => (facets ? facets[facet]?.find((v) => v.value === value)?.count : undefined);
  const offered = (facet: "task" | "license", top: number, selected: string | undefined, label: (v: string) => string) => {
    const values = (options?.[facet] ?? facets?.[facet] ?? []).slice(0, top).map((v) => v.value);
    if (selected && !values.includes(selected)) values.unshift(selected);
    return values.map((v) => ({ value: v, label: label(v), count: count(facet, v) }));
  };
  const cats = (categories ?? []).filter((c) => c.count > 0 || c.id === f.category);
  return [
    { key: "deployable", label: "Deploys on", selected: f.deployable, options: (["vllm", "sglang"] as const).map((e) => ({ value: e, label: ENGINE_LABELS[e], count: count("deployable", e) })) },
    { key: "category", label: "Category", selected: f.category, options: cats.map((c) => ({ value: c.id, label: c.label, count: facets ? count("category", c.id) : c.count })) },
    { key: "task", label: "Task", selected: f.task, options: offered("task", 10, f.task, taskLabel) },
    { key: "size", label: "Size", selected: f.size, options: SIZES.map((s) => ({ value: s, label: SIZE_LABELS[s], count: count("size", s) })) },
    { key: "license", label: "License", selected: f.license, options: offered("license", 8, f.license, (v) => v) },
    {
      key: "gated",
      label: "Access",
      selected: f.gated === undefined ? undefined : String(f.gated),
      options: [
        { value: "false", label: "Open", count: count("gated", "open") },
        { value: "true", label: "Gated", count: count("gated", "gated") },
      ],
    },
  ];
}

/** A plain browse (nothing typed or chosen): favorites, popular here, categories, the brand's verticals. */
function BrowseSections({
  popular,
  verticals,
  categories,
  favorites,
  session,
  brandName,
  openHandler,
  onCategory,
  onAskSignIn,
  heart,
}: {
  popular: Popular | null;
  verticals: Vertical[] | null;
  categories: CategoryInfo[] | null;
  favorites: Favorites;
  session: Session;
  brandName: string;
  openHandler: (to: string) => (e: MouseEvent) => void;
  onCategory: (id: string) => void;
  onAskSignIn: () => void;
  heart: (id: string) => () => void;
}) {
  return (
    <div class="browse">
      <section aria-labelledby="favorites-title" data-testid="favorites">
        <h3 id="favorites-title">Your favorites</h3>
        {session.state === "signed-in" ? (
          favorites.ids.length > 0 ? (
            <ul class="pill-list">
              {favorites.ids.map((id) => (
                <li key={id} class="pill">
                  <a href={modelPath(id)} onClick={openHandler(modelPath(id))}>
                    {id}
                  </a>
                  <FavoriteButton id={id} favorite={true} busy={favorites.busy(id)} onToggle={heart(id)} />
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted small">{favorites.loaded ? "Tap the heart on a model to keep it here." : "Loading your favorites…"}</p>
          )
        ) : (
          // Only the words are muted: under the paragraph's opacity the brand-coloured button fell to 3.6:1 contrast.
          <p class="small">
            <button type="button" class="link-button" data-testid="favorites-prompt" onClick={onAskSignIn}>
              Sign in
            </button>{" "}
            <span class="muted">to keep favorites on {brandName}.</span>
          </p>
        )}
      </section>

      {popular && popular.models.length > 0 && (
        <section aria-labelledby="popular-title" data-testid="popular">
          <h3 id="popular-title">{popular.label}</h3>
          <ol class="scroller">
            {popular.models.map((m) => (
              <li key={m.id}>
                <ModelCard model={m} href={modelPath(m.id)} favorite={favorites.of(m.id)} favoriteBusy={favorites.busy(m.id)} onFavorite={heart(m.id)} onOpen={openHandler(modelPath(m.id))}>
                  <p class="muted small">
                    This week: {wholeNumber(m.platform.deployments7d)} deployments · {wholeNumber(m.platform.requests7d)} requests
                  </p>
                </ModelCard>
              </li>
            ))}
          </ol>
        </section>
      )}

      {categories && categories.some((c) => c.count > 0) && (
        <section aria-labelledby="categories-title" data-testid="categories">
          <h3 id="categories-title">Categories</h3>
          <ul class="category-grid">
            {categories
              .filter((c) => c.count > 0)
              .map((c) => (
                <li key={c.id}>
                  <button type="button" class="chip" data-value={c.id} onClick={() => onCategory(c.id)}>
                    <span>{c.label}</span>
                    <span class="chip-count">{wholeNumber(c.count)}</span>
                  </button>
                </li>
              ))}
          </ul>
        </section>
      )}

      {verticals && verticals.length > 0 && (
        <section aria-labelledby="verticals-title" data-testid="verticals">
          <h3 id="verticals-title">By industry</h3>
          <div class="verticals">
            {verticals.map((v) => (
              <VerticalDetails key={v.id} vertical={v} openHandler={openHandler} />
            ))}
          </div>
        </section>
      )}
    </div>
  );
}

/**
 * One industry, folded. Its models and use cases join the page the first time it is opened (by tap or
 * keyboard): folded, nobody sees them, and building them for every industry made the browse's first render
 * a sixth bigger on a phone still busy loading the rest (the cost: find-in-page sees only the titles until then).
 */
function VerticalDetails({ vertical: v, openHandler }: { vertical: Vertical; openHandler: (to: string) => (e: MouseEvent) => void }) {
  const [opened, setOpened] = useState(false);
  return (
    // A click on the summary comes before the browser unfolds it, so the content is there for its first paint.
    <details class="vertical" data-vertical={v.id} onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && setOpened(true)}>
      <summary onClick={() => setOpened(true)}>{v.title}</summary>
      {opened && (
        <>
          <p>{v.summary}</p>
          <ul class="vertical-models">
            {v.models.map((m) => (
              <li key={m.model}>
                <a href={modelPath(m.model)} onClick={openHandler(modelPath(m.model))}>
                  {m.model}
                </a>
                <span class="muted small">{m.why}</span>
              </li>
            ))}
          </ul>
          {v.useCases.length > 0 && (
            <>
              <h4>Use cases</h4>
              <ul class="use-cases">
                {v.useCases.map((u) => (
                  <li key={u.id}>
                    <strong>{u.title}</strong> <span class="muted small">{u.why}</span>{" "}
                    <a href={modelPath(u.model)} onClick={openHandler(modelPath(u.model))}>
                      {u.model}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </details>
  );
}

// ---------------------------------------------------------------------------------------------------------
// A model's page.

function ModelPage({
  id,
  brandName,
  session,
  favorites,
  categoryLabel,
  signInForm,
  onBack,
}: {
  id: string;
  brandName: string;
  session: Session;
  favorites: Favorites;
  categoryLabel: (id: string) => string;
  signInForm: (reason: string) => ComponentChildren;
  onBack: (e: MouseEvent) => void;
}) {
  const [detail, setDetail] = useState<ModelDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [askSignIn, setAskSignIn] = useState(false);
  const [retry, setRetry] = useState(0);
  const titleRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // Asked offline too: the service worker keeps the last answer for a model page seen before
    // (api-last-seen); only when it has none does the request fail and the page say it needs a connection.
    const ctl = new AbortController();
    setError(null);
    catalogApi.detail(id, ctl.signal).then(setDetail, (err: unknown) => {
      if (ctl.signal.aborted || isAbort(err)) return;
      setError(navigator.onLine ? messageOf(err) : "You are offline; this model's page needs a connection.");
    });
    return () => ctl.abort();
  }, [id, retry]);
  // Opened from the list: the heading takes focus, so a screen reader starts at the model.
  useEffect(() => titleRef.current?.focus({ preventScroll: true }), []);

  const fav = favorites.of(id);
  return (
    <article class="model-detail" data-testid="model-detail" aria-labelledby="detail-title">
      <a href="/models" class="back-link" onClick={onBack}>
        <span aria-hidden="true">← </span>All models
      </a>
      <div class="detail-head">
        <h2 id="detail-title" ref={titleRef} tabIndex={-1}>
          {id}
        </h2>
        <FavoriteButton id={id} favorite={fav} busy={favorites.busy(id)} onToggle={() => (fav === null ? setAskSignIn(true) : favorites.toggle(id))} />
      </div>
      {askSignIn && session.state !== "signed-in" && (
        <div class="card" data-testid="favorites-sign-in">
          {signInForm("Sign in to keep favorites: your hearts follow you to every device.")}
        </div>
      )}
      {favorites.error && (
        <p role="alert" class="refusal" data-testid="favorite-error">
          {favorites.error}
        </p>
      )}
      {error && (
        <div role="alert" class="refusal" data-testid="detail-error">
          <p>{error}</p>
          <button type="button" class="secondary" onClick={() => setRetry((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {!detail && !error && (
        <p class="muted" aria-live="polite">
          Loading {id}…
        </p>
      )}
      {detail && (
        <div class="detail-layout">
          <div class="detail-main">
            {detail.fetchedOnDemand && <p class="muted small">Fetched from the Hugging Face Hub just now; it is in the catalog from here on.</p>}
            <ModelFacts model={detail} brandName={brandName} categoryLabel={categoryLabel} categoryHref={(c) => `/models?category=${encodeURIComponent(c)}`} />
            <DeployVerdict model={detail} />
          </div>
          {detail.deploy.deployable && (
            <div class="detail-side">
              <DeployPanel detail={detail} session={session} signInForm={signInForm} />
            </div>
          )}
        </div>
      )}
    </article>
  );
}

const newKey = () => (typeof crypto.randomUUID === "function" ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(""));

/** The deploy form, priced live: each change asks the estimate again (the last change wins). */
function DeployPanel({ detail, session, signInForm }: { detail: ModelDetail; session: Session; signInForm: (reason: string) => ComponentChildren }) {
  const [choice, setChoice] = useState<DeployChoice>({ scaling: {} });
  const [estimate, setEstimate] = useState<LiveEstimate>(() => estimateOfDetail(detail)!);
  const [estimating, setEstimating] = useState(false);
  const [estimateError, setEstimateError] = useState<string | null>(null);
  const [deploying, setDeploying] = useState(false);
  const [deployError, setDeployError] = useState<string | null>(null);
  const [hfToken, setHfToken] = useState("");
  // One key per choice: a retried tap of the same deploy is the same deployment, a changed one is new.
  const idempotencyKey = useRef(newKey());
  const first = useRef(true);

  useEffect(() => {
    const initial = first.current;
    first.current = false;
    if (!initial) idempotencyKey.current = newKey();
    const ctl = new AbortController();
    // The first ask only adds the planner's reasons (the detail carried the same price), so it is quiet.
    if (!initial) setEstimating(true);
    const t = setTimeout(
      () =>
        catalogApi.estimate(detail.id, choice, ctl.signal).then(
          (e) => {
            setEstimate(e);
            setEstimateError(null);
            setEstimating(false);
          },
          (err: unknown) => {
            if (ctl.signal.aborted || isAbort(err)) return;
            if (!initial) setEstimateError(messageOf(err));
            setEstimating(false);
          },
        ),
      initial ? 0 : REPRICE_MS,
    );
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [choice]);

  const plan = estimate.plan;
  const values = {
    engine: choice.engine ?? plan.engine,
    gpu: choice.gpu ?? plan.gpu.pool,
    gpuLabel: `${plan.gpu.count}× ${plan.gpu.label} (${plan.gpu.pool})`,
    workersMin: choice.scaling.workersMin ?? plan.scaling.workersMin,
    workersMax: choice.scaling.workersMax ?? plan.scaling.workersMax,
    idleTimeoutSeconds: choice.scaling.idleTimeoutSeconds ?? plan.scaling.idleTimeoutSeconds,
    hfToken,
  };
  const needsHfToken = detail.deploy.deployable && detail.deploy.needsHfToken;

  async function deploy() {
    setDeploying(true);
    setDeployError(null);
    try {
      const created = await catalogApi.deploy(detail.id, { ...choice, hfToken }, idempotencyKey.current);
      location.assign(`/deployments/${encodeURIComponent(created.id)}`);
    } catch (err) {
      setDeployError(messageOf(err));
      setDeploying(false);
    }
  }

  const account = session.state === "signed-in" ? null : signInForm("Sign in to deploy this model to your workspace.");
  return (
    <DeployForm
      modelId={detail.id}
      engines={detail.deployable}
      values={values}
      needsHfToken={needsHfToken}
      reasons={plan.reasons ?? []}
      estimating={estimating}
      estimateError={estimateError}
      account={account}
      canDeploy={!estimating && !estimateError && (!needsHfToken || values.hfToken.trim().length >= 8)}
      deploying={deploying}
      deployError={deployError}
      onEngine={(engine) => setChoice((c) => ({ ...c, engine }))}
      onGpu={(gpu) => setChoice((c) => ({ ...c, gpu: gpu.toUpperCase() }))} // pool ids are upper case
      onWorkers={(k, n) => setChoice((c) => ({ ...c, scaling: setWorkers(c.scaling, values, k, n) }))}
      onIdle={(s) => setChoice((c) => ({ ...c, scaling: { ...c.scaling, idleTimeoutSeconds: s } }))}
      onHfToken={setHfToken}
      onDeploy={() => void deploy()}
    >
      <EstimateCard data={estimate} />
    </DeployForm>
  );
}
