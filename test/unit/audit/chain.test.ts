import { describe, expect, it } from "vitest";
import { canonicalJson, EMPTY_HEAD, GENESIS_HASH, hashEntry, nextEntry, toJson, verifyChain, type AuditEntry, type AuditInput } from "../../../workers/audit/chain";

const alice = { id: "u_alice", email: "Alice@Example.com" };

async function chainOf(n: number, workspaceId = "ws_1"): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let head = EMPTY_HEAD;
  for (let i = 0; i < n; i++) {
    const input: AuditInput = {
      workspaceId,
      actor: alice,
      action: i % 2 ? "key.revoke" : "key.create",
      target: { type: "api_key", id: `key_${i}` },
      before: i % 2 ? { name: `k${i}`, revokedAt: null } : null,
      after: { name: `k${i}`, limits: { rpm: 10 + i, models: ["gpt-*", "claude-*"] } },
    };
    const e = await nextEntry(head, input, 1_750_000_000_000 + i);
    out.push(e);
    head = { seq: e.seq, hash: e.hash };
  }
  return out;
}

const clone = (entries: AuditEntry[]) => entries.map((e) => structuredClone(e));

describe("canonical JSON", () => {
  it("sorts keys at every depth, drops undefined, keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"x":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(canonicalJson(undefined)).toBe("null");
  });

  it("refuses values JSON cannot carry", () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(() => canonicalJson({ f: () => 1 })).toThrow();
  });

  it("toJson turns Dates and undefined into what gets stored", () => {
    expect(toJson({ at: new Date(0), gone: undefined })).toEqual({ at: "1970-01-01T00:00:00.000Z" });
    expect(toJson(undefined)).toBeNull();
  });
});

describe("hash chain", () => {
  it("numbers entries from 1, links each to the previous hash, and verifies", async () => {
    const entries = await chainOf(5);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    expect(entries[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[0]!.actorEmail).toBe("alice@example.com");
    expect(await verifyChain(entries)).toEqual({ valid: true, checked: 5, head: { seq: 5, hash: entries[4]!.hash } });
    expect(await verifyChain([])).toEqual({ valid: true, checked: 0, head: EMPTY_HEAD });
  });

  it("hash = SHA-256(prevHash + canonical JSON of the entry)", async () => {
    const [e] = await chainOf(1);
    const { prevHash: _p, hash: _h, ...fields } = e!;
    const text = GENESIS_HASH + canonicalJson(fields);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    expect(e!.hash).toBe(Buffer.from(digest).toString("hex"));
    expect(await hashEntry(GENESIS_HASH, e!)).toBe(e!.hash);
  });

  it("ignores properties outside the hashed fields (a reader's annotations, an export's readable time)", async () => {
    const entries = (await chainOf(3)).map((e) => ({ ...e, time: new Date(e.at).toISOString() }));
    expect((await verifyChain(entries)).valid).toBe(true);
  });

  it.each([
    ["action", (e: AuditEntry) => (e.action = "key.create_")],
    ["actor", (e: AuditEntry) => (e.actorEmail = "mallory@example.com")],
    ["time", (e: AuditEntry) => (e.at += 1)],
    ["target", (e: AuditEntry) => (e.targetId = "key_x")],
    ["nested after value", (e: AuditEntry) => ((e.after as { limits: { rpm: number } }).limits.rpm = 1_000_000)],
    ["before", (e: AuditEntry) => (e.before = null)],
    ["workspace", (e: AuditEntry) => (e.workspaceId = "ws_2")],
  ])("detects a changed field (%s) at the changed entry", async (_name, tamper) => {
    const entries = clone(await chainOf(6));
    tamper(entries[3]!);
    expect(await verifyChain(entries)).toEqual({ valid: false, checked: 3, brokenAtSeq: 4, index: 3, reason: "hash" });
  });

  it("detects a rewritten hash by the next entry's link", async () => {
    const entries = clone(await chainOf(4));
    entries[1]!.after = { name: "forged" };
    entries[1]!.hash = await hashEntry(entries[1]!.prevHash, entries[1]!);
    expect(await verifyChain(entries)).toMatchObject({ valid: false, brokenAtSeq: 3, reason: "prev_hash" });
  });

  it("detects a deleted entry (first or middle) at the missing seq", async () => {
    const entries = await chainOf(5);
    expect(await verifyChain([...entries.slice(0, 2), ...entries.slice(3)])).toMatchObject({ valid: false, brokenAtSeq: 3, index: 2, reason: "sequence" });
    expect(await verifyChain(entries.slice(1))).toMatchObject({ valid: false, brokenAtSeq: 1, reason: "sequence" });
  });

  it("detects a deleted entry even when later entries were renumbered to close the gap", async () => {
    const entries = clone(await chainOf(5));
    const cut = [...entries.slice(0, 2), ...entries.slice(3)];
    cut.forEach((e, i) => (e.seq = i + 1));
    expect(await verifyChain(cut)).toMatchObject({ valid: false, brokenAtSeq: 3, reason: "prev_hash" });
  });

  it("detects reordered entries, also with their seqs swapped", async () => {
    const entries = clone(await chainOf(5));
    const swapped = [entries[0]!, entries[2]!, entries[1]!, entries[3]!, entries[4]!];
    expect(await verifyChain(swapped)).toMatchObject({ valid: false, brokenAtSeq: 2, reason: "sequence" });
    const renumbered = swapped.map((e, i) => ({ ...e, seq: i + 1 }));
    expect(await verifyChain(renumbered)).toMatchObject({ valid: false, brokenAtSeq: 2, reason: "prev_hash" });
  });

  it("detects an inserted entry", async () => {
    const entries = await chainOf(3);
    const forged = await nextEntry({ seq: 1, hash: entries[0]!.hash }, { workspaceId: "ws_1", actor: alice, action: "key.create" }, 1);
    expect(await verifyChain([entries[0]!, forged, entries[1]!, entries[2]!])).toMatchObject({ valid: false, brokenAtSeq: 3, reason: "sequence" });
  });

  it("verifies page by page from a previous page's head", async () => {
    const entries = await chainOf(7);
    const first = await verifyChain(entries.slice(0, 4));
    expect(first.valid).toBe(true);
    if (!first.valid) return;
    expect(await verifyChain(entries.slice(4), first.head)).toMatchObject({ valid: true, checked: 3, head: { seq: 7 } });
    // A page checked against the wrong head fails at its first entry.
    expect(await verifyChain(entries.slice(4), { seq: 4, hash: GENESIS_HASH })).toMatchObject({ valid: false, brokenAtSeq: 5, reason: "prev_hash" });
  });

  it("an empty actor and target hash as nulls", async () => {
    const e = await nextEntry(EMPTY_HEAD, { workspaceId: "ws", actor: null, action: "plan.change" }, 5);
    expect(e).toMatchObject({ actorId: null, actorEmail: null, targetType: null, targetId: null, before: null, after: null });
    expect((await verifyChain([e])).valid).toBe(true);
  });
});
