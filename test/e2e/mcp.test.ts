import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, Browser, query, setPlan, signUp, uniqueEmail, type SignedUp } from "./auth-client";
import { until } from "./wait";

/**
 * The remote MCP server at /mcp, driven by the MCP SDK's own clients as IDEs drive it: the v1 SDK with the
 * session handshake of the 2025 revisions (2025-11-25, and 2025-06-18 forced), the v2 SDK with the
 * stateless 2026-07-28 revision. Every tool is called against the running platform and its stand-ins.
 */
const platform = inject("platformUrl");
const url = new URL("/mcp", platform);

let owner: SignedUp;
let workspaceId = "";
let writeKey = "";
let readKey = "";
let bridgeOnlyKey = "";

type AnyClient = ClientV1 | ClientV2;

/** v1 client; `force` rewrites the initialize request's revision (the SDK always asks for its latest). */
async function connectV1(key: string, force?: string): Promise<{ client: ClientV1; transport: TransportV1 }> {
  const fetchWith = async (input: string | URL | Request, init: RequestInit = {}) => {
    let body = init.body;
    if (force && typeof body === "string" && body.includes('"initialize"')) {
      const msg = JSON.parse(body) as { method?: string; params: { protocolVersion: string } };
      if (msg.method === "initialize") msg.params.protocolVersion = force;
      body = JSON.stringify(msg);
    }
    return fetch(input, { ...init, body });
  };
  const transport = new TransportV1(url, { requestInit: { headers: { authorization: `Bearer ${key}` } }, fetch: fetchWith });
  const client = new ClientV1({ name: "e2e-v1", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

async function connectV2(key: string): Promise<ClientV2> {
  const transport = new TransportV2(url, { requestInit: { headers: { authorization: `Bearer ${key}` } } });
  const client = new ClientV2({ name: "e2e-v2", version: "2.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
  await client.connect(transport);
  return client;
}

type ToolResult = { isError?: boolean; structuredContent?: Record<string, any>; content: { type: string; text?: string }[] };
const call = async (client: AnyClient, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as ToolResult;
const text = (r: ToolResult) => r.content.map((c) => c.text ?? "").join(" ");

beforeAll(async () => {
  owner = await signUp(uniqueEmail("mcp-owner"));
  workspaceId = (await apiCall(owner, "GET", "/api/workspace")).body.id;
  // Pro: the chat tool is tried on a Western model too, which the Free plan does not serve.
  await setPlan(workspaceId, "pro");
  writeKey = (await apiCall(owner, "POST", "/api/keys", { name: "mcp write", scopes: ["bridge", "mcp:read", "mcp:write", "mcp:admin"] })).body.key;
  readKey = (await apiCall(owner, "POST", "/api/keys", { name: "mcp read", scopes: ["mcp:read"] })).body.key;
  bridgeOnlyKey = (await apiCall(owner, "POST", "/api/keys", { name: "bridge only" })).body.key;
  // The catalog cron fills the mirror from the Hub stand-in (other files may have run it already).
  await fetch(`${platform}/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*`);
  await until(() => query<{ n: number }>("SELECT count(*) AS n FROM hf_model"), (r) => Number(r[0]?.n) >= 400, 30_000, 250);
}, 60_000);

describe("MCP: both protocol eras", () => {
  it("opens a session with the 2025-11-25 handshake and ends it with DELETE", async () => {
    const { client, transport } = await connectV1(writeKey);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(client.getServerVersion()?.name).toBe("swaggystacks");
    const rows = await query<{ protocol_version: string; workspace_id: string }>("SELECT protocol_version, workspace_id FROM mcp_session WHERE id = ?", [transport.sessionId]);
    expect(rows[0]).toEqual({ protocol_version: "2025-11-25", workspace_id: workspaceId });
    const { tools } = await client.listTools();
    expect(tools.length).toBe(13);
    const sid = transport.sessionId!;
    await transport.terminateSession();
    const after = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${writeKey}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": sid, "mcp-protocol-version": "2025-11-25" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
    });
    expect(after.status).toBe(404);
    expect(((await after.json()) as { error: { code: number } }).error.code).toBe(-32001);
    await client.close();
  });

  it("speaks 2025-06-18 when the client asks for it", async () => {
    const { client, transport } = await connectV1(readKey, "2025-06-18");
    expect(transport.protocolVersion).toBe("2025-06-18");
    const r = await call(client, "get_usage");
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent?.plan).toBe("pro");
    await client.close();
  });

  it("serves the stateless 2026-07-28 revision (server/discover, no session)", async () => {
    const client = await connectV2(readKey);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["estimate_cost", "get_bridge_map", "get_deployment", "get_model", "get_usage", "list_collections", "list_deployments", "search_models"]);
    const found = await call(client, "search_models", { query: "qwen", limit: 3 });
    expect(found.structuredContent?.models).toHaveLength(3);
    await client.close();
  });

  it("refuses sessions that are missing, unknown or another credential's", async () => {
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const list = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const missing = await fetch(url, { method: "POST", headers: { ...headers, authorization: `Bearer ${writeKey}` }, body: list });
    expect(missing.status).toBe(400);
    const { transport } = await connectV1(writeKey);
    const other = await fetch(url, { method: "POST", headers: { ...headers, authorization: `Bearer ${readKey}`, "mcp-session-id": transport.sessionId!, "mcp-protocol-version": "2025-11-25" }, body: list });
    expect(other.status).toBe(404);
    const get = await fetch(url, { headers: { authorization: `Bearer ${writeKey}`, accept: "text/event-stream", "mcp-session-id": transport.sessionId! } });
    expect(get.status).toBe(405);
    const bad = await fetch(url, { method: "POST", headers: { ...headers, authorization: `Bearer ${writeKey}` }, body: "{not json" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: number } }).error.code).toBe(-32700);
    const huge = await fetch(url, { method: "POST", headers: { ...headers, authorization: `Bearer ${writeKey}` }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { pad: "x".repeat(2 * 1024 * 1024) } }) });
    expect(huge.status).toBe(413);
    const wrongType = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${writeKey}`, "content-type": "text/plain", accept: "application/json, text/event-stream" }, body: "{}" });
    expect(wrongType.status).toBe(415);
    const foreignPage = await fetch(url, { method: "POST", headers: { ...headers, authorization: `Bearer ${writeKey}`, origin: "https://evil.example" }, body: list });
    expect(foreignPage.status).toBe(403);
  });
});

describe("MCP: authorization", () => {
  it("answers 401 with the protected resource metadata when there is no or a bad credential", async () => {
    for (const authorization of [undefined, "Bearer sk-not-a-real-key", `Bearer ${writeKey.slice(0, -2)}xx`]) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "0" } } }),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain(`resource_metadata="${platform}/.well-known/oauth-protected-resource/mcp"`);
    }
    await expect(connectV1("sk-not-a-real-key")).rejects.toThrow();
  });

  it("refuses a key without MCP scopes, and lists only the tools a key's scopes cover", async () => {
    const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${bridgeOnlyKey}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    const { client } = await connectV1(readKey);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain("deploy_model");
    expect(names).not.toContain("chat");
    await expect(client.callTool({ name: "delete_deployment", arguments: { id: "dep_x" } })).rejects.toMatchObject({ code: -32602 });
    await client.close();
  });

  it("a member's key cannot do what the member's role cannot", async () => {
    const member = await signUp(uniqueEmail("mcp-member"));
    const org = await apiCall(owner, "POST", "/api/auth/organization/create", { name: "MCP team", slug: `mcp-team-${Date.now().toString(36)}` });
    expect(org.status).toBe(200);
    const invite = await apiCall(owner, "POST", "/api/auth/organization/invite-member", { email: member.email, role: "member", organizationId: org.body.id });
    expect(invite.status).toBe(200);
    expect((await apiCall(member, "POST", "/api/auth/organization/accept-invitation", { invitationId: invite.body.id })).status).toBe(200);
    const key = (await apiCall(member, "POST", "/api/keys", { name: "member mcp", scopes: ["mcp:read", "mcp:write", "mcp:admin"] }, { "x-workspace-id": org.body.id })).body.key;
    const { client } = await connectV1(key);
    const read = await call(client, "get_bridge_map");
    expect(read.isError).toBeFalsy();
    const write = await call(client, "set_bridge_map", { rules: [{ match: "claude-*", targets: ["openai/gpt-4o-mini"] }] });
    expect(write.isError).toBe(true);
    expect(text(write)).toMatch(/role in this workspace \(member\) does not allow bridge:update/);
    await client.close();
  });
});

describe("MCP: every tool against the running platform", () => {
  it("searches, reads a model, estimates, maps the bridge, lists collections and usage", async () => {
    const { client } = await connectV1(writeKey);
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get("search_models")?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(byName.get("delete_deployment")?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    for (const t of tools) expect(t.outputSchema?.type).toBe("object");

    const search = await call(client, "search_models", { query: "qwen2.5", deployable: "vllm", sort: "downloads", limit: 5 });
    expect(search.isError).toBeFalsy();
    for (const m of search.structuredContent!.models) expect(m.deployable.vllm).toBe(true);

    const model = await call(client, "get_model", { id: "Qwen/Qwen2.5-7B-Instruct" });
    expect(model.structuredContent).toMatchObject({ id: "Qwen/Qwen2.5-7B-Instruct" });
    const missing = await call(client, "get_model", { id: "nobody/no-such-model-here" });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/HTTP 404/);
    const invalid = await call(client, "get_model", { id: "not a model id" });
    expect(invalid.isError).toBe(true);

    const estimate = await call(client, "estimate_cost", { model: "Qwen/Qwen2.5-7B-Instruct", workersMin: 1 });
    expect(estimate.structuredContent?.estimate.perMillionTokens.usd).toBeGreaterThan(0);

    const rules = [{ match: "claude-*", targets: ["openai/gpt-4o-mini"] }];
    const set = await call(client, "set_bridge_map", { rules });
    expect(set.structuredContent?.rules).toEqual(rules);
    expect((await call(client, "get_bridge_map")).structuredContent?.rules).toEqual(rules);
    // Done by the key, recorded as its maker, in the key's workspace.
    const audit = await apiCall(owner, "GET", "/api/audit?action=bridge.update", undefined, { "x-workspace-id": workspaceId });
    expect(audit.body.entries[0]).toMatchObject({ action: "bridge.update", actorId: owner.userId });

    const made = await apiCall(owner, "POST", "/api/collections", { name: "MCP picks", shared: true }, { "x-workspace-id": workspaceId });
    expect(made.status).toBe(201);
    const collections = await call(client, "list_collections");
    expect(collections.structuredContent?.collections.map((c: { name: string }) => c.name)).toContain("MCP picks");
    await client.close();
  });

  it("deploys, watches, scales, chats with the deployment (cost and saving) and deletes it", async () => {
    const { client } = await connectV1(writeKey);
    const deployed = await call(client, "deploy_model", { model: "HuggingFaceTB/SmolLM2-135M-Instruct", name: "mcp-smol", idempotencyKey: `mcp-${Date.now()}` });
    expect(deployed.isError).toBeFalsy();
    const id = deployed.structuredContent!.id as string;
    expect(deployed.structuredContent).toMatchObject({ name: "mcp-smol", state: "planned" });
    const ready = await until(() => call(client, "get_deployment", { id }), (r) => r.structuredContent?.state === "ready", 30_000, 250);
    expect(ready.structuredContent?.state).toBe("ready");
    const listed = await call(client, "list_deployments");
    expect(listed.structuredContent?.deployments.map((d: { id: string }) => d.id)).toContain(id);
    const scaled = await call(client, "scale_deployment", { id, workersMax: 2 });
    expect(scaled.isError).toBeFalsy();
    expect(scaled.structuredContent?.scaling?.workersMax ?? scaled.structuredContent?.requestedScaling?.workersMax).toBe(2);

    const chat = await call(client, "chat", { model: "runpod/mcp-smol", prompt: "Say hello" });
    expect(chat.isError).toBeFalsy();
    expect(chat.structuredContent).toMatchObject({ provider: "runpod" });
    expect(chat.structuredContent!.answer.length).toBeGreaterThan(0);
    expect(chat.structuredContent!.usage.outputTokens).toBeGreaterThan(0);
    expect(chat.structuredContent!.costUsd).toBeGreaterThanOrEqual(0);
    const western = await call(client, "chat", { model: "openai/gpt-4o-mini", prompt: "Say hello" });
    expect(western.structuredContent?.provider).toBe("openai");
    expect(western.structuredContent?.costUsd).toBeGreaterThan(0);
    const unknown = await call(client, "chat", { model: "nobody/nothing", prompt: "hi" });
    expect(unknown.isError).toBe(true);

    const usage = await until(() => call(client, "get_usage"), (r) => Number(r.structuredContent?.usedTokens) > 0, 10_000, 200);
    expect(usage.structuredContent?.usedTokens).toBeGreaterThan(0);

    const deleted = await call(client, "delete_deployment", { id });
    expect(deleted.isError).toBeFalsy();
    expect(["deleting", "deleted"]).toContain(deleted.structuredContent?.state);
    const foreign = await call(client, "get_deployment", { id: "dep_of_someone_else" });
    expect(foreign.isError).toBe(true);
    await client.close();
  });

  it("lets a key with mcp:write but no bridge scope chat through the tool, and nothing more on /v1", async () => {
    const key = (await apiCall(owner, "POST", "/api/keys", { name: "mcp only", scopes: ["mcp:read", "mcp:write"] }, { "x-workspace-id": workspaceId })).body.key;
    const { client } = await connectV1(key);
    const chat = await call(client, "chat", { model: "openai/gpt-4o-mini", prompt: "hi" });
    expect(chat.isError).toBeFalsy();
    await client.close();
    const none = (await apiCall(owner, "POST", "/api/keys", { name: "read only", scopes: ["mcp:read"] })).body.key;
    expect((await fetch(`${platform}/v1/models`, { headers: { authorization: `Bearer ${none}` } })).status).toBe(401);
  });

  it("refuses an API key on the routes a person must do themselves", async () => {
    const browser = new Browser();
    for (const [method, path] of [["GET", "/api/keys"], ["GET", "/api/audit"], ["GET", "/api/provider-keys"]] as const) {
      const res = await browser.fetch(path, { method, headers: { authorization: `Bearer ${writeKey}` } });
      expect(res.status).toBe(403);
    }
    const usage = await browser.fetch("/api/usage", { headers: { authorization: `Bearer ${readKey}` } });
    expect(usage.status).toBe(200);
    const deploy = await browser.fetch("/api/deployments", { method: "POST", json: { model: "HuggingFaceTB/SmolLM2-135M-Instruct" }, headers: { authorization: `Bearer ${readKey}` } });
    expect(deploy.status).toBe(403);
    expect(((await deploy.json()) as { error: { code: string } }).error.code).toBe("insufficient_scope");
  });
});
