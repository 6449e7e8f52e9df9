import { useState } from "preact/hooks";
import type { SsoProvider, SsoRegistration } from "../lib/team-api";

/**
 * The workspace's enterprise SSO (OIDC): the registered identity providers and a form to register one
 * (issuer, the email domain it signs in, client id and secret). Only owners manage SSO; everyone else is
 * told so instead of seeing the list.
 */
export function SsoProviders({
  owner,
  providers,
  loadError,
  busy,
  error,
  origin,
  onRegister,
}: {
  owner: boolean;
  providers: SsoProvider[] | null;
  loadError: string | null;
  busy: boolean;
  error: string | null;
  origin: string;
  onRegister: (r: SsoRegistration) => void;
}) {
  const [form, setForm] = useState<SsoRegistration>({ providerId: "", issuer: "", domain: "", clientId: "", clientSecret: "" });
  if (!owner)
    return (
      <p class="muted" data-testid="sso-owners-only">
        SSO is managed by workspace owners only.
      </p>
    );
  const field = (key: keyof SsoRegistration, label: string, type: "text" | "url" | "password" = "text", hint?: string) => (
    <label>
      {label}
      <input type={type as "text"} name={key} autocomplete="off" value={form[key]} onInput={(e) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value })} />
      {hint && <span class="muted small">{hint}</span>}
    </label>
  );
  const providerId = form.providerId.trim() || form.domain.trim().replace(/[^a-z0-9-]+/gi, "-").toLowerCase();
  return (
    <>
      {loadError && (
        <p role="alert" class="refusal" data-testid="sso-error">
          {loadError}
        </p>
      )}
      {providers && providers.length === 0 && (
        <p class="muted" data-testid="sso-empty">
          No identity provider yet: members sign in with email and password.
        </p>
      )}
      {providers && providers.length > 0 && (
        <ul class="team-list" data-testid="sso-providers">
          {providers.map((p) => (
            <li key={p.providerId} class="team-item" data-testid="sso-provider" data-id={p.providerId}>
              <div class="team-head">
                <strong class="team-who">{p.providerId}</strong>
                <span class="team-role">OIDC</span>
              </div>
              <p class="small team-meta">
                <span class="team-mono">{p.issuer}</span>
                <br />
                signs in <strong>@{p.domain}</strong>
                {p.oidcConfig?.clientIdLastFour ? ` · client …${p.oidcConfig.clientIdLastFour.replace(/^\*+/, "")}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
      <form
        class="card team-form stack-form"
        data-testid="sso-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          onRegister({ ...form, providerId, issuer: form.issuer.trim(), domain: form.domain.trim().toLowerCase(), clientId: form.clientId.trim() });
        }}
      >
        <h3>Register an identity provider</h3>
        {field("issuer", "Issuer URL", "url", "The IdP's OIDC issuer; its discovery document supplies the endpoints.")}
        {field("domain", "Email domain", "text", "Your own email domain; people with it sign in through this IdP.")}
        {field("clientId", "Client ID")}
        {field("clientSecret", "Client secret", "password")}
        {field("providerId", "Provider ID (optional)", "text", providerId ? `Redirect URI: ${origin}/api/auth/sso/callback/${providerId}` : undefined)}
        {error && (
          <p role="alert" class="refusal" data-testid="sso-register-error">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Registering…" : "Register provider"}
        </button>
      </form>
    </>
  );
}
