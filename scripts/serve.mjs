// `npm start` (after build and migrations): the platform on :8787, the sandbox stand-ins on :8790.
import { startPlatform } from "./platform-server.mjs";

const port = Number(process.env.PORT ?? 8787);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 8790);
const started = Date.now();
const server = await startPlatform({ port, sandboxPort });
console.log(`platform  http://localhost:${port}  (brands: swaggystacks.localhost:${port}, scientiacapital.localhost:${port})`);
console.log(`sandbox   ${server.sandboxUrl}  (local stand-ins for OpenAI, Anthropic, Gemini, RunPod, Hugging Face, Stripe)`);
console.log(`ready in ${Date.now() - started} ms; Ctrl-C to stop`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await server.dispose();
    process.exit(0);
  });
}
