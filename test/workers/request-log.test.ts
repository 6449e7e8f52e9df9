import { SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";

/**
 * The per-request log line, read from the worker's own console (same isolate as the test): one JSON line
 * per request with the bridge's facts, and no API key, provider key or prompt anywhere in what is logged.
 */
const KEY = "local-open-access-key-7c1d9e";
const PROMPT = "TOP-SECRET-PROMPT-about-our-merger";
const CALLER_TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

function capture() {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  for (const level of ["error", "warn", "info", "debug"] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  return { lines, spy, json: () => lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

afterEach(() => vi.restoreAllMocks());

describe("request log", () => {
  it("writes one line per bridge call with model, provider, cost and trace, and never the key or the prompt", async () => {
    const log = capture();
    const res = await SELF.fetch("https://x/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", traceparent: CALLER_TRACE },
      body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: PROMPT }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
    expect(res.headers.get("traceparent")).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    const line = log.json().find((l) => l.route === "/v1/chat/completions");
    expect(line).toMatchObject({ requestId: res.headers.get("x-request-id"), traceId: "4bf92f3577b34da6a3ce929d0e0e4736", method: "POST", status: 200, provider: "openai", model: "gpt-4o-mini" });
    expect(line!.costUsd).toBeGreaterThan(0);
    const everything = log.lines.join("\n");
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(PROMPT);
  });

  it("logs a stream when it ends, and a Gemini ?key= never reaches the log", async () => {
    const log = capture();
    const res = await SELF.fetch(`https://x/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=${KEY}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: PROMPT }] }] }),
    });
    expect(res.status).toBe(200);
    expect(log.json().some((l) => l.streamed)).toBe(false);
    await res.text();
    const line = log.json().find((l) => l.streamed === true);
    expect(line).toMatchObject({ status: 200, provider: "google" });
    expect(String(line!.route)).not.toContain("key=");
    expect(log.lines.join("\n")).not.toContain(KEY);
    expect(log.lines.join("\n")).not.toContain(PROMPT);
  });

  it("starts a trace when the caller sends none, or an invalid one", async () => {
    const log = capture();
    const res = await SELF.fetch("https://x/api/health", { headers: { traceparent: "junk" } });
    await res.text();
    const tp = res.headers.get("traceparent")!;
    expect(tp).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(log.json().find((l) => l.route === "/api/health")).toMatchObject({ traceId: tp.split("-")[1], status: res.status });
  });
});
