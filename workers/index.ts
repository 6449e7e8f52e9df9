import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { accountDataRoutes } from "./account/routes";
import { adminRoutes } from "./admin/routes";
import { auditRoutes } from "./audit/routes";
import { accountRoutes } from "./auth/routes";
import { brandRoutes, manifestRoute } from "./brand/routes";
import { logoRoute, whiteLabelRoutes } from "./brand/white-label-routes";
import type { AppEnv, Env } from "./env";
import { AppError, apiErrorResponse } from "./errors";
import { bridgeMapRoutes } from "./gateway/map-routes";
import { bridgeRoutes } from "./gateway/routes";
import { keyRoutes } from "./keys/routes";
import { providerKeyRoutes } from "./byok/routes";
import { pruneUsageEvents } from "./budgets/retention";
import { usageRoutes } from "./budgets/usage-routes";
import { reportRoutes } from "./reports/routes";
import { healthRoutes } from "./health/routes";
import { statusRoutes } from "./status/routes";
import { recordHealth } from "./status/record";
import { runReconcile } from "./deploy/reconcile-run";
import { runScalingCron } from "./deploy/scaling-run";
import { catalogRoutes } from "./catalog/routes";
import { runCatalogCron } from "./catalog/sync-run";
import { hubWebhookRoutes } from "./catalog/hub-webhook-routes";
import { deployRoutes } from "./deploy/routes";
import { costPolicyRoutes } from "./deploy/cost-policy-routes";
import { collectionRoutes, favoriteRoutes } from "./catalog/collections/routes";
import { brand, rateLimit, requestId, securityHeaders } from "./platform/middleware";
import { drainBody } from "./platform/drain";
import { requestLog } from "./platform/request-log";
import { loggingRoutes } from "./observe/routes";
import { pruneLocalMetrics } from "./observe/metrics";
import { ideRoutes, ideSetupPages } from "./ide/routes";
import { pairingRoutes } from "./ide/pairing";
import { billingAdminRoutes, billingRoutes, stripeWebhookRoutes } from "./billing/routes";
import { runMetering } from "./billing/meter-run";
import { endExpiredGrace } from "./billing/webhook";
import { handleMcp } from "./mcp/handler";
import { pruneSessions } from "./mcp/sessions";
import { oauthRoutes } from "./mcp/oauth-routes";
import { funnelRoutes } from "./funnel/routes";
import { playgroundRoutes } from "./playground/routes";
import { batchRoutes, runpodWebhookRoutes } from "./batch/routes";
import { resumeBatches } from "./batch/resume";
import { api } from "./openapi/describe";
import { openApiRoutes } from "./openapi/routes";
import { notificationRoutes } from "./notify/routes";
import { resumeNotifications } from "./notify/resume";

export { BudgetObject } from "./budgets/budget-object";
export { DeployObject } from "./deploy/deploy-object";
export { BatchObject } from "./batch/batch-object";
export { NotifyObject } from "./notify/object";
export { RateLimiter } from "./platform/rate-limiter";

/** Largest JSON body /api accepts; the bridge (/v1) sets its own, larger limit. */
const API_BODY_LIMIT = 1024 * 1024;

export const app = new Hono<AppEnv>();

app.use("*", requestId(), requestLog(), brand(), securityHeaders());

app.use(
  "/api/*",
  rateLimit({ bucket: "api", limit: (env) => Number(env.API_RATE_LIMIT_PER_MINUTE ?? 1200), windowMs: 60_000 }),
  bodyLimit({
    maxSize: API_BODY_LIMIT,
    onError: async (c) => {
      await drainBody(c.req.raw);
      throw new AppError(413, "payload_too_large", `Request body exceeds ${API_BODY_LIMIT} bytes`);
    },
  }),
);

