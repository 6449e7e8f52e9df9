import {
  createMcpHandler,
  isJsonContentType,
  isLegacyRequest,
  LATEST_PROTOCOL_VERSION,
  legacyStatelessFallback,
  readRequestBody,
  SUPPORTED_PROTOCOL_VERSIONS,
  type AuthInfo,
  type McpRequestContext,
} from "@modelcontextprotocol/server";
import type { Context } from "hono";
import { resolveCredential, type Credential } from "../auth/credential";
import { hasScope } from "../keys/scopes";
import type { AppEnv } from "../env";
import { drainBody } from "../platform/drain";
import { internalApi } from "./api";
import { buildMcpServer } from "./server";
import { closeSession, findSession, openSession } from "./sessions";

/**
 * The remote MCP server at /mcp (Streamable HTTP), both protocol eras on one endpoint:
 * - 2026-07-28 (stateless: per-request `_meta`, `server/discover`): the SDK's handler as it is.
 * - 2025-06-18 / 2025-11-25 (initialize, then Mcp-Session-Id): sessions kept in D1 (workers/mcp/sessions.ts)
 *   in front of the SDK's per-request stateless lane, since isolates are not sticky. There is no standing
 *   server→client stream (GET answers 405, which the spec allows), so nothing is pushed between requests.
 * Authentication comes first: an API key or an OAuth access token, or 401 pointing at the protected
 * resource metadata so clients can discover the OAuth flow.
 */
const MAX_BODY = 1024 * 1024;

export const protectedResourceMetadataUrl = (origin: string) => `${origin}/.well-known/oauth-protected-resource/mcp`;

function rpcError(status: number, code: number, message: string, headers?: Record<string, string>): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers });
}

function unauthorized(origin: string, message: string): Response {
  return Response.json(
    { jsonrpc: "2.0", error: { code: -32001, message }, id: null },
    { status: 401, headers: { "www-authenticate": `Bearer resource_metadata="${protectedResourceMetadataUrl(origin)}", scope="mcp:read mcp:write"` } },
  );
}

/** The browser rule of the transport spec: a request from a web page must come from our own origin. */
function originAllowed(req: Request, origin: string): boolean {
  const from = req.headers.get("origin");
  if (!from || from === "null") return from === null;
  try {
    const o = new URL(from);
    return o.origin === origin || o.hostname === "localhost" || o.hostname.endsWith(".localhost") || o.hostname === "127.0.0.1";
  } catch {
    return false;
  }
}

interface Caller {
  credential: Credential;
  token: string;
  authInfo: AuthInfo;
}

const modern = createMcpHandler(
  (ctx: McpRequestContext) => (ctx.authInfo?.extra as { build: () => ReturnType<typeof buildMcpServer> }).build(),
  { legacy: "reject", onerror: (e: Error) => console.error("mcp:", e.message) },
);

