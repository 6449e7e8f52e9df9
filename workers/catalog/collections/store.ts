import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { findMembership } from "../../auth/workspaces";
import type { Db } from "../../db/client";
import { collection, collectionItem, favorite, member } from "../../db/schema";
import { AppError, badRequest } from "../../errors";
import { accessOf, canChangeItem, canCreate, decide, decideItem, isModelId, LIMITS, type Caller, type CollectionAction, type Decision, type ItemAction } from "./rules";

/**
 * Favorites and collections in D1, for the HTTP routes and the MCP tools alike: every function takes plain
 * values (the acting user's id, ids, fields), checks them, asks rules.ts whether the caller may, and throws
 * AppError (400 bad input, 403 not allowed, 404 not there or not theirs to see, 409 a limit reached) when
 * not. Counting limits are enforced inside the INSERT itself, so parallel adds cannot overshoot them.
 */

export interface FavoriteView {
  modelId: string;
  note: string | null;
  createdAt: string;
}

export interface Access {
  update: boolean;
  delete: boolean;
  addItems: boolean;
}

export interface CollectionView {
  id: string;
  name: string;
  description: string | null;
  /** personal: the owner's alone; workspace: shared with every member of `workspaceId`. */
  scope: "personal" | "workspace";
  workspaceId: string | null;
  ownerId: string | null;
  itemCount: number;
  createdAt: string;
  updatedAt: string;
  /** What the caller may do with it. */
  can: Access;
}

export interface ItemView {
  modelId: string;
  note: string | null;
  addedBy: string | null;
  addedAt: string;
  /** Whether the caller may change its note or remove it. */
  canChange: boolean;
}

export interface CollectionDetail extends CollectionView {
  items: ItemView[];
}

type CollectionRow = typeof collection.$inferSelect;
type ItemRow = typeof collectionItem.$inferSelect;

// ---- input checks (the routes validate shapes with zod; these hold for every caller, MCP tools included)

export function assertModelId(modelId: string): string {
  if (!isModelId(modelId)) throw badRequest("A Hugging Face model id is owner/name (letters, digits, _ . -; each part at most 96 characters)");
  return modelId;
}

/** undefined: leave as is; null or blank: no note; else the trimmed note, at most LIMITS.note characters. */
export function normalizeNote(note: string | null | undefined): string | null | undefined {
  if (note === undefined || note === null) return note;
  const trimmed = note.trim();
  if (trimmed.length > LIMITS.note) throw badRequest(`A note is at most ${LIMITS.note} characters`);
  return trimmed || null;
}

function normalizeName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > LIMITS.name) throw badRequest(`A collection name is 1-${LIMITS.name} characters`);
  return trimmed;
}

function normalizeDescription(description: string | null | undefined): string | null | undefined {
  if (description === undefined || description === null) return description;
  const trimmed = description.trim();
  if (trimmed.length > LIMITS.description) throw badRequest(`A description is at most ${LIMITS.description} characters`);
  return trimmed || null;
}

const limitReached = (message: string) => new AppError(409, "limit_reached", message);

function enforce(decision: Decision): void {
  if (!decision.ok) throw new AppError(decision.status, decision.code, decision.message);
}

const changesOf = (result: unknown) => (result as { meta?: { changes?: number } }).meta?.changes ?? 0;

// ---- favorites

const favoriteView = (r: typeof favorite.$inferSelect): FavoriteView => ({ modelId: r.modelId, note: r.note, createdAt: r.createdAt.toISOString() });

export async function listFavorites(db: Db, userId: string): Promise<FavoriteView[]> {
  const rows = await db.select().from(favorite).where(eq(favorite.userId, userId)).orderBy(desc(favorite.createdAt), favorite.modelId);
  return rows.map(favoriteView);
}

async function getFavorite(db: Db, userId: string, modelId: string) {
  return db.select().from(favorite).where(and(eq(favorite.userId, userId), eq(favorite.modelId, modelId))).get();
}

/** One favorite, or undefined when the model is not among the user's favorites. */
export async function findFavorite(db: Db, userId: string, modelId: string): Promise<FavoriteView | undefined> {
  const row = await getFavorite(db, userId, assertModelId(modelId));
  return row && favoriteView(row);
}

