import { Hono, type Context } from "hono";
import { WESTERN_PRICES, type Price } from "../catalog/prices";
import type { AppEnv } from "../env";
import { anthropicBody, anthropicCountTokensBody, anthropicDialect, parseAnthropicMessages } from "./dialects/anthropic";
import { geminiBody, geminiDialect, parseGeminiRequest } from "./dialects/gemini";
import { openAiChatBody, openAiDialect } from "./dialects/openai";
import { api } from "../openapi/describe";
import { DialectError, type Dialect } from "./dialects/types";
import { extractApiKey, type Principal } from "./auth";
import { embeddingsBody, runEmbeddings } from "./embeddings";
import { admit, record, release } from "../budgets/admission";
import { loadOverrides } from "../byok/store";
import { isWellFormedKey, KEY_PREFIX } from "../keys/format";
import { verifyApiKey } from "../keys/verify";
import { resolveCredential } from "../auth/credential";
import { hasScope } from "../keys/scopes";
import { isOAuthToken } from "../mcp/oauth";
import { loadRules } from "./bridge-map";
import { AUTO_MODEL_NAMES } from "./auto-route";
import { planOf } from "../budgets/plans";
import { listedForPlan, type PlanAccess } from "../billing/free-tier";
import type { ProviderName } from "./resolve";
import { coldTargets, workspaceDeployments } from "../deploy/registry";
import { modelAllowed, runChat, targetPrice, type BridgeContext, type BridgeHooks } from "./pipeline";
import type { DeploymentTarget } from "./deployments";
import { parseModelName, validateRules, type BridgeRule } from "./resolve";
import { estimateRequestTokens } from "./tokens";

/**
 * The bridge's HTTP surface: the OpenAI, Anthropic and Gemini paths their official clients call.
 * Every error leaves in the caller's dialect, including ones nobody expected.
 */

export const LOCAL_PRINCIPAL: Principal = { id: "local", keyId: undefined };

/**
 * Keys: a platform key (`sk-…` with a valid checksum) is verified against D1 through the 2-second isolate
 * cache and pays from its workspace, whose bridge map applies before the platform defaults. In local
 * development only (`BRIDGE_OPEN_ACCESS=true`) any other non-empty key not starting with `sk-` is accepted as the "local" workspace,
 * so SDKs and Claude Code work before anyone has signed up; production refuses such keys.
 */
export const platformHooks = (env: AppEnv["Bindings"], defaults: BridgeRule[], waitUntil: (p: Promise<unknown>) => void, origin?: string): BridgeHooks => ({
  authenticate: async (key) => {
    // An MCP OAuth token (the chat tool, or a client signed in with OAuth) pays like its workspace's keys
    // when it may write; it has no per-key limits of its own.
    if (origin && isOAuthToken(key)) {
      const found = await resolveCredential(env, key, { now: Date.now(), origin, waitUntil });
      return found.ok && hasScope(found.credential.scopes, "mcp:write") ? { id: found.credential.workspaceId, keyId: undefined } : undefined;
    }
    // Anything shaped like a platform key is verified, so a forged or truncated sk- key is refused even
    // in local development; open access only takes keys that do not claim to be ours.
    if (key.startsWith(KEY_PREFIX)) {
      if (!isWellFormedKey(key)) return undefined;
      const check = await verifyApiKey(env.DB, key, Date.now(), waitUntil);
      if (!check.ok) return undefined;
      const r = check.record;
      // Model traffic needs the bridge scope, or mcp:write (whose chat tool calls the bridge with the same key).
      if (!r.scopes.includes("bridge") && !r.scopes.includes("mcp:write")) return undefined;
      return { id: r.workspaceId, keyId: r.id, allowedModels: r.allowedModels ?? undefined, rpm: r.rpm ?? undefined, tpm: r.tpm ?? undefined, monthlyTokens: r.monthlyTokens ?? undefined };
    }
    return env.BRIDGE_OPEN_ACCESS === "true" && key ? LOCAL_PRINCIPAL : undefined;
  },
  rules: async (principal) => (principal.id === LOCAL_PRINCIPAL.id ? [defaults] : [await loadRules(env.DB, principal.id, Date.now()), defaults]),
  // The open-access local workspace has no plan or ledger; every real workspace goes through its BudgetObject.
  admit: async (principal, want) => (principal.id === LOCAL_PRINCIPAL.id ? { ok: true, reservationId: undefined, maxOutputTokens: undefined, headers: {} } : admit(env, principal, want)),
  release: async (principal, id) => (principal.id === LOCAL_PRINCIPAL.id ? undefined : release(env, principal, id)),
  record: async (usage) => (usage.principal.id === LOCAL_PRINCIPAL.id ? undefined : record(env, usage)),
  overrides: async (principal) => (principal.id === LOCAL_PRINCIPAL.id ? {} : loadOverrides(env, principal.id, Date.now())),
  // Both reads are isolate-cached (5 s plan, BYOK keys): the Free plan's open-models rule costs no query per call.
  planAccess: async (principal): Promise<PlanAccess> => {
    if (principal.id === LOCAL_PRINCIPAL.id) return { plan: "enterprise", ownKeys: new Set() };
    const [plan, own] = await Promise.all([planOf(env.DB, principal.id, Date.now()), loadOverrides(env, principal.id, Date.now())]);
    return { plan: plan.plan, ownKeys: new Set(Object.keys(own) as ProviderName[]) };
  },
  deployments: async (principal) => {
    // The local workspace has no deployments of its own; it may address endpoints directly, as may a
    // workspace calling RunPod with its own key.
    if (principal.id === LOCAL_PRINCIPAL.id) return { byName: new Map(), allowRaw: true };
    const [byName, overrides] = await Promise.all([workspaceDeployments(env.DB, principal.id), loadOverrides(env, principal.id, Date.now())]);
    return { byName, allowRaw: overrides.runpod !== undefined };
  },
  coldTargets: (targets) => coldTargets(env as unknown as Record<string, unknown>, targets),
});

