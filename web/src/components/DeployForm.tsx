import type { ComponentChildren } from "preact";
import { ENGINE_LABELS, type DeployableEngine } from "../lib/discover-query";

/** What the form shows: the person's choice where they made one, the plan's otherwise. */
export interface DeployFormValues {
  engine: DeployableEngine;
  /** The GPU pool id as typed ("" lets the planner pick). */
  gpu: string;
  /** The plan's GPU in words, for the current estimate. */
  gpuLabel: string;
  workersMin: number;
  workersMax: number;
  idleTimeoutSeconds: number;
  hfToken: string;
}

const IDLE_CHOICES = [5, 15, 30, 60, 90, 120, 180, 300, 600, 900, 1800, 3600];
const idleLabel = (s: number) => (s < 60 ? `${s} s` : s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`);

/**
 * Engine, GPU and scaling for a deployment, the live price (children), and the Deploy button, or the
 * sign-in it needs (`account`). Presentational: the screen re-prices on every change and does the POST.
 */
export function DeployForm({
  modelId,
  engines,
  values,
  gpuOptions,
  needsHfToken,
  reasons,
  estimating,
  estimateError,
  account,
  canDeploy,
  deploying,
  deployError,
  onEngine,
  onGpu,
  onWorkers,
  onIdle,
  onHfToken,
  onDeploy,
  children,
}: {
  modelId: string;
  engines: Record<DeployableEngine, boolean>;
  values: DeployFormValues;
  /** Pools to choose from when the API lists alternatives; otherwise the pool id is typed. */
  gpuOptions?: { id: string; label: string }[] | undefined;
  needsHfToken: boolean;
  reasons: string[];
  estimating: boolean;
  estimateError: string | null;
  /** Shown instead of the Deploy button when nobody is signed in (the sign-in form). */
  account: ComponentChildren | null;
  canDeploy: boolean;
  deploying: boolean;
  deployError: string | null;
  onEngine: (e: DeployableEngine) => void;
  onGpu: (pool: string) => void;
  onWorkers: (key: "workersMin" | "workersMax", n: number) => void;
  onIdle: (seconds: number) => void;
  onHfToken: (token: string) => void;
  onDeploy: () => void;
  children?: ComponentChildren;
}) {
  const idleChoices = [...new Set([...IDLE_CHOICES, values.idleTimeoutSeconds])].sort((a, b) => a - b);
  const range = (from: number) => Array.from({ length: 11 - from }, (_, i) => i + from);
  return (
    <section class="card deploy-card" aria-labelledby="deploy-title" data-testid="deploy-form">
      <h3 id="deploy-title">Deploy {modelId}</h3>
      <form
        class="deploy-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (canDeploy && !deploying) onDeploy();
        }}
      >
        <fieldset class="engine-choice">
          <legend>Engine</legend>
          <div class="segmented">
            {(["vllm", "sglang"] as const).map((e) => (
              <button
                key={e}
                type="button"
                class="chip"
                aria-pressed={values.engine === e}
                disabled={!engines[e] && values.engine !== e}
                title={engines[e] ? undefined : `${ENGINE_LABELS[e]} cannot serve this model`}
                onClick={() => onEngine(e)}
              >
                {ENGINE_LABELS[e]}
              </button>
            ))}
          </div>
        </fieldset>
        <label class="wide">
          GPU
          {gpuOptions && gpuOptions.length > 0 ? (
            <select name="gpu" value={values.gpu} onChange={(e) => onGpu((e.target as HTMLSelectElement).value)}>
              {gpuOptions.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              name="gpu"
              value={values.gpu}
              placeholder="the planner's choice"
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              aria-describedby="gpu-hint"
              onInput={(e) => onGpu((e.target as HTMLInputElement).value)}
            />
          )}
          <span id="gpu-hint" class="muted small" data-testid="gpu-label">
            {values.gpuLabel}
          </span>
        </label>
        <label>
          Min workers
          <select name="workersMin" value={values.workersMin} onChange={(e) => onWorkers("workersMin", Number((e.target as HTMLSelectElement).value))}>
            {range(0).map((n) => (
              <option key={n} value={n}>
                {n === 0 ? "0 (scale to zero)" : n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Max workers
          <select name="workersMax" value={values.workersMax} onChange={(e) => onWorkers("workersMax", Number((e.target as HTMLSelectElement).value))}>
            {range(1).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label class="wide">
          Idle timeout
          <select name="idleTimeoutSeconds" value={values.idleTimeoutSeconds} onChange={(e) => onIdle(Number((e.target as HTMLSelectElement).value))}>
            {idleChoices.map((s) => (
              <option key={s} value={s}>
                {idleLabel(s)} before an idle worker stops
              </option>
            ))}
          </select>
        </label>
        {needsHfToken && (
          <label class="wide">
            Hugging Face token (gated model)
            <input name="hfToken" type="password" autocomplete="off" value={values.hfToken} placeholder="hf_…" onInput={(e) => onHfToken((e.target as HTMLInputElement).value)} />
          </label>
        )}
        <div class="wide live-estimate" aria-live="polite" aria-busy={estimating}>
          <p class="muted small" data-testid="estimate-status">
            {estimating ? "Updating the price…" : "The price follows your choices."}
          </p>
          {estimateError ? (
            <p role="alert" class="refusal" data-testid="estimate-error">
              {estimateError}
            </p>
          ) : (
            <div class={estimating ? "stale" : undefined}>{children}</div>
          )}
        </div>
        {reasons.length > 0 && (
          <details class="wide reasons">
            <summary>Why this plan</summary>
            <ul>
              {reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </details>
        )}
        {deployError && (
          <p role="alert" class="refusal wide" data-testid="deploy-error">
            {deployError}
          </p>
        )}
        {!account && (
          <button type="submit" class="primary wide" data-testid="deploy-button" disabled={!canDeploy || deploying}>
            {deploying ? "Deploying…" : "Deploy"}
          </button>
        )}
      </form>
      {/* Outside the form: the sign-in is a form of its own. */}
      {account && <div data-testid="deploy-sign-in">{account}</div>}
    </section>
  );
}
