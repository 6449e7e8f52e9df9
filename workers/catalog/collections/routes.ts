import { Hono, type Context } from "hono";
import { z } from "zod";
import { audit } from "../../audit/record";
import { requireSession, requireWorkspace } from "../../auth/middleware";
import { openDb } from "../../db/client";
import type { AppEnv } from "../../env";
import { badRequest, notFound } from "../../errors";
import { readJsonBody } from "../../platform/json-body";
import { LIMITS } from "./rules";
import {
  addItem,
  assertModelId,
  createCollection,
  deleteCollection,
  findFavorite,
  getCollection,
  listCollections,
  listFavorites,
  removeFavorite,
  removeItem,
  setFavorite,
  updateCollection,
  updateItem,
  type CollectionView,
  type ItemView,
} from "./store";

/**
 * /api/favorites: the signed-in user's favorite models, each with an optional note.
 * /api/collections: named lists of models with notes, personal or shared with a workspace (team
 * collections). Who may do what is in rules.ts; the store enforces it, so these handlers only read
 * requests, call it and record changes to team collections in the workspace's audit log.
 */

const note = z.string().max(LIMITS.note, `A note is at most ${LIMITS.note} characters`).nullable().optional();
const noteBody = z.object({ note }).strict();
const notePatch = z.object({ note: z.string().max(LIMITS.note, `A note is at most ${LIMITS.note} characters`).nullable() }).strict();

const name = z.string().trim().min(1).max(LIMITS.name);
const description = z.string().trim().max(LIMITS.description).nullable().optional();
const createBody = z.object({ name, description, shared: z.boolean().optional() }).strict();
const patchBody = z.object({ name: name.optional(), description }).strict();

/** A body that may be left out entirely (PUT of a favorite or item without a note): absent reads as `{}`. */
async function readOptionalBody<T extends z.ZodTypeAny>(c: Context<AppEnv>, schema: T, what: string): Promise<z.infer<T>> {
  const text = c.req.raw.body ? await c.req.raw.clone().text() : "";
  if (!text.trim()) return readJsonBody(new Request(c.req.url, { method: "POST", body: "{}" }), schema, what);
  return readJsonBody(c.req.raw, schema, what);
}

const modelIdOf = (c: Context<AppEnv>) => assertModelId(`${c.req.param("owner")}/${c.req.param("name")}`);

/** What goes into the audit log: the collection itself, not what the acting user happens to be allowed. */
const recordOf = ({ can: _can, ...rest }: CollectionView) => rest;
const itemRecord = ({ canChange: _c, ...rest }: ItemView) => rest;

export const favoriteRoutes = new Hono<AppEnv>()
  .use(requireSession())
  .get("/", async (c) => c.json({ favorites: await listFavorites(openDb(c.env.DB), c.var.user.id) }))
  .get("/:owner/:name", async (c) => {
    const modelId = modelIdOf(c);
    const found = await findFavorite(openDb(c.env.DB), c.var.user.id, modelId);
    if (!found) throw notFound(`${modelId} is not among your favorites`);
    return c.json(found);
  })
  .put("/:owner/:name", async (c) => {
    const modelId = modelIdOf(c);
    const body = await readOptionalBody(c, noteBody, "favorite");
    const { favorite, created } = await setFavorite(openDb(c.env.DB), c.var.user.id, modelId, body.note);
    return c.json(favorite, created ? 201 : 200);
  })
  .delete("/:owner/:name", async (c) => {
    const modelId = modelIdOf(c);
    if (!(await removeFavorite(openDb(c.env.DB), c.var.user.id, modelId))) throw notFound(`${modelId} is not among your favorites`);
    return c.body(null, 204);
  });

const SCOPES = ["mine", "workspace", "all"] as const;

