import { mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, Browser, PASSWORD, signUp, uniqueEmail } from "../auth-client";
import { useChromium } from "./chromium";
import { pageWidth, phonePage } from "./phone";

/**
 * Settings in the PWA (/settings, Chromium at 390 px): the bridge map edited and saved (and refused in the
 * API's words), a provider key added and removed, the data export downloaded, and the account deleted
 * after the typed confirmation and the password: signed out, and the account no longer signs in.
 */
const platform = inject("platformUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();
/** Buttons, fields and selects of the screen shorter than a thumb (44 px); a checkbox's target is its label. */
const smallTargets = (page: Page) =>
  page.locator(".settings-screen").evaluate((root) =>
    Array.from(root.querySelectorAll("button, input, select"))
      .filter((el) => (el as HTMLElement).offsetParent !== null && ((el as HTMLInputElement).type === "checkbox" ? (el.closest("label") ?? el) : el).getBoundingClientRect().height < 44)
      .map((el) => el.outerHTML.slice(0, 80)),
  );

beforeAll(async () => {
  await mkdir("test-results", { recursive: true });
});

describe("settings in the PWA (Chromium, 390 px)", () => {
  it("edits the bridge map, shows the API's refusal, and adds and removes a provider key", async () => {
    const user = await signUp(uniqueEmail("pwa-settings"));
    const { page, errors } = await phonePage(browser(), origin, user);
    await page.goto(`${origin}/settings`);
    const map = page.locator('[data-testid="bridge-map"]');
    await map.locator('[data-testid="bridge-empty"]').waitFor();
    expect(await page.locator('[aria-current="page"]').textContent()).toBe("Settings");

    // A rule: claude-* served by gpt-4o-mini, then Qwen.
    await map.getByRole("button", { name: "Add rule" }).click();
    const rule = map.locator('[data-testid="bridge-rule"]').first();
    await rule.getByLabel("Model name or pattern").fill("claude-*");
    await rule.getByLabel("Targets, in fallback order").fill("openai/gpt-4o-mini, runpod/qwen");
    await map.getByRole("button", { name: "Save bridge map" }).click();
    await map.locator('[data-testid="bridge-saved"]').waitFor();
    const saved = (await apiCall(user, "GET", "/api/bridge")).body as { rules: { match: string; targets: string[] }[] };
    expect(saved.rules).toEqual([{ match: "claude-*", targets: ["openai/gpt-4o-mini", "runpod/qwen"] }]);
    expect(await smallTargets(page)).toEqual([]);
    await page.screenshot({ path: "test-results/settings-bridge.png", fullPage: true });

    // An invalid rule: the API's own sentence, and nothing changes.
    await map.getByRole("button", { name: "Add rule" }).click();
    const second = map.locator('[data-testid="bridge-rule"]').nth(1);
    await second.getByLabel("Model name or pattern").fill("gpt-4o");
    await second.getByLabel("Targets, in fallback order").fill("nonsense");
    const refused = await apiCall(user, "PUT", "/api/bridge", { rules: [...saved.rules, { match: "gpt-4o", targets: ["nonsense"] }] });
    expect(refused.status).toBe(400);
    await map.getByRole("button", { name: "Save bridge map" }).click();
    await expect.poll(() => map.locator('[data-testid="bridge-error"]').textContent(), { timeout: 10_000 }).toBe(refused.body.error.message);
    expect((await apiCall(user, "GET", "/api/bridge")).body.rules).toEqual(saved.rules);
    await page.screenshot({ path: "test-results/settings-bridge-error.png", fullPage: true });
    // Removing it and saving again is accepted.
    await second.getByRole("button", { name: "Remove rule 2" }).click();
    await map.getByRole("button", { name: "Save bridge map" }).click();
    await map.locator('[data-testid="bridge-saved"]').waitFor();

    // A provider key: listed by its last four characters, never shown whole; then removed.
    const keys = page.locator('[data-testid="provider-keys"]');
    await keys.locator('[data-testid="provider-keys-empty"]').waitFor();
    const form = keys.locator('[data-testid="provider-key-form"]');
    await form.getByLabel("Provider").selectOption("openai");
    await form.getByLabel("API key").fill("sk-fake-settings-test-9876");
    await form.getByLabel("Base URL (optional)").fill("https://proxy.example/v1");
    await form.getByRole("button", { name: "Save key" }).click();
    const row = keys.locator('[data-testid="provider-key"][data-provider="openai"]');
    await row.waitFor();
    expect(await row.locator('[data-testid="provider-key-last4"]').textContent()).toBe("••••9876");
    expect(await page.content()).not.toContain("sk-fake-settings-test-9876");
    const stored = (await apiCall(user, "GET", "/api/provider-keys")).body.providerKeys as { provider: string; last4: string; baseUrl: string | null }[];
    expect(stored).toMatchObject([{ provider: "openai", last4: "9876", baseUrl: "https://proxy.example/v1" }]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/settings-provider-key.png", fullPage: true });
    await row.getByRole("button", { name: "Remove OpenAI key" }).click();
    await keys.locator('[data-testid="provider-keys-empty"]').waitFor();
    expect((await apiCall(user, "GET", "/api/provider-keys")).body.providerKeys).toEqual([]);

    // A key the API refuses (too short): its words.
    await form.getByLabel("API key").fill("short");
    await form.getByRole("button", { name: "Save key" }).click();
    await expect.poll(() => keys.locator('[data-testid="provider-key-error"]').textContent(), { timeout: 10_000 }).toMatch(/^Invalid provider key: apiKey: /);

    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows the bridge map and provider keys read-only to someone who may not change them", async () => {
    const user = await signUp(uniqueEmail("pwa-settings-ro"));
    await apiCall(user, "PUT", "/api/bridge", { rules: [{ match: "gpt-4o", targets: ["openai/gpt-4o-mini"] }] });
    const { page, errors } = await phonePage(browser(), origin, user);
    // A viewer's permissions, as /api/workspace would answer them.
    await page.route("**/api/workspace", async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as Record<string, unknown>;
      await route.fulfill({ response: res, json: { ...body, role: "viewer", permissions: { bridge: ["read"], usage: ["read"] } } });
    });
    await page.goto(`${origin}/settings`);
    const rule = page.locator('[data-testid="bridge-rule"]');
    await rule.waitFor();
    expect(await rule.textContent()).toBe("gpt-4o → openai/gpt-4o-mini");
    expect(await page.locator('[data-testid="bridge-map"] input').count()).toBe(0);
    expect(await page.locator('[data-testid="provider-key-form"]').count()).toBe(0);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("sets the cost policy and prompt logging, and adds a webhook that a test event reaches, signed", async () => {
    // A receiver on this machine (local development allows loopback webhooks; production refuses them).
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const user = await signUp(uniqueEmail("pwa-settings-ops"));
      const { page, errors } = await phonePage(browser(), origin, user);
      await page.goto(`${origin}/settings`);

      const policy = page.locator('[data-testid="cost-policy"]');
      await policy.getByLabel("Predictive scaling, at most").selectOption("propose");
      await policy.getByLabel(/Monthly GPU ceiling/).fill("400");
      await policy.getByRole("button", { name: "Save cost policy" }).click();
      await policy.locator('[data-testid="cost-policy-saved"]').waitFor();
      expect((await apiCall(user, "GET", "/api/cost-policy")).body).toMatchObject({ autoscale: "propose", gpuSpendCeilingUsdPerMonth: 400, maxWorkerUsdPerHour: null });

      await page.getByRole("checkbox", { name: /Write prompts into the request log/ }).check();
      await expect.poll(async () => (await apiCall(user, "GET", "/api/logging")).body.logPrompts, { timeout: 10_000 }).toBe(true);

      const notes = page.locator('[data-testid="notifications"]');
      await notes.locator('[data-testid="notifications-empty"]').waitFor();
      const form = notes.locator('[data-testid="notification-form"]');
      await form.getByLabel("Webhook URL", { exact: true }).fill(hookUrl);
      await form.getByRole("button", { name: "Add endpoint" }).click();
      const secret = (await notes.locator('[data-testid="notification-secret"] code').last().textContent())!;
      expect(secret).toMatch(/^whsec_/);
      await notes.getByRole("button", { name: "Send test" }).click();
      await expect.poll(() => notes.locator('[data-testid="delivery"]').first().textContent(), { timeout: 10_000 }).toMatch(/delivered \(200\)/);
      expect(received.length).toBeGreaterThanOrEqual(1);
      const { Webhook } = await import("standardwebhooks");
      const last = received.at(-1)!;
      const verified = new Webhook(secret).verify(last.body, { "webhook-id": String(last.headers["webhook-id"]), "webhook-timestamp": String(last.headers["webhook-timestamp"]), "webhook-signature": String(last.headers["webhook-signature"]) }) as { type: string };
      expect(verified.type).toBe("notification.test");
      expect(await smallTargets(page)).toEqual([]);
      expect(await pageWidth(page)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: "test-results/settings-operations.png", fullPage: true });
      expect(errors).toEqual([]);
      await page.context().close();
    } finally {
      receiver.close();
    }
  });

  it("downloads the data export and deletes the account after the typed confirmation", async () => {
    const user = await signUp(uniqueEmail("pwa-settings-bye"));
    const { page, errors } = await phonePage(browser(), origin, user);
    await page.goto(`${origin}/settings`);
    await page.locator('[data-testid="export"]').waitFor();

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download my data" }).click()]);
    expect(download.suggestedFilename()).toBe(`account-${user.userId}.json`);
    const file = JSON.parse(await readFile((await download.path())!, "utf8")) as unknown;
    expect(JSON.stringify(file)).toContain(user.email);

    const danger = page.locator('[data-testid="delete-account"]');
    await danger.getByRole("button", { name: "Delete my account…" }).click();
    const confirm = danger.getByRole("button", { name: "Delete for good" });
    expect(await confirm.isDisabled()).toBe(true);
    await danger.getByLabel(/Type your email address/).fill("someone-else@example.com");
    expect(await confirm.isDisabled()).toBe(true);
    await danger.getByLabel(/Type your email address/).fill(user.email);
    await danger.getByLabel("Password").fill("not my password");
    expect(await confirm.isDisabled()).toBe(false);
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/settings-delete-confirm.png", fullPage: true });
    await confirm.click();
    await expect.poll(() => danger.locator('[data-testid="delete-error"]').textContent(), { timeout: 10_000 }).toBe("The password is not correct");
    expect((await apiCall(user, "GET", "/api/me")).status).toBe(200);

    await danger.getByLabel("Password").fill(PASSWORD);
    await confirm.click();
    await page.waitForURL(`${origin}/signin?deleted=1`);
    await page.locator('[data-testid="account-deleted"]').waitFor();
    await page.locator('[data-testid="sign-in"]').waitFor();
    expect((await page.context().cookies()).filter((c) => c.name.includes("session_token") && c.value)).toEqual([]);
    expect((await apiCall(user, "GET", "/api/me")).status).toBe(401);
    const again = await new Browser().post("/api/auth/sign-in/email", { email: user.email, password: PASSWORD });
    expect(again.status).toBe(401);
    await page.screenshot({ path: "test-results/settings-deleted.png", fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
