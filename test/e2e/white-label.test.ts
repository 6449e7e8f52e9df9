import { describe, expect, inject, it } from "vitest";
import { apiCall as api, operatorAccount, signUp, signUpOnPlan, uniqueEmail } from "./auth-client";
import { getWithHost } from "./host-request";

/**
 * White-label over real HTTP: an Enterprise workspace puts its name, colours and logo on its own hostname,
 * and requests for that hostname (Host header, as a custom hostname routes them) get its brand, manifest
 * and logo; nobody else can set, see or take it.
 */
const platform = inject("platformUrl");
const PNG = `data:image/png;base64,${Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7]).toString("base64")}`;
const host = () => `ai-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.acme-corp.test`;

describe("white-label branding", () => {
  it("is Enterprise-only, then serves the customer's brand, manifest and logo on its hostname", async () => {
    const owner = await signUpOnPlan("wl-owner", "free");
    const hostname = host();
    const body = { hostname, name: "Acme AI", tagline: "Acme's private models", themeColor: "#123456", backgroundColor: "#fafafa", logo: PNG };
    const refused = await api(owner, "PUT", "/api/white-label", body);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "plan_required", message: expect.stringContaining("Enterprise plan") });

    // A platform admin moves the workspace to Enterprise (which also clears the cached plan).
    expect((await api(await operatorAccount(), "PUT", `/api/admin/orgs/${owner.workspaceId}/plan`, { plan: "enterprise" })).status).toBe(200);
    const saved = await api(owner, "PUT", "/api/white-label", body);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body).toMatchObject({ hostname, name: "Acme AI", logo: { url: "/brand/logo", bytes: 10 } });

    const brand = await getWithHost(platform, hostname, "/api/brand");
    expect(JSON.parse(brand.text)).toMatchObject({ name: "Acme AI", tagline: "Acme's private models", themeColor: "#123456", whiteLabel: { workspaceId: owner.workspaceId, logoUrl: "/brand/logo" } });
    const manifest = JSON.parse((await getWithHost(platform, hostname, "/manifest.webmanifest")).text);
    expect(manifest).toMatchObject({ name: "Acme AI", theme_color: "#123456", background_color: "#fafafa" });
    const logo = await getWithHost(platform, hostname, "/brand/logo");
    expect(logo.status).toBe(200);
    expect(logo.headers["content-type"]).toBe("image/png");
    expect(logo.headers["content-security-policy"]).toContain("sandbox");
    // The platform's own hosts are untouched.
    expect(JSON.parse((await getWithHost(platform, "scientiacapital.localhost", "/api/brand")).text).name).toBe("ScientiaCapital");
    expect((await getWithHost(platform, "scientiacapital.localhost", "/brand/logo")).status).toBe(404);

    const audit = await api(owner, "GET", "/api/audit?action=white_label.*");
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toContain("white_label.set");
    expect(JSON.stringify(audit.body)).not.toContain(PNG.slice(22));

    // Removing it returns the hostname to the default brand at once.
    expect((await api(owner, "DELETE", "/api/white-label")).status).toBe(204);
    expect(JSON.parse((await getWithHost(platform, hostname, "/api/brand")).text).name).toBe("SwaggyStacks");
    expect((await api(owner, "GET", "/api/white-label")).status).toBe(404);
  });

  it("keeps a hostname to one workspace and one workspace's branding to itself", async () => {
    const alice = await signUpOnPlan("wl-alice", "enterprise");
    const bob = await signUpOnPlan("wl-bob", "enterprise");
    const hostname = host();
    const body = { hostname, name: "Alice Labs", themeColor: "#000000", backgroundColor: "#ffffff" };
    expect((await api(alice, "PUT", "/api/white-label", body)).status).toBe(201);
    const taken = await api(bob, "PUT", "/api/white-label", { ...body, name: "Not Alice" });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("hostname_taken");
    // Bob names Alice's workspace: not his to read or change.
    expect((await api(bob, "GET", "/api/white-label", undefined, { "x-workspace-id": alice.workspaceId })).status).toBe(404);
    expect((await api(bob, "DELETE", "/api/white-label", undefined, { "x-workspace-id": alice.workspaceId })).status).toBe(404);
    expect(JSON.parse((await getWithHost(platform, hostname, "/api/brand")).text).name).toBe("Alice Labs");
    // Changing her own hostname frees the old one.
    const moved = await api(alice, "PUT", "/api/white-label", { ...body, hostname: `new-${hostname}` });
    expect(moved.status).toBe(200);
    expect(JSON.parse((await getWithHost(platform, hostname, "/api/brand")).text).name).toBe("SwaggyStacks");
    expect((await api(bob, "PUT", "/api/white-label", { ...body, name: "Bob Labs" })).status).toBe(201);
  });

  it("refuses bad bodies with the field that is wrong, and signed-out callers", async () => {
    const carol = await signUpOnPlan("wl-carol", "enterprise");
    const cases: Array<[unknown, string]> = [
      [{ hostname: "swaggystacks.com", name: "X", themeColor: "#000000", backgroundColor: "#ffffff" }, "hostname"],
      [{ hostname: host(), name: "X", themeColor: "blue", backgroundColor: "#ffffff" }, "themeColor"],
      [{ hostname: host(), name: "X", themeColor: "#000000", backgroundColor: "#ffffff", logo: "data:text/html;base64,PGgxPg==" }, "logo"],
      [{ hostname: host(), name: "", themeColor: "#000000", backgroundColor: "#ffffff" }, "name"],
    ];
    for (const [body, field] of cases) {
      const res = await api(carol, "PUT", "/api/white-label", body);
      expect(res.status, field).toBe(400);
      expect(JSON.stringify(res.body.error), field).toContain(field);
    }
    const raw = await carol.browser.fetch("/api/white-label", { method: "PUT", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(raw.status).toBe(400);
    expect((await fetch(`${platform}/api/white-label`)).status).toBe(401);
    expect((await api(await signUp(uniqueEmail("wl-none")), "GET", "/api/white-label")).status).toBe(404);
  });
});
