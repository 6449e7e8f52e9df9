import { useEffect, useRef, useState } from "preact/hooks";
import { ModelSelect } from "../components/ModelSelect";
import { PlaygroundAnswer, type Answer } from "../components/PlaygroundAnswer";
import { ApiError } from "../lib/api";
import { useOnline } from "../lib/online";
import { OFFLINE_MESSAGE, playgroundApi, type ChatMessage, type PlaygroundModel } from "../lib/playground-api";
import { useSession } from "../lib/session";
import { preselectedModel, visitResult } from "../lib/variants";
import "../styles-playground.css";

const UNREACHABLE = "Could not reach the platform; check your connection.";
const messageOf = (err: unknown) => (err instanceof ApiError ? err.message : navigator.onLine ? UNREACHABLE : OFFLINE_MESSAGE);

/**
 * The playground (/playground[?model=…]): chat with any model the workspace may call, streamed, each
 * answer with its cost, tokens, time to first token and speed; "Compare" sends every prompt to two models
 * at once and shows both answers side by side. Each model keeps its own side of the conversation.
 */
export function Playground({ brandName }: { brandName: string }) {
  const { session } = useSession();
  const online = useOnline();
  const here = `${location.pathname}${location.search}`;
  return (
    <section aria-labelledby="play-title" class="play-screen">
      <h2 id="play-title">Playground</h2>
      {session.state === "loading" && (
        <p class="muted" aria-live="polite">
          Checking who is signed in…
        </p>
      )}
      {session.state === "unreachable" && (
        <p role="alert" class="refusal">
          {online ? session.error : OFFLINE_MESSAGE}
        </p>
      )}
      {session.state === "signed-out" && (
        <div class="card play-gate" data-testid="play-sign-in">
          <p>Sign in to chat with your deployments and the Western models on {brandName}, and compare their answers, cost and speed side by side.</p>
          <div class="play-gate-links">
            <a class="play-link play-link-primary" href={`/signin?next=${encodeURIComponent(here)}`}>
              Sign in
            </a>
            <a class="play-link" href={`/signup?next=${encodeURIComponent(here)}`}>
              Create an account
            </a>
          </div>
        </div>
      )}
      {session.state === "signed-in" && <PlaygroundPanel online={online} />}
    </section>
  );
}

interface Turn {
  id: number;
  prompt: string;
  answers: Answer[];
}

/** What lane `lane` has said so far: each earlier prompt with that lane's answer, when it has one. */
function historyOf(turns: Turn[], lane: number): ChatMessage[] {
  return turns.flatMap((t): ChatMessage[] => {
    const a = t.answers[lane];
    return a?.text && a.status !== "error" ? [{ role: "user", content: t.prompt }, { role: "assistant", content: a.text }] : [];
  });
}

/** The list, with a model named in the address added when the list does not have it (the API will say). */
function withRequested(models: PlaygroundModel[], requested: string | null): PlaygroundModel[] {
  if (!requested || models.some((m) => m.id === requested)) return models;
  return [{ id: requested, kind: requested.startsWith("runpod/") ? "deployment" : "bridge", inputPerMillionUsd: null, outputPerMillionUsd: null }, ...models];
}

