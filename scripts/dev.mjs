// `npm run dev`: live reload for development.
// - the PWA with hot module replacement on http://localhost:5173 (vite; proxies /api, /v1 to the worker);
// - the platform worker and sandbox on :8787 / :8790 as under `npm start`, rebuilt and restarted on every
//   change under workers/ (state persists in .wrangler/, so sessions and records survive reloads).
import { spawn, spawnSync } from "node:child_process";
import { watch } from "node:fs";
import { startPlatform } from "./platform-server.mjs";

const run = (cmd, args) => spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } }).status === 0;

if (!run("npm", ["run", "build"]) || !run("npm", ["run", "db:migrate"])) process.exit(1);
let server = await startPlatform();
console.log(`api on ${server.platformUrl} (sandbox ${server.sandboxUrl}); PWA with HMR on http://localhost:5173`);

const vite = spawn("npx", ["vite", "--port", "5173", "--strictPort"], { stdio: "inherit" });

let timer;
let rebuilding = false;
watch("workers", { recursive: true }, () => {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    if (rebuilding) return;
    rebuilding = true;
    const started = Date.now();
    if (run("npm", ["run", "--silent", "build:worker"])) {
      await server.dispose();
      server = await startPlatform();
      console.log(`reloaded workers in ${Date.now() - started} ms`);
    } else {
      console.error("build failed; still serving the previous bundle");
    }
    rebuilding = false;
  }, 150);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    vite.kill(signal);
    await server.dispose();
    process.exit(0);
  });
}
