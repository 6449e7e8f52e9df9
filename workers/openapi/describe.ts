import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../env";
import { AppError, badRequest } from "../errors";

/**
 * `api({...})`: how a route is described and, for /api routes, validated. It is a hono middleware placed in
 * the route's handler chain (after the auth middleware, before the handler) that carries its description as
 * a property, so the OpenAPI document (document.ts) is read off `app.routes` and the zod schemas in it are
 * the very objects that validate requests: the two cannot drift.
 *
 * At request time it reads the JSON body (and/or the query string) with those schemas exactly as
 * `readJsonBody` does: malformed JSON is 400 `invalid_json`, a schema violation 400 `invalid_request`
 * "Invalid <what>" with `details: [{path, message}]`. Handlers take the parsed values from
 * `c.req.valid("json")` / `c.req.valid("query")`.
 *
 * Routes that parse in their own way (the bridge answers in the caller's dialect; form posts; webhooks that
 * verify a signature over the raw body) pass `validate: false`: the schemas are then documentation only,
 * and the handler must use the same schema objects itself.
 */

/** Who may call: the security requirement the document states. */
export type Auth =
  /** anyone */
  | "none"
  /** a signed-in user: the session cookie or `Authorization: Bearer <session token>` */
  | "session"
  /** a member of the active workspace (session or an API key with the right scope), `x-workspace-id` optional */
  | "workspace"
  /** a platform API key, as the bridge takes it (Bearer, x-api-key or x-goog-api-key / ?key=) */
  | "key"
  /** a platform operator (ADMIN_EMAILS) */
  | "admin"
  /** a signed request from an outside service (Stripe, RunPod, the Hugging Face Hub) */
  | "signature"
  /** an OAuth 2.1 access token (MCP) or a platform key */
  | "oauth";

/** Which error body the route answers with. */
export type ErrorDialect = "api" | "openai" | "anthropic" | "gemini" | "oauth" | "html" | "none";

export interface ResponseDoc {
  description: string;
  /** a zod schema for a JSON answer; omitted: the shape is described in words only */
  schema?: z.ZodType;
  /** defaults to application/json when `schema` is given */
  contentType?: string;
}

export interface ApiDoc<B extends z.ZodType | undefined = z.ZodType | undefined, Q extends z.ZodType | undefined = z.ZodType | undefined> {
  summary: string;
  description?: string;
  /** the group in the reference (/docs) and the document's tags */
  tag: string;
  auth: Auth | Auth[];
  /** the JSON request body */
  body?: B;
  /** "Invalid <what>" in the 400 message; defaults to "request body" */
  what?: string;
  /** replaces "Invalid <what>" as the 400 message (a few routes tell the caller the expected shape) */
  invalidMessage?: string;
  /** the body may be left out: no body (or a blank one) reads as `{}` */
  optionalBody?: boolean;
  /** the query string, as an object of strings */
  query?: Q;
  /** "Invalid <queryWhat>" when the query string is refused; defaults to "query" */
  queryWhat?: string;
  /** false: describe only; the handler parses (with these same schema objects) and answers its own errors */
  validate?: boolean;
  /** a body that is not JSON: its media type (the schema, if any, describes its fields) */
  bodyContentType?: string;
  /** documented answers by status; the error answers of the route's dialect are added by document.ts */
  responses?: Record<number, ResponseDoc>;
  errors?: ErrorDialect;
  /** path parameters the hono path does not make plain (regex segments), or descriptions of them */
  params?: Record<string, string>;
  /**
   * The operations in the document when the hono path is not how clients call it (Gemini's
   * `/v1beta/models/{model}:generateContent` is one hono route matching `:target{.+}`): each entry is an
   * OpenAPI path and the methods there; when given, these replace the route's own path.
   */
  documentAs?: Array<{ path: string; method?: string; summary?: string; operationId?: string; body?: z.ZodType; description?: string }>;
  /** which of the route's methods to document, when it is registered for several (`.on([...])`) */
  methods?: string[];
  operationId?: string;
  /** a wildcard route that forwards a family of endpoints (better-auth): listed as such */
  wildcard?: { description: string; endpoints?: Array<{ method: string; path: string; summary: string; operationId?: string; body?: z.ZodType }> };
}

export const API_DOC = "__apiDoc";

type Out<B, Q> = (B extends z.ZodType ? { json: z.output<B> } : {}) & (Q extends z.ZodType ? { query: z.output<Q> } : {});
type In<B, Q> = (B extends z.ZodType ? { json: z.input<B> } : {}) & (Q extends z.ZodType ? { query: Record<string, string> } : {});

export type Described = MiddlewareHandler & { [API_DOC]: ApiDoc };

const issuesOf = (error: z.ZodError) => error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));

async function readJson(c: Context, optional: boolean): Promise<unknown> {
  if (optional) {
    const text = c.req.raw.body ? await c.req.text() : "";
    if (!text.trim()) return {};
    try {
      return JSON.parse(text);
    } catch {
      throw new AppError(400, "invalid_json", "Request body is not valid JSON");
    }
  }
  try {
    return await c.req.json();
  } catch {
    throw new AppError(400, "invalid_json", "Request body is not valid JSON");
  }
}

export function api<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  doc: ApiDoc<B, Q>,
): MiddlewareHandler<AppEnv, string, { in: In<B, Q>; out: Out<B, Q> }> {
  const validate = doc.validate !== false;
  const mw: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (validate && doc.query) {
      const parsed = doc.query.safeParse(c.req.query());
      if (!parsed.success) throw badRequest(`Invalid ${doc.queryWhat ?? "query"}`, issuesOf(parsed.error));
      c.req.addValidatedData("query", parsed.data as object);
    }
    if (validate && doc.body && !doc.bodyContentType) {
      const raw = await readJson(c, doc.optionalBody === true);
      const parsed = doc.body.safeParse(raw);
      if (!parsed.success) throw badRequest(doc.invalidMessage ?? `Invalid ${doc.what ?? "request body"}`, issuesOf(parsed.error));
      c.req.addValidatedData("json", parsed.data as object);
    }
    await next();
  };
  return Object.assign(mw, { [API_DOC]: doc as ApiDoc }) as never;
}

/** The description a handler carries, if it is an `api()` middleware (or a sub-app's wrapper of one). */
export function docOf(handler: unknown): ApiDoc | undefined {
  let h = handler as Record<string, unknown> | undefined;
  for (let i = 0; h && i < 4; i++) {
    if (h[API_DOC]) return h[API_DOC] as ApiDoc;
    h = h.__COMPOSED_HANDLER as Record<string, unknown> | undefined;
  }
  return undefined;
}