app.route("/api/health", healthRoutes);
app.route("/api/status", statusRoutes); // issue 11: the public status page and the workspace's deployments
app.route("/api/brand", brandRoutes);
app.route("/api", accountRoutes); // /api/auth/* (better-auth), /api/me, /api/workspace
app.route("/manifest.webmanifest", manifestRoute);
app.route("/api/keys", keyRoutes);
app.route("/api/usage", usageRoutes);
app.route("/api/reports", reportRoutes);
app.route("/api/bridge", bridgeMapRoutes);
app.route("/api/provider-keys", providerKeyRoutes);
app.route("/api/audit", auditRoutes);
app.route("/api/notifications", notificationRoutes); // issue 11: webhook and email endpoints for platform events
app.route("/api/account", accountDataRoutes);
app.route("/api/admin", adminRoutes);
app.route("/api/deployments", deployRoutes);
app.route("/api/logging", loggingRoutes); // prompt logging opt-in (issue 11)
app.route("/api/cost-policy", costPolicyRoutes); // the workspace's autoscale mode and GPU ceilings (issue 10)
app.route("/api/favorites", favoriteRoutes);
app.route("/api/collections", collectionRoutes);
app.route("/api/models", catalogRoutes);
app.route("/api/ide/pair", pairingRoutes);
app.route("/api/billing", billingRoutes);
app.route("/api/admin/billing", billingAdminRoutes);
app.route("/webhooks", stripeWebhookRoutes);
app.route("/webhooks", runpodWebhookRoutes); // RunPod job webhooks for batch items (issue 10)
app.route("/webhooks", hubWebhookRoutes); // Hub repo webhooks refresh the catalog (issue 11)
app.route("/api", ideRoutes); // /api/ide-config, /api/ide/templates, /api/ide/links
app.route("/ide", ideSetupPages);
app.route("/api/funnel", funnelRoutes); // POST /api/funnel/visit (anonymous, first-party)
app.route("/api/white-label", whiteLabelRoutes); // an Enterprise workspace's branding on its own hostname
app.route("/brand/logo", logoRoute);
app.route("/api/playground", playgroundRoutes); // the PWA's chat: a session pays through the bridge pipeline
app.route("/", oauthRoutes); // /.well-known/oauth-*, /oauth/* (MCP authorization)
// The MCP tools call the platform's own routes, in process, with the caller's credential.
app.all("/mcp", api({ tag: "MCP", summary: "Remote MCP server (Streamable HTTP): POST JSON-RPC, GET the event stream, DELETE the session", auth: "oauth", errors: "none", methods: ["GET", "POST", "DELETE"] }), (c) => handleMcp(c, async (req) => app.fetch(req, c.env, c.executionCtx)));
app.route("/v1", batchRoutes); // /v1/files, /v1/batches: the OpenAI-compatible Batch API on RunPod (issue 10)
app.route("/", bridgeRoutes);
app.route("/", openApiRoutes(() => app.routes)); // issue 11: GET /api/openapi.json and /docs, read off the routes above

app.notFound((c) => apiErrorResponse(c, new AppError(404, "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`)));
app.onError((err, c) => apiErrorResponse(c, err));

export default {
  fetch: app.fetch,
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext) {
    // Each capability registers its periodic work here: usage retention, deploy reconcile, catalog sync.
    ctx.waitUntil(
      runCatalogCron(env, controller.scheduledTime).then(
        (r) => console.log(`scheduled ${controller.cron}: catalog`, JSON.stringify({ incremental: r.incremental, backfill: r.backfill, popular: r.popular })),
        (err) => console.error("catalog sync failed", err),
      ),
    );
    ctx.waitUntil(
      runReconcile(env, controller.scheduledTime).then(
        (r) => {
          const acted = r.deleteEndpoints.length + r.vanished.length + r.resume.length + r.errors.length;
          if (acted > 0) console.log(`scheduled ${controller.cron}: reconcile`, JSON.stringify(r));
        },
        (err) => console.error("deploy reconcile failed", err),
      ),
    );
    ctx.waitUntil(
      runScalingCron(env, controller.scheduledTime).then(
        (r) => (r.moves.length || r.proposals.length || r.errors.length) && console.log(`scheduled ${controller.cron}: deploy scaling`, JSON.stringify(r)),
        (err) => console.error("deploy scaling pass failed", err),
      ),
    );
    ctx.waitUntil(
      runMetering(env, controller.scheduledTime).then(
        (r) => (r.added || r.sent || r.failed) && console.log(`scheduled ${controller.cron}: metering`, JSON.stringify(r)),
        (err) => console.error("usage metering failed", err),
      ),
    );
    ctx.waitUntil(
      endExpiredGrace(env, controller.scheduledTime).then(
        (n) => n > 0 && console.log(`scheduled ${controller.cron}: ${n} workspaces back to Free after their grace period`),
        (err) => console.error("billing grace check failed", err),
      ),
    );
    ctx.waitUntil(
      pruneSessions(env.DB, controller.scheduledTime).then(
        (n) => n > 0 && console.log(`scheduled ${controller.cron}: pruned ${n} MCP sessions`),
        (err) => console.error("MCP session cleanup failed", err),
      ),
    );
    ctx.waitUntil(resumeBatches(env).catch((err) => console.error("batch resume failed", err))); // issue 10: re-arm unfinished batches
    ctx.waitUntil(resumeNotifications(env, controller.scheduledTime).catch((err) => console.error("notification resume failed", err))); // issue 11
    ctx.waitUntil(recordHealth(env, controller.scheduledTime).catch((err) => console.error("health sample failed", err))); // issue 11: status page
    ctx.waitUntil(pruneLocalMetrics(env.DB, controller.scheduledTime).catch((err) => console.error("local metrics retention failed", err))); // issue 11
    ctx.waitUntil(
      pruneUsageEvents(env.DB, controller.scheduledTime).then(
        (n) => n > 0 && console.log(`scheduled ${controller.cron}: pruned ${n} raw usage events`),
        (err) => console.error("usage retention failed", err),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
