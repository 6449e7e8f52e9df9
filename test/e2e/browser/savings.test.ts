import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { me, PASSWORD, query, signUp, uniqueEmail, type SignedUp } from "../auth-client";
import { useChromium } from "./chromium";

/**
 * The savings report screen of the PWA (/savings, Chromium at 390 px): the month's sentence and totals,
 * the by-model table, the month picker, and the CSV download. The figures come from the usage roll-up,
 * written straight into D1 here (test/e2e/savings-report.test.ts makes them with real bridge calls).
 */
const platform = inject("platformUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();
const SESSION_COOKIE = "better-auth.session_token";

const thisMonth = () => new Date().toISOString().slice(0, 7);
function lastMonth(): string {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}
const label = (month: string) => new Date(`${month}-01T00:00:00Z`).toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

async function phone(user?: SignedUp): Promise<{ page: Page; errors: string[] }> {
  const context = await browser().newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, acceptDownloads: true });
  if (user) await context.addCookies([{ name: SESSION_COOKIE, value: user.browser.cookies.get(SESSION_COOKIE)!, url: origin, httpOnly: true, sameSite: "Lax" }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, errors };
}

async function seed(workspaceId: string, day: string, provider: string, model: string, requests: number, cost: number, savings: number) {
  await query(
    "insert into usage_daily (workspace_id, day, provider, model, key_id, requests, input_tokens, output_tokens, cost_micros, savings_micros) values (?, ?, ?, ?, '', ?, ?, ?, ?, ?)",
    [workspaceId, day, provider, model, requests, requests * 1000, requests * 200, cost, savings],
  );
}

describe("savings report in the PWA (Chromium, 390 px)", () => {
  it("shows the month's totals and models, switches months, and downloads the CSV", async () => {
    const user = await signUp(uniqueEmail("pwa-savings"));
    const ws = (await me(user.browser)).workspaces[0]!;
    const now = thisMonth();
    const past = lastMonth();
    await seed(ws.id, `${now}-01`, "openai", "gpt-4o-mini", 12, 1_500_000, 23_500_000); // $1.50 instead of $25.00
    await seed(ws.id, `${now}-01`, "anthropic", "claude-haiku-4-5", 3, 2_000_000, 0);
    await seed(ws.id, `${past}-20`, "runpod", "ep1/qwen2.5-coder-32b-instruct-awq", 40, 640_000, 9_360_000); // $0.64 instead of $10.00

    const { page, errors } = await phone(user);
    await page.goto(`${origin}/savings`);
    const report = page.locator('[data-testid="savings-report"]');
    await report.waitFor();
    expect(await page.textContent('[data-testid="savings-summary"]')).toBe(
      `So far in ${label(now)} your workspace has spent $3.50; the same traffic on Western models would have cost $27.00: you have saved $23.50 (87%).`,
    );
    expect(await page.textContent('[data-testid="total-spent"]')).toBe("$3.50");
    expect(await page.textContent('[data-testid="total-baseline"]')).toBe("$27.00");
    expect(await page.textContent('[data-testid="total-saved"]')).toBe("$23.50 (87%)");
    const table = page.getByRole("table", { name: "By model" });
    expect(await table.getByRole("rowheader").allTextContents()).toEqual(["openai/gpt-4o-mini12 calls · 14,400 tokens", "anthropic/claude-haiku-4-53 calls · 3,600 tokens", "Total"]);
    expect(await page.locator('[data-testid="by-model"] tbody tr').first().locator("td").allTextContents()).toEqual(["$1.50", "$25.00", "$23.5094%"]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await mkdir("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/savings-report.png", fullPage: true });

    // The CSV, downloaded from the link as a person would.
    const link = page.getByRole("link", { name: `Download CSV for ${label(now)}` });
    expect(await link.getAttribute("href")).toBe(`/api/reports/savings?month=${now}&format=csv`);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe(`savings-${ws.slug}-${now}.csv`);
    const path = await download.path();
    const { readFile } = await import("node:fs/promises");
    const csv = await readFile(path, "utf8");
    expect(csv.split("\r\n")).toEqual([
      "month,provider,model,requests,input_tokens,output_tokens,spent_usd,baseline_usd,saved_usd,saved_percent",
      `${now},openai,gpt-4o-mini,12,12000,2400,1.50,25.00,23.50,94.0`,
      `${now},anthropic,claude-haiku-4-5,3,3000,600,2.00,2.00,0.00,0.0`,
      `${now},Total,,15,15000,3000,3.50,27.00,23.50,87.0`,
      "",
    ]);

    // Last month, from the picker; the address follows so the report can be shared.
    const picker = page.getByLabel("Month");
    expect(await picker.locator("option").allTextContents()).toEqual([label(now), label(past)]);
    await picker.selectOption(past);
    await expect.poll(() => page.textContent('[data-testid="savings-summary"]')).toBe(
      `In ${label(past)} your workspace spent $0.64; the same traffic on Western models would have cost $10.00: you saved $9.36 (93.6%).`,
    );
    expect(new URL(page.url()).searchParams.get("month")).toBe(past);
    expect(await page.getByRole("link", { name: `Download CSV for ${label(past)}` }).getAttribute("href")).toBe(`/api/reports/savings?month=${past}&format=csv`);
    // A long model name wraps instead of widening the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.reload();
    await expect.poll(() => page.textContent('[data-testid="savings-summary"]')).toMatch(new RegExp(`^In ${label(past)} `));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("asks a signed-out phone to sign in, then shows an empty month plainly", async () => {
    const user = await signUp(uniqueEmail("pwa-savings-empty"));
    const { page, errors } = await phone();
    await page.goto(`${origin}/savings`);
    await page.locator('[data-testid="sign-in"]').waitFor();
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator('[data-testid="savings-report"]').waitFor();
    expect(await page.textContent('[data-testid="savings-summary"]')).toBe(`So far in ${label(thisMonth())} your workspace made no calls through the bridge.`);
    expect(await page.isVisible('[data-testid="by-model"]')).toBe(false);
    expect(await page.textContent('[data-testid="total-saved"]')).toBe("$0.00 (0%)");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("explains a bad month in the address instead of failing", async () => {
    const user = await signUp(uniqueEmail("pwa-savings-future"));
    const { page, errors } = await phone(user);
    const d = new Date();
    const future = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, 1)).toISOString().slice(0, 7);
    await page.goto(`${origin}/savings?month=${future}`);
    await expect.poll(() => page.textContent('[data-testid="savings-error"]')).toMatch(/is in the future/);
    // The picker still offers the current month, and choosing it recovers.
    await page.getByLabel("Month").selectOption(thisMonth());
    await page.locator('[data-testid="savings-report"]').waitFor();
    expect(await page.isVisible('[data-testid="savings-error"]')).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
