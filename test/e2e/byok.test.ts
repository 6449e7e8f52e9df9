import http from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, query, signUp, signUpOnPlan, uniqueEmail, type SignedUp } from "./auth-client";

/**
 * Bring your own key: a workspace's own OpenAI key (and endpoint) is used for its bridge calls instead of the
 * platform's. The "provider" here is a tiny OpenAI-compatible server that records the credentials it receives.
 */
const platform = inject("platformUrl");
const seen: string[] = [];
let own: http.Server;
let ownUrl = "";

beforeAll(async () => {
  own = http.createServer((req, res) => {
    seen.push(req.headers.authorization ?? "");
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "chatcmpl-own", object: "chat.completion", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, message: { role: "assistant", content: "from your own key" }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }));
    });
  });
  await new Promise<void>((r) => own.listen(0, "127.0.0.1", r));
  ownUrl = `http://127.0.0.1:${(own.address() as AddressInfo).port}/v1`;
});
afterAll(() => own?.close());

/** Status and body only: the assertions compare the whole pair. */
async function api(user: SignedUp, method: string, path: string, json?: unknown) {
  const { status, body } = await apiCall(user, method, path, json);
  return { status, body };
}

async function platformKey(user: SignedUp) {
  const res = await api(user, "POST", "/api/keys", { name: "byok" });
  return res.body.key as string;
}

describe("bring your own provider key", () => {
  it("stores the key sealed, never shows it again, and the bridge uses it for that workspace only", async () => {
    const alice = await signUp(uniqueEmail("byok-alice"));
    const secret = "sk-proj-alice-own-key-9876";
    const put = await api(alice, "PUT", "/api/provider-keys/openai", { apiKey: secret, baseUrl: ownUrl });
    expect(put).toEqual({ status: 200, body: { provider: "openai", last4: "9876", baseUrl: ownUrl } });
    const list = await api(alice, "GET", "/api/provider-keys");
    expect(list.body.providerKeys).toEqual([expect.objectContaining({ provider: "openai", last4: "9876", baseUrl: ownUrl })]);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    const rows = await query<{ sealed_key: string }>("select sealed_key from provider_key where provider = 'openai' and last4 = '9876'");
    expect(rows[0]!.sealed_key).toMatch(/^v1\./);
    expect(rows[0]!.sealed_key).not.toContain("alice-own-key");

    const key = await platformKey(alice);
    const client = new OpenAI({ baseURL: `${platform}/v1`, apiKey: key, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe("from your own key");
    expect(response.headers.get("x-bridge-credentials")).toBe("workspace");
    expect(seen.at(-1)).toBe(`Bearer ${secret}`);

    // Another workspace still goes through the platform's credentials (here: the sandbox stand-in); on
    // Pro, because the Free plan serves Western models only with the workspace's own key.
    const bob = await signUpOnPlan("byok-bob");
    const bobClient = new OpenAI({ baseURL: `${platform}/v1`, apiKey: await platformKey(bob), maxRetries: 0 });
    const bobs = await bobClient.chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "bob here" }] }).withResponse();
    expect(bobs.response.headers.get("x-bridge-credentials")).toBe("platform");
    expect(bobs.data.choices[0]!.message.content).toContain("bob here");

    // Removing it takes effect at once: on the Free plan the platform's own OpenAI key is not offered
    // (open models only), so the same call is now refused; the change is audited.
    const del = await alice.browser.fetch("/api/provider-keys/openai", { method: "DELETE" });
    expect(del.status).toBe(204);
    const after = await client.chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "again" }] }).catch((e: unknown) => e);
    expect(after).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const auditLog = await api(alice, "GET", "/api/audit?action=provider_key.*");
    expect(auditLog.status).toBe(200);
    expect(JSON.stringify(auditLog.body)).toContain("provider_key.set");
    expect(JSON.stringify(auditLog.body)).not.toContain(secret);
  });

  it("rejects unknown providers, bad bodies and missing keys clearly", async () => {
    const carol = await signUp(uniqueEmail("byok-carol"));
    expect((await api(carol, "PUT", "/api/provider-keys/azure", { apiKey: "abcdefghij" })).status).toBe(404);
    expect((await api(carol, "PUT", "/api/provider-keys/openai", { apiKey: "short" })).status).toBe(400);
    expect((await api(carol, "PUT", "/api/provider-keys/openai", { apiKey: "abcdefghij", baseUrl: "ftp://x" })).status).toBe(400);
    expect((await api(carol, "DELETE", "/api/provider-keys/anthropic")).status).toBe(404);
    const raw = await carol.browser.fetch("/api/provider-keys/openai", { method: "PUT", body: "{", headers: { "content-type": "application/json" } });
    expect(raw.status).toBe(400);
  });
});
