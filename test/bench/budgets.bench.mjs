// `npm run bench:budgets`: (1) reserve+settle pairs per second on one BudgetObject, called over RPC from the
// platform's own process (Miniflare's Durable Object stub), at concurrency 1 and 32; (2) the bridge's latency with
// budgets on (a real workspace key: key check, BudgetObject reserve, settle, ledger outbox) versus off (the
// local open-access workspace), against the minimal upstream.
import { freePort, startPlatform } from "../../scripts/platform-server.mjs";
import { load } from "./load.mjs";
import { startUpstream } from "./upstream.mjs";

const durationMs = Number(process.env.BENCH_MS ?? 4000);
const upstream = await startUpstream(await freePort());
const server = await startPlatform({
  port: await freePort(),
  sandboxPort: await freePort(),
  persist: false,
  bindings: { OPENAI_API_KEY: "sk-bench", UPSTREAM_OPENAI_URL: upstream.url, API_RATE_LIMIT_PER_MINUTE: "100000000" },
});
const p = server.platformUrl;

// ---- (1) raw BudgetObject throughput
const ns = await server.mf.getDurableObjectNamespace("BUDGETS", "llm-platform");
const stub = ns.get(ns.idFromName("ws:bench-raw"));
async function pairs(concurrency) {
  let done = 0;
  let seq = 0;
  const stopAt = Date.now() + durationMs;
  const worker = async () => {
    while (Date.now() < stopAt) {
      const id = `r${seq++}`;
      const r = await stub.reserve({ reservationId: id, budget: null, inputTokens: 20, requestedOutput: 100 });
      if (!r.ok) throw new Error("unexpected refusal");
      await stub.settle(id, { id, at: Date.now(), workspaceId: "bench-raw", keyId: null, requested: "m", provider: "openai", model: "m", inputTokens: 20, outputTokens: 30, cachedInputTokens: 0, costMicros: 1, savingsMicros: 0, latencyMs: 1, status: "complete" }, { ledger: false });
      done++;
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((Date.now() - t0) / 1000);
}
const raw1 = await pairs(1);
const raw32 = await pairs(32);

// ---- (2) bridge with and without budgets
const email = `bench-${Date.now()}@example.com`;
const signUp = await fetch(`${p}/api/auth/sign-up/email`, {
  method: "POST",
  headers: { "content-type": "application/json", origin: p },
  body: JSON.stringify({ email, password: "correct horse battery staple", name: "Bench" }),
});
const { token } = await signUp.json();
const created = await fetch(`${p}/api/keys`, {
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${token}`, origin: p },
  body: JSON.stringify({ name: "bench" }),
});
const { key } = await created.json();
// Unlimited tokens for the bench workspace, so the run measures the path, not the refusal.
const db = await server.mf.getD1Database("DB", "llm-platform");
const me = await (await fetch(`${p}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json();
await db.prepare("insert into workspace_plan (workspace_id, plan, monthly_tokens, updated_at) values (?, 'enterprise', null, ?)").bind(me.workspaces[0].id, Date.now()).run();

const body = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Say hello in one short sentence." }] };
const rows = [];
for (const c of [1, 32]) {
  const off = await load({ url: `${p}/v1/chat/completions`, method: "POST", headers: { authorization: "Bearer dev-bench", "content-type": "application/json" }, body, concurrency: c, durationMs });
  const on = await load({ url: `${p}/v1/chat/completions`, method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body, concurrency: c, durationMs });
  rows.push({ c, off, on });
}
await server.dispose();
upstream.close();

const f = (n) => n.toFixed(2);
console.log(`\nbench:budgets ${new Date().toISOString()}, node ${process.version}, ${durationMs} ms per cell\n`);
console.log("| one BudgetObject | reserve+settle pairs/s |");
console.log("|---|---|");
console.log(`| concurrency 1 | ${raw1.toFixed(0)} |`);
console.log(`| concurrency 32 | ${raw32.toFixed(0)} |`);
console.log("\n| bridge JSON call | c | budgets off p50 / p99 | budgets on p50 / p99 | added p50 | off req/s | on req/s | statuses on |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(`| gpt-4o-mini | ${r.c} | ${f(r.off.p50)} / ${f(r.off.p99)} ms | ${f(r.on.p50)} / ${f(r.on.p99)} ms | ${f(r.on.p50 - r.off.p50)} ms | ${r.off.rps.toFixed(0)} | ${r.on.rps.toFixed(0)} | ${Object.keys(r.on.statuses).join(",")} |`);
}
