import { describe, expect, inject, it } from "vitest";
import { useChromium } from "./chromium";

const base = new URL(inject("platformUrl"));
const browser = useChromium();

describe("PWA shell in Chromium", () => {
  it("renders the SwaggyStacks brand, links a valid manifest and shows the sandbox badge", async () => {
    const page = await browser().newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://localhost:${base.port}/`);
    await expect.poll(() => page.textContent('[data-testid="brand-name"]')).toBe("SwaggyStacks");
    await expect.poll(() => page.isVisible('[data-testid="sandbox-badge"]')).toBe(true);
    expect(await page.title()).toBe("SwaggyStacks");
    const manifestHref = await page.getAttribute('link[rel="manifest"]', "href");
    const manifest = await page.evaluate(async (href) => (await fetch(href!)).json(), manifestHref);
    expect(manifest).toMatchObject({ name: "SwaggyStacks", display: "standalone" });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("serves ScientiaCapital on its own hostname (Chromium resolves *.localhost to loopback)", async () => {
    const page = await browser().newPage();
    await page.goto(`http://scientiacapital.localhost:${base.port}/`);
    await expect.poll(() => page.textContent('[data-testid="brand-name"]')).toBe("ScientiaCapital");
    expect(await page.evaluate(() => document.documentElement.dataset.brand)).toBe("scientiacapital");
    const manifest = (await page.evaluate(async () => (await fetch("/manifest.webmanifest")).json())) as { name: string };
    expect(manifest.name).toBe("ScientiaCapital");
    await page.close();
  });
});