/**
 * Marks a model as a favorite (idempotent). `note` undefined keeps the note a favorite already has; null
 * clears it. `created` tells a new favorite from an existing one.
 */
export async function setFavorite(db: Db, userId: string, modelId: string, note?: string | null): Promise<{ favorite: FavoriteView; created: boolean }> {
  assertModelId(modelId);
  const text = normalizeNote(note);
  let existing = await getFavorite(db, userId, modelId);
  let created = false;
  if (!existing) {
    const inserted = await db.run(
      sql`INSERT INTO ${favorite} (user_id, model_id, note) SELECT ${userId}, ${modelId}, ${text ?? null}
          WHERE (SELECT count(*) FROM ${favorite} WHERE user_id = ${userId}) < ${LIMITS.favoritesPerUser} ON CONFLICT DO NOTHING`,
    );
    created = changesOf(inserted) > 0;
    existing = await getFavorite(db, userId, modelId);
    if (!existing) throw limitReached(`At most ${LIMITS.favoritesPerUser} favorites per user`);
    if (created) return { favorite: favoriteView(existing), created };
  }
  if (text !== undefined && text !== existing.note) {
    const [row] = await db.update(favorite).set({ note: text }).where(and(eq(favorite.userId, userId), eq(favorite.modelId, modelId))).returning();
    if (row) existing = row;
  }
  return { favorite: favoriteView(existing), created };
}

/** False when the model was not a favorite. */
export async function removeFavorite(db: Db, userId: string, modelId: string): Promise<boolean> {
  assertModelId(modelId);
  const gone = await db.delete(favorite).where(and(eq(favorite.userId, userId), eq(favorite.modelId, modelId))).returning({ modelId: favorite.modelId });
  return gone.length > 0;
}

// ---- collections

const itemCount = sql<number>`(SELECT count(*) FROM ${collectionItem} WHERE ${collectionItem.collectionId} = ${collection.id})`.mapWith(Number);

function collectionView(row: CollectionRow, count: number, caller: Caller): CollectionView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    scope: row.workspaceId === null ? "personal" : "workspace",
    workspaceId: row.workspaceId,
    ownerId: row.ownerId,
    itemCount: count,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    can: accessOf(caller, row),
  };
}

function itemView(row: ItemRow, c: CollectionRow, caller: Caller): ItemView {
  return { modelId: row.modelId, note: row.note, addedBy: row.addedBy, addedAt: row.addedAt.toISOString(), canChange: canChangeItem(caller, c, row) };
}

async function selectViews(db: Db, where: SQL | undefined, caller: Caller): Promise<CollectionView[]> {
  const rows = await db.select({ row: collection, count: itemCount }).from(collection).where(where).orderBy(desc(collection.updatedAt), collection.id);
  return rows.map((r) => collectionView(r.row, r.count, caller));
}

/**
 * The caller's personal collections and/or the team collections of one workspace they belong to (the route
 * resolved the workspace and their role there), most recently changed first.
 */
export async function listCollections(db: Db, userId: string, scope: { personal: boolean; workspace?: { id: string; roles: string } | undefined }): Promise<CollectionView[]> {
  const out: CollectionView[] = [];
  if (scope.personal) out.push(...(await selectViews(db, and(isNull(collection.workspaceId), eq(collection.ownerId, userId)), { userId, roles: null })));
  if (scope.workspace) out.push(...(await selectViews(db, eq(collection.workspaceId, scope.workspace.id), { userId, roles: scope.workspace.roles })));
  return out;
}

/** A collection with the caller's role in its workspace, in one query; undefined when it does not exist. */
async function load(db: Db, userId: string, id: string): Promise<{ row: CollectionRow; caller: Caller } | undefined> {
  if (id.length > 64) return undefined;
  const found = await db
    .select({ row: collection, roles: member.role })
    .from(collection)
    .leftJoin(member, and(eq(member.organizationId, collection.workspaceId), eq(member.userId, userId)))
    .where(eq(collection.id, id))
    .get();
  return found ? { row: found.row, caller: { userId, roles: found.roles ?? null } } : undefined;
}

