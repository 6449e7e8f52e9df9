import { describe, expect, it } from "vitest";
import { applyOutcome, newRecord, nextAction, requestDelete, requestPoolMove, requestScaling, type DeploymentRecord } from "../../../workers/deploy/machine";
import type { DeploymentPlan } from "../../../workers/deploy/planner";
import { checkPools, defaultPools, effectivePools, gpuOn, poolFits, poolOptions, settingsOf } from "../../../workers/deploy/scaling-settings";
import { GPU_POOLS } from "../../../workers/deploy/gpu-pools";

const plan = {
  model: "Qwen/Qwen2.5-7B-Instruct",
  engine: "vllm",
  servedModel: "Qwen/Qwen2.5-7B-Instruct",
  gpu: { pool: "AMPERE_24", label: "L4", count: 1, memoryGb: 24, usdPerSecond: 0.00019 },
  vram: { weightsGb: 14.2, kvCacheGb: 4, overheadGb: 1.5, totalGb: 19.7, availableGb: 21.6, maxModelLen: 8192, concurrency: 8 },
  scaling: { workersMin: 0, workersMax: 2, idleTimeoutSeconds: 120, scaler: "QUEUE_DELAY", scalerValue: 4, flashboot: true },
} as unknown as DeploymentPlan;

const T0 = 1_700_000_000_000;
function readyRecord(): DeploymentRecord {
  const r = newRecord({ id: "dep-a", workspaceId: "ws", createdBy: null, name: "q", plan, price: { input: 1, output: 2 }, workerMicrosPerSecond: 190, endpointName: "p-dep-a", idempotencyKey: null, sealedHfToken: null }, T0);
  return { ...r, state: "ready", endpointId: "ep1", nextAt: null, readyAt: T0 };
}

describe("pool settings", () => {
  it("defaults to the planner's pick and the next cheapest pools that hold the model", () => {
    expect(poolFits(GPU_POOLS.find((p) => p.id === "AMPERE_16")!, plan)).toBe(false); // 16 × 0.9 < 19.7
    expect(defaultPools(plan)).toEqual(["AMPERE_24", "ADA_24", "AMPERE_48"]);
    expect(settingsOf({})).toEqual({ autoscale: "off", costCeilingUsdPerMonth: null, pools: [], maxWorkerUsdPerHour: null });
    // After a move the list stays anchored on the planned pool; an explicit list wins.
    const moved = { plan: { ...plan, gpu: { ...plan.gpu, pool: "ADA_24" } } };
    expect(effectivePools(moved, "AMPERE_24")).toEqual(["AMPERE_24", "ADA_24", "AMPERE_48"]);
    expect(effectivePools({ ...moved, scalingSettings: { ...settingsOf({}), pools: ["AMPERE_48"] } }, "AMPERE_24")).toEqual(["AMPERE_48"]);
  });

  it("checks a pool list: known, no repeats, large enough", () => {
    expect(checkPools(["AMPERE_24", "AMPERE_80"], plan)).toBeNull();
    expect(checkPools(["AMPERE_16"], plan)).toContain("cannot hold this deployment");
    expect(checkPools(["AMPERE_24", "AMPERE_24"], plan)).toContain("listed twice");
    expect(checkPools(["H100"], plan)).toContain("unknown GPU pool 'H100'");
  });

  it("prices a worker per pool and builds the plan's gpu on another pool", () => {
    expect(poolOptions(["AMPERE_24", "NOPE", "ADA_24"], 2)).toEqual([
      { id: "AMPERE_24", workerUsdPerHour: 1.368 },
      { id: "ADA_24", workerUsdPerHour: 2.232 },
    ]);
    expect(gpuOn(plan, "ADA_24")).toMatchObject({ pool: "ADA_24", count: 1, memoryGb: 24, usdPerSecond: 0.00031 });
  });
});

describe("pool moves in the deploy machine", () => {
  it("applies a requested move through a `move` step and updates the worker price", () => {
    const rec = readyRecord();
    const r = requestPoolMove(rec, gpuOn(plan, "ADA_24")!, "throttled for 10 min", T0 + 1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record).toMatchObject({ pendingPool: { reason: "throttled for 10 min" }, plannedPool: "AMPERE_24", nextAt: T0 + 1 });
    const action = nextAction(r.record);
    expect(action).toMatchObject({ kind: "move", gpu: { pool: "ADA_24" } });
    const done = applyOutcome(r.record, action, { ok: true }, T0 + 2);
    expect(done).toMatchObject({ pendingPool: null, nextAt: null, workerMicrosPerSecond: 310, plan: { gpu: { pool: "ADA_24" } } });
    expect(done.history.at(-1)!.note).toBe("GPU pool AMPERE_24 → ADA_24: throttled for 10 min");
    // The bridge bills tokens at the new card's price: 310 / 190 µ$/s times the old per-token price.
    expect(done.price).toEqual({ input: Math.round((1 * 310) / 190), output: Math.round((2 * 310) / 190) });
    const real = { input: 63_333, output: 633_333, cachedInput: 6_333 };
    expect(applyOutcome({ ...r.record, price: real }, action, { ok: true }, T0 + 2).price).toEqual({ input: 103_333, output: 1_033_333, cachedInput: 10_333 });
    // A second move keeps the first planned pool.
    const again = requestPoolMove(done, gpuOn(plan, "AMPERE_24")!, "back", T0 + 3);
    expect(again.ok && again.record.plannedPool).toBe("AMPERE_24");
  });

  it("runs a pending scaling change first, then the move; drops a refused move and resets the watcher", () => {
    const rec = { ...readyRecord(), poolWatch: { current: "ADA_24", throttledSince: null, capacitySince: {}, lastMoveAt: T0, lastCheckAt: T0, blocked: null } };
    const moving = requestPoolMove(rec, gpuOn(plan, "ADA_24")!, "why", T0 + 1);
    if (!moving.ok) throw new Error("refused");
    const both = requestScaling(moving.record, { ...plan.scaling, workersMin: 1 }, T0 + 2);
    if (!both.ok) throw new Error("refused");
    expect(nextAction(both.record).kind).toBe("scale");
    const scaled = applyOutcome(both.record, nextAction(both.record), { ok: true }, T0 + 3);
    expect(scaled.nextAt).toBe(T0 + 3); // the move is still to do
    expect(nextAction(scaled).kind).toBe("move");
    const refused = applyOutcome(scaled, nextAction(scaled), { ok: false, retryable: false, message: "HTTP 400: bad pool" }, T0 + 4);
    expect(refused).toMatchObject({ pendingPool: null, nextAt: null, lastError: "GPU pool move to ADA_24 not applied: HTTP 400: bad pool", plan: { gpu: { pool: "AMPERE_24" } } });
    expect(refused.poolWatch!.current).toBe("AMPERE_24");
  });

  it("refuses a move unless ready, and a delete drops a pending one", () => {
    expect(requestPoolMove({ ...readyRecord(), state: "initializing" }, gpuOn(plan, "ADA_24")!, "x", T0).ok).toBe(false);
    const r = requestPoolMove(readyRecord(), gpuOn(plan, "ADA_24")!, "x", T0);
    if (!r.ok) throw new Error("refused");
    expect(requestDelete(r.record, T0 + 1).pendingPool).toBeNull();
  });
});
