import { Hono, type Context } from "hono";
import type { SandboxAppEnv } from "./env";
import { checkGenerate, generateChunks, generateResponse, parseGenerateRequest, planGenerate, promptTokenDetails } from "./gemini/generate";
import { findGeminiModel, GEMINI_MODELS, geminiModelResource, notFoundMessage, type GeminiModel } from "./gemini/models";
import { camelizeKeys, countTokensRequest, fromZodIssue, GeminiRequestError, invalidArgument } from "./gemini/schema";
import { serviceError } from "./lib/errors";
import { sseResponse } from "./lib/sse";

/**
 * The Gemini API stand-in (`/gemini`): `models/{model}:generateContent`, `:streamGenerateContent` (SSE with
 * `alt=sse`, otherwise a streamed JSON array, as the real API), `:countTokens`, and the model list, under
 * v1beta (and v1/v1alpha, which the SDKs can be pointed at). Key as `x-goog-api-key`, `?key=` or a Bearer
 * token; without one Google answers 403 PERMISSION_DENIED, so this does too.
 */
export const geminiRoutes = new Hono<SandboxAppEnv>();

const VERSION = "/:version{v1beta|v1|v1alpha}";

geminiRoutes.use(`${VERSION}/*`, async (c, next) => {
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
  if (!c.req.header("x-goog-api-key")?.trim() && !c.req.query("key")?.trim() && !bearer) {
    return serviceError(
      "gemini",
      403,
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    );
  }
  await next();
});

geminiRoutes.onError((err) => {
  if (err instanceof GeminiRequestError) return serviceError("gemini", err.status, err.message);
  console.error("gemini stand-in error", err);
  return serviceError("gemini", 500, "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting");
});

async function jsonBody(c: Context<SandboxAppEnv>): Promise<unknown> {
  const text = await c.req.text();
  try {
    const body = JSON.parse(text || "{}") as unknown;
    if (body && typeof body === "object" && !Array.isArray(body)) return body;
  } catch {
    // below
  }
  throw invalidArgument(`Invalid JSON payload received. Unexpected token.\n${text.slice(0, 40)}\n^`);
}

/** A streamed JSON array (`[obj,\r\nobj]`) with the same cut control as SSE streams. */
function jsonArrayStream(items: unknown[], cutAfterChunks: number | undefined): Response {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < items.length; i++) {
        if (cutAfterChunks !== undefined && i >= cutAfterChunks) {
          controller.error(new Error("sandbox: stream cut by fault rule"));
          return;
        }
        controller.enqueue(enc.encode(`${i === 0 ? "[" : ",\r\n"}${JSON.stringify(items[i])}`));
      }
      controller.enqueue(enc.encode("]"));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/json; charset=UTF-8" } });
}

function modelOr404(name: string, version: string, method: string): GeminiModel {
  const model = findGeminiModel(name);
  if (!model) throw new GeminiRequestError(404, notFoundMessage(name, version, method));
  return model;
}

geminiRoutes.get(`${VERSION}/models`, (c) => {
  const size = Math.min(1000, Math.max(1, Number(c.req.query("pageSize") ?? 50) || 50));
  const start = Number(c.req.query("pageToken") ?? 0) || 0;
  const page = GEMINI_MODELS.slice(start, start + size).map(geminiModelResource);
  return c.json(start + size < GEMINI_MODELS.length ? { models: page, nextPageToken: String(start + size) } : { models: page });
});

geminiRoutes.get(`${VERSION}/models/:name`, (c) => {
  const name = c.req.param("name");
  const model = findGeminiModel(name);
  if (!model) throw new GeminiRequestError(404, `models/${name} is not found for API version ${c.req.param("version")}`);
  return c.json(geminiModelResource(model));
});

geminiRoutes.post(`${VERSION}/models/:action`, async (c) => {
  const version = c.req.param("version");
  const action = decodeURIComponent(c.req.param("action"));
  const colon = action.lastIndexOf(":");
  const name = colon > 0 ? action.slice(0, colon) : action;
  const method = colon > 0 ? action.slice(colon + 1) : "";
  if (method === "countTokens") {
    modelOr404(name, version, method);
    const parsed = countTokensRequest.safeParse(camelizeKeys(await jsonBody(c)), { reportInput: true });
    if (!parsed.success) throw fromZodIssue(parsed.error.issues[0]!, "CountTokensRequest");
    const { contents, generateContentRequest } = parsed.data;
    if (contents && generateContentRequest) throw invalidArgument("* CountTokensRequest: only one of contents or generate_content_request may be set\n");
    const details = promptTokenDetails(generateContentRequest ?? { contents: contents ?? [] });
    return c.json({ totalTokens: details.reduce((n, d) => n + d.tokenCount, 0), promptTokensDetails: details });
  }
  if (method !== "generateContent" && method !== "streamGenerateContent") {
    return serviceError("gemini", 404, `Method not found: ${action}`);
  }
  const model = modelOr404(name, version, method);
  const body = parseGenerateRequest(await jsonBody(c));
  checkGenerate(body, model);
  const plan = planGenerate(body, model, name.replace(/^models\//, ""));
  if (method === "generateContent") return c.json(generateResponse(plan));
  const chunks = generateChunks(plan);
  const cut = c.var.fault?.cutAfterChunks;
  if (c.req.query("alt") === "sse") return sseResponse(chunks.map((chunk) => ({ data: JSON.stringify(chunk) })), { cutAfterChunks: cut, chunkDelayMs: c.var.fault?.chunkDelayMs });
  return jsonArrayStream(chunks, cut);
});
