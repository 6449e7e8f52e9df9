import { describe, expect, it } from "vitest";
import { planReconcile, type ReconcileDeployment } from "../../../workers/deploy/reconcile";

const now = 1_700_000_000_000;
const dep = (id: string, state: ReconcileDeployment["state"], endpointId: string | null, ageMs = 0): ReconcileDeployment => ({ id, state, endpointId, updatedAt: now - ageMs });

describe("reconcile decisions", () => {
  it("deletes endpoints under our prefix that no live deployment owns, and nothing else", () => {
    const plan = planReconcile({
      prefix: "sw",
      now,
      staleAfterMs: 120_000,
      endpoints: [
        { id: "e1", name: "sw-dep-live" },
        { id: "e2", name: "sw-dep-gone" }, // no record at all (its workspace was deleted)
        { id: "e3", name: "sw-dep-deleted" },
        { id: "e4", name: "sw-dep-failed" },
        { id: "e5", name: "sw-dep-live" }, // a second endpoint for one deployment
        { id: "e6", name: "sc-dep-other-brand" },
        { id: "e7", name: "my-own-endpoint" },
        { id: "e8", name: "sw-dep-creating" }, // made by a create whose answer is not recorded yet
      ],
      deployments: [dep("dep-live", "ready", "e1"), dep("dep-deleted", "deleted", "e3"), dep("dep-failed", "failed", "e4"), dep("dep-creating", "creating", null)],
    });
    expect(plan.deleteEndpoints.map((e) => [e.id, e.reason])).toEqual([
      ["e2", "no deployment owns it"],
      ["e3", "its deployment was deleted"],
      ["e4", "its deployment failed"],
      ["e5", "a second endpoint for dep-live (it owns e1)"],
    ]);
    expect(plan.vanished).toEqual([]);
  });

  it("marks deployments whose endpoint is gone and resumes stale unfinished ones", () => {
    const plan = planReconcile({
      prefix: "sw",
      now,
      staleAfterMs: 120_000,
      endpoints: [{ id: "e1", name: "sw-a" }],
      deployments: [
        dep("a", "ready", "e1"),
        dep("b", "ready", "e-missing"),
        dep("c", "initializing", "e-missing2"),
        dep("d", "creating", null, 200_000),
        dep("e", "creating", null, 10_000),
        dep("f", "deleting", "e-x", 300_000),
        dep("g", "ready", "e1", 900_000),
        dep("h", "deleted", null, 900_000),
      ],
    });
    expect(plan.vanished).toEqual(["b", "c"]);
    expect(plan.resume).toEqual(["d", "f"]);
  });
});
