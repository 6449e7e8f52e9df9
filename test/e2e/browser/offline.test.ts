import { describe, expect, inject, it } from "vitest";
import { apiCall, signUp, uniqueEmail } from "../auth-client";
import { useChromium } from "./chromium";
import { phonePage } from "./phone";

/**
 * The installed app offline: the service worker precaches the shell, so a reload without a network still
 * opens the app, says what still works, and shows the last data seen (here the IDE configuration).
 */
const platform = inject("platformUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();

describe("the PWA offline (Chromium, 390 px)", () => {
  it("reopens offline from the service worker, says what still works, and shows the last configuration seen", async () => {
    const user = await signUp(uniqueEmail("offline"));
    expect((await apiCall(user, "GET", "/api/ide-config?client=cursor")).status).toBe(200);
    const { page, errors } = await phonePage(browser(), origin, user);
    await page.goto(`${origin}/ide`);
    // Installed and active, the worker controls the pages loaded after it (the precache then holds the shell).
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await page.getByRole("button", { name: /cursor/i }).click();
    await page.waitForSelector("text=.cursor/mcp.json");

    await page.context().setOffline(true);
    await page.reload();
    await page.waitForSelector('[data-testid="brand-name"]');
    expect(await page.textContent('[data-testid="shell-offline"]')).toContain("You are offline");
    await page.getByRole("button", { name: /cursor/i }).click();
    await page.waitForSelector("text=.cursor/mcp.json"); // the configuration, from the last answer kept
    await page.screenshot({ path: "test-results/offline-ide.png", fullPage: true });
    await page.context().setOffline(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("serves a service worker and no shell for the worker's own paths", async () => {
    const sw = await fetch(`${platform}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get("content-type")).toContain("javascript");
    const text = await sw.text();
    expect(text).toContain("index.html");
  });
});
