import { Hono } from "hono";
import pkg from "../../package.json";
import type { AppEnv } from "../env";
import { api } from "../openapi/describe";
import { kvKeys } from "../kv";
import { resolveUpstreams, sandboxOrigin } from "../platform/upstreams";

type Check = "ok" | "error";

async function check(fn: () => Promise<unknown>): Promise<Check> {
  try {
    await fn();
    return "ok";
  } catch (err) {
    console.error("health check failed", err);
    return "error";
  }
}

export const healthRoutes = new Hono<AppEnv>().get("/", api({ tag: "Status", summary: "Health of D1, KV and the configured upstreams", auth: "none" }), async (c) => {
  const upstreams = resolveUpstreams(c.env as unknown as Record<string, unknown>);
  const [d1, kv] = await Promise.all([
    check(() => c.env.DB.prepare("select 1 as ok").first()),
    check(() => c.env.KV.get(kvKeys.healthProbe().key)),
  ]);
  const healthy = d1 === "ok" && kv === "ok";
  const sandbox = Object.values(upstreams).some((u) => u.mode === "sandbox");
  return c.json(
    {
      status: healthy ? "ok" : "degraded",
      version: pkg.version,
      brand: c.var.brand.id,
      time: new Date().toISOString(),
      sandbox,
      sandboxUrl: sandbox ? sandboxOrigin(c.env as unknown as Record<string, unknown>) : undefined,
      storage: { d1, kv },
      upstreams: Object.fromEntries(
        Object.values(upstreams).map((u) => [u.name, { mode: u.mode, url: u.baseUrl }]),
      ),
    },
    healthy ? 200 : 503,
    { "cache-control": "no-store" },
  );
});
