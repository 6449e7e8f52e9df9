// `npm run bench:deploy`: the platform's own overhead in a deploy. Time from POST /api/deployments to the
// deployment reading `ready` on its progress stream (GET /api/deployments/:id/events), against a RunPod stand-in whose workers are ready at
// once (runpodReadyDelayMs 0): Hub lookup, planning, D1 claim, DeployObject alarm steps (list, create,
// health, register), mirrors. Then 50 deployments at once. Goal: under 2 s each.
import { freePort, startPlatform } from "../../scripts/platform-server.mjs";

const SINGLE_RUNS = Number(process.env.BENCH_RUNS ?? 10);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 50);

const server = await startPlatform({
  port: await freePort(),
  sandboxPort: await freePort(),
  persist: false,
  bindings: { API_RATE_LIMIT_PER_MINUTE: "100000000" },
});
const p = server.platformUrl;
await fetch(`${server.sandboxUrl}/_control/settings`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ runpodReadyDelayMs: 0 }) });

const signUp = await fetch(`${p}/api/auth/sign-up/email`, {
  method: "POST",
  headers: { "content-type": "application/json", origin: p },
  body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: "correct horse battery staple", name: "Bench" }),
});
const { token } = await signUp.json();
const headers = { "content-type": "application/json", authorization: `Bearer ${token}`, origin: p };

let seq = 0;
/** POSTs a deployment and follows its progress stream (as the PWA does) until it reads ready. */
async function deployToReady() {
  const t0 = performance.now();
  const res = await fetch(`${p}/api/deployments`, {
    method: "POST",
    headers,
    body: JSON.stringify({ model: "Qwen/Qwen2.5-0.5B-Instruct", name: `bench-${++seq}`, scaling: { workersMin: 0, workersMax: 1 } }),
  });
  if (res.status !== 202) throw new Error(`POST ${res.status}: ${await res.text()}`);
  const { id } = await res.json();
  const accepted = performance.now() - t0;
  const events = await fetch(`${p}/api/deployments/${id}/events`, { headers });
  const reader = events.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before ${id} was ready`);
    buffered += value;
    for (const m of buffered.matchAll(/^data: (.*)$/gm)) {
      const state = JSON.parse(m[1]).state;
      if (state === "ready") {
        void reader.cancel();
        return { total: performance.now() - t0, accepted };
      }
      if (state === "failed") throw new Error(`deployment failed: ${m[1]}`);
    }
    buffered = buffered.slice(buffered.lastIndexOf("\n\n") + 2);
  }
}

const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const fmt = (ms) => `${ms.toFixed(0)} ms`;

await deployToReady(); // warm-up: first Hub lookup, first DeployObject, JIT
const single = [];
for (let i = 0; i < SINGLE_RUNS; i++) single.push(await deployToReady());
const t0 = performance.now();
const many = await Promise.all(Array.from({ length: CONCURRENT }, () => deployToReady()));
const wall = performance.now() - t0;

console.log(`POST -> ready, one at a time (${SINGLE_RUNS} runs): p50 ${fmt(pct(single.map((r) => r.total), 0.5))}, max ${fmt(Math.max(...single.map((r) => r.total)))} (POST answered in p50 ${fmt(pct(single.map((r) => r.accepted), 0.5))})`);
console.log(`POST -> ready, ${CONCURRENT} at once: p50 ${fmt(pct(many.map((r) => r.total), 0.5))}, p90 ${fmt(pct(many.map((r) => r.total), 0.9))}, max ${fmt(Math.max(...many.map((r) => r.total)))}; all ready after ${fmt(wall)}; POST answered in p50 ${fmt(pct(many.map((r) => r.accepted), 0.5))}, max ${fmt(Math.max(...many.map((r) => r.accepted)))}`);
await server.dispose();
