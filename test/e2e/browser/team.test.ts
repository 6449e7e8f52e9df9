import { mkdir } from "node:fs/promises";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, me, query, signUp, uniqueEmail, type SignedUp } from "../auth-client";
import { useChromium } from "./chromium";
import { pageWidth, phonePage, SESSION_COOKIE } from "./phone";

/**
 * The Team screen of the PWA (/team, Chromium at 390 px): switching to a team workspace, inviting by
 * email (pending), the invitee accepting from the email's /invitations/<id> link in their own browser, the
 * owner promoting and then removing them, the audit log recording it all with a verified chain, what a
 * plain member sees (no admin controls), and SSO's owners-only section with the API's refusal.
 */
const platform = inject("platformUrl");
const origin = `http://localhost:${new URL(platform).port}`;
const browser = useChromium();
const phone = (user?: SignedUp) => phonePage(browser(), origin, user);
/** Buttons, fields, selects and links of the screen shorter than a thumb (44 px). */
const smallTargets = (page: Page) =>
  page.locator(".team-screen").evaluate((root) =>
    Array.from(root.querySelectorAll("button, input, select, a.team-export, a.team-link"))
      .filter((el) => (el as HTMLElement).offsetParent !== null && el.getBoundingClientRect().height < 44)
      .map((el) => el.outerHTML.slice(0, 80)),
  );

beforeAll(async () => {
  await mkdir("test-results", { recursive: true });
});

