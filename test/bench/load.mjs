// A closed-loop HTTP load generator over keep-alive connections (like autocannon, without the dependency):
// `concurrency` workers each send the next request as soon as the previous answered. Records latency to the
// last byte and time to the first body byte (for streams).
import http from "node:http";

export async function load({ url, method = "GET", headers = {}, body, concurrency = 1, durationMs = 3000, warmupMs = 500 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const payload = body === undefined ? undefined : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const once = () =>
    new Promise((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      let ttfb;
      const req = http.request(target, { method, agent, headers: { ...headers, ...(payload ? { "content-length": payload.length } : {}) } }, (res) => {
        res.on("data", () => {
          if (ttfb === undefined) ttfb = Number(process.hrtime.bigint() - t0) / 1e6;
        });
        res.on("end", () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6, ttfb: ttfb ?? NaN }));
        res.on("error", reject);
      });
      req.on("error", reject);
      if (payload) req.write(payload);
      req.end();
    });

  const latencies = [];
  const ttfbs = [];
  const statuses = new Map();
  let measuring = false;
  const stopAt = Date.now() + warmupMs + durationMs;
  const warm = setTimeout(() => (measuring = true), warmupMs);
  let measuredStart = 0;
  const worker = async () => {
    while (Date.now() < stopAt) {
      const r = await once();
      if (measuring) {
        if (!measuredStart) measuredStart = Date.now();
        latencies.push(r.ms);
        ttfbs.push(r.ttfb);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  clearTimeout(warm);
  agent.destroy();
  const q = (arr, p) => {
    const s = [...arr].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  };
  const seconds = (Date.now() - measuredStart) / 1000;
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: q(latencies, 0.5),
    p99: q(latencies, 0.99),
    ttfb50: q(ttfbs, 0.5),
    ttfb99: q(ttfbs, 0.99),
    statuses: Object.fromEntries(statuses),
  };
}
