import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { compactNumber, contextLabel, filtersFromSearch, parameterLabel, searchQueryString, taskLabel, usd, type DiscoverFilters } from "../../../web/src/lib/discover-query";
import { apiCall, signUp, uniqueEmail, type SignedUp } from "../auth-client";
import { getWithHost } from "../host-request";
import { useChromium } from "./chromium";
import { catalogReady } from "../catalog-ready";

/**
 * Model discovery in the PWA (/models and /models/<owner>/<name>, Chromium at 390 px): type-ahead search,
 * chip filters and sorts that agree with the API's own answers, pages from the cursor, a model's facts and
 * live price, favorites, a one-tap deploy, refusals, the empty, error and offline states. The catalog is
 * filled by the cron from the Hub stand-in (as test/e2e/catalog.test.ts does).
 */
const platform = inject("platformUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();
const SESSION_COOKIE = "better-auth.session_token";
const SMOL = "HuggingFaceTB/SmolLM2-135M-Instruct";
const QWEN_7B = "Qwen/Qwen2.5-7B-Instruct";

interface Phone {
  page: Page;
  errors: string[];
}

async function phone(user?: SignedUp): Promise<Phone> {
  const context = await browser().newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  if (user) await context.addCookies([{ name: SESSION_COOKIE, value: user.browser.cookies.get(SESSION_COOKIE)!, url: origin, httpOnly: true, sameSite: "Lax" }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, errors };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(path: string): Promise<any> {
  const res = await fetch(`${platform}${path}`);
  expect(res.status, path).toBe(200);
  return res.json();
}

/** What the API answers for the filters, asked exactly as the screen asks (same query string). */
async function apiIds(f: Partial<DiscoverFilters>, cursor?: string): Promise<{ ids: string[]; nextCursor: string | null; facets: Record<string, { value: string; count: number }[]> }> {
  const body = await api(`/api/models?${searchQueryString({ q: "", sort: "trending", ...f }, cursor)}`);
  return { ids: body.models.map((m: { id: string }) => m.id), nextCursor: body.nextCursor, facets: body.facets };
}

/** expect.poll with room for a cold page (the first load compiles and fetches the screen's chunk). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000, interval: 100 });
const cardIds = (page: Page) => page.locator('[data-testid="results"] [data-testid="model-card"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-model-id")!));
const urlFilters = (page: Page) => filtersFromSearch(new URL(page.url()).search);
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** Visible buttons, links and inputs of the screen smaller than a thumb (44 px) in either direction. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>(".discover button, .discover a, .discover input, .discover select, .discover summary"))
      .filter((el) => el.offsetParent !== null && !el.closest(".visually-hidden"))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.height < 43.5 || r.width < 43.5))
      .map(({ el, r }) => `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`),
  );
}

async function screenshot(page: Page, name: string) {
  await mkdir("test-results", { recursive: true });
  await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
}

beforeAll(() => catalogReady(platform), 60_000);

describe("model discovery in the PWA (Chromium, 390 px)", () => {
  it("searches as you type, filters with chips, sorts and loads more, agreeing with the API", async () => {
    const { page, errors } = await phone();
    await page.goto(`${origin}/models`);
    // A plain browse: trending, with the browse sections and the verticals.
    await poll(() => cardIds(page)).toEqual((await apiIds({})).ids);
    expect(await page.textContent("#results-title")).toBe("Trending");
    const vertical = page.locator('[data-testid="verticals"] details').first();
    await vertical.locator("summary").click();
    await vertical.locator(".vertical-models a").first().waitFor();
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, "discover-browse");

    // Type-ahead: the last word is a prefix, so "qwe" already finds Qwen; the address follows.
    const search = page.getByRole("searchbox", { name: "Search models" });
    await search.pressSequentially("qwe", { delay: 40 });
    await poll(() => urlFilters(page)).toEqual({ q: "qwe", sort: "trending" });
    await poll(() => cardIds(page)).toEqual((await apiIds({ q: "qwe" })).ids);
    await search.pressSequentially("n", { delay: 40 });
    await poll(() => urlFilters(page)).toEqual({ q: "qwen", sort: "trending" });
    const qwen = await apiIds({ q: "qwen" });
    await poll(() => cardIds(page)).toEqual(qwen.ids);
    await poll(() => page.textContent('[data-testid="result-count"]')).toBe("20 shown, more below");
    expect(qwen.ids.length).toBe(20);
    expect(await page.isVisible('[data-testid="verticals"]')).toBe(false); // a search hides the browse sections

    // A chip narrows the list; its count is the facet's, and the list is the API's answer for the same query.
    await page.getByText("Filters", { exact: true }).click();
    const codeChip = page.locator('[data-testid="filter-category"] button[data-value="code"]');
    const codeCount = qwen.facets.category!.find((c) => c.value === "code")!.count;
    expect(await codeChip.locator(".chip-count").textContent()).toBe(codeCount.toLocaleString("en-US"));
    await codeChip.click();
    const qwenCode = await apiIds({ q: "qwen", category: "code" });
    await poll(() => cardIds(page)).toEqual(qwenCode.ids);
    expect(qwenCode.ids.length).toBe(Math.min(20, codeCount));
    expect(qwenCode.ids.length).toBeLessThan(qwen.ids.length);
    expect(await codeChip.getAttribute("aria-pressed")).toBe("true");
    expect(urlFilters(page)).toEqual({ q: "qwen", category: "code", sort: "trending" });
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, "discover-filtered");

    // Sort: most downloaded first.
    await page.locator('[data-testid="filter-sort"] button[data-value="downloads"]').click();
    const byDownloads = await apiIds({ q: "qwen", category: "code", sort: "downloads" });
    await poll(() => cardIds(page)).toEqual(byDownloads.ids);
    expect(byDownloads.ids).not.toEqual(qwenCode.ids);

    // The chip off again (from the active-filter line), then a second page from the cursor: appended, no duplicates.
    await page.getByRole("button", { name: /^Remove filter Category/ }).click();
    const first = await apiIds({ q: "qwen", sort: "downloads" });
    await poll(() => cardIds(page)).toEqual(first.ids);
    expect(first.nextCursor).not.toBeNull();
    await page.getByTestId("load-more").click();
    const second = await apiIds({ q: "qwen", sort: "downloads" }, first.nextCursor!);
    await poll(() => cardIds(page)).toEqual([...first.ids, ...second.ids]);
    const ids = await cardIds(page);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(40);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows each brand its own verticals, in its order and words", async () => {
    const { page, errors } = await phone();
    for (const host of ["swaggystacks.localhost", "scientiacapital.localhost"]) {
      const want = JSON.parse((await getWithHost(platform, host, "/api/models/verticals")).text) as { verticals: { id: string; title: string }[] };
      await page.goto(`http://${host}:${new URL(platform).port}/models`);
      await poll(() => page.locator("[data-vertical]").evaluateAll((els) => els.map((e) => `${e.getAttribute("data-vertical")}: ${e.querySelector("summary")!.textContent}`))).toEqual(
        want.verticals.map((v) => `${v.id}: ${v.title}`),
      );
    }
    expect(await page.getAttribute("[data-vertical]", "data-vertical")).toBe("finance"); // ScientiaCapital leads with finance
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("opens a model: facts and price are the API's, the price follows the scaling, and back keeps the list", async () => {
    const { page, errors } = await phone();
    await page.goto(`${origin}/models?q=qwen2.5%207b%20instruct&sort=downloads`);
    const card = page.locator(`[data-testid="model-card"][data-model-id="${QWEN_7B}"]`);
    await card.waitFor();
    const listBefore = await cardIds(page);
    await card.locator("a.model-link").click();
    await page.waitForURL(`${origin}/models/${QWEN_7B}`);
    await page.getByTestId("model-detail").waitFor();

    const d = await api(`/api/models/${QWEN_7B}`);
    await page.getByTestId("model-facts").waitFor();
    expect(await page.textContent('[data-testid="fact-task"]')).toBe(taskLabel(d.task));
    expect(await page.textContent('[data-testid="fact-parameters"]')).toBe(parameterLabel(d.parameters));
    expect(await page.textContent('[data-testid="fact-context"]')).toBe(d.contextLength ? `${contextLabel(d.contextLength)} tokens` : "unknown");
    expect(await page.textContent('[data-testid="fact-license"]')).toBe(d.license);
    expect(await page.textContent('[data-testid="fact-gated"]')).toBe("open");
    expect(await page.textContent('[data-testid="fact-architecture"]')).toBe(d.architecture);
    expect(await page.textContent('[data-testid="fact-downloads"]')).toBe(compactNumber(d.downloads));
    expect(await page.textContent('[data-testid="fact-likes"]')).toBe(compactNumber(d.likes));
    expect(await page.locator('[data-testid="fact-categories"] a').count()).toBe(d.categories.length);
    expect(await page.getAttribute('[data-testid="hub-link"]', "href")).toBe(d.links.hub);
    // The price: the planner's numbers as the API gives them.
    const est = d.deploy.estimate;
    expect(await page.textContent('[data-testid="per-hour"]')).toBe(`${usd(est.perWorker.usdPerHour)}/h`);
    expect(await page.textContent('[data-testid="monthly"]')).toBe(`${usd(est.monthly.minUsd, 0)}–${usd(est.monthly.maxUsd, 0)}`);
    expect(await page.textContent('[data-testid="per-million"]')).toBe(usd(est.perMillionTokens.usd, 4));
    expect(await page.locator('[data-testid="comparison"] li').count()).toBe(d.replaces.length);
    expect(await page.textContent('[data-testid="replaces"]')).toContain(d.replaces[0].model);
    expect(await page.inputValue('input[name="gpu"]')).toBe(d.deploy.gpu.pool);
    expect(await page.inputValue('select[name="workersMax"]')).toBe(String(d.deploy.scaling.workersMax));

    // More workers at most: the monthly range is priced again, as the estimate endpoint prices it.
    await page.getByLabel("Max workers").selectOption("4");
    const four = await api(`/api/deployments/estimate?model=${encodeURIComponent(QWEN_7B)}&workersMax=4`);
    expect(four.estimate.monthly.maxUsd).toBeGreaterThan(est.monthly.maxUsd);
    await poll(() => page.textContent('[data-testid="monthly"]')).toBe(`${usd(four.estimate.monthly.minUsd, 0)}–${usd(four.estimate.monthly.maxUsd, 0)}`);
    // Min above max lifts max with it; the price says 5–5 workers.
    await page.getByLabel("Min workers").selectOption("5");
    const five = await api(`/api/deployments/estimate?model=${encodeURIComponent(QWEN_7B)}&workersMin=5&workersMax=5`);
    await poll(() => page.textContent('[data-testid="monthly"]')).toBe(`${usd(five.estimate.monthly.minUsd, 0)}–${usd(five.estimate.monthly.maxUsd, 0)}`);
    expect(await page.inputValue('select[name="workersMax"]')).toBe("5");
    // A pool the planner does not know: its sentence, and no Deploy.
    await page.locator('input[name="gpu"]').fill("NO_SUCH_POOL");
    await poll(() => page.textContent('[data-testid="estimate-error"]')).toMatch(/Unknown GPU pool "NO_SUCH_POOL"/);
    // Signed out: the form asks for a sign-in instead of deploying.
    expect(await page.textContent('[data-testid="deploy-sign-in"]')).toContain("Sign in to deploy");
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, "discover-model");

    // Back: the same list, without a reload.
    await page.getByRole("link", { name: "All models" }).click();
    await page.waitForURL(`${origin}/models?q=qwen2.5+7b+instruct&sort=downloads`);
    expect(await cardIds(page)).toEqual(listBefore);
    expect(await page.isVisible('[data-testid="model-detail"]')).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("keeps favorites for a signed-in person across reloads, and asks others to sign in", async () => {
    const anon = await phone();
    await anon.page.goto(`${origin}/models`);
    await anon.page.getByTestId("favorites-prompt").waitFor();
    await anon.page.locator('[data-testid="results"] [data-testid="favorite-toggle"]').first().click();
    await anon.page.getByTestId("favorites-sign-in").getByText("Sign in to keep favorites").waitFor();
    expect(anon.errors).toEqual([]);
    await anon.page.context().close();

    const user = await signUp(uniqueEmail("pwa-discover-fav"));
    const { page, errors } = await phone(user);
    await page.goto(`${origin}/models?q=smollm2%20135m`);
    const heart = page.locator(`[data-testid="model-card"][data-model-id="${SMOL}"] [data-testid="favorite-toggle"]`);
    await poll(() => heart.getAttribute("aria-pressed")).toBe("false");
    await heart.click();
    // The heart turns once the API has it (under load that is after the click returns).
    await poll(() => heart.getAttribute("aria-pressed")).toBe("true");
    await poll(async () => (await apiCall(user, "GET", "/api/favorites")).body.favorites.map((f: { modelId: string }) => f.modelId)).toEqual([SMOL]);

    await page.reload();
    await poll(() => heart.getAttribute("aria-pressed")).toBe("true");
    // The browse lists it under "Your favorites"; the heart there takes it off again.
    await page.goto(`${origin}/models`);
    const fav = page.locator('[data-testid="favorites"] li', { hasText: SMOL });
    await fav.waitFor();
    await fav.getByTestId("favorite-toggle").click();
    await poll(async () => (await apiCall(user, "GET", "/api/favorites")).body.favorites).toEqual([]);
    await page.reload();
    await page.getByText("Tap the heart on a model to keep it here.").waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("deploys a small model in one tap and lands on its deployment", async () => {
    const user = await signUp(uniqueEmail("pwa-discover-deploy"));
    const { page, errors } = await phone(user);
    await page.goto(`${origin}/models/${SMOL}`);
    const button = page.getByTestId("deploy-button");
    await poll(() => button.isEnabled()).toBe(true);
    await page.getByLabel("Max workers").selectOption("3");
    const three = await api(`/api/deployments/estimate?model=${encodeURIComponent(SMOL)}&workersMax=3`);
    await poll(() => page.textContent('[data-testid="monthly"]')).toBe(`${usd(three.estimate.monthly.minUsd, 0)}–${usd(three.estimate.monthly.maxUsd, 0)}`);
    expect(errors).toEqual([]);
    await button.click();
    await page.waitForURL(/\/deployments\/dep-[a-z2-7]+$/);
    const id = new URL(page.url()).pathname.split("/").pop()!;
    const shown = await apiCall(user, "GET", `/api/deployments/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id, model: SMOL, scaling: { workersMax: 3 } });
    expect((await apiCall(user, "DELETE", `/api/deployments/${id}`)).status).toBe(202);
    await page.context().close();
  });

  it("shows why a model cannot be deployed", async () => {
    const { page, errors } = await phone();
    const model = "stabilityai/stable-diffusion-xl-base-1.0";
    await page.goto(`${origin}/models/${model}`);
    const d = await api(`/api/models/${model}`);
    expect(d.deploy.deployable).toBe(false);
    await poll(() => page.textContent('[data-testid="deploy-refusal"]')).toBe(d.deploy.reason);
    expect(await page.getAttribute('[data-testid="deploy-refusal"]', "data-code")).toBe("not_text_model");
    expect(await page.isVisible('[data-testid="deploy-form"]')).toBe(false);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    // A model the Hub does not have: the API's sentence.
    await page.goto(`${origin}/models/nobody/no-such-model`);
    await poll(() => page.textContent('[data-testid="detail-error"]')).toContain("No model 'nobody/no-such-model'");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("says when nothing matches, with a way out, and shows the API's error", async () => {
    const { page, errors } = await phone();
    await page.goto(`${origin}/models?q=zzqxv&deployable=sglang`);
    await poll(() => page.textContent('[data-testid="empty-state"]')).toContain("No models match “zzqxv” · deployable on SGLang.");
    await screenshot(page, "discover-empty");
    await page.getByTestId("clear-filters").click();
    await poll(() => cardIds(page)).toEqual((await apiIds({})).ids);
    expect(new URL(page.url()).search).toBe("");
    expect(await page.inputValue('[data-testid="search"]')).toBe("");

    await page.route("**/api/models?*", (route) =>
      route.request().url().includes("q=llama") ? route.fulfill({ status: 503, json: { error: { code: "catalog_unavailable", message: "The catalog is being rebuilt; try again in a minute" } } }) : route.fallback(),
    );
    await page.getByRole("searchbox", { name: "Search models" }).fill("llama");
    await poll(() => page.textContent('[data-testid="discover-error"]')).toContain("The catalog is being rebuilt; try again in a minute");
    await page.unroute("**/api/models?*");
    await page.getByRole("button", { name: "Try again" }).click();
    await poll(() => cardIds(page)).toEqual((await apiIds({ q: "llama" })).ids);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("uses a desktop's width: a grid of cards, and the model beside its deploy form", async () => {
    const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${origin}/models?q=qwen`);
    await poll(() => cardIds(page)).toEqual((await apiIds({ q: "qwen" })).ids);
    const tops = await page.locator('[data-testid="results"] > li').evaluateAll((els) => els.slice(0, 3).map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1); // three cards side by side
    expect(await pageWidth(page)).toBeLessThanOrEqual(1280);
    await screenshot(page, "discover-desktop");
    await page.goto(`${origin}/models/${QWEN_7B}`);
    await page.getByTestId("deploy-form").waitFor();
    const facts = await page.getByTestId("model-facts").boundingBox();
    const form = await page.getByTestId("deploy-form").boundingBox();
    expect(form!.x).toBeGreaterThan(facts!.x + facts!.width - 1); // side by side
    expect(await pageWidth(page)).toBeLessThanOrEqual(1280);
    await screenshot(page, "discover-model-desktop");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("offline: keeps showing the last results and says so, then catches up", async () => {
    const { page, errors } = await phone();
    await page.goto(`${origin}/models?q=qwen`);
    const qwen = (await apiIds({ q: "qwen" })).ids;
    await poll(() => cardIds(page)).toEqual(qwen);

    await page.context().setOffline(true);
    await page.getByRole("searchbox", { name: "Search models" }).fill("mistral");
    await poll(() => page.textContent('[data-testid="offline-banner"]')).toContain("You are offline; showing the last results (from an earlier search)");
    expect(await cardIds(page)).toEqual(qwen);
    // Load more needs the network: it says so instead of failing.
    expect(await page.isVisible('[data-testid="load-more"]')).toBe(false);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, "discover-offline");

    await page.context().setOffline(false);
    await poll(() => cardIds(page)).toEqual((await apiIds({ q: "mistral" })).ids);
    expect(await page.isVisible('[data-testid="offline-banner"]')).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