/** Loads a collection the caller may `action` on, else throws 404 (not there, or not theirs to see) or 403. */
async function authorize(db: Db, userId: string, id: string, action: CollectionAction): Promise<{ row: CollectionRow; caller: Caller }> {
  const found = await load(db, userId, id);
  if (!found) throw new AppError(404, "not_found", "No such collection");
  enforce(decide(found.caller, found.row, action));
  return found;
}

async function viewOf(db: Db, id: string, caller: Caller): Promise<CollectionView> {
  const [view] = await selectViews(db, eq(collection.id, id), caller);
  if (!view) throw new AppError(404, "not_found", "No such collection");
  return view;
}

export async function getCollection(db: Db, userId: string, id: string): Promise<CollectionDetail> {
  const { row, caller } = await authorize(db, userId, id, "read");
  const items = await db.select().from(collectionItem).where(eq(collectionItem.collectionId, id)).orderBy(desc(collectionItem.addedAt), collectionItem.modelId);
  return { ...collectionView(row, items.length, caller), items: items.map((i) => itemView(i, row, caller)) };
}

export interface NewCollection {
  /** null: a personal collection; else a team collection of this workspace (the caller must be a member). */
  workspaceId: string | null;
  name: string;
  description?: string | null | undefined;
}

export async function createCollection(db: Db, userId: string, input: NewCollection): Promise<CollectionView> {
  const name = normalizeName(input.name);
  const description = normalizeDescription(input.description) ?? null;
  const caller: Caller = { userId, roles: null };
  if (input.workspaceId !== null) {
    const membership = await findMembership(db, userId, input.workspaceId);
    if (!membership) throw new AppError(404, "workspace_not_found", "No such workspace");
    caller.roles = membership.roles;
    if (!canCreate(caller, input.workspaceId)) {
      throw new AppError(403, "forbidden", `Your role in this workspace (${membership.role}) may only read its collections`);
    }
  }
  const id = `col_${crypto.randomUUID().replaceAll("-", "")}`;
  const sameOwner =
    input.workspaceId === null
      ? sql`workspace_id IS NULL AND owner_id = ${userId}`
      : sql`workspace_id = ${input.workspaceId}`;
  const inserted = await db.run(
    sql`INSERT INTO ${collection} (id, workspace_id, owner_id, name, description) SELECT ${id}, ${input.workspaceId}, ${userId}, ${name}, ${description}
        WHERE (SELECT count(*) FROM ${collection} WHERE ${sameOwner}) < ${LIMITS.collections}`,
  );
  if (changesOf(inserted) === 0) {
    throw limitReached(input.workspaceId === null ? `At most ${LIMITS.collections} personal collections per user` : `At most ${LIMITS.collections} collections per workspace`);
  }
  return viewOf(db, id, caller);
}

export interface CollectionPatch {
  name?: string | undefined;
  /** null clears it. */
  description?: string | null | undefined;
}

export async function updateCollection(db: Db, userId: string, id: string, patch: CollectionPatch): Promise<{ before: CollectionView; after: CollectionView }> {
  const set: Partial<typeof collection.$inferInsert> = {};
  if (patch.name !== undefined) set.name = normalizeName(patch.name);
  const description = normalizeDescription(patch.description);
  if (description !== undefined) set.description = description;
  const { caller } = await authorize(db, userId, id, "update");
  const before = await viewOf(db, id, caller);
  if (!Object.keys(set).length) return { before, after: before };
  await db.update(collection).set({ ...set, updatedAt: new Date() }).where(eq(collection.id, id));
  return { before, after: await viewOf(db, id, caller) };
}

/** Deletes a collection and its items; returns what it was. */
export async function deleteCollection(db: Db, userId: string, id: string): Promise<CollectionView> {
  const { caller } = await authorize(db, userId, id, "delete");
  const before = await viewOf(db, id, caller);
  // Items first: D1 enforces foreign keys, but an explicit delete does not depend on it.
  await db.batch([db.delete(collectionItem).where(eq(collectionItem.collectionId, id)), db.delete(collection).where(eq(collection.id, id))]);
  return before;
}

// ---- items

