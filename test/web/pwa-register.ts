import type { RegisterSWOptions } from "vite-plugin-pwa/types";

/**
 * Stand-in for vite-plugin-pwa's `virtual:pwa-register` (vitest.config.ts aliases it here): happy-dom has no
 * service worker, so there is nothing to register and no update ever waits.
 */
export function registerSW(_options?: RegisterSWOptions): (reloadPage?: boolean) => Promise<void> {
  return async () => undefined;
}
