import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../workers/index";
import { BRANDS } from "../../workers/brand/brands";
import { buildDocument, describedRoutes, openApiPath, operationsOf, undocumented, type OpenApiDocument } from "../../workers/openapi/document";

/**
 * The OpenAPI document against the app it describes: every route hono serves (method + path, pure `use()`
 * middleware aside) carries an `api()` description, every documented operation reaches a route (no
 * "No route for"), and operation ids are unique. The document's validity against the official OpenAPI 3.1
 * schema and the forbidden-request checks run in test/e2e/openapi.test.ts (the validator reads its schemas
 * from disk, which workerd cannot).
 */
const doc: OpenApiDocument = buildDocument(app.routes, BRANDS.swaggystacks, "http://localhost");
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, op: op as Record<string, unknown> })),
  );

describe("the OpenAPI document covers the app", () => {
  it("every route has a description (a route added without api() fails here)", () => {
    expect(undocumented(app.routes)).toEqual([]);
    // The test would be empty if the walk found nothing: the app has well over a hundred operations.
    expect(describedRoutes(app.routes).length).toBeGreaterThan(80);
  });

  it("a route without a description is reported", () => {
    const extra = [...app.routes, { method: "GET", path: "/api/not-described", handler: () => new Response("x") }];
    expect(undocumented(extra)).toEqual(["GET /api/not-described"]);
  });

  it("every route appears in the document with its method and path", () => {
    for (const route of describedRoutes(app.routes)) {
      for (const op of operationsOf(route)) {
        expect(doc.paths[op.path]?.[op.method.toLowerCase()], `${op.method} ${op.path} (from ${route.method} ${route.path})`).toBeDefined();
      }
    }
    // Spot checks of the contract (DESIGN.md) and of the paths that need care.
    for (const [m, p] of [
      ["post", "/api/keys"],
      ["delete", "/api/keys/{id}"],
      ["get", "/api/deployments/estimate"],
      ["patch", "/api/deployments/{id}"],
      ["post", "/v1/chat/completions"],
      ["post", "/v1/messages"],
      ["post", "/v1/messages/count_tokens"],
      ["get", "/v1/models"],
      ["post", "/v1/embeddings"],
      ["post", "/v1beta/models/{model}:generateContent"],
      ["post", "/v1beta/models/{model}:streamGenerateContent"],
      ["post", "/v1/batches"],
      ["post", "/mcp"],
      ["post", "/api/auth/sign-in/email"],
      ["post", "/api/auth/{path}"],
      ["post", "/webhooks/stripe"],
      ["post", "/webhooks/runpod"],
      ["post", "/webhooks/huggingface"],
      ["get", "/.well-known/oauth-authorization-server"],
      ["get", "/ide/setup/{token}"],
      ["get", "/manifest.webmanifest"],
      ["get", "/brand/logo"],
      ["get", "/api/openapi.json"],
      ["get", "/docs"],
    ] as const) {
      expect(doc.paths[p]?.[m], `${m} ${p}`).toBeDefined();
    }
  });

  it("operation ids are unique and every operation has a summary, a tag and responses", () => {
    const ids = operations().map((o) => o.op.operationId as string);
    expect(ids.length).toBeGreaterThan(100);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { method, path, op } of operations()) {
      expect(typeof op.summary === "string" && op.summary.length > 3, `${method} ${path} summary`).toBe(true);
      expect((op.tags as string[]).length, `${method} ${path} tags`).toBe(1);
      expect(Object.keys(op.responses as object).length, `${method} ${path} responses`).toBeGreaterThan(0);
    }
  });

  it("every $ref resolves inside the document", () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const r of refs) {
      const ref = r.slice(8, -1);
      expect(ref.startsWith("#/components/schemas/"), ref).toBe(true);
      expect(doc.components.schemas[ref.slice(21)], ref).toBeDefined();
    }
  });

  it("hono paths become OpenAPI templates", () => {
    expect(openApiPath("/api/keys/:id")).toBe("/api/keys/{id}");
    expect(openApiPath("/api/collections/:id/items/:owner/:name")).toBe("/api/collections/{id}/items/{owner}/{name}");
    expect(openApiPath("/api/auth/*")).toBe("/api/auth/{path}");
    expect(openApiPath("/api/brand/")).toBe("/api/brand");
  });

  it("every documented operation is served: none falls through to the app's 404", { timeout: 60_000 }, async () => {
    const fill = (path: string) =>
      path
        .replace("{model}", "openai%2Fgpt-4o-mini")
        .replace("{path}", "ok")
        .replace(/\{[^}]+\}/g, "x");
    let checked = 0;
    for (const { method, path } of operations()) {
      if (method === "HEAD" || method === "OPTIONS") continue;
      // Side effects are avoided: no credentials, no body; a 4xx from the route itself is what is expected.
      const res = await SELF.fetch(`http://localhost${fill(path)}`, { method, redirect: "manual" });
      const text = await res.text();
      expect(text.includes('"No route for'), `${method} ${path} -> ${res.status} ${text.slice(0, 200)}`).toBe(false);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });
});
