import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, PASSWORD, signUp, uniqueEmail, type SignedUp } from "../auth-client";
import { until } from "../wait";
import { useChromium } from "./chromium";
import { allowClipboard, pageWidth, phonePage } from "./phone";

/**
 * The deployments screen of the PWA (/deployments and /deployments/<id>, Chromium at 390 px): a model
 * deployed through the API comes up live on the page (server-sent events) against the RunPod stand-in,
 * shows how to call it, takes a scaling change that reaches the API, and is deleted from the page
 * (deleting, then deleted); the empty list, the sign-in gate and the API's error messages.
 */
const platform = inject("platformUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();
const MODEL = "HuggingFaceTB/SmolLM2-135M-Instruct";

function phone(user?: SignedUp) {
  return phonePage(browser(), origin, user, async (context) => {
    await allowClipboard(origin)(context);
    // Every state the detail page shows, in order, however briefly (recorded in the page itself).
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __states: string[] }).__states = seen;
      new MutationObserver(() => {
        const s = document.querySelector('[data-testid="deployment-detail"]')?.getAttribute("data-state");
        if (s && seen.at(-1) !== s) seen.push(s);
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"] });
    });
  });
}

const statesSeen = (page: Page) => page.evaluate(() => (window as unknown as { __states: string[] }).__states);
/** Buttons, fields and big links of the screen shorter than a thumb (44 px). */
const smallTargets = (page: Page) =>
  page.locator(".dep-screen").evaluate((root) =>
    Array.from(root.querySelectorAll("button, input, summary, a.dep-link, a.dep-button-link, a.dep-cta, .dep-back a"))
      .filter((el) => (el as HTMLElement).offsetParent !== null && el.getBoundingClientRect().height < 44)
      .map((el) => el.outerHTML.slice(0, 80)),
  );

beforeAll(async () => {
  await mkdir("test-results", { recursive: true });
});