describe("Team in the PWA (Chromium, 390 px)", () => {
  it("owner invites, invitee accepts from the link, owner promotes and removes; audit verified; members read only", async () => {
    const domain = `team-${Date.now().toString(36)}.test`;
    const [owner, invitee] = await Promise.all([signUp(uniqueEmail("owner", domain), "Olivia Owner"), signUp(uniqueEmail("invitee", domain), "Ivan Invitee")]);
    const created = await apiCall(owner, "POST", "/api/auth/organization/create", { name: "Rocket Team", slug: `rocket-${Date.now().toString(36)}` });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const teamId = (created.body as { id: string }).id;
    // Back to the personal workspace, so the screen's switcher is what opens the team.
    const personalId = (await me(owner.browser)).workspaces.find((w) => w.personal)!.id;
    expect((await apiCall(owner, "POST", "/api/auth/organization/set-active", { organizationId: personalId })).status).toBe(200);

    const { page, errors } = await phone(owner);
    await page.goto(`${origin}/team`);
    const switcher = page.locator('[data-testid="workspace-switcher"] select');
    await switcher.waitFor();
    expect(await page.locator('[aria-current="page"]').textContent()).toBe("Team");
    expect(await page.textContent('[data-testid="my-role"]')).toMatch(/owner.*personal/);
    await switcher.selectOption(teamId);
    await expect.poll(() => page.textContent('[data-testid="my-role"]'), { timeout: 10_000 }).toMatch(/owner in Rocket Team\./);
    expect((await me(owner.browser)).activeWorkspaceId).toBe(teamId);
    await page.locator('[data-testid="member"]').first().waitFor();
    expect(await page.locator('[data-testid="member"]').count()).toBe(1);
    await page.locator('[data-testid="invitations-empty"]').waitFor();

    // Invite: a bad address is refused in place, then the invitation is pending.
    const form = page.locator('[data-testid="invite-form"]');
    await form.getByLabel("Email").fill("not-an-email");
    await form.getByRole("button", { name: "Send invitation" }).click();
    expect(await page.textContent('[data-testid="invite-error"]')).toBe("Enter an email address.");
    await form.getByLabel("Email").fill(invitee.email);
    await form.getByLabel("Role").selectOption("member");
    await form.getByRole("button", { name: "Send invitation" }).click();
    const pending = page.locator(`[data-testid="invitation"][data-email="${invitee.email.toLowerCase()}"]`);
    await pending.waitFor();
    expect(await pending.locator('[data-testid="invitation-status"]').textContent()).toBe("pending");
    expect(await form.getByLabel("Email").inputValue()).toBe("");
    const invitationId = (await pending.getAttribute("data-id"))!;
    const [mail] = await query<{ url: string }>("select url from email_outbox where to_address = ? and kind = 'invitation' order by created_at desc", [invitee.email.toLowerCase()]);
    expect(new URL(mail!.url).pathname).toBe(`/invitations/${invitationId}`);
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/team-invited.png", fullPage: true });

    // The invitee opens the email's link in their own browser and accepts; they land on the team as a member.
    const guest = await phone(invitee);
    await guest.page.goto(`${origin}${new URL(mail!.url).pathname}`);
    await guest.page.locator('[data-testid="invitation-summary"]').waitFor();
    expect(await guest.page.textContent('[data-testid="invitation-summary"]')).toContain("Rocket Team");
    expect(await guest.page.textContent('[data-testid="invitation-role"]')).toBe("member");
    expect(await smallTargets(guest.page)).toEqual([]);
    await guest.page.screenshot({ path: "test-results/team-invitation.png", fullPage: true });
    await guest.page.getByRole("button", { name: "Accept and join" }).click();
    await expect.poll(() => guest.page.textContent('[data-testid="my-role"]').catch(() => null), { timeout: 10_000 }).toMatch(/member in Rocket Team/);
    expect(new URL(guest.page.url()).pathname).toBe("/team");
    await guest.page.locator('[data-testid="member"]').nth(1).waitFor();

    // A member reads: no invite form, no role selects, no remove buttons, no audit log; SSO is owners only.
    expect(await guest.page.locator('[data-testid="invite-form"]').count()).toBe(0);
    expect(await guest.page.locator('[data-testid="member-role-select"]').count()).toBe(0);
    expect(await guest.page.getByRole("button", { name: /^Remove/ }).count()).toBe(0);
    expect(await guest.page.locator('[data-testid="audit-entries"], [data-testid="audit-verified"]').count()).toBe(0);
    expect(await guest.page.locator('[data-testid="read-only"]').count()).toBe(1);
    expect(await guest.page.textContent('[data-testid="sso-owners-only"]')).toMatch(/owners only/);
    expect(await guest.page.locator('[data-testid="sso-form"]').count()).toBe(0);
    expect(await pageWidth(guest.page)).toBeLessThanOrEqual(390);
    await guest.page.screenshot({ path: "test-results/team-member-view.png", fullPage: true });
    expect(guest.errors).toEqual([]);

    // The owner sees them join, promotes them to admin, then removes them (a second tap confirms).
    await page.reload();
    const row = page.locator(`[data-testid="member"][data-email="${invitee.email.toLowerCase()}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-role")).toBe("member");
    expect(await page.locator('[data-testid="invitation"]').count()).toBe(0);
    await row.getByLabel(`Role for ${invitee.email.toLowerCase()}`).selectOption("admin");
    await expect.poll(() => row.getAttribute("data-role"), { timeout: 10_000 }).toBe("admin");
    const members = (await apiCall(owner, "GET", `/api/auth/organization/list-members?organizationId=${teamId}`)).body.members as { userId: string; role: string }[];
    expect(members.find((m) => m.userId === invitee.userId)?.role).toBe("admin");
    await row.getByRole("button", { name: `Remove ${invitee.email.toLowerCase()}` }).click();
    await page.screenshot({ path: "test-results/team-remove-confirm.png", fullPage: true });
    await row.getByRole("button", { name: "Remove member" }).click();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    expect((await apiCall(invitee, "GET", "/api/workspace", undefined, { "x-workspace-id": teamId })).status).toBe(404);

    // The audit log has all of it, newest first, and the chain verifies.
    const actions = () => page.locator('[data-testid="audit-action"]').allTextContents();
    await expect.poll(async () => (await actions()).slice(0, 4), { timeout: 10_000 }).toEqual(["member.remove", "member.role_change", "member.join", "member.invite"]);
    expect(await page.locator('[data-testid="audit-verified"]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="audit-entry"][data-action="member.role_change"]').textContent()).toMatch(/role: member.*→.*role: admin/);
    // Filters: by action glob and by actor.
    const filters = page.locator('[data-testid="audit-filters"]');
    await filters.getByLabel("Action").fill("member.role_change");
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect.poll(actions, { timeout: 10_000 }).toEqual(["member.role_change"]);
    const exportHref = (await page.locator('[data-testid="audit-export"]').getAttribute("href"))!;
    expect(exportHref).toBe("/api/audit?action=member.role_change&format=ndjson");
    const exported = await fetch(`${platform}${exportHref}`, { headers: { cookie: `${SESSION_COOKIE}=${owner.browser.cookies.get(SESSION_COOKIE)}`, "x-workspace-id": teamId } });
    expect(exported.status).toBe(200);
    expect((await exported.text()).trim().split("\n").map((l) => (JSON.parse(l) as { action: string }).action)).toEqual(["member.role_change"]);
    await filters.getByLabel("Action").fill("");
    await filters.getByLabel("Actor").fill(invitee.email);
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect.poll(actions, { timeout: 10_000 }).toEqual(["member.join"]);
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/team-audit.png", fullPage: true });

    // SSO: the owner sees the (empty) list and the form; the API's refusal is shown as it says it.
    await page.locator('[data-testid="sso-empty"]').waitFor();
    const sso = page.locator('[data-testid="sso-form"]');
    await sso.getByLabel("Issuer URL").fill("https://idp.example.org");
    await sso.getByLabel("Email domain").fill("gmail.com");
    await sso.getByLabel("Client ID").fill("client-123");
    await sso.getByLabel("Client secret").fill("secret-456");
    await sso.getByRole("button", { name: "Register provider" }).click();
    await expect.poll(() => page.textContent('[data-testid="sso-register-error"]').catch(() => null), { timeout: 10_000 }).toBe(
      "gmail.com is a public mail provider and cannot be claimed for SSO",
    );
    await sso.getByLabel("Email domain").fill("someone-else.test");
    await sso.getByRole("button", { name: "Register provider" }).click();
    await expect.poll(() => page.textContent('[data-testid="sso-register-error"]').catch(() => null), { timeout: 10_000 }).toBe(
      `You can only claim your own email domain (${domain}) for SSO`,
    );
    expect(await smallTargets(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: "test-results/team-sso.png", fullPage: true });

    // Desktop: the same screen in two columns, nothing spilling sideways.
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await pageWidth(page)).toBeLessThanOrEqual(1280);
    await page.screenshot({ path: "test-results/team-desktop.png", fullPage: true });
    expect(errors).toEqual([]);
    await guest.page.context().close();
    await page.context().close();
  });

  it("cancels a pending invitation, and the invitation link then says so", async () => {
    const owner = await signUp(uniqueEmail("owner2"));
    const invitee = await signUp(uniqueEmail("invitee2"));
    const created = await apiCall(owner, "POST", "/api/auth/organization/create", { name: "Cancel Co", slug: `cancel-${Date.now().toString(36)}` });
    const teamId = (created.body as { id: string }).id;
    const invited = await apiCall(owner, "POST", "/api/auth/organization/invite-member", { email: invitee.email, role: "viewer", organizationId: teamId });
    expect(invited.status).toBe(200);
    const { page, errors } = await phone(owner);
    await page.goto(`${origin}/team`);
    const pending = page.locator('[data-testid="invitation"]');
    await pending.waitFor();
    expect(await pending.textContent()).toContain("viewer");
    await pending.getByRole("button", { name: `Cancel invitation for ${invitee.email.toLowerCase()}` }).click();
    await page.locator('[data-testid="invitations-empty"]').waitFor();

    const guest = await phone(invitee);
    await guest.page.goto(`${origin}/invitations/${(invited.body as { id: string }).id}`);
    await expect.poll(() => guest.page.locator('[data-testid="invitation-accept"]').textContent(), { timeout: 10_000 }).toMatch(/canceled|not found|expired/i);
    expect(await guest.page.getByRole("button", { name: "Accept and join" }).count()).toBe(0);
    expect(await pageWidth(guest.page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    expect(guest.errors).toEqual([]);
    await guest.page.context().close();
    await page.context().close();
  });
});
