import { formatUsd, STATE_LABEL, type DeploymentListItem, type DeploymentState } from "../lib/deployments-api";

/** A deployment's state in words with a coloured dot (never colour alone). */
export function StateBadge({ state }: { state: DeploymentState }) {
  return (
    <span class={`dep-badge dep-${state}`} data-testid="state-badge" data-state={state}>
      <span class="dep-dot" aria-hidden="true" />
      {STATE_LABEL[state]}
    </span>
  );
}

/**
 * One deployment in the list: the whole card is the link to its page (a big tap target), with what one
 * looks for at a glance: name, state, model, how to call it, GPU, workers and price.
 */
export function DeploymentCard({ d }: { d: DeploymentListItem }) {
  return (
    <li class="dep-item" data-testid="deployment" data-id={d.id}>
      <a class="dep-link" href={`/deployments/${encodeURIComponent(d.id)}`} aria-label={`${d.name}, ${STATE_LABEL[d.state]}: ${d.model}`}>
        <span class="dep-head">
          <strong class="dep-name">{d.name}</strong>
          <StateBadge state={d.state} />
        </span>
        <span class="dep-model">{d.model}</span>
        <span class="dep-meta muted small">
          <code>{d.bridge.model}</code> · {d.gpu.count > 1 ? `${d.gpu.count}× ` : ""}
          {d.gpu.pool} · {d.scaling.workersMin}–{d.scaling.workersMax} workers · {formatUsd(d.price.workerPerHourUsd)}/h per worker
        </span>
        {d.state === "failed" && d.error && <span class="dep-error small">{d.error}</span>}
      </a>
    </li>
  );
}

/** The list, or what to do when there is nothing in it. */
export function DeploymentList({ items }: { items: DeploymentListItem[] }) {
  if (items.length === 0) {
    return (
      <div class="card dep-empty" data-testid="deployments-empty">
        <p>
          <strong>No deployments yet.</strong>
        </p>
        <p class="muted">Deploy an open model from Hugging Face on RunPod in one tap, from Models, the API or your IDE's MCP tools. It shows up here with live progress.</p>
        <a class="dep-cta" href="/models">
          Find a model to deploy
        </a>
      </div>
    );
  }
  return (
    <ul class="dep-list" data-testid="deployments-list">
      {items.map((d) => (
        <DeploymentCard key={d.id} d={d} />
      ))}
    </ul>
  );
}
