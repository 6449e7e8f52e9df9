// `npm run bench:gateway`: the bridge's own overhead. A minimal OpenAI-compatible upstream runs in this
// process; the platform is served as `npm start` serves it (workerd via Miniflare) with OPENAI_API_KEY and
// UPSTREAM_OPENAI_URL pointing at that upstream. Each row is measured direct-to-upstream and through the
// bridge in the same run; "added" is the difference. CPU is the workerd processes' CPU time per bridged request.
import { readFileSync, readdirSync } from "node:fs";
import { freePort, startPlatform } from "../../scripts/platform-server.mjs";
import { load } from "./load.mjs";
import { startUpstream } from "./upstream.mjs";
import { startFloor } from "./floor-worker.mjs";

const durationMs = Number(process.env.BENCH_MS ?? 4000);
const upstream = await startUpstream(await freePort());
const upstreamUrl = upstream.url;

const server = await startPlatform({
  port: await freePort(),
  sandboxPort: await freePort(),
  persist: false,
  bindings: { OPENAI_API_KEY: "sk-bench", UPSTREAM_OPENAI_URL: upstreamUrl },
});

const floor = await startFloor(upstreamUrl, await freePort());

function workerdCpuMs() {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (stat.includes("(workerd)") && Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks * 10; // USER_HZ = 100
}

const messages = [{ role: "user", content: "Say hello in one short sentence." }];
const jsonBody = { model: "gpt-4o-mini", messages };
const streamReq = { model: "gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } };
// A non-sk key: the local open-access workspace (no budget DO on the path; bench:budgets measures that).
const headers = { authorization: "Bearer dev-bench", "content-type": "application/json" };

const rows = [];
for (const [label, body, c] of [
  ["JSON", jsonBody, 1],
  ["JSON", jsonBody, 32],
  ["stream", streamReq, 1],
  ["stream", streamReq, 32],
]) {
  const direct = await load({ url: `${upstreamUrl}/chat/completions`, method: "POST", headers, body, concurrency: c, durationMs });
  const passThrough = await load({ url: `${floor.url}/v1/chat/completions`, method: "POST", headers, body, concurrency: c, durationMs });
  const cpu0 = workerdCpuMs();
  const bridged = await load({ url: `${server.platformUrl}/v1/chat/completions`, method: "POST", headers, body, concurrency: c, durationMs });
  const cpuPerReq = (workerdCpuMs() - cpu0) / (bridged.requests + 0.0001);
  rows.push({ label, c, direct, floor: passThrough, bridged, cpuPerReq });
}
await server.dispose();
await floor.dispose();
upstream.close();

const f = (n) => n.toFixed(2);
console.log(`\nbench:gateway ${new Date().toISOString()}, node ${process.version}, ${durationMs} ms per cell after 500 ms warm-up, minimal upstream in-process\n`);
console.log("| request | c | direct p50 / p99 | bridge p50 / p99 | added p50 | direct TTFB p50 | bridge TTFB p50 | added TTFB | bridge req/s | workerd CPU ms/req | statuses |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.c} | ${f(r.direct.p50)} / ${f(r.direct.p99)} ms | ${f(r.bridged.p50)} / ${f(r.bridged.p99)} ms | ${f(r.bridged.p50 - r.direct.p50)} ms | ${f(r.direct.ttfb50)} ms | ${f(r.bridged.ttfb50)} ms | ${f(r.bridged.ttfb50 - r.direct.ttfb50)} ms | ${r.bridged.rps.toFixed(0)} | ${f(r.cpuPerReq)} | ${Object.keys(r.bridged.statuses).join(",")} |`,
  );
}
console.log("\nThe floor: a Worker that only forwards to the upstream, in the same Miniflare/workerd (what any Worker gateway pays here).\n");
console.log("| request | c | floor p50 | floor TTFB p50 | environment (floor − direct) p50 / TTFB | bridge's own code (bridge − floor) p50 / TTFB |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.c} | ${f(r.floor.p50)} ms | ${f(r.floor.ttfb50)} ms | ${f(r.floor.p50 - r.direct.p50)} / ${f(r.floor.ttfb50 - r.direct.ttfb50)} ms | ${f(r.bridged.p50 - r.floor.p50)} / ${f(r.bridged.ttfb50 - r.floor.ttfb50)} ms |`,
  );
}
