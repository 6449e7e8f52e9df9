import type { BudgetObject } from "./budgets/budget-object";
import type { DeployObject } from "./deploy/deploy-object";
import type { BatchObject } from "./batch/batch-object";
import type { NotifyObject } from "./notify/object";
import type { RateLimiter } from "./platform/rate-limiter";
import type { Workspace } from "./auth/workspaces";
import type { Brand } from "./brand/brands";
import type { Credential } from "./auth/credential";
import type { Observation } from "./observe/observation";

/** Every binding, var and secret the platform worker reads, declared once. */
export interface Env {
  DB: D1Database;
  KV: KVNamespace;
  /** MCP OAuth grants, clients and token hashes (@cloudflare/workers-oauth-provider's store). */
  OAUTH_KV: KVNamespace;
  ASSETS: Fetcher;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  BUDGETS: DurableObjectNamespace<BudgetObject>;
  DEPLOYMENTS: DurableObjectNamespace<DeployObject>;
  /** One per batch (workers/batch/): its items, their RunPod jobs, the alarm that drives them. */
  BATCHES: DurableObjectNamespace<BatchObject>;
  /** One per workspace (workers/notify/): the alarm that attempts its webhook and email deliveries. */
  NOTIFY: DurableObjectNamespace<NotifyObject>;
  /** Batch input, output and error files (R2; Miniflare's local R2 under `npm start`). */
  FILES: R2Bucket;
  /** Workers Analytics Engine dataset for per-request metrics (production); absent locally, where D1 stands in. */
  METRICS?: AnalyticsEngineDataset;

  BRAND?: string;
  SANDBOX_URL?: string;

  UPSTREAM_OPENAI_URL?: string;
  OPENAI_API_KEY?: string;
  UPSTREAM_ANTHROPIC_URL?: string;
  ANTHROPIC_API_KEY?: string;
  UPSTREAM_GEMINI_URL?: string;
  GEMINI_API_KEY?: string;
  RUNPOD_REST_URL?: string;
  RUNPOD_SERVERLESS_URL?: string;
  RUNPOD_API_KEY?: string;
  HF_HUB_URL?: string;
  HF_TOKEN?: string;
  /** Secret of the Hub webhook (`X-Webhook-Secret` on POST /webhooks/huggingface); unset: 503, except against the Hub stand-in. */
  HF_WEBHOOK_SECRET?: string;
  STRIPE_API_URL?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  /** Free trial of paid plans at checkout, in days (1-90); unset: no trial. */
  BILLING_TRIAL_DAYS?: string;
  /** Inference markup over cost on usage beyond a plan and on RunPod GPU time, in percent; default 20. */
  BILLING_MARKUP_PERCENT?: string;
  /** Paid plans may use this many times their included tokens on top (billed as usage); default 1. */
  BILLING_OVERAGE_FACTOR?: string;
  AUTH_SECRET?: string;
  ENCRYPTION_KEY?: string;
  ADMIN_EMAILS?: string;
  /** Longest wait for an upstream's response headers before falling back (ms). */
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS?: string;
  /**
   * "true" only in local development until API keys land (accounts issue): any non-empty key is accepted
   * as the local workspace. Unset in production, where the bridge refuses every key until then.
   */
  BRIDGE_OPEN_ACCESS?: string;
  /** Platform-wide default bridge map: JSON array of {match, targets}; organization maps take precedence. */
  BRIDGE_DEFAULT_RULES?: string;
  /** RunPod endpoints this platform makes are named "<prefix>-<deployment id>" (reconcile touches only those). */
  RUNPOD_ENDPOINT_PREFIX?: string;
  /** Timeout of one RunPod control-plane call (ms); default 10 s. */
  RUNPOD_TIMEOUT_MS?: string;
  /** Longest a deployment may stay initializing before it fails (ms); default 20 minutes. */
  DEPLOY_INIT_TIMEOUT_MS?: string;
  /** With no worker at all this long after the endpoint exists, send one warm-up job (ms); default 30 s. */
  DEPLOY_WARMUP_AFTER_MS?: string;
  /** Longest a bridge call waits for a scaled-to-zero deployment's cold start (ms); default 180 s. */
  RUNPOD_COLD_START_MAX_MS?: string;
  /** Batch API discount on the deployment's price, in percent (0-100); default 50. */
  BATCH_DISCOUNT_PERCENT?: string;
  /** Most RunPod jobs one batch keeps in flight per endpoint; default 32. */
  BATCH_MAX_IN_FLIGHT?: string;
  /** Attempts per batch item before it fails (RunPod job failures, lost jobs, 429/5xx on /run); default 3. */
  BATCH_MAX_ATTEMPTS?: string;
  /** Requests per minute per client on /api/* (flood guard); default 1200. */
  API_RATE_LIMIT_PER_MINUTE?: string;
  /** Outbound notification retry delays, comma-separated ms (first attempt first); default 0,5s,5m,30m,2h,5h,10h,10h. */
  NOTIFY_RETRY_SCHEDULE_MS?: string;
  /** Timeout of one outbound webhook attempt (ms); default 15000. */
  NOTIFY_TIMEOUT_MS?: string;
}

/** The signed-in user, as `requireSession()` sets it (workers/auth/middleware.ts). */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  image?: string | null;
  createdAt: Date;
}

/** The session behind the request (cookie or `Authorization: Bearer <session token>`). */
export interface SessionInfo {
  id: string;
  userId: string;
  expiresAt: Date;
  /** The workspace a client chose earlier (organization/set-active); `x-workspace-id` overrides it. */
  activeOrganizationId?: string | null;
}

/** The workspace a request acts in, as `requireWorkspace()` resolved and authorized it. */
export type WorkspaceContext = Workspace;

/** Per-request values set by middleware (`c.var`). Auth values exist only behind the auth middleware. */
export interface Vars {
  requestId: string;
  brand: Brand;
  user: SessionUser;
  session: SessionInfo;
  workspace: WorkspaceContext;
  /** Set when the request authenticated with an API key or MCP token instead of a session. */
  credential?: Credential;
  /** This hop's W3C traceparent (workers/platform/request-log.ts), passed on to upstreams. */
  traceparent: string;
  /** What handlers learn for the request log and metrics (workers/observe/observation.ts). */
  observation: Observation;
}

export interface AppEnv {
  Bindings: Env;
  Variables: Vars;
}
