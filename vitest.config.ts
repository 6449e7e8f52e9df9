import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Four kinds of tests (README "Tests"):
 * - unit: pure modules in plain Node (no `cloudflare:*`, no bindings);
 * - workers: code that touches D1/KV/DOs, inside workerd through @cloudflare/vitest-plugin;
 * - e2e: the built platform and sandbox served the way `npm start` serves them, driven over HTTP by
 *   real clients (the official SDKs, Chromium);
 * - web: the PWA's screens rendered in happy-dom with `fetch` stubbed, for the states a browser flow
 *   rarely reaches (loading, empty, error, offline). No build, no platform.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" },
      },
      {
        plugins: [
          cloudflareTest(async () => {
            // The RunPod (and other) stand-ins over real HTTP, as the platform reaches them under `npm start`:
            // Durable Object tests drive real client code against them. Needs dist/sandbox (`npm test` builds it).
            // @ts-expect-error plain .mjs module shared with `npm start`
            const { startSandbox } = await import("./scripts/platform-server.mjs");
            // One per run however often the config is resolved; test/workers/global-setup.ts disposes it at
            // the end (it would keep the process alive).
            const holder = globalThis as { __workersSandbox?: Promise<{ url: string; dispose(): Promise<void> }> };
            const sandbox = await (holder.__workersSandbox ??= startSandbox({ settings: { runpodReadyDelayMs: 0 } }));
            return {
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: { TEST_MIGRATIONS: await readD1Migrations(path.resolve("migrations")), SANDBOX_URL: sandbox.url, TEST_SANDBOX_URL: sandbox.url, RUNPOD_TIMEOUT_MS: "1500" },
              },
            };
          }),
        ],
        test: { name: "workers", include: ["test/workers/**/*.test.ts"], setupFiles: ["test/workers/apply-migrations.ts"], globalSetup: ["test/workers/global-setup.ts"] },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/e2e/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // The page or the platform may take seconds on a loaded 2-core CI machine; a poll's default is 1 s.
          expect: { poll: { timeout: 10_000, interval: 100 } },
        },
      },
      {
        // The screens' TSX as the PWA build compiles it (@preact/preset-vite sets the same JSX options on
        // vite 8's oxc transform); the preset itself is left out: it only adds dev-server and build concerns.
        oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
        resolve: {
          // vite-plugin-pwa's virtual module exists only inside the PWA build; web/src/lib/sw.ts imports it
          // (signing out loads it), so the tests give it a stand-in without a service worker.
          alias: { "virtual:pwa-register": path.resolve("test/web/pwa-register.ts") },
        },
        test: {
          name: "web",
          include: ["test/web/**/*.test.tsx"],
          environment: "happy-dom",
          setupFiles: ["test/web/setup.ts"],
        },
      },
    ],
  },
});
