// A closed-loop HTTP load generator over keep-alive connections (like autocannon, without the dependency):
// `concurrency` workers each send the next request as soon as the previous answered.
import http from "node:http";

export async function load({ url, method = "GET", headers = {}, body, concurrency = 1, durationMs = 3000, warmupMs = 500 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const payload = body === undefined ? undefined : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const once = () =>
    new Promise((resolve, reject) => {
      const req = http.request(target, { method, agent, headers: { ...headers, ...(payload ? { "content-length": payload.length } : {}) } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
        res.on("error", reject);
      });
      req.on("error", reject);
      if (payload) req.write(payload);
      req.end();
    });

  const latencies = [];
  const statuses = new Map();
  let measuring = false;
  const stopAt = Date.now() + warmupMs + durationMs;
  setTimeout(() => (measuring = true), warmupMs);
  let measuredStart = 0;
  const worker = async () => {
    while (Date.now() < stopAt) {
      const t0 = process.hrtime.bigint();
      const status = await once();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (measuring) {
        if (!measuredStart) measuredStart = Date.now();
        latencies.push(ms);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  const seconds = (Date.now() - measuredStart) / 1000;
  return { requests: latencies.length, rps: latencies.length / seconds, p50: q(0.5), p99: q(0.99), statuses: Object.fromEntries(statuses) };
}
