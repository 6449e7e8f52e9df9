import { env, SELF } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { openDb } from "../../workers/db/client";
import { createKey } from "../../workers/keys/store";
import { deleteProviderKey, saveProviderKey } from "../../workers/byok/store";
import { setLogsPrompts } from "../../workers/observe/prompt-logging";

/**
 * Issue 11's observability for a real workspace (an API key in D1, a Pro plan): the log line names the
 * paying workspace and the tokens, carries the prompt only after the workspace opts in, and every request
 * becomes a metrics point in the local Analytics Engine equivalent (D1 `request_metric`).
 */
const WS = "ws-observability";
const USER = "user-observability";
const PROMPT = "QUARTERLY-NUMBERS-do-not-share";
let key = "";

function capture() {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  return { lines, json: () => lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

async function waitFor<T>(read: () => T | undefined | Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const chat = (content: string, stream = false) =>
  SELF.fetch("https://x/v1/chat/completions", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "system", content: "Be brief." }, { role: "user", content }], stream }),
  });

beforeAll(async () => {
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO organization (id, name, slug, created_at) VALUES (?, ?, ?, ?)").bind(WS, "Observability", WS, now),
    env.DB.prepare("INSERT OR IGNORE INTO user (id, name, email, email_verified, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)").bind(USER, "O", "o@example.com", now, now),
    env.DB.prepare("INSERT OR REPLACE INTO workspace_plan (workspace_id, plan, monthly_tokens, updated_at) VALUES (?, 'pro', NULL, ?)").bind(WS, now),
  ]);
  key = (await createKey(openDb(env.DB), { workspaceId: WS, createdBy: USER, name: "observability" })).key;
});

afterEach(() => vi.restoreAllMocks());

describe("request log for a workspace", () => {
  it("names the workspace and the tokens, and leaves the prompt out by default", async () => {
    const log = capture();
    const res = await chat(PROMPT);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    const id = res.headers.get("x-request-id");
    const line = await waitFor(() => log.json().find((l) => l.requestId === id), "the log line");
    expect(line).toMatchObject({ workspace: WS, keyPrefix: expect.stringMatching(/^sk-.{4}….{4}$/), inputTokens: body.usage.prompt_tokens, outputTokens: body.usage.completion_tokens });
    expect(line.prompt).toBeUndefined();
    expect(log.lines.join("\n")).not.toContain(PROMPT);
    expect(log.lines.join("\n")).not.toContain(key);
  });

  it("never holds the workspace's own provider key, which the call went out with", async () => {
    const providerKey = "sk-proj-observability-own-provider-key-5150";
    await saveProviderKey(env, WS, "openai", providerKey, `${env.TEST_SANDBOX_URL}/openai/v1`, USER);
    try {
      const log = capture();
      const res = await chat(PROMPT);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(res.headers.get("x-bridge-credentials")).toBe("workspace");
      const id = res.headers.get("x-request-id");
      await waitFor(() => log.json().find((l) => l.requestId === id), "the log line");
      const everything = log.lines.join("\n");
      expect(everything).not.toContain(providerKey);
      expect(everything).not.toContain(key);
      expect(everything).not.toContain(PROMPT);
    } finally {
      await deleteProviderKey(env, WS, "openai");
    }
  });

  it("carries a text excerpt of the prompt once the workspace opts in, streams included", async () => {
    await setLogsPrompts(env.DB, WS, true, USER);
    try {
      const log = capture();
      const res = await chat(PROMPT);
      await res.text();
      const id = res.headers.get("x-request-id");
      const line = await waitFor(() => log.json().find((l) => l.requestId === id), "the log line");
      expect(line.prompt).toEqual({ system: "Be brief.", messages: [{ role: "user", text: PROMPT }] });

      const streamed = await chat(`${PROMPT} (streamed)`, true);
      await streamed.text();
      const sid = streamed.headers.get("x-request-id");
      const sline = await waitFor(() => log.json().find((l) => l.requestId === sid), "the stream's log line");
      expect(sline).toMatchObject({ streamed: true, workspace: WS, prompt: { messages: [{ role: "user", text: `${PROMPT} (streamed)` }] } });
      expect(sline.outputTokens).toBeGreaterThan(0);
      // Even opted in, the key never reaches the log.
      expect(log.lines.join("\n")).not.toContain(key);
    } finally {
      await setLogsPrompts(env.DB, WS, false, USER);
    }
  });
});

describe("metrics", () => {
  it("every request is one point in the local Analytics Engine equivalent, with the bridge's facts", async () => {
    const res = await chat("metrics please");
    await res.text();
    const id = res.headers.get("x-request-id");
    const bad = await SELF.fetch("https://x/v1/chat/completions", { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: "{oops" });
    expect(bad.status).toBe(400);
    const badId = bad.headers.get("x-request-id");
    type Row = { workspace_id: string | null; route: string; provider: string | null; model: string | null; status: number; latency_ms: number; input_tokens: number; output_tokens: number; cost_usd: number; key_prefix: string | null };
    const row = await waitFor(async () => (await env.DB.prepare("SELECT * FROM request_metric WHERE request_id = ?").bind(id).first<Row>()) ?? undefined, "the metric row");
    expect(row).toMatchObject({ workspace_id: WS, route: "/v1/chat/completions", provider: "openai", model: "gpt-4o-mini", status: 200 });
    expect(row.input_tokens).toBeGreaterThan(0);
    expect(row.output_tokens).toBeGreaterThan(0);
    expect(row.cost_usd).toBeGreaterThan(0);
    expect(row.latency_ms).toBeGreaterThanOrEqual(0);
    expect(row.key_prefix).toMatch(/^sk-/);
    const badRow = await waitFor(async () => (await env.DB.prepare("SELECT * FROM request_metric WHERE request_id = ?").bind(badId).first<Row>()) ?? undefined, "the failed call's metric row");
    expect(badRow).toMatchObject({ status: 400, input_tokens: 0, cost_usd: 0, workspace_id: WS });
  });
});
