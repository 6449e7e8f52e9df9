// `npm run bench`: latency and throughput of the platform served as `npm start` serves it (workerd via
// Miniflare), on free ports with throw-away storage. Run on an otherwise idle machine; compare rows, not
// absolutes. Results go to stdout as a markdown table (copied into the README).
import { freePort, startPlatform } from "../../scripts/platform-server.mjs";
import { load } from "./load.mjs";

const durationMs = Number(process.env.BENCH_MS ?? 3000);
// The /api flood guard still runs on every request (same DO call), with a limit a benchmark cannot reach.
const server = await startPlatform({ port: await freePort(), sandboxPort: await freePort(), persist: false, bindings: { API_RATE_LIMIT_PER_MINUTE: "100000000" } });
const p = server.platformUrl;
const s = server.sandboxUrl;

const targets = [
  { name: "GET /api/brand (Hono + rate-limit DO)", url: `${p}/api/brand` },
  { name: "GET /api/health (D1 + KV reads)", url: `${p}/api/health` },
  { name: "GET / (PWA shell from assets)", url: `${p}/` },
  {
    name: "sandbox OpenAI chat completion (JSON)",
    url: `${s}/openai/v1/chat/completions`,
    method: "POST",
    headers: { authorization: "Bearer sk-bench", "content-type": "application/json" },
    body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Say hello" }] },
  },
];

const rows = [];
for (const t of targets) {
  const c1 = await load({ ...t, concurrency: 1, durationMs });
  const c16 = await load({ ...t, concurrency: 16, durationMs });
  rows.push(
    `| ${t.name} | ${c1.p50.toFixed(2)} ms / ${c1.p99.toFixed(2)} ms | ${c1.rps.toFixed(0)} | ${c16.p50.toFixed(2)} ms | ${c16.rps.toFixed(0)} | ${Object.keys({ ...c1.statuses, ...c16.statuses }).join(",")} |`,
  );
}
await server.dispose();

console.log(`\nBench ${new Date().toISOString()}, node ${process.version}, ${durationMs} ms per cell after 500 ms warm-up\n`);
console.log("| target | c=1 p50 / p99 | c=1 req/s | c=16 p50 | c=16 req/s | statuses |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
