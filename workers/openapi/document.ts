import { z } from "zod";
import type { Brand } from "../brand/brands";
import { docOf, type ApiDoc, type Auth, type ErrorDialect } from "./describe";

/**
 * The OpenAPI 3.1 document, read off the mounted app: every entry of `app.routes` (each handler and
 * middleware with its full path and method) is grouped by method and path, and the `api()` descriptions in
 * each chain become operations. Request bodies, query parameters and documented answers are the routes' own
 * zod schemas converted with `z.toJSONSchema` (draft 2020-12, the input side), so what the document says
 * is what the validator checks. Built once per isolate, brand and origin.
 */

export interface RouteEntry {
  method: string;
  path: string;
  handler: unknown;
}

type Json = Record<string, unknown>;

const HTTP_METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

/** One route as hono serves it (method + path) with the description in its chain, if any. */
export interface DescribedRoute {
  method: string;
  path: string;
  doc: ApiDoc | undefined;
}

/**
 * The routes clients call, one per method and path. Pure middleware (`use()`, method ALL on a path ending
 * in `*`, with no description) is left out; an `app.all()` route must say its methods in `doc.methods`.
 */
export function describedRoutes(routes: readonly RouteEntry[]): DescribedRoute[] {
  const byKey = new Map<string, DescribedRoute>();
  for (const r of routes) {
    const doc = docOf(r.handler);
    const key = `${r.method} ${r.path}`;
    const seen = byKey.get(key);
    if (seen) {
      seen.doc ??= doc;
      continue;
    }
    byKey.set(key, { method: r.method, path: r.path, doc });
  }
  return [...byKey.values()].filter((r) => !(r.method === "ALL" && r.path.endsWith("*") && !r.doc));
}

/** The documented (method, OpenAPI path) pairs a route stands for. */
export function operationsOf(route: DescribedRoute): Array<{ method: string; path: string; summary?: string; operationId?: string; body?: z.ZodType; description?: string }> {
  const doc = route.doc;
  if (!doc) return [];
  const methods = route.method === "ALL" ? (doc.methods ?? []) : doc.methods ? doc.methods.filter((m) => m === route.method) : [route.method];
  if (doc.documentAs) return doc.documentAs.map((d) => ({ ...d, method: d.method ?? route.method }));
  if (doc.wildcard) {
    const listed = (doc.wildcard.endpoints ?? []).filter((e) => methods.includes(e.method));
    return [...listed, ...methods.map((m) => ({ method: m, path: openApiPath(route.path) }))];
  }
  return methods.map((m) => ({ method: m, path: openApiPath(route.path) }));
}

/** `/api/keys/:id` -> `/api/keys/{id}`; `/api/auth/*` -> `/api/auth/{path}`; regex segments lose their pattern. */
export function openApiPath(honoPath: string): string {
  return honoPath
    .replace(/\/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, "/{$1}")
    .replace(/\/\*$/, "/{path}")
    .replace(/(.)\/$/, "$1");
}

const pathParams = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

/** Routes without a description: the coverage test wants none. */
export function undocumented(routes: readonly RouteEntry[]): string[] {
  return describedRoutes(routes)
    .filter((r) => !r.doc || operationsOf(r).length === 0)
    .map((r) => `${r.method} ${r.path}`);
}

const operationIdOf = (method: string, path: string) => {
  const words = `${method.toLowerCase()} ${path.replace(/[{}]/g, " by ").replace(/[^A-Za-z0-9]+/g, " ")}`.trim().split(/\s+/);
  return words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join("");
};

