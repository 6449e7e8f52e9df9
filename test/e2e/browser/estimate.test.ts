import { describe, expect, inject, it } from "vitest";
import { useChromium } from "./chromium";

/** The PWA prices a deployment before the tap, on a phone-sized screen, and says why when it cannot. */
const base = new URL(inject("platformUrl"));
const browser = useChromium();

describe("deploy estimate in the PWA (Chromium, 390 px)", () => {
  it("shows per-hour, monthly and per-million prices and the saving against Western models", async () => {
    const page = await browser().newPage({ viewport: { width: 390, height: 844 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://localhost:${base.port}/`);
    await page.fill('input[name="model"]', "Qwen/Qwen2.5-7B-Instruct");
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="estimate"]');
    // The numbers on screen are the API's, formatted.
    const api = (await page.evaluate(async () => (await fetch("/api/deployments/estimate?model=Qwen/Qwen2.5-7B-Instruct&workersMin=0&workersMax=2")).json())) as {
      estimate: { perWorker: { usdPerHour: number }; comparison: { model: string; savingPercent: number }[] };
    };
    expect(await page.textContent('[data-testid="per-hour"]')).toBe(`$${api.estimate.perWorker.usdPerHour.toFixed(2)}/h`);
    expect(await page.textContent('[data-testid="monthly"]')).toMatch(/^\$0–\$[\d,]+$/);
    const rows = await page.$$eval('[data-testid="comparison"] li', (lis) => lis.map((li) => li.textContent ?? ""));
    expect(rows).toHaveLength(api.estimate.comparison.length);
    expect(rows[0]).toContain(api.estimate.comparison[0]!.model);
    // Nothing spills past a phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("says why a model cannot be deployed", async () => {
    const page = await browser().newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`http://localhost:${base.port}/`);
    await page.fill('input[name="model"]', "stabilityai/stable-diffusion-xl-base-1.0");
    await page.click('button[type="submit"]');
    const message = await page.textContent('[data-testid="estimate-error"]');
    expect(message).toMatch(/text/i);
    expect(await page.isVisible('[data-testid="estimate"]')).toBe(false);
    await page.close();
  });
});
