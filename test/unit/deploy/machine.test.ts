import { describe, expect, it } from "vitest";
import {
  applyOutcome,
  backoffMs,
  DEFAULT_LIMITS,
  markVanished,
  mergeObservation,
  newRecord,
  nextAction,
  requestDelete,
  requestScaling,
  type DeploymentRecord,
  type Outcome,
} from "../../../workers/deploy/machine";
import type { DeploymentPlan, Scaling } from "../../../workers/deploy/planner";

const scaling: Scaling = { workersMin: 0, workersMax: 2, idleTimeoutSeconds: 60, scaler: "QUEUE_DELAY", scalerValue: 4, flashboot: true };
const plan = {
  model: "Qwen/Qwen2.5-7B-Instruct",
  kind: "chat",
  engine: "vllm",
  image: "runpod/worker-v1-vllm:v2.25.2",
  env: { MODEL_NAME: "Qwen/Qwen2.5-7B-Instruct" },
  servedModel: "Qwen/Qwen2.5-7B-Instruct",
  gpu: { pool: "ADA_24", label: "RTX 4090", count: 1, memoryGb: 24, usdPerSecond: 0.00031 },
  scaling,
  containerDiskGb: 40,
} as unknown as DeploymentPlan;

const T0 = 1_700_000_000_000;
const fresh = (): DeploymentRecord =>
  newRecord(
    { id: "dep-a", workspaceId: "ws", createdBy: "u", name: "qwen", plan, price: { input: 10, output: 100 }, workerMicrosPerSecond: 310, endpointName: "platform-dep-a", idempotencyKey: null, sealedHfToken: null },
    T0,
  );

/** Runs the step the record asks for with the given outcome, at the record's own next alarm time. */
function step(rec: DeploymentRecord, outcome: Outcome, now = rec.nextAt ?? T0): DeploymentRecord {
  return applyOutcome(rec, nextAction(rec), outcome, now);
}

const ok: Outcome = { ok: true };
const flaky: Outcome = { ok: false, retryable: true, message: "HTTP 503: Service Unavailable" };

