import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, Browser, signUp, uniqueEmail, type SignedUp } from "./auth-client";
import { deployReady } from "./deploy-ready";
import { until } from "./wait";

/**
 * The Batch API end to end with the official openai SDK, on a platform of its own (so it can be restarted
 * mid-batch on the same storage): deploy a model to the RunPod stand-in, upload ~300 requests, inject
 * failures (503s on /run, jobs that end FAILED, webhooks that never come, requests the model refuses),
 * restart the platform half-way, then check every item is answered or failed with a reason, the output
 * file is complete and in input order, and each completed item is charged exactly once.
 */

// @ts-expect-error plain .mjs module shared with `npm start`
const { freePort, startPlatform } = await import("../../scripts/platform-server.mjs");

type Rows<T> = { results: T[] };
type Db = { prepare(sql: string): { bind(...params: unknown[]): { all<T>(): Promise<Rows<T>> } } };
type Server = { mf: { getD1Database(binding: string, worker: string): Promise<Db> }; platformUrl: string; sandboxUrl: string; dispose(): Promise<void> };

const storageDir = mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "llm-batch-e2e-"));
let ports: { port: number; sandboxPort: number };
let server: Server;
let platform = "";
let sandbox = "";
let alice: SignedUp;
let admin: SignedUp;
let client: OpenAI;
let endpointId = "";
const MODEL = "runpod/qwen2-5-0-5b-instruct";
const N = 300;
const BAD_EVERY = 50; // items 0, 50, 100, ... carry a body the model refuses (400)

async function start(): Promise<Server> {
  const s = (await startPlatform({ ...ports, persist: false, storageDir, bindings: { BATCH_MAX_IN_FLIGHT: "12", BATCH_MAX_ATTEMPTS: "3", ADMIN_EMAILS: "admin@batch.test" } })) as Server;
  platform = s.platformUrl;
  sandbox = s.sandboxUrl;
  return s;
}

async function usageEvents(batchId: string): Promise<{ id: string; cost_micros: number; input_tokens: number; output_tokens: number }[]> {
  const db = await server.mf.getD1Database("DB", "llm-platform");
  const { results } = await db.prepare("select id, cost_micros, input_tokens, output_tokens from usage_event where id like ?").bind(`${batchId}:item:%`).all<{ id: string; cost_micros: number; input_tokens: number; output_tokens: number }>();
  return results;
}

