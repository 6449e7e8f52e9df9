import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "../../../workers/byok/crypto";

describe("sealed provider keys", () => {
  it("round-trips, never repeats a ciphertext, and hides the plaintext", async () => {
    const a = await sealSecret("server-secret-0123456789abcdef0123", "sk-proj-abc123", "ws_1");
    const b = await sealSecret("server-secret-0123456789abcdef0123", "sk-proj-abc123", "ws_1");
    expect(a).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("abc123");
    expect(await openSecret("server-secret-0123456789abcdef0123", a, "ws_1")).toBe("sk-proj-abc123");
  });

  it("refuses the wrong server secret, another workspace, and tampering", async () => {
    const sealed = await sealSecret("secret-one-0123456789abcdef012345", "key", "ws_1");
    await expect(openSecret("secret-two-0123456789abcdef012345", sealed, "ws_1")).rejects.toThrow();
    await expect(openSecret("secret-one-0123456789abcdef012345", sealed, "ws_2")).rejects.toThrow();
    const [v, iv, ct] = sealed.split(".");
    const flipped = `${v}.${iv}.${ct!.slice(0, -4)}${ct!.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    await expect(openSecret("secret-one-0123456789abcdef012345", flipped, "ws_1")).rejects.toThrow();
    await expect(openSecret("secret-one-0123456789abcdef012345", "v0.x.y", "ws_1")).rejects.toThrow(/format/);
  });
});
