import { createServer } from "node:net";
import type { TestProject } from "vitest/node";
import { E2E_BRIDGE_RULES } from "./bridge-rules";

declare module "vitest" {
  export interface ProvidedContext {
    platformUrl: string;
    sandboxUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Serves the built bundles (dist/app, dist/sandbox; `npm test` builds them first) exactly as `npm start`
 * does, on free ports and with throw-away storage, so tests never touch a developer's running instance.
 */
export default async function setup(project: TestProject) {
  // @ts-expect-error plain .mjs module shared with `npm start`
  const { startPlatform } = await import("../../scripts/platform-server.mjs");
  const server = await startPlatform({
    port: await freePort(),
    sandboxPort: await freePort(),
    persist: false,
    bindings: { BRIDGE_DEFAULT_RULES: JSON.stringify(E2E_BRIDGE_RULES) },
  });
  project.provide("platformUrl", server.platformUrl);
  project.provide("sandboxUrl", server.sandboxUrl);
  return async () => {
    await server.dispose();
  };
}
