import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { generateSecret, sign, signatureHeaders } from "../../../workers/notify/sign";

/** Our signatures checked by the independent Standard Webhooks reference library (`standardwebhooks` on npm). */
const body = JSON.stringify({ id: "evt_1", type: "key.created", timestamp: "2026-11-27T00:00:00.000Z", workspaceId: "ws", data: { keyId: "k1" } });
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe("Standard Webhooks signing", () => {
  it("a fresh secret is whsec_ + base64 of 32 bytes, different every time", () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it("the independent verifier accepts our headers and returns the payload", async () => {
    const secret = generateSecret();
    const headers = await signatureHeaders([secret], "evt_1", nowSeconds(), body);
    expect(Object.keys(headers).sort()).toEqual(["webhook-id", "webhook-signature", "webhook-timestamp"]);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("matches the reference implementation's own signature byte for byte", async () => {
    const secret = generateSecret();
    const ts = nowSeconds();
    expect(await sign(secret, "evt_42", ts, body)).toBe(new Webhook(secret).sign("evt_42", new Date(ts * 1000), body));
  });

  it("a tampered body, another id, another secret or a changed timestamp fail verification", async () => {
    const secret = generateSecret();
    const ts = nowSeconds();
    const headers = await signatureHeaders([secret], "evt_1", ts, body);
    const wh = new Webhook(secret);
    expect(() => wh.verify(body.replace("k1", "k2"), headers)).toThrow();
    expect(() => wh.verify(body, { ...headers, "webhook-id": "evt_2" })).toThrow();
    expect(() => wh.verify(body, { ...headers, "webhook-timestamp": String(ts - 1) })).toThrow();
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
  });

  it("an old (replayed) timestamp fails even with a valid signature; a future one too", async () => {
    const secret = generateSecret();
    const old = await signatureHeaders([secret], "evt_1", nowSeconds() - 10 * 60, body);
    expect(() => new Webhook(secret).verify(body, old)).toThrow(/timestamp/i);
    const future = await signatureHeaders([secret], "evt_1", nowSeconds() + 10 * 60, body);
    expect(() => new Webhook(secret).verify(body, future)).toThrow(/timestamp/i);
  });

  it("during a rotation both secrets sign: receivers holding either verify", async () => {
    const current = generateSecret();
    const previous = generateSecret();
    const headers = await signatureHeaders([current, previous], "evt_1", nowSeconds(), body);
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
  });

  it("refuses a secret without the whsec_ prefix", async () => {
    await expect(sign("not-a-secret", "evt", 1, "{}")).rejects.toThrow(/whsec_/);
  });
});
