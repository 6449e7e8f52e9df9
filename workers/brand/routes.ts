import { Hono } from "hono";
import type { AppEnv } from "../env";
import { api } from "../openapi/describe";
import { webManifest } from "./brands";

/** GET /api/brand: the brand this hostname serves, with its look and defaults (the PWA themes itself from it). */
export const brandRoutes = new Hono<AppEnv>().get("/", api({ tag: "Brand", summary: "The brand this hostname serves, with its look and defaults", auth: "none" }), (c) =>
  c.json(c.var.brand, 200, { "cache-control": "public, max-age=300", vary: "host" }),
);

/** GET /manifest.webmanifest: per-hostname, so each brand installs as its own app. */
export const manifestRoute = new Hono<AppEnv>().get("/", api({ tag: "Brand", summary: "The brand's web app manifest", auth: "none", errors: "none", responses: { 200: { description: "The manifest", contentType: "application/manifest+json" } } }), (c) =>
  c.body(JSON.stringify(webManifest(c.var.brand)), 200, {
    "content-type": "application/manifest+json",
    "cache-control": "public, max-age=300",
    vary: "host",
  }),
);