export async function handleMcp(c: Context<AppEnv>, dispatch: (req: Request) => Promise<Response>): Promise<Response> {
  const req = c.req.raw;
  const origin = new URL(req.url).origin;
  if (!originAllowed(req, origin)) return rpcError(403, -32000, "Forbidden: requests from other web origins are refused");

  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  if (!token) return unauthorized(origin, "Authorization required: send an API key or sign in with OAuth");
  const found = await resolveCredential(c.env, token, { now: Date.now(), origin: new URL(c.req.url).origin, waitUntil: (p) => c.executionCtx.waitUntil(p) });
  if (!found.ok) return unauthorized(origin, found.message);
  const credential = found.credential;
  if (!hasScope(credential.scopes, "mcp:read")) {
    return Response.json(
      { jsonrpc: "2.0", error: { code: -32001, message: "This credential has no MCP scope (mcp:read, mcp:write or mcp:admin)" }, id: null },
      { status: 403, headers: { "www-authenticate": `Bearer error="insufficient_scope", scope="mcp:read", resource_metadata="${protectedResourceMetadataUrl(origin)}"` } },
    );
  }

  const api = internalApi(dispatch, origin, `Bearer ${token}`, c.var.requestId);
  const brand = c.var.brand;
  const build = () =>
    buildMcpServer({
      name: brand.id,
      title: brand.name,
      scopes: credential.scopes,
      api,
      instructions: `${brand.name}: discover open models on the Hugging Face Hub, estimate and deploy them on RunPod, chat with any model through the bridge, and read usage. Deployments take minutes: poll get_deployment.`,
    });
  const caller: Caller = { credential, token, authInfo: { token, clientId: credential.id, scopes: credential.scopes, extra: { build } } };

  let body: unknown;
  if (req.method === "POST") {
    if (!isJsonContentType(req.headers.get("content-type"))) return rpcError(415, -32000, "Unsupported Media Type: Content-Type must be application/json");
    if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY) {
      await drainBody(req);
      return rpcError(413, -32000, `Payload Too Large: at most ${MAX_BODY} bytes`);
    }
    const read = await readRequestBody(req, MAX_BODY);
    if (read.tooLarge) return rpcError(413, -32000, `Payload Too Large: at most ${MAX_BODY} bytes`);
    try {
      body = JSON.parse(read.text);
    } catch {
      return rpcError(400, -32700, "Parse error: Invalid JSON");
    }
  }

  if (await isLegacyRequest(req, body, { maxRequestBodySize: MAX_BODY })) return serveSessions(c, req, body, caller);
  return modern.fetch(req, { authInfo: caller.authInfo, parsedBody: body });
}

async function serveSessions(c: Context<AppEnv>, req: Request, body: unknown, caller: Caller): Promise<Response> {
  const db = c.env.DB;
  const now = Date.now();
  const session = async (): Promise<string | Response> => {
    const sid = req.headers.get("mcp-session-id");
    if (!sid) return rpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required");
    const found = await findSession(db, sid, caller.credential.id, now);
    return found ? found.id : rpcError(404, -32001, "Session not found");
  };

  if (req.method === "GET") {
    const s = await session();
    return typeof s === "string" ? rpcError(405, -32000, "Method not allowed: this server does not keep a standing stream", { allow: "POST, DELETE" }) : s;
  }
  if (req.method === "DELETE") {
    const sid = req.headers.get("mcp-session-id");
    if (!sid) return rpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required");
    return (await closeSession(db, sid, caller.credential.id, now)) ? new Response(null, { status: 200 }) : rpcError(404, -32001, "Session not found");
  }
  if (req.method !== "POST") return rpcError(405, -32000, "Method not allowed", { allow: "GET, POST, DELETE" });

  const messages = Array.isArray(body) ? body : [body];
  const init = messages.find((m) => (m as { method?: unknown } | null)?.method === "initialize") as { params?: { protocolVersion?: string; clientInfo?: { name?: string } } } | undefined;
  let sid: string;
  if (init) {
    if (messages.length > 1) return rpcError(400, -32600, "Invalid Request: Only one initialization request is allowed");
    sid = crypto.randomUUID();
  } else {
    const s = await session();
    if (typeof s !== "string") return s;
    sid = s;
  }
  const lane = legacyStatelessFallback(() => (caller.authInfo.extra as { build: () => ReturnType<typeof buildMcpServer> }).build(), (e: Error) => console.error("mcp:", e.message));
  const res = await lane(req, { authInfo: caller.authInfo, parsedBody: body });
  if (!init || res.status !== 200) return res; // a refused initialize (406, 415) opens no session
  const requested = init.params?.protocolVersion ?? "";
  await openSession(
    db,
    {
      id: sid,
      credentialId: caller.credential.id,
      workspaceId: caller.credential.workspaceId,
      // What the SDK negotiated: the client's revision when supported, else the latest.
      protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION,
      clientName: typeof init.params?.clientInfo?.name === "string" ? init.params.clientInfo.name.slice(0, 100) : null,
    },
    now,
  );
  const headers = new Headers(res.headers);
  headers.set("mcp-session-id", sid);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}
