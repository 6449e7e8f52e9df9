import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { BRANDS } from "../../../workers/brand/brands";
import { assignVariants, variantConfig, type Assignment } from "../../../workers/funnel/experiments";
import { me, query, signUp, uniqueEmail, type SignedUp } from "../auth-client";
import { useChromium } from "./chromium";

/**
 * The billing screen of the PWA (/billing, Chromium at 390 px): the plan and what comes next, the plan
 * cards, a real trip through the Stripe stand-in's hosted Checkout page and back (the webhook moves the
 * plan while the page waits), the customer portal, the visitor's pricing-order and copy arms, and what a
 * member who is not an admin sees.
 */
const platform = inject("platformUrl");
const sandbox = inject("sandboxUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();
const SESSION_COOKIE = "better-auth.session_token";
const brand = BRANDS.swaggystacks; // localhost is SwaggyStacks

async function phone(user?: SignedUp, cookies: { name: string; value: string }[] = []): Promise<{ page: Page; errors: string[] }> {
  const context = await browser().newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const jar = [...(user ? [{ name: SESSION_COOKIE, value: user.browser.cookies.get(SESSION_COOKIE)! }] : []), ...cookies];
  if (jar.length) await context.addCookies(jar.map((c) => ({ ...c, url: origin, httpOnly: true, sameSite: "Lax" as const })));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, errors };
}

const noOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
/** The plans of the cards on screen, top to bottom. */
const cardOrder = (page: Page) => page.locator('[data-testid="plan-card"]').evaluateAll((cards) => cards.map((c) => c.getAttribute("data-plan")));

/** Anonymous ids (the `fid` cookie's shape) until one lands in the wanted pricing-order arm. */
async function visitorIn(pricingOrder: "ascending" | "descending"): Promise<{ id: string; arms: Assignment }> {
  for (let n = 0; n < 1000; n++) {
    const id = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
    const arms = await assignVariants(id);
    if (arms.pricing_order === pricingOrder) return { id, arms };
  }
  throw new Error(`no visitor id in ${pricingOrder}`);
}

beforeAll(async () => {
  await mkdir("test-results", { recursive: true });
});

