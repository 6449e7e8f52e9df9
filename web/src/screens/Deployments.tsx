import { useEffect, useState } from "preact/hooks";
import { DeploymentList, StateBadge } from "../components/DeploymentCard";
import { DeploymentSteps } from "../components/DeploymentSteps";
import { CopyButton } from "../components/NewKeyForm";
import { SessionGate } from "../components/SessionGate";
import { ApiError } from "../lib/api";
import { deploymentsApi, formatUsd, MOVING, openaiSnippet, watchDeployment, type Deployment, type DeploymentListItem, type ScalingChange } from "../lib/deployments-api";
import { useSession } from "../lib/session";
import "../styles-deployments.css";

const OFFLINE = "Could not reach the platform; check your connection.";
const messageOf = (err: unknown) => (err instanceof ApiError ? err.message : OFFLINE);
const LIST_POLL_MS = 2000;

/** The deployment named in the address (/deployments/<id>), or null for the list. */
function idFromPath(pathname: string): string | null {
  const m = /^\/deployments\/([^/]+)\/?$/.exec(pathname);
  return m ? decodeURIComponent(m[1]!) : null;
}

/**
 * The workspace's deployments: /deployments lists them with their states; /deployments/<id> follows one
 * live as it comes up (server-sent events, a poll as fallback), says how to call it through the bridge,
 * what it costs, lets its scaling be changed, and deletes it.
 */
export function Deployments({ brandName }: { brandName: string }) {
  const { session, signIn } = useSession();
  const id = idFromPath(location.pathname);
  return (
    <section aria-labelledby="deployments-title" class="dep-screen">
      {id ? (
        <p class="dep-back">
          <a href="/deployments">← All deployments</a>
        </p>
      ) : null}
      <h2 id="deployments-title">{id ? "Deployment" : "Deployments"}</h2>
      <SessionGate session={session} reason={`Sign in to see your workspace's deployments on ${brandName}.`} onSignIn={(e, p) => void signIn(e, p)}>
        {() => (id ? <DeploymentDetail id={id} /> : <DeploymentsPanel />)}
      </SessionGate>
    </section>
  );
}

function DeploymentsPanel() {
  const [items, setItems] = useState<DeploymentListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      deploymentsApi.list().then(
        (list) => {
          if (!current) return;
          setItems(list);
          setError(null);
          // Keep the badges honest while something is coming up or going away.
          if (list.some((d) => MOVING.includes(d.state))) timer = setTimeout(load, LIST_POLL_MS);
        },
        (err: unknown) => current && setError(messageOf(err)),
      );
    void load();
    return () => {
      current = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);

  return (
    <>
      {error && (
        <p role="alert" class="refusal" data-testid="deployments-error">
          {error}
        </p>
      )}
      {!items && !error && (
        <p class="muted" aria-live="polite">
          Loading deployments…
        </p>
      )}
      {items && <DeploymentList items={items} />}
    </>
  );
}

function statusLine(d: Deployment): string {
  switch (d.state) {
    case "planned":
      return "Queued: the RunPod endpoint is about to be created.";
    case "creating":
      return "Creating the RunPod endpoint…";
    case "initializing":
      return "Starting: a worker is pulling the image and loading the model…";
    case "ready":
      return d.pendingScaling ? "Ready. Applying the new scaling…" : `Ready: call it as ${d.bridge.model}.`;
    case "failed":
      return "Failed.";
    case "deleting":
      return "Deleting the endpoint…";
    case "deleted":
      return `Deleted: the endpoint is gone and ${d.bridge.model} no longer answers.`;
  }
}

type ScalingForm = { workersMin: string; workersMax: string; idleTimeoutSeconds: string };
const formOf = (d: Deployment): ScalingForm => {
  const s = d.pendingScaling ?? d.scaling;
  return { workersMin: String(s.workersMin), workersMax: String(s.workersMax), idleTimeoutSeconds: String(s.idleTimeoutSeconds) };
};

