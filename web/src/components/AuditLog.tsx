import { useState } from "preact/hooks";
import { auditExportUrl, formatTime, type AuditEntry, type AuditFilter } from "../lib/team-api";

/**
 * The workspace's audit log, newest first: filters by action (`member.*` globs) and actor (email or id),
 * "Load older" pages back with the cursor, "Export" downloads the same filters as NDJSON, and the badge
 * says whether the hash chain verifies.
 */
export function AuditLog({
  entries,
  chainValid,
  brokenAtSeq,
  hasMore,
  loading,
  error,
  filter,
  onFilter,
  onMore,
}: {
  entries: AuditEntry[] | null;
  chainValid: boolean | null;
  brokenAtSeq?: number;
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  filter: AuditFilter;
  onFilter: (f: AuditFilter) => void;
  onMore: () => void;
}) {
  const [action, setAction] = useState(filter.action ?? "");
  const [actor, setActor] = useState(filter.actor ?? "");
  return (
    <>
      <div class="team-audit-top">
        {chainValid === true && (
          <span class="team-badge team-badge-ok" data-testid="audit-verified" title="Every entry's SHA-256 chain checks out">
            ✓ Verified chain
          </span>
        )}
        {chainValid === false && (
          <span class="team-badge team-badge-bad" data-testid="audit-broken">
            ✗ Chain broken{brokenAtSeq !== undefined ? ` at #${brokenAtSeq}` : ""}
          </span>
        )}
        <a class="team-export" href={auditExportUrl(filter)} download data-testid="audit-export">
          Export
        </a>
      </div>
      <form
        class="team-audit-filters stack-form"
        data-testid="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          onFilter({ action: action.trim() || undefined, actor: actor.trim() || undefined });
        }}
      >
        <label>
          Action
          <input name="action" placeholder="member.*" autocomplete="off" value={action} onInput={(e) => setAction((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          Actor
          <input name="actor" placeholder="email or user id" autocomplete="off" value={actor} onInput={(e) => setActor((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      {error && (
        <p role="alert" class="refusal" data-testid="audit-error">
          {error}
        </p>
      )}
      {entries && entries.length === 0 && (
        <p class="muted" data-testid="audit-empty">
          Nothing recorded{filter.action || filter.actor ? " for these filters" : ""}.
        </p>
      )}
      {entries && entries.length > 0 && (
        <ol class="team-list team-audit" data-testid="audit-entries">
          {entries.map((e) => (
            <li key={e.seq} class="team-item" data-testid="audit-entry" data-action={e.action} data-seq={e.seq}>
              <div class="team-head">
                <code class="team-action" data-testid="audit-action">
                  {e.action}
                </code>
                <span class="muted small">#{e.seq}</span>
              </div>
              <p class="small team-meta">
                {e.actorEmail ?? e.actorId ?? "system"} · <time dateTime={e.time}>{formatTime(e.time)}</time>
                {e.targetType && (
                  <>
                    <br />
                    <span class="muted">
                      {e.targetType} <span class="team-mono">{e.targetId}</span>
                    </span>
                  </>
                )}
              </p>
              {(e.before != null || e.after != null) && (
                <p class="small team-change team-mono">
                  {e.before != null && <span>{summary(e.before)}</span>}
                  {e.before != null && e.after != null && " → "}
                  {e.after != null && <span>{summary(e.after)}</span>}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      {loading && (
        <p class="muted" aria-live="polite">
          Loading the audit log…
        </p>
      )}
      {hasMore && !loading && (
        <button type="button" class="secondary block" onClick={onMore} data-testid="audit-more">
          Load older
        </button>
      )}
    </>
  );
}

/** A before/after value in a line: `{role: "admin"}` reads as `role: admin`. */
function summary(v: unknown): string {
  if (v && typeof v === "object" && !Array.isArray(v))
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${typeof x === "object" ? JSON.stringify(x) : String(x)}`)
      .join(", ");
  return typeof v === "string" ? v : JSON.stringify(v);
}
