import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../../../workers/env";
import { apiErrorResponse } from "../../../workers/errors";
import { hubWebhookRoutes } from "../../../workers/catalog/hub-webhook-routes";
import { decideHubWebhook, deliveryId, freshness, hubWebhookSecret, parseHubWebhook, secretMatches, type HubWebhookPayload } from "../../../workers/catalog/hub-webhook";
import { SANDBOX_HF_WEBHOOK_SECRET } from "../../../workers/platform/upstreams";

/** Payloads shaped as the Hub sends them (hub-docs `webhooks.md`, huggingface_hub `_webhooks_payload.py`). */
const repo = {
  type: "model",
  name: "some-user/some-repo",
  id: "6366c000a2abcdf2fd69a080",
  private: false,
  url: { web: "https://huggingface.co/some-user/some-repo", api: "https://huggingface.co/api/models/some-user/some-repo" },
  headSha: "c379e821c9c95d613899e8c4343e4bfee2b0c600",
  tags: ["license:other", "has_space"],
  owner: { id: "61d2000c3c2083e1c08af22d" },
};
const webhook = { id: "6390e855e30d9209411de93b", version: 3 };

const contentUpdate = {
  event: { action: "update", scope: "repo.content" },
  repo,
  updatedRefs: [
    { ref: "refs/heads/main", oldSha: "ce9a4674fa833a68d5a73ec355f0ea95eedd60b7", newSha: "575db8b7a51b6f85eb06eee540738584589f131c" },
    { ref: "refs/tags/test", oldSha: null, newSha: "575db8b7a51b6f85eb06eee540738584589f131c" },
  ],
  webhook,
};

/** The docs' full example: a Pull Request opened. */
const discussion = {
  event: { action: "create", scope: "discussion" },
  repo: { type: "model", name: "openai-community/gpt2", id: "621ffdc036468d709f17434d", private: false, url: { web: "https://huggingface.co/openai-community/gpt2", api: "https://huggingface.co/api/models/openai-community/gpt2" }, owner: { id: "628b753283ef59b5be89e937" } },
  discussion: { id: "6399f58518721fdd27fc9ca9", title: "Update co2 emissions", status: "open", author: { id: "61d2f90c3c2083e1c08af22d" }, num: 19, isPullRequest: true, changes: { base: "refs/heads/main" } },
  comment: { id: "6399f58518721fdd27fc9caa", author: { id: "61d2f90c3c2083e1c08af22d" }, content: "Add co2 emissions information to the model card", hidden: false, url: { web: "https://huggingface.co/openai-community/gpt2/discussions/19#6399f58518721fdd27fc9caa" } },
  webhook,
};

function parse(v: unknown): HubWebhookPayload {
  const r = parseHubWebhook(JSON.stringify(v));
  if (!r.ok) throw new Error(`${r.code}: ${JSON.stringify(r.details)}`);
  return r.payload;
}

describe("Hub webhook payloads", () => {
  it("parses real-shaped payloads, keeping fields it does not model", () => {
    const p = parse(contentUpdate);
    expect(p.repo.headSha).toBe(repo.headSha);
    expect(p.updatedRefs?.[1]?.oldSha).toBeNull();
    expect((parse(discussion) as Record<string, unknown>).discussion).toMatchObject({ num: 19 });
    const config = parse({ event: { action: "update", scope: "repo.config" }, repo, updatedConfig: { private: false }, webhook });
    expect((config as Record<string, unknown>).updatedConfig).toEqual({ private: false });
  });

  it("refuses what is not JSON or not a webhook payload, saying where", () => {
    expect(parseHubWebhook("{not json")).toMatchObject({ ok: false, code: "invalid_json" });
    for (const bad of [null, [], {}, { event: { action: "update" }, repo, webhook }, { ...contentUpdate, repo: { ...repo, name: 7 } }, { ...contentUpdate, webhook: { version: 3 } }, { ...contentUpdate, repo: { ...repo, headSha: "main" } }]) {
      const r = parseHubWebhook(JSON.stringify(bad));
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      if (!r.ok) expect(r.code).toBe("invalid_payload");
    }
    const r = parseHubWebhook(JSON.stringify({ ...contentUpdate, repo: { ...repo, name: 7 } }));
    expect(!r.ok && r.details).toEqual([expect.objectContaining({ path: "repo.name" })]);
  });
});

