// Serves the built platform (dist/app) and the sandbox stand-ins (dist/sandbox) on workerd through the
// Miniflare API: one workerd process, no wrangler dev proxy, ~1-2 ms per request (see README "Local serving").
// Bindings come from the wrangler configs through wrangler's own helpers, so they are declared once.
import path from "node:path";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig, unstable_splitSqlQuery } from "wrangler";

const UPSTREAM_KEYS = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "RUNPOD_API_KEY", "HF_TOKEN", "STRIPE_SECRET_KEY",
  "UPSTREAM_OPENAI_URL", "UPSTREAM_ANTHROPIC_URL", "UPSTREAM_GEMINI_URL", "RUNPOD_REST_URL", "RUNPOD_SERVERLESS_URL", "HF_HUB_URL", "STRIPE_API_URL"];

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

function workerFrom(configPath, bundleDir) {
  const config = unstable_readConfig({ config: path.join(root, configPath) });
  // modulesRules cannot be converted to v5 options and is meaningless for a single pre-built bundle.
  const { modulesRules: _ignored, ...options } = unstable_getMiniflareWorkerOptions(config).workerOptions;
  const scriptPath = path.join(root, bundleDir, "index.js");
  if (!existsSync(scriptPath)) throw new Error(`${scriptPath} is missing: run \`npm run build\` first`);
  return { config, options: { name: config.name, ...options, modules: true, modulesRoot: path.join(root, bundleDir), scriptPath } };
}

/**
 * Starts both workers. `port` is the platform (PWA + API), `sandboxPort` the stand-ins.
 * `persist: false` keeps storage in a temp dir wiped on dispose (tests) and then applies migrations/ itself,
 * unless `storageDir` names a directory to keep (a benchmark's loaded data, reused by its next run);
 * the default persists under .wrangler/ where `npm run db:migrate` (wrangler d1 migrations apply) has run.
 */
export async function startPlatform({ port = 8787, sandboxPort = 8790, host = "127.0.0.1", persist = true, storageDir, bindings = {}, inspectorPort } = {}) {
  const sandboxUrl = `http://${host}:${sandboxPort}`;
  const platformUrl = `http://${host}:${port}`;
  // APP_DIST / SANDBOX_DIST let parallel test runs use their own bundles.
  const app = workerFrom("wrangler.toml", process.env.APP_DIST ?? "dist/app");
  // WEB_DIST does the same for the PWA build the worker serves (default: wrangler.toml's [assets] directory).
  if (process.env.WEB_DIST && app.options.assets) app.options.assets = { ...app.options.assets, directory: path.resolve(root, process.env.WEB_DIST) };
  const sandbox = workerFrom("workers/sandbox/wrangler.toml", process.env.SANDBOX_DIST ?? "dist/sandbox");
  // Throw-away runs (tests, benchmarks) never reach a real service, whatever keys .dev.vars holds.
  const keyless = persist ? {} : Object.fromEntries(UPSTREAM_KEYS.map((k) => [k, ""]));
  const throwAway = persist ? undefined : storageDir ? keptStorage(storageDir) : throwAwayStorage();
  app.options.bindings = { ...app.options.bindings, ...keyless, SANDBOX_URL: sandboxUrl, ...bindings };
  sandbox.options.bindings = { ...sandbox.options.bindings, PLATFORM_URL: platformUrl };
  sandbox.options.unsafeDirectSockets = [{ host, port: sandboxPort }];
  // Paths the worker always handles skip the assets router (~1 ms per request locally): Miniflare routes
  // them straight to the worker. Derived from the positive run_worker_first patterns in wrangler.toml.
  const workerFirst = app.config.assets?.run_worker_first;
  if (Array.isArray(workerFirst)) app.options.routes = workerFirst.filter((p) => !p.startsWith("!")).map((p) => `*${p}`);

  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host,
      port,
      cf: false,
      logRequests: false,
      unsafeTriggerHandlers: true,
      // Chrome DevTools protocol for profiling (test/bench/profile-bridge.mjs); off unless asked for.
      ...(inspectorPort ? { inspectorPort } : {}),
      ...(persist
        ? { resourcePersistencePath: path.join(root, ".wrangler/state/v3"), resourceTmpPath: path.join(root, ".wrangler/tmp") }
        : throwAway.options),
      workers: [app.options, sandbox.options],
    }),
  );
  await mf.ready;
  if (!persist) await applyMigrations(await mf.getD1Database("DB", app.config.name), { reused: Boolean(storageDir && throwAway.reused) });
  return { mf, platformUrl, sandboxUrl, dispose: () => mf.dispose().finally(() => throwAway?.remove()) };
}

/**
 * Storage for a throw-away run. Miniflare keeps D1 and Durable Object SQLite files on disk even then, and
 * every write's fsync made tests and benchmarks wait on the disk (a third of the time in the deploy
 * benchmark); in memory (/dev/shm where the machine has it) they measure the platform instead.
 */
function throwAwayStorage() {
  if (!existsSync("/dev/shm")) return { options: {}, remove: () => undefined };
  const dir = mkdtempSync("/dev/shm/llm-platform-");
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", remove); // memory, not disk: never leave it behind, even when the run is cut short
  return { options: { resourcePersistencePath: dir }, remove };
}

/** Throw-away semantics (no real keys) on storage that outlives the run; on reuse only the migrations it lacks apply. */
function keptStorage(dir) {
  const reused = existsSync(dir) && readdirSync(dir).length > 0;
  return { reused, options: { resourcePersistencePath: dir }, remove: () => undefined };
}

/**
 * Only the sandbox stand-ins, on their own port and throw-away storage: what the Workers-runtime tests
 * (test/workers) call over HTTP when they exercise real client code, e.g. the DeployObject against RunPod.
 */
export async function startSandbox({ port, host = "127.0.0.1", settings } = {}) {
  const sandbox = workerFrom("workers/sandbox/wrangler.toml", process.env.SANDBOX_DIST ?? "dist/sandbox");
  const url = `http://${host}:${port ?? (await freePort())}`;
  sandbox.options.bindings = { ...sandbox.options.bindings, PLATFORM_URL: "http://127.0.0.1:9" };
  const storage = throwAwayStorage();
  const mf = new Miniflare(convertV4MiniflareOptions({ host, port: Number(new URL(url).port), cf: false, logRequests: false, ...storage.options, workers: [sandbox.options] }));
  await mf.ready;
  if (settings) {
    const res = await fetch(`${url}/_control/settings`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(settings) });
    if (!res.ok) throw new Error(`sandbox settings refused: ${await res.text()}`);
  }
  return { mf, url, dispose: () => mf.dispose().finally(storage.remove) };
}

/** Applies migrations/*.sql in order to a fresh database (the same files wrangler applies). */
export async function applyMigrations(db, { reused = false } = {}) {
  const dir = path.join(root, "migrations");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
    const statements = unstable_splitSqlQuery(readFileSync(path.join(dir, file), "utf8").replaceAll("--> statement-breakpoint", ""));
    try {
      await db.batch(statements.filter((s) => s.trim()).map((s) => db.prepare(s)));
    } catch (err) {
      // Kept storage (BENCH_STORAGE) from an earlier run: a migration it already has fails as a whole on
      // its first CREATE (a batch is one transaction), and the ones added since apply.
      if (!reused || !/already exists|duplicate column/i.test(String(err))) throw err;
    }
  }
}

/** A port nothing listens on right now (tests and benchmarks run beside a developer's own `npm start`). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
