import { Hono, type Context } from "hono";
import type { AppEnv } from "../env";
import { api } from "../openapi/describe";
import { extractApiKey, type Principal } from "../gateway/auth";
import { defaultRules, LOCAL_PRINCIPAL, platformHooks } from "../gateway/routes";
import { modelAllowed } from "../gateway/pipeline";
import { DEFAULT_RUNPOD_PRICE } from "../catalog/prices";
import { workspaceDeployments } from "../deploy/registry";
import { enforcedBudget, planOf } from "../budgets/plans";
import { deleteFile, fileView, getFile, listFiles, MAX_FILE_BYTES, newFileId, putFile, readFileText } from "./files";
import { batchDiscountPercent } from "./items";
import { BATCH_ENDPOINTS, parseBatchInput, type ResolvedModel } from "./jsonl";
import { BATCH_ID_RE, newBatchId, parseWebhookToken, type BatchRecord, type BatchView } from "./view";

/**
 * The OpenAI-compatible Files and Batches APIs (`/v1/files`, `/v1/batches`), authenticated with the
 * platform's API keys exactly as `/v1/chat/completions` is, errors in OpenAI's shape; and RunPod's
 * webhook (`/webhooks/runpod`). A batch runs on the workspace's own RunPod deployments (`runpod/<name>`).
 */

type C = Context<AppEnv>;

function openAiError(c: C, status: number, message: string, type = "invalid_request_error", code: string | null = null, param: string | null = null) {
  return c.json({ error: { message, type, param, code } }, status as 400);
}

async function principalOf(c: C): Promise<Principal | Response> {
  const key = extractApiKey("openai", c.req.raw);
  const hooks = platformHooks(c.env, defaultRules(c.env.BRIDGE_DEFAULT_RULES), (p) => c.executionCtx.waitUntil(p), new URL(c.req.url).origin);
  const principal = key ? await hooks.authenticate(key) : undefined;
  if (!principal) return openAiError(c, 401, key ? "Incorrect API key provided." : "You didn't provide an API key.", "invalid_request_error", "invalid_api_key");
  return principal;
}

const limitOf = (raw: string | undefined) => Math.min(100, Math.max(1, Number.isFinite(Number(raw)) && raw ? Number(raw) : 20));
const batchStub = (c: C, id: string) => c.env.BATCHES.get(c.env.BATCHES.idFromName(id));
const numEnv = (raw: string | undefined, fallback: number, min: number, max: number) => {
  const n = Number(raw);
  return raw && Number.isInteger(n) && n >= min && n <= max ? n : fallback;
};

async function ownedBatch(c: C, principal: Principal, id: string): Promise<boolean> {
  if (!BATCH_ID_RE.test(id)) return false;
  const row = await c.env.DB.prepare("select 1 as ok from batch where id = ? and workspace_id = ?").bind(id, principal.id).first();
  return row !== null;
}

