import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, PASSWORD, signUp, uniqueEmail, type SignedUp } from "../auth-client";
import { until } from "../wait";
import { useChromium } from "./chromium";
import { allowClipboard, pageWidth, phonePage } from "./phone";

/**
 * The API keys screen of the PWA (/keys, Chromium at 390 px): an empty workspace, a key made with scopes
 * and shown once (copied from the button), listed by prefix and scopes, working on /v1 and refused there
 * once revoked from the screen; the sign-in gate and the API's own error messages.
 */
const platform = inject("platformUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();
const phone = (user?: SignedUp) => phonePage(browser(), origin, user, allowClipboard(origin));
/** Buttons, fields and the scope rows of the screen shorter than a thumb (44 px). */
const smallTargets = (page: Page) =>
  page.locator(".key-screen").evaluate((root) =>
    Array.from(root.querySelectorAll("button, input:not([type=checkbox]), label.key-scope, a.key-ide-link"))
      .filter((el) => (el as HTMLElement).offsetParent !== null && el.getBoundingClientRect().height < 44)
      .map((el) => el.outerHTML.slice(0, 80)),
  );
const models = (key: string) => fetch(`${platform}/v1/models`, { headers: { authorization: `Bearer ${key}` } });

beforeAll(async () => {
  await mkdir("test-results", { recursive: true });
});

describe("API keys in the PWA (Chromium, 390 px)", () => {
  it("creates a scoped key shown once, lists it by prefix and scopes, and revokes it", async () => {
    const user = await signUp(uniqueEmail("pwa-keys"));
    const { page, errors } = await phone(user);
    await page.goto(`${origin}/keys`);
    await page.locator('[data-testid="keys-empty"]').waitFor();
    expect(await page.getByRole("link", { name: "Set up your IDE →" }).getAttribute("href")).toBe("/ide");
    expect(await page.locator('[aria-current="page"]').textContent()).toBe("Keys");

    // The form: a name and scopes (model calls by default), checked by label as a person would.
    const form = page.locator('[data-testid="new-key-form"]');
    expect(await form.getByRole("checkbox", { name: /^bridge/ }).isChecked()).toBe(true);
    await form.getByLabel("Name").fill("laptop");
    await form.getByRole("checkbox", { name: /^mcp:read/ }).check();
    await form.getByRole("button", { name: "Create key" }).click();

    const shown = page.locator('[data-testid="new-key"]');
    await shown.waitFor();
    const key = (await page.textContent('[data-testid="new-key-value"]'))!.trim();
    expect(key.length).toBeGreaterThan(20);
    expect(await page.textContent('[data-testid="new-key-warning"]')).toMatch(/only time it is shown/);
    await page.getByRole("button", { name: "Copy key" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Copied ✓" }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await page.screenshot({ path: "test-results/keys-created.png", fullPage: true });

    // Listed with the same prefix and scopes the API has.
    const api = (await apiCall(user, "GET", "/api/keys")).body.keys as { id: string; prefix: string; scopes: string[]; revokedAt: string | null }[];
    expect(api).toHaveLength(1);
    expect(api[0]!.scopes).toEqual(["bridge", "mcp:read"]);
    const row = page.locator(`[data-testid="key"][data-id="${api[0]!.id}"]`);
    expect(await row.locator('[data-testid="key-prefix"]').textContent()).toBe(api[0]!.prefix);
    expect(key.startsWith(api[0]!.prefix.split("…")[0]!)).toBe(true);
    expect(await row.locator('[data-testid="key-scopes"] li').allTextContents()).toEqual(["bridge", "mcp:read"]);
    expect(await row.locator('[data-testid="key-status"]').textContent()).toBe("Active");
    expect(await row.textContent()).toMatch(/never used/);
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);

    // The key works on the bridge.
    expect((await models(key)).status).toBe(200);

    // Once dismissed (or after a reload) the key is nowhere on the page.
    await page.getByRole("button", { name: "I have saved it" }).click();
    expect(await shown.count()).toBe(0);
    // The bridge stamps "last used" in the background.
    await until(
      () => apiCall(user, "GET", "/api/keys"),
      (r) => Boolean(r.body.keys[0]?.lastUsedAt),
      5_000,
    );
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(key);
    expect(await row.textContent()).toMatch(/last used/);

    // Revoke: a second tap confirms; then it is listed as revoked and the bridge refuses it.
    await row.getByRole("button", { name: "Revoke laptop" }).click();
    await page.screenshot({ path: "test-results/keys-revoke-confirm.png", fullPage: true });
    await row.getByRole("button", { name: "Revoke key" }).click();
    await expect.poll(() => row.getAttribute("data-status"), { timeout: 10_000 }).toBe("revoked");
    expect(await row.locator('[data-testid="key-status"]').textContent()).toBe("Revoked");
    expect(await row.getByRole("button").count()).toBe(0);
    const after = (await apiCall(user, "GET", "/api/keys")).body.keys as { revokedAt: string | null }[];
    expect(after[0]!.revokedAt).toBeTruthy();
    await new Promise((r) => setTimeout(r, 2100)); // the bridge's key cache
    expect((await models(key)).status).toBe(401);
    await page.screenshot({ path: "test-results/keys-revoked.png", fullPage: true });
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("asks a signed-out phone to sign in, then shows the keys", async () => {
    const user = await signUp(uniqueEmail("pwa-keys-gate"));
    await apiCall(user, "POST", "/api/keys", { name: "made elsewhere", scopes: ["mcp:write"] });
    const { page, errors } = await phone();
    await page.goto(`${origin}/keys`);
    await page.locator('[data-testid="sign-in"]').waitFor();
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    const row = page.locator('[data-testid="key"]');
    await row.waitFor();
    expect(await row.locator(".key-name").textContent()).toBe("made elsewhere");
    expect(await row.locator('[data-testid="key-scopes"] li').allTextContents()).toEqual(["mcp:write"]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows the API's message when listing or creating fails, and refuses a key without scopes", async () => {
    const user = await signUp(uniqueEmail("pwa-keys-error"));
    const { page, errors } = await phone(user);
    const refusal = (message: string) => ({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "unavailable", message } }) });
    await page.route("**/api/keys", (route) => route.fulfill(refusal("The key store is resting; try again in a minute.")));
    await page.goto(`${origin}/keys`);
    await expect.poll(() => page.textContent('[data-testid="keys-error"]'), { timeout: 10_000 }).toBe("The key store is resting; try again in a minute.");
    await page.unroute("**/api/keys");

    await page.reload();
    await page.locator('[data-testid="keys-empty"]').waitFor();
    const form = page.locator('[data-testid="new-key-form"]');
    await form.getByLabel("Name").fill("nothing");
    await form.getByRole("checkbox", { name: /^bridge/ }).uncheck();
    await form.getByRole("button", { name: "Create key" }).click();
    expect(await page.textContent('[data-testid="new-key-error"]')).toBe("Choose at least one scope.");

    await page.route("**/api/keys", (route) => (route.request().method() === "POST" ? route.fulfill({ ...refusal("Only admins may create keys here"), status: 403 }) : route.continue()));
    await form.getByRole("checkbox", { name: /^bridge/ }).check();
    await form.getByRole("button", { name: "Create key" }).click();
    await expect.poll(() => page.textContent('[data-testid="new-key-error"]'), { timeout: 10_000 }).toBe("Only admins may create keys here");
    expect(await page.locator('[data-testid="new-key"]').count()).toBe(0);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
