/** The API's message for a failed load, announced, with a way to ask again. Presentational. */
export function RetryError({ message, testId, className, onRetry }: { message: string; testId: string; className: string; onRetry: () => void }) {
  return (
    <div class={className}>
      <p role="alert" class="refusal" data-testid={testId}>
        {message}
      </p>
      <button type="button" class="secondary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
