import { mkdir } from "node:fs/promises";
import OpenAI from "openai";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { formatTokens, formatUsd } from "../../../web/src/lib/usage-api";
import { apiCall, me, PASSWORD, query, signUp, uniqueEmail, type SignedUp } from "../auth-client";
import { until } from "../wait";
import { useChromium } from "./chromium";
import { pageWidth, phonePage } from "./phone";

/**
 * The usage screen of the PWA (/usage, Chromium at 390 px) over real bridge calls made with the OpenAI
 * SDK and two keys: the budget meter, cost and savings against Western models, and the charts by day, by
 * model and by key, each drawn and with a table of the same numbers as /api/usage; the empty month, the
 * sign-in gate and the API's error message.
 */
const platform = inject("platformUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();
const phone = (user?: SignedUp) => phonePage(browser(), origin, user);
/** A table's body rows as [label, ...cells], by the row's data-label. */
const tableRows = (page: Page, id: string) =>
  page.locator(`[data-testid="table-${id}"] tbody tr`).evaluateAll((trs) => Object.fromEntries(trs.map((tr) => [tr.getAttribute("data-label")!, Array.from(tr.querySelectorAll("td")).map((td) => td.textContent)])));
const totalRow = (page: Page, id: string) => page.locator(`[data-testid="table-${id}"] tfoot td`).allTextContents();

interface Figures {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  savingsUsd: number;
}
interface UsageBody {
  costUsd: number;
  savingsUsd: number;
  budgetTokens: number;
  usedTokens: number;
  reservedTokens: number;
  remainingTokens: number;
  byDay: (Figures & { day: string })[];
  byModel: (Figures & { model: string })[];
  byKey: (Figures & { keyId: string | null })[];
}
const cells = (f: Figures) => [formatTokens(f.requests), formatTokens(f.inputTokens), formatTokens(f.outputTokens), formatUsd(f.costUsd), formatUsd(f.savingsUsd)];

beforeAll(async () => {
  await mkdir("test-results", { recursive: true });
});

describe("usage in the PWA (Chromium, 390 px)", () => {
  it("shows the budget, cost and savings, and charts by day, model and key with the API's numbers", async () => {
    const user = await signUp(uniqueEmail("pwa-usage"));
    const ws = (await me(user.browser)).workspaces[0]!;
    // Pro's million tokens, so prompts long enough to cost cents fit the budget.
    await query("insert into workspace_plan (workspace_id, plan, monthly_tokens, updated_at) values (?, 'pro', null, ?)", [ws.id, Date.now()]);
    // Calls naming claude-sonnet-4-5 are served by gpt-4o-mini: a saving against Sonnet.
    expect((await apiCall(user, "PUT", "/api/bridge", { rules: [{ match: "claude-sonnet-4-5", targets: ["openai/gpt-4o-mini"] }] })).status).toBe(200);
    const app = (await apiCall(user, "POST", "/api/keys", { name: "app" })).body as { id: string; key: string; prefix: string };
    const ci = (await apiCall(user, "POST", "/api/keys", { name: "ci" })).body as { id: string; key: string; prefix: string };
    const prompt = (i: number) => `call ${i}: ${"the quick brown fox jumps over the lazy dog ".repeat(200)}`;
    const calls: [key: string, model: string][] = [
      [app.key, "gpt-4o"],
      [app.key, "claude-sonnet-4-5"],
      [app.key, "claude-sonnet-4-5"],
      [ci.key, "gpt-4o"],
      [ci.key, "gpt-4o-mini"],
    ];
    for (const [i, [key, model]] of calls.entries()) {
      const client = new OpenAI({ baseURL: `${platform}/v1`, apiKey: key, maxRetries: 0 });
      await client.chat.completions.create({ model, max_tokens: 40, messages: [{ role: "user", content: prompt(i) }] });
    }
    await until(
      () => query<{ n: number }>("select coalesce(sum(requests), 0) as n from usage_daily where workspace_id = ?", [ws.id]),
      (r) => r[0]!.n === calls.length,
      10_000,
    );
    const usage = (await apiCall(user, "GET", "/api/usage")).body as UsageBody;
    expect(usage.byKey).toHaveLength(2);
    expect(usage.savingsUsd).toBeGreaterThan(0);

    const { page, errors } = await phone(user);
    await page.goto(`${origin}/usage`);
    await page.locator('[data-testid="usage"]').waitFor();
    expect(await page.locator('[aria-current="page"]').textContent()).toBe("Usage");

    // The budget meter and the money, as /api/usage has them.
    expect(await page.getAttribute('[data-testid="budget-remaining"]', "data-value")).toBe(String(usage.remainingTokens));
    expect(await page.textContent('[data-testid="budget-remaining"]')).toBe(formatTokens(usage.remainingTokens));
    expect(await page.textContent('[data-testid="budget-used"]')).toBe(formatTokens(usage.usedTokens));
    expect(await page.textContent('[data-testid="budget-total"]')).toBe(formatTokens(usage.budgetTokens));
    const meter = page.getByRole("meter", { name: "Tokens used this month" });
    expect(await meter.getAttribute("aria-valuenow")).toBe(String(usage.usedTokens));
    expect(await meter.getAttribute("aria-valuemax")).toBe(String(usage.budgetTokens));
    expect(await meter.getAttribute("aria-valuetext")).toContain(`${formatTokens(usage.remainingTokens)} left`);
    expect(await page.getAttribute('[data-testid="usage-cost"]', "data-value")).toBe(String(usage.costUsd));
    expect(await page.textContent('[data-testid="usage-cost"]')).toBe(formatUsd(usage.costUsd));
    const baseline = Math.round((usage.costUsd + usage.savingsUsd) * 1e6) / 1e6;
    expect(await page.textContent('[data-testid="usage-baseline"]')).toBe(formatUsd(baseline));
    expect(await page.textContent('[data-testid="usage-savings"]')).toMatch(new RegExp(`^${formatUsd(usage.savingsUsd).replace("$", "\\$")} \\(\\d+(\\.\\d)?%\\)$`));

    // Every chart is drawn, labelled for screen readers, and has its numbers as a table.
    for (const id of ["by-day", "by-model", "by-key", "savings"]) {
      const svg = page.locator(`[data-testid="svg-${id}"]`);
      expect(await svg.count(), id).toBe(1);
      expect(await svg.getAttribute("role")).toBe("img");
      expect(await svg.locator("rect.usage-bar").count(), id).toBeGreaterThan(0);
      expect(await page.locator(`[data-testid="table-${id}"] table`).count(), id).toBe(1);
    }
    const today = new Date().toISOString().slice(0, 10);
    const day = usage.byDay.find((d) => d.day === today)!;
    expect(Object.values(await tableRows(page, "by-day"))).toEqual([cells(day)]);
    expect(await page.locator(`[data-testid="svg-by-day"] rect[data-day="${today}"]`).getAttribute("data-value")).toBe(String(day.inputTokens + day.outputTokens));

    const models = await tableRows(page, "by-model");
    expect(Object.keys(models).sort()).toEqual(usage.byModel.map((m) => m.model).sort());
    for (const m of usage.byModel) expect(models[m.model], m.model).toEqual(cells(m));
    const sum = (k: keyof Figures) => usage.byModel.reduce((n, m) => n + m[k], 0);
    expect(await totalRow(page, "by-model")).toEqual(cells({ requests: sum("requests"), inputTokens: sum("inputTokens"), outputTokens: sum("outputTokens"), costUsd: usage.costUsd, savingsUsd: usage.savingsUsd }));

    const keys = await tableRows(page, "by-key");
    const label = (k: { id: string; prefix: string }, name: string) => `${name} (${k.prefix})`;
    for (const [k, name] of [[app, "app"], [ci, "ci"]] as const) {
      const row = usage.byKey.find((b) => b.keyId === k.id)!;
      expect(keys[label(k, name)], name).toEqual(cells(row));
    }

    const savings = await tableRows(page, "savings");
    for (const m of usage.byModel) {
      const base = Math.round((m.costUsd + m.savingsUsd) * 1e6) / 1e6;
      expect(savings[m.model]!.slice(0, 3), m.model).toEqual([formatUsd(m.costUsd), formatUsd(base), formatUsd(m.savingsUsd)]);
    }
    expect((await totalRow(page, "savings")).slice(0, 3)).toEqual([formatUsd(usage.costUsd), formatUsd(baseline), formatUsd(usage.savingsUsd)]);
    expect(await page.locator('[data-testid="chart-savings"] [id="savings-summary"]').textContent()).toContain(`${formatUsd(usage.savingsUsd)} saved`);

    // The tables are hidden from the eye (not from screen readers) until asked for; shown, they scroll in place.
    const modelTable = page.locator('[data-testid="table-by-model"]');
    expect((await modelTable.boundingBox())!.width).toBeLessThanOrEqual(1);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/usage.png", fullPage: true });
    await page.getByTestId("toggle-by-model").click();
    expect(await page.getByTestId("toggle-by-model").getAttribute("aria-expanded")).toBe("true");
    expect((await modelTable.boundingBox())!.width).toBeGreaterThan(300);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);

    // Cost instead of tokens.
    await page.getByRole("button", { name: "Cost" }).click();
    expect(await page.getByRole("heading", { name: "Cost per day" }).count()).toBe(1);
    const top = [...usage.byModel].sort((a, b) => b.costUsd - a.costUsd)[0]!;
    expect(await page.locator(`[data-testid="svg-by-model"] g[data-label="${top.model}"]`).getAttribute("data-value")).toBe(String(top.costUsd));
    await page.screenshot({ path: "test-results/usage-cost-table.png", fullPage: true });

    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: "test-results/usage-dark.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });

    // Tap targets of the screen are thumb-sized.
    const small = await page.locator(".usage-screen").evaluate((root) =>
      Array.from(root.querySelectorAll("button")).filter((el) => el.getBoundingClientRect().height < 44).map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(small).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("shows an empty month plainly after signing in", async () => {
    const user = await signUp(uniqueEmail("pwa-usage-empty"));
    const { page, errors } = await phone();
    await page.goto(`${origin}/usage`);
    await page.locator('[data-testid="sign-in"]').waitFor();
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator('[data-testid="usage-empty"]').waitFor();
    const usage = (await apiCall(user, "GET", "/api/usage")).body as UsageBody;
    expect(await page.textContent('[data-testid="budget-remaining"]')).toBe(formatTokens(usage.remainingTokens));
    expect(await page.textContent('[data-testid="usage-cost"]')).toBe("$0.00");
    expect(await page.locator("svg[role=img]").count()).toBe(0);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/usage-empty.png", fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows the API's message when usage cannot be read, and tries again", async () => {
    const user = await signUp(uniqueEmail("pwa-usage-error"));
    const { page, errors } = await phone(user);
    await page.route("**/api/usage", (route) => route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "unavailable", message: "Usage is being tallied; try again in a minute." } }) }));
    await page.goto(`${origin}/usage`);
    await expect.poll(() => page.textContent('[data-testid="usage-error"]'), { timeout: 10_000 }).toBe("Usage is being tallied; try again in a minute.");
    await page.unroute("**/api/usage");
    await page.getByRole("button", { name: "Try again" }).click();
    await page.locator('[data-testid="usage-empty"]').waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