describe("billing in the PWA (Chromium, 390 px)", () => {
  let owner: SignedUp;

  it("upgrades a free workspace to Pro through Checkout and shows the invoice and the next charge", async () => {
    owner = await signUp(uniqueEmail("pwa-billing"));
    const { page, errors } = await phone(owner);
    await page.goto(`${origin}/billing`);
    await expect.poll(() => page.textContent('[data-testid="current-plan"]')).toBe("Free");
    expect(await page.textContent('[data-testid="plan-tokens"]')).toBe("10,000 tokens a month");
    await page.locator('[data-testid="no-invoices"]').waitFor();
    expect(await page.locator('[data-testid="invoice"]').count()).toBe(0);
    expect(await page.isVisible('[data-testid="manage-billing"]')).toBe(false); // nothing to manage before a subscription
    expect(await page.locator('[data-testid="plan-card"]').count()).toBe(2);
    expect(await page.locator('[data-testid="plan-price"]').allTextContents()).toEqual(expect.arrayContaining(["$29.00", "$99.00"]));
    // Annual prices behind the toggle, then back to monthly.
    await page.getByRole("button", { name: "Annual" }).click();
    expect(await page.locator('[data-testid="plan-price"]').allTextContents()).toEqual(expect.arrayContaining(["$290.00", "$990.00"]));
    expect(await page.getByRole("button", { name: "Annual" }).getAttribute("aria-pressed")).toBe("true");
    await page.getByRole("button", { name: "Monthly" }).click();
    // Tap targets: the buttons are at least 44 px tall.
    for (const h of await page.locator("main button").evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().height))) expect(h).toBeGreaterThanOrEqual(44);
    expect(await noOverflow(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/billing-free.png", fullPage: true });

    // Upgrade: a full-page trip to the stand-in's hosted Checkout page.
    await Promise.all([page.waitForURL((u) => u.href.startsWith(`${sandbox}/checkout/`)), page.locator('[data-plan="pro"]').getByRole("button", { name: "Upgrade to Pro" }).click()]);
    expect(await page.textContent("h1")).toBe("Subscribe");
    expect(await page.textContent("table")).toContain("$29.00");
    // Pay there: Stripe sends the person back to /billing?checkout=success and the webhook moves the plan.
    await Promise.all([page.waitForURL((u) => u.origin === origin && u.pathname === "/billing"), page.getByRole("button", { name: "Subscribe" }).click()]);
    const banner = page.locator('[data-testid="checkout-banner"]');
    await banner.waitFor();
    await expect.poll(() => banner.textContent(), { timeout: 12_000 }).toBe("You're on Pro now. Thank you!");
    expect(await page.textContent('[data-testid="current-plan"]')).toBe("Pro");
    expect(await page.textContent('[data-testid="plan-tokens"]')).toBe("1,000,000 tokens a month");
    expect(new URL(page.url()).searchParams.has("checkout")).toBe(false); // a reload does not announce it again
    expect(await page.textContent('[data-testid="subscription-status"]')).toMatch(/^Pro, billed monthly; renews on /);
    expect(await page.textContent('[data-testid="upcoming-subscription"]')).toBe("$29.00");
    expect(await page.textContent('[data-testid="upcoming-total"]')).toBe("$29.00");
    expect(await page.textContent('[data-testid="markup-note"]')).toContain("at cost plus 20%");
    await expect.poll(() => page.locator('[data-testid="invoice"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="invoice-total"]').first().textContent()).toBe("$29.00");
    const invoiceLink = page.locator('[data-testid="invoice"] a').first();
    expect(await invoiceLink.getAttribute("href")).toMatch(new RegExp(`^${sandbox}/`));
    // Pro is "your plan"; the other plan is changed in the portal, not through a second Checkout.
    expect(await page.locator('[data-plan="pro"] [data-testid="plan-current"]').textContent()).toBe("Your plan");
    expect(await page.locator('[data-plan="team"]').getByRole("button", { name: "Switch in billing portal" }).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: /^Upgrade to/ }).count()).toBe(0);
    expect(await noOverflow(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/billing-pro.png", fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("opens the customer portal from Manage billing, and comes back", async () => {
    const { page, errors } = await phone(owner);
    await page.goto(`${origin}/billing`);
    const manage = page.getByRole("button", { name: "Manage billing" });
    await manage.waitFor();
    await Promise.all([page.waitForURL((u) => u.href.startsWith(`${sandbox}/billing_portal/`)), manage.click()]);
    expect(await page.textContent("h1")).toBe("Billing");
    expect(await page.getByRole("button", { name: "Cancel plan" }).isVisible()).toBe(true);
    await page.screenshot({ path: "test-results/billing-portal.png", fullPage: true });
    await Promise.all([page.waitForURL(`${origin}/billing`), page.getByRole("link", { name: "← Return" }).click()]);
    await expect.poll(() => page.textContent('[data-testid="current-plan"]')).toBe("Pro");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("warns while a renewal is past due (the grace date), and states a trial and a pending cancellation", async () => {
    const ws = (await me(owner.browser)).workspaces[0]!.id;
    const day = 86_400_000;
    const grace = Date.UTC(2031, 0, 15, 12);
    await query("UPDATE billing_subscription SET status = 'past_due', grace_until = ? WHERE workspace_id = ?", [grace, ws]);
    const { page, errors } = await phone(owner);
    await page.goto(`${origin}/billing`);
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("The last payment for Pro failed.");
    expect(await page.textContent('[data-testid="grace-until"]')).toBe("Jan 15, 2031");
    expect(await page.textContent('[data-testid="current-plan"]')).toBe("Pro"); // kept through the grace period

    await query("UPDATE billing_subscription SET status = 'trialing', grace_until = NULL, trial_end = ? WHERE workspace_id = ?", [Date.UTC(2031, 1, 1), ws]);
    await page.reload();
    await expect.poll(() => page.textContent('[data-testid="subscription-status"]')).toBe("Free trial of Pro until Feb 1, 2031; billing starts then.");

    await query("UPDATE billing_subscription SET status = 'active', trial_end = NULL, cancel_at_period_end = 1, current_period_end = ? WHERE workspace_id = ?", [Date.UTC(2031, 2, 3) + day / 2, ws]);
    await page.reload();
    await expect.poll(() => page.textContent('[data-testid="subscription-status"]')).toBe("Cancels at the end of the period: Pro until Mar 3, 2031, then Free.");
    expect(await page.textContent('[data-testid="upcoming-none"]')).toBe("No further charges: the subscription cancels at the end of the period.");
    expect(await noOverflow(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/billing-cancelling.png", fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows the cancelled-checkout notice and changes nothing", async () => {
    const user = await signUp(uniqueEmail("pwa-billing-cancel"));
    const { page, errors } = await phone(user);
    await page.goto(`${origin}/billing?checkout=cancelled`);
    expect(await page.locator('[data-testid="checkout-banner"]').textContent()).toBe("Checkout cancelled: nothing was charged.");
    await expect.poll(() => page.textContent('[data-testid="current-plan"]')).toBe("Free");
    expect(new URL(page.url()).searchParams.has("checkout")).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it.each(["ascending", "descending"] as const)("orders the plan cards by the visitor's pricing arm (%s) and shows its headline", async (arm) => {
    const user = await signUp(uniqueEmail(`pwa-billing-${arm}`));
    const visitor = await visitorIn(arm);
    const { page, errors } = await phone(user, [{ name: "fid", value: visitor.id }]);
    await page.goto(`${origin}/billing`);
    await page.locator('[data-testid="plan-card"]').first().waitFor();
    expect(await cardOrder(page)).toEqual(arm === "ascending" ? ["pro", "team"] : ["team", "pro"]);
    // The same visitor's copy arm decides the shell's headline (the brand's tagline in the control arm).
    const config = variantConfig(brand, visitor.arms);
    expect(await page.textContent('[data-testid="tagline"]')).toBe(config.headline ?? brand.tagline);
    // The visit was recorded under this id, in this arm.
    const stored = await query<{ variants: string }>("SELECT variants FROM funnel_visitor WHERE id = ?", [visitor.id]);
    expect(JSON.parse(stored[0]!.variants)).toMatchObject({ pricing_order: arm });
    await page.getByRole("button", { name: "Annual" }).click();
    expect(await cardOrder(page)).toEqual(arm === "ascending" ? ["pro", "team"] : ["team", "pro"]);
    expect(await noOverflow(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `test-results/billing-order-${arm}.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("tells a member who is not an admin to ask one, without buttons", async () => {
    const admin = await signUp(uniqueEmail("pwa-billing-admin"));
    const teamWs = (await me(admin.browser)).workspaces[0]!;
    const member = await signUp(uniqueEmail("pwa-billing-member"));
    await query("INSERT INTO member (id, organization_id, user_id, role, created_at) VALUES (?, ?, ?, 'member', ?)", [`mem_${crypto.randomUUID()}`, teamWs.id, member.userId, Date.now()]);
    expect((await member.browser.post("/api/auth/organization/set-active", { organizationId: teamWs.id })).status).toBe(200);
    const { page, errors } = await phone(member);
    await page.goto(`${origin}/billing`);
    const ask = page.locator('[data-testid="ask-admin"]');
    await ask.waitFor();
    expect(await ask.textContent()).toContain(teamWs.name);
    expect(await page.locator('[data-testid="plan-card"]').count()).toBe(2);
    expect(await page.getByRole("button", { name: /^Upgrade to|Manage billing/ }).count()).toBe(0);
    expect(await noOverflow(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/billing-member.png", fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
