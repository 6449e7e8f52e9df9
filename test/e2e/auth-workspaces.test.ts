import { beforeAll, describe, expect, it } from "vitest";
import { type Browser, me, query, signUp, type SignedUp, uniqueEmail } from "./auth-client";

/** Invites `who` into `orgId` as `role` and has them accept through the invitation id from their mail. */
async function inviteAndAccept(inviter: Browser, orgId: string, who: SignedUp, role: string) {
  const invited = await inviter.post("/api/auth/organization/invite-member", { email: who.email, role, organizationId: orgId });
  expect(invited.status, await invited.clone().text()).toBe(200);
  const invitation = (await invited.json()) as { id: string; status: string };
  expect(invitation.status).toBe("pending");
  // The invitation mail is in the outbox with the id in its link.
  const [mail] = await query<{ kind: string; url: string }>("select kind, url from email_outbox where to_address = ? and kind = 'invitation' order by created_at desc", [
    who.email.toLowerCase(),
  ]);
  expect(mail?.url).toMatch(new RegExp(`/invitations/${invitation.id}$`));
  const accepted = await who.browser.post("/api/auth/organization/accept-invitation", { invitationId: invitation.id });
  expect(accepted.status, await accepted.clone().text()).toBe(200);
  return ((await accepted.json()) as { member: { id: string; role: string } }).member;
}

interface Member {
  id: string;
  userId: string;
  role: string;
}

