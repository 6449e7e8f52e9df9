import { fireEvent, render, type RenderResult } from "@testing-library/preact";
import type { VNode } from "preact";
import { networkError, stubFetch, type FetchStub, type Route } from "./fetch-stub";

/**
 * Screens read the address when they mount (a model id, `?user_code=`, `?month=`, `/signup`), so the
 * address is set first, the way the shell's router finds it.
 */
export function renderAt(path: string, ui: VNode): RenderResult {
  history.replaceState(null, "", path);
  return render(ui);
}

/**
 * What the browser believes about the network: `navigator.onLine` and the `online`/`offline` event the
 * screens (and web/src/lib/online.ts) listen to. happy-dom always says online; setup.ts undoes this.
 */
export function setOnline(online: boolean): void {
  Object.defineProperty(navigator, "onLine", { configurable: true, get: () => online });
  fireEvent(window, new Event(online ? "online" : "offline"));
}

export function restoreOnline(): void {
  delete (navigator as { onLine?: boolean }).onLine;
}

/**
 * Offline as the installed PWA sees it: the service worker (vite.config.ts, "api-last-seen", network
 * first) answers the GETs it kept from the last time they were seen and nothing else, so `lastSeen`
 * answers and every other request fails like a dropped connection.
 */
export function goOffline(lastSeen: Record<string, Route> = {}): FetchStub {
  const stub = stubFetch(lastSeen, networkError());
  setOnline(false);
  return stub;
}