export const collectionRoutes = new Hono<AppEnv>()
  // mine: your personal collections; workspace: the active workspace's team collections; all (default): both.
  .get("/", requireWorkspace({ collection: ["read"] }), async (c) => {
    const scope = c.req.query("scope") ?? "all";
    if (!(SCOPES as readonly string[]).includes(scope)) throw badRequest(`scope is one of ${SCOPES.join(", ")}`);
    const { id, roles } = c.var.workspace;
    const collections = await listCollections(openDb(c.env.DB), c.var.user.id, {
      personal: scope !== "workspace",
      workspace: scope !== "mine" ? { id, roles } : undefined,
    });
    return c.json({ scope, workspaceId: id, collections });
  })
  // shared: true makes a team collection of the active workspace (x-workspace-id, else the session's).
  .post("/", requireWorkspace(), async (c) => {
    const body = await readJsonBody(c.req.raw, createBody, "collection");
    const view = await createCollection(openDb(c.env.DB), c.var.user.id, {
      workspaceId: body.shared ? c.var.workspace.id : null,
      name: body.name,
      description: body.description,
    });
    if (view.workspaceId) await audit(c, { action: "collection.create", workspaceId: view.workspaceId, target: { type: "collection", id: view.id }, after: recordOf(view) });
    return c.json(view, 201);
  })
  .get("/:id", requireSession(), async (c) => c.json(await getCollection(openDb(c.env.DB), c.var.user.id, c.req.param("id"))))
  .patch("/:id", requireSession(), async (c) => {
    const body = await readJsonBody(c.req.raw, patchBody, "collection");
    const { before, after } = await updateCollection(openDb(c.env.DB), c.var.user.id, c.req.param("id"), body);
    if (after.workspaceId && before.updatedAt !== after.updatedAt) {
      await audit(c, { action: "collection.update", workspaceId: after.workspaceId, target: { type: "collection", id: after.id }, before: recordOf(before), after: recordOf(after) });
    }
    return c.json(after);
  })
  .delete("/:id", requireSession(), async (c) => {
    const before = await deleteCollection(openDb(c.env.DB), c.var.user.id, c.req.param("id"));
    if (before.workspaceId) await audit(c, { action: "collection.delete", workspaceId: before.workspaceId, target: { type: "collection", id: before.id }, before: recordOf(before) });
    return c.body(null, 204);
  })
  // Add a model (201), or set the note of one already there (200). No body, or no `note`, keeps the note.
  .put("/:id/items/:owner/:name", requireSession(), async (c) => {
    const modelId = modelIdOf(c);
    const body = await readOptionalBody(c, noteBody, "collection item");
    const change = await addItem(openDb(c.env.DB), c.var.user.id, c.req.param("id"), modelId, body.note);
    if (change.collection.workspaceId && (change.created || change.before?.note !== change.item.note)) {
      await audit(c, {
        action: change.created ? "collection.item_add" : "collection.item_update",
        workspaceId: change.collection.workspaceId,
        target: { type: "collection", id: change.collection.id },
        before: change.before && itemRecord(change.before),
        after: itemRecord(change.item),
      });
    }
    return c.json(change.item, change.created ? 201 : 200);
  })
  .patch("/:id/items/:owner/:name", requireSession(), async (c) => {
    const modelId = modelIdOf(c);
    const body = await readJsonBody(c.req.raw, notePatch, "collection item");
    const change = await updateItem(openDb(c.env.DB), c.var.user.id, c.req.param("id"), modelId, body.note);
    if (change.collection.workspaceId && change.before?.note !== change.item.note) {
      await audit(c, {
        action: "collection.item_update",
        workspaceId: change.collection.workspaceId,
        target: { type: "collection", id: change.collection.id },
        before: change.before && itemRecord(change.before),
        after: itemRecord(change.item),
      });
    }
    return c.json(change.item);
  })
  .delete("/:id/items/:owner/:name", requireSession(), async (c) => {
    const modelId = modelIdOf(c);
    const removed = await removeItem(openDb(c.env.DB), c.var.user.id, c.req.param("id"), modelId);
    if (removed.collection.workspaceId) {
      await audit(c, { action: "collection.item_remove", workspaceId: removed.collection.workspaceId, target: { type: "collection", id: removed.collection.id }, before: itemRecord(removed.item) });
    }
    return c.body(null, 204);
  });
