import { mkdir } from "node:fs/promises";
import OpenAI from "openai";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { STATE_LABEL, type DeploymentListItem } from "../../../web/src/lib/deployments-api";
import { formatTokens, formatUsd } from "../../../web/src/lib/usage-api";
import { apiCall, me, query, setPlan, signUp, uniqueEmail } from "../auth-client";
import { until } from "../wait";
import { useChromium } from "./chromium";
import { pageWidth, phonePage } from "./phone";

/**
 * The dashboard of the PWA (/home, Chromium at 390 px): the month's budget left, spend and savings as
 * /api/usage has them, deployments counted by state with the latest three linked, quick links; signed out,
 * the brand's pitch with where to start.
 */
const platform = inject("platformUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();
const MODEL = "HuggingFaceTB/SmolLM2-135M-Instruct";
/** Buttons and links of the screen shorter than a thumb (44 px). */
const smallTargets = (page: Page) =>
  page.locator(".home-screen").evaluate((root) =>
    Array.from(root.querySelectorAll("button, a"))
      .filter((el) => (el as HTMLElement).offsetParent !== null && el.getBoundingClientRect().height < 44)
      .map((el) => el.outerHTML.slice(0, 80)),
  );

beforeAll(async () => {
  await mkdir("test-results", { recursive: true });
});

describe("the dashboard in the PWA (Chromium, 390 px)", () => {
  it("shows the budget left, spend, savings and deployments with the API's numbers", async () => {
    const user = await signUp(uniqueEmail("pwa-home"), "Dana Dash");
    const ws = (await me(user.browser)).workspaces[0]!;
    // Pro: the calls below reach the Western stand-ins, which the Free plan does not serve.
    await setPlan(ws.id, "pro");
    // Calls naming claude-sonnet-4-5 are served by gpt-4o-mini: a saving against Sonnet.
    expect((await apiCall(user, "PUT", "/api/bridge", { rules: [{ match: "claude-sonnet-4-5", targets: ["openai/gpt-4o-mini"] }] })).status).toBe(200);
    const key = (await apiCall(user, "POST", "/api/keys", { name: "home" })).body.key as string;
    const client = new OpenAI({ baseURL: `${platform}/v1`, apiKey: key, maxRetries: 0 });
    for (const model of ["claude-sonnet-4-5", "gpt-4o"]) await client.chat.completions.create({ model, max_tokens: 20, messages: [{ role: "user", content: "hello from the dashboard test" }] });
    await until(
      () => query<{ n: number }>("select coalesce(sum(requests), 0) as n from usage_daily where workspace_id = ?", [ws.id]),
      (r) => r[0]!.n === 2,
      10_000,
    );
    const ids: string[] = [];
    for (const name of ["home-a", "home-b", "home-c", "home-d"]) {
      const created = await apiCall(user, "POST", "/api/deployments", { model: MODEL, name, scaling: { workersMin: 0, workersMax: 1 } });
      expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
      ids.push(created.body.id as string);
    }
    // Settled states, so the page and the API agree on the counts.
    const list = await until(
      () => apiCall(user, "GET", "/api/deployments"),
      (r) => (r.body.deployments as DeploymentListItem[]).every((d) => d.state === "ready" || d.state === "failed"),
      60_000,
      500,
    );
    const deployments = list.body.deployments as DeploymentListItem[];
    const usage = (await apiCall(user, "GET", "/api/usage")).body as { remainingTokens: number; budgetTokens: number; costUsd: number; savingsUsd: number };
    expect(usage.savingsUsd).toBeGreaterThan(0);

    const { page, errors } = await phonePage(browser(), origin, user);
    await page.goto(`${origin}/home`);
    await page.locator('[data-testid="home-budget-left"]').waitFor();
    expect(await page.locator('[aria-current="page"]').textContent()).toBe("Home");
    expect(await page.textContent("#home-title")).toBe("Hello, Dana Dash");
    expect(await page.textContent('[data-testid="home-budget-left"]')).toBe(`${formatTokens(usage.remainingTokens)} tokens`);
    expect(await page.textContent('[data-testid="home-budget-of"]')).toContain(formatTokens(usage.budgetTokens));
    expect(await page.textContent('[data-testid="home-spend"]')).toBe(formatUsd(usage.costUsd));
    expect(await page.textContent('[data-testid="home-savings"]')).toBe(formatUsd(usage.savingsUsd));

    await page.locator('[data-testid="home-deployment-counts"]').waitFor();
    const counts = new Map<string, number>();
    for (const d of deployments) counts.set(d.state, (counts.get(d.state) ?? 0) + 1);
    expect(await page.locator('[data-testid="home-deployment-counts"] li').allTextContents()).toEqual([...counts].map(([s, n]) => `${n} ${STATE_LABEL[s as keyof typeof STATE_LABEL]}`));
    const latest = [...deployments].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 3);
    const links = page.locator('[data-testid="home-deployment"]');
    expect(await links.count()).toBe(3);
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(latest.map((d) => `/deployments/${d.id}`));

    const quick = page.locator('[data-testid="home-quick-links"] a');
    expect(await quick.allTextContents()).toEqual(expect.arrayContaining(["Models", "Keys", "IDE setup", "Usage", "Billing"]));
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/home-dashboard.png", fullPage: true });

    await links.first().click();
    await page.waitForURL(`${origin}/deployments/${latest[0]!.id}`);
    expect(errors).toEqual([]);
    await page.context().close();
    for (const id of ids) await apiCall(user, "DELETE", `/api/deployments/${id}`);
  });

  it("pitches the brand to a signed-out visitor, with sign-up, models and the price estimate", async () => {
    const { page, errors } = await phonePage(browser(), origin);
    await page.goto(`${origin}/home`);
    const pitch = page.locator('[data-testid="home-pitch"]');
    await pitch.waitFor();
    const brand = (await (await fetch(`${platform}/api/brand`)).json()) as { name: string };
    expect(await pitch.textContent()).toContain(brand.name);
    expect(await pitch.getByRole("link", { name: "Create an account" }).getAttribute("href")).toBe("/signup");
    expect(await pitch.getByRole("link", { name: "Browse models" }).getAttribute("href")).toBe("/models");
    expect(await pitch.getByRole("link", { name: "Estimate your price" }).getAttribute("href")).toBe("/");
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/home-pitch.png", fullPage: true });

    // Desktop: the cards sit side by side, nothing spills.
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await pageWidth(page)).toBeLessThanOrEqual(1280);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
