import { roleAllows } from "../../auth/roles";

/**
 * Who may read and change favorites and collections, as pure functions (no I/O): the store looks up the
 * collection and the caller's role in its workspace, then asks here. Unit-tested in
 * test/unit/catalog/collection-rules.test.ts.
 *
 * Favorites belong to one user; nobody else sees or changes them.
 *
 * Personal collections (`workspace_id` null) are the owner's alone: nobody else can read them, and to
 * everyone else their id answers 404, as a made-up id does.
 *
 * Team collections (`workspace_id` set) belong to a workspace, whatever workspace the request acts in:
 *   - every member of that workspace reads them, viewers included (`collection:read`);
 *   - members create them (`collection:create`) and add items, each with an optional note;
 *   - the creator (while still at least a member) and admins/owners (`collection:update` / `:delete`) rename,
 *     describe and delete the collection, and change or remove any of its items;
 *   - a member may change the note of, or remove, an item they added themselves, and nothing else;
 *   - viewers change nothing (403); a demoted creator keeps only what their new role allows;
 *   - to anyone outside the workspace the collection does not exist (404).
 */

/** The caller: their user id and their role string in the collection's workspace (null: not a member). */
export interface Caller {
  userId: string;
  roles: string | null;
}

export interface CollectionRef {
  workspaceId: string | null;
  ownerId: string | null;
}

export interface ItemRef {
  addedBy: string | null;
}

export type CollectionAction = "read" | "update" | "delete" | "addItem";
export type ItemAction = "updateItem" | "removeItem";

export type Decision = { ok: true } | { ok: false; status: 403 | 404; code: "not_found" | "forbidden"; message: string };

export const LIMITS = {
  /** Personal collections per user, and team collections per workspace. */
  collections: 200,
  itemsPerCollection: 1000,
  favoritesPerUser: 1000,
  name: 100,
  description: 1000,
  note: 2000,
  modelId: 193,
} as const;

const OK: Decision = { ok: true };
const NOT_FOUND: Decision = { ok: false, status: 404, code: "not_found", message: "No such collection" };
const forbidden = (message: string): Decision => ({ ok: false, status: 403, code: "forbidden", message });

/**
 * A Hugging Face repo id, owner/name, as the Hub validates one: letters, digits, `_`, `.` and `-`, each part
 * 1-96 long, starting and ending with a letter, digit or `_` (the owner with a letter or digit), no `--` or `..`.
 */
const OWNER = /^[A-Za-z0-9](?:[\w.-]{0,94}\w)?$/;
const NAME = /^\w(?:[\w.-]{0,94}\w)?$/;

export function isModelId(id: string): boolean {
  if (id.length > LIMITS.modelId || id.includes("--") || id.includes("..")) return false;
  const parts = id.split("/");
  return parts.length === 2 && OWNER.test(parts[0]!) && NAME.test(parts[1]!);
}

export const isTeam = (c: CollectionRef) => c.workspaceId !== null;

const can = (caller: Caller, action: "read" | "create" | "update" | "delete") =>
  caller.roles !== null && roleAllows(caller.roles, { collection: [action] });

export function canRead(caller: Caller, c: CollectionRef): boolean {
  return isTeam(c) ? can(caller, "read") : c.ownerId === caller.userId;
}

/** Creating a collection: a personal one always; a team one with `collection:create` in that workspace. */
export function canCreate(caller: Caller, workspaceId: string | null): boolean {
  return workspaceId === null || can(caller, "create");
}

/** The creator counts as such only while their role still lets them write to the workspace's collections. */
const isWritingCreator = (caller: Caller, c: CollectionRef) => c.ownerId !== null && c.ownerId === caller.userId && can(caller, "create");

export function decide(caller: Caller, c: CollectionRef, action: CollectionAction): Decision {
  if (!canRead(caller, c)) return NOT_FOUND;
  if (action === "read" || !isTeam(c)) return OK;
  switch (action) {
    case "update":
      return can(caller, "update") || isWritingCreator(caller, c) ? OK : forbidden("Only the collection's creator and workspace admins may change it");
    case "delete":
      return can(caller, "delete") || isWritingCreator(caller, c) ? OK : forbidden("Only the collection's creator and workspace admins may delete it");
    case "addItem":
      return can(caller, "create") ? OK : forbidden("Your role in this workspace may only read its collections");
  }
}

export function decideItem(caller: Caller, c: CollectionRef, item: ItemRef, action: ItemAction): Decision {
  const whole = decide(caller, c, "update");
  if (whole.ok || whole.status === 404) return whole;
  if (item.addedBy !== null && item.addedBy === caller.userId && can(caller, "create")) return OK;
  if (!can(caller, "create")) return forbidden("Your role in this workspace may only read its collections");
  return forbidden(action === "removeItem" ? "You may remove only the items you added" : "You may change only the notes of items you added");
}

/** What the caller may do with a collection they can read, for clients to show only what will work. */
export function accessOf(caller: Caller, c: CollectionRef): { update: boolean; delete: boolean; addItems: boolean } {
  return { update: decide(caller, c, "update").ok, delete: decide(caller, c, "delete").ok, addItems: decide(caller, c, "addItem").ok };
}

export const canChangeItem = (caller: Caller, c: CollectionRef, item: ItemRef) => decideItem(caller, c, item, "updateItem").ok;
