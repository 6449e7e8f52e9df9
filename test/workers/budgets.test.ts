import { createExecutionContext, env, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { BudgetObject, UsageEvent } from "../../workers/budgets/budget-object";
import { RESERVATION_TTL_MS } from "../../workers/budgets/policy";
import { RAW_EVENT_RETENTION_DAYS } from "../../workers/budgets/retention";

const event = (id: string, at = Date.now()): UsageEvent => ({
  id, at, workspaceId: "ws_t", keyId: "key_1", requested: "gpt-4o", provider: "openai", model: "gpt-4o",
  inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, costMicros: 75, savingsMicros: 0, latencyMs: 3, status: "complete",
});

describe("BudgetObject", () => {
  it("expires a forgotten reservation when its alarm fires", async () => {
    const stub = env.BUDGETS.get(env.BUDGETS.idFromName("ws:alarm-test"));
    const r = await stub.reserve({ reservationId: "lost", budget: 1000, inputTokens: 100, requestedOutput: 900 });
    expect(r).toMatchObject({ ok: true, remaining: 0 });
    // Age the reservation past its time to live, as if its worker had died mid-call (the object serves from
    // its in-memory copy of the stored record, so both are aged).
    await runInDurableObject(stub, async (instance: BudgetObject, state) => {
      const live = (instance as unknown as { state: { reservations: Record<string, { createdAt: number }> } }).state;
      live.reservations.lost!.createdAt -= RESERVATION_TTL_MS + 1000;
      await state.storage.put("state", live);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.snapshot(1000)).toMatchObject({ reserved: 0, remaining: 1000 });
  });

  it("flushes its outbox to the D1 ledger and roll-up exactly once", async () => {
    const stub = env.BUDGETS.get(env.BUDGETS.idFromName("ws:flush-test"));
    await stub.settle(undefined, event("evt_a"));
    await stub.settle(undefined, event("evt_b"));
    await stub.settle(undefined, event("evt_a")); // a retried settle must not double count
    expect(await stub.pendingEvents()).toBe(2);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.pendingEvents()).toBe(0);
    const ledger = await env.DB.prepare("select count(*) as n, sum(input_tokens) as tokens from usage_event where workspace_id = 'ws_t'").first<{ n: number; tokens: number }>();
    expect(ledger).toEqual({ n: 2, tokens: 20 });
    const daily = await env.DB.prepare("select requests, cost_micros from usage_daily where workspace_id = 'ws_t'").first<{ requests: number; cost_micros: number }>();
    expect(daily).toEqual({ requests: 2, cost_micros: 150 });
  });

  it("counts an event once against the budget, even settled again after its outbox row went to D1", async () => {
    const stub = env.BUDGETS.get(env.BUDGETS.idFromName("ws:settle-once"));
    expect(await stub.reserve({ reservationId: "item-1", budget: 1000, inputTokens: 10, requestedOutput: 90 })).toMatchObject({ ok: true });
    await stub.settle("item-1", event("evt_once"));
    expect(await stub.snapshot(1000)).toMatchObject({ used: 15, reserved: 0 });
    // The outbox is flushed (its row deleted): a batch item whose "charged" mark was lost is charged again.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.pendingEvents()).toBe(0);
    await stub.settle("item-1", event("evt_once"));
    // ... and again under a fresh reservation (re-reserved after the restart): it is given back, not kept.
    expect(await stub.reserve({ reservationId: "item-1-again", budget: 1000, inputTokens: 10, requestedOutput: 90 })).toMatchObject({ ok: true });
    await stub.settle("item-1-again", event("evt_once"));
    expect(await stub.snapshot(1000)).toMatchObject({ used: 15, reserved: 0, remaining: 985 });
    expect(await stub.pendingEvents()).toBe(0);
    // A new event still counts.
    await stub.settle(undefined, event("evt_twice"));
    expect(await stub.snapshot(1000)).toMatchObject({ used: 30 });
  });
});

describe("usage retention", () => {
  it("the cron prunes raw events past the retention window and keeps recent ones", async () => {
    const now = Date.now();
    const old = now - (RAW_EVENT_RETENTION_DAYS + 1) * 86_400_000;
    for (const [id, at] of [["old_1", old], ["old_2", old], ["new_1", now]] as const) {
      await env.DB.prepare(
        "insert into usage_event (id, at, workspace_id, key_id, requested_model, provider, model, input_tokens, output_tokens, cached_input_tokens, cost_micros, savings_micros, latency_ms, status) values (?, ?, 'ws_r', null, 'm', 'openai', 'm', 1, 1, 0, 1, 0, 1, 'complete')",
      ).bind(id, at).run();
    }
    const mod = await import("../../workers/index");
    const ctx = createExecutionContext();
    await mod.default.scheduled({ cron: "*/5 * * * *", scheduledTime: now, noRetry() {} } as ScheduledController, env, ctx);
    await waitOnExecutionContext(ctx);
    const left = await env.DB.prepare("select id from usage_event where workspace_id = 'ws_r' order by id").all<{ id: string }>();
    expect(left.results.map((r) => r.id)).toEqual(["new_1"]);
  });
});