let parsedDefaults: { raw: string; rules: BridgeRule[] } | undefined;

/**
 * The platform-wide default bridge map (`BRIDGE_DEFAULT_RULES`, a JSON array of {match, targets}); an
 * organization's own map, stored by the accounts issue, takes precedence. Parsed once per isolate; an invalid
 * map is reported in the log and ignored rather than breaking every call.
 */
export function defaultRules(raw: string | undefined): BridgeRule[] {
  if (!raw) return [];
  if (parsedDefaults?.raw === raw) return parsedDefaults.rules;
  let rules: BridgeRule[] = [];
  try {
    const value: unknown = JSON.parse(raw);
    const candidate = Array.isArray(value) ? (value as BridgeRule[]) : [];
    const ok = candidate.every((r) => r && typeof r.match === "string" && Array.isArray(r.targets) && r.targets.every((t) => typeof t === "string"));
    const problems = ok ? validateRules(candidate) : ["not an array of {match, targets}"];
    if (problems.length) console.error(`BRIDGE_DEFAULT_RULES ignored: ${problems.join("; ")}`);
    else rules = candidate;
  } catch {
    console.error("BRIDGE_DEFAULT_RULES ignored: not valid JSON");
  }
  parsedDefaults = { raw, rules };
  return rules;
}

function hooksFor(c: Context<AppEnv>): BridgeHooks {
  return platformHooks(c.env, defaultRules(c.env.BRIDGE_DEFAULT_RULES), (p) => c.executionCtx.waitUntil(p), new URL(c.req.url).origin);
}

function bridgeContext(c: Context<AppEnv>): BridgeContext {
  return {
    env: c.env,
    requestId: c.var.requestId,
    waitUntil: (p) => c.executionCtx.waitUntil(p),
    hooks: hooksFor(c),
    traceparent: c.var.traceparent,
    observation: c.var.observation,
  };
}

const pricing = (p: Price) => ({
  input_per_million_usd: p.input / 1e6,
  output_per_million_usd: p.output / 1e6,
  cached_input_per_million_usd: (p.cachedInput ?? p.input) / 1e6,
});

/**
 * What the caller may use: the workspace's own names (exact bridge-map entries, priced at their first
 * target) and every priced Western model, minus whatever the key's allowlist and the plan exclude.
 */