async function fault(rule: Record<string, unknown>) {
  const res = await fetch(`${sandbox}/_control/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
}

const jsonl = (lines: unknown[]) => lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";
const request = (i: number, model = MODEL) => ({
  custom_id: `req-${String(i).padStart(4, "0")}`,
  method: "POST",
  url: "/v1/chat/completions",
  body: i % BAD_EVERY === 0 ? { model, messages: "not a list" } : { model, messages: [{ role: "user", content: `Question number ${i}` }], max_tokens: 40 },
});

async function upload(text: string) {
  return client.files.create({ file: await toFile(Buffer.from(text), "input.jsonl"), purpose: "batch" });
}

const lines = (text: string) => text.split("\n").filter(Boolean).map((l) => JSON.parse(l));

beforeAll(async () => {
  ports = { port: await freePort(), sandboxPort: await freePort() };
  server = await start();
  await fetch(`${sandbox}/_control/settings`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ runpodReadyDelayMs: 300, runpodColdStartMs: 200 }) });
  alice = await signUp(uniqueEmail("batch-alice"), "Alice", new Browser(platform));
  // Pro: a few hundred requests fit its monthly tokens (Free's 10,000 would run out across the tests).
  admin = await signUp("admin@batch.test", "Admin", new Browser(platform));
  const plan = await apiCall(admin, "PUT", `/api/admin/users/${alice.userId}/plan`, { plan: "pro" });
  expect(plan.status, JSON.stringify(plan.body)).toBe(200);
  const key = (await apiCall(alice, "POST", "/api/keys", { name: "batch e2e" })).body.key as string;
  client = new OpenAI({ baseURL: `${platform}/v1`, apiKey: key, maxRetries: 0 });
  endpointId = (await deployReady(alice, { model: "Qwen/Qwen2.5-0.5B-Instruct", scaling: { workersMin: 1, workersMax: 2 } })).endpointId;
}, 60_000);

afterAll(async () => {
  await server?.dispose();
  rmSync(storageDir, { recursive: true, force: true });
});

describe("Batch API on RunPod", () => {
  it("runs ~300 items through injected failures and a platform restart: every item answered or failed with a reason, charged once, output in order", async () => {
    // RunPod misbehaves: some /run calls 503, some jobs end FAILED, some webhooks never come (poll fallback).
    await fault({ service: "runpod-serverless", match: { path: `/${endpointId}/run`, method: "POST" }, status: 503, probability: 0.08, seed: 11 });
    await fault({ service: "runpod-serverless", match: { path: `/${endpointId}/run`, method: "POST" }, jobError: "CUDA error: an illegal memory access was encountered", probability: 0.12, seed: 5 });
    await fault({ service: "runpod-serverless", match: { path: `/${endpointId}/run`, method: "POST" }, dropWebhook: true, probability: 0.08, seed: 3 });

    const input = await upload(jsonl(Array.from({ length: N }, (_, i) => request(i))));
    expect(input).toMatchObject({ object: "file", purpose: "batch", status: "processed" });
    const created = await client.batches.create({ input_file_id: input.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { run: "e2e" } });
    expect(["validating", "in_progress"]).toContain(created.status);
    expect(created.request_counts).toEqual({ total: N, completed: 0, failed: 0 });

    // Restart the platform (both workers, same storage) once part of the batch is done.
    const midway = await until(
      () => client.batches.retrieve(created.id),
      (b) => (b.request_counts?.completed ?? 0) + (b.request_counts?.failed ?? 0) >= 40 || b.status === "completed",
      30_000,
      100,
    );
    expect(midway.status).toBe("in_progress");
    expect(midway.request_counts!.completed + midway.request_counts!.failed).toBeLessThan(N);
    await server.dispose();
    server = await start();
    // Nobody asks about the batch: the BatchObject's stored alarm alone resumes it (its D1 mirror moves on).
    const mirrored = async () => {
      const db = await server.mf.getD1Database("DB", "llm-platform");
      const { results } = await db.prepare("select view from batch where id = ?").bind(created.id).all<{ view: string }>();
      const counts = (JSON.parse(results[0]!.view) as { request_counts: { completed: number; failed: number } }).request_counts;
      return counts.completed + counts.failed;
    };
    const before = await mirrored();
    expect(await until(mirrored, (n) => n > before, 15_000, 200)).toBeGreaterThan(before);

    const done = await until(
      () => client.batches.retrieve(created.id),
      (b) => b.status === "completed",
      45_000,
      250,
    );
    expect(done.status).toBe("completed");
    expect(done.request_counts!.total).toBe(N);
    expect(done.request_counts!.completed + done.request_counts!.failed).toBe(N);
    expect(done.metadata).toEqual({ run: "e2e" });
    expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at);

    const output = lines(await (await client.files.content(done.output_file_id!)).text());
    const errors = done.error_file_id ? lines(await (await client.files.content(done.error_file_id)).text()) : [];
    expect(output.length).toBe(done.request_counts!.completed);
    expect(errors.length).toBe(done.request_counts!.failed);
    // Complete, each item once, output in input order.
    const ids = [...output, ...errors].map((l) => l.custom_id).sort();
    expect(ids).toEqual(Array.from({ length: N }, (_, i) => request(i).custom_id));
    expect(output.map((l) => l.custom_id)).toEqual([...output.map((l) => l.custom_id)].sort());
    for (const l of output) {
      expect(l.error).toBeNull();
      expect(l.response.status_code).toBe(200);
      const n = Number(l.custom_id.slice(4));
      expect(l.response.body.choices[0].message.content).toContain(`Question number ${n}`);
      expect(l.response.body.model).toBe(MODEL);
    }
    // Every failure has a reason: the model's refusal, or why RunPod could not run it.
    for (const l of errors) {
      if (l.response) {
        expect(l.response.status_code).toBe(400);
        expect(l.response.body.error.message).toBeTruthy();
      } else {
        expect(l.error.code).toBeTruthy();
        expect(l.error.message).toBeTruthy();
      }
    }
    // The requests the model refuses fail with its 400 (unless RunPod failed them three times first).
    const badIds = Array.from({ length: N / BAD_EVERY }, (_, k) => request(k * BAD_EVERY).custom_id);
    const refused = errors.filter((l) => l.response?.status_code === 400).map((l) => l.custom_id);
    expect(refused.every((id) => badIds.includes(id))).toBe(true);
    expect(badIds.every((id) => errors.some((l) => l.custom_id === id))).toBe(true);
    expect(refused.length).toBeGreaterThanOrEqual(badIds.length - 2);
    expect(done.request_counts!.completed).toBeGreaterThan(N * 0.9);

    // One usage event per completed item (the ledger flush is asynchronous), at the batch discount.
    const events = await until(
      () => usageEvents(created.id),
      (e) => e.length >= output.length,
      10_000,
      200,
    );
    expect(events.length).toBe(output.length);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const completedIndexes = new Set(output.map((l) => Number(l.custom_id.slice(4))));
    const db = await server.mf.getD1Database("DB", "llm-platform");
    const [dep] = (await db.prepare("select price from deployment where endpoint_id = ?").bind(endpointId).all<{ price: string }>()).results;
    const price = JSON.parse(dep!.price) as { input: number; output: number };
    for (const e of events) {
      expect(completedIndexes.has(Number(e.id.split(":item:")[1]))).toBe(true);
      // BATCH_DISCOUNT_PERCENT defaults to 50: half the deployment's price, rounded up to whole micro-dollars.
      expect(e.cost_micros).toBe(Math.ceil((e.input_tokens * price.input + e.output_tokens * price.output) / 2 / 1_000_000));
      expect(e.input_tokens + e.output_tokens).toBeGreaterThan(0);
    }

    // The budget counted each item's tokens once (the ledger ids alone could hide a second charge).
    const usage = await apiCall(alice, "GET", "/api/usage");
    expect(usage.body.usedTokens).toBe(events.reduce((n, e) => n + e.input_tokens + e.output_tokens, 0));

    // Replayed webhooks (as RunPod retries them) and forged ones are refused and change nothing.
    const deliveries = (await (await fetch(`${sandbox}/_sandbox/runpod/webhooks?endpoint=${endpointId}`)).json()) as { deliveries: { url: string; body: unknown; status: string }[] };
    const delivered = deliveries.deliveries.filter((d) => d.status === "succeeded" && d.url.includes(created.id));
    expect(delivered.length).toBeGreaterThan(0);
    // Some answers came only through /status polls (dropped webhooks, and deliveries lost in the restart).
    const viaWebhook = delivered.filter((d) => (d.body as { status?: string }).status === "COMPLETED").length;
    expect(viaWebhook).toBeLessThan(output.length + refused.length);
    for (const d of delivered.slice(0, 5)) {
      const replay = await fetch(d.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(d.body) });
      expect(replay.status).toBe(401);
    }
    const sample = delivered[0]!;
    const forgedUrl = sample.url.replace(/\.[A-Za-z0-9_-]+$/, `.${"x".repeat(43)}`);
    expect((await fetch(forgedUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sample.body) })).status).toBe(401);
    expect((await fetch(`${platform}/webhooks/runpod?job=nope`, { method: "POST", body: "{}" })).status).toBe(400);
    expect((await fetch(`${platform}/webhooks/runpod?job=batch_000000000000000000000000.1.${"y".repeat(43)}`, { method: "POST", body: "{}" })).status).toBe(404);
    const after = await client.batches.retrieve(created.id);
    expect(after.request_counts).toEqual(done.request_counts);
    expect((await usageEvents(created.id)).length).toBe(events.length);
    expect((await apiCall(alice, "GET", "/api/usage")).body.usedTokens).toBe(usage.body.usedTokens);

    // The batch is listed.
    const list = await client.batches.list({ limit: 5 });
    expect(list.data.map((b) => b.id)).toContain(created.id);
  }, 120_000);

  it("cancels: what ran is kept, the rest is in the error file as cancelled", async () => {
    await fetch(`${sandbox}/_control/faults`, { method: "DELETE" });
    // Slow jobs down so the cancel lands while most items wait.
    await fault({ service: "runpod-serverless", match: { path: `/${endpointId}/run`, method: "POST" }, latencyMs: 300 });
    const input = await upload(jsonl(Array.from({ length: 60 }, (_, i) => request(i + 1))));
    const created = await client.batches.create({ input_file_id: input.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    const cancelling = await client.batches.cancel(created.id);
    expect(["cancelling", "cancelled"]).toContain(cancelling.status);
    const done = await until(
      () => client.batches.retrieve(created.id),
      (b) => b.status === "cancelled",
      20_000,
      200,
    );
    expect(done.status).toBe("cancelled");
    expect(done.cancelled_at).toBeTruthy();
    const errors = lines(await (await client.files.content(done.error_file_id!)).text());
    const output = done.output_file_id ? lines(await (await client.files.content(done.output_file_id)).text()) : [];
    expect(output.length + errors.length).toBe(60);
    expect(errors.some((l) => l.error?.code === "batch_cancelled")).toBe(true);
    await fetch(`${sandbox}/_control/faults`, { method: "DELETE" });
  }, 60_000);

  it("holds the workspace's budget: items it cannot pay for fail with insufficient_quota and never run", async () => {
    await fetch(`${sandbox}/_control/faults`, { method: "DELETE" });
    const bob = await signUp(uniqueEmail("batch-bob"), "Bob", new Browser(platform));
    const ws = (await apiCall(bob, "GET", "/api/workspace")).body.id as string;
    // 600 tokens a month: each item reserves its prompt and max_tokens (100) before RunPod sees it.
    expect((await apiCall(admin, "PUT", `/api/admin/orgs/${ws}/plan`, { plan: "enterprise", monthlyTokens: 600 })).status).toBe(200);
    await deployReady(bob, { model: "Qwen/Qwen2.5-0.5B-Instruct", name: "bob-qwen", scaling: { workersMin: 1, workersMax: 1 } });
    const bobs = new OpenAI({ baseURL: `${platform}/v1`, apiKey: (await apiCall(bob, "POST", "/api/keys", { name: "bob" })).body.key, maxRetries: 0 });
    const items = Array.from({ length: 12 }, (_, i) => ({ custom_id: `b-${i}`, method: "POST", url: "/v1/chat/completions", body: { model: "runpod/bob-qwen", messages: [{ role: "user", content: `Budget question ${i}` }], max_tokens: 100 } }));
    const input = await bobs.files.create({ file: await toFile(Buffer.from(jsonl(items)), "input.jsonl"), purpose: "batch" });
    const created = await bobs.batches.create({ input_file_id: input.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    const done = await until(() => bobs.batches.retrieve(created.id), (b) => b.status === "completed", 30_000, 200);
    const output = done.output_file_id ? lines(await (await bobs.files.content(done.output_file_id)).text()) : [];
    const errors = done.error_file_id ? lines(await (await bobs.files.content(done.error_file_id)).text()) : [];
    expect(output.length + errors.length).toBe(12);
    expect(output.length).toBeGreaterThan(0);
    const refused = errors.filter((l) => l.error?.code === "insufficient_quota");
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].error.message).toContain("monthly tokens");
    // Never past the budget, and exactly what the completed items used.
    // The ledger is written from the BudgetObject's outbox shortly after each charge.
    const events = await until(() => usageEvents(created.id), (e) => e.length >= output.length, 15_000, 200);
    expect(events.length).toBe(output.length);
    const used = events.reduce((n, e) => n + e.input_tokens + e.output_tokens, 0);
    const usage = await until(() => apiCall(bob, "GET", "/api/usage"), (u) => u.body.usedTokens === used, 10_000, 200);
    expect(usage.body.usedTokens).toBeLessThanOrEqual(600);
    expect(usage.body.usedTokens).toBe(used);
  }, 60_000);

  it("refuses bad input files with the line and the reason", async () => {
    const bad = await upload(
      jsonl([
        request(1),
        "{oops",
        { ...request(2), url: "/v1/embeddings" },
        request(1),
        { ...request(3), body: { model: "runpod/not-deployed", messages: [] } },
        { ...request(4), body: { model: "openai/gpt-4o-mini", messages: [] } },
      ]),
    );
    const batch = await client.batches.create({ input_file_id: bad.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
    expect(batch.status).toBe("failed");
    expect(batch.errors!.data!.map((e) => [e.line, e.code])).toEqual([
      [2, "invalid_json_line"],
      [3, "invalid_url"],
      [4, "duplicate_custom_id"],
      [5, "model_not_found"],
      [6, "model_not_found"],
    ]);
    expect(batch.errors!.data![3]!.message).toContain("not-deployed");

    const missing = await client.batches.create({ input_file_id: "file-nope", endpoint: "/v1/chat/completions", completion_window: "24h" }).catch((e) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    const window = await client.batches.create({ input_file_id: bad.id, endpoint: "/v1/chat/completions", completion_window: "1h" as "24h" }).catch((e) => e);
    expect(window).toBeInstanceOf(OpenAI.BadRequestError);
    const anon = new OpenAI({ baseURL: `${platform}/v1`, apiKey: "sk-not-a-real-key", maxRetries: 0 });
    expect(await anon.batches.retrieve(batch.id).catch((e) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
    const other = await signUp(uniqueEmail("batch-bob"), "Bob", new Browser(platform));
    const bobKey = (await apiCall(other, "POST", "/api/keys", { name: "bob" })).body.key as string;
    const bob = new OpenAI({ baseURL: `${platform}/v1`, apiKey: bobKey, maxRetries: 0 });
    expect(await bob.batches.retrieve(batch.id).catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);
    expect(await bob.files.content(bad.id).catch((e) => e)).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
