import { afterAll, beforeAll } from "vitest";
import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium (installed by .ci/run), driven by playwright-core; no browser downloads needed. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      // The machines have no internet: stop Chromium's own background calls from failing noisily.
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** One Chromium for a test file: launched before its tests, closed after. Call at the file's top level. */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("Chromium is not running (useChromium() must be called at the top level of the file)");
    return browser;
  };
}
