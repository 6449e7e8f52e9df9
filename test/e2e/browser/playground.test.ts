import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, Browser, me, operatorAccount, PASSWORD, signUp, uniqueEmail, type SignedUp } from "../auth-client";
import { useChromium } from "./chromium";
import { pageWidth, phonePage } from "./phone";

/**
 * The playground in the PWA (Chromium at 390 px, then a desktop): deploy a small model from its page,
 * watch it become ready, open the playground from it, chat with it and see the answer stream in with its
 * cost and speed, keep the conversation for a second turn, stop an answer, then compare it side by side
 * with a Western model once the workspace is on Pro (the Free plan serves open models only). The states:
 * signed out, no models, the API's refusal in its own words, offline.
 */
const platform = inject("platformUrl");
const sandbox = inject("sandboxUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();
const SMOL = "HuggingFaceTB/SmolLM2-135M-Instruct";

/** A sandbox fault rule (slow chunks, say) for the served model; returns a function that removes it. */
async function fault(rule: Record<string, unknown>): Promise<() => Promise<void>> {
  const res = await fetch(`${sandbox}/_control/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
  expect(res.status, await res.clone().text()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  return async () => void (await fetch(`${sandbox}/_control/faults/${id}`, { method: "DELETE" }));
}

function phone(user?: SignedUp) {
  return phonePage(browser(), origin, user, async (context) => {
    // Every length an answer's text had while it streamed, recorded in the page itself.
    await context.addInitScript(() => {
      const lengths: number[] = [];
      (window as unknown as { __lengths: number[] }).__lengths = lengths;
      new MutationObserver(() => {
        const texts = document.querySelectorAll('[data-testid="answer"][data-status="streaming"] [data-testid="answer-text"]');
        const last = texts[texts.length - 1];
        // The placeholder shown before the first token is not the answer.
        const n = last && !last.querySelector(".muted") ? (last.textContent?.length ?? 0) : 0;
        if (n && lengths.at(-1) !== n) lengths.push(n);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
  });
}

const poll = <T>(fn: () => Promise<T> | T, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });
const answers = (page: Page) => page.locator('[data-testid="turn"]').last().locator('[data-testid="answer"]');
/** Buttons, fields and links of the screen shorter than a thumb (44 px). */
const smallTargets = (page: Page) =>
  page.locator(".play-screen").evaluate((root) =>
    Array.from(root.querySelectorAll("button, select, textarea, a, label.play-switch"))
      .filter((el) => (el as HTMLElement).offsetParent !== null && el.getBoundingClientRect().height < 44)
      .map((el) => el.outerHTML.slice(0, 80)),
  );

beforeAll(async () => {
  await mkdir("test-results", { recursive: true });
});

describe("the playground in the PWA (Chromium, 390 px)", () => {
  it("deploys a model, watches it become ready, chats with it streaming, then compares two models side by side", async () => {
    const user = await signUp(uniqueEmail("pwa-play"));
    const ws = (await me(user.browser)).workspaces[0]!.id;
    const { page, errors } = await phone(user);

    // Deploy from the model's page and follow it to ready.
    await page.goto(`${origin}/models/${SMOL}`);
    const deploy = page.getByTestId("deploy-button");
    await poll(() => deploy.isEnabled()).toBe(true);
    await deploy.click();
    await page.waitForURL(/\/deployments\/dep-[a-z2-7]+$/);
    const detail = page.locator('[data-testid="deployment-detail"]');
    await poll(() => detail.getAttribute("data-state"), 30_000).toBe("ready");
    const id = new URL(page.url()).pathname.split("/").pop()!;
    const dep = (await apiCall(user, "GET", `/api/deployments/${id}`)).body;
    expect(dep.steps.map((s: { state: string }) => s.state)).toEqual(["planned", "creating", "initializing", "ready"]);

    // Open the playground from it: the model is chosen.
    await page.getByTestId("open-playground").click();
    await page.waitForURL(`${origin}/playground?model=${encodeURIComponent(dep.bridge.model)}`);
    const model = page.getByLabel("Model", { exact: true });
    await poll(() => model.inputValue()).toBe(dep.bridge.model);
    expect(await page.locator('[aria-current="page"]').textContent()).toBe("Playground");
    expect(await page.locator(".play-price").first().textContent()).toContain("per million tokens");

    // Chat: the answer streams in (the stand-in sends its chunks 80 ms apart), then its cost and speed.
    const removeSlow = await fault({ service: "runpod-serverless", match: { model: SMOL }, chunkDelayMs: 80, times: 1 });
    const sent: unknown[] = [];
    page.on("request", (r) => r.url().endsWith("/api/playground/chat") && sent.push(r.postDataJSON()));
    await page.getByLabel("Message").fill("Hello from the playground");
    await page.getByRole("button", { name: "Send" }).click();
    await poll(() => page.getByTestId("stop").isVisible()).toBe(true); // Stop replaces Send while it streams
    const first = answers(page).first();
    await poll(() => first.getAttribute("data-status")).toBe("done");
    await removeSlow();
    const text = (await first.getByTestId("answer-text").textContent())!;
    expect(text).toContain("Hello from the playground");
    const lengths = await page.evaluate(() => (window as unknown as { __lengths: number[] }).__lengths);
    expect(lengths.length, `lengths seen while streaming: ${lengths}`).toBeGreaterThan(2); // it grew, chunk by chunk
    expect(lengths.at(-1)!).toBeLessThanOrEqual(text.length);
    expect(await first.getByTestId("answer-cost").textContent()).toMatch(/^\$0\.\d{6}$|^\$\d+\.\d{2}$/);
    expect(await first.getByTestId("answer-tokens").textContent()).toMatch(/^\d+ in · \d+ out$/);
    expect(await first.getByTestId("answer-ttft").textContent()).toMatch(/^\d+ ms$|^\d+\.\d s$/);
    expect(await first.getByTestId("answer-speed").textContent()).toMatch(/^\d+(\.\d)? tok\/s$/);
    expect(await first.locator('[aria-live="polite"]').count()).toBe(1);
    expect(await page.getByRole("button", { name: "Send" }).isVisible()).toBe(true);

    // A second turn carries the first: the model sees the whole conversation.
    await page.getByLabel("Message").fill("And a follow-up");
    await page.keyboard.press("Enter");
    await poll(() => answers(page).first().getAttribute("data-status")).toBe("done");
    expect(sent.at(-1)).toMatchObject({
      model: dep.bridge.model,
      stream: true,
      messages: [
        { role: "user", content: "Hello from the playground" },
        { role: "assistant", content: text },
        { role: "user", content: "And a follow-up" },
      ],
    });
    expect(await page.locator('[data-testid="turn"]').count()).toBe(2);

    // Stop: a slow answer is cut where it is.
    const removeSlower = await fault({ service: "runpod-serverless", match: { model: SMOL }, chunkDelayMs: 1000, times: 1 });
    await page.getByLabel("Message").fill("Take your time");
    await page.getByRole("button", { name: "Send" }).click();
    await poll(() => answers(page).first().getByTestId("answer-text").textContent()).not.toContain("Waiting");
    await page.getByTestId("stop").click();
    await poll(() => answers(page).first().getAttribute("data-status")).toBe("stopped");
    await removeSlower();
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/playground-chat.png", fullPage: true });

    // The calls are the workspace's, without a key.
    await poll(async () => (await apiCall(user, "GET", "/api/usage")).body.byKey.find((k: { keyId: string | null }) => k.keyId === null)?.requests ?? 0, 10_000).toBeGreaterThanOrEqual(2);

    // Compare with a Western model: the workspace moves to Pro first.
    const admin = await operatorAccount();
    expect((await apiCall(admin, "PUT", `/api/admin/orgs/${ws}/plan`, { plan: "pro" })).status).toBe(200);
    // The list was the Free plan's (open models only); coming back to the screen shows Pro's.
    await page.reload();
    await expect.poll(() => page.locator("select option", { hasText: /^openai\/gpt-4o-mini$/ }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByRole("switch", { name: "Compare two models side by side" }).check();
    await page.getByLabel("Model B").selectOption("openai/gpt-4o-mini");
    expect(await page.getByLabel("Model A").inputValue()).toBe(dep.bridge.model);
    const compared: string[] = [];
    page.on("request", (r) => r.url().endsWith("/api/playground/chat") && compared.push((r.postDataJSON() as { model: string }).model));
    await page.getByLabel("Message").fill("Which of you is cheaper?");
    await page.getByRole("button", { name: "Send" }).click();
    const pair = answers(page);
    await poll(() => pair.count()).toBe(2);
    // Both were asked at once, before either answered.
    expect(compared.sort()).toEqual([dep.bridge.model, "openai/gpt-4o-mini"].sort());
    await poll(() => pair.evaluateAll((els) => els.map((e) => e.getAttribute("data-status")))).toEqual(["done", "done"]);
    for (const [lane, name] of [[0, dep.bridge.model], [1, "openai/gpt-4o-mini"]] as const) {
      const a = pair.nth(lane);
      expect(await a.locator(".play-model").textContent()).toBe(name);
      expect(await a.getByTestId("answer-text").textContent()).toContain("Which of you is cheaper?");
      expect(await a.getByTestId("answer-cost").textContent()).toMatch(/^\$/);
      expect(await a.getByTestId("answer-speed").textContent()).toMatch(/tok\/s$/);
    }
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/playground-compare.png", fullPage: true });

    // On a desktop the two answers stand side by side.
    await page.setViewportSize({ width: 1280, height: 900 });
    const [left, right] = [await pair.nth(0).boundingBox(), await pair.nth(1).boundingBox()];
    expect(right!.x).toBeGreaterThan(left!.x + left!.width - 1);
    expect(Math.abs(right!.y - left!.y)).toBeLessThan(2);
    await page.screenshot({ path: "test-results/playground-compare-desktop.png", fullPage: true });

    expect(errors).toEqual([]);
    await page.context().close();
    await apiCall(user, "DELETE", `/api/deployments/${id}`);
  }, 120_000);

  it("asks a signed-out visitor to sign in and come back to the same model", async () => {
    const { page, errors } = await phone();
    await page.goto(`${origin}/playground?model=runpod/some-model`);
    const gate = page.getByTestId("play-sign-in");
    await gate.waitFor();
    expect(await gate.getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe(`/signin?next=${encodeURIComponent("/playground?model=runpod/some-model")}`);
    expect(await gate.getByRole("link", { name: "Create an account" }).getAttribute("href")).toBe(`/signup?next=${encodeURIComponent("/playground?model=runpod/some-model")}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("says when there is nothing to call, shows the API's refusal in its words, and that chat needs a connection", async () => {
    const user = await signUp(uniqueEmail("pwa-play-refused"));
    const ws = (await me(user.browser)).workspaces[0]!.id;
    const admin = await operatorAccount();
    expect((await apiCall(admin, "PUT", `/api/admin/orgs/${ws}/plan`, { plan: "enterprise", monthlyTokens: 5 })).status).toBe(200);
    const { page, errors } = await phone(user);

    await page.route("**/api/playground/models", (route) => route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ models: [] }) }));
    await page.goto(`${origin}/playground`);
    await page.getByTestId("play-no-models").waitFor();
    expect(await page.getByTestId("play-no-models").getByRole("link").getAttribute("href")).toBe("/models");
    await page.unroute("**/api/playground/models");

    // A budget of five tokens: the bridge's 429, in its own sentence, under the answer.
    await page.goto(`${origin}/playground?model=openai/gpt-4o-mini`);
    await page.getByLabel("Message").fill("This needs more than five tokens, for sure");
    await page.getByRole("button", { name: "Send" }).click();
    const refused = answers(page).first();
    await poll(() => refused.getAttribute("data-status")).toBe("error");
    const direct = await apiCall(user, "POST", "/api/playground/chat", { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "This needs more than five tokens, for sure" }] });
    expect(direct.status).toBe(429);
    expect(await refused.getByTestId("answer-error").textContent()).toBe(direct.body.error.message);

    // Offline: Send is off and the screen says why; the conversation stays.
    await page.context().setOffline(true);
    await page.getByTestId("play-offline").waitFor();
    expect(await page.getByTestId("play-offline").textContent()).toContain("Chat needs a connection");
    await page.getByLabel("Message").fill("Anyone there?");
    expect(await page.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="turn"]').count()).toBe(1);
    await page.context().setOffline(false);
    await poll(() => page.getByRole("button", { name: "Send" }).isEnabled()).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/playground-refused.png", fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