async function listMembers(browser: Browser, orgId: string): Promise<Member[]> {
  const res = await browser.fetch(`/api/auth/organization/list-members?organizationId=${orgId}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { members: Member[] }).members;
}

describe("workspaces: invitations, roles, leaving, tenancy", () => {
  let owner: SignedUp, admin: SignedUp, dev: SignedUp, viewer: SignedUp, outsider: SignedUp;
  let teamId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const named = (n: string) => signUp(uniqueEmail(n), n[0]!.toUpperCase() + n.slice(1));
    [owner, admin, dev, viewer, outsider] = await Promise.all([named("owner"), named("admin"), named("dev"), named("viewer"), named("outsider")]);
    const created = await owner.browser.post("/api/auth/organization/create", { name: "Team Rocket", slug: `rocket-${Date.now().toString(36)}` });
    expect(created.status).toBe(200);
    teamId = ((await created.json()) as { id: string }).id;
    ids.admin = (await inviteAndAccept(owner.browser, teamId, admin, "admin")).id;
    ids.dev = (await inviteAndAccept(owner.browser, teamId, dev, "member")).id;
    ids.viewer = (await inviteAndAccept(owner.browser, teamId, viewer, "viewer")).id;
  });

  it("invitations: invited users join with the invited role; everyone sees the member list", async () => {
    const members = await listMembers(viewer.browser, teamId);
    const roleOf = (u: SignedUp) => members.find((m) => m.userId === u.userId)?.role;
    expect([roleOf(owner), roleOf(admin), roleOf(dev), roleOf(viewer), roleOf(outsider)]).toEqual(["owner", "admin", "member", "viewer", undefined]);
    // Each member now has two workspaces: their personal one and the team.
    const profile = await me(dev.browser);
    expect(profile.workspaces.map((w) => [w.personal, w.role])).toEqual([
      [true, "owner"],
      [false, "member"],
    ]);
  });

  it("viewers and members cannot invite; admins cannot invite owners", async () => {
    for (const [who, role] of [
      [viewer, "member"],
      [dev, "viewer"],
      [admin, "owner"],
    ] as const) {
      const res = await who.browser.post("/api/auth/organization/invite-member", { email: uniqueEmail("x"), role, organizationId: teamId });
      expect(res.status, `${who.email} inviting ${role}`).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: expect.stringMatching(/^you_are_not_allowed/) } });
    }
    // Unknown roles are refused outright.
    const bogus = await owner.browser.post("/api/auth/organization/invite-member", { email: uniqueEmail("x"), role: "emperor", organizationId: teamId });
    expect(bogus.status).toBeGreaterThanOrEqual(400);
    expect(bogus.status).toBeLessThan(500);
  });

  it("role changes: members cannot change roles, admins cannot make owners, owners can promote and demote", async () => {
    const change = (who: SignedUp, memberId: string, role: string) =>
      who.browser.post("/api/auth/organization/update-member-role", { memberId, role, organizationId: teamId });
    expect((await change(dev, ids.viewer!, "admin")).status).toBe(403);
    expect((await change(viewer, ids.viewer!, "owner")).status).toBe(403);
    expect((await change(admin, ids.dev!, "owner")).status).toBe(403);
    // Admin may move people between member and viewer...
    expect((await change(admin, ids.viewer!, "member")).status).toBe(200);
    expect((await change(admin, ids.viewer!, "viewer")).status).toBe(200);
    // ...and the owner may promote to admin and back.
    expect((await change(owner, ids.dev!, "admin")).status).toBe(200);
    expect((await me(dev.browser, { "x-workspace-id": teamId })).workspaces.find((w) => w.id === teamId)?.role).toBe("admin");
    expect((await change(owner, ids.dev!, "member")).status).toBe(200);
  });

  it("requireWorkspace: the active workspace comes from x-workspace-id; roles are enforced with 403", async () => {
    // Default (no header): the session's active workspace. Accepting the invitation made it the team;
    // organization/set-active moves it back to the personal one.
    expect(await (await viewer.browser.fetch("/api/workspace")).json()).toMatchObject({ id: teamId, role: "viewer" });
    const personalId = (await me(viewer.browser)).workspaces.find((w) => w.personal)!.id;
    expect((await viewer.browser.post("/api/auth/organization/set-active", { organizationId: personalId })).status).toBe(200);
    const home = await viewer.browser.fetch("/api/workspace");
    expect(await home.json()).toMatchObject({ id: personalId, personal: true, role: "owner" });
    expect((await me(viewer.browser)).activeWorkspaceId).toBe(personalId);
    // Explicit: the team, as viewer, with what a viewer may do.
    const team = await viewer.browser.fetch("/api/workspace", { headers: { "x-workspace-id": teamId } });
    expect(team.status).toBe(200);
    const body = (await team.json()) as { id: string; role: string; permissions: Record<string, string[]> };
    expect(body).toMatchObject({ id: teamId, role: "viewer" });
    expect(body.permissions.usage).toEqual(["read"]);
    expect(body.permissions.billing).toEqual(["read"]);
    expect(body.permissions.apiKey).toEqual(["read"]);
    expect(body.permissions.audit).toBeUndefined();

    // An admin action (renaming the workspace) is 403 for viewers and members, fine for admins.
    for (const who of [viewer, dev]) {
      const res = await who.browser.fetch("/api/workspace", { method: "PATCH", json: { name: "Hacked" }, headers: { "x-workspace-id": teamId } });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
    }
    const renamed = await admin.browser.fetch("/api/workspace", { method: "PATCH", json: { name: "Team Rocket HQ" }, headers: { "x-workspace-id": teamId } });
    expect(renamed.status).toBe(200);
    expect((await me(owner.browser)).workspaces.find((w) => w.id === teamId)?.name).toBe("Team Rocket HQ");
  });

  it("tenancy: another workspace's id is 404 (same as a made-up id), through our routes and better-auth's", async () => {
    const outsiderHome = (await me(outsider.browser)).workspaces[0]!.id;
    for (const id of [outsiderHome, "00000000-0000-4000-8000-00000000dead"]) {
      for (const [method, path] of [
        ["GET", "/api/workspace"],
        ["PATCH", "/api/workspace"],
        ["GET", "/api/me"],
      ] as const) {
        const res = await owner.browser.fetch(path, { method, headers: { "x-workspace-id": id }, ...(method === "PATCH" ? { json: { name: "x" } } : {}) });
        expect(res.status, `${method} ${path} ${id}`).toBe(404);
        expect(await res.json()).toMatchObject({ error: { code: "workspace_not_found" } });
      }
    }
    // better-auth's own endpoints refuse outsiders too.
    const list = await outsider.browser.fetch(`/api/auth/organization/list-members?organizationId=${teamId}`);
    expect(list.status).toBe(403);
    const invite = await outsider.browser.post("/api/auth/organization/invite-member", { email: uniqueEmail("y"), role: "member", organizationId: teamId });
    expect(invite.status).toBeGreaterThanOrEqual(400);
    expect(invite.status).toBeLessThan(500);
  });

  it("leaving: a member can leave; the only owner cannot; a personal workspace cannot be deleted", async () => {
    const leaver = await signUp(uniqueEmail("leaver"));
    await inviteAndAccept(owner.browser, teamId, leaver, "member");
    const left = await leaver.browser.post("/api/auth/organization/leave", { organizationId: teamId });
    expect(left.status).toBe(200);
    expect((await me(leaver.browser)).workspaces.map((w) => w.id)).not.toContain(teamId);
    const gone = await leaver.browser.fetch("/api/workspace", { headers: { "x-workspace-id": teamId } });
    expect(gone.status).toBe(404);

    const ownerLeaves = await owner.browser.post("/api/auth/organization/leave", { organizationId: teamId });
    expect(ownerLeaves.status).toBe(400);
    expect(await ownerLeaves.json()).toMatchObject({ error: { code: "you_cannot_leave_the_organization_as_the_only_owner" } });

    const personal = (await me(owner.browser)).workspaces.find((w) => w.personal)!;
    const del = await owner.browser.post("/api/auth/organization/delete", { organizationId: personal.id });
    expect(del.status).toBe(400);
    expect(await del.json()).toMatchObject({ error: { code: "personal_workspace" } });
    expect((await me(owner.browser)).workspaces.some((w) => w.id === personal.id)).toBe(true);
  });

  it("admins can remove members, but not the owner", async () => {
    const temp = await signUp(uniqueEmail("temp"));
    const m = await inviteAndAccept(owner.browser, teamId, temp, "member");
    const ownerMember = (await listMembers(owner.browser, teamId)).find((x) => x.userId === owner.userId)!;
    const removeOwner = await admin.browser.post("/api/auth/organization/remove-member", { memberIdOrEmail: ownerMember.id, organizationId: teamId });
    expect(removeOwner.status).toBeGreaterThanOrEqual(400);
    expect(removeOwner.status).toBeLessThan(500);
    const removed = await admin.browser.post("/api/auth/organization/remove-member", { memberIdOrEmail: m.id, organizationId: teamId });
    expect(removed.status).toBe(200);
    expect((await temp.browser.fetch("/api/workspace", { headers: { "x-workspace-id": teamId } })).status).toBe(404);
    // Their session still names the team as active (accepting the invitation chose it); without a header
    // they act in their personal workspace instead of hitting a dead end.
    expect(await (await temp.browser.fetch("/api/workspace")).json()).toMatchObject({ personal: true, role: "owner" });
    expect((await me(temp.browser)).activeWorkspaceId).toBe((await me(temp.browser)).workspaces[0]!.id);
  });
});
