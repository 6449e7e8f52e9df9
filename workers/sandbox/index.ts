import { Hono } from "hono";
import { anthropicRoutes } from "./anthropic";
import { controlRoutes } from "./control";
import type { SandboxAppEnv } from "./env";
import { geminiRoutes } from "./gemini";
import { huggingfaceRoutes } from "./huggingface";
import { serviceError } from "./lib/errors";
import { withFaults } from "./lib/faults-middleware";
import { openaiRoutes } from "./openai";
import { runpodRestRoutes } from "./runpod-rest";
import { runpodSandboxControls, runpodServerlessRoutes } from "./runpod-serverless";
import { stripeRoutes } from "./stripe";

export { SandboxState } from "./state";

/**
 * The sandbox worker: one origin (127.0.0.1:8790 under `npm start`) with each outside service mounted
 * under its own prefix, so the platform's base-URL configuration is all that differs from production.
 * Stripe sits at the root because its SDK cannot take a base path (api.stripe.com/v1/...).
 */
const app = new Hono<SandboxAppEnv>();

app.use("*", async (c, next) => {
  await next();
  c.res.headers.set("x-sandbox", "1");
});

app.route("/_control", controlRoutes);
app.route("/_sandbox/runpod", runpodSandboxControls); // GET /_sandbox/runpod/webhooks: job webhooks delivered

app.use("/openai/v1/*", withFaults("openai", "/openai/v1"));
app.route("/openai/v1", openaiRoutes);

app.use("/anthropic/*", withFaults("anthropic", "/anthropic"));
app.route("/anthropic", anthropicRoutes);

app.use("/gemini/*", withFaults("gemini", "/gemini"));
app.route("/gemini", geminiRoutes);

app.use("/runpod/v2/*", withFaults("runpod", "/runpod/v2"));
app.route("/runpod/v2", runpodRestRoutes);

app.use("/runpod-ai/v2/*", withFaults("runpod-serverless", "/runpod-ai/v2"));
app.route("/runpod-ai/v2", runpodServerlessRoutes);

app.use("/hf/*", withFaults("huggingface", "/hf"));
app.route("/hf", huggingfaceRoutes);

app.use("/v1/*", withFaults("stripe", ""));
app.route("/", stripeRoutes);

app.notFound((c) => {
  const path = new URL(c.req.url).pathname;
  if (path.startsWith("/openai/")) return serviceError("openai", 404, `Unknown request URL: ${c.req.method} ${path}`);
  if (path.startsWith("/anthropic/")) return serviceError("anthropic", 404, `Not found: ${path}`);
  if (path.startsWith("/gemini/")) return serviceError("gemini", 404, `Method not found: ${path}`);
  if (path.startsWith("/runpod/")) return serviceError("runpod", 404, "resource not found");
  if (path.startsWith("/runpod-ai/")) return serviceError("runpod-serverless", 404, "not found");
  if (path.startsWith("/hf/")) return serviceError("huggingface", 404, "Sorry, we can't find the page you are looking for.");
  if (path.startsWith("/v1/")) return serviceError("stripe", 404, `Unrecognized request URL (${c.req.method}: ${path}).`);
  return c.json({ error: { code: "not_found", message: `No sandbox route ${c.req.method} ${path}; see GET /_control` } }, 404);
});

app.onError((err, c) => {
  console.error("sandbox error", err);
  return c.json({ error: { code: "sandbox_internal", message: String(err) } }, 500);
});

export default app;