export const batchRoutes = new Hono<AppEnv>()
  // ---- files
  .post("/files", api({ tag: "Bridge: Batch", summary: "Upload a JSONL batch input file (multipart/form-data: file, purpose=batch)", auth: "key", errors: "openai", bodyContentType: "multipart/form-data", responses: { 200: { description: "The file object" } } }), async (c) => {
    const principal = await principalOf(c);
    if (principal instanceof Response) return principal;
    if (!(c.req.header("content-type") ?? "").includes("multipart/form-data")) return openAiError(c, 400, "Upload the file as multipart/form-data with fields 'file' and 'purpose'.");
    if (Number(c.req.header("content-length") ?? "0") > MAX_FILE_BYTES + 64 * 1024) return openAiError(c, 413, `The file exceeds ${MAX_FILE_BYTES} bytes.`);
    const form = await c.req.parseBody();
    const purpose = form.purpose;
    const file = form.file;
    if (purpose !== "batch") return openAiError(c, 400, "Only purpose 'batch' is accepted here.", "invalid_request_error", null, "purpose");
    if (!(file instanceof File)) return openAiError(c, 400, "Missing the 'file' field.", "invalid_request_error", null, "file");
    if (file.size > MAX_FILE_BYTES) return openAiError(c, 413, `The file exceeds ${MAX_FILE_BYTES} bytes.`);
    const row = await putFile(c.env, { id: newFileId(), workspaceId: principal.id, purpose, filename: file.name || "input.jsonl", content: await file.arrayBuffer() });
    return c.json(fileView(row));
  })
  .get("/files", api({ tag: "Bridge: Batch", summary: "List uploaded files", auth: "key", errors: "openai" }), async (c) => {
    const principal = await principalOf(c);
    if (principal instanceof Response) return principal;
    const limit = limitOf(c.req.query("limit"));
    const rows = await listFiles(c.env.DB, principal.id, { limit: limit + 1, ...(c.req.query("purpose") ? { purpose: c.req.query("purpose")! } : {}), ...(c.req.query("after") ? { after: c.req.query("after")! } : {}) });
    const data = rows.slice(0, limit).map(fileView);
    return c.json({ object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: rows.length > limit });
  })
  .get("/files/:id", api({ tag: "Bridge: Batch", summary: "A file object", auth: "key", errors: "openai" }), async (c) => {
    const principal = await principalOf(c);
    if (principal instanceof Response) return principal;
    const row = await getFile(c.env.DB, principal.id, c.req.param("id"));
    return row ? c.json(fileView(row)) : openAiError(c, 404, `No such File object: ${c.req.param("id")}`, "invalid_request_error", null, "id");
  })
  .get("/files/:id/content", api({ tag: "Bridge: Batch", summary: "A file's content (JSONL)", auth: "key", errors: "openai", responses: { 200: { description: "The JSONL content", contentType: "application/jsonl" } } }), async (c) => {
    const principal = await principalOf(c);
    if (principal instanceof Response) return principal;
    const row = await getFile(c.env.DB, principal.id, c.req.param("id"));
    if (!row) return openAiError(c, 404, `No such File object: ${c.req.param("id")}`, "invalid_request_error", null, "id");
    const obj = await c.env.FILES.get(row.r2_key);
    if (!obj) return openAiError(c, 404, `The content of ${row.id} is gone.`);
    return new Response(obj.body, { headers: { "content-type": "application/octet-stream", "content-length": String(obj.size) } });
  })
  .delete("/files/:id", api({ tag: "Bridge: Batch", summary: "Delete a file", auth: "key", errors: "openai" }), async (c) => {
    const principal = await principalOf(c);
    if (principal instanceof Response) return principal;
    const row = await getFile(c.env.DB, principal.id, c.req.param("id"));
    if (!row) return openAiError(c, 404, `No such File object: ${c.req.param("id")}`, "invalid_request_error", null, "id");
    await deleteFile(c.env, row);
    return c.json({ id: row.id, object: "file", deleted: true });
  })
  // ---- batches
  .post("/batches", api({ tag: "Bridge: Batch", summary: "Create a batch from an uploaded file: {input_file_id, endpoint, completion_window: 24h, metadata?}", auth: "key", errors: "openai" }), async (c) => {
    const principal = await principalOf(c);
    if (principal instanceof Response) return principal;
    let body: { input_file_id?: unknown; endpoint?: unknown; completion_window?: unknown; metadata?: unknown };
    try {
      body = await c.req.json();
    } catch {
      return openAiError(c, 400, "The request body is not valid JSON.");
    }
    if (typeof body.input_file_id !== "string") return openAiError(c, 400, "Missing required parameter: 'input_file_id'.", "invalid_request_error", "missing_required_parameter", "input_file_id");
    if (typeof body.endpoint !== "string" || !(BATCH_ENDPOINTS as readonly string[]).includes(body.endpoint)) {
      return openAiError(c, 400, `Invalid 'endpoint': batches run ${BATCH_ENDPOINTS.join(", ")}.`, "invalid_request_error", "invalid_value", "endpoint");
    }
    if (body.completion_window !== "24h") return openAiError(c, 400, "Invalid 'completion_window': only '24h' is supported.", "invalid_request_error", "invalid_value", "completion_window");
    const metadata = body.metadata ?? null;
    if (metadata !== null && (typeof metadata !== "object" || Array.isArray(metadata) || Object.values(metadata).some((v) => typeof v !== "string") || Object.keys(metadata).length > 16)) {
      return openAiError(c, 400, "Invalid 'metadata': up to 16 string values.", "invalid_request_error", "invalid_value", "metadata");
    }
    const file = await getFile(c.env.DB, principal.id, body.input_file_id);
    if (!file) return openAiError(c, 404, `No such File object: ${body.input_file_id}`, "invalid_request_error", null, "input_file_id");
    if (file.purpose !== "batch") return openAiError(c, 400, `File ${file.id} was not uploaded with purpose 'batch'.`, "invalid_request_error", "invalid_value", "input_file_id");
    const text = await readFileText(c.env, file);
    if (text === null) return openAiError(c, 404, `The content of ${file.id} is gone.`);

    const local = principal.id === LOCAL_PRINCIPAL.id;
    // Items are charged as they complete (they do not reserve); a workspace with nothing left this month starts none.
    if (!local) {
      const budget = enforcedBudget(await planOf(c.env.DB, principal.id, Date.now()), c.env.BILLING_OVERAGE_FACTOR);
      const snap = budget === null ? undefined : await c.env.BUDGETS.get(c.env.BUDGETS.idFromName(`ws:${principal.id}`)).snapshot(budget);
      if (snap && snap.remaining !== null && snap.remaining <= 0) {
        return openAiError(c, 429, "The workspace has used its plan's monthly tokens; upgrade or wait for the next month before starting a batch.", "insufficient_quota", "insufficient_quota");
      }
    }
    const deployments = local ? new Map() : await workspaceDeployments(c.env.DB, principal.id);
    const resolve = (model: string): ResolvedModel | string => {
      if (!modelAllowed(principal, model)) return `This API key may not call '${model}'.`;
      if (!model.startsWith("runpod/")) return `'${model}' cannot run in a batch: batches run on this workspace's own RunPod deployments (runpod/<name>).`;
      const name = model.slice("runpod/".length);
      const d = deployments.get(name);
      if (d) return { requested: model, endpointId: d.endpointId, servedModel: d.servedModel, price: d.price, deployment: d.name };
      // The open-access local workspace may name an endpoint directly, as in the bridge.
      const slash = name.indexOf("/");
      if (local && slash > 0) return { requested: model, endpointId: name.slice(0, slash), servedModel: name.slice(slash + 1), price: DEFAULT_RUNPOD_PRICE };
      return `No ready deployment named '${name}' in this workspace (see GET /api/deployments).`;
    };
    const parsed = parseBatchInput(text, body.endpoint, resolve);
    const now = Date.now();
    const id = newBatchId();
    const record: BatchRecord = {
      id,
      workspaceId: principal.id,
      keyId: principal.keyId ?? null,
      keyBudget: principal.monthlyTokens !== undefined,
      ...(principal.monthlyTokens !== undefined ? { keyMonthlyTokens: principal.monthlyTokens } : {}),
      chargeable: !local,
      origin: new URL(c.req.url).origin,
      endpoint: body.endpoint,
      completionWindow: "24h",
      inputFileId: file.id,
      metadata: metadata as Record<string, string> | null,
      status: parsed.ok ? "validating" : "failed",
      discountPercent: batchDiscountPercent(c.env.BATCH_DISCOUNT_PERCENT),
      maxAttempts: numEnv(c.env.BATCH_MAX_ATTEMPTS, 3, 1, 20),
      total: parsed.ok ? parsed.items.length : 0,
      errors: parsed.ok ? null : parsed.errors,
      outputFileId: null,
      errorFileId: null,
      createdAt: now,
      expiresAt: now + 24 * 3600_000,
      ...(parsed.ok ? {} : { failedAt: now }),
    };
    const view = await batchStub(c, id).create({ record, items: parsed.ok ? parsed.items : [], maxInFlight: numEnv(c.env.BATCH_MAX_IN_FLIGHT, 32, 1, 1000) });
    return c.json(view);
  })
  .get("/batches", api({ tag: "Bridge: Batch", summary: "List batches", auth: "key", errors: "openai" }), async (c) => {
    const principal = await principalOf(c);
    if (principal instanceof Response) return principal;
    const limit = limitOf(c.req.query("limit"));
    const after = c.req.query("after");
    const { results } = await c.env.DB.prepare(
      `select view from batch where workspace_id = ?1 ${after ? "and (created_at, id) < (select created_at, id from batch where id = ?3 and workspace_id = ?1)" : ""} order by created_at desc, id desc limit ?2`,
    )
      .bind(principal.id, limit + 1, ...(after ? [after] : []))
      .all<{ view: string }>();
    const data = results.slice(0, limit).map((r) => JSON.parse(r.view) as BatchView);
    return c.json({ object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: results.length > limit });
  })
  .get("/batches/:id", api({ tag: "Bridge: Batch", summary: "A batch, with its counts and output file", auth: "key", errors: "openai" }), async (c) => {
    const principal = await principalOf(c);
    if (principal instanceof Response) return principal;
    const id = c.req.param("id");
    const view = (await ownedBatch(c, principal, id)) ? await batchStub(c, id).view() : null;
    return view ? c.json(view) : openAiError(c, 404, `No batch found with id '${id}'.`, "invalid_request_error", null, "batch_id");
  })
  .post("/batches/:id/cancel", api({ tag: "Bridge: Batch", summary: "Cancel a batch", auth: "key", errors: "openai" }), async (c) => {
    const principal = await principalOf(c);
    if (principal instanceof Response) return principal;
    const id = c.req.param("id");
    const view = (await ownedBatch(c, principal, id)) ? await batchStub(c, id).cancel() : null;
    return view ? c.json(view) : openAiError(c, 404, `No batch found with id '${id}'.`, "invalid_request_error", null, "batch_id");
  });

