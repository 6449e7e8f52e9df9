import { Hono, type Context } from "hono";
import { requireWorkspace } from "../auth/middleware";
import { roleAllows } from "../auth/roles";
import type { AppEnv } from "../env";
import { AppError } from "../errors";
import type { Principal } from "../gateway/auth";
import { openAiDialect } from "../gateway/dialects/openai";
import { runChat, type BridgeContext, type BridgeHooks } from "../gateway/pipeline";
import { defaultRules, listModels, platformHooks } from "../gateway/routes";
import { api } from "../openapi/describe";
import { playgroundChatBody, toOpenAiBody } from "./body";
import { toPlaygroundModels } from "./models";

/**
 * /api/playground: the PWA's chat, for a person signed in (a session, never a key: the PWA holds no
 * long-lived secret). Each call goes through the bridge's own pipeline in process, paid by the active
 * workspace as a key-less principal, so the bridge map, deployments, BYOK, plan rules, budgets, metering
 * and the cost headers apply exactly as they do on /v1. Usage lands in the ledger without a key id.
 */

/** runChat reads a bearer before asking `authenticate`; ours ignores it, so it is only a placeholder. */
const SESSION_PLACEHOLDER_KEY = "playground-session";

const principalOf = (c: Context<AppEnv>): Principal => ({ id: c.var.workspace.id, keyId: undefined });

/** The platform's hooks, except that the caller is already known: the session's workspace. */
function sessionHooks(c: Context<AppEnv>, principal: Principal): BridgeHooks {
  const waitUntil = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  const hooks = platformHooks(c.env, defaultRules(c.env.BRIDGE_DEFAULT_RULES), waitUntil, new URL(c.req.url).origin);
  return { ...hooks, authenticate: async () => principal };
}

type BridgeErrorBody = { error?: { code?: unknown; type?: unknown } } | null;

function parseJson(text: string): BridgeErrorBody {
  try {
    return JSON.parse(text) as BridgeErrorBody;
  } catch {
    return null;
  }
}

/**
 * The bridge answers errors in OpenAI's shape, whose `code` may be null (a 403 has only a `type`); the
 * platform's clients read `{error: {code, message}}`, so the code is filled from the type. The rest of the
 * body and every header (retry-after, x-request-id) stay as the bridge wrote them.
 */
async function withErrorCode(res: Response): Promise<Response> {
  if (res.ok || !(res.headers.get("content-type") ?? "").includes("application/json")) return res;
  const text = await res.text();
  const body = parseJson(text);
  const error = body?.error;
  if (error && typeof error === "object" && (error.code === null || error.code === undefined)) {
    error.code = typeof error.type === "string" ? error.type : "error";
    return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
  }
  return new Response(text, { status: res.status, headers: res.headers });
}

export const playgroundRoutes = new Hono<AppEnv>()
  .use("*", requireWorkspace(undefined, { sessionOnly: true }))
  // What the workspace may call, computed exactly as /v1/models computes it for a key of this workspace.
  .get("/models", api({ tag: "Playground", summary: "The models the workspace may call from the playground", auth: "session" }), async (c) => {
    const principal = principalOf(c);
    const hooks = sessionHooks(c, principal);
    // The plan's rules too, so a Free workspace is offered only what it may call.
    const [rules, scope, access] = await Promise.all([hooks.rules(principal), hooks.deployments(principal), hooks.planAccess?.(principal)]);
    return c.json({ models: toPlaygroundModels(listModels(rules, principal, scope.byName, access)) });
  })
  .post("/chat", api({ tag: "Playground", summary: "Chat through the bridge pipeline, paid by the active workspace (answers like /v1/chat/completions)", auth: "session", body: playgroundChatBody, what: "chat request" }), async (c) => {
    // Viewers cannot make keys, so they cannot spend the workspace's budget here either.
    if (!roleAllows(c.var.workspace.roles, { apiKey: ["create"] })) {
      throw new AppError(403, "forbidden", `Your role in this workspace (${c.var.workspace.role}) may not call models; ask an admin for the member role`);
    }
    const body = c.req.valid("json");
    const principal = principalOf(c);
    const bridged = new Request(new URL("/v1/chat/completions", c.req.url), {
      method: "POST",
      headers: { authorization: `Bearer ${SESSION_PLACEHOLDER_KEY}`, "content-type": "application/json" },
      body: JSON.stringify(toOpenAiBody(body)),
    });
    const bc: BridgeContext = { env: c.env, requestId: c.var.requestId, waitUntil: (p) => c.executionCtx.waitUntil(p), hooks: sessionHooks(c, principal), observation: c.var.observation };
    return withErrorCode(await runChat(openAiDialect, bridged, {}, bc));
  });
