/**
 * Runs in the main vitest process, beside the config that started the sandbox for the Workers-runtime
 * tests (vitest.config.ts): stops it when the run ends, so nothing keeps the process alive.
 */
export default function setup() {
  return async () => {
    const holder = globalThis as { __workersSandbox?: Promise<{ dispose(): Promise<void> }> };
    const sandbox = holder.__workersSandbox;
    holder.__workersSandbox = undefined;
    await (await sandbox)?.dispose();
  };
}
