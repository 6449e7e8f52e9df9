import { describe, expect, it } from "vitest";
import { buildPayload, crossedThresholds, eventId, EVENT_TYPES, naturalIds, randomEventId, subscribes, summarize, TEST_EVENT_TYPE } from "../../../workers/notify/events";

describe("event ids", () => {
  it("are deterministic for the same facts and differ for other facts or types", async () => {
    const a = await naturalIds.budgetThreshold("ws1", "2026-11", 80);
    expect(a).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(await naturalIds.budgetThreshold("ws1", "2026-11", 80)).toBe(a);
    const others = await Promise.all([
      naturalIds.budgetThreshold("ws1", "2026-11", 50),
      naturalIds.budgetThreshold("ws1", "2026-12", 80),
      naturalIds.budgetThreshold("ws2", "2026-11", 80),
      naturalIds.keyCreated("ws1"),
      naturalIds.keyRevoked("ws1"),
      naturalIds.deploymentFailed("d1"),
      naturalIds.deploymentReady("d1", 5),
      naturalIds.deploymentReady("d1", 6),
      naturalIds.paymentFailed("evt_stripe_1"),
      naturalIds.batchFinished("batch_1"),
    ]);
    expect(new Set([a, ...others]).size).toBe(others.length + 1);
    expect(await naturalIds.keyCreated("k1")).toBe(await eventId("key.created", "k1"));
    expect(await naturalIds.keyCreated("k1")).not.toBe(await naturalIds.keyRevoked("k1"));
  });

  it("facts cannot run into each other (a separator no id contains)", async () => {
    expect(await eventId("key.created", "ab", "c")).not.toBe(await eventId("key.created", "a", "bc"));
  });

  it("random ids are unique", () => {
    expect(randomEventId()).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(randomEventId()).not.toBe(randomEventId());
  });
});

describe("budget thresholds", () => {
  it("reports each percentage crossed: before < p% <= after", () => {
    expect(crossedThresholds(0, 4_999, 10_000)).toEqual([]);
    expect(crossedThresholds(0, 5_000, 10_000)).toEqual([50]);
    expect(crossedThresholds(4_999, 8_000, 10_000)).toEqual([50, 80]);
    expect(crossedThresholds(5_000, 7_999, 10_000)).toEqual([]);
    expect(crossedThresholds(7_000, 12_000, 10_000)).toEqual([80, 100]);
    expect(crossedThresholds(0, 20_000, 10_000)).toEqual([50, 80, 100]);
    expect(crossedThresholds(10_000, 11_000, 10_000)).toEqual([]);
  });
  it("unlimited, zero or shrinking usage crosses nothing", () => {
    expect(crossedThresholds(0, 1e9, null)).toEqual([]);
    expect(crossedThresholds(0, 10, 0)).toEqual([]);
    expect(crossedThresholds(9_000, 1_000, 10_000)).toEqual([]);
  });
});

describe("subscriptions and payloads", () => {
  it("an endpoint receives what it lists, or everything with *, never the test type by subscription", () => {
    expect(subscribes(["key.created"], "key.created")).toBe(true);
    expect(subscribes(["key.created"], "key.revoked")).toBe(false);
    for (const t of EVENT_TYPES) expect(subscribes(["*"], t)).toBe(true);
    expect(subscribes(["*"], TEST_EVENT_TYPE)).toBe(false);
  });

  it("the body carries id, type, timestamp, workspace and data; summaries read well", () => {
    const p = buildPayload("evt_1", { workspaceId: "ws", type: "budget.threshold", data: { percent: 80, period: "2026-11", budgetTokens: 10_000, usedTokens: 8_000 } }, Date.UTC(2026, 10, 27));
    expect(p).toEqual({ id: "evt_1", type: "budget.threshold", timestamp: "2026-11-27T00:00:00.000Z", workspaceId: "ws", data: { percent: 80, period: "2026-11", budgetTokens: 10_000, usedTokens: 8_000 } });
    expect(summarize(p)).toBe("80% of this month's token budget used (8000 of 10000 tokens)");
    expect(summarize({ type: "deployment.failed", data: { name: "qwen", error: "no GPU" } })).toBe("Deployment qwen failed: no GPU");
    expect(summarize({ type: "batch.finished", data: { batchId: "batch_1", status: "expired" } })).toBe("Batch batch_1 expired");
  });
});