export function listModels(layers: BridgeRule[][], principal: Principal, deployments: ReadonlyMap<string, DeploymentTarget> = new Map(), access?: PlanAccess) {
  const seen = new Set<string>();
  const data: Array<Record<string, unknown>> = [];
  // The workspace's own ready deployments first: they are what it runs.
  for (const d of deployments.values()) {
    const id = `runpod/${d.name}`;
    seen.add(id);
    data.push({ id, object: "model", created: 0, owned_by: "runpod", served_model: d.servedModel, pricing: pricing(d.price) });
  }
  // Capability names (auto, auto:code, …): the bridge picks the target per call (auto-route.ts).
  for (const id of AUTO_MODEL_NAMES) {
    seen.add(id);
    data.push({ id, object: "model", created: 0, owned_by: "bridge", routing: "capability" });
  }
  for (const layer of layers) {
    for (const rule of layer) {
      if (/[*?]/.test(rule.match) || seen.has(rule.match)) continue;
      seen.add(rule.match);
      const first = parseModelName(rule.targets[0] ?? "");
      if (access && !rule.targets.some((t) => listedForPlan(parseModelName(t)?.provider, access))) continue;
      const deployed = first?.provider === "runpod" ? deployments.get(first.model) : undefined;
      const price = deployed ? deployed.price : first ? targetPrice(first) : undefined;
      data.push({ id: rule.match, object: "model", created: 0, owned_by: "bridge", targets: rule.targets, ...(price ? { pricing: pricing(price) } : {}) });
    }
  }
  for (const [id, p] of Object.entries(WESTERN_PRICES)) {
    if (!seen.has(id) && (!access || listedForPlan(parseModelName(id)?.provider, access))) data.push({ id, object: "model", created: 0, owned_by: id.split("/")[0], pricing: pricing(p) });
  }
  return data.filter((m) => modelAllowed(principal, String(m.id)));
}

async function guarded(c: Context<AppEnv>, dialect: Dialect, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    console.error(`[${c.var.requestId}] bridge failure`, err);
    const e = dialect.encodeError({ status: 500, kind: "upstream", message: "The bridge failed to handle this request" });
    return c.json(e.body as object, 500, { "x-request-id": c.var.requestId });
  }
}

async function authorised(c: Context<AppEnv>, dialect: Dialect): Promise<Response | undefined> {
  const key = extractApiKey(dialect.name, c.req.raw);
  const principal = key ? await hooksFor(c).authenticate(key) : undefined;
  if (principal) return undefined;
  const e = dialect.encodeError({ status: 401, kind: "authentication", message: key ? "Invalid API key" : "Missing API key" });
  return c.json(e.body as object, 401);
}

/**
 * The bridge's descriptions for the OpenAPI document. `validate: false`: each dialect parses with these same
 * schemas inside the pipeline and answers a bad body in the caller's dialect, as that provider would.
 */
const STREAM = { description: "With stream: true, server-sent events in the same dialect", contentType: "text/event-stream" };
const geminiModel = { model: "the model, URL-encoded when it has a slash (openai%2Fgpt-4o-mini); v1 and v1alpha work as v1beta" };
const bridgeDocs = {
  chat: api({ tag: "Bridge: OpenAI", summary: "Chat completions (OpenAI dialect), to any provider", auth: "key", errors: "openai", body: openAiChatBody, validate: false, responses: { 200: { description: "A chat.completion, or with stream: true an SSE stream of chat.completion.chunk" } } }),
  models: api({ tag: "Bridge: OpenAI", summary: "The models this key may call, with prices", auth: "key", errors: "openai" }),
  embeddings: api({ tag: "Bridge: OpenAI", summary: "Embeddings (OpenAI dialect)", auth: "key", errors: "openai", body: embeddingsBody, validate: false }),
  messages: api({ tag: "Bridge: Anthropic", summary: "Messages (Anthropic dialect), to any provider", auth: "key", errors: "anthropic", body: anthropicBody, validate: false, responses: { 200: { description: "A message, or with stream: true an SSE stream of Anthropic events" } } }),
  countTokens: api({ tag: "Bridge: Anthropic", summary: "Count a Messages request's input tokens", auth: "key", errors: "anthropic", body: anthropicCountTokensBody, validate: false }),
  gemini: api({
    tag: "Bridge: Gemini",
    summary: "Gemini dialect",
    auth: "key",
    errors: "gemini",
    body: geminiBody,
    validate: false,
    params: geminiModel,
    documentAs: [
      { path: "/v1beta/models/{model}:generateContent", summary: "Generate content (Gemini dialect), to any provider", operationId: "geminiGenerateContent" },
      { path: "/v1beta/models/{model}:streamGenerateContent", summary: "Stream generated content (?alt=sse for server-sent events)", operationId: "geminiStreamGenerateContent" },
      { path: "/v1beta/models/{model}:countTokens", summary: "Count a request's tokens (the body may wrap it in generateContentRequest)", operationId: "geminiCountTokens" },
    ],
  }),
};