/** zod -> JSON Schema (2020-12, input side), with local `$defs` hoisted into components so refs resolve. */
function toSchema(schema: z.ZodType, name: string, components: Json): Json {
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Json;
  delete out.$schema;
  const defs = out.$defs as Json | undefined;
  delete out.$defs;
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === "object") {
      const o: Json = {};
      for (const [k, x] of Object.entries(v)) o[k] = k === "$ref" && typeof x === "string" && x.startsWith("#/$defs/") ? `#/components/schemas/${name}_${x.slice(8)}` : k === "$ref" && x === "#" ? `#/components/schemas/${name}` : rewrite(x);
      return o;
    }
    return v;
  };
  if (defs) for (const [k, d] of Object.entries(defs)) components[`${name}_${k}`] = rewrite(d);
  return rewrite(out) as Json;
}

const ERROR_SCHEMAS: Record<string, Json> = {
  ApiError: {
    type: "object",
    description: "Every /api error: a stable code, a readable message; 400s from validation list each problem in details.",
    properties: {
      error: {
        type: "object",
        properties: {
          code: { type: "string", examples: ["invalid_request", "invalid_json", "unauthorized", "forbidden", "not_found", "rate_limited"] },
          message: { type: "string" },
          details: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
          requestId: { type: "string" },
        },
        required: ["code", "message"],
      },
    },
    required: ["error"],
  },
  OpenAIError: {
    type: "object",
    description: "Bridge errors in the OpenAI dialect, as OpenAI shapes them.",
    properties: {
      error: {
        type: "object",
        properties: { message: { type: "string" }, type: { type: "string" }, param: { type: ["string", "null"] }, code: { type: ["string", "null"] } },
        required: ["message", "type"],
      },
    },
    required: ["error"],
  },
  AnthropicError: {
    type: "object",
    description: "Bridge errors in the Anthropic dialect, as Anthropic shapes them.",
    properties: {
      type: { const: "error" },
      error: { type: "object", properties: { type: { type: "string" }, message: { type: "string" } }, required: ["type", "message"] },
    },
    required: ["type", "error"],
  },
  GeminiError: {
    type: "object",
    description: "Bridge errors in the Gemini dialect, as Google shapes them.",
    properties: {
      error: { type: "object", properties: { code: { type: "integer" }, message: { type: "string" }, status: { type: "string" } }, required: ["code", "message", "status"] },
    },
    required: ["error"],
  },
  OAuthError: {
    type: "object",
    description: "OAuth 2.1 errors (RFC 6749 section 5.2).",
    properties: { error: { type: "string" }, error_description: { type: "string" } },
    required: ["error"],
  },
};

const ERROR_REF: Record<ErrorDialect, string | undefined> = {
  api: "ApiError",
  openai: "OpenAIError",
  anthropic: "AnthropicError",
  gemini: "GeminiError",
  oauth: "OAuthError",
  html: undefined,
  none: undefined,
};

const SECURITY: Record<Auth, Array<Record<string, string[]>>> = {
  none: [],
  session: [{ sessionCookie: [] }, { bearerAuth: [] }],
  workspace: [{ sessionCookie: [] }, { bearerAuth: [] }],
  admin: [{ sessionCookie: [] }, { bearerAuth: [] }],
  key: [{ bearerAuth: [] }, { xApiKey: [] }, { googApiKey: [] }, { googKeyQuery: [] }],
  signature: [],
  oauth: [{ mcpOAuth: [] }, { bearerAuth: [] }],
};

const KEY_BY_DIALECT: Partial<Record<ErrorDialect, Array<Record<string, string[]>>>> = {
  openai: [{ bearerAuth: [] }],
  anthropic: [{ xApiKey: [] }, { bearerAuth: [] }],
  gemini: [{ googApiKey: [] }, { googKeyQuery: [] }],
};

const AUTH_WORDS: Record<Auth, string> = {
  none: "none",
  session: "signed-in user (session)",
  workspace: "member of the active workspace (session, or an API key with the scope)",
  admin: "platform operator (ADMIN_EMAILS)",
  key: "platform API key",
  signature: "signed by the calling service",
  oauth: "OAuth access token or API key",
};

export const authWords = (auth: Auth | Auth[]) => [auth].flat().map((a) => AUTH_WORDS[a]).join(" or ");

