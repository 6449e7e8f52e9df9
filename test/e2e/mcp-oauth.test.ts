import { auth, UnauthorizedError, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, Browser, PASSWORD, setPlan, signUp, uniqueEmail, type SignedUp } from "./auth-client";

/**
 * MCP authorization end to end, the way `claude mcp add --transport http` and Cursor's sign-in do it: the
 * official MCP SDK client discovers the authorization server from the 401, registers itself dynamically
 * with a loopback redirect, sends the person to our consent page (here a cookie-carrying test browser
 * plays the person), exchanges the code with PKCE, calls tools with the token, and refreshes it.
 */
const platform = inject("platformUrl");
const mcpUrl = new URL("/mcp", platform);
const REDIRECT = "http://localhost:43219/callback";

class MemoryProvider implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = "";
  authUrl?: URL;
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata() {
    return { client_name: "e2e IDE", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(c: OAuthClientInformationMixed) {
    this.client = c;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(t: OAuthTokens) {
    this.saved = t;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  redirectToAuthorization(url: URL) {
    this.authUrl = url;
  }
  state() {
    return "e2e-state";
  }
}

/** The person at the consent page: approves (or denies) for a workspace, with the scopes ticked. */
async function consent(browser: Browser, authUrl: URL, choice: { workspace: string; scopes?: string[]; decision?: "approve" | "deny" }): Promise<URL> {
  const pageRes = await browser.fetch(authUrl.href);
  expect(pageRes.status).toBe(200);
  const html = await pageRes.text();
  const handle = /name="handle" value="([^"]+)"/.exec(html)![1]!;
  const scopes = choice.scopes ?? [...html.matchAll(/name="scope" value="(mcp:[a-z]+)" checked/g)].map((m) => m[1]!);
  const form = new URLSearchParams({ handle, workspace: choice.workspace, decision: choice.decision ?? "approve" });
  for (const s of scopes) form.append("scope", s);
  const res = await browser.fetch(authUrl.href, { method: "POST", body: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!);
}

/** Runs the SDK's whole flow for `who` in `workspace`; returns the provider holding the tokens. */
async function signInWithOAuth(who: SignedUp, workspace: string, scopes?: string[]): Promise<MemoryProvider> {
  const provider = new MemoryProvider();
  const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
  await expect(new Client({ name: "e2e", version: "1" }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(provider.authUrl!.searchParams.get("resource")).toBe(mcpUrl.href);
  expect(provider.authUrl!.searchParams.get("code_challenge_method")).toBe("S256");
  const back = await consent(who.browser, provider.authUrl!, { workspace, scopes });
  expect(back.origin + back.pathname).toBe(REDIRECT);
  expect(back.searchParams.get("state")).toBe("e2e-state");
  await transport.finishAuth(back.searchParams.get("code")!);
  return provider;
}

async function connected(provider: MemoryProvider): Promise<Client> {
  const client = new Client({ name: "e2e", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
  return client;
}

let owner: SignedUp;
let personal = "";

beforeAll(async () => {
  owner = await signUp(uniqueEmail("oauth-owner"));
  personal = (await apiCall(owner, "GET", "/api/workspace")).body.id;
  // Pro: the signed-in IDE chats with a Western model, which the Free plan does not serve.
  await setPlan(personal, "pro");
});

describe("MCP OAuth 2.1", () => {
  it("publishes discovery documents: 401 challenge, protected resource, authorization server", async () => {
    const res = await fetch(mcpUrl, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
    expect(res.status).toBe(401);
    const prmUrl = /resource_metadata="([^"]+)"/.exec(res.headers.get("www-authenticate")!)![1]!;
    const prm = (await (await fetch(prmUrl)).json()) as { resource: string; authorization_servers: string[]; scopes_supported: string[] };
    expect(prm).toMatchObject({ resource: mcpUrl.href, authorization_servers: [platform], scopes_supported: ["mcp:read", "mcp:write", "mcp:admin"] });
    expect(await (await fetch(`${platform}/.well-known/oauth-protected-resource`)).json()).toEqual(prm);
    const as = (await (await fetch(`${platform}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(as).toMatchObject({ issuer: platform, code_challenge_methods_supported: ["S256"], registration_endpoint: `${platform}/oauth/register`, token_endpoint: `${platform}/oauth/token` });
  });

  it("signs an IDE in with the official client: register, consent, PKCE, tools, refresh", async () => {
    const provider = await signInWithOAuth(owner, personal);
    expect(provider.saved!.scope?.split(" ").sort()).toEqual(["mcp:admin", "mcp:read", "mcp:write"]);
    const client = await connected(provider);
    expect((await client.listTools()).tools).toHaveLength(13);
    const usage = (await client.callTool({ name: "get_usage", arguments: {} })) as { structuredContent?: { plan: string } };
    expect(usage.structuredContent?.plan).toBe("pro");
    // The token reaches the bridge too (the chat tool calls it with the caller's credential).
    const chat = (await client.callTool({ name: "chat", arguments: { model: "openai/gpt-4o-mini", prompt: "hi" } })) as { isError?: boolean; structuredContent?: { provider: string } };
    expect(chat.isError).toBeFalsy();
    expect(chat.structuredContent?.provider).toBe("openai");
    await client.close();

    const before = provider.saved!.access_token;
    expect(await auth(provider, { serverUrl: mcpUrl })).toBe("AUTHORIZED"); // refresh_token grant
    expect(provider.saved!.access_token).not.toBe(before);
    const again = await connected(provider);
    expect((await again.listTools()).tools.length).toBe(13);
    await again.close();
  });

  it("asks a signed-out person to sign in first, then shows the consent page", async () => {
    const provider = new MemoryProvider();
    await expect(new Client({ name: "e2e", version: "1" }).connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }))).rejects.toBeInstanceOf(UnauthorizedError);
    const browser = new Browser();
    const first = await browser.fetch(provider.authUrl!.href);
    const form = await first.text();
    expect(form).toContain('name="password"');
    const next = /name="next" value="([^"]+)"/.exec(form)![1]!.replace(/&#38;/g, "&");
    const wrong = await browser.fetch("/oauth/authorize/sign-in", { method: "POST", body: new URLSearchParams({ email: owner.email, password: "wrong password", next }).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(wrong.status).toBe(401);
    const open = await browser.fetch("/oauth/authorize/sign-in", { method: "POST", body: new URLSearchParams({ email: owner.email, password: PASSWORD, next: "https://evil.example/" }).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(open.status).toBe(400); // never an open redirect
    // Not a form at all (JSON, or no content type): a 400 that says what to send, never a 500.
    for (const init of [{ body: JSON.stringify({ email: owner.email, password: PASSWORD, next }), headers: { "content-type": "application/json" } }, { body: "email=x" }]) {
      const notForm = await browser.fetch("/oauth/authorize/sign-in", { method: "POST", ...init });
      expect(notForm.status).toBe(400);
      expect(await notForm.text()).toContain("send the sign-in form");
    }
    const signedIn = await browser.fetch("/oauth/authorize/sign-in", { method: "POST", body: new URLSearchParams({ email: owner.email, password: PASSWORD, next }).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(signedIn.status).toBe(303);
    const notConsent = await browser.fetch("/oauth/authorize", { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(notConsent.status).toBe(400);
    expect(await notConsent.text()).toContain("send the consent form");
    const back = await consent(browser, provider.authUrl!, { workspace: personal });
    expect(back.searchParams.get("code")).toBeTruthy();
  });

  it("caps what a viewer grants by their role, and a denial returns access_denied", async () => {
    const viewer = await signUp(uniqueEmail("oauth-viewer"));
    const org = await apiCall(owner, "POST", "/api/auth/organization/create", { name: "OAuth team", slug: `oauth-team-${Date.now().toString(36)}` });
    const invite = await apiCall(owner, "POST", "/api/auth/organization/invite-member", { email: viewer.email, role: "viewer", organizationId: org.body.id });
    expect((await apiCall(viewer, "POST", "/api/auth/organization/accept-invitation", { invitationId: invite.body.id })).status).toBe(200);
    const provider = await signInWithOAuth(viewer, org.body.id);
    expect(provider.saved!.scope).toBe("mcp:read");
    const client = await connected(provider);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("search_models");
    expect(names).not.toContain("deploy_model");
    await client.close();

    // Removed from the workspace: the grant no longer refreshes.
    const members = await apiCall(owner, "POST", "/api/auth/organization/remove-member", { memberIdOrEmail: viewer.email, organizationId: org.body.id });
    expect(members.status).toBe(200);
    const refresh = await fetch(`${platform}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: provider.saved!.refresh_token!, client_id: provider.client!.client_id, resource: mcpUrl.href }).toString(),
    });
    expect(refresh.status).toBe(400);
    expect(((await refresh.json()) as { error: string }).error).toBe("invalid_grant");

    const denied = new MemoryProvider();
    await expect(new Client({ name: "e2e", version: "1" }).connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: denied }))).rejects.toBeInstanceOf(UnauthorizedError);
    const back = await consent(owner.browser, denied.authUrl!, { workspace: personal, decision: "deny" });
    expect(back.searchParams.get("error")).toBe("access_denied");
  });

  it("refuses what the spec forbids: plain PKCE, foreign resources, odd redirect schemes, revoked tokens", async () => {
    const reg = await fetch(`${platform}/oauth/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_name: "x", redirect_uris: ["javascript:alert(1)"], token_endpoint_auth_method: "none" }) });
    expect(reg.status).toBe(400);
    const provider = await signInWithOAuth(owner, personal);
    const clientId = provider.client!.client_id;
    const authorize = (params: Record<string, string>) =>
      owner.browser.fetch(`/oauth/authorize?${new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: REDIRECT, state: "s", ...params })}`);
    expect((await authorize({ code_challenge: "x".repeat(43), code_challenge_method: "plain", resource: mcpUrl.href })).status).not.toBe(200);
    const foreign = await authorize({ code_challenge: "x".repeat(43), code_challenge_method: "S256", resource: "https://elsewhere.example/mcp" });
    expect(foreign.status === 400 || new URL(foreign.headers.get("location") ?? "http://x/").searchParams.get("error") === "invalid_target").toBe(true);

    const token = provider.saved!.access_token;
    const ok = await fetch(`${platform}/api/usage`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200); // a token works on /api like a key, within its scopes
    const revoke = await fetch(`${platform}/oauth/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token, token_type_hint: "access_token", client_id: clientId }).toString() });
    expect(revoke.status).toBe(200);
    const after = await fetch(mcpUrl, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
    expect(after.status).toBe(401);
  });
});
