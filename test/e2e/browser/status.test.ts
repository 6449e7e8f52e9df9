import { describe, expect, inject, it } from "vitest";
import { signUpOnPlan } from "../auth-client";
import { useChromium } from "./chromium";
import { pageWidth, phonePage } from "./phone";

/**
 * The status page in the PWA (/status, Chromium at 390 px): public, after one recorded cron pass — the
 * overall banner, every component with a word for its status and its uptime, the 99.9% target with the
 * month's error budget; signed in, the workspace's deployments section. Nothing spills sideways.
 */
const platform = inject("platformUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();

describe("status page in the PWA (Chromium, 390 px)", () => {
  it("signed out: components with their status in words, the 99.9% target and the budget, and a sign-in hint", async () => {
    await fetch(`${platform}/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*`);
    const { page, errors } = await phonePage(browser(), origin);
    await page.goto(`${origin}/status`);
    // (The shell has its own data-testid="status" line: the API version.)
    await page.locator('[data-testid="status-page"]').waitFor();
    expect(await page.locator('[aria-current="page"]').textContent()).toBe("Status");
    expect(await page.textContent("h2")).toBe("SwaggyStacks status");
    expect(await page.textContent('[data-testid="status-overall"]')).toMatch(/operational|degraded|outage|not yet measured/i);

    const ids = await page.locator('[data-testid="status-components"] > li').evaluateAll((lis) => lis.map((li) => li.getAttribute("data-testid")));
    expect(ids).toEqual(["component-platform", "component-openai", "component-anthropic", "component-google", "component-runpod", "component-huggingface", "component-stripe"]);
    // Each status is a word, not colour alone; each bar set has a text equivalent.
    for (const id of ids) {
      expect(await page.textContent(`[data-testid="${id}-status"]`)).toMatch(/Operational|Degraded|Down|Not measured yet/);
      expect(await page.getAttribute(`[data-testid="${id}"] [role="img"]`, "aria-label")).toMatch(/90-day uptime/);
      expect(await page.locator(`[data-testid="${id}"] .status-bar`).count()).toBe(90);
    }
    expect(await page.textContent('[data-testid="component-platform-status"]')).toContain("Operational");

    expect(await page.textContent('[data-testid="status-target"] h3')).toBe("Availability target: 99.9%");
    expect(await page.textContent('[data-testid="status-budget"]')).toMatch(/ of 43\.2 min$/);
    expect(await page.getAttribute('[role="meter"]', "aria-label")).toBe("Error budget left this month");
    expect(await page.locator('[data-testid="status-signin-hint"]').isVisible()).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.screenshot({ path: "test-results/status-phone.png", fullPage: true }).catch(() => undefined);
  });

  it("signed in: the workspace's deployments section", async () => {
    const user = await signUpOnPlan("pwa-status");
    const { page, errors } = await phonePage(browser(), origin, user);
    await page.goto(`${origin}/status`);
    await page.locator('[data-testid="status-deployments"]').waitFor();
    await page.getByText("No deployments in this workspace.").waitFor();
    expect(await page.locator('[data-testid="status-signin-hint"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
