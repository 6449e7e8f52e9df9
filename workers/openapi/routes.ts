import { Hono, type Context } from "hono";
import type { AppEnv } from "../env";
import { api } from "./describe";
import { docsPage } from "./docs-page";
import { documentFor, type RouteEntry } from "./document";

/**
 * GET /api/openapi.json: the OpenAPI 3.1 document of every route the app serves, for this brand and origin.
 * GET /docs: the same as a readable reference with code samples. Both read the mounted app's routes, so
 * they are made with a function that returns them (the app is only complete once everything is mounted).
 */
const docFor = (c: Context<AppEnv>, routes: () => readonly RouteEntry[]) => {
  const brand = c.var.brand;
  return documentFor(routes(), { id: brand.id, name: brand.name, hostname: brand.hostname, tagline: brand.tagline }, new URL(c.req.url).origin);
};

/** The rendered page per brand and origin, like the document it is made from (bounded: white-label hosts vary). */
const pages = new Map<string, string>();

export function openApiRoutes(routes: () => readonly RouteEntry[]) {
  return new Hono<AppEnv>()
    .get("/api/openapi.json", api({ tag: "Docs", summary: "This OpenAPI 3.1 document (per brand and origin)", auth: "none" }), (c) =>
      c.json(docFor(c, routes), 200, { "cache-control": "public, max-age=300", vary: "host", "access-control-allow-origin": "*" }),
    )
    .get(
      "/docs",
      api({ tag: "Docs", summary: "The API reference with code samples (HTML)", auth: "none", errors: "none", responses: { 200: { description: "HTML page", contentType: "text/html" } } }),
      (c) => {
        const brand = c.var.brand;
        const origin = new URL(c.req.url).origin;
        const key = JSON.stringify([brand.id, brand.name, brand.tagline, brand.themeColor, brand.backgroundColor, brand.defaults.model, origin]);
        let html = pages.get(key);
        if (!html) {
          html = docsPage(
            docFor(c, routes),
            { name: brand.name, tagline: brand.tagline, audience: brand.audience, themeColor: brand.themeColor, backgroundColor: brand.backgroundColor, defaultModel: brand.defaults.model },
            origin,
          );
          if (pages.size > 32) pages.clear();
          pages.set(key, html);
        }
        return c.html(html, 200, {
          "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
          "cache-control": "public, max-age=300",
          vary: "host",
        });
      },
    );
}
