import { registerSW } from "virtual:pwa-register";

/**
 * The service worker (built by vite-plugin-pwa): registers it, and tells the shell when a new version is
 * waiting so the person chooses when to reload. Browsers without service workers simply run online.
 */
export function startServiceWorker(onUpdateReady: (apply: () => void) => void): void {
  if (!("serviceWorker" in navigator)) return;
  const update = registerSW({
    immediate: true,
    onNeedRefresh: () => onUpdateReady(() => void update(true)),
  });
}

/** Forgets the API answers kept for offline use (on sign-out: they belong to the person leaving). */
export async function forgetLastSeen(): Promise<void> {
  if ("caches" in globalThis) await caches.delete("api-last-seen");
}
