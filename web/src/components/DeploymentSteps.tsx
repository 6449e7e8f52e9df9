import { BRING_UP, formatWhen, MOVING, STATE_LABEL, type DeploymentState, type DeploymentStep } from "../lib/deployments-api";

type StageStatus = "done" | "current" | "pending" | "failed";

const MARK: Record<StageStatus, string> = { done: "✓", current: "…", pending: "", failed: "✕" };
const SAID: Record<StageStatus, string> = { done: "done", current: "in progress", pending: "not yet", failed: "failed" };

/** The stages to show: how it comes up (as far as it got, if it failed), then how it goes away. */
function stagesOf(state: DeploymentState, steps: DeploymentStep[]): DeploymentState[] {
  const reached = new Set(steps.map((s) => s.state));
  reached.add(state);
  const out: DeploymentState[] = [];
  const failed = reached.has("failed");
  for (const s of BRING_UP) if (!failed || reached.has(s)) out.push(s);
  if (failed) out.push("failed");
  if (reached.has("deleting") || reached.has("deleted")) out.push("deleting", "deleted");
  return out;
}

function statusOf(stage: DeploymentState, state: DeploymentState, reached: Set<DeploymentState>): StageStatus {
  if (stage === "failed") return "failed";
  if (stage === state) return MOVING.includes(state) ? "current" : "done";
  return reached.has(stage) ? "done" : "pending";
}

/**
 * A deployment's progress as a checklist (planned → creating → starting → ready, then deleting →
 * deleted), each stage with when it was reached and the platform's latest note on it; below, every event
 * in order. Presentational: the screen feeds it the live view.
 */
export function DeploymentSteps({ state, steps }: { state: DeploymentState; steps: DeploymentStep[] }) {
  const reached = new Set(steps.map((s) => s.state));
  reached.add(state);
  const stages = stagesOf(state, steps);
  return (
    <div class="dep-steps">
      <ol class="dep-stages" data-testid="deployment-steps">
        {stages.map((stage) => {
          const status = statusOf(stage, state, reached);
          const entries = steps.filter((s) => s.state === stage);
          const first = entries[0];
          const last = entries.at(-1);
          return (
            <li key={stage} class={`dep-stage dep-stage-${status}`} data-stage={stage} data-status={status} aria-current={status === "current" ? "step" : undefined}>
              <span class="dep-stage-mark" aria-hidden="true">
                {MARK[status]}
              </span>
              <span class="dep-stage-body">
                <span class="dep-stage-title">
                  {STATE_LABEL[stage]}
                  <span class="dep-sr">: {SAID[status]}</span>
                  {first && <time dateTime={first.at}>{formatWhen(first.at)}</time>}
                </span>
                {last?.note && <span class="dep-stage-note">{last.note}</span>}
              </span>
            </li>
          );
        })}
      </ol>
      {steps.length > 0 && (
        <details class="dep-log">
          <summary>All events ({steps.length})</summary>
          <ol data-testid="deployment-log">
            {steps.map((s, i) => (
              <li key={i}>
                <time dateTime={s.at}>{formatWhen(s.at)}</time> <strong>{STATE_LABEL[s.state]}</strong>
                {s.note ? `: ${s.note}` : ""}
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}
