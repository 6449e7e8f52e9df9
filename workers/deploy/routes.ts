import { Hono, type Context } from "hono";
import { z } from "zod";
import { audit } from "../audit/record";
import { requireWorkspace } from "../auth/middleware";
import type { AppEnv } from "../env";
import { AppError, badRequest } from "../errors";
import { api } from "../openapi/describe";
import { resolveUpstream } from "../platform/upstreams";
import { forgetWorkspaceRoutes } from "./registry";
import type { DeploymentRecord, ScalingSettings } from "./machine";
import type { Scaling } from "./planner";
import { createDeployment, deploymentStub, estimateFor, NAME_PATTERN, ownedRecord } from "./service";
import { listRows } from "./store";
import { checkPools, settingsOf } from "./scaling-settings";
import { deploymentListItem, deploymentView, scalingView } from "./view";

/**
 * /api/deployments: one-tap RunPod deploys for the active workspace. The estimate is open to anyone (it
 * is the price tag shown before signing up); everything else needs the workspace role that allows it.
 * Writes answer 202: the DeployObject does the work, and GET (or the SSE stream) shows it happen.
 */
const MODEL_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[\w.-]{1,96}$/;

const scalingInput = z
  .object({
    workersMin: z.number().int().min(0).max(10).optional(),
    workersMax: z.number().int().min(1).max(10).optional(),
    idleTimeoutSeconds: z.number().int().min(1).max(3600).optional(),
    scaler: z.enum(["QUEUE_DELAY", "REQUEST_COUNT"]).optional(),
    scalerValue: z.number().min(0.5).max(1000).optional(),
    flashboot: z.boolean().optional(),
  })
  .strict();