export const bridgeRoutes = new Hono<AppEnv>()
  // ---- OpenAI
  .post("/v1/chat/completions", bridgeDocs.chat, (c) => guarded(c, openAiDialect, () => runChat(openAiDialect, c.req.raw, {}, bridgeContext(c))))
  .get("/v1/models", bridgeDocs.models, (c) =>
    guarded(c, openAiDialect, async () => {
      const key = extractApiKey("openai", c.req.raw);
      const hooks = hooksFor(c);
      const principal = key ? await hooks.authenticate(key) : undefined;
      if (!principal) {
        const e = openAiDialect.encodeError({ status: 401, kind: "authentication", message: key ? "Invalid API key" : "Missing API key" });
        return c.json(e.body as object, 401);
      }
      const [rules, scope, access] = await Promise.all([hooks.rules(principal), hooks.deployments(principal), hooks.planAccess?.(principal)]);
      return c.json({ object: "list", data: listModels(rules, principal, scope.byName, access) });
    }),
  )
  .post("/v1/embeddings", bridgeDocs.embeddings, (c) => guarded(c, openAiDialect, () => runEmbeddings(c.req.raw, bridgeContext(c))))
  // ---- Anthropic
  .post("/v1/messages", bridgeDocs.messages, (c) => guarded(c, anthropicDialect, () => runChat(anthropicDialect, c.req.raw, {}, bridgeContext(c))))
  .post("/v1/messages/count_tokens", bridgeDocs.countTokens, (c) =>
    guarded(c, anthropicDialect, async () => {
      const denied = await authorised(c, anthropicDialect);
      if (denied) return denied;
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        const e = anthropicDialect.encodeError({ status: 400, kind: "invalid_request", message: "The request body is not valid JSON" });
        return c.json(e.body as object, 400);
      }
      try {
        return c.json({ input_tokens: estimateRequestTokens(parseAnthropicMessages(body, { requireMaxTokens: false })) });
      } catch (err) {
        if (!(err instanceof DialectError)) throw err;
        const e = anthropicDialect.encodeError(err.error);
        return c.json(e.body as object, 400);
      }
    }),
  )
  // ---- Gemini: /{v1beta|v1|v1alpha}/models/{model}:{method} (@google/genai 3 calls v1 by default)
  .post("/:version{v1beta|v1|v1alpha}/models/:target{.+}", bridgeDocs.gemini, (c) =>
    guarded(c, geminiDialect, async () => {
      const target = c.req.param("target");
      const colon = target.lastIndexOf(":");
      const model = decodeURIComponent(colon > 0 ? target.slice(0, colon) : target);
      const method = colon > 0 ? target.slice(colon + 1) : "";
      const ctx = bridgeContext(c);
      if (method === "generateContent") return runChat(geminiDialect, c.req.raw, { model, stream: false }, ctx);
      if (method === "streamGenerateContent") {
        if (c.req.query("alt") === "sse") return runChat(geminiDialect, c.req.raw, { model, stream: true }, ctx);
        // Without alt=sse Gemini answers a JSON array of response chunks: one whole response here.
        const res = await runChat(geminiDialect, c.req.raw, { model, stream: false }, ctx);
        if (!res.ok) return res;
        return new Response(`[${await res.text()}]`, { status: 200, headers: res.headers });
      }
      if (method === "countTokens") {
        const denied = await authorised(c, geminiDialect);
        if (denied) return denied;
        let body: unknown;
        try {
          body = await c.req.json();
        } catch {
          const e = geminiDialect.encodeError({ status: 400, kind: "invalid_request", message: "Invalid JSON payload received." });
          return c.json(e.body as object, 400);
        }
        const inner = (body as { generateContentRequest?: unknown })?.generateContentRequest ?? body;
        try {
          return c.json({ totalTokens: estimateRequestTokens(parseGeminiRequest(inner, { model })) });
        } catch (err) {
          if (!(err instanceof DialectError)) throw err;
          const e = geminiDialect.encodeError(err.error);
          return c.json(e.body as object, 400);
        }
      }
      const e = geminiDialect.encodeError({ status: 404, kind: "not_found", message: `Method '${method}' is not supported; use generateContent, streamGenerateContent or countTokens` });
      return c.json(e.body as object, 404);
    }),
  );
