import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { encode } from "uqr";
import { describe, expect, inject, it } from "vitest";
import { Browser, PASSWORD, signUp, uniqueEmail, type SignedUp } from "../auth-client";
import { useChromium } from "./chromium";

/**
 * The phone's half of IDE setup in the PWA (Chromium, 390 px): a QR code of a one-time setup link for the
 * chosen client, and approving (or denying) a computer that asks to pair through the `connect` CLI's
 * device flow. The computer's half is played by the test over HTTP.
 */
const platform = inject("platformUrl");
const base = new URL(platform);
// Pages open on localhost like the other browser tests; the session cookie is set for that host.
const origin = `http://localhost:${base.port}`;
const browser = useChromium();
const SESSION_COOKIE = "better-auth.session_token";
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const CLIENT_ID = "platform-connect";

interface PhonePage {
  page: Page;
  errors: string[];
}

/** A phone-sized page; signed in as `user` when given (its session cookie copied into the browser). */
async function phone(user?: SignedUp): Promise<PhonePage> {
  const context = await browser().newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  if (user) {
    const value = user.browser.cookies.get(SESSION_COOKIE);
    if (!value) throw new Error("sign-up set no session cookie");
    await context.addCookies([{ name: SESSION_COOKIE, value, url: origin, httpOnly: true, sameSite: "Lax" }]);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, errors };
}

async function close({ page }: PhonePage) {
  await page.context().close();
}

const noHorizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

async function screenshot(page: Page, name: string) {
  await mkdir("test-results", { recursive: true });
  await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
}

/** The dark modules of the page's QR svg, read back from its path (one `M x y h run …` per horizontal run). */
function modulesOfPath(d: string, size: number): boolean[][] {
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)/g)) {
    const [x, y, run] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let i = 0; i < run; i++) grid[y]![x + i] = true;
  }
  return grid;
}

/** What the CLI does first (RFC 8628 §3.1): ask for a device code and the user code to show. */
async function startPairing(): Promise<{ device_code: string; user_code: string; verification_uri_complete: string }> {
  const res = await new Browser().post("/api/auth/device/code", { client_id: CLIENT_ID });
  expect(res.status).toBe(200);
  return (await res.json()) as { device_code: string; user_code: string; verification_uri_complete: string };
}