function PlaygroundPanel({ online }: { online: boolean }) {
  const requested = new URLSearchParams(location.search).get("model");
  const [models, setModels] = useState<PlaygroundModel[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [picked, setPicked] = useState<[string, string]>(["", ""]);
  const [compare, setCompare] = useState(false);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [draft, setDraft] = useState("");
  const controllers = useRef<AbortController[]>([]);
  const lastTurn = useRef<HTMLLIElement>(null);
  const busy = turns.at(-1)?.answers.some((a) => a.status === "streaming") ?? false;

  // The list once, and again when the connection comes back after a failed load.
  useEffect(() => {
    if (models || !online) return;
    let current = true;
    // The visit never rejects; its config carries the default_model arm (the control without one).
    Promise.all([playgroundApi.models(), visitResult()]).then(
      ([listed, visit]) => {
        if (!current) return;
        const all = withRequested(listed, requested);
        const first = requested ?? preselectedModel(all.map((m) => m.id), visit.config?.defaultModel);
        setModels(all);
        setLoadError(null);
        setPicked([first, all.find((m) => m.id !== first)?.id ?? first]);
      },
      (err: unknown) => current && setLoadError(messageOf(err)),
    );
    return () => {
      current = false;
    };
  }, [online]);

  // Leaving the screen stops whatever is still streaming.
  useEffect(() => () => controllers.current.forEach((c) => c.abort()), []);

  useEffect(() => {
    lastTurn.current?.scrollIntoView({ block: "start", behavior: "smooth" });
  }, [turns.length]);

  function pick(lane: 0 | 1, id: string) {
    setPicked((p) => (lane === 0 ? [id, p[1]] : [p[0], id]));
    // The address names the main model, so the page can be bookmarked or shared as it is.
    if (lane === 0) history.replaceState(null, "", `${location.pathname}?${new URLSearchParams({ model: id })}`);
  }

  const update = (turnId: number, lane: number, change: (a: Answer) => Answer) =>
    setTurns((ts) => ts.map((t) => (t.id === turnId ? { ...t, answers: t.answers.map((a, i) => (i === lane ? change(a) : a)) } : t)));

  function send(e: Event) {
    e.preventDefault();
    const prompt = draft.trim();
    if (!prompt || busy || !online) return;
    const lanes = compare ? picked : [picked[0]];
    const turn: Turn = { id: Date.now(), prompt, answers: lanes.map((model) => ({ model, text: "", status: "streaming" })) };
    const earlier = turns;
    setTurns([...earlier, turn]);
    setDraft("");
    controllers.current = lanes.map((model, lane) => {
      const stop = new AbortController();
      const started = performance.now();
      // Both lanes stream at once; each updates only its own answer.
      playgroundApi
        .chat({ model, messages: [...historyOf(earlier, lane), { role: "user", content: prompt }] }, { signal: stop.signal, onText: (t) => update(turn.id, lane, (a) => ({ ...a, text: a.text + t })) })
        .then(
          (stats) => update(turn.id, lane, (a) => ({ ...a, status: "done", stats })),
          (err: unknown) =>
            update(turn.id, lane, (a) =>
              stop.signal.aborted ? { ...a, status: "stopped", elapsedMs: performance.now() - started } : { ...a, status: "error", error: messageOf(err) },
            ),
        );
      return stop;
    });
  }

  if (!models) {
    return loadError ? (
      <p role="alert" class="refusal" data-testid="play-error">
        {loadError}
      </p>
    ) : online ? (
      <p class="muted" aria-live="polite">
        Loading models…
      </p>
    ) : (
      <p role="status" class="refusal" data-testid="play-offline">
        {OFFLINE_MESSAGE}
      </p>
    );
  }
  if (models.length === 0) {
    return (
      <div class="card play-empty" data-testid="play-no-models">
        <p>
          <strong>No models to call yet.</strong>
        </p>
        <p class="muted">Deploy an open model from Hugging Face in one tap; it appears here once it is ready.</p>
        <a class="play-link play-link-primary" href="/models">
          Find a model to deploy
        </a>
      </div>
    );
  }

  return (
    <div class="play-panel" data-testid="playground">
      <fieldset class="play-pickers" aria-label="Models" disabled={busy}>
        <ModelSelect label={compare ? "Model A" : "Model"} name="model" models={models} value={picked[0]} onChange={(id) => pick(0, id)} />
        {compare && <ModelSelect label="Model B" name="model-b" models={models} value={picked[1]} onChange={(id) => pick(1, id)} />}
        <label class="play-switch">
          <input type="checkbox" role="switch" name="compare" checked={compare} onChange={(e) => setCompare((e.target as HTMLInputElement).checked)} />
          Compare two models side by side
        </label>
      </fieldset>

      {turns.length === 0 ? (
        <p class="muted play-hint">Ask anything. Answers stream in as they are written, with what each one cost and how fast it came.</p>
      ) : (
        <ol class="play-turns" aria-label="Conversation">
          {turns.map((t, i) => (
            <li key={t.id} class="play-turn" data-testid="turn" ref={i === turns.length - 1 ? lastTurn : undefined}>
              <p class="play-prompt">
                <span class="visually-hidden">You: </span>
                {t.prompt}
              </p>
              <div class={t.answers.length > 1 ? "play-answers play-compare" : "play-answers"}>
                {t.answers.map((a, lane) => (
                  <PlaygroundAnswer key={lane} answer={a} lane={lane} />
                ))}
              </div>
            </li>
          ))}
        </ol>
      )}

      <form class="play-composer" onSubmit={send}>
        {!online && (
          <p role="status" class="refusal" data-testid="play-offline">
            {OFFLINE_MESSAGE}
          </p>
        )}
        <label for="play-message">Message</label>
        <textarea
          id="play-message"
          name="message"
          rows={2}
          value={draft}
          placeholder="Ask something…"
          onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            // Enter sends, Shift+Enter is a new line (not while an input method is composing).
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) send(e);
          }}
        />
        <div class="play-buttons">
          {busy ? (
            <button type="button" class="secondary" data-testid="stop" onClick={() => controllers.current.forEach((c) => c.abort())}>
              Stop
            </button>
          ) : (
            <button type="submit" class="primary" disabled={!draft.trim() || !online || !picked[0]}>
              Send
            </button>
          )}
          <button type="button" class="secondary" disabled={busy || turns.length === 0} onClick={() => setTurns([])}>
            New chat
          </button>
        </div>
      </form>
    </div>
  );
}
