import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Browser, apiCall, PASSWORD, signUp, uniqueEmail } from "../auth-client";
import { useChromium } from "./chromium";
import { pageWidth, phonePage } from "./phone";

/**
 * Sign in and sign up in the PWA (/signin, /signup; Chromium at 390 px): a new account lands signed in on
 * /home; sign out, a wrong then the right password; `?next=` returns where one came from (same-origin only);
 * SSO for a domain nobody registered shows the API's own sentence.
 */
const platform = inject("platformUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();
const phone = () => phonePage(browser(), origin);
/** Buttons, fields and links of the screen shorter than a thumb (44 px). */
const smallTargets = (page: Page) =>
  page.locator(".auth-screen").evaluate((root) =>
    Array.from(root.querySelectorAll("button, input, a"))
      .filter((el) => (el as HTMLElement).offsetParent !== null && el.getBoundingClientRect().height < 44)
      .map((el) => el.outerHTML.slice(0, 80)),
  );

beforeAll(async () => {
  await mkdir("test-results", { recursive: true });
});

describe("sign in and sign up in the PWA (Chromium, 390 px)", () => {
  it("signs up through the screen and lands signed in on /home; signs out, refuses a wrong password, takes the right one", async () => {
    const email = uniqueEmail("pwa-signup");
    const { page, errors } = await phone();
    await page.goto(`${origin}/signup`);
    const form = page.locator('[data-testid="sign-up"]');
    await form.waitFor();
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/auth-signup.png", fullPage: true });
    await form.getByLabel("Name").fill("Pat Phone");
    await form.getByLabel("Email", { exact: true }).fill(email);
    await form.getByLabel("Password").fill(PASSWORD);
    await form.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${origin}/home`);
    await expect.poll(() => page.locator('[data-testid="home-who"]').textContent(), { timeout: 10_000 }).toContain(email);

    // Signing up again with the same address: the API's sentence.
    const again = await new Browser().post("/api/auth/sign-up/email", { email, password: PASSWORD, name: "Again" });
    const refusal = (await again.json()) as { message: string };

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${origin}/signin`);
    const signIn = page.locator('[data-testid="sign-in"]');
    await signIn.waitFor();
    await signIn.getByLabel("Email").fill(email);
    await signIn.getByLabel("Password").fill("not the password at all");
    await signIn.getByRole("button", { name: "Sign in" }).click();
    const wrong = await new Browser().post("/api/auth/sign-in/email", { email, password: "not the password at all" });
    const wrongBody = (await wrong.json()) as { message: string };
    await expect.poll(() => page.textContent('[data-testid="sign-in-error"]'), { timeout: 10_000 }).toBe(wrongBody.message);
    expect(page.url()).toBe(`${origin}/signin`);
    await page.screenshot({ path: "test-results/auth-wrong-password.png", fullPage: true });
    await signIn.getByLabel("Password").fill(PASSWORD);
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${origin}/home`);
    await expect.poll(() => page.locator('[data-testid="home-who"]').textContent(), { timeout: 10_000 }).toContain(email);

    // The sign-up screen, signed out, shows the API's refusal for an address already taken.
    const other = await phone();
    await other.page.goto(`${origin}/signup`);
    const f2 = other.page.locator('[data-testid="sign-up"]');
    await f2.waitFor();
    await f2.getByLabel("Name").fill("Again");
    await f2.getByLabel("Email", { exact: true }).fill(email);
    await f2.getByLabel("Password").fill(PASSWORD);
    await f2.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => other.page.textContent('[data-testid="sign-up-error"]'), { timeout: 10_000 }).toBe(refusal.message);
    expect(other.errors).toEqual([]);
    await other.page.context().close();

    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("returns to ?next= after signing in, and ignores a next that leaves the origin", async () => {
    const user = await signUp(uniqueEmail("pwa-next"));
    const { page, errors } = await phone();
    await page.goto(`${origin}/signin?next=${encodeURIComponent("/keys")}`);
    const signIn = page.locator('[data-testid="sign-in"]');
    await signIn.waitFor();
    expect(await page.getByRole("link", { name: "Create an account" }).getAttribute("href")).toBe("/signup?next=%2Fkeys");
    await signIn.getByLabel("Email").fill(user.email);
    await signIn.getByLabel("Password").fill(PASSWORD);
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${origin}/keys`);
    await page.locator('[data-testid="keys-empty"]').waitFor();

    // Signed in already: /signin says so and offers to continue; an off-site next becomes /home.
    await page.goto(`${origin}/signin?next=${encodeURIComponent("//evil.example/steal")}`);
    await page.locator('[data-testid="signed-in"]').waitFor();
    expect(await page.textContent('[data-testid="signed-in-email"]')).toBe(user.email);
    expect(await page.getByRole("link", { name: "Continue" }).getAttribute("href")).toBe("/home");
    await page.goto(`${origin}/signin?next=${encodeURIComponent("https://evil.example/")}`);
    await page.locator('[data-testid="signed-in"]').waitFor();
    expect(await page.getByRole("link", { name: "Continue" }).getAttribute("href")).toBe("/home");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows the API's message for SSO with a domain no company registered, and sends a reset link", async () => {
    const email = uniqueEmail("pwa-sso", "nobody-registered-this.example");
    const api = await apiCall(new Browser(), "POST", "/api/auth/sign-in/sso", { email, callbackURL: `${origin}/home` });
    expect(api.status).toBeGreaterThanOrEqual(400);
    const message = (api.body.error?.message ?? api.body.message) as string;
    expect(message).toBeTruthy();

    const { page, errors } = await phone();
    await page.goto(`${origin}/signin`);
    const sso = page.locator('[data-testid="sso"]');
    await sso.waitFor();
    await sso.getByLabel("Work email").fill(email);
    await sso.getByRole("button", { name: "Continue with SSO" }).click();
    await expect.poll(() => page.textContent('[data-testid="sso-error"]'), { timeout: 10_000 }).toBe(message);
    expect(page.url()).toBe(`${origin}/signin`);
    await page.screenshot({ path: "test-results/auth-sso-unknown.png", fullPage: true });

    // Forgot password: the same answer for any address.
    const user = await signUp(uniqueEmail("pwa-forgot"));
    await page.getByRole("button", { name: "Forgot password?" }).click();
    const forgot = page.locator('[data-testid="forgot"]');
    await forgot.getByLabel("Email", { exact: true }).fill(user.email);
    await forgot.getByRole("button", { name: "Email me a reset link" }).click();
    await expect.poll(() => page.textContent('[data-testid="forgot-notice"]'), { timeout: 10_000 }).toMatch(/reset link is on its way/);
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
