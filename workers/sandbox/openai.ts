import { Hono, type Context } from "hono";
import type { SandboxAppEnv } from "./env";
import { serviceError } from "./lib/errors";
import { sseResponse } from "./lib/sse";
import { stableId } from "./lib/text";
import { checkChatSemantics, chatCompletionBody, chatCompletionEvents, parseChatRequest, planChat } from "./openai/chat";
import { completionBody, completionEvents, parseCompletionRequest, planCompletion } from "./openai/completions";
import { embeddingResponse } from "./openai/embeddings";
import { fromZodIssue, INVALID_JSON_MESSAGE, MISSING_KEY_MESSAGE, OpenAiRequestError, openAiErrorBody, type OpenAiErrorInfo } from "./openai/errors";
import { OPENAI_MODEL_IDS, openAiModelInfo, resolveModel, type ModelKind } from "./openai/models";
import { embeddingRequestLoose, embeddingRequestStrict } from "./openai/schema";

/**
 * The OpenAI API stand-in (`/openai/v1`), and -- through `createOpenAiRoutes` -- the vLLM OpenAI-compatible
 * server that RunPod workers expose at `/runpod-ai/v2/{endpointId}/openai/v1`. Routes only: parsing,
 * planning and rendering live in ./openai/*.
 */
export interface OpenAiRoutesOptions {
  service: "openai" | "runpod-serverless";
  /** The model ids served: OpenAI's fixed catalog, or the one model a RunPod endpoint was deployed with. */
  models: (c: Context<SandboxAppEnv>) => Promise<string[]> | string[];
  ownedBy: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function createOpenAiRoutes(opts: OpenAiRoutesOptions): Hono<SandboxAppEnv> {
  const flavor = opts.service;
  const app = new Hono<SandboxAppEnv>();

  const fail = (e: OpenAiErrorInfo, requestSeed = "") =>
    new Response(JSON.stringify(openAiErrorBody(flavor, e)), {
      status: e.status,
      headers: { "content-type": "application/json", "x-request-id": `req_${stableId(`${e.message}${requestSeed}`, 32)}` },
    });

  app.use("*", async (c, next) => {
    const auth = c.req.header("authorization") ?? "";
    const key = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    if (!key) {
      if (flavor === "runpod-serverless") return serviceError("runpod-serverless", 401, "Unauthorized");
      return fail({ status: 401, message: MISSING_KEY_MESSAGE });
    }
    await next();
  });

  app.onError((err, c) => {
    if (err instanceof OpenAiRequestError) return fail(err.info);
    console.error("openai stand-in error", err);
    return fail({ status: 500, message: "The server had an error while processing your request. Sorry about that!" });
  });

  /** The served model a request names, with what it can do; throws OpenAI's 404 for anything else. */
  async function modelFor(c: Context<SandboxAppEnv>, requested: string): Promise<{ kind: ModelKind; listed: string; dims: number }> {
    const ids = await opts.models(c);
    const listed = resolveModel(requested, ids, flavor === "openai");
    if (!listed) {
      const message = flavor === "openai" ? `The model \`${requested}\` does not exist or you do not have access to it.` : `The model \`${requested}\` does not exist.`;
      throw new OpenAiRequestError({ status: 404, message, param: flavor === "openai" ? null : "model", code: "model_not_found" });
    }
    const info = flavor === "openai" ? openAiModelInfo(listed) : undefined;
    return { kind: info?.kind ?? "chat", listed, dims: info?.dims ?? 1024 };
  }

  async function jsonBody(c: Context<SandboxAppEnv>): Promise<unknown> {
    const text = await c.req.text();
    try {
      const body = JSON.parse(text) as unknown;
      if (body && typeof body === "object" && !Array.isArray(body)) return body;
    } catch {
      // fall through: OpenAI answers every unparsable body the same way
    }
    throw new OpenAiRequestError({ status: 400, message: INVALID_JSON_MESSAGE });
  }

  const modelObject = (id: string) => {
    const obj: Record<string, unknown> = { id, object: "model", created: openAiModelInfo(id)?.created ?? 1700000000, owned_by: opts.ownedBy };
    if (flavor === "runpod-serverless") Object.assign(obj, { root: id, parent: null });
    return obj;
  };

  app.get("/models", async (c) => c.json({ object: "list", data: (await opts.models(c)).map(modelObject) }));

  app.get("/models/:id{.+}", async (c) => {
    const id = c.req.param("id");
    if (!(await opts.models(c)).includes(id)) {
      return fail({ status: 404, message: `The model '${id}' does not exist`, param: "model", code: "model_not_found" });
    }
    return c.json(modelObject(id));
  });

  app.post("/chat/completions", async (c) => {
    const body = parseChatRequest(await jsonBody(c), flavor);
    const model = await modelFor(c, body.model);
    if (model.kind === "embedding" || model.kind === "completion") {
      throw new OpenAiRequestError({
        status: 404,
        message: "This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?",
        param: "model",
      });
    }
    const reasoning = model.kind === "reasoning";
    checkChatSemantics(body, reasoning, flavor);
    const plan = planChat(body, { reasoning, flavor, created: nowSeconds() });
    const headers = { "x-request-id": `req_${stableId(plan.id, 32)}` };
    if (!body.stream) return c.json(chatCompletionBody(plan), 200, headers);
    return sseResponse(chatCompletionEvents(plan, body.stream_options?.include_usage === true), { cutAfterChunks: c.var.fault?.cutAfterChunks, chunkDelayMs: c.var.fault?.chunkDelayMs, headers });
  });

  app.post("/completions", async (c) => {
    const body = parseCompletionRequest(await jsonBody(c), flavor);
    const model = await modelFor(c, body.model);
    if (flavor === "openai" && model.kind !== "completion") {
      throw new OpenAiRequestError({
        status: 404,
        message: "This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?",
        param: "model",
      });
    }
    const plan = planCompletion(body, { flavor, created: nowSeconds() });
    if (!body.stream) return c.json(completionBody(plan));
    return sseResponse(completionEvents(plan, body.stream_options?.include_usage === true), { cutAfterChunks: c.var.fault?.cutAfterChunks, chunkDelayMs: c.var.fault?.chunkDelayMs });
  });

  app.post("/embeddings", async (c) => {
    const parsed = (flavor === "openai" ? embeddingRequestStrict : embeddingRequestLoose).safeParse(await jsonBody(c), { reportInput: true });
    if (!parsed.success) throw fromZodIssue(parsed.error.issues[0]!);
    const model = await modelFor(c, parsed.data.model);
    if (flavor === "openai" && model.kind !== "embedding") {
      throw new OpenAiRequestError({ status: 400, message: `The model \`${parsed.data.model}\` does not support embeddings.`, param: "model" });
    }
    return c.json(
      embeddingResponse(parsed.data, {
        responseModel: flavor === "openai" ? model.listed : parsed.data.model,
        nativeDims: model.dims,
        dimensionsAllowed: flavor === "runpod-serverless" || model.listed !== "text-embedding-ada-002",
      }),
    );
  });

  return app;
}

export const openaiRoutes = createOpenAiRoutes({ service: "openai", models: () => OPENAI_MODEL_IDS, ownedBy: "openai" });
