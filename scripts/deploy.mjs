// `npm run deploy`: both brands to Cloudflare. Each brand is one wrangler environment (worker with routes
// /v1/*, /v1beta/*, /api/*, /mcp, /webhooks/* on its hostname) plus one Pages project serving the PWA on the
// same hostname. Needs `wrangler login` (or CLOUDFLARE_API_TOKEN) and the D1/KV ids filled into wrangler.toml.
// `--dry-run` prints the plan without running it. Not run in CI.
import { spawnSync } from "node:child_process";

const BRANDS = ["swaggystacks", "scientiacapital"];
const dryRun = process.argv.includes("--dry-run");
const only = process.argv.find((a) => a.startsWith("--brand="))?.slice("--brand=".length);

export function deployPlan(brands) {
  const steps = [];
  for (const brand of brands) {
    steps.push({ what: `${brand}: apply D1 migrations`, cmd: ["npx", "wrangler", "d1", "migrations", "apply", "DB", "--remote", "--env", brand] });
    steps.push({ what: `${brand}: deploy worker`, cmd: ["npx", "wrangler", "deploy", "--env", brand] });
    steps.push({ what: `${brand}: build PWA`, cmd: ["npx", "vite", "build"], env: { BRAND: brand, WEB_OUT_DIR: `../dist/pages/${brand}` } });
    steps.push({
      what: `${brand}: deploy PWA to Pages`,
      cmd: ["npx", "wrangler", "pages", "deploy", `dist/pages/${brand}`, "--project-name", `${brand}-pwa`, "--branch", "main"],
    });
  }
  return steps;
}

const brands = only ? BRANDS.filter((b) => b === only) : BRANDS;
if (brands.length === 0) {
  console.error(`unknown brand ${only}; one of ${BRANDS.join(", ")}`);
  process.exit(2);
}
for (const step of deployPlan(brands)) {
  const envText = step.env ? Object.entries(step.env).map(([k, v]) => `${k}=${v} `).join("") : "";
  console.log(`# ${step.what}\n${envText}${step.cmd.join(" ")}`);
  if (dryRun) continue;
  const res = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: "inherit", env: { ...process.env, ...step.env } });
  if (res.status !== 0) {
    console.error(`failed: ${step.what}`);
    process.exit(res.status ?? 1);
  }
}
