import { fireEvent, screen, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import type { InvitationDetail, Member } from "../../../web/src/lib/team-api";
import { Team } from "../../../web/src/screens/Team";
import { apiError, hang, json, later, networkError, stubFetch, type Route } from "../fetch-stub";
import { ME, signedIn, signedOut, UNREACHABLE, VIEWER } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = (path = "/team") => renderAt(path, <Team brandName="SwaggyStacks" />);

const member = (me = ME, role = "owner"): Member => ({ id: `m-${me.user.id}`, userId: me.user.id, role, createdAt: "2026-05-01T00:00:00.000Z", user: me.user });
const ORG = "/api/auth/organization";
/** A workspace of one: its owner, nothing pending, no SSO, an audit log with nothing in it. */
const aloneRoutes = (): Record<string, Route> => ({
  ...signedIn(),
  [`GET ${ORG}/list-members`]: json({ members: [member()] }),
  [`GET ${ORG}/list-invitations`]: json([]),
  "GET /api/auth/sso/providers": json({ providers: [] }),
  "GET /api/audit": json({ workspaceId: "ws-ada", chainValid: true, chainLength: 0, entries: [], nextCursor: null }),
});

describe("Team screen", () => {
  it("signed out: the sign-in form with why", async () => {
    stubFetch(signedOut);
    show();
    expect(await screen.findByText("Sign in to manage your team on SwaggyStacks.")).toBeTruthy();
  });

  it("loading: members, invitations and the audit log each say they are on their way", async () => {
    stubFetch({
      ...signedIn(),
      [`GET ${ORG}/list-members`]: hang(),
      [`GET ${ORG}/list-invitations`]: hang(),
      "GET /api/auth/sso/providers": hang(),
      "GET /api/audit": hang(),
    });
    show();
    expect(await screen.findByText("Loading members…")).toBeTruthy();
    expect(screen.getByText("Loading invitations…")).toBeTruthy();
    expect(await screen.findByText("Loading the audit log…")).toBeTruthy();
    expect(screen.getByTestId("my-role").textContent).toBe("You are owner in Ada's workspace (your personal workspace).");
  });

  it("empty: only you, nothing pending, no SSO, nothing audited", async () => {
    stubFetch(aloneRoutes());
    show();
    const members = await screen.findByTestId("members");
    expect(within(members).getAllByTestId("member")).toHaveLength(1);
    expect(within(members).getByText("(you)", { exact: false })).toBeTruthy();
    expect(screen.getByRole("heading", { name: /Members/ }).textContent).toBe("Members (1)");
    expect((await screen.findByTestId("invitations-empty")).textContent).toBe("No pending invitations.");
    expect((await screen.findByTestId("sso-empty")).textContent).toBe("No identity provider yet: members sign in with email and password.");
    expect((await screen.findByTestId("audit-empty")).textContent).toBe("Nothing recorded.");
    expect(screen.getByTestId("audit-verified")).toBeTruthy();
  });

  it("a viewer reads the members, is told who manages people, and asks for nothing else", async () => {
    const stub = stubFetch({ ...signedIn(VIEWER), [`GET ${ORG}/list-members`]: json({ members: [member(ME, "owner"), member(VIEWER, "viewer")] }) });
    show();
    expect((await screen.findByTestId("read-only")).textContent).toBe("Only admins and owners invite people and change roles.");
    expect(screen.getByTestId("sso-owners-only")).toBeTruthy();
    expect(screen.queryByTestId("invite-form")).toBeNull();
    expect(screen.queryByRole("heading", { name: "Audit log" })).toBeNull();
    expect(stub.callsTo(`GET ${ORG}/list-invitations`)).toEqual([]);
    expect(stub.callsTo("GET /api/audit")).toEqual([]);
  });

  it("error: the members' refusal in the API's words, and no spinner left", async () => {
    stubFetch({ ...aloneRoutes(), [`GET ${ORG}/list-members`]: apiError(403, "forbidden", "You are not a member of this workspace.") });
    show();
    expect((await screen.findByTestId("members-error")).textContent).toBe("You are not a member of this workspace.");
    expect(screen.queryByText("Loading members…")).toBeNull();
  });

  it("error: the audit log's refusal is shown where the log would be", async () => {
    stubFetch({ ...aloneRoutes(), "GET /api/audit": apiError(500, "internal", "The audit chain could not be read.") });
    show();
    expect((await screen.findByTestId("audit-error")).textContent).toBe("The audit chain could not be read.");
    expect(screen.queryByText("Loading the audit log…")).toBeNull();
  });

  it("inviting: the button waits, then the refusal with its field problem, and the form keeps what was typed", async () => {
    const invite = later();
    stubFetch({ ...aloneRoutes(), [`POST ${ORG}/invite-member`]: invite.reply });
    show();
    const form = await screen.findByTestId("invite-form");
    fireEvent.input(within(form).getByLabelText("Email"), { target: { value: "grace@example.com" } });
    fireEvent.submit(form);
    expect((await within(form).findByRole("button", { name: "Inviting…" })).hasAttribute("disabled")).toBe(true);
    invite.answer(json({ error: { code: "invalid_request", message: "Invalid invitation", details: [{ path: "email", message: "already a member" }] } }, 400));
    expect((await within(form).findByTestId("invite-error")).textContent).toBe("Invalid invitation: email: already a member");
    expect((within(form).getByLabelText("Email") as HTMLInputElement).value).toBe("grace@example.com");
  });

  it("error: a failed connection says to check it", async () => {
    stubFetch({ ...aloneRoutes(), [`GET ${ORG}/list-members`]: networkError() });
    show();
    expect((await screen.findByTestId("members-error")).textContent).toBe(UNREACHABLE);
  });

  it("offline: the workspace's people are not kept offline, so it says to check the connection", async () => {
    goOffline(signedIn());
    show();
    expect((await screen.findByTestId("members-error")).textContent).toBe(UNREACHABLE);
    expect((await screen.findByTestId("sso-error")).textContent).toBe(UNREACHABLE);
    expect((await screen.findByTestId("audit-error")).textContent).toBe(UNREACHABLE);
  });
});

describe("Team screen: an invitation link", () => {
  const invitation: InvitationDetail = {
    id: "inv-1",
    email: ME.user.email,
    role: "admin",
    status: "pending",
    organizationId: "ws-acme",
    expiresAt: "2026-06-01T00:00:00.000Z",
    organizationName: "Acme",
    organizationSlug: "acme",
    inviterEmail: "bob@example.com",
  };

  it("signed out: asks to sign in with the invited address", async () => {
    stubFetch(signedOut);
    show("/invitations/inv-1");
    expect(await screen.findByText("Sign in with the invited email address to join the workspace on SwaggyStacks.")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Invitation" })).toBeTruthy();
  });

  it("loading, then who invited whom to what, with both choices", async () => {
    const answer = later();
    stubFetch({ ...signedIn(), [`GET ${ORG}/get-invitation`]: answer.reply });
    show("/invitations/inv-1");
    expect(await screen.findByText("Loading the invitation…")).toBeTruthy();
    answer.answer(json(invitation));
    expect((await screen.findByTestId("invitation-summary")).textContent).toBe("bob@example.com invited ada@example.com to Acme as admin.");
    expect(screen.getByRole("button", { name: "Accept and join" }).hasAttribute("disabled")).toBe(false);
  });

  it("error: an invitation for someone else says so, and which account is signed in", async () => {
    stubFetch({ ...signedIn(), [`GET ${ORG}/get-invitation`]: apiError(403, "forbidden", "This invitation is for another email address.") });
    show("/invitations/inv-1");
    expect((await screen.findByTestId("invitation-error")).textContent).toBe("This invitation is for another email address. (signed in as ada@example.com)");
    expect(screen.queryByText("Loading the invitation…")).toBeNull();
  });

  it("a failed accept keeps the invitation and says why", async () => {
    stubFetch({ ...signedIn(), [`GET ${ORG}/get-invitation`]: json(invitation), [`POST ${ORG}/accept-invitation`]: networkError() });
    show("/invitations/inv-1");
    fireEvent.click(await screen.findByRole("button", { name: "Accept and join" }));
    expect((await screen.findByTestId("invitation-error")).textContent).toContain(UNREACHABLE);
    expect(screen.getByTestId("invitation-summary")).toBeTruthy();
  });
});
