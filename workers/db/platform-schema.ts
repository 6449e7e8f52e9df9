import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organization, user } from "./auth-schema";

const stamp = (name: string) =>
  integer(name, { mode: "timestamp_ms" })
    .default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`)
    .notNull();
const createdAt = () => stamp("created_at");
const updatedAt = () => stamp("updated_at");

/**
 * API keys for the bridge. Only the SHA-256 of a key is stored (with a display prefix); the key itself is
 * shown once at creation. A key belongs to a workspace (whose budget pays) and was created by a member.
 * Owned by workers/keys/.
 */
export const apiKey = sqliteTable(
  "api_key",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull().unique(),
    /** Optional per-key limits; null = only the workspace's own limits apply. */
    rpm: integer("rpm"),
    tpm: integer("tpm"),
    monthlyTokens: integer("monthly_tokens"),
    /** JSON array of model names or globs this key may call; null = any. */
    allowedModels: text("allowed_models"),
    /** JSON array of scopes (workers/keys/scopes.ts); null for keys made before scopes: bridge only. */
    scopes: text("scopes"),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("api_key_workspace_idx").on(t.workspaceId, t.createdAt)],
);

/** A workspace's bridge map: JSON array of {match, targets}. Owned by workers/gateway/bridge-map.ts. */
export const bridgeMap = sqliteTable("bridge_map", {
  workspaceId: text("workspace_id")
    .primaryKey()
    .references(() => organization.id, { onDelete: "cascade" }),
  rules: text("rules").notNull(),
  updatedBy: text("updated_by").references(() => user.id, { onDelete: "set null" }),
  updatedAt: updatedAt(),
});

/**
 * The usage ledger: one row per bridge call, written by the BudgetObject's outbox (idempotent by id).
 * Raw rows are kept bounded by the scheduled prune; the roll-up below is what dashboards read.
 */
export const usageEvent = sqliteTable(
  "usage_event",
  {
    id: text("id").primaryKey(),
    at: integer("at").notNull(),
    workspaceId: text("workspace_id").notNull(),
    keyId: text("key_id"),
    requestedModel: text("requested_model").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    cachedInputTokens: integer("cached_input_tokens").notNull().default(0),
    costMicros: integer("cost_micros").notNull(),
    savingsMicros: integer("savings_micros").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    status: text("status").notNull(),
  },
  (t) => [index("usage_event_workspace_at_idx").on(t.workspaceId, t.at)],
);

/** Usage aggregated on write by day, provider, model and key (key_id '' = no key). */
export const usageDaily = sqliteTable(
  "usage_daily",
  {
    workspaceId: text("workspace_id").notNull(),
    day: text("day").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    keyId: text("key_id").notNull(),
    requests: integer("requests").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    costMicros: integer("cost_micros").notNull(),
    savingsMicros: integer("savings_micros").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.provider, t.model, t.keyId] })],
);

/**
 * A workspace's plan. No row = Free. Enterprise carries its custom monthly token limit (null = no cap),
 * set by platform admins. Owned by workers/budgets/plans.ts (billing changes it when Stripe says so).
 */
export const workspacePlan = sqliteTable("workspace_plan", {
  workspaceId: text("workspace_id")
    .primaryKey()
    .references(() => organization.id, { onDelete: "cascade" }),
  plan: text("plan").notNull(),
  monthlyTokens: integer("monthly_tokens"),
  updatedAt: updatedAt(),
});

/**
 * The audit log: append-only, one hash chain per workspace (see workers/audit/chain.ts). The primary key
 * (workspace_id, seq) is what keeps a chain from forking: two appends that raced to the same seq cannot
 * both land, and the loser retries on the new head (workers/audit/store.ts). No foreign keys on purpose:
 * entries outlive the users and keys they name (a deleted account's changes to a shared workspace stay
 * on record). `at` is plain epoch ms because it is hashed as a number. Owned by workers/audit/.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    workspaceId: text("workspace_id").notNull(),
    seq: integer("seq").notNull(),
    at: integer("at").notNull(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    /** e.g. key.create, member.role_change, plan.change */
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** Canonical JSON (sorted keys) of the target before and after the change; null when there is none. */
    before: text("before"),
    after: text("after"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.seq] }),
    index("audit_log_workspace_at_idx").on(t.workspaceId, t.at),
    index("audit_log_actor_idx").on(t.actorId, t.at),
  ],
);

/**
 * A workspace's own provider credentials (bring your own key), sealed with AES-GCM under ENCRYPTION_KEY and
 * bound to the workspace id; never returned after saving (only the last four characters are shown).
 * Owned by workers/byok/.
 */
export const providerKey = sqliteTable(
  "provider_key",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    /** openai | anthropic | google | runpod */
    provider: text("provider").notNull(),
    sealedKey: text("sealed_key").notNull(),
    last4: text("last4").notNull(),
    /** Optional endpoint (an OpenAI-compatible proxy, an Azure-style gateway); null = the provider's own. */
    baseUrl: text("base_url"),
    updatedBy: text("updated_by").references(() => user.id, { onDelete: "set null" }),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.provider] })],
);

/**
 * RunPod deployments, mirrored from each one's DeployObject (whose stored record is the truth) so lists,
 * the bridge's `runpod/<name>` lookup and the reconcile job can read them with one query. `rev` is the
 * DeployObject's revision: a mirror write only lands when it is newer than the row, so a late retry of
 * an older write never rolls a deployment back. A name is unique among a workspace's live deployments
 * (deleted and failed ones free it); an idempotency key makes a retried POST return the same deployment.
 * Owned by workers/deploy/.
 */
export const deployment = sqliteTable(
  "deployment",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    /** Hugging Face repo id */
    model: text("model").notNull(),
    engine: text("engine").notNull(),
    /** planned | creating | initializing | ready | failed | deleting | deleted */
    state: text("state").notNull(),
    rev: integer("rev").notNull(),
    endpointId: text("endpoint_id"),
    servedModel: text("served_model").notNull(),
    gpuPool: text("gpu_pool").notNull(),
    gpuCount: integer("gpu_count").notNull(),
    workersMin: integer("workers_min").notNull(),
    workersMax: integer("workers_max").notNull(),
    /** The deployment's price per million tokens in micro-dollars (JSON Price), what the bridge bills. */
    price: text("price").notNull(),
    /** GPU price of one worker, micro-dollars per second. */
    workerMicrosPerSecond: integer("worker_micros_per_second").notNull(),
    error: text("error"),
    idempotencyKey: text("idempotency_key"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    readyAt: integer("ready_at", { mode: "timestamp_ms" }),
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("deployment_workspace_idx").on(t.workspaceId, t.createdAt),
    index("deployment_state_idx").on(t.state, t.updatedAt),
    uniqueIndex("deployment_live_name_idx").on(t.workspaceId, t.name).where(sql`state not in ('deleted', 'failed')`),
    uniqueIndex("deployment_idempotency_idx").on(t.workspaceId, t.idempotencyKey),
  ],
);

/** Every state transition of a deployment, with its time and why (the DeployObject's history, mirrored). */
export const deploymentEvent = sqliteTable(
  "deployment_event",
  {
    deploymentId: text("deployment_id")
      .notNull()
      .references(() => deployment.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    at: integer("at").notNull(),
    state: text("state").notNull(),
    note: text("note").notNull(),
  },
  (t) => [primaryKey({ columns: [t.deploymentId, t.seq] })],
);

/**
 * The Hugging Face Hub catalog mirror: one row per model, synced by workers/catalog/sync.ts (backfill +
 * incremental by last-modified) and on demand. Searchable through the FTS5 table `hf_model_fts` (id,
 * author, tags; created by hand in migrations/0005_catalog.sql because drizzle-kit does not write
 * virtual tables) and filtered/sorted through the indexes below. `seen_pass` is the backfill pass that
 * last saw the model: a completed pass deletes rows an earlier pass saw and this one did not.
 * Owned by workers/catalog/.
 */
export const hfModel = sqliteTable(
  "hf_model",
  {
    /** rowid alias: FTS5's external content is keyed by it. */
    rowid: integer("rowid").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    author: text("author").notNull(),
    task: text("task"),
    library: text("library"),
    license: text("license"),
    /** Space-separated, for FTS and display. */
    tags: text("tags").notNull(),
    /**
     * " tok1 tok2 … " of id, author and tags, lowercased and split as the FTS tokenizer splits: broad
     * searches walk a sort index and test words with instr() on this instead of collecting every match.
     */
    searchText: text("search_text").notNull(),
    downloads: integer("downloads").notNull(),
    likes: integer("likes").notNull(),
    trending: integer("trending").notNull(),
    createdAt: integer("created_at"),
    modifiedAt: integer("modified_at"),
    /** 0 open, 1 auto, 2 manual */
    gated: integer("gated").notNull(),
    params: integer("params"),
    contextLength: integer("context_length"),
    architecture: text("architecture"),
    /** tiny | small | medium | large | huge | unknown (workers/catalog/categories.ts) */
    sizeBucket: text("size_bucket").notNull(),
    /** Comma-wrapped category ids (",chat,code,"), mirrored into hf_model_category for browsing. */
    categories: text("categories").notNull(),
    /** Bitmask: 1 vLLM can serve it, 2 SGLang can. */
    deployable: integer("deployable").notNull(),
    seenPass: integer("seen_pass").notNull(),
    syncedAt: integer("synced_at").notNull(),
  },
  (t) => [
    index("hf_model_downloads_idx").on(t.downloads),
    index("hf_model_likes_idx").on(t.likes),
    index("hf_model_trending_idx").on(t.trending),
    index("hf_model_modified_idx").on(t.modifiedAt),
    index("hf_model_task_idx").on(t.task, t.downloads),
    index("hf_model_author_idx").on(t.author, t.downloads),
    index("hf_model_library_idx").on(t.library, t.downloads),
    index("hf_model_license_idx").on(t.license, t.downloads),
    index("hf_model_size_idx").on(t.sizeBucket, t.downloads),
    index("hf_model_seen_idx").on(t.seenPass),
  ],
);

/** A model's user-facing categories, one row each, with its downloads so a category browses in order. */
export const hfModelCategory = sqliteTable(
  "hf_model_category",
  {
    category: text("category").notNull(),
    modelId: text("model_id").notNull(),
    downloads: integer("downloads").notNull(),
  },
  (t) => [primaryKey({ columns: [t.category, t.modelId] }), index("hf_model_category_browse_idx").on(t.category, t.downloads)],
);

/** Sync bookkeeping: where a backfill stopped (its next page URL) and the incremental watermark. */
export const catalogSync = sqliteTable("catalog_sync", {
  /** backfill | incremental */
  id: text("id").primaryKey(),
  pass: integer("pass").notNull(),
  /** The Hub's next-page URL to resume from; null = start a new pass. */
  cursor: text("cursor"),
  /** Highest lastModified seen (incremental) in epoch ms. */
  watermark: integer("watermark"),
  seen: integer("seen").notNull(),
  upserted: integer("upserted").notNull(),
  skipped: integer("skipped").notNull(),
  deleted: integer("deleted").notNull(),
  startedAt: integer("started_at"),
  finishedAt: integer("finished_at"),
  error: text("error"),
  updatedAt: updatedAt(),
});

/** The platform's own popularity: requests and deployments in the last 7 days per Hub model, across workspaces. */
export const modelPopularity = sqliteTable("model_popularity", {
  modelId: text("model_id").primaryKey(),
  requests7d: integer("requests_7d").notNull(),
  deployments7d: integer("deployments_7d").notNull(),
  updatedAt: updatedAt(),
});

/** A user's favorite models, with an optional note. Owned by workers/catalog/collections/. */
export const favorite = sqliteTable(
  "favorite",
  {
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    modelId: text("model_id").notNull(),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.modelId] })],
);

/**
 * Collections of models: a user's own (`workspace_id` null, private) or a workspace's shared one, which its
 * members read and admins/owners (and the collection's creator) change. Owned by workers/catalog/collections/.
 */
export const collection = sqliteTable(
  "collection",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").references(() => organization.id, { onDelete: "cascade" }),
    ownerId: text("owner_id").references(() => user.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("collection_workspace_idx").on(t.workspaceId), index("collection_owner_idx").on(t.ownerId)],
);

export const collectionItem = sqliteTable(
  "collection_item",
  {
    collectionId: text("collection_id")
      .notNull()
      .references(() => collection.id, { onDelete: "cascade" }),
    modelId: text("model_id").notNull(),
    note: text("note"),
    addedBy: text("added_by").references(() => user.id, { onDelete: "set null" }),
    addedAt: stamp("added_at"),
  },
  (t) => [primaryKey({ columns: [t.collectionId, t.modelId] })],
);

/**
 * One-time IDE setup links (the QR code on the phone). The token itself is never stored, only its
 * SHA-256; a link is redeemed once (`used_at` set by a conditional update) before it expires, and the key
 * it minted is recorded so it can be shown and revoked. Owned by workers/ide/links.ts.
 */
export const ideLink = sqliteTable(
  "ide_link",
  {
    hash: text("hash").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    client: text("client").notNull(),
    /** JSON array of the scopes the minted key gets. */
    scopes: text("scopes").notNull(),
    templateId: text("template_id"),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    keyId: text("key_id"),
  },
  (t) => [index("ide_link_user_idx").on(t.userId, t.createdAt)],
);

/** A workspace's shared IDE setup (server name, models): what its members' generated configs use. */
export const ideTemplate = sqliteTable(
  "ide_template",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** JSON: { serverName?, models: { main, fast, openai, gemini }, scopes? } */
    settings: text("settings").notNull(),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("ide_template_name_idx").on(t.workspaceId, t.name)],
);

/**
 * MCP sessions of the 2025 protocol revisions (initialize → Mcp-Session-Id). Workers isolates are not
 * sticky, so the session is a row: which credential opened it, the negotiated revision, and when it was
 * last used (idle sessions expire). Owned by workers/mcp/sessions.ts.
 */
export const mcpSession = sqliteTable(
  "mcp_session",
  {
    id: text("id").primaryKey(),
    credentialId: text("credential_id").notNull(),
    workspaceId: text("workspace_id").notNull(),
    protocolVersion: text("protocol_version").notNull(),
    clientName: text("client_name"),
    createdAt: createdAt(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("mcp_session_seen_idx").on(t.lastSeenAt)],
);

/** A workspace's Stripe customer (one per workspace: the workspace pays). Owned by workers/billing/. */
export const billingCustomer = sqliteTable("billing_customer", {
  workspaceId: text("workspace_id")
    .primaryKey()
    .references(() => organization.id, { onDelete: "cascade" }),
  customerId: text("customer_id").notNull().unique(),
  createdAt: createdAt(),
});

/**
 * A workspace's subscription as the Stripe webhooks last told it. `event_at` (the Stripe event's `created`,
 * seconds) orders updates: an older event never overwrites a newer state. `grace_until` is set when a
 * payment fails: the plan holds until then, and the cron moves the workspace to Free after it.
 */
export const billingSubscription = sqliteTable(
  "billing_subscription",
  {
    workspaceId: text("workspace_id")
      .primaryKey()
      .references(() => organization.id, { onDelete: "cascade" }),
    subscriptionId: text("subscription_id").notNull(),
    customerId: text("customer_id").notNull(),
    plan: text("plan").notNull(),
    interval: text("interval").notNull(),
    seats: integer("seats").notNull(),
    status: text("status").notNull(),
    cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull(),
    currentPeriodEnd: integer("current_period_end", { mode: "timestamp_ms" }),
    trialEnd: integer("trial_end", { mode: "timestamp_ms" }),
    graceUntil: integer("grace_until", { mode: "timestamp_ms" }),
    eventAt: integer("event_at").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("billing_subscription_id_idx").on(t.subscriptionId), index("billing_subscription_grace_idx").on(t.graceUntil)],
);

/** Stripe events already handled (idempotency on event id; a replay changes nothing). */
export const stripeEvent = sqliteTable("stripe_event", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  created: integer("created").notNull(),
  outcome: text("outcome").notNull(),
  receivedAt: createdAt(),
});

/**
 * Usage-based billing outbox: one row per billable usage event (its request id), reported to Stripe as a
 * meter event whose `identifier` is that id, so a retry can never bill twice. Owned by workers/billing/meter*.ts.
 */
export const meterReport = sqliteTable(
  "meter_report",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    meter: text("meter").notNull(),
    quantity: integer("quantity").notNull(),
    /** When the usage happened (epoch ms): the meter event's timestamp, so it lands in its own billing period. */
    usageAt: integer("usage_at"),
    /** Micro-dollars this line bills (cost plus markup), for the PWA's upcoming charge. */
    amountMicros: integer("amount_micros").notNull(),
    periodStart: text("period_start").notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("meter_report_status_idx").on(t.status, t.createdAt), index("meter_report_workspace_idx").on(t.workspaceId, t.periodStart)],
);

/**
 * An Enterprise workspace's own branding on its own hostname (workers/brand/white-label*.ts): the brand
 * middleware reads it for requests to that hostname, so the PWA, manifest and API speak as the customer.
 * One per workspace; a hostname belongs to one workspace.
 */
export const whiteLabel = sqliteTable(
  "white_label",
  {
    workspaceId: text("workspace_id").primaryKey(),
    hostname: text("hostname").notNull(),
    /** The built-in brand it starts from (its defaults and icons). */
    baseBrand: text("base_brand").notNull(),
    name: text("name").notNull(),
    tagline: text("tagline"),
    themeColor: text("theme_color").notNull(),
    backgroundColor: text("background_color").notNull(),
    /** The logo as a data URL (PNG or SVG, ≤ 64 KB), served from /brand/logo on the hostname. */
    logo: text("logo"),
    updatedBy: text("updated_by").notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("white_label_hostname_idx").on(t.hostname)],
);

// ---------------------------------------------------------------------------------------------------------
// Batch inference (issue 10, workers/batch/): the OpenAI-compatible Files and Batches APIs. A batch's
// BatchObject (one Durable Object per batch) is the truth; these rows are what listing reads.
// ---------------------------------------------------------------------------------------------------------

/** Files uploaded for batches and the output/error files batches write; the bytes live in R2 (`FILES`) at `r2Key`. */
export const batchFile = sqliteTable(
  "batch_file",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    /** "batch" (input), "batch_output" (output and error files). */
    purpose: text("purpose").notNull(),
    filename: text("filename").notNull(),
    bytes: integer("bytes").notNull(),
    r2Key: text("r2_key").notNull(),
    /** The batch that wrote it (output and error files). */
    batchId: text("batch_id"),
    createdAt: createdAt(),
  },
  (t) => [index("batch_file_workspace_idx").on(t.workspaceId, t.createdAt)],
);

/** A workspace's batches as their BatchObject last mirrored them (`view` is the OpenAI batch object, JSON). */
export const batchJob = sqliteTable(
  "batch",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    status: text("status").notNull(),
    inputFileId: text("input_file_id").notNull(),
    view: text("view").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("batch_workspace_idx").on(t.workspaceId, t.createdAt), index("batch_status_idx").on(t.status, t.updatedAt)],
);

// ---------------------------------------------------------------------------------------------------------
// Hugging Face Hub webhooks (issue 11, workers/catalog/hub-webhook*.ts): deliveries received, so a replayed
// delivery changes nothing and a stale one is recognised. Pruned after 7 days by the catalog cron.
// ---------------------------------------------------------------------------------------------------------

/** One delivery of POST /webhooks/huggingface; `id` = SHA-256 of the webhook id and the raw body. */
export const hubWebhookDelivery = sqliteTable(
  "hub_webhook_delivery",
  {
    id: text("id").primaryKey(),
    webhookId: text("webhook_id").notNull(),
    action: text("action").notNull(),
    scope: text("scope").notNull(),
    /** The repo's name as the delivery gives it (owner/name). */
    repo: text("repo").notNull(),
    /** The delivery's `repo.headSha`. */
    headSha: text("head_sha"),
    /** The Hub's head commit and lastModified (ms) as fetched and applied for this delivery. */
    hubSha: text("hub_sha"),
    hubModifiedAt: integer("hub_modified_at"),
    /** "processing" while it runs, then what it did (refreshed, deleted, moved, stale, ignored: …). */
    outcome: text("outcome").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [index("hub_webhook_delivery_repo_idx").on(t.repo, t.hubSha), index("hub_webhook_delivery_received_idx").on(t.receivedAt)],
);

// ---------------------------------------------------------------------------------------------------------
// Status page (issue 11, workers/status/): recorded health. The bridge tallies upstream attempts per
// provider and minute; the 5-minute cron turns them (and a probe of each upstream) into one sample per
// component. Samples are kept 90 days, tallies one day. Migration: migrations/0013_status.sql.
// ---------------------------------------------------------------------------------------------------------

/** One health sample per component and cron run: up | degraded | down over the 5 minutes before `at`. */
export const healthSample = sqliteTable(
  "health_sample",
  {
    /** platform | openai | anthropic | google | runpod | huggingface | stripe */
    component: text("component").notNull(),
    at: integer("at").notNull(),
    status: text("status").notNull(),
    /** Failed share of the bridge's attempts in the window; null without calls. */
    errorRate: real("error_rate"),
    latencyMs: integer("latency_ms"),
  },
  (t) => [primaryKey({ columns: [t.component, t.at] }), index("health_sample_at_idx").on(t.at), index("health_sample_status_at_idx").on(t.status, t.at)],
);

/** Upstream attempts per provider and minute (epoch minute), written by the bridge (one upsert per call). */
export const upstreamTally = sqliteTable(
  "upstream_tally",
  {
    provider: text("provider").notNull(),
    minute: integer("minute").notNull(),
    ok: integer("ok").notNull(),
    failed: integer("failed").notNull(),
    latencyMs: integer("latency_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.minute] }), index("upstream_tally_minute_idx").on(t.minute)],
);
