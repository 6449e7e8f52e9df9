import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, signUp, uniqueEmail, type SignedUp } from "./auth-client";
import { until } from "./wait";

/**
 * Issue 10's settings through the running platform: autoscale, cost ceiling, pool list and price ceiling
 * on PATCH /api/deployments/:id (validated), shown in the deployment view, and GET /:id/scaling. The
 * watchers themselves run from the cron; test/workers/deploy-scaling.test.ts drives them with a clock.
 */
const platform = inject("platformUrl");

let owner: SignedUp;

beforeAll(async () => {
  owner = await signUp(uniqueEmail("scaling-owner"));
});

describe("deployment scaling settings", () => {
  it("defaults, validates and stores the autoscale and pool settings, and lists them at /scaling", async () => {
    const created = await apiCall(owner, "POST", "/api/deployments", { model: "Qwen/Qwen2.5-0.5B-Instruct", name: "scaling-e2e", scaling: { workersMin: 0, workersMax: 1 } });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const id = created.body.id as string;
    const ready = await until(() => apiCall(owner, "GET", `/api/deployments/${id}`), (r) => r.body?.state === "ready", 30_000, 200);
    const pool = ready.body.gpu.pool as string;
    // Defaults: off, no ceilings, the planner's pick first and the next pools that fit after it.
    expect(ready.body.autoscale).toMatchObject({ autoscale: "off", costCeilingUsdPerMonth: null, maxWorkerUsdPerHour: null, poolsDefault: true });
    expect(ready.body.autoscale.pools[0]).toBe(pool);
    expect(ready.body.autoscale.pools.length).toBeGreaterThan(1);

    const bad = [
      { settings: { autoscale: "always" } },
      { settings: { pools: ["NOT_A_POOL"] } },
      { settings: { pools: [pool, pool] } },
      { settings: { costCeilingUsdPerMonth: -1 } },
      {},
    ];
    for (const body of bad) {
      const r = await apiCall(owner, "PATCH", `/api/deployments/${id}`, body);
      expect([r.status, r.body.error.code], JSON.stringify(body)).toEqual([400, "invalid_request"]);
    }

    const pools = ["AMPERE_24", pool === "AMPERE_24" ? "ADA_24" : pool];
    const patched = await apiCall(owner, "PATCH", `/api/deployments/${id}`, { settings: { autoscale: "propose", costCeilingUsdPerMonth: 120, pools, maxWorkerUsdPerHour: 1.5 } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(202);
    expect(patched.body.autoscale).toEqual({ autoscale: "propose", costCeilingUsdPerMonth: 120, pools, maxWorkerUsdPerHour: 1.5, poolsDefault: false });
    // A partial change keeps the rest; scaling and settings can change together.
    const both = await apiCall(owner, "PATCH", `/api/deployments/${id}`, { settings: { costCeilingUsdPerMonth: null }, scaling: { workersMax: 2 } });
    expect(both.status).toBe(202);
    expect(both.body.autoscale).toMatchObject({ autoscale: "propose", costCeilingUsdPerMonth: null, pools });
    expect(both.body.pendingScaling ?? both.body.scaling).toMatchObject({ workersMax: 2 });

    const scaling = await apiCall(owner, "GET", `/api/deployments/${id}/scaling`);
    expect(scaling.status).toBe(200);
    expect(scaling.body).toMatchObject({ id, settings: { autoscale: "propose", pools }, latestProposal: null, poolWatch: null, history: [], pendingPool: null });
    expect(scaling.body.gpu.pool).toBe(pool);

    const audit = await apiCall(owner, "GET", "/api/audit");
    const actions = (audit.body.entries ?? audit.body.items ?? []).map((e: { action: string }) => e.action);
    expect(actions).toContain("deployment.settings");

    const other = await signUp(uniqueEmail("scaling-other"));
    expect((await apiCall(other, "GET", `/api/deployments/${id}/scaling`)).status).toBe(404);
    expect((await apiCall(owner, "DELETE", `/api/deployments/${id}`)).status).toBe(202);
    void platform;
  });
});
