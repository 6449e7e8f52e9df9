import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { SandboxAppEnv } from "./env";
import { stableId } from "./lib/text";
import { buildEndpoint, ENDPOINT_NS, patchEndpoint, type EndpointRecord } from "./runpod/endpoint";
import { endpointView } from "./runpod/endpoint-view";
import { hasCapacity, poolHasCapacity } from "./runpod/capacity";
import { catalogEntry, findGpuType, GPU_TYPES, parseCatalogQuery } from "./runpod/gpus";
import { workersListing } from "./runpod/health";
import { bearerKey, badJson, methodNotAllowed, notFound, problem, readJson, validationFailed } from "./runpod/http";
import { jobCounts, jobNs, type JobRecord } from "./runpod/jobs";
import { RATE_LIMIT_POLICY, RateWindows } from "./runpod/ratelimit";
import { templateRoutes } from "./runpod/rest-templates";
import { configOf } from "./runpod/scaling";
import { createEndpointRequest, updateEndpointRequest } from "./runpod/schemas";
import { docStore } from "./runpod/store";
import { TEMPLATE_NS, type Template } from "./runpod/template";
import { check } from "./runpod/validation";

/**
 * RunPod REST v2 (https://api.runpod.io/v2), mounted at /runpod/v2: serverless endpoints, templates and
 * the GPU catalog, per reference/upstream-apis.md §1.2 and §1.9. Records live in the SandboxState
 * document store; ids come from a per-namespace sequence, so a fresh sandbox hands out the same ids.
 */

const windows = new RateWindows();

/** Bearer auth first (a 401 carries no rate-limit headers in the spec), then the RateLimit pair. */
const restAuth: MiddlewareHandler<SandboxAppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  if (!header) return problem(401, "missing bearer token");
  if (!bearerKey(header)) return problem(401, "malformed bearer token");
  await next();
  c.res.headers.set("RateLimit", windows.hit(Date.now()));
  c.res.headers.set("RateLimit-Policy", RATE_LIMIT_POLICY);
};

/** Where this sandbox serves the runtime API (api.runpod.ai/v2), for `requestUrls`. */
const runtimeBase = (c: Context<SandboxAppEnv>) => `${new URL(c.req.url).origin}/runpod-ai/v2`;

async function loadTemplate(c: Context<SandboxAppEnv>, id: string | undefined): Promise<Template | undefined | "missing"> {
  if (id === undefined) return undefined;
  const t = id ? await docStore(c.env).getDoc<Template>(TEMPLATE_NS, id) : undefined;
  return t ?? "missing";
}

export const runpodRestRoutes = new Hono<SandboxAppEnv>();

// "/x/*" also matches "/x" itself in Hono.
for (const path of ["/serverless/*", "/templates/*", "/catalog/*"]) runpodRestRoutes.use(path, restAuth);

runpodRestRoutes.route("/templates", templateRoutes);

runpodRestRoutes
  .get("/serverless", async (c) => {
    const records = await docStore(c.env).listDocs<EndpointRecord>(ENDPOINT_NS);
    records.sort((a, b) => a.seq - b.seq);
    const base = runtimeBase(c);
    return c.json({ endpoints: records.map((r) => endpointView(r, base)) });
  })
  .post("/serverless", async (c) => {
    const body = await readJson(c.req.raw);
    if (!body.ok) return badJson();
    const input = check(createEndpointRequest, body.value);
    if (!input.ok) return validationFailed(input.errors);
    const template = await loadTemplate(c, input.value.templateId);
    if (template === "missing") return problem(404, `template ${input.value.templateId} not found`);
    const store = docStore(c.env);
    const { runpodReadyDelayMs } = await store.getSettings();
    const now = Date.now();
    const built = buildEndpoint(input.value, { id: "", seq: 0, now, readyDelayMs: runpodReadyDelayMs, template });
    if (!built.ok) return problem(built.status, built.detail, built.errors);
    const seq = await store.nextSeq(ENDPOINT_NS);
    const record: EndpointRecord = { ...built.value, id: stableId(`endpoint:${seq}`, 14), seq };
    await store.putDoc(ENDPOINT_NS, record.id, record);
    return c.json(endpointView(record, runtimeBase(c)), 201);
  })
  .all("/serverless", () => methodNotAllowed("GET, POST"))
  .get("/serverless/:id", async (c) => {
    const record = await docStore(c.env).getDoc<EndpointRecord>(ENDPOINT_NS, c.req.param("id"));
    return record ? c.json(endpointView(record, runtimeBase(c))) : notFound();
  })
  .patch("/serverless/:id", async (c) => {
    const store = docStore(c.env);
    const record = await store.getDoc<EndpointRecord>(ENDPOINT_NS, c.req.param("id"));
    if (!record) return notFound();
    const body = await readJson(c.req.raw);
    if (!body.ok) return badJson();
    const input = check(updateEndpointRequest, body.value);
    if (!input.ok) return validationFailed(input.errors);
    const template = await loadTemplate(c, input.value.templateId);
    if (template === "missing") return problem(404, `template ${input.value.templateId} not found`);
    const patched = patchEndpoint(record, input.value, template);
    if (!patched.ok) return problem(patched.status, patched.detail, patched.errors);
    // Only the configuration is written: requests may have noted activity since `record` was read.
    const saved = await store.mergeDoc<EndpointRecord>(ENDPOINT_NS, record.id, configOf(patched.value));
    return saved ? c.json(endpointView(saved, runtimeBase(c))) : notFound();
  })
  .delete("/serverless/:id", async (c) => {
    const store = docStore(c.env);
    const id = c.req.param("id");
    if (!(await store.deleteDoc(ENDPOINT_NS, id))) return notFound();
    // Deleting an endpoint cancels its queued and running jobs: their records go with it.
    const jobs = await store.listDocs<JobRecord>(jobNs(id));
    await Promise.all(jobs.map((j) => store.deleteDoc(jobNs(id), j.id)));
    return c.body(null, 204);
  })
  .all("/serverless/:id", () => methodNotAllowed("GET, PATCH, DELETE"))
  .get("/serverless/:id/workers", async (c) => {
    const store = docStore(c.env);
    const record = await store.getDoc<EndpointRecord>(ENDPOINT_NS, c.req.param("id"));
    if (!record) return notFound();
    const now = Date.now();
    const counts = jobCounts(await store.listDocs<JobRecord>(jobNs(record.id)), now);
    return c.json(workersListing(record, now, counts.inProgress, hasCapacity(record, await store.getSettings())));
  })
  .all("/serverless/:id/workers", () => methodNotAllowed("GET"))
  .get("/catalog/gpus", async (c) => {
    const query = parseCatalogQuery(c.req.query());
    if (!query.ok) return problem(query.status, query.detail, query.errors);
    const settings = query.availability ? await docStore(c.env).getSettings() : {};
    return c.json({ gpus: GPU_TYPES.map((g) => catalogEntry(g, query, !g.pool || poolHasCapacity(g.pool, settings))) });
  })
  .get("/catalog/gpus/:id", async (c) => {
    const query = parseCatalogQuery(c.req.query());
    if (!query.ok) return problem(query.status, query.detail, query.errors);
    const gpu = findGpuType(c.req.param("id"));
    const settings = query.availability ? await docStore(c.env).getSettings() : {};
    return gpu ? c.json(catalogEntry(gpu, query, !gpu.pool || poolHasCapacity(gpu.pool, settings))) : notFound();
  });
