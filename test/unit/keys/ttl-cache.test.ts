import { describe, expect, it } from "vitest";
import { TtlCache } from "../../../workers/keys/ttl-cache";

describe("TtlCache", () => {
  it("expires entries and bounds its size, evicting the oldest", () => {
    const c = new TtlCache<number>(2);
    c.set("a", 1, 0, 100);
    c.set("b", 2, 0, 100);
    expect(c.get("a", 99)).toBe(1);
    expect(c.get("a", 100)).toBeUndefined();
    c.set("c", 3, 0, 100);
    c.set("d", 4, 0, 100);
    expect(c.size).toBe(2);
    expect(c.get("b", 0)).toBeUndefined();
    expect(c.get("d", 0)).toBe(4);
    c.delete("d");
    expect(c.get("d", 0)).toBeUndefined();
  });
});