async function getItem(db: Db, id: string, modelId: string): Promise<ItemRow | undefined> {
  return db.select().from(collectionItem).where(and(eq(collectionItem.collectionId, id), eq(collectionItem.modelId, modelId))).get();
}

const touch = (db: Db, id: string) => db.update(collection).set({ updatedAt: new Date() }).where(eq(collection.id, id));

export interface ItemChange {
  collection: CollectionView;
  before: ItemView | null;
  item: ItemView;
}

async function loadForItem(db: Db, userId: string, id: string, modelId: string, action: ItemAction | "addItem") {
  assertModelId(modelId);
  const found = await authorize(db, userId, id, "read");
  const existing = await getItem(db, id, modelId);
  if (existing) enforce(decideItem(found.caller, found.row, existing, action === "addItem" ? "updateItem" : action));
  else if (action === "addItem") enforce(decide(found.caller, found.row, "addItem"));
  else {
    // Say "no such item" only to those who could have changed one; viewers learn they cannot write.
    enforce(decide(found.caller, found.row, "addItem"));
    throw new AppError(404, "not_found", `${modelId} is not in this collection`);
  }
  return { ...found, existing };
}

/**
 * Adds a model to a collection, or when it is there already sets its note (as updateItem would, with the
 * same rules). `note` undefined keeps an existing note; null clears it.
 */
export async function addItem(db: Db, userId: string, id: string, modelId: string, note?: string | null): Promise<ItemChange & { created: boolean }> {
  const text = normalizeNote(note);
  const { row, caller, existing } = await loadForItem(db, userId, id, modelId, "addItem");
  if (existing) {
    const change = await setNote(db, row, caller, existing, text);
    return { ...change, created: false };
  }
  const inserted = await db.run(
    sql`INSERT INTO ${collectionItem} (collection_id, model_id, note, added_by) SELECT ${id}, ${modelId}, ${text ?? null}, ${userId}
        WHERE (SELECT count(*) FROM ${collectionItem} WHERE collection_id = ${id}) < ${LIMITS.itemsPerCollection} ON CONFLICT DO NOTHING`,
  );
  if (changesOf(inserted) === 0) {
    const raced = await getItem(db, id, modelId);
    if (!raced) throw limitReached(`At most ${LIMITS.itemsPerCollection} models per collection`);
    enforce(decideItem(caller, row, raced, "updateItem"));
    return { ...(await setNote(db, row, caller, raced, text)), created: false };
  }
  await touch(db, id);
  const item = (await getItem(db, id, modelId))!;
  return { collection: await viewOf(db, id, caller), before: null, item: itemView(item, row, caller), created: true };
}

async function setNote(db: Db, row: CollectionRow, caller: Caller, existing: ItemRow, note: string | null | undefined): Promise<ItemChange> {
  const before = itemView(existing, row, caller);
  let current = existing;
  if (note !== undefined && note !== existing.note) {
    const [updated] = await db
      .update(collectionItem)
      .set({ note })
      .where(and(eq(collectionItem.collectionId, row.id), eq(collectionItem.modelId, existing.modelId)))
      .returning();
    if (updated) current = updated;
    await touch(db, row.id);
  }
  return { collection: await viewOf(db, row.id, caller), before, item: itemView(current, row, caller) };
}

/** Changes the note of a model already in the collection (404 when it is not there). null clears it. */
export async function updateItem(db: Db, userId: string, id: string, modelId: string, note: string | null | undefined): Promise<ItemChange> {
  const text = normalizeNote(note);
  const { row, caller, existing } = await loadForItem(db, userId, id, modelId, "updateItem");
  return setNote(db, row, caller, existing!, text);
}

/** Removes a model from the collection; returns what was removed. */
export async function removeItem(db: Db, userId: string, id: string, modelId: string): Promise<{ collection: CollectionView; item: ItemView }> {
  const { row, caller, existing } = await loadForItem(db, userId, id, modelId, "removeItem");
  const item = itemView(existing!, row, caller);
  await db.batch([db.delete(collectionItem).where(and(eq(collectionItem.collectionId, id), eq(collectionItem.modelId, modelId))), touch(db, id)]);
  return { collection: await viewOf(db, id, caller), item };
}
