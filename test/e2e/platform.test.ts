import { describe, expect, inject, it } from "vitest";
import { getWithHost } from "./host-request";

const base = inject("platformUrl");
const asHost = (host: string, path: string) => getWithHost(base, host, path);

describe("served platform (npm start shape)", () => {
  it("answers /api/health with version, storage checks and upstream modes", async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.status).toBe("ok");
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.storage).toEqual({ d1: "ok", kv: "ok" });
    expect(body.sandbox).toBe(true);
    for (const name of ["openai", "anthropic", "gemini", "runpodRest", "runpodServerless", "huggingface", "stripe"]) {
      expect(body.upstreams[name].mode).toBe("sandbox");
      expect(body.upstreams[name].url.startsWith(inject("sandboxUrl"))).toBe(true);
    }
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("picks the brand from the hostname; plain localhost is SwaggyStacks", async () => {
    const swaggy = JSON.parse((await asHost("swaggystacks.localhost", "/api/brand")).text);
    const scientia = JSON.parse((await asHost("scientiacapital.localhost", "/api/brand")).text);
    const plain = JSON.parse((await asHost("localhost", "/api/brand")).text);
    expect(swaggy.id).toBe("swaggystacks");
    expect(scientia.id).toBe("scientiacapital");
    expect(plain.id).toBe("swaggystacks");
    expect(scientia.name).not.toBe(swaggy.name);
  });

  it("serves the PWA shell with a per-brand web manifest", async () => {
    const html = await (await fetch(`${base}/`)).text();
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"');
    expect(html).toMatch(/<script type="module"[^>]+src="\/assets\/[^"]+\.js"/);
    const res = await asHost("scientiacapital.localhost", "/manifest.webmanifest");
    expect(res.headers["content-type"]).toContain("application/manifest+json");
    const manifest = JSON.parse(res.text);
    expect(manifest.name).toBe("ScientiaCapital");
    expect(manifest.display).toBe("standalone");
    const icon = await fetch(`${base}${manifest.icons[0].src}`);
    expect(icon.headers.get("content-type")).toBe("image/png");
    // Client-side routes fall back to the shell.
    expect(await (await fetch(`${base}/models/some/deep/link`)).text()).toContain('id="app"');
  });

  it("answers unknown /api paths and bad input with JSON 4xx, never 500", async () => {
    const missing = await fetch(`${base}/api/does-not-exist`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe("not_found");

    const huge = await fetch(`${base}/api/health`, { method: "POST", body: "x".repeat(2 * 1024 * 1024), headers: { "content-type": "application/json" } });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as any).error.code).toBe("payload_too_large");

    const wrongMethod = await fetch(`${base}/api/brand`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(404);
    expect(((await wrongMethod.json()) as any).error.message).toContain("DELETE /api/brand");
  });

  it("fires the scheduled handler locally", async () => {
    const res = await fetch(`${base}/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*`);
    expect(res.status).toBe(200);
  });
});
