// `node test/bench/profile-bridge.mjs`: where the bridge's CPU goes. Serves the platform as bench:gateway does,
// with workerd's inspector on, samples the worker's CPU while a c=1 load of JSON chat calls runs, and prints
// the functions with the most self time (by script and line). A tool for the hot path, not a benchmark.
import { freePort, startPlatform } from "../../scripts/platform-server.mjs";
import { load } from "./load.mjs";
import { startUpstream } from "./upstream.mjs";

const durationMs = Number(process.env.BENCH_MS ?? 4000);
const stream = process.env.PROFILE_STREAM === "1";
const upstream = await startUpstream(await freePort());
const inspectorPort = await freePort();
const server = await startPlatform({ port: await freePort(), sandboxPort: await freePort(), persist: false, inspectorPort, bindings: { OPENAI_API_KEY: "sk-bench", UPSTREAM_OPENAI_URL: upstream.url } });

const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
const target = targets.find((t) => t.title?.includes("llm-platform") || t.id?.includes("llm-platform")) ?? targets[0];
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((r) => ws.addEventListener("open", r, { once: true }));
let seq = 0;
const waiting = new Map();
ws.addEventListener("message", (e) => {
  const msg = JSON.parse(e.data);
  if (msg.id && waiting.has(msg.id)) waiting.get(msg.id)(msg), waiting.delete(msg.id);
});
const send = (method, params = {}) => new Promise((resolve) => (waiting.set(++seq, resolve), ws.send(JSON.stringify({ id: seq, method, params }))));

const body = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Say hello in one short sentence." }], ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) };
const headers = { authorization: "Bearer dev-bench", "content-type": "application/json" };
await load({ url: `${server.platformUrl}/v1/chat/completions`, method: "POST", headers, body, concurrency: 1, durationMs: 1000 });
await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: 50 });
await send("Profiler.start");
const r = await load({ url: `${server.platformUrl}/v1/chat/completions`, method: "POST", headers, body, concurrency: 1, durationMs });
const { result } = await send("Profiler.stop");
ws.close();
await server.dispose();
upstream.close();

const profile = result.profile;
const dt = (profile.endTime - profile.startTime) / 1000 / profile.samples.length; // ms per sample
const self = new Map();
let total = 0;
for (const n of profile.nodes) {
  const f = n.callFrame;
  const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + n.hitCount);
  total += n.hitCount;
}
const perReq = (hits) => ((hits * dt) / r.requests).toFixed(3);
console.log(`${r.requests} requests, p50 ${r.p50.toFixed(2)} ms; sampled ${(total * dt).toFixed(0)} ms of worker time, ${perReq(total)} ms per request`);
for (const [k, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${perReq(hits).padStart(7)} ms/req  ${k}`);
