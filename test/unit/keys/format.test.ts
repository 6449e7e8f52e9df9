import { describe, expect, it } from "vitest";
import { crc32, displayPrefix, generateKey, hashKey, isWellFormedKey, KEY_LENGTH } from "../../../workers/keys/format";

describe("API key format", () => {
  it("crc32 matches the standard check value", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
  });

  it("generates sk- keys of fixed length that pass their own checksum", () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateKey()));
    expect(keys.size).toBe(200);
    for (const k of keys) {
      expect(k).toMatch(/^sk-[0-9A-Za-z]{38}$/);
      expect(k.length).toBe(KEY_LENGTH);
      expect(isWellFormedKey(k)).toBe(true);
    }
  });

  it("is deterministic for given random bytes and skips biased bytes", () => {
    const bytes = (n: number) => new Uint8Array(n).fill(250); // all >= 248: rejected, then refilled
    let calls = 0;
    const key = generateKey((n) => (calls++ === 0 ? bytes(n) : new Uint8Array(n).fill(61)));
    expect(key.slice(3, 35)).toBe("z".repeat(32));
    expect(calls).toBe(2);
  });

  it("refuses forged, truncated and mistyped keys offline", () => {
    const k = generateKey();
    expect(isWellFormedKey(k.slice(0, -1))).toBe(false);
    expect(isWellFormedKey(`${k}x`)).toBe(false);
    const flipped = k.slice(0, 10) + (k[10] === "a" ? "b" : "a") + k.slice(11);
    expect(isWellFormedKey(flipped)).toBe(false);
    expect(isWellFormedKey(k.replace("sk-", "pk-"))).toBe(false);
    expect(isWellFormedKey("sk-" + "!".repeat(38))).toBe(false);
  });

  it("hashes with SHA-256 and shows only a short prefix", async () => {
    expect(await hashKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await hashKey("sk-test")).not.toBe(await hashKey("sk-tesu"));
    const k = generateKey();
    expect(displayPrefix(k)).toBe(`${k.slice(0, 7)}…${k.slice(-4)}`);
  });
});
