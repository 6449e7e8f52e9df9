import { describe, expect, it } from "vitest";
import { planDeparture, reauthFor, RECENT_SIGN_IN_MS, type SharedMember } from "../../../workers/account/departure";

const m = (userId: string, roles: string, joinedAt: number): SharedMember => ({ memberId: `m_${userId}`, userId, roles, joinedAt });

describe("planDeparture", () => {
  it("a non-owner just leaves; an owner with a co-owner leaves; SSO stays with an owner", () => {
    const plan = planDeparture("me", [
      { id: "w1", name: "One", members: [m("boss", "owner", 1), m("me", "member", 2)] },
      { id: "w2", name: "Two", members: [m("me", "owner", 1), m("co", "owner", 5), m("adm", "admin", 2)] },
    ]);
    expect(plan.blocked).toEqual([]);
    expect(plan.departures.map((d) => [d.workspaceId, d.successor, d.stewardUserId])).toEqual([
      ["w1", null, "boss"],
      ["w2", null, "co"],
    ]);
  });

  it("the only owner hands over to the longest-standing admin (several roles held count)", () => {
    const plan = planDeparture("me", [
      { id: "w", name: "Team", members: [m("me", "owner", 1), m("new-admin", "admin", 9), m("old-admin", "member,admin", 3), m("dev", "member", 2)] },
    ]);
    expect(plan.departures[0]!.successor?.userId).toBe("old-admin");
    expect(plan.departures[0]!.stewardUserId).toBe("old-admin");
  });

  it("refuses, naming the workspace, when the only owner has no admin to hand to", () => {
    const plan = planDeparture("me", [
      { id: "w1", name: "Members only", members: [m("me", "owner", 1), m("dev", "member", 2), m("v", "viewer", 3)] },
      { id: "w2", name: "Alone", members: [m("me", "owner", 1)] },
      { id: "w3", name: "Fine", members: [m("me", "owner", 1), m("a", "admin", 2)] },
    ]);
    expect(plan.blocked).toEqual([
      { id: "w1", name: "Members only" },
      { id: "w2", name: "Alone" },
    ]);
    expect(plan.departures.map((d) => d.workspaceId)).toEqual(["w3"]);
  });
});

describe("reauthFor", () => {
  it("asks for the password when there is one; otherwise a sign-in within five minutes", () => {
    expect(reauthFor(true, 0, 10 * RECENT_SIGN_IN_MS)).toEqual({ kind: "password" });
    expect(reauthFor(false, 1000, 1000 + RECENT_SIGN_IN_MS)).toEqual({ kind: "recent_sign_in", fresh: true });
    expect(reauthFor(false, 1000, 1001 + RECENT_SIGN_IN_MS)).toEqual({ kind: "recent_sign_in", fresh: false });
    expect(reauthFor(false, 5000, 1000)).toEqual({ kind: "recent_sign_in", fresh: false });
  });
});
