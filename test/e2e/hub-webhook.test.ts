import { afterAll, describe, expect, inject, it } from "vitest";
import { SANDBOX_HF_WEBHOOK_SECRET } from "../../workers/platform/upstreams";
import { query } from "./auth-client";
import { until } from "./wait";

/**
 * Hugging Face Hub repository webhooks against the running platform: a model changed in the Hub stand-in
 * (its /_control/hf API) and then announced by a webhook is in /api/models/{id} at once, without the
 * cron. The stand-in cannot send webhooks, so the test posts the Hub's payloads itself, with the header the
 * Hub sends (`X-Webhook-Secret`, the stand-in's published secret).
 */
const platform = inject("platformUrl");
const sandbox = inject("sandboxUrl");
const run = Date.now().toString(36);
const owner = `hook-e2e-${run}`;
const WEBHOOK = "6390e855e30d9209411de93b";

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sandbox}/_control${path}`, { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : null };
}

/** Sets a model on the Hub stand-in; returns its new head commit. */
async function hubPut(id: string, fields: Record<string, unknown>): Promise<{ sha: string; lastModified: string }> {
  const r = await control("PUT", `/hf/models/${id}`, fields);
  expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
  return { sha: r.body.model.sha, lastModified: r.body.model.lastModified };
}

/** A payload as the Hub sends it (hub-docs webhooks.md). */
function payload(o: { name: string; action?: string; scope?: string; headSha?: string; type?: string; movedTo?: string; webhook?: string }) {
  return {
    event: { action: o.action ?? "update", scope: o.scope ?? "repo.content" },
    repo: {
      type: o.type ?? "model",
      name: o.name,
      id: "6366c000a2abcdf2fd69a080",
      private: false,
      url: { web: `https://huggingface.co/${o.name}`, api: `https://huggingface.co/api/models/${o.name}` },
      ...(o.headSha ? { headSha: o.headSha } : {}),
      owner: { id: "61d2000c3c2083e1c08af22d" },
    },
    ...(o.movedTo ? { movedTo: { name: o.movedTo, owner: { id: "61d2000c3c2083e1c08af22e" } } } : {}),
    ...(o.headSha && (o.scope ?? "repo.content") === "repo.content" ? { updatedRefs: [{ ref: "refs/heads/main", oldSha: null, newSha: o.headSha }] } : {}),
    webhook: { id: o.webhook ?? WEBHOOK, version: 3 },
  };
}

