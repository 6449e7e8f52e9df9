import { Hono, type Context } from "hono";
import { WESTERN_PRICES } from "../catalog/prices";
import type { AppEnv } from "../env";
import { anthropicDialect, parseAnthropicMessages } from "./dialects/anthropic";
import { geminiDialect, parseGeminiRequest } from "./dialects/gemini";
import { openAiDialect } from "./dialects/openai";
import { DialectError, type Dialect } from "./dialects/types";
import { extractApiKey, type Principal } from "./auth";
import { runEmbeddings } from "./embeddings";
import { runChat, type BridgeContext, type BridgeHooks } from "./pipeline";
import { validateRules, type BridgeRule } from "./resolve";
import { estimateRequestTokens } from "./tokens";

/**
 * The bridge's HTTP surface: the OpenAI, Anthropic and Gemini paths their official clients call.
 * Every error leaves in the caller's dialect, including ones nobody expected.
 */

/**
 * Until API keys land (accounts issue) only local development accepts callers, as one local workspace;
 * production refuses every key. Usage records and bridge maps are stored by the accounts issue too.
 */
export const localHooks = (openAccess: boolean, defaultRules: BridgeRule[]): BridgeHooks => ({
  authenticate: async (key) => (openAccess && key ? ({ id: "local", keyId: undefined } satisfies Principal) : undefined),
  rules: async () => [defaultRules],
  record: async () => {},
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

function hooksFor(env: AppEnv["Bindings"]): BridgeHooks {
  return localHooks(env.BRIDGE_OPEN_ACCESS === "true", defaultRules(env.BRIDGE_DEFAULT_RULES));
}

function bridgeContext(c: Context<AppEnv>): BridgeContext {
  return {
    env: c.env,
    requestId: c.var.requestId,
    waitUntil: (p) => c.executionCtx.waitUntil(p),
    hooks: hooksFor(c.env),
  };
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
  const principal = key ? await hooksFor(c.env).authenticate(key) : undefined;
  if (principal) return undefined;
  const e = dialect.encodeError({ status: 401, kind: "authentication", message: key ? "Invalid API key" : "Missing API key" });
  return c.json(e.body as object, 401);
}

export const bridgeRoutes = new Hono<AppEnv>()
  // ---- OpenAI
  .post("/v1/chat/completions", (c) => guarded(c, openAiDialect, () => runChat(openAiDialect, c.req.raw, {}, bridgeContext(c))))
  .get("/v1/models", (c) =>
    guarded(c, openAiDialect, async () => {
      const denied = await authorised(c, openAiDialect);
      if (denied) return denied;
      const data = Object.entries(WESTERN_PRICES).map(([id, p]) => ({
        id,
        object: "model",
        created: 0,
        owned_by: id.split("/")[0],
        pricing: { input_per_million_usd: p.input / 1e6, output_per_million_usd: p.output / 1e6, cached_input_per_million_usd: (p.cachedInput ?? p.input) / 1e6 },
      }));
      return c.json({ object: "list", data });
    }),
  )
  .post("/v1/embeddings", (c) => guarded(c, openAiDialect, () => runEmbeddings(c.req.raw, bridgeContext(c))))
  // ---- Anthropic
  .post("/v1/messages", (c) => guarded(c, anthropicDialect, () => runChat(anthropicDialect, c.req.raw, {}, bridgeContext(c))))
  .post("/v1/messages/count_tokens", (c) =>
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
  .post("/:version{v1beta|v1|v1alpha}/models/:target{.+}", (c) =>
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
