import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, signUp, teamWith, uniqueEmail, type SignedUp } from "./auth-client";

/**
 * The workspace's cost policy (issue 10) through the running platform: read by anyone who sees deployments,
 * changed by admins and owners only, validated, audited, and scoped to the workspace. What the policy does
 * to the watchers is driven with a clock in test/workers/deploy-scaling.test.ts.
 */
inject("platformUrl");

let owner: SignedUp;
let admin: SignedUp;
let member: SignedUp;
let outsider: SignedUp;
let team = "";
const inTeam = (who: SignedUp, method: string, json?: unknown) => apiCall(who, method, "/api/cost-policy", json, { "x-workspace-id": team });

beforeAll(async () => {
  [owner, admin, member, outsider] = (await Promise.all(["owner", "admin", "member", "outsider"].map((n) => signUp(uniqueEmail(`policy-${n}`), n)))) as [SignedUp, SignedUp, SignedUp, SignedUp];
  team = await teamWith(owner, "Cost Policy Team", [[admin, "admin"], [member, "member"]]);
});

describe("/api/cost-policy", () => {
  it("starts at the defaults: the deployments' own settings hold, no workspace ceilings", async () => {
    const r = await inTeam(member, "GET");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ autoscale: "apply", maxWorkerUsdPerHour: null, gpuSpendCeilingUsdPerMonth: null, expectedGpuSpendUsdPerMonth: 0, deployments: [] });
  });

  it("admins change it in parts, null clears a ceiling, and each change is audited", async () => {
    const set = await inTeam(admin, "PUT", { autoscale: "propose", maxWorkerUsdPerHour: 1.2, gpuSpendCeilingUsdPerMonth: 400 });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ autoscale: "propose", maxWorkerUsdPerHour: 1.2, gpuSpendCeilingUsdPerMonth: 400 });
    const part = await inTeam(owner, "PUT", { maxWorkerUsdPerHour: null });
    expect(part.body).toMatchObject({ autoscale: "propose", maxWorkerUsdPerHour: null, gpuSpendCeilingUsdPerMonth: 400 });
    expect((await inTeam(member, "GET")).body).toMatchObject({ autoscale: "propose", maxWorkerUsdPerHour: null, gpuSpendCeilingUsdPerMonth: 400 });

    const audit = await apiCall(owner, "GET", "/api/audit?action=workspace.cost_policy", undefined, { "x-workspace-id": team });
    expect(audit.status, JSON.stringify(audit.body)).toBe(200);
    const entries = (audit.body.entries ?? audit.body.items) as { action: string; before: Record<string, unknown>; after: Record<string, unknown> }[];
    const mine = entries.filter((e) => e.action === "workspace.cost_policy");
    expect(mine.length).toBe(2);
    expect(mine.map((e) => e.after.maxWorkerUsdPerHour).sort()).toEqual([1.2, null].sort());
  });

  it("members may read but not change it; another workspace's policy is its own", async () => {
    const refused = await inTeam(member, "PUT", { autoscale: "off" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");
    expect((await inTeam(member, "GET")).body.autoscale).toBe("propose");
    // The outsider's own workspace is untouched; naming the team's id gets them nowhere.
    expect((await apiCall(outsider, "GET", "/api/cost-policy")).body).toMatchObject({ autoscale: "apply", gpuSpendCeilingUsdPerMonth: null });
    const foreign = await inTeam(outsider, "PUT", { autoscale: "off" });
    expect([403, 404]).toContain(foreign.status);
    expect((await inTeam(owner, "GET")).body.autoscale).toBe("propose");
  });

  it("bad input is a 400 that names the field, and changes nothing", async () => {
    const cases: [unknown, string][] = [
      [{ autoscale: "sometimes" }, "autoscale"],
      [{ maxWorkerUsdPerHour: -1 }, "maxWorkerUsdPerHour"],
      [{ gpuSpendCeilingUsdPerMonth: "400" }, "gpuSpendCeilingUsdPerMonth"],
      [{ surprise: true }, ""],
    ];
    for (const [body, field] of cases) {
      const r = await inTeam(owner, "PUT", body);
      expect([r.status, r.body.error.code], JSON.stringify(body)).toEqual([400, "invalid_request"]);
      if (field) expect(JSON.stringify(r.body.error), JSON.stringify(body)).toContain(field);
    }
    const res = await owner.browser.fetch("/api/cost-policy", { method: "PUT", body: "{not json", headers: { "content-type": "application/json", "x-workspace-id": team } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
    expect((await inTeam(owner, "GET")).body).toMatchObject({ autoscale: "propose", gpuSpendCeilingUsdPerMonth: 400 });
  });
});