async function deliver(body: unknown, secret: string | null = SANDBOX_HF_WEBHOOK_SECRET) {
  const res = await fetch(`${platform}/webhooks/huggingface`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret === null ? {} : { "x-webhook-secret": secret }) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function model(id: string) {
  const res = await fetch(`${platform}/api/models/${id}`);
  return { status: res.status, body: (await res.json()) as any };
}

const mirrored = async (id: string) => (await query<{ downloads: number; modified_at: number }>("SELECT downloads, modified_at FROM hf_model WHERE id = ?", [id]))[0];
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const created: string[] = [];
const fields = (downloads: number, lastModified: string) => ({ pipeline_tag: "text-generation", library_name: "transformers", cardData: { license: "apache-2.0" }, downloads, lastModified });

afterAll(async () => {
  for (const id of created) await control("DELETE", `/hf/models/${id}`);
});

describe("Hugging Face Hub webhooks", () => {
  it("refreshes a changed model at once; refuses forged and missing secrets; a replay changes nothing; stale deliveries are not written", async () => {
    const id = `${owner}/Tiny-Chat-1B`;
    created.push(id);
    const v1 = await hubPut(id, fields(10, hoursAgo(5)));
    const first = await deliver(payload({ name: id, action: "create", scope: "repo", headSha: v1.sha }));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: true, outcome: `refreshed ${id} at ${v1.sha}` });
    expect((await model(id)).body).toMatchObject({ id, downloads: 10, fetchedOnDemand: false, task: "text-generation" });

    // Changed on the Hub: the mirror does not know until the webhook says so.
    const v2 = await hubPut(id, fields(20, hoursAgo(4)));
    expect((await model(id)).body.downloads).toBe(10);
    const update = payload({ name: id, headSha: v2.sha });
    const second = await deliver(update);
    expect(second.body).toMatchObject({ outcome: `refreshed ${id} at ${v2.sha}` });
    expect((await model(id)).body).toMatchObject({ downloads: 20, fetchedOnDemand: false });

    // Forged and missing secrets: 401, nothing read or written.
    const v3 = await hubPut(id, fields(30, hoursAgo(3)));
    const v3update = payload({ name: id, headSha: v3.sha });
    const forged = await deliver(v3update, "hf_webhook_sandbox_local_development_onlx");
    expect(forged).toMatchObject({ status: 401, body: { error: { code: "invalid_secret" } } });
    expect((await deliver(v3update, "short")).status).toBe(401);
    const missing = await deliver(v3update, null);
    expect(missing).toMatchObject({ status: 401, body: { error: { code: "missing_secret" } } });
    expect((await model(id)).body.downloads).toBe(20);
    const n = await query<{ n: number }>("SELECT count(*) AS n FROM hub_webhook_delivery WHERE repo = ?", [id]);
    expect(Number(n[0]!.n)).toBe(2);

    // A replay of the v2 delivery (the Hub's "Replay" button): a duplicate, the Hub is not even asked (v3 stays out).
    const replay = await deliver(update);
    expect(replay).toMatchObject({ status: 200, body: { duplicate: true, delivery: second.body.delivery, outcome: second.body.outcome } });
    expect((await model(id)).body.downloads).toBe(20);

    const third = await deliver(v3update);
    expect(third.body.outcome).toBe(`refreshed ${id} at ${v3.sha}`);
    expect((await model(id)).body.downloads).toBe(30);

    // Stale: another webhook (so not a replay) announcing v2, which the mirror is already past.
    const late = await deliver(payload({ name: id, headSha: v2.sha, webhook: "6390e855e30d9209411de93c" }));
    expect(late).toMatchObject({ status: 200, body: { stale: true } });
    expect(late.body.duplicate).toBeUndefined();
    expect((await model(id)).body.downloads).toBe(30);

    // Stale: the Hub answers with an older revision than the mirror holds (e.g. a lagging replica).
    const older = await hubPut(id, fields(99, hoursAgo(6)));
    const lagging = await deliver(payload({ name: id, headSha: older.sha }));
    expect(lagging.body).toMatchObject({ stale: true, outcome: expect.stringContaining("older revision") });
    const row = await mirrored(id);
    expect(row).toEqual({ downloads: 30, modified_at: Date.parse(v3.lastModified) });

    const log = await query<{ outcome: string }>("SELECT outcome FROM hub_webhook_delivery WHERE repo = ? ORDER BY received_at", [id]);
    expect(log.map((l) => l.outcome.split(":")[0]!.split(" ")[0])).toEqual(["refreshed", "refreshed", "refreshed", "stale", "stale"]);
  });

  it("deletes a model deleted on the Hub, keeps one that is still there, and follows a move", async () => {
    const gone = `${owner}/Gone-Model`;
    const kept = `${owner}/Kept-Model`;
    const from = `${owner}/Old-Name`;
    const to = `${owner}/New-Name`;
    created.push(kept, to);
    for (const id of [gone, kept, from]) {
      const v = await hubPut(id, fields(5, hoursAgo(2)));
      expect((await deliver(payload({ name: id, action: "create", scope: "repo", headSha: v.sha }))).status).toBe(200);
      expect((await model(id)).status).toBe(200);
    }

    expect((await control("DELETE", `/hf/models/${gone}`)).status).toBe(204);
    const del = await deliver(payload({ name: gone, action: "delete", scope: "repo" }));
    expect(del).toMatchObject({ status: 200, body: { outcome: "deleted" } });
    expect(await mirrored(gone)).toBeUndefined();
    expect((await model(gone)).status).toBe(404);

    // A delete the Hub does not confirm (stale, or the repo was made again): the entry stays.
    const notGone = await deliver(payload({ name: kept, action: "delete", scope: "repo" }));
    expect(notGone.body.outcome).toMatch(/^still on the Hub: refreshed/);
    expect(await mirrored(kept)).toBeDefined();

    // The stand-in has no rename: the old repo goes, the new one appears, then the Hub's move event.
    await control("DELETE", `/hf/models/${from}`);
    const moved = await hubPut(to, fields(7, hoursAgo(1)));
    const move = await deliver(payload({ name: from, action: "move", scope: "repo", movedTo: to, headSha: moved.sha }));
    expect(move.body.outcome).toBe(`moved ${from} -> ${to} (old id removed): refreshed ${to} at ${moved.sha}`);
    expect(await mirrored(from)).toBeUndefined();
    expect((await model(to)).body).toMatchObject({ id: to, downloads: 7, fetchedOnDemand: false });
  });

  it("acknowledges other repo types and community events without touching the catalog", async () => {
    const dataset = await deliver(payload({ name: `${owner}/some-dataset`, type: "dataset" }));
    expect(dataset).toMatchObject({ status: 200, body: { ignored: "dataset repo" } });
    const space = await deliver(payload({ name: `${owner}/some-space`, type: "space", action: "create", scope: "repo" }));
    expect(space.body.ignored).toBe("space repo");
    const discussion = await deliver({ ...payload({ name: `${owner}/Kept-Model`, action: "create", scope: "discussion" }), discussion: { id: "6399f58518721fdd27fc9ca9", num: 19, title: "Update", status: "open", isPullRequest: true } });
    expect(discussion.body.ignored).toBe("scope discussion");
    expect(await mirrored(`${owner}/some-dataset`)).toBeUndefined();
  });

  it("refuses malformed and oversized bodies", async () => {
    const notJson = await deliver("{not json");
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: "invalid_json" } } });
    const noRepo = await deliver({ event: { action: "update", scope: "repo" }, webhook: { id: WEBHOOK, version: 3 } });
    expect(noRepo).toMatchObject({ status: 400, body: { error: { code: "invalid_payload" } } });
    expect(noRepo.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: "repo" })]));
    const big = { ...payload({ name: `${owner}/Big` }), padding: "x".repeat(300 * 1024) };
    const tooBig = await deliver(big);
    expect(tooBig).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });
    // The secret is checked before the body is read.
    expect((await deliver(big, "wrong")).status).toBe(401);
  });

  it("forgets deliveries after 7 days (the catalog cron prunes them)", async () => {
    const old = Date.now() - 8 * 24 * 3_600_000;
    await query("INSERT INTO hub_webhook_delivery (id, webhook_id, action, scope, repo, outcome, received_at) VALUES (?, ?, 'update', 'repo', ?, 'refreshed', ?)", [`old-${run}`, WEBHOOK, `${owner}/Old`, old]);
    await query("INSERT INTO hub_webhook_delivery (id, webhook_id, action, scope, repo, outcome, received_at) VALUES (?, ?, 'update', 'repo', ?, 'refreshed', ?)", [`recent-${run}`, WEBHOOK, `${owner}/Recent`, Date.now() - 6 * 24 * 3_600_000]);
    await fetch(`${platform}/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*`);
    const left = await until(() => query("SELECT id FROM hub_webhook_delivery WHERE id = ?", [`old-${run}`]), (r) => r.length === 0, 45_000, 250);
    expect(left).toHaveLength(0);
    expect(await query("SELECT id FROM hub_webhook_delivery WHERE id = ?", [`recent-${run}`])).toHaveLength(1);
  }, 60_000);
});