/**
 * `POST /webhooks/runpod?job=<batch>.<item>.<secret>`: RunPod's job webhook. Answers 400 (malformed),
 * 404 (no such batch) or 401 (a token that is not the item's current one: forged or replayed), and 200 once
 * the job's outcome is applied; only 2xx stops RunPod's retries.
 */
export const runpodWebhookRoutes = new Hono<AppEnv>().post("/runpod", api({ tag: "Webhooks", summary: "RunPod job webhooks for batch items (?job= carries the item's signed token)", auth: "signature", errors: "api" }), async (c) => {
  const token = parseWebhookToken(c.req.query("job"));
  if (!token) return c.json({ error: { code: "invalid_token", message: "Missing or malformed job token" } }, 400);
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return c.json({ error: { code: "invalid_body", message: "The body is not JSON" } }, 400);
  }
  const exists = await c.env.DB.prepare("select 1 as ok from batch where id = ?").bind(token.batchId).first();
  if (!exists) return c.json({ error: { code: "not_found", message: "No such batch" } }, 404);
  const res = await c.env.BATCHES.get(c.env.BATCHES.idFromName(token.batchId)).webhook(token.index, token.secret, body);
  return c.json(res.status === 200 ? { ok: true } : { error: { code: res.status === 404 ? "not_found" : "invalid_token", message: res.message } }, res.status);
});

