import { z } from "zod";
import { formatUsd } from "../catalog/prices";
import { openAiDialect } from "./dialects/openai";
import { extractApiKey } from "./auth";
import { attemptsHeader, costAndSavings, deploymentHeaders, errorResponse, headerSafe, planRefusal, readBody, routeFor, upstreamOptions, type BridgeContext } from "./pipeline";
import { splitRunpodModel } from "./providers/runpod";
import { UnknownModelError, type Route } from "./resolve";
import { PlanModelError } from "../billing/free-tier";
import { isAutoModel } from "./auto-route";
import { recordAttempts } from "../status/record";
import { CHARS_PER_TOKEN } from "./tokens";
import { callWithFallback, type CallBuilder } from "./upstream";

/**
 * POST /v1/embeddings in the OpenAI dialect, to OpenAI or to an embedding model deployed on RunPod (vLLM
 * serves the same route). The upstream's body passes through unchanged apart from the model name, so
 * base64 encoding (the openai SDK's default) and `dimensions` work as they do at OpenAI.
 */
const body = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(z.string()).min(1).max(2048), z.array(z.number().int()).min(1), z.array(z.array(z.number().int()).min(1)).min(1).max(2048)]),
    encoding_format: z.enum(["float", "base64"]).optional(),
    dimensions: z.number().int().positive().optional(),
    user: z.string().optional(),
  })
  .strict();

export type EmbeddingsBody = z.infer<typeof body>;
/** The schema POST /v1/embeddings parses with (the OpenAPI document shows it). */
export const embeddingsBody = body;

export const embeddingsCall = (b: EmbeddingsBody): CallBuilder => (target, _provider, upstream) => {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (upstream.apiKey) headers.authorization = `Bearer ${upstream.apiKey}`;
  if (target.provider === "openai") return { path: "/embeddings", headers, body: { ...b, model: target.model }, warnings: [] };
  if (target.provider === "runpod") {
    const { endpointId, servedModel } = splitRunpodModel(target.model);
    return { path: `/${encodeURIComponent(endpointId)}/openai/v1/embeddings`, headers, body: { ...b, model: servedModel }, warnings: [] };
  }
  throw new Error(`${target.provider} embedding models are not served on the OpenAI embeddings route; use an openai/ or runpod/ model`);
};

function inputChars(input: EmbeddingsBody["input"]): number {
  if (typeof input === "string") return input.length;
  return (input as unknown[]).reduce<number>((n, x) => n + (typeof x === "string" ? x.length : Array.isArray(x) ? x.length * CHARS_PER_TOKEN : CHARS_PER_TOKEN), 0);
}

export async function runEmbeddings(request: Request, bc: BridgeContext): Promise<Response> {
  const { requestId } = bc;
  const key = extractApiKey("openai", request);
  const principal = key ? await bc.hooks.authenticate(key) : undefined;
  if (!principal) return errorResponse(openAiDialect, { status: 401, kind: "authentication", message: key ? "Invalid API key" : "Missing API key" }, requestId);
  if (bc.observation) bc.observation.workspaceId = principal.id;
  const raw = await readBody(request);
  if (!raw.ok) return errorResponse(openAiDialect, raw.error, requestId);
  const parsed = body.safeParse(raw.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.join(".") || undefined;
    return errorResponse(openAiDialect, { status: 400, kind: "invalid_request", message: `Invalid value for '${param ?? "body"}': ${issue.message}` }, requestId, param);
  }
  if (isAutoModel(parsed.data.model)) {
    return errorResponse(openAiDialect, { status: 400, kind: "invalid_request", message: "auto routing picks chat models; name an embedding model" }, requestId, "model");
  }
  let route: Route;
  try {
    route = await routeFor(bc, principal, parsed.data.model);
  } catch (err) {
    if (err instanceof UnknownModelError) return errorResponse(openAiDialect, { status: 404, kind: "not_found", message: err.message }, requestId, "model");
    if (err instanceof PlanModelError) return planRefusal(openAiDialect, err, requestId);
    throw err;
  }
  const estimate = Math.ceil(inputChars(parsed.data.input) / CHARS_PER_TOKEN);
  const admission = await bc.hooks.admit(principal, { inputTokens: estimate, requestedOutput: 0 });
  if (!admission.ok) return errorResponse(openAiDialect, admission.error, requestId, undefined, admission.headers);
  const started = Date.now();
  const outcome = await callWithFallback(embeddingsCall(parsed.data), route, bc.env, await upstreamOptions(bc, principal));
  bc.waitUntil(recordAttempts(bc.env.DB, outcome.attempts));
  if (!outcome.ok) {
    if (admission.reservationId) bc.waitUntil(bc.hooks.release(principal, admission.reservationId).catch((e) => console.error("release failed", e)));
    return errorResponse(openAiDialect, outcome.error, requestId, undefined, { "x-bridge-attempts": headerSafe(attemptsHeader(outcome.attempts)) });
  }
  let json: { usage?: { prompt_tokens?: number; total_tokens?: number }; model?: string } & Record<string, unknown>;
  try {
    json = (await outcome.response.json()) as typeof json;
  } catch {
    return errorResponse(openAiDialect, { status: 502, kind: "upstream", message: "The upstream returned a malformed embeddings response" }, requestId);
  }
  const tokens = json.usage?.prompt_tokens ?? estimate;
  const usage = { inputTokens: tokens, outputTokens: 0 };
  if (bc.observation) bc.observation.usage = usage;
  const { cost, savings } = costAndSavings(usage, outcome.target, route);
  bc.waitUntil(
    bc.hooks
      .record({ requestId, principal, requested: parsed.data.model, provider: outcome.target.provider, model: outcome.target.model, usage, costMicros: cost, savingsMicros: savings, status: "complete", reservationId: admission.reservationId, latencyMs: Date.now() - started })
      .catch((e) => console.error("usage record failed", e)),
  );
  return new Response(JSON.stringify({ ...json, model: parsed.data.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }), {
    status: 200,
    headers: {
      ...admission.headers,
      "content-type": "application/json",
      "x-request-id": requestId,
      "x-provider": outcome.target.provider,
      "x-model": headerSafe(outcome.target.model),
      "x-cost-usd": formatUsd(cost),
      "x-savings-usd": formatUsd(savings),
      "x-bridge-attempts": headerSafe(attemptsHeader(outcome.attempts)),
      ...deploymentHeaders(outcome.target, outcome.attempts),
    },
  });
}
