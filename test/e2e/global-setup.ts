import { createServer as createHttpServer } from "node:http";
import type { TestProject } from "vitest/node";
import { E2E_BRIDGE_RULES } from "./bridge-rules";

declare module "vitest" {
  export interface ProvidedContext {
    platformUrl: string;
    sandboxUrl: string;
    /** Test-only: POST {sql, params} runs one statement on the platform's throw-away D1 (see d1Proxy). */
    d1Url: string;
  }
}

/**
 * Serves the built bundles (dist/app, dist/sandbox; `npm test` builds them first) exactly as `npm start`
 * does, on free ports and with throw-away storage, so tests never touch a developer's running instance.
 */
export default async function setup(project: TestProject) {
  // @ts-expect-error plain .mjs module shared with `npm start`
  const { freePort, startPlatform } = await import("../../scripts/platform-server.mjs");
  const server = await startPlatform({
    port: await freePort(),
    sandboxPort: await freePort(),
    persist: false,
    bindings: { BRIDGE_DEFAULT_RULES: JSON.stringify(E2E_BRIDGE_RULES), ADMIN_EMAILS: "admin@platform.test", BILLING_OVERAGE_FACTOR: "10" },
  });
  project.provide("platformUrl", server.platformUrl);
  project.provide("sandboxUrl", server.sandboxUrl);
  const d1 = await d1Proxy(await server.mf.getD1Database("DB", "llm-platform"));
  project.provide("d1Url", d1.url);
  return async () => {
    d1.close();
    await server.dispose();
  };
}

/**
 * Lets tests read what the platform wrote without an API for it (e.g. mail in email_outbox): the
 * database lives in this process's Miniflare, so a loopback HTTP endpoint runs statements on it.
 */
async function d1Proxy(db: D1Database): Promise<{ url: string; close: () => void }> {
  const srv = createHttpServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const { sql, params = [] } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { sql: string; params?: unknown[] };
      const { results } = await db.prepare(sql).bind(...params).all();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(results));
    } catch (err) {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: String(err) }));
    }
  });
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => srv.close() };
}
