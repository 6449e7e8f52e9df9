import { beforeAll, describe, expect, it } from "vitest";
import { apiCall, Browser, inviteAndAccept, me, query, signUp, type SignedUp, uniqueEmail } from "./auth-client";

/**
 * Favorites and collections over real HTTP: favorites are per user; personal collections are their owner's
 * alone; team collections are read by every member of their workspace, created and filled by members,
 * managed by their creator and the workspace's admins; other tenants' ids answer 404; bad input is a 4xx
 * in the `{error:{code,message}}` shape, never a 500; team changes land in the audit log.
 */
let owner: SignedUp, admin: SignedUp, dev: SignedUp, dev2: SignedUp, viewer: SignedUp, outsider: SignedUp;
let teamId = "";

/** A call acting in the team workspace (where it matters: listing and creating shared collections). */
const inTeam = (user: SignedUp, method: string, path: string, json?: unknown) => apiCall(user, method, path, json, { "x-workspace-id": teamId });

/** A request with a raw (possibly malformed) body. */
async function raw(user: SignedUp, method: string, path: string, body: string) {
  const res = await user.browser.fetch(path, { method, body, headers: { "content-type": "application/json", "x-workspace-id": teamId } });
  return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
}

function expectError(res: { status: number; body: unknown }, status: number, code?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ error: { code: code ?? expect.any(String), message: expect.any(String) } });
}

beforeAll(async () => {
  const named = (n: string) => signUp(uniqueEmail(`coll-${n}`), n);
  [owner, admin, dev, dev2, viewer, outsider] = await Promise.all(["owner", "admin", "dev", "dev2", "viewer", "outsider"].map(named)) as SignedUp[] as [SignedUp, SignedUp, SignedUp, SignedUp, SignedUp, SignedUp];
  const created = await owner.browser.post("/api/auth/organization/create", { name: "Model Scouts", slug: `scouts-${Date.now().toString(36)}` });
  expect(created.status).toBe(200);
  teamId = ((await created.json()) as { id: string }).id;
  await inviteAndAccept(owner.browser, teamId, admin, "admin");
  await inviteAndAccept(owner.browser, teamId, dev, "member");
  await inviteAndAccept(owner.browser, teamId, dev2, "member");
  await inviteAndAccept(owner.browser, teamId, viewer, "viewer");
});

