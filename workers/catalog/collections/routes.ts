import { Hono, type Context } from "hono";
import { z } from "zod";
import { audit } from "../../audit/record";
import { requireSession, requireWorkspace } from "../../auth/middleware";
import { openDb } from "../../db/client";
import type { AppEnv } from "../../env";
import { badRequest, notFound } from "../../errors";
import { api } from "../../openapi/describe";
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

const modelIdOf = (c: Context<AppEnv>) => assertModelId(`${c.req.param("owner")}/${c.req.param("name")}`);

/** What goes into the audit log: the collection itself, not what the acting user happens to be allowed. */
const recordOf = ({ can: _can, ...rest }: CollectionView) => rest;
const itemRecord = ({ canChange: _c, ...rest }: ItemView) => rest;

export const favoriteRoutes = new Hono<AppEnv>()
  .use(requireSession())
  .get("/", api({ tag: "Favorites", summary: "List your favorite models", auth: "session" }), async (c) => c.json({ favorites: await listFavorites(openDb(c.env.DB), c.var.user.id) }))
  .get("/:owner/:name", api({ tag: "Favorites", summary: "Read one favorite", auth: "session", params: { owner: "the Hugging Face owner", name: "the model name" } }), async (c) => {
    const modelId = modelIdOf(c);
    const found = await findFavorite(openDb(c.env.DB), c.var.user.id, modelId);
    if (!found) throw notFound(`${modelId} is not among your favorites`);
    return c.json(found);
  })
  .put("/:owner/:name", api({ tag: "Favorites", summary: "Favorite a model (optionally with a note)", auth: "session", body: noteBody, what: "favorite", optionalBody: true, params: { owner: "the Hugging Face owner", name: "the model name" } }), async (c) => {
    const modelId = modelIdOf(c);
    const body = c.req.valid("json");
    const { favorite, created } = await setFavorite(openDb(c.env.DB), c.var.user.id, modelId, body.note);
    return c.json(favorite, created ? 201 : 200);
  })
  .delete("/:owner/:name", api({ tag: "Favorites", summary: "Remove a favorite", auth: "session", params: { owner: "the Hugging Face owner", name: "the model name" } }), async (c) => {
    const modelId = modelIdOf(c);
    if (!(await removeFavorite(openDb(c.env.DB), c.var.user.id, modelId))) throw notFound(`${modelId} is not among your favorites`);
    return c.body(null, 204);
  });

const SCOPES = ["mine", "workspace", "all"] as const;
/** Documents the query; the handler checks `scope` itself (its message names the allowed values). */
const listQuery = z.object({ scope: z.enum(SCOPES).optional() });

export const collectionRoutes = new Hono<AppEnv>()
  // mine: your personal collections; workspace: the active workspace's team collections; all (default): both.
  .get("/", requireWorkspace({ collection: ["read"] }), api({ tag: "Collections", summary: "List collections (scope=mine|workspace|all)", auth: "workspace", query: listQuery, validate: false }), async (c) => {
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
  .post("/", requireWorkspace(), api({ tag: "Collections", summary: "Create a collection (shared: a team collection of the active workspace)", auth: "workspace", body: createBody, what: "collection", responses: { 201: { description: "The new collection" } } }), async (c) => {
    const body = c.req.valid("json");
    const view = await createCollection(openDb(c.env.DB), c.var.user.id, {
      workspaceId: body.shared ? c.var.workspace.id : null,
      name: body.name,
      description: body.description,
    });
    if (view.workspaceId) await audit(c, { action: "collection.create", workspaceId: view.workspaceId, target: { type: "collection", id: view.id }, after: recordOf(view) });
    return c.json(view, 201);
  })
  .get("/:id", requireSession(), api({ tag: "Collections", summary: "Read a collection and its models", auth: "session" }), async (c) => c.json(await getCollection(openDb(c.env.DB), c.var.user.id, c.req.param("id"))))
  .patch("/:id", requireSession(), api({ tag: "Collections", summary: "Rename a collection or change its description", auth: "session", body: patchBody, what: "collection" }), async (c) => {
    const body = c.req.valid("json");
    const { before, after } = await updateCollection(openDb(c.env.DB), c.var.user.id, c.req.param("id"), body);
    if (after.workspaceId && before.updatedAt !== after.updatedAt) {
      await audit(c, { action: "collection.update", workspaceId: after.workspaceId, target: { type: "collection", id: after.id }, before: recordOf(before), after: recordOf(after) });
    }
    return c.json(after);
  })
  .delete("/:id", requireSession(), api({ tag: "Collections", summary: "Delete a collection", auth: "session", responses: { 204: { description: "Deleted" } } }), async (c) => {
    const before = await deleteCollection(openDb(c.env.DB), c.var.user.id, c.req.param("id"));
    if (before.workspaceId) await audit(c, { action: "collection.delete", workspaceId: before.workspaceId, target: { type: "collection", id: before.id }, before: recordOf(before) });
    return c.body(null, 204);
  })
  // Add a model (201), or set the note of one already there (200). No body, or no `note`, keeps the note.
  .put("/:id/items/:owner/:name", requireSession(), api({ tag: "Collections", summary: "Add a model to a collection, or set its note", auth: "session", body: noteBody, what: "collection item", optionalBody: true, params: { owner: "the Hugging Face owner", name: "the model name" } }), async (c) => {
    const modelId = modelIdOf(c);
    const body = c.req.valid("json");
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
  .patch("/:id/items/:owner/:name", requireSession(), api({ tag: "Collections", summary: "Change the note of a model in a collection", auth: "session", body: notePatch, what: "collection item", params: { owner: "the Hugging Face owner", name: "the model name" } }), async (c) => {
    const modelId = modelIdOf(c);
    const body = c.req.valid("json");
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
  .delete("/:id/items/:owner/:name", requireSession(), api({ tag: "Collections", summary: "Remove a model from a collection", auth: "session", params: { owner: "the Hugging Face owner", name: "the model name" }, responses: { 204: { description: "Removed" } } }), async (c) => {
    const modelId = modelIdOf(c);
    const removed = await removeItem(openDb(c.env.DB), c.var.user.id, c.req.param("id"), modelId);
    if (removed.collection.workspaceId) {
      await audit(c, { action: "collection.item_remove", workspaceId: removed.collection.workspaceId, target: { type: "collection", id: removed.collection.id }, before: itemRecord(removed.item) });
    }
    return c.body(null, 204);
  });
