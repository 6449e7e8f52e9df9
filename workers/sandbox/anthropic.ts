import { Hono, type Context } from "hono";
import { checkMessages, inputTokens, messageBody, messageEvents, parseMessagesRequest, planMessage } from "./anthropic/messages";
import { findClaudeModel, isClaudeModel, listModelsPage, modelObject } from "./anthropic/models";
import { AnthropicRequestError, countTokensRequest, fromZodIssue } from "./anthropic/schema";
import type { SandboxAppEnv } from "./env";
import { sseResponse } from "./lib/sse";
import { stableId } from "./lib/text";

/**
 * The Anthropic API stand-in (`/anthropic`): Messages (JSON and SSE), count_tokens and Models. Auth as the
 * real API: `x-api-key` or `Authorization: Bearer`, plus the `anthropic-version` header. Routes only; the
 * behaviour lives in ./anthropic/*.
 */
export const anthropicRoutes = new Hono<SandboxAppEnv>();

const requestId = (seed: string) => `req_011C${stableId(seed, 20)}`;

function errorResponse(status: number, type: string, message: string): Response {
  const id = requestId(`${status}:${message}`);
  return new Response(JSON.stringify({ type: "error", error: { type, message }, request_id: id }), {
    status,
    headers: { "content-type": "application/json", "request-id": id },
  });
}

anthropicRoutes.use("/v1/*", async (c, next) => {
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
  if (!c.req.header("x-api-key")?.trim() && !bearer) return errorResponse(401, "authentication_error", "x-api-key header is required");
  if (!c.req.header("anthropic-version")) return errorResponse(400, "invalid_request_error", "anthropic-version: header is required");
  await next();
});

anthropicRoutes.onError((err) => {
  if (err instanceof AnthropicRequestError) return errorResponse(err.status, err.type, err.message);
  console.error("anthropic stand-in error", err);
  return errorResponse(500, "api_error", "Internal server error");
});

async function jsonBody(c: Context<SandboxAppEnv>): Promise<unknown> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AnthropicRequestError(400, "There was an error parsing the body of your request. Please check that it is valid JSON.");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new AnthropicRequestError(400, "Input should be a valid dictionary or object to extract fields from");
  return body;
}

function requireModel(model: string): void {
  if (!isClaudeModel(model)) throw new AnthropicRequestError(404, `model: ${model}`);
}

anthropicRoutes.post("/v1/messages", async (c) => {
  const body = parseMessagesRequest(await jsonBody(c));
  requireModel(body.model);
  checkMessages(body);
  const plan = planMessage(body);
  const headers = { "request-id": requestId(plan.id) };
  if (!body.stream) return c.json(messageBody(plan), 200, headers);
  return sseResponse(messageEvents(plan), { cutAfterChunks: c.var.fault?.cutAfterChunks, chunkDelayMs: c.var.fault?.chunkDelayMs, headers });
});

anthropicRoutes.post("/v1/messages/count_tokens", async (c) => {
  const parsed = countTokensRequest.safeParse(await jsonBody(c), { reportInput: true });
  if (!parsed.success) throw fromZodIssue(parsed.error.issues[0]!);
  requireModel(parsed.data.model);
  checkMessages(parsed.data);
  return c.json({ input_tokens: inputTokens(parsed.data) });
});

anthropicRoutes.get("/v1/models", (c) => c.json(listModelsPage(c.req.query())));

anthropicRoutes.get("/v1/models/:id", (c) => {
  const model = findClaudeModel(c.req.param("id"));
  if (!model) throw new AnthropicRequestError(404, `model: ${c.req.param("id")}`);
  return c.json(modelObject(model));
});