describe("favorites", () => {
  const model = "meta-llama/Llama-3.1-8B-Instruct";

  it("need a session", async () => {
    expectError(await apiCall(new Browser(), "GET", "/api/favorites"), 401, "unauthorized");
    expectError(await apiCall(new Browser(), "PUT", `/api/favorites/${model}`, {}), 401, "unauthorized");
  });

  it("PUT adds (201) then updates (200); no note keeps the note, null clears it; DELETE removes (204, then 404)", async () => {
    const added = await apiCall(dev, "PUT", `/api/favorites/${model}`);
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({ modelId: model, note: null, createdAt: expect.any(String) });

    const noted = await apiCall(dev, "PUT", `/api/favorites/${model}`, { note: "  fast, good tool use  " });
    expect(noted.status).toBe(200);
    expect(noted.body).toMatchObject({ modelId: model, note: "fast, good tool use" });
    expect((await apiCall(dev, "PUT", `/api/favorites/${model}`, {})).body.note).toBe("fast, good tool use");
    expect((await apiCall(dev, "PUT", `/api/favorites/${model}`)).body.note).toBe("fast, good tool use");

    expect((await apiCall(dev, "PUT", "/api/favorites/Qwen/Qwen2.5-7B-Instruct", { note: "multilingual" })).status).toBe(201);
    const list = await apiCall(dev, "GET", "/api/favorites");
    expect(list.status).toBe(200);
    expect(list.body.favorites.map((f: { modelId: string }) => f.modelId).sort()).toEqual(["Qwen/Qwen2.5-7B-Instruct", model]);
    expect((await apiCall(dev, "GET", `/api/favorites/${model}`)).body).toMatchObject({ modelId: model, note: "fast, good tool use" });

    expect((await apiCall(dev, "PUT", `/api/favorites/${model}`, { note: null })).body.note).toBeNull();

    // Per user: nobody else sees them.
    expect((await apiCall(dev2, "GET", "/api/favorites")).body).toEqual({ favorites: [] });
    expectError(await apiCall(dev2, "GET", `/api/favorites/${model}`), 404, "not_found");
    expectError(await apiCall(dev2, "DELETE", `/api/favorites/${model}`), 404, "not_found");

    const removed = await apiCall(dev, "DELETE", `/api/favorites/${model}`);
    expect(removed.status).toBe(204);
    expectError(await apiCall(dev, "DELETE", `/api/favorites/${model}`), 404, "not_found");
    expect((await apiCall(dev, "GET", "/api/favorites")).body.favorites).toHaveLength(1);
  });

  it("bad input is a 400, never a 500", async () => {
    for (const id of ["bad--owner/x", "-x/y", "owner/name.", "a%2Fb/c", "owner/na..me", `${"o".repeat(97)}/x`, "own%20er/x"]) {
      expectError(await apiCall(dev, "PUT", `/api/favorites/${id}`, {}), 400, "invalid_request");
    }
    expectError(await apiCall(dev, "PUT", `/api/favorites/${model}`, { note: "x".repeat(2001) }), 400, "invalid_request");
    expectError(await apiCall(dev, "PUT", `/api/favorites/${model}`, { note: 42 }), 400, "invalid_request");
    expectError(await apiCall(dev, "PUT", `/api/favorites/${model}`, { note: "ok", extra: true }), 400, "invalid_request");
    expectError(await apiCall(dev, "PUT", `/api/favorites/${model}`, ["note"]), 400, "invalid_request");
    expectError(await raw(dev, "PUT", `/api/favorites/${model}`, "{note:"), 400, "invalid_json");
    // Only owner/name paths exist.
    expectError(await apiCall(dev, "PUT", "/api/favorites/gpt2", {}), 404, "not_found");
    // Nothing was stored by the refused calls.
    expect((await apiCall(dev, "GET", "/api/favorites")).body.favorites.map((f: { modelId: string }) => f.modelId)).toEqual(["Qwen/Qwen2.5-7B-Instruct"]);
  });

  it("at most 1000 per user (409 limit_reached); re-favoriting an existing one still works at the limit", async () => {
    const full = await signUp(uniqueEmail("coll-fav-full"));
    await query(
      "INSERT INTO favorite (user_id, model_id) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) SELECT ?, 'seed/model-' || i FROM n",
      [full.userId],
    );
    expectError(await apiCall(full, "PUT", "/api/favorites/one/too-many", {}), 409, "limit_reached");
    expect((await apiCall(full, "PUT", "/api/favorites/seed/model-7", { note: "still fine" })).status).toBe(200);
    expect((await apiCall(full, "GET", "/api/favorites")).body.favorites).toHaveLength(1000);
  });
});

