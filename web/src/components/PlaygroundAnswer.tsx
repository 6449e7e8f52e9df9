import { formatCost, formatMs, formatSpeed, type AnswerStats } from "../lib/playground-api";

export type AnswerStatus = "streaming" | "done" | "stopped" | "error";

export interface Answer {
  model: string;
  text: string;
  status: AnswerStatus;
  error?: string;
  stats?: AnswerStats;
  /** Stopped answers still know how long they ran. */
  elapsedMs?: number;
}

const STATUS_WORDS: Record<AnswerStatus, string> = { streaming: "answering…", done: "done", stopped: "stopped", error: "failed" };

/**
 * One model's answer to one turn: the text as it streams in (announced politely once complete, not on
 * every token), then what it cost and how fast it came. Presentational.
 */
export function PlaygroundAnswer({ answer, lane }: { answer: Answer; lane: number }) {
  const s = answer.stats;
  const streaming = answer.status === "streaming";
  return (
    <article class={`play-answer play-${answer.status}`} data-testid="answer" data-lane={lane} data-status={answer.status} aria-label={`Answer from ${answer.model}`}>
      <header class="play-answer-head">
        <code class="play-model">{answer.model}</code>
        <span class="play-state small">{STATUS_WORDS[answer.status]}</span>
      </header>
      <div class="play-text" data-testid="answer-text" aria-live="polite" aria-busy={streaming}>
        {answer.text || (streaming ? <span class="muted">Waiting for the first token…</span> : null)}
      </div>
      {answer.error && (
        <p role="alert" class="refusal" data-testid="answer-error">
          {answer.error}
        </p>
      )}
      {s ? (
        <dl class="play-stats small" data-testid="answer-stats">
          <div>
            <dt>Cost</dt>
            <dd data-testid="answer-cost">{formatCost(s.costUsd)}</dd>
          </div>
          <div>
            <dt>Tokens</dt>
            <dd data-testid="answer-tokens">{s.promptTokens === null ? "—" : `${s.promptTokens} in · ${s.completionTokens ?? 0} out`}</dd>
          </div>
          <div>
            <dt>First token</dt>
            <dd data-testid="answer-ttft">{formatMs(s.firstTokenMs)}</dd>
          </div>
          <div>
            <dt>Speed</dt>
            <dd data-testid="answer-speed">{formatSpeed(s.tokensPerSecond)}</dd>
          </div>
        </dl>
      ) : (
        answer.status === "stopped" && <p class="muted small">Stopped after {formatMs(answer.elapsedMs ?? null)}; what was sent is billed.</p>
      )}
    </article>
  );
}