describe("what a delivery asks of the catalog", () => {
  it("refreshes a model on repo create/update and on any repo.* scope, with the head commit", () => {
    expect(decideHubWebhook(parse(contentUpdate))).toEqual({ kind: "refresh", id: "some-user/some-repo", headSha: repo.headSha });
    expect(decideHubWebhook(parse({ ...contentUpdate, event: { action: "create", scope: "repo" } }))).toMatchObject({ kind: "refresh" });
    expect(decideHubWebhook(parse({ ...contentUpdate, event: { action: "update", scope: "repo.config" } }))).toMatchObject({ kind: "refresh" });
    // A narrower scope added later is an update of the repo (the Hub's own advice).
    expect(decideHubWebhook(parse({ ...contentUpdate, event: { action: "create", scope: "repo.config.dois" } }))).toMatchObject({ kind: "refresh" });
    const noSha = { ...contentUpdate, repo: { ...repo, headSha: undefined } };
    expect(decideHubWebhook(parse(noSha))).toMatchObject({ kind: "refresh", headSha: null });
  });

  it("deletes on repo delete, and moves with movedTo", () => {
    expect(decideHubWebhook(parse({ event: { action: "delete", scope: "repo" }, repo, webhook }))).toEqual({ kind: "delete", id: "some-user/some-repo" });
    const move = { event: { action: "move", scope: "repo" }, repo, movedTo: { name: "new-org/some-repo", owner: { id: "61d2000c3c2083e1c08af22e" } }, webhook };
    expect(decideHubWebhook(parse(move))).toEqual({ kind: "move", from: "some-user/some-repo", to: "new-org/some-repo", headSha: repo.headSha });
    expect(decideHubWebhook(parse({ ...move, movedTo: undefined }))).toEqual({ kind: "ignore", reason: "move without movedTo" });
  });

  it("ignores other repo types, community scopes, unknown actions, ids the catalog cannot hold and other versions", () => {
    expect(decideHubWebhook(parse(discussion))).toEqual({ kind: "ignore", reason: "scope discussion" });
    expect(decideHubWebhook(parse({ ...contentUpdate, repo: { ...repo, type: "dataset" } }))).toEqual({ kind: "ignore", reason: "dataset repo" });
    expect(decideHubWebhook(parse({ ...contentUpdate, repo: { ...repo, type: "space" } }))).toEqual({ kind: "ignore", reason: "space repo" });
    expect(decideHubWebhook(parse({ ...contentUpdate, event: { action: "archive", scope: "repo" } }))).toEqual({ kind: "ignore", reason: "action archive" });
    expect(decideHubWebhook(parse({ ...contentUpdate, repo: { ...repo, name: "gpt2" } }))).toMatchObject({ kind: "ignore" });
    expect(decideHubWebhook(parse({ ...contentUpdate, webhook: { ...webhook, version: 2 } }))).toMatchObject({ kind: "ignore", reason: "webhook version 2 is not supported" });
  });
});

describe("stale deliveries", () => {
  it("never lets an older revision over the mirror's", () => {
    expect(freshness(null, null, 5)).toBe("fresh"); // not mirrored: anything goes
    expect(freshness(100, null, 100)).toBe("fresh"); // the same revision again
    expect(freshness(100, null, 200)).toBe("fresh");
    expect(freshness(100, null, 99)).toBe("stale_hub"); // the Hub answered older than we hold
    expect(freshness(100, 50)).toBe("stale_delivery"); // a head commit applied before, since superseded
    expect(freshness(100, 100)).toBe("fresh");
  });
});

describe("secret and delivery identity", () => {
  it("compares the secret exactly, whatever the lengths", () => {
    expect(secretMatches("s3cret-value", "s3cret-value")).toBe(true);
    for (const given of ["s3cret-valuE", "s3cret-valu", "s3cret-value ", "", "x", "s3cret-value-and-more", null, undefined]) expect(secretMatches(given, "s3cret-value"), String(given)).toBe(false);
    expect(secretMatches("", "")).toBe(false); // no secret configured never matches
    expect(secretMatches("é", "é")).toBe(true);
  });

  it("identifies a delivery by webhook and body: a replay is the same, anything else is not", async () => {
    const body = JSON.stringify(contentUpdate);
    const id = await deliveryId(webhook.id, body);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(await deliveryId(webhook.id, body)).toBe(id);
    expect(await deliveryId("another-webhook", body)).not.toBe(id);
    expect(await deliveryId(webhook.id, body.replace("update", "create"))).not.toBe(id);
  });

  it("takes HF_WEBHOOK_SECRET, else the stand-in's published secret only against the stand-in", () => {
    expect(hubWebhookSecret({ HF_WEBHOOK_SECRET: "prod-secret", SANDBOX_URL: "http://127.0.0.1:8790" })).toBe("prod-secret");
    expect(hubWebhookSecret({ SANDBOX_URL: "http://127.0.0.1:8790" })).toBe(SANDBOX_HF_WEBHOOK_SECRET);
    expect(hubWebhookSecret({ SANDBOX_URL: "" })).toBeUndefined(); // production without a secret: not configured
    expect(hubWebhookSecret({ SANDBOX_URL: "http://127.0.0.1:8790", HF_TOKEN: "hf_real", HF_HUB_URL: "https://huggingface.co" })).toBeUndefined();
  });
});

describe("POST /webhooks/huggingface before any storage is touched", () => {
  const app = new Hono<AppEnv>().route("/webhooks", hubWebhookRoutes).onError((err, c) => apiErrorResponse(c, err));
  const post = (env: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.request("/webhooks/huggingface", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(contentUpdate) }, env);

  it("is 503 when no secret is configured (production without HF_WEBHOOK_SECRET), whatever the header says", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {}); // a 5xx is logged; expected here
    for (const headers of [{}, { "x-webhook-secret": "" }, { "x-webhook-secret": SANDBOX_HF_WEBHOOK_SECRET }] as Record<string, string>[]) {
      const res = await post({ SANDBOX_URL: "" }, headers);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: "webhook_unconfigured" } });
    }
    vi.restoreAllMocks();
  });

  it("is 401 with a missing or wrong secret (no DB binding needed: nothing is read or written)", async () => {
    const env = { HF_WEBHOOK_SECRET: "prod-secret" };
    expect(await (await post(env)).json()).toMatchObject({ error: { code: "missing_secret" } });
    const wrong = await post(env, { "x-webhook-secret": "prod-secreT" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: "invalid_secret" } });
    // The stand-in's published secret is not accepted once a real secret is set.
    expect((await post({ ...env, SANDBOX_URL: "http://127.0.0.1:8790" }, { "x-webhook-secret": SANDBOX_HF_WEBHOOK_SECRET })).status).toBe(401);
  });
});
