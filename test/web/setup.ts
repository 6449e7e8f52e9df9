import { cleanup } from "@testing-library/preact";
import { afterEach, vi } from "vitest";
import { restoreOnline } from "./render";

// Vitest's globals are off in this repository, so @testing-library/preact cannot register its own cleanup:
// every test starts from an empty page, the real fetch, an online browser and the root address.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
  restoreOnline();
  sessionStorage.clear();
  history.replaceState(null, "", "/");
});