describe("personal collections", () => {
  let id = "";

  it("are created (201), listed under mine and all, and filled with notes", async () => {
    const created = await apiCall(dev, "POST", "/api/collections", { name: "  Coding models ", description: "for the agent" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: "Coding models", description: "for the agent", scope: "personal", workspaceId: null, ownerId: dev.userId, itemCount: 0, can: { update: true, delete: true, addItems: true } });
    id = created.body.id;
    expect(id).toMatch(/^col_[0-9a-f]{32}$/);

    const put = await apiCall(dev, "PUT", `/api/collections/${id}/items/Qwen/Qwen2.5-Coder-32B-Instruct`, { note: "best open coder" });
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    expect(put.body).toMatchObject({ modelId: "Qwen/Qwen2.5-Coder-32B-Instruct", note: "best open coder", addedBy: dev.userId, canChange: true });
    expect((await apiCall(dev, "PUT", `/api/collections/${id}/items/deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct`)).status).toBe(201);
    // PUT again: 200, note kept unless given.
    const again = await apiCall(dev, "PUT", `/api/collections/${id}/items/Qwen/Qwen2.5-Coder-32B-Instruct`);
    expect(again.status).toBe(200);
    expect(again.body.note).toBe("best open coder");
    const patched = await apiCall(dev, "PATCH", `/api/collections/${id}/items/deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct`, { note: "small, MoE" });
    expect(patched.status).toBe(200);
    expect(patched.body.note).toBe("small, MoE");

    const detail = await apiCall(dev, "GET", `/api/collections/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id, itemCount: 2, scope: "personal" });
    expect(Object.fromEntries(detail.body.items.map((i: { modelId: string; note: string }) => [i.modelId, i.note]))).toEqual({
      "Qwen/Qwen2.5-Coder-32B-Instruct": "best open coder",
      "deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct": "small, MoE",
    });

    for (const scope of ["mine", "all"]) {
      const list = await apiCall(dev, "GET", `/api/collections?scope=${scope}`);
      expect(list.status).toBe(200);
      expect(list.body.collections.find((c: { id: string }) => c.id === id)).toMatchObject({ itemCount: 2 });
    }
    expect((await inTeam(dev, "GET", "/api/collections?scope=workspace")).body.collections.some((c: { id: string }) => c.id === id)).toBe(false);
  });

  it("are invisible to everyone else, workspace admins included: 404 like a made-up id", async () => {
    const madeUp = "col_00000000000000000000000000000000";
    for (const who of [outsider, owner, dev2]) {
      for (const target of [id, madeUp]) {
        expectError(await apiCall(who, "GET", `/api/collections/${target}`), 404, "not_found");
        expectError(await apiCall(who, "PATCH", `/api/collections/${target}`, { name: "mine now" }), 404, "not_found");
        expectError(await apiCall(who, "DELETE", `/api/collections/${target}`), 404, "not_found");
        expectError(await apiCall(who, "PUT", `/api/collections/${target}/items/evil/model`, { note: "hi" }), 404, "not_found");
        expectError(await apiCall(who, "DELETE", `/api/collections/${target}/items/Qwen/Qwen2.5-Coder-32B-Instruct`), 404, "not_found");
      }
      const listed = await apiCall(who, "GET", "/api/collections?scope=all");
      expect(listed.body.collections.some((c: { id: string }) => c.id === id)).toBe(false);
    }
    expectError(await apiCall(dev, "GET", `/api/collections/${"x".repeat(300)}`), 404, "not_found");
    expect((await apiCall(dev, "GET", `/api/collections/${id}`)).body.itemCount).toBe(2);
  });

  it("are renamed, emptied and deleted by their owner", async () => {
    const renamed = await apiCall(dev, "PATCH", `/api/collections/${id}`, { name: "Coders", description: null });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Coders", description: null });
    expect((await apiCall(dev, "DELETE", `/api/collections/${id}/items/Qwen/Qwen2.5-Coder-32B-Instruct`)).status).toBe(204);
    expectError(await apiCall(dev, "DELETE", `/api/collections/${id}/items/Qwen/Qwen2.5-Coder-32B-Instruct`), 404, "not_found");
    expectError(await apiCall(dev, "PATCH", `/api/collections/${id}/items/never/added`, { note: "x" }), 404, "not_found");
    expect((await apiCall(dev, "DELETE", `/api/collections/${id}`)).status).toBe(204);
    expectError(await apiCall(dev, "GET", `/api/collections/${id}`), 404, "not_found");
    expect(await query("SELECT count(*) AS n FROM collection_item WHERE collection_id = ?", [id])).toEqual([{ n: 0 }]);
  });

  it("bad input is a 400, never a 500", async () => {
    const ok = await apiCall(dev, "POST", "/api/collections", { name: "Scratch" });
    expect(ok.status).toBe(201);
    const cid = ok.body.id as string;
    const bad: unknown[] = [
      {},
      { name: "" },
      { name: "   " },
      { name: "x".repeat(101) },
      { name: 7 },
      { name: "ok", shared: "yes" },
      { name: "ok", description: "d".repeat(1001) },
      { name: "ok", owner_id: outsider.userId },
      { name: "ok", workspaceId: teamId },
      "name",
      null,
    ];
    for (const body of bad) expectError(await apiCall(dev, "POST", "/api/collections", body), 400, "invalid_request");
    expectError(await raw(dev, "POST", "/api/collections", '{"name": "unterminated'), 400, "invalid_json");
    expectError(await raw(dev, "POST", "/api/collections", ""), 400, "invalid_json");
    expectError(await apiCall(dev, "GET", "/api/collections?scope=everything"), 400, "invalid_request");

    expectError(await apiCall(dev, "PATCH", `/api/collections/${cid}`, { name: "" }), 400, "invalid_request");
    expectError(await apiCall(dev, "PATCH", `/api/collections/${cid}`, { name: ["a"] }), 400, "invalid_request");
    expectError(await apiCall(dev, "PATCH", `/api/collections/${cid}`, { workspaceId: teamId }), 400, "invalid_request");
    expectError(await raw(dev, "PATCH", `/api/collections/${cid}`, "nope"), 400, "invalid_json");

    expectError(await apiCall(dev, "PUT", `/api/collections/${cid}/items/bad..id/x`, {}), 400, "invalid_request");
    expectError(await apiCall(dev, "PUT", `/api/collections/${cid}/items/owner/x`, { note: "n".repeat(2001) }), 400, "invalid_request");
    expectError(await apiCall(dev, "PUT", `/api/collections/${cid}/items/owner/x`, { note: { html: "<b>" } }), 400, "invalid_request");
    expectError(await raw(dev, "PUT", `/api/collections/${cid}/items/owner/x`, "{"), 400, "invalid_json");
    expectError(await apiCall(dev, "PATCH", `/api/collections/${cid}/items/owner/x`, {}), 400, "invalid_request"); // PATCH names the note
    expectError(await raw(dev, "PATCH", `/api/collections/${cid}/items/owner/x`, ""), 400, "invalid_json");
    // A note of exactly the limit is fine.
    expect((await apiCall(dev, "PUT", `/api/collections/${cid}/items/owner/x`, { note: "n".repeat(2000) })).status).toBe(201);
    expect((await apiCall(dev, "GET", `/api/collections/${cid}`)).body).toMatchObject({ name: "Scratch", itemCount: 1 });
  });

  it("limits: 200 personal collections per user, 1000 models per collection (409 limit_reached)", async () => {
    const busy = await signUp(uniqueEmail("coll-busy"));
    await query(
      "INSERT INTO collection (id, owner_id, name) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 199) SELECT 'col_seed_' || ? || '_' || i, ?, 'seeded ' || i FROM n",
      [busy.userId, busy.userId],
    );
    const last = await apiCall(busy, "POST", "/api/collections", { name: "200th" });
    expect(last.status).toBe(201);
    expectError(await apiCall(busy, "POST", "/api/collections", { name: "201st" }), 409, "limit_reached");
    expect((await apiCall(busy, "GET", "/api/collections?scope=mine")).body.collections).toHaveLength(200);
    // The personal limit does not spend the workspace's: a shared one still goes in (busy's personal workspace).
    expect((await apiCall(busy, "POST", "/api/collections", { name: "team", shared: true })).status).toBe(201);

    await query(
      "INSERT INTO collection_item (collection_id, model_id, added_by) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) SELECT ?, 'seed/model-' || i, ? FROM n",
      [last.body.id, busy.userId],
    );
    expectError(await apiCall(busy, "PUT", `/api/collections/${last.body.id}/items/one/too-many`, {}), 409, "limit_reached");
    // Changing the note of one already there is not adding.
    expect((await apiCall(busy, "PUT", `/api/collections/${last.body.id}/items/seed/model-5`, { note: "ok" })).status).toBe(200);
    const detail = await apiCall(busy, "GET", `/api/collections/${last.body.id}`);
    expect(detail.body.itemCount).toBe(1000);
    expect(detail.body.items).toHaveLength(1000);
  });
});

describe("team collections", () => {
  let id = "";

  it("members create them in the active workspace (shared: true); viewers cannot", async () => {
    const created = await inTeam(dev, "POST", "/api/collections", { name: "Cheap chat models", description: "replace gpt-4o-mini", shared: true });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ scope: "workspace", workspaceId: teamId, ownerId: dev.userId, can: { update: true, delete: true, addItems: true } });
    id = created.body.id;

    expectError(await inTeam(viewer, "POST", "/api/collections", { name: "viewer's", shared: true }), 403, "forbidden");
    // A viewer may still keep personal collections.
    expect((await inTeam(viewer, "POST", "/api/collections", { name: "viewer's own" })).status).toBe(201);
    // Naming a workspace you are not in: 404, as for every workspace-scoped route.
    expectError(await inTeam(outsider, "POST", "/api/collections", { name: "intruder", shared: true }), 404, "workspace_not_found");
  });

  it("every member reads them, viewers included, with what each may do", async () => {
    for (const [who, can] of [
      [viewer, { update: false, delete: false, addItems: false }],
      [dev2, { update: false, delete: false, addItems: true }],
      [dev, { update: true, delete: true, addItems: true }],
      [admin, { update: true, delete: true, addItems: true }],
      [owner, { update: true, delete: true, addItems: true }],
    ] as const) {
      const list = await inTeam(who, "GET", "/api/collections?scope=workspace");
      expect(list.status).toBe(200);
      expect(list.body.collections.find((c: { id: string }) => c.id === id)).toMatchObject({ name: "Cheap chat models", can });
      // By id it reads whatever workspace the request acts in.
      expect((await apiCall(who, "GET", `/api/collections/${id}`)).status).toBe(200);
    }
  });

  it("members add items with notes and change or remove only their own; the creator and admins any", async () => {
    const a = `/api/collections/${id}/items/Qwen/Qwen2.5-7B-Instruct`;
    const b = `/api/collections/${id}/items/mistralai/Mistral-7B-Instruct-v0.3`;
    expect((await apiCall(dev, "PUT", a, { note: "creator's pick" })).status).toBe(201);
    const added = await apiCall(dev2, "PUT", b, { note: "dev2's pick" });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ addedBy: dev2.userId, canChange: true });

    expect((await apiCall(dev2, "PATCH", b, { note: "dev2's pick, tested" })).status).toBe(200);
    expectError(await apiCall(dev2, "PATCH", a, { note: "overwritten" }), 403, "forbidden");
    expectError(await apiCall(dev2, "PUT", a, { note: "overwritten" }), 403, "forbidden");
    expectError(await apiCall(dev2, "DELETE", a), 403, "forbidden");
    // PUT on an item someone else added is a change to it, note or not.
    expectError(await apiCall(dev2, "PUT", a), 403, "forbidden");

    const seenByViewer = await apiCall(viewer, "GET", `/api/collections/${id}`);
    expect(Object.fromEntries(seenByViewer.body.items.map((i: { modelId: string; note: string; canChange: boolean }) => [i.modelId, [i.note, i.canChange]]))).toEqual({
      "Qwen/Qwen2.5-7B-Instruct": ["creator's pick", false],
      "mistralai/Mistral-7B-Instruct-v0.3": ["dev2's pick, tested", false],
    });
    const seenByDev2 = await apiCall(dev2, "GET", `/api/collections/${id}`);
    expect(seenByDev2.body.items.find((i: { modelId: string }) => i.modelId.startsWith("mistralai")).canChange).toBe(true);

    // The creator edits anyone's item; an admin removes one.
    expect((await apiCall(dev, "PATCH", b, { note: "confirmed by creator" })).body.note).toBe("confirmed by creator");
    expect((await apiCall(admin, "DELETE", b)).status).toBe(204);
    expect((await apiCall(dev2, "PUT", b, { note: "back again" })).status).toBe(201);
    expect((await apiCall(dev2, "DELETE", b)).status).toBe(204);
  });

  it("viewers change nothing; members cannot rename or delete another's collection", async () => {
    const item = `/api/collections/${id}/items/Qwen/Qwen2.5-7B-Instruct`;
    expectError(await apiCall(viewer, "PUT", `/api/collections/${id}/items/google/gemma-2-9b-it`, { note: "x" }), 403, "forbidden");
    expectError(await apiCall(viewer, "PATCH", item, { note: "x" }), 403, "forbidden");
    expectError(await apiCall(viewer, "DELETE", item), 403, "forbidden");
    // Even for a model that is not there: a viewer learns they cannot write, not what is missing.
    expectError(await apiCall(viewer, "DELETE", `/api/collections/${id}/items/not/there`), 403, "forbidden");
    expectError(await apiCall(viewer, "PATCH", `/api/collections/${id}`, { name: "viewer was here" }), 403, "forbidden");
    expectError(await apiCall(viewer, "DELETE", `/api/collections/${id}`), 403, "forbidden");
    expectError(await apiCall(dev2, "PATCH", `/api/collections/${id}`, { name: "dev2 was here" }), 403, "forbidden");
    expectError(await apiCall(dev2, "DELETE", `/api/collections/${id}`), 403, "forbidden");

    const detail = await apiCall(dev, "GET", `/api/collections/${id}`);
    expect(detail.body).toMatchObject({ name: "Cheap chat models", itemCount: 1 });
    expect(detail.body.items[0]).toMatchObject({ modelId: "Qwen/Qwen2.5-7B-Instruct", note: "creator's pick" });
  });

  it("another tenant's collection ids answer 404, exactly like made-up ones", async () => {
    const madeUp = "col_ffffffffffffffffffffffffffffffff";
    for (const target of [id, madeUp]) {
      const got = await apiCall(outsider, "GET", `/api/collections/${target}`);
      expectError(got, 404, "not_found");
      expect(got.body.error.message).toBe("No such collection");
      expectError(await apiCall(outsider, "PATCH", `/api/collections/${target}`, { name: "x" }), 404, "not_found");
      expectError(await apiCall(outsider, "DELETE", `/api/collections/${target}`), 404, "not_found");
      expectError(await apiCall(outsider, "PUT", `/api/collections/${target}/items/a/b`, { note: "x" }), 404, "not_found");
      expectError(await apiCall(outsider, "PATCH", `/api/collections/${target}/items/Qwen/Qwen2.5-7B-Instruct`, { note: "x" }), 404, "not_found");
      expectError(await apiCall(outsider, "DELETE", `/api/collections/${target}/items/Qwen/Qwen2.5-7B-Instruct`), 404, "not_found");
    }
    // Listing another workspace's collections: the workspace itself is 404.
    expectError(await inTeam(outsider, "GET", "/api/collections?scope=workspace"), 404, "workspace_not_found");
    // The outsider's own lists never show it.
    expect((await apiCall(outsider, "GET", "/api/collections?scope=all")).body.collections.some((c: { id: string }) => c.id === id)).toBe(false);
  });

  it("admins rename any; changes are in the workspace's audit log", async () => {
    const renamed = await apiCall(admin, "PATCH", `/api/collections/${id}`, { name: "Cheap chat (vetted)" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Cheap chat (vetted)", description: "replace gpt-4o-mini" });

    const log = await inTeam(owner, "GET", "/api/audit?limit=100");
    expect(log.status).toBe(200);
    const mine = (log.body.entries as Array<{ action: string; targetId: string; actorId: string; before: any; after: any }>).filter((e) => e.targetId === id);
    const actions = mine.map((e) => e.action).reverse();
    expect(actions[0]).toBe("collection.create");
    expect(actions).toEqual(expect.arrayContaining(["collection.item_add", "collection.item_update", "collection.item_remove", "collection.update"]));
    const update = mine.find((e) => e.action === "collection.update")!;
    expect(update).toMatchObject({ actorId: admin.userId, before: { name: "Cheap chat models" }, after: { name: "Cheap chat (vetted)" } });
    expect(update.after.can).toBeUndefined();
    expect(log.body.chainValid).toBe(true);
    // Personal collections are nobody's audit business: none of dev's personal ones appear.
    expect((log.body.entries as Array<{ after: any }>).some((e) => e.after?.scope === "personal")).toBe(false);
  });

  it("someone removed from the workspace loses access (404); the creator and admins delete", async () => {
    const leaver = await signUp(uniqueEmail("coll-leaver"));
    const memberId = (await inviteAndAccept(owner.browser, teamId, leaver, "member")).member.id;
    const theirs = await inTeam(leaver, "POST", "/api/collections", { name: "leaver's", shared: true });
    expect(theirs.status).toBe(201);
    expect((await apiCall(leaver, "GET", `/api/collections/${id}`)).status).toBe(200);
    const removed = await admin.browser.post("/api/auth/organization/remove-member", { memberIdOrEmail: memberId, organizationId: teamId });
    expect(removed.status).toBe(200);
    expectError(await apiCall(leaver, "GET", `/api/collections/${id}`), 404, "not_found");
    expectError(await apiCall(leaver, "DELETE", `/api/collections/${theirs.body.id}`), 404, "not_found");
    // Their collection stays with the team, where admins manage it.
    expect((await apiCall(admin, "DELETE", `/api/collections/${theirs.body.id}`)).status).toBe(204);

    expect((await apiCall(dev, "DELETE", `/api/collections/${id}`)).status).toBe(204);
    expectError(await apiCall(viewer, "GET", `/api/collections/${id}`), 404, "not_found");
    const log = await inTeam(owner, "GET", "/api/audit?action=collection.delete&limit=5");
    expect(log.body.entries.map((e: { targetId: string }) => e.targetId)).toEqual(expect.arrayContaining([id, theirs.body.id]));
  });

  it("the workspace's role table lists collection permissions", async () => {
    const perms = async (who: SignedUp) => (await inTeam(who, "GET", "/api/workspace")).body.permissions.collection;
    expect(await perms(viewer)).toEqual(["read"]);
    expect(await perms(dev)).toEqual(["read", "create"]);
    expect(await perms(admin)).toEqual(["read", "create", "update", "delete"]);
    expect((await me(owner.browser)).workspaces.some((w) => w.id === teamId)).toBe(true);
  });
});
