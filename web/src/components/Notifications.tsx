import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../lib/account-api";
import { deliveryLine, notificationsApi, type Delivery, type EventType, type NotificationEndpoint } from "../lib/notifications-api";

const timeOf = (iso: string) => new Date(iso).toISOString().slice(11, 16) + " UTC";

/**
 * The workspace's notification endpoints (issue 11): where budget, deployment, key, payment and batch events
 * go, as signed webhooks or emails. Add one, see its signing secret once, send a test, read its delivery log
 * and redeliver. Loads its own data; shown to admins and owners (the API refuses everyone else).
 */
export function Notifications() {
  const [types, setTypes] = useState<EventType[] | null>(null);
  const [endpoints, setEndpoints] = useState<NotificationEndpoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [log, setLog] = useState<Delivery[] | null>(null);

  const reload = () => notificationsApi.endpoints().then(setEndpoints);
  useEffect(() => {
    const fail = (e: unknown) => setError(messageOf(e));
    notificationsApi.eventTypes().then(setTypes, fail);
    reload().catch(fail);
  }, []);

  async function act(call: () => Promise<unknown>, after?: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await call();
      await (after ?? reload)();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const showLog = (id: string) => act(async () => setLog((await notificationsApi.deliveries(id)).deliveries), async () => setOpen(id));

  if (!types || !endpoints) {
    return error ? (
      <p role="alert" class="refusal" data-testid="notifications-error">
        {error}
      </p>
    ) : (
      <p class="muted">Loading…</p>
    );
  }
  return (
    <div class="notifications" data-testid="notifications">
      {endpoints.length === 0 ? (
        <p class="muted" data-testid="notifications-empty">
          No endpoints: events are only in the audit log.
        </p>
      ) : (
        <ul class="provider-key-list">
          {endpoints.map((e) => (
            <li key={e.id} class="notification-endpoint" data-testid="notification-endpoint">
              <div class="provider-key-text">
                <strong>{e.kind === "webhook" ? e.url : e.email}</strong>
                <span class="muted">
                  {e.events.includes("*") ? "All events" : e.events.join(", ")}
                  {e.enabled ? "" : " · paused"}
                  {e.secretHint ? ` · secret ${e.secretHint}` : ""}
                </span>
                {e.description && <span class="muted">{e.description}</span>}
              </div>
              {secret?.id === e.id && (
                <p class="secret-once" role="status" data-testid="notification-secret">
                  Signing secret (shown once; verify each delivery's <code>webhook-signature</code> with it): <code>{secret.secret}</code>
                </p>
              )}
              <div class="notification-actions">
                <button type="button" disabled={busy} onClick={() => void act(() => notificationsApi.test(e.id), () => showLog(e.id))}>
                  Send test
                </button>
                <button type="button" disabled={busy} aria-expanded={open === e.id} onClick={() => (open === e.id ? setOpen(null) : void showLog(e.id))}>
                  Delivery log
                </button>
                <button type="button" disabled={busy} onClick={() => void act(() => notificationsApi.setEnabled(e.id, !e.enabled))}>
                  {e.enabled ? "Pause" : "Resume"}
                </button>
                {e.kind === "webhook" && (
                  <button type="button" disabled={busy} onClick={() => void act(async () => setSecret(await notificationsApi.rotate(e.id)))}>
                    Rotate secret
                  </button>
                )}
                <button type="button" class="danger" disabled={busy} aria-label={`Remove ${e.kind === "webhook" ? e.url : e.email}`} onClick={() => void act(() => notificationsApi.remove(e.id))}>
                  Remove
                </button>
              </div>
              {open === e.id && log && (
                <ol class="delivery-log" data-testid="delivery-log">
                  {log.length === 0 && <li class="muted">Nothing sent yet.</li>}
                  {log.map((d) => (
                    <li key={d.id} data-testid="delivery" data-status={d.status}>
                      <span>
                        {d.eventType} · {timeOf(d.createdAt)} · {deliveryLine(d, timeOf)}
                      </span>
                      <button type="button" disabled={busy} onClick={() => void act(() => notificationsApi.redeliver(d.id), () => showLog(e.id))}>
                        Redeliver
                      </button>
                    </li>
                  ))}
                </ol>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" class="refusal" data-testid="notifications-error">
          {error}
        </p>
      )}
      <NewEndpointForm types={types} busy={busy} onCreate={(e) => void act(async () => {
        const made = await notificationsApi.create(e);
        if (made.secret) setSecret({ id: made.id, secret: made.secret });
      })} />
    </div>
  );
}

function NewEndpointForm({ types, busy, onCreate }: { types: EventType[]; busy: boolean; onCreate: (e: { url?: string; email?: string; events: string[]; description?: string }) => void }) {
  const [kind, setKind] = useState<"webhook" | "email">("webhook");
  const [target, setTarget] = useState("");
  const [events, setEvents] = useState<string[]>(["*"]);
  const [description, setDescription] = useState("");
  const toggle = (t: string, on: boolean) => setEvents((cur) => (t === "*" ? (on ? ["*"] : []) : on ? [...cur.filter((x) => x !== "*"), t] : cur.filter((x) => x !== t)));
  return (
    <form
      class="stack-form"
      data-testid="notification-form"
      onSubmit={(ev) => {
        ev.preventDefault();
        onCreate({ ...(kind === "webhook" ? { url: target.trim() } : { email: target.trim() }), events, ...(description.trim() ? { description: description.trim() } : {}) });
        setTarget("");
        setDescription("");
      }}
    >
      <label>
        Send to
        <select name="kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as "webhook" | "email")}>
          <option value="webhook">A webhook URL (signed)</option>
          <option value="email">An email address</option>
        </select>
      </label>
      <label>
        {kind === "webhook" ? "Webhook URL" : "Email address"}
        {kind === "webhook" ? (
          <input name="target" type="url" inputMode="url" placeholder="https://…" value={target} onInput={(e) => setTarget((e.target as HTMLInputElement).value)} required />
        ) : (
          <input name="target" type="email" inputMode="email" placeholder="ops@example.com" value={target} onInput={(e) => setTarget((e.target as HTMLInputElement).value)} required />
        )}
      </label>
      <fieldset class="event-choices">
        <legend>Events</legend>
        <label class="toggle">
          <input type="checkbox" checked={events.includes("*")} onChange={(e) => toggle("*", (e.target as HTMLInputElement).checked)} />
          All events
        </label>
        {types.map((t) => (
          <label class="toggle" key={t.type} title={t.description}>
            <input type="checkbox" checked={events.includes("*") || events.includes(t.type)} disabled={events.includes("*")} onChange={(e) => toggle(t.type, (e.target as HTMLInputElement).checked)} />
            {t.type}: {t.description}
          </label>
        ))}
      </fieldset>
      <label>
        Note (optional)
        <input name="description" value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" class="primary" disabled={busy || events.length === 0}>
        {busy ? "Saving…" : "Add endpoint"}
      </button>
    </form>
  );
}