/** The form's numbers, or why they cannot be sent (the API checks again). */
function readForm(f: ScalingForm): ScalingChange | string {
  const n = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v) : NaN);
  const workersMin = n(f.workersMin);
  const workersMax = n(f.workersMax);
  const idleTimeoutSeconds = n(f.idleTimeoutSeconds);
  if (!(workersMin >= 0 && workersMin <= 10)) return "Minimum workers: a whole number from 0 to 10.";
  if (!(workersMax >= 1 && workersMax <= 10)) return "Maximum workers: a whole number from 1 to 10.";
  if (workersMin > workersMax) return "The minimum cannot be above the maximum.";
  if (!(idleTimeoutSeconds >= 1 && idleTimeoutSeconds <= 3600)) return "Idle timeout: 1 to 3600 seconds.";
  return { workersMin, workersMax, idleTimeoutSeconds };
}

function DeploymentDetail({ id }: { id: string }) {
  const [dep, setDep] = useState<Deployment | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [watchRound, setWatchRound] = useState(0);
  const [form, setForm] = useState<ScalingForm | null>(null);
  const [dirty, setDirty] = useState(false);
  const [scaleBusy, setScaleBusy] = useState(false);
  const [scaleMsg, setScaleMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  // Follow it live; a scaling change or a delete starts a new round of watching.
  useEffect(() => {
    const w = watchDeployment(
      id,
      (d) => {
        setDep(d);
        setLoadError(null);
      },
      (err) => setLoadError(messageOf(err)),
    );
    return () => w.stop();
  }, [id, watchRound]);

  // The form shows what the deployment has (or is about to have) until someone edits it.
  useEffect(() => {
    if (dep && !dirty) setForm(formOf(dep));
  }, [dep, dirty]);

  if (!dep) {
    return loadError ? (
      <p role="alert" class="refusal" data-testid="deployment-error">
        {loadError}
      </p>
    ) : (
      <p class="muted" aria-live="polite">
        Loading the deployment…
      </p>
    );
  }

  const live = dep.state !== "failed" && dep.state !== "deleting" && dep.state !== "deleted";

  async function saveScaling(e: Event) {
    e.preventDefault();
    if (!form) return;
    const change = readForm(form);
    if (typeof change === "string") return setScaleMsg({ ok: false, text: change });
    setScaleBusy(true);
    setScaleMsg(null);
    try {
      const next = await deploymentsApi.scale(id, change);
      setDep(next);
      setDirty(false);
      setScaleMsg({ ok: true, text: next.pendingScaling ? "Saved: applying it to the endpoint…" : "Saved." });
      setWatchRound((r) => r + 1);
    } catch (err) {
      setScaleMsg({ ok: false, text: messageOf(err) });
    } finally {
      setScaleBusy(false);
    }
  }

  async function remove() {
    setDeleteBusy(true);
    setDeleteError(null);
    try {
      const next = await deploymentsApi.remove(id);
      setDep(next);
      setConfirmDelete(false);
      setWatchRound((r) => r + 1);
    } catch (err) {
      setDeleteError(messageOf(err));
    } finally {
      setDeleteBusy(false);
    }
  }

  const edit = (k: keyof ScalingForm) => (e: Event) => {
    const v = (e.target as HTMLInputElement).value;
    setForm((f) => (f ? { ...f, [k]: v } : f));
    setDirty(true);
    setScaleMsg(null);
  };
  const applied = scaleMsg?.ok && !dep.pendingScaling && !dirty;

  return (
    <div class="dep-detail" data-testid="deployment-detail" data-state={dep.state}>
      <header class="dep-title">
        <h3 class="dep-name" data-testid="deployment-name">
          {dep.name}
        </h3>
        <StateBadge state={dep.state} />
      </header>
      <p class="dep-model">{dep.model}</p>
      <p class="dep-status" role="status" data-testid="deployment-status">
        {statusLine(dep)}
      </p>
      {dep.state === "failed" && (
        <p role="alert" class="refusal" data-testid="deployment-failure">
          <strong>Why it failed:</strong> {dep.error ?? dep.lastError ?? "no reason was recorded."}
        </p>
      )}
      {MOVING.includes(dep.state) && dep.lastError && (
        <p class="muted small" data-testid="deployment-retrying">
          Retrying after: {dep.lastError}
        </p>
      )}
      {loadError && (
        <p class="muted small" role="status">
          Live updates interrupted ({loadError}); retrying…
        </p>
      )}

      <section class="card" aria-labelledby="steps-title">
        <h3 id="steps-title">Progress</h3>
        <DeploymentSteps state={dep.state} steps={dep.steps} />
      </section>

      {live && (
        <section class="card dep-call" aria-labelledby="call-title" data-testid="deployment-call">
          <h3 id="call-title">Call it</h3>
          {dep.state !== "ready" && <p class="muted small">It answers once it is ready.</p>}
          <dl class="dep-kv">
            <div>
              <dt>Model name</dt>
              <dd>
                <code data-testid="bridge-model">{dep.bridge.model}</code>
                <CopyButton text={dep.bridge.model} label="Copy name" testId="copy-model" />
              </dd>
            </div>
            <div>
              <dt>Base URL</dt>
              <dd>
                <code>{dep.bridge.openaiBaseUrl}</code>
              </dd>
            </div>
            <div>
              <dt>RunPod endpoint</dt>
              <dd>
                <code data-testid="endpoint-id">{dep.endpointId ?? "not created yet"}</code>
              </dd>
            </div>
          </dl>
          <p class="small dep-snippet-title">OpenAI SDK (Node)</p>
          <pre data-testid="openai-snippet">
            <code>{openaiSnippet(dep)}</code>
          </pre>
          <div class="dep-actions">
            {dep.state === "ready" && (
              <a class="dep-button-link dep-play" href={`/playground?${new URLSearchParams({ model: dep.bridge.model })}`} data-testid="open-playground">
                Chat with it
              </a>
            )}
            <CopyButton text={openaiSnippet(dep)} label="Copy snippet" testId="copy-snippet" />
            <a class="dep-button-link" href="/keys">
              API keys
            </a>
          </div>
        </section>
      )}

      <section class="card" aria-labelledby="hw-title">
        <h3 id="hw-title">GPU and cost</h3>
        <dl class="facts dep-facts">
          <div>
            <dt>GPU</dt>
            <dd data-testid="deployment-gpu">
              {dep.gpu.count > 1 ? `${dep.gpu.count}× ` : ""}
              {dep.gpu.label}
            </dd>
          </div>
          <div>
            <dt>Cost so far</dt>
            <dd data-testid="cost-so-far">{formatUsd(dep.cost.soFarUsd)}</dd>
          </div>
          <div>
            <dt>Per worker</dt>
            <dd data-testid="price-hour">{formatUsd(dep.price.workerPerHourUsd)}/h</dd>
          </div>
        </dl>
        <ul class="dep-notes small">
          <li>
            {dep.gpu.memoryGb} GB per GPU · {dep.engine} · up to {dep.vram.maxModelLen.toLocaleString("en-US")} tokens of context
          </li>
          <li data-testid="price-tokens">
            Calls billed at {formatUsd(dep.price.inputPerMillionUsd)} per million tokens in, {formatUsd(dep.price.outputPerMillionUsd)} out
          </li>
          <li>
            So far: {formatUsd(dep.cost.alwaysOnUsd)} for always-on workers, {formatUsd(dep.cost.callsUsd)} in calls ({dep.cost.note})
          </li>
        </ul>
      </section>

      {live && dep.autoscale && (
        <section class="card" aria-labelledby="autoscale-title" data-testid="deployment-autoscale">
          <h3 id="autoscale-title">Autoscale and GPU pools</h3>
          <dl class="facts dep-facts">
            <div>
              <dt>Predictive scaling</dt>
              <dd>{dep.autoscale.autoscale === "apply" ? "applied" : dep.autoscale.autoscale === "propose" ? "proposed only" : "off"}</dd>
            </div>
            <div>
              <dt>Cost ceiling</dt>
              <dd>{dep.autoscale.costCeilingUsdPerMonth === null ? "none" : `${formatUsd(dep.autoscale.costCeilingUsdPerMonth)}/month`}</dd>
            </div>
            <div>
              <dt>Pools</dt>
              <dd data-testid="deployment-pools">{dep.autoscale.pools.join(" → ")}</dd>
            </div>
          </dl>
          <p class="muted small">
            If every worker waits on GPU capacity for 10 minutes, the endpoint moves to the next pool
            {dep.autoscale.maxWorkerUsdPerHour === null ? "" : ` up to ${formatUsd(dep.autoscale.maxWorkerUsdPerHour)}/h per worker`}, and back once the first has capacity again.
            {dep.pendingPool ? ` Moving to ${dep.pendingPool.gpu.pool}: ${dep.pendingPool.reason}.` : ""}
          </p>
        </section>
      )}

      {live && form && (
        <form class="card stack-form dep-scaling" aria-labelledby="scaling-title" data-testid="scaling-form" onSubmit={(e) => void saveScaling(e)}>
          <h3 id="scaling-title">Scaling</h3>
          <p class="muted small">
            Workers start when calls arrive and stop after the idle timeout; the minimum stay on (and cost {formatUsd(dep.price.workerPerHourUsd)}/h each). 0 scales to zero.
          </p>
          <div class="dep-scaling-fields">
            <label>
              Min workers
              <input name="workersMin" type="number" inputMode="numeric" min={0} max={10} step={1} value={form.workersMin} onInput={edit("workersMin")} required />
            </label>
            <label>
              Max workers
              <input name="workersMax" type="number" inputMode="numeric" min={1} max={10} step={1} value={form.workersMax} onInput={edit("workersMax")} required />
            </label>
            <label>
              Idle timeout (s)
              <input name="idleTimeoutSeconds" type="number" inputMode="numeric" min={1} max={3600} step={1} value={form.idleTimeoutSeconds} onInput={edit("idleTimeoutSeconds")} required />
            </label>
          </div>
          {scaleMsg && (
            <p role={scaleMsg.ok ? "status" : "alert"} class={scaleMsg.ok ? "banner banner-ok" : "refusal"} data-testid="scaling-message">
              {applied ? "Saved and applied." : scaleMsg.text}
            </p>
          )}
          {!scaleMsg && dep.pendingScaling && (
            <p role="status" class="muted small" data-testid="scaling-pending">
              Applying {dep.pendingScaling.workersMin}–{dep.pendingScaling.workersMax} workers to the endpoint…
            </p>
          )}
          <button type="submit" class="primary" disabled={scaleBusy || !dirty}>
            {scaleBusy ? "Saving…" : "Save scaling"}
          </button>
        </form>
      )}

      {dep.state !== "deleted" && (
        <section class="card dep-delete" aria-labelledby="delete-title">
          <h3 id="delete-title">Delete</h3>
          {dep.state === "deleting" ? (
            <p class="muted" data-testid="deleting-note">
              Deleting: the endpoint is being removed on RunPod. This page updates when it is gone.
            </p>
          ) : confirmDelete ? (
            <div role="group" aria-label={`Delete ${dep.name}?`}>
              <p>
                Delete <strong>{dep.name}</strong>? The RunPod endpoint is removed and calls to <code>{dep.bridge.model}</code> stop working. This cannot be undone.
              </p>
              <div class="dep-confirm">
                <button type="button" class="secondary" disabled={deleteBusy} onClick={() => setConfirmDelete(false)}>
                  Cancel
                </button>
                <button type="button" class="danger" data-testid="confirm-delete" disabled={deleteBusy} onClick={() => void remove()}>
                  {deleteBusy ? "Deleting…" : "Delete it"}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" class="danger block" data-testid="delete" onClick={() => setConfirmDelete(true)}>
              Delete deployment
            </button>
          )}
          {deleteError && (
            <p role="alert" class="refusal" data-testid="delete-error">
              {deleteError}
            </p>
          )}
        </section>
      )}
      {dep.state === "deleted" && (
        <p>
          <a class="dep-button-link" href="/deployments">
            Back to deployments
          </a>
        </p>
      )}
    </div>
  );
}