describe("deployments in the PWA (Chromium, 390 px)", () => {
  it("follows a deploy live to ready, changes its scaling, and deletes it", async () => {
    const user = await signUp(uniqueEmail("pwa-deploy"));
    const { page, errors } = await phone(user);
    await page.goto(`${origin}/deployments`);
    await page.locator('[data-testid="deployments-empty"]').waitFor();
    expect(await page.locator('[aria-current="page"]').textContent()).toBe("Deployments");

    const created = await apiCall(user, "POST", "/api/deployments", { model: MODEL, scaling: { workersMin: 0, workersMax: 1 } });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const id = created.body.id as string;

    const streams: string[] = [];
    page.on("request", (r) => r.url().endsWith(`/api/deployments/${id}/events`) && streams.push(r.url()));
    await page.goto(`${origin}/deployments/${id}`);
    const detail = page.locator('[data-testid="deployment-detail"]');
    await detail.waitFor();
    await expect.poll(() => detail.getAttribute("data-state"), { timeout: 20_000 }).toBe("ready");
    expect(streams.length).toBeGreaterThan(0); // live over server-sent events, not a poll
    // It was watched coming up, not just found ready.
    const seen = await statesSeen(page);
    expect(seen.at(-1)).toBe("ready");
    expect(seen.length).toBeGreaterThan(1);
    const steps = page.locator('[data-testid="deployment-steps"] li');
    expect(await steps.evaluateAll((li) => li.map((l) => `${l.getAttribute("data-stage")}:${l.getAttribute("data-status")}`))).toEqual(["planned:done", "creating:done", "initializing:done", "ready:done"]);

    // What the API says, on the page: how to call it, GPU, price and cost.
    const api = (await apiCall(user, "GET", `/api/deployments/${id}`)).body;
    expect(api.state).toBe("ready");
    expect(await page.textContent('[data-testid="deployment-name"]')).toBe(api.name);
    expect(await page.textContent('[data-testid="deployment-status"]')).toBe(`Ready: call it as ${api.bridge.model}.`);
    expect(await page.textContent('[data-testid="bridge-model"]')).toBe(api.bridge.model);
    expect(api.bridge.model).toBe(`runpod/${api.name}`);
    expect(await page.textContent('[data-testid="endpoint-id"]')).toBe(api.endpointId);
    expect(await page.textContent('[data-testid="deployment-gpu"]')).toContain(api.gpu.label);
    const snippet = (await page.textContent('[data-testid="openai-snippet"]'))!;
    expect(snippet).toContain(`model: "${api.bridge.model}"`);
    expect(snippet).toContain(`baseURL: "${origin}/v1"`); // the page's own origin (the API answered 127.0.0.1 to the test)
    await page.getByRole("button", { name: "Copy snippet" }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), { timeout: 10_000 }).toBe(snippet);
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/deployment-ready.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: "test-results/deployment-ready-dark.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });

    // The list shows it with its badge.
    const list = await page.context().newPage();
    await list.goto(`${origin}/deployments`);
    const card = list.locator(`[data-testid="deployment"][data-id="${id}"]`);
    await card.waitFor();
    expect(await card.locator('[data-testid="state-badge"]').getAttribute("data-state")).toBe("ready");
    expect(await card.locator("a").getAttribute("href")).toBe(`/deployments/${id}`);
    expect(await pageWidth(list)).toBeLessThanOrEqual(390);
    await list.screenshot({ path: "test-results/deployments-list.png", fullPage: true });
    await list.close();

    // Scaling: the form refuses what cannot be, then the change reaches the API and the endpoint.
    const form = page.locator('[data-testid="scaling-form"]');
    expect(await form.getByLabel("Min workers").inputValue()).toBe("0");
    await form.getByLabel("Min workers").fill("4");
    await form.getByLabel("Max workers").fill("3");
    await form.getByRole("button", { name: "Save scaling" }).click();
    expect(await page.textContent('[data-testid="scaling-message"]')).toBe("The minimum cannot be above the maximum.");
    await form.getByLabel("Min workers").fill("0");
    await form.getByLabel("Idle timeout (s)").fill("120");
    await form.getByRole("button", { name: "Save scaling" }).click();
    const scaled = await until(
      () => apiCall(user, "GET", `/api/deployments/${id}`),
      (r) => r.body.scaling.workersMax === 3 && r.body.scaling.idleTimeoutSeconds === 120 && r.body.pendingScaling === null,
      10_000,
      200,
    );
    expect(scaled.body.scaling).toMatchObject({ workersMin: 0, workersMax: 3, idleTimeoutSeconds: 120 });
    await expect.poll(() => page.textContent('[data-testid="scaling-message"]'), { timeout: 10_000 }).toBe("Saved and applied.");
    expect(await form.getByLabel("Max workers").inputValue()).toBe("3");
    expect(await page.locator('[data-testid="deployment-log"] li').allTextContents()).toContainEqual(expect.stringMatching(/scaling set to 0-3 workers, idle timeout 120 s/));

    // Delete, behind a second tap: deleting, then deleted.
    await page.getByRole("button", { name: "Delete deployment" }).click();
    await page.getByRole("button", { name: "Delete it" }).click();
    await expect.poll(() => detail.getAttribute("data-state"), { timeout: 15_000 }).toBe("deleted");
    const all = await statesSeen(page);
    expect(all.slice(all.lastIndexOf("ready"))).toEqual(["ready", "deleting", "deleted"]);
    expect(await page.textContent('[data-testid="deployment-status"]')).toBe(`Deleted: the endpoint is gone and ${api.bridge.model} no longer answers.`);
    expect(await steps.evaluateAll((li) => li.map((l) => l.getAttribute("data-stage")))).toEqual(["planned", "creating", "initializing", "ready", "deleting", "deleted"]);
    expect((await apiCall(user, "GET", `/api/deployments/${id}`)).body.state).toBe("deleted");
    expect(await page.locator('[data-testid="scaling-form"]').count()).toBe(0);
    await page.screenshot({ path: "test-results/deployment-deleted.png", fullPage: true });

    await page.getByRole("link", { name: "Back to deployments" }).click();
    await page.locator('[data-testid="deployments-empty"]').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("asks a signed-out phone to sign in, then shows the deployment", async () => {
    const user = await signUp(uniqueEmail("pwa-deploy-gate"));
    const created = await apiCall(user, "POST", "/api/deployments", { model: MODEL, name: "gated-view", scaling: { workersMin: 0, workersMax: 1 } });
    expect(created.status).toBe(202);
    const { page, errors } = await phone();
    await page.goto(`${origin}/deployments/${created.body.id}`);
    await page.locator('[data-testid="sign-in"]').waitFor();
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.locator('[data-testid="deployment-name"]').textContent()).toBe("gated-view");
    await expect.poll(() => page.locator('[data-testid="deployment-detail"]').getAttribute("data-state"), { timeout: 20_000 }).toBe("ready");
    await apiCall(user, "DELETE", `/api/deployments/${created.body.id}`);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 40_000);

  it("polls when the live stream is unavailable, and says why a deployment failed", async () => {
    const user = await signUp(uniqueEmail("pwa-deploy-failed"));
    const created = await apiCall(user, "POST", "/api/deployments", { model: MODEL, name: "will-fail", scaling: { workersMin: 0, workersMax: 1 } });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    const reason = "RunPod refused the endpoint: no A4000 capacity in any region";
    const { page, errors } = await phone(user);
    // No event stream (a proxy that buffers it, say): the page must poll GET instead, which here answers failed.
    await page.route(`**/api/deployments/${id}/events`, (route) => route.abort());
    let polls = 0;
    await page.route(`**/api/deployments/${id}`, (route) => {
      polls++;
      const at = new Date().toISOString();
      const steps = [...created.body.steps, { state: "creating", at, note: "creating the RunPod endpoint" }, { state: "failed", at, note: reason }];
      return route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ ...created.body, state: "failed", error: reason, lastError: reason, steps }) });
    });
    await page.goto(`${origin}/deployments/${id}`);
    await page.locator('[data-testid="deployment-failure"]').waitFor();
    expect(polls).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="deployment-failure"]')).toBe(`Why it failed: ${reason}`);
    expect(await page.locator('[data-testid="state-badge"]').getAttribute("data-state")).toBe("failed");
    const steps = page.locator('[data-testid="deployment-steps"] li');
    expect(await steps.evaluateAll((li) => li.map((l) => `${l.getAttribute("data-stage")}:${l.getAttribute("data-status")}`))).toEqual(["planned:done", "creating:done", "failed:failed"]);
    expect(await page.locator('[data-testid="scaling-form"]').count()).toBe(0); // a failed deployment cannot be scaled
    expect(await page.getByRole("button", { name: "Delete deployment" }).count()).toBe(1);
    // Failed is final: the page stops asking.
    const settled = polls;
    await new Promise((r) => setTimeout(r, 2000));
    expect(polls).toBe(settled);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/deployment-failed.png", fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
    await apiCall(user, "DELETE", `/api/deployments/${id}`);
  });

  it("shows the API's message for an unknown deployment and a failed list", async () => {
    const user = await signUp(uniqueEmail("pwa-deploy-error"));
    const { page, errors } = await phone(user);
    await page.goto(`${origin}/deployments/dep_no_such_thing`);
    await expect.poll(() => page.textContent('[data-testid="deployment-error"]'), { timeout: 10_000 }).toBe("No such deployment");
    expect(await page.getByRole("link", { name: "← All deployments" }).getAttribute("href")).toBe("/deployments");

    await page.route("**/api/deployments", (route) => route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "unavailable", message: "Deployments are resting; try again in a minute." } }) }));
    await page.goto(`${origin}/deployments`);
    await expect.poll(() => page.textContent('[data-testid="deployments-error"]'), { timeout: 10_000 }).toBe("Deployments are resting; try again in a minute.");
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
