import { describe, expect, it } from "vitest";
import { accessOf, canChangeItem, canCreate, canRead, decide, decideItem, isModelId, LIMITS, type Caller, type CollectionRef } from "../../../workers/catalog/collections/rules";

const personal = (ownerId: string): CollectionRef => ({ workspaceId: null, ownerId });
const team = (ownerId: string | null, workspaceId = "ws1"): CollectionRef => ({ workspaceId, ownerId });
const as = (userId: string, roles: string | null): Caller => ({ userId, roles });

const verdict = (d: ReturnType<typeof decide>) => (d.ok ? "ok" : d.status);

describe("collection rules: personal collections", () => {
  it("are the owner's alone: everyone else, whatever their roles, gets 404 for every action", () => {
    const c = personal("alice");
    for (const action of ["read", "update", "delete", "addItem"] as const) {
      expect(verdict(decide(as("alice", null), c, action))).toBe("ok");
      expect(verdict(decide(as("bob", null), c, action))).toBe(404);
      expect(verdict(decide(as("bob", "owner"), c, action))).toBe(404);
    }
    expect(verdict(decideItem(as("alice", null), c, { addedBy: "alice" }, "removeItem"))).toBe("ok");
    expect(verdict(decideItem(as("bob", "admin"), c, { addedBy: "bob" }, "removeItem"))).toBe(404);
    expect(accessOf(as("alice", null), c)).toEqual({ update: true, delete: true, addItems: true });
  });

  it("anyone signed in may create one", () => {
    expect(canCreate(as("alice", null), null)).toBe(true);
  });
});

describe("collection rules: team collections", () => {
  const c = team("creator");

  it("every member reads them, viewers included; outsiders get 404", () => {
    for (const role of ["viewer", "member", "admin", "owner", "admin,member"]) expect(canRead(as("x", role), c)).toBe(true);
    expect(canRead(as("x", null), c)).toBe(false);
    expect(verdict(decide(as("x", null), c, "update"))).toBe(404);
    expect(verdict(decide(as("creator", null), c, "read"))).toBe(404); // the creator, since removed from the workspace
    expect(canRead(as("x", "emperor"), c)).toBe(false); // unknown role strings grant nothing
  });

  it("members create them; viewers and outsiders do not", () => {
    expect(canCreate(as("u", "member"), "ws1")).toBe(true);
    expect(canCreate(as("u", "admin"), "ws1")).toBe(true);
    expect(canCreate(as("u", "owner"), "ws1")).toBe(true);
    expect(canCreate(as("u", "viewer"), "ws1")).toBe(false);
    expect(canCreate(as("u", null), "ws1")).toBe(false);
  });

  it("the creator and admins/owners change and delete them; other members and viewers get 403", () => {
    const table: Array<[Caller, "ok" | 403]> = [
      [as("creator", "member"), "ok"],
      [as("someone", "admin"), "ok"],
      [as("someone", "owner"), "ok"],
      [as("someone", "member"), 403],
      [as("someone", "viewer"), 403],
      [as("creator", "viewer"), 403], // demoted: keeps only what a viewer may
    ];
    for (const [caller, expected] of table) {
      expect(verdict(decide(caller, c, "update")), `${caller.userId} ${caller.roles} update`).toBe(expected);
      expect(verdict(decide(caller, c, "delete")), `${caller.userId} ${caller.roles} delete`).toBe(expected);
    }
    const denied = decide(as("someone", "member"), c, "update");
    expect(denied).toMatchObject({ ok: false, status: 403, code: "forbidden" });
  });

  it("members (not viewers) add items", () => {
    expect(verdict(decide(as("m", "member"), c, "addItem"))).toBe("ok");
    expect(verdict(decide(as("a", "admin"), c, "addItem"))).toBe("ok");
    expect(verdict(decide(as("v", "viewer"), c, "addItem"))).toBe(403);
    expect(verdict(decide(as("creator", "viewer"), c, "addItem"))).toBe(403);
  });

  it("items: members change or remove only what they added; creator and admins any; viewers none", () => {
    const mine = { addedBy: "m" };
    const theirs = { addedBy: "other" };
    const orphan = { addedBy: null }; // its author deleted their account
    for (const action of ["updateItem", "removeItem"] as const) {
      expect(verdict(decideItem(as("m", "member"), c, mine, action))).toBe("ok");
      expect(verdict(decideItem(as("m", "member"), c, theirs, action))).toBe(403);
      expect(verdict(decideItem(as("m", "member"), c, orphan, action))).toBe(403);
      expect(verdict(decideItem(as("creator", "member"), c, theirs, action))).toBe("ok");
      expect(verdict(decideItem(as("a", "admin"), c, theirs, action))).toBe("ok");
      expect(verdict(decideItem(as("o", "owner"), c, orphan, action))).toBe("ok");
      expect(verdict(decideItem(as("m", "viewer"), c, mine, action))).toBe(403); // added it as a member, since demoted
      expect(verdict(decideItem(as("x", null), c, mine, action))).toBe(404);
    }
    expect(canChangeItem(as("m", "member"), c, mine)).toBe(true);
    expect(canChangeItem(as("m", "member"), c, theirs)).toBe(false);
  });

  it("a collection without a creator (null owner) is managed by admins only", () => {
    const orphaned = team(null);
    expect(verdict(decide(as("m", "member"), orphaned, "update"))).toBe(403);
    expect(verdict(decide(as("a", "admin"), orphaned, "delete"))).toBe("ok");
  });

  it("accessOf summarizes what each role may do", () => {
    expect(accessOf(as("v", "viewer"), c)).toEqual({ update: false, delete: false, addItems: false });
    expect(accessOf(as("m", "member"), c)).toEqual({ update: false, delete: false, addItems: true });
    expect(accessOf(as("creator", "member"), c)).toEqual({ update: true, delete: true, addItems: true });
    expect(accessOf(as("a", "admin"), c)).toEqual({ update: true, delete: true, addItems: true });
  });
});

describe("model ids", () => {
  it("accepts Hugging Face owner/name ids", () => {
    for (const id of ["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "openai-community/gpt2", "01-ai/Yi-1.5-9B", "a/b", "deepseek-ai/DeepSeek_R1", "x/_private_"]) {
      expect(isModelId(id), id).toBe(true);
    }
    expect(isModelId(`${"o".repeat(96)}/${"n".repeat(96)}`)).toBe(true);
  });

  it("refuses anything else", () => {
    for (const id of [
      "",
      "gpt2",
      "a/b/c",
      "/name",
      "owner/",
      "-owner/name",
      "owner/-name",
      "owner/name.",
      "owner/name-",
      "owner/na..me",
      "owner/na--me",
      "own er/name",
      "owner/name?x=1",
      "owner/..",
      "ówner/name",
      "owner/name\n",
      `${"o".repeat(97)}/name`,
      `owner/${"n".repeat(97)}`,
    ]) {
      expect(isModelId(id), JSON.stringify(id)).toBe(false);
    }
  });

  it("limits are the documented ones", () => {
    expect(LIMITS).toMatchObject({ collections: 200, itemsPerCollection: 1000, note: 2000, name: 100 });
  });
});
