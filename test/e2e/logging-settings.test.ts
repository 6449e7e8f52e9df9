import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, Browser, signUp, teamWith, uniqueEmail, type SignedUp } from "./auth-client";

/**
 * The prompt-logging opt-in (issue 11) through the running platform: off by default, changed by admins and
 * owners only, audited, validated. What it does to the log line is tested in test/workers/observability.test.ts.
 */
inject("platformUrl");

let owner: SignedUp;
let member: SignedUp;
let team = "";
const inTeam = (who: SignedUp, method: string, json?: unknown) => apiCall(who, method, "/api/logging", json, { "x-workspace-id": team });

beforeAll(async () => {
  [owner, member] = (await Promise.all(["owner", "member"].map((n) => signUp(uniqueEmail(`logging-${n}`), n)))) as [SignedUp, SignedUp];
  team = await teamWith(owner, "Logging Team", [[member, "member"]]);
});

describe("/api/logging", () => {
  it("is off by default and needs a session", async () => {
    expect((await inTeam(member, "GET")).body).toEqual({ logPrompts: false, appliesWithinSeconds: 10 });
    expect((await apiCall(new Browser(), "GET", "/api/logging")).status).toBe(401);
  });

  it("an owner turns it on and off, audited; a member may not", async () => {
    const refused = await inTeam(member, "PUT", { logPrompts: true });
    expect(refused.status).toBe(403);
    const on = await inTeam(owner, "PUT", { logPrompts: true });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    expect(on.body.logPrompts).toBe(true);
    expect((await inTeam(member, "GET")).body.logPrompts).toBe(true);
    const off = await inTeam(owner, "PUT", { logPrompts: false });
    expect(off.body.logPrompts).toBe(false);
    const audit = await apiCall(owner, "GET", "/api/audit?action=workspace.logging", undefined, { "x-workspace-id": team });
    const entries = ((audit.body.entries ?? audit.body.items) as { action: string; after: { logPrompts: boolean } }[]).filter((e) => e.action === "workspace.logging");
    expect(entries.map((e) => e.after.logPrompts).sort()).toEqual([false, true]);
  });

  it("refuses anything but a boolean", async () => {
    for (const body of [{ logPrompts: "yes" }, {}, { logPrompts: true, extra: 1 }]) {
      const r = await inTeam(owner, "PUT", body);
      expect([r.status, r.body.error.code], JSON.stringify(body)).toEqual([400, "invalid_request"]);
    }
    expect((await inTeam(owner, "GET")).body.logPrompts).toBe(false);
  });
});