/** The CLI's token request (§3.4); the test asks only once it knows the answer, so no slow_down. */
async function tokenRequest(deviceCode: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await new Browser().post("/api/auth/device/token", { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: CLIENT_ID });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const formatted = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

describe("IDE setup in the PWA (Chromium, 390 px)", () => {
  it("shows a QR code of a one-time setup link for Cursor, with a live countdown and the configuration", async () => {
    const user = await signUp(uniqueEmail("pwa-ide"));
    const phonePage = await phone(user);
    const { page, errors } = phonePage;
    await page.goto(`${origin}/ide`);
    await page.getByRole("button", { name: "Cursor", exact: true }).click();
    expect(await page.getByRole("button", { name: "Cursor", exact: true }).getAttribute("aria-pressed")).toBe("true");
    // The preview is the client's configuration, before any link exists.
    await expect.poll(() => page.locator('[data-testid="config-file"]').allTextContents()).toContain(".cursor/mcp.json");

    await page.getByRole("button", { name: "Show QR code" }).click();
    const qr = page.getByRole("img", { name: /QR code .*Cursor/ });
    await qr.waitFor();
    const url = (await page.textContent('[data-testid="setup-link"]'))!.trim();
    expect(url).toMatch(new RegExp(`^${origin}/ide/setup/ide_[\\w-]+$`));
    expect(await page.textContent('[data-testid="expires-in"]')).toMatch(/^(10:00|09:5\d)$/);
    // The countdown runs.
    await expect.poll(() => page.textContent('[data-testid="expires-in"]'), { timeout: 5_000 }).toMatch(/^09:5\d$/);

    // The svg is the QR code of exactly the link shown under it.
    const [viewBox, d] = await qr.evaluate((svg) => [svg.getAttribute("viewBox")!, svg.querySelector("path")!.getAttribute("d")!]);
    const expected = encode(url, { ecc: "M", border: 4 });
    expect(viewBox).toBe(`0 0 ${expected.size} ${expected.size}`);
    expect(modulesOfPath(d, expected.size)).toEqual(expected.data);
    const box = (await qr.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(200); // big enough to scan from a screen

    expect(await noHorizontalOverflow(page)).toBeLessThanOrEqual(390);
    await screenshot(page, "ide-setup-qr");
    expect(errors).toEqual([]);

    // The computer's side: the link works once.
    const token = url.split("/ide/setup/")[1]!;
    const first = await fetch(`${platform}/api/ide/links/redeem`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
    expect(first.status).toBe(200);
    const redeemed = (await first.json()) as { config: { client: string }; key: { prefix: string; scopes: string[] } };
    expect(redeemed.config.client).toBe("cursor");
    expect(redeemed.key.scopes.length).toBeGreaterThan(0);
    const again = await fetch(`${platform}/api/ide/links/redeem`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
    expect(again.status).toBe(410);
    await close(phonePage);
  });

  it("offers a new code once the link has run out", async () => {
    const user = await signUp(uniqueEmail("pwa-ide-expiry"));
    const phonePage = await phone(user);
    const { page, errors } = phonePage;
    // The first link comes back with two seconds to live instead of ten minutes (the server's clock and
    // the page's stay the same; only the answer is shortened).
    await page.route("**/api/ide/links", async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { expiresAt: string };
      await route.fulfill({ response: res, json: { ...body, expiresAt: new Date(Date.now() + 2_000).toISOString() } });
    });
    await page.goto(`${origin}/ide`);
    await page.getByRole("button", { name: "Show QR code" }).click();
    const first = await page.textContent('[data-testid="setup-link"]');
    await page.unroute("**/api/ide/links");
    await page.locator('[data-testid="expired"]').waitFor();
    expect(await page.isVisible('[data-testid="expires-in"]')).toBe(false);
    await page.getByRole("button", { name: "New code" }).click();
    await expect.poll(() => page.textContent('[data-testid="expires-in"]')).toMatch(/^(10:00|09:5\d)$/);
    expect(await page.textContent('[data-testid="setup-link"]')).not.toBe(first);
    expect(errors).toEqual([]);
    await close(phonePage);
  });

  it("approves a computer's pairing request opened from its QR code; the computer then gets its token", async () => {
    const user = await signUp(uniqueEmail("pwa-device"));
    const pairing = await startPairing();
    expect(new URL(pairing.verification_uri_complete).pathname).toBe("/device");
    const phonePage = await phone(user);
    const { page, errors } = phonePage;
    await page.goto(`${origin}/device?user_code=${pairing.user_code}`);
    const review = page.locator('[data-testid="device-review"]');
    await review.waitFor();
    expect(await review.textContent()).toContain("A computer asks to connect to SwaggyStacks as you");
    expect(await page.textContent('[data-testid="user-code"]')).toBe(formatted(pairing.user_code));
    expect(await noHorizontalOverflow(page)).toBeLessThanOrEqual(390);
    await screenshot(page, "device-review");

    await page.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => page.getAttribute('[data-testid="device-result"]', "data-outcome")).toBe("approved");
    const token = await tokenRequest(pairing.device_code);
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    expect(token.body.access_token).toEqual(expect.any(String));
    // The token acts as the person who approved.
    const me = await fetch(`${platform}/api/me`, { headers: { authorization: `Bearer ${token.body.access_token as string}` } });
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe(user.userId);
    expect(errors).toEqual([]);
    await close(phonePage);
  });

  it("asks a signed-out phone to sign in first, then shows the request", async () => {
    const user = await signUp(uniqueEmail("pwa-device-signin"));
    const pairing = await startPairing();
    const phonePage = await phone();
    const { page, errors } = phonePage;
    await page.goto(`${origin}/device?user_code=${pairing.user_code}`);
    await page.locator('[data-testid="sign-in"]').waitFor();
    expect(await page.isVisible('[data-testid="device-review"]')).toBe(false);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator('[data-testid="device-review"]').waitFor();
    expect(await page.textContent('[data-testid="user-code"]')).toBe(formatted(pairing.user_code));
    expect(await noHorizontalOverflow(page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await close(phonePage);
  });

  it("denies a request: the computer is told access_denied", async () => {
    const user = await signUp(uniqueEmail("pwa-device-deny"));
    const pairing = await startPairing();
    const phonePage = await phone(user);
    const { page, errors } = phonePage;
    // Typed by hand this time, dash and lower case included.
    await page.goto(`${origin}/device`);
    await page.getByLabel("The code in your terminal").fill(formatted(pairing.user_code).toLowerCase());
    expect(await page.inputValue('input[name="user_code"]')).toBe(formatted(pairing.user_code));
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Deny" }).click();
    await expect.poll(() => page.getAttribute('[data-testid="device-result"]', "data-outcome")).toBe("denied");
    const token = await tokenRequest(pairing.device_code);
    expect(token.status).toBe(400);
    // RFC 8628 puts the code in `error`; the platform's /api error shape (workers/auth/routes.ts) replaces
    // that field with {code, message}, leaving better-auth's description as the one place it survives.
    const oauthError = typeof token.body.error === "string" ? token.body.error : token.body.error_description;
    expect(String(oauthError)).toMatch(/access.denied/i);
    expect(errors).toEqual([]);
    await close(phonePage);
  });

  it("says why a code does not work, in the server's words", async () => {
    const user = await signUp(uniqueEmail("pwa-device-bad"));
    const phonePage = await phone(user);
    const { page, errors } = phonePage;
    await page.goto(`${origin}/device?user_code=ZZZZ-ZZZZ`);
    await expect.poll(() => page.getAttribute('[data-testid="device-result"]', "data-outcome")).toBe("failed");
    expect(await page.textContent('[data-testid="device-error"]')).toMatch(/invalid user code/i);
    expect(await page.isVisible('[data-testid="device-review"]')).toBe(false);
    expect(errors).toEqual([]);
    await close(phonePage);
  });
});