export interface OpenApiDocument {
  openapi: string;
  info: Json;
  servers: Json[];
  tags: Json[];
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Json; securitySchemes: Json };
  [k: string]: unknown;
}

function schemaParameters(schema: z.ZodType, name: string, components: Json, where: "query"): Json[] {
  const js = toSchema(schema, name, components);
  const props = (js.properties ?? {}) as Json;
  const required = new Set((js.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([p, s]) => ({ name: p, in: where, required: required.has(p), schema: s }));
}

export function buildDocument(routes: readonly RouteEntry[], brand: Pick<Brand, "name" | "hostname" | "tagline">, origin: string): OpenApiDocument {
  const schemas: Json = { ...ERROR_SCHEMAS };
  const paths: Record<string, Record<string, Json>> = {};
  const tags = new Set<string>();
  const bodyNames = new Map<z.ZodType, string>();

  const bodyRef = (schema: z.ZodType, suggested: string): string => {
    let name = bodyNames.get(schema);
    if (!name) {
      name = suggested;
      for (let i = 2; name in schemas; i++) name = `${suggested}${i}`;
      bodyNames.set(schema, name);
      schemas[name] = toSchema(schema, name, schemas);
    }
    return `#/components/schemas/${name}`;
  };

  for (const route of describedRoutes(routes)) {
    const doc = route.doc;
    if (!doc) continue;
    tags.add(doc.tag);
    for (const op of operationsOf(route)) {
      const method = op.method.toLowerCase();
      if (!(HTTP_METHODS as readonly string[]).includes(op.method)) continue;
      const operationId = op.operationId ?? (doc.documentAs || doc.wildcard ? undefined : doc.operationId) ?? operationIdOf(op.method, op.path);
      const errors = doc.errors ?? (route.path.startsWith("/api/") ? "api" : "none");
      const auths = [doc.auth].flat();
      const security = auths.includes("none") ? [] : auths.flatMap((a) => (a === "key" && KEY_BY_DIALECT[errors] ? KEY_BY_DIALECT[errors]! : SECURITY[a]));
      const parameters: Json[] = pathParams(op.path).map((p) => ({
        name: p,
        in: "path",
        required: true,
        schema: { type: "string" },
        ...(doc.params?.[p] ? { description: doc.params[p] } : {}),
      }));
      if (auths.includes("workspace")) {
        parameters.push({ name: "x-workspace-id", in: "header", required: false, schema: { type: "string" }, description: "The workspace to act in; defaults to the session's active workspace." });
      }
      if (doc.query) parameters.push(...schemaParameters(doc.query, `${operationId}Query`, schemas, "query"));

      const validated = doc.validate !== false;
      const operation: Json = {
        operationId,
        summary: op.summary ?? doc.summary,
        ...((op.description ?? doc.description) ? { description: op.description ?? doc.description } : {}),
        tags: [doc.tag],
        security: security.length ? dedupe(security) : [],
        "x-auth": [doc.auth].flat(),
      };
      if (doc.wildcard && !op.summary) operation.description = doc.wildcard.description;
      if (parameters.length) operation.parameters = parameters;

      const body = op.body ?? doc.body;
      if (body && !["get", "head", "delete", "options"].includes(method)) {
        const contentType = doc.bodyContentType ?? "application/json";
        operation.requestBody = {
          required: !doc.optionalBody,
          content: { [contentType]: { schema: { $ref: bodyRef(body, `${operationId[0]!.toUpperCase()}${operationId.slice(1)}Body`) } } },
        };
        // Marks the bodies this platform checks with exactly this schema before the handler runs.
        if (validated && contentType === "application/json") operation["x-validated"] = true;
      } else if (body && method === "delete") {
        operation.requestBody = { required: !doc.optionalBody, content: { "application/json": { schema: { $ref: bodyRef(body, `${operationId[0]!.toUpperCase()}${operationId.slice(1)}Body`) } } } };
        if (validated) operation["x-validated"] = true;
      }

      const responses: Json = {};
      for (const [status, r] of Object.entries(doc.responses ?? {})) {
        responses[status] = {
          description: r.description,
          ...(r.schema || r.contentType
            ? { content: { [r.contentType ?? "application/json"]: r.schema ? { schema: toSchema(r.schema, `${operationId}Response${status}`, schemas) } : {} } }
            : {}),
        };
      }
      if (!Object.keys(responses).some((s) => s.startsWith("2") || s.startsWith("3"))) responses["200"] = { description: "Success" };
      const errorRef = ERROR_REF[errors];
      if (errorRef) {
        const errorContent = { content: { "application/json": { schema: { $ref: `#/components/schemas/${errorRef}` } } } };
        if ((body || doc.query) && !responses["400"]) responses["400"] = { description: "The request is malformed or breaks the schema", ...errorContent };
        if (!auths.includes("none") && !auths.includes("signature") && !responses["401"]) responses["401"] = { description: "No or invalid credentials", ...errorContent };
        responses.default = { description: "An error", ...errorContent };
      }
      operation.responses = responses;

      const item = (paths[op.path] ??= {});
      if (item[method]) throw new Error(`OpenAPI: ${op.method} ${op.path} is described twice`);
      item[method] = operation;
    }
  }

  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: {
      title: `${brand.name} API`,
      version: "1.0.0",
      summary: brand.tagline,
      description: `The ${brand.name} platform: the /api surface (accounts, workspaces, keys, models, deployments, billing) and the bridge (/v1, /v1beta), which speaks the OpenAI, Anthropic and Gemini dialects. Errors on /api are {"error": {"code", "message"}}; the bridge answers errors in the caller's dialect. A readable reference with code samples is at /docs.`,
    },
    servers: dedupe([{ url: origin, description: "This deployment" }, { url: `https://${brand.hostname}`, description: `${brand.name} production` }], (s) => s.url as string),
    tags: [...tags].sort().map((name) => ({ name })),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas,
      securitySchemes: {
        sessionCookie: { type: "apiKey", in: "cookie", name: "better-auth.session_token", description: "The session cookie set by /api/auth/sign-in/*" },
        bearerAuth: { type: "http", scheme: "bearer", description: "A platform API key (sk-..., from POST /api/keys) or a session token" },
        xApiKey: { type: "apiKey", in: "header", name: "x-api-key", description: "A platform API key, as Anthropic clients send it" },
        googApiKey: { type: "apiKey", in: "header", name: "x-goog-api-key", description: "A platform API key, as Gemini clients send it" },
        googKeyQuery: { type: "apiKey", in: "query", name: "key", description: "A platform API key in the query string (Gemini clients)" },
        mcpOAuth: {
          type: "oauth2",
          description: "OAuth 2.1 with PKCE for MCP clients; dynamic client registration at /oauth/register",
          flows: { authorizationCode: { authorizationUrl: `${origin}/oauth/authorize`, tokenUrl: `${origin}/oauth/token`, scopes: {} } },
        },
      },
    },
  };
}

function dedupe<T>(list: T[], key: (t: T) => string = (t) => JSON.stringify(t)): T[] {
  const seen = new Set<string>();
  return list.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const cache = new Map<string, OpenApiDocument>();

/** The document for a brand and origin, built on first use in this isolate. */
export function documentFor(routes: readonly RouteEntry[], brand: Pick<Brand, "id" | "name" | "hostname" | "tagline">, origin: string): OpenApiDocument {
  const key = JSON.stringify([brand.id, brand.name, brand.tagline, origin]);
  let doc = cache.get(key);
  if (!doc) {
    doc = buildDocument(routes, brand, origin);
    if (cache.size > 32) cache.clear();
    cache.set(key, doc);
  }
  return doc;
}
