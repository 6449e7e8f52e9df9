// The floor under any Worker-based gateway here: a Worker that forwards the request to the upstream and
// returns its answer, nothing else (no parsing, auth, routing or metering), served by the same Miniflare and
// workerd as the platform. Floor minus direct is what the environment costs (the hop into workerd and
// workerd's outbound fetch); bridge minus floor is the bridge's own code.
import { Miniflare, convertV4MiniflareOptions } from "miniflare";

const script = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    return fetch(env.UPSTREAM + url.pathname.replace(/^\\/v1/, ""), { method: request.method, headers: request.headers, body: request.body });
  },
};`;

export async function startFloor(upstreamUrl, port) {
  const mf = new Miniflare(
    convertV4MiniflareOptions({ host: "127.0.0.1", port, workers: [{ name: "floor", modules: true, script, compatibilityDate: "2026-11-01", bindings: { UPSTREAM: upstreamUrl } }] }),
  );
  const url = (await mf.ready).toString().replace(/\/$/, "");
  return { url, dispose: () => mf.dispose() };
}
