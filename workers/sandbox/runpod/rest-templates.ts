import { Hono } from "hono";
import type { SandboxAppEnv } from "../env";
import { stableId } from "../lib/text";
import { ENDPOINT_NS, type EndpointRecord } from "./endpoint";
import { badJson, methodNotAllowed, notFound, problem, readJson, validationFailed } from "./http";
import { createTemplateRequest, updateTemplateRequest } from "./schemas";
import { docStore } from "./store";
import { buildTemplate, patchTemplate, TEMPLATE_NS, type Template } from "./template";
import { check } from "./validation";

/** REST v2 `/templates` (mounted by runpod-rest.ts behind its auth and rate-limit headers). */
export const templateRoutes = new Hono<SandboxAppEnv>()
  .get("/", async (c) => {
    const templates = await docStore(c.env).listDocs<Template & { seq?: number }>(TEMPLATE_NS);
    templates.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    return c.json({ templates: templates.map(({ seq: _seq, ...t }) => t) });
  })
  .post("/", async (c) => {
    const body = await readJson(c.req.raw);
    if (!body.ok) return badJson();
    const input = check(createTemplateRequest, body.value);
    if (!input.ok) return validationFailed(input.errors);
    const store = docStore(c.env);
    const seq = await store.nextSeq(TEMPLATE_NS);
    const template = buildTemplate(stableId(`template:${seq}`, 10), input.value);
    await store.putDoc(TEMPLATE_NS, template.id, { ...template, seq });
    return c.json(template, 201);
  })
  .get("/:id", async (c) => {
    const t = await docStore(c.env).getDoc<Template & { seq?: number }>(TEMPLATE_NS, c.req.param("id"));
    if (!t) return notFound();
    const { seq: _seq, ...template } = t;
    return c.json(template);
  })
  .patch("/:id", async (c) => {
    const store = docStore(c.env);
    const current = await store.getDoc<Template & { seq?: number }>(TEMPLATE_NS, c.req.param("id"));
    if (!current) return notFound();
    const body = await readJson(c.req.raw);
    if (!body.ok) return badJson();
    const input = check(updateTemplateRequest, body.value);
    if (!input.ok) return validationFailed(input.errors);
    const { seq, ...template } = current;
    const next = patchTemplate(template, input.value);
    await store.putDoc(TEMPLATE_NS, next.id, { ...next, seq });
    return c.json(next);
  })
  .delete("/:id", async (c) => {
    const store = docStore(c.env);
    const id = c.req.param("id");
    if (!(await store.getDoc(TEMPLATE_NS, id))) return notFound();
    const endpoints = await store.listDocs<EndpointRecord>(ENDPOINT_NS);
    if (endpoints.some((e) => e.templateId === id)) return problem(400, "Template is in use by a pod or serverless endpoint and cannot be deleted");
    await store.deleteDoc(TEMPLATE_NS, id);
    return c.body(null, 204);
  })
  .all("/", () => methodNotAllowed("GET, POST"))
  .all("/:id", () => methodNotAllowed("GET, PATCH, DELETE"));