describe("deploy state machine", () => {
  it("walks planned -> creating -> initializing -> ready, noting every transition", () => {
    let r = fresh();
    expect(nextAction(r)).toEqual({ kind: "begin" });
    r = step(r, ok);
    expect(r.state).toBe("creating");
    r = step(r, { ok: true, endpointId: "ep1" });
    expect(r).toMatchObject({ state: "initializing", endpointId: "ep1", attempts: 0 });
    r = step(r, { ok: true, healthy: false, workersSeen: 0 });
    expect(r.state).toBe("initializing");
    expect(r.nextAt! - r.updatedAt).toBe(750); // quick polls first, growing by half
    r = step(r, { ok: true, healthy: true, workersSeen: 2 });
    expect(nextAction(r)).toEqual({ kind: "register" });
    r = step(r, ok);
    expect(r).toMatchObject({ state: "ready", nextAt: null });
    expect(r.readyAt).not.toBeNull();
    expect(r.history.map((h) => h.state)).toEqual(["planned", "creating", "initializing", "ready"]);
    expect(r.history.map((h) => h.seq)).toEqual([1, 2, 3, 4]);
    expect(nextAction(r)).toEqual({ kind: "none" });
  });

  it("backs off on retryable create failures and fails with the reason after the bound", () => {
    let r = step(fresh(), ok);
    const delays: number[] = [];
    for (let i = 1; i < DEFAULT_LIMITS.maxCreateAttempts; i++) {
      const before = r.nextAt!;
      r = step(r, flaky, before);
      expect(r.state).toBe("creating");
      delays.push(r.nextAt! - before);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000]);
    r = step(r, flaky);
    expect(r.state).toBe("failed");
    expect(r.error).toContain(`after ${DEFAULT_LIMITS.maxCreateAttempts} attempts`);
    expect(r.error).toContain("HTTP 503");
    // A timed-out create may still have made an endpoint: cleanup runs before the failure is final.
    expect(r.cleanup).toBe(true);
    expect(nextAction(r)).toEqual({ kind: "teardown" });
    r = step(r, ok);
    expect(r).toMatchObject({ state: "failed", cleanup: false, nextAt: null });
  });

  it("fails at once when RunPod refuses the request itself", () => {
    const r = step(step(fresh(), ok), { ok: false, retryable: false, message: "HTTP 422: Request validation failed." });
    expect(r.state).toBe("failed");
    expect(r.error).toBe("RunPod refused the endpoint: HTTP 422: Request validation failed.");
  });

  it("gives up on workers that never become healthy", () => {
    let r = step(step(fresh(), ok), { ok: true, endpointId: "ep1" });
    const entered = r.stateSince;
    let polls = 0;
    while (r.state === "initializing" && polls < 1000) {
      r = step(r, polls % 3 === 0 ? flaky : { ok: true, healthy: false });
      polls++;
    }
    expect(r.state).toBe("failed");
    expect(r.error).toMatch(/did not become healthy within 1200 s/);
    expect(r.updatedAt - entered).toBeGreaterThanOrEqual(DEFAULT_LIMITS.initTimeoutMs);
    // Polls settle at every 10 s: about 120 in 20 minutes, not thousands.
    expect(polls).toBeLessThan(150);
  });

  it("deletes from any state, never abandons a teardown, and ignores a second delete", () => {
    for (const prepare of [(r: DeploymentRecord) => r, (r: DeploymentRecord) => step(r, ok), (r: DeploymentRecord) => step(step(r, ok), { ok: true, endpointId: "ep1" })]) {
      let r = requestDelete(prepare(fresh()), T0 + 5);
      expect(r.state).toBe("deleting");
      expect(requestDelete(r, T0 + 6)).toBe(r);
      for (let i = 0; i < 30; i++) r = step(r, flaky);
      expect(r.state).toBe("deleting");
      expect(r.nextAt! - r.updatedAt).toBe(5 * 60_000); // capped, still trying
      r = step(r, ok);
      expect(r).toMatchObject({ state: "deleted", nextAt: null });
      expect(requestDelete(r, r.updatedAt + 1)).toBe(r);
    }
  });

  it("applies scaling changes: into the plan before the endpoint exists, through a step once ready", () => {
    const s2 = { ...scaling, workersMin: 1, workersMax: 3 };
    const early = requestScaling(fresh(), s2, T0 + 1);
    expect(early.ok && early.record.plan.scaling).toEqual(s2);
    expect(early.ok && early.record.pendingScaling).toBeNull();

    let r = step(step(step(step(step(fresh(), ok), { ok: true, endpointId: "ep1" }), { ok: true, healthy: true }), ok), ok);
    expect(r.state).toBe("ready");
    const asked = requestScaling(r, s2, r.updatedAt + 1);
    if (!asked.ok) throw new Error(asked.reason);
    r = asked.record;
    expect(nextAction(r)).toEqual({ kind: "scale", scaling: s2 });
    expect(r.nextAt).toBe(r.updatedAt);
    r = step(r, ok);
    expect(r.plan.scaling).toEqual(s2);
    expect(r.pendingScaling).toBeNull();
    expect(r.history.at(-1)!.note).toContain("1-3 workers");

    // A newer change arriving while the older one is applied stays pending.
    const s3 = { ...s2, workersMax: 5 };
    const a = requestScaling(r, s3, r.updatedAt + 1);
    if (!a.ok) throw new Error(a.reason);
    const inFlight = nextAction(a.record);
    const s4 = { ...s2, workersMax: 6 };
    const b = requestScaling(a.record, s4, a.record.updatedAt + 1);
    if (!b.ok) throw new Error(b.reason);
    const after = applyOutcome(b.record, inFlight, ok, b.record.updatedAt + 2);
    expect(after.pendingScaling).toEqual(s4);
    expect(nextAction(after)).toEqual({ kind: "scale", scaling: s4 });

    // A refused change is dropped with the reason on record.
    const refused = applyOutcome(after, nextAction(after), { ok: false, retryable: false, message: "HTTP 400: workers.min exceeds workers.max" }, after.updatedAt + 3);
    expect(refused.pendingScaling).toBeNull();
    expect(refused.lastError).toContain("scaling change not applied");
    expect(requestScaling(requestDelete(refused, refused.updatedAt + 4), s2, refused.updatedAt + 5)).toEqual({ ok: false, reason: "a deleting deployment cannot be scaled" });
  });

  it("runs a scaling change asked for while initializing as soon as it is ready", () => {
    let r = step(step(step(fresh(), ok), { ok: true, endpointId: "ep1" }), { ok: true, healthy: true });
    const asked = requestScaling(r, { ...scaling, workersMin: 1 }, r.updatedAt + 1);
    if (!asked.ok) throw new Error(asked.reason);
    r = step(asked.record, ok);
    expect(r.state).toBe("ready");
    expect(r.nextAt).not.toBeNull();
    expect(nextAction(r).kind).toBe("scale");
  });

  it("marks a ready deployment whose endpoint vanished, and keeps what a superseded step learned", () => {
    const ready = step(step(step(step(step(fresh(), ok), { ok: true, endpointId: "ep1" }), { ok: true, healthy: true }), ok), ok);
    const gone = markVanished(ready, ready.updatedAt + 1);
    expect(gone).toMatchObject({ state: "failed", error: "endpoint ep1 no longer exists on RunPod", cleanup: false });
    expect(markVanished(gone, gone.updatedAt + 1)).toBe(gone);

    const deleting = requestDelete(step(fresh(), ok), T0 + 1);
    const merged = mergeObservation(deleting, { ok: true, endpointId: "ep9" });
    expect(merged).toMatchObject({ state: "deleting", endpointId: "ep9" });
    expect(merged.rev).toBe(deleting.rev + 1);
  });

  it("ends every run ready or failed with a reason when 30% of calls fail (seeded simulation)", () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const ends = { ready: 0, failed: 0 };
    for (let run = 0; run < 300; run++) {
      let r = fresh();
      let steps = 0;
      while (nextAction(r).kind !== "none" && steps < 2000) {
        const action = nextAction(r);
        const failed = rand() < 0.3;
        const outcome: Outcome = failed
          ? { ok: false, retryable: rand() < 0.95, message: "HTTP 502" }
          : action.kind === "create"
            ? { ok: true, endpointId: "ep" }
            : action.kind === "health"
              ? { ok: true, healthy: rand() < 0.5 }
              : { ok: true };
        const next = applyOutcome(r, action, outcome, r.nextAt ?? r.updatedAt);
        expect(next.rev).toBeGreaterThan(r.rev);
        r = next;
        steps++;
      }
      expect(["ready", "failed"]).toContain(r.state);
      if (r.state === "failed") expect(r.error).toBeTruthy();
      expect(r.cleanup).toBe(false);
      ends[r.state as "ready" | "failed"]++;
    }
    expect(ends.ready).toBeGreaterThan(200);
  });

  it("backoff doubles from 1 s and is capped", () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n))).toEqual([1000, 2000, 4000, 8000, 60_000]);
    expect(backoffMs(20, 5_000)).toBe(5_000);
  });
});