const createBody = z
  .object({
    model: z.string().regex(MODEL_ID, "a Hugging Face model id, owner/name"),
    name: z.string().regex(NAME_PATTERN, "lowercase letters, digits and dashes, 1-48 characters").optional(),
    engine: z.enum(["vllm", "sglang"]).optional(),
    gpu: z.string().min(1).max(40).optional(),
    gpuCount: z.number().int().min(1).max(8).optional(),
    scaling: scalingInput.optional(),
    settings: z
      .object({
        maxModelLen: z.number().int().min(256).max(1_048_576).optional(),
        /** For gated models: the caller's Hugging Face token (sealed at rest, handed only to RunPod). */
        hfToken: z.string().min(8).max(256).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Predictive scaling and GPU pool fallback (issue 10). */
const settingsInput = z
  .object({
    autoscale: z.enum(["off", "propose", "apply"]).optional(),
    costCeilingUsdPerMonth: z.number().min(0).max(1_000_000).nullable().optional(),
    pools: z.array(z.string().regex(/^[A-Z0-9_]{2,40}$/, "a RunPod serverless pool id such as AMPERE_24")).max(11).optional(),
    maxWorkerUsdPerHour: z.number().min(0).max(1000).nullable().optional(),
  })
  .strict();

const patchBody = z
  .object({ scaling: scalingInput.optional(), settings: settingsInput.optional() })
  .strict()
  .refine((b) => b.scaling !== undefined || b.settings !== undefined, "send scaling, settings or both");

const num = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number(v));
const estimateQuery = scalingInput.extend({
  model: z.string().regex(MODEL_ID, "a Hugging Face model id, owner/name"),
  engine: z.enum(["vllm", "sglang"]).optional(),
  gpu: z.string().min(1).max(40).optional(),
  gpuCount: z.number().int().min(1).max(8).optional(),
  maxModelLen: z.number().int().min(256).max(1_048_576).optional(),
});

function parseEstimateQuery(q: Record<string, string>) {
  const raw: Record<string, unknown> = { ...q };
  for (const k of ["gpuCount", "maxModelLen", "workersMin", "workersMax", "idleTimeoutSeconds", "scalerValue"]) if (k in raw) raw[k] = num(q[k]);
  if ("flashboot" in raw) raw.flashboot = q.flashboot === "true" ? true : q.flashboot === "false" ? false : q.flashboot;
  const parsed = estimateQuery.safeParse(raw);
  if (!parsed.success) throw badRequest("Invalid estimate query", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  return parsed.data;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function viewOf(c: Context<AppEnv>, rec: DeploymentRecord, callsMicros?: number) {
  const runtime = resolveUpstream(c.env as unknown as Record<string, unknown>, "runpodServerless");
  return deploymentView(rec, { origin: new URL(c.req.url).origin, runtimeBase: runtime.baseUrl, now: Date.now(), ...(callsMicros !== undefined ? { calls: { callsMicros } } : {}) });
}

/** What the deployment's calls through the bridge were billed (the usage roll-up keys them by endpoint/model). */
async function callsMicros(db: D1Database, rec: DeploymentRecord): Promise<number> {
  if (!rec.endpointId) return 0;
  const r = await db
    .prepare("SELECT coalesce(sum(cost_micros), 0) AS micros FROM usage_daily WHERE workspace_id = ? AND provider = 'runpod' AND model = ?")
    .bind(rec.workspaceId, `${rec.endpointId}/${rec.servedModel}`)
    .first<{ micros: number }>();
  return Number(r?.micros ?? 0);
}

const TERMINAL_FOR_STREAM = new Set(["ready", "deleted"]);
/** How long one wait on the DeployObject may last; the stream then sends a comment to keep the connection alive. */
const WATCH_MS = 15_000;
const STREAM_MAX_MS = 15 * 60_000;

export const deployRoutes = new Hono<AppEnv>()
  .get("/estimate", api({ tag: "Deployments", summary: "Plan and price a deployment of a Hub model (open to anyone)", auth: "none", query: estimateQuery, validate: false }), async (c) => {
    const q = parseEstimateQuery(c.req.query());
    const scaling = defined({ workersMin: q.workersMin, workersMax: q.workersMax, idleTimeoutSeconds: q.idleTimeoutSeconds, scaler: q.scaler, scalerValue: q.scalerValue, flashboot: q.flashboot });
    const { plan, estimate } = await estimateFor(c.env, q.model, defined({ engine: q.engine, gpu: q.gpu, gpuCount: q.gpuCount, maxModelLen: q.maxModelLen, scaling }));
    return c.json({ model: q.model, plan: { ...plan, env: undefined }, estimate }, 200, { "cache-control": "private, max-age=60" });
  })
  .get("/", requireWorkspace({ deployment: ["read"] }), api({ tag: "Deployments", summary: "List the workspace's deployments (?include=deleted)", auth: "workspace", query: z.object({ include: z.literal("deleted").optional() }), validate: false }), async (c) => {
    const rows = await listRows(c.env.DB, c.var.workspace.id, c.req.query("include") === "deleted");
    const origin = new URL(c.req.url).origin;
    return c.json({ deployments: rows.map((r) => deploymentListItem(r, origin)) });
  })
  .post("/", requireWorkspace({ deployment: ["create"] }), api({ tag: "Deployments", summary: "Deploy a Hugging Face model to RunPod serverless (Idempotency-Key honoured)", auth: "workspace", body: createBody, what: "deployment", responses: { 202: { description: "Accepted: the deployment, state planned" }, 200: { description: "The deployment an earlier request with this Idempotency-Key created" } } }), async (c) => {
    const body = c.req.valid("json");
    const idempotencyKey = c.req.header("idempotency-key")?.trim();
    if (idempotencyKey !== undefined && (idempotencyKey.length < 1 || idempotencyKey.length > 200)) throw badRequest("Idempotency-Key must be 1-200 characters");
    const result = await createDeployment(c.env, {
      workspaceId: c.var.workspace.id,
      userId: c.var.user.id,
      model: body.model,
      name: body.name,
      options: defined({ engine: body.engine, gpu: body.gpu, gpuCount: body.gpuCount, maxModelLen: body.settings?.maxModelLen, scaling: body.scaling }),
      hfToken: body.settings?.hfToken,
      idempotencyKey,
    });
    const view = viewOf(c, result.record);
    if (result.created) {
      await audit(c, { action: "deployment.create", target: { type: "deployment", id: view.id }, after: { name: view.name, model: view.model, engine: view.engine, gpu: view.gpu, scaling: view.scaling } });
    }
    return c.json(view, result.created ? 202 : 200, { location: `/api/deployments/${view.id}` });
  })
  .get("/:id", requireWorkspace({ deployment: ["read"] }), api({ tag: "Deployments", summary: "Read a deployment", auth: "workspace" }), async (c) => {
    const rec = await ownedRecord(c.env, c.var.workspace.id, c.req.param("id"));
    return c.json(viewOf(c, rec, await callsMicros(c.env.DB, rec)));
  })
  .get("/:id/scaling", requireWorkspace({ deployment: ["read"] }), api({ tag: "Deployments", summary: "A deployment's scaling settings and state", auth: "workspace" }), async (c) => {
    const rec = await ownedRecord(c.env, c.var.workspace.id, c.req.param("id"));
    return c.json(scalingView(rec));
  })
  .get("/:id/events", requireWorkspace({ deployment: ["read"] }), api({ tag: "Deployments", summary: "Live progress (server-sent events) until ready, failed or deleted", auth: "workspace", responses: { 200: { description: "An event stream of `deployment` events", contentType: "text/event-stream" } } }), async (c) => {
    // Live progress for the PWA: one `deployment` event per change, until ready, failed or deleted.
    // A change that lands while the previous event is being sent is still seen: watch() compares revisions.
    const first = await ownedRecord(c.env, c.var.workspace.id, c.req.param("id"));
    const stub = deploymentStub(c.env, first.id);
    const encoder = new TextEncoder();
    const started = Date.now();
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        let rev = -1;
        let rec: DeploymentRecord | null = first;
        try {
          while (rec && Date.now() - started < STREAM_MAX_MS) {
            if (rec.rev !== rev) {
              rev = rec.rev;
              controller.enqueue(encoder.encode(`event: deployment\nid: ${rec.rev}\ndata: ${JSON.stringify(viewOf(c, rec))}\n\n`));
            }
            if (TERMINAL_FOR_STREAM.has(rec.state) || (rec.state === "failed" && !rec.cleanup)) break;
            // Woken by the DeployObject's next commit (no polling); a quiet spell ends in a keep-alive.
            const next = (await stub.watch(rev, WATCH_MS)) as DeploymentRecord | null;
            if (next && next.rev === rev) controller.enqueue(encoder.encode(": waiting\n\n"));
            rec = next;
          }
          controller.enqueue(encoder.encode("event: end\ndata: {}\n\n"));
        } catch (err) {
          controller.enqueue(encoder.encode(`event: error\ndata: ${JSON.stringify({ message: String(err) })}\n\n`));
        }
        controller.close();
      },
    });
    return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" } });
  })
  .patch("/:id", requireWorkspace({ deployment: ["update"] }), api({ tag: "Deployments", summary: "Change a deployment's scaling or settings", auth: "workspace", body: patchBody, what: "scaling change", responses: { 202: { description: "Accepted" } } }), async (c) => {
    const rec = await ownedRecord(c.env, c.var.workspace.id, c.req.param("id"));
    const body = c.req.valid("json");
    const stub = deploymentStub(c.env, rec.id);
    let latest = rec;
    if (body.settings) {
      const before = settingsOf(rec);
      const settings: ScalingSettings = { ...before, ...defined(body.settings) };
      if (body.settings.pools?.length) {
        const problem = checkPools(body.settings.pools, rec.plan);
        if (problem) throw badRequest(problem);
      }
      const r = await stub.configure(settings);
      if (!r.ok) throw new AppError(409, "not_scalable", r.reason);
      latest = r.record as DeploymentRecord;
      await audit(c, { action: "deployment.settings", target: { type: "deployment", id: rec.id }, before, after: settings });
    }
    if (body.scaling) {
      const base = latest.pendingScaling ?? latest.plan.scaling;
      const scaling: Scaling = { ...base, ...defined(body.scaling) };
      if (scaling.workersMin > scaling.workersMax) throw badRequest(`workersMin (${scaling.workersMin}) exceeds workersMax (${scaling.workersMax})`);
      if (scaling.scaler === "REQUEST_COUNT") scaling.scalerValue = Math.max(1, Math.round(scaling.scalerValue));
      const r = await stub.scale(scaling);
      if (!r.ok) throw new AppError(409, "not_scalable", r.reason);
      latest = r.record as DeploymentRecord;
      await audit(c, { action: "deployment.scale", target: { type: "deployment", id: rec.id }, before: base, after: scaling });
    }
    return c.json(viewOf(c, latest), 202);
  })
  .delete("/:id", requireWorkspace({ deployment: ["delete"] }), api({ tag: "Deployments", summary: "Tear a deployment down", auth: "workspace", responses: { 202: { description: "Accepted: state deleting" } } }), async (c) => {
    const rec = await ownedRecord(c.env, c.var.workspace.id, c.req.param("id"));
    const after = (await deploymentStub(c.env, rec.id).remove()) as DeploymentRecord | null;
    if (!after) throw new AppError(404, "not_found", "No such deployment");
    forgetWorkspaceRoutes(rec.workspaceId);
    if (rec.state !== "deleting" && rec.state !== "deleted") {
      await audit(c, { action: "deployment.delete", target: { type: "deployment", id: rec.id }, before: { name: rec.name, model: rec.model, state: rec.state } });
    }
    return c.json(viewOf(c, after), 202);
  });
