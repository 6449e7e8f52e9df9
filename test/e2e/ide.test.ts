import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, Browser, query, signUp, uniqueEmail, type SignedUp } from "./auth-client";

/**
 * IDE setup through the running platform: the generated configuration, the workspace's shared templates,
 * and the QR code's one-time links (made on the phone, opened on the desktop), which mint a scoped,
 * revocable key exactly once before they expire.
 */
const platform = inject("platformUrl");

let owner: SignedUp;
let workspaceId = "";

const redeem = (token: string) => fetch(`${platform}/api/ide/links/redeem`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

beforeAll(async () => {
  owner = await signUp(uniqueEmail("ide-owner"));
  workspaceId = (await apiCall(owner, "GET", "/api/workspace")).body.id;
});

describe("IDE configuration", () => {
  it("generates each client's files for the brand's host, and refuses unknown clients", async () => {
    const cursor = await apiCall(owner, "GET", "/api/ide-config?client=cursor");
    expect(cursor.status).toBe(200);
    expect(cursor.body.mcpUrl).toBe(`${platform}/mcp`);
    const file = JSON.parse(cursor.body.files.find((f: { path: string }) => f.path === ".cursor/mcp.json").content);
    expect(file.mcpServers.swaggystacks).toEqual({ url: `${platform}/mcp`, headers: { Authorization: "Bearer ${env:SWAGGYSTACKS_API_KEY}" } });
    const bad = await apiCall(owner, "GET", "/api/ide-config?client=emacs");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("claude-code, cursor, vscode, windsurf, claude-desktop");
    expect((await fetch(`${platform}/api/ide-config?client=cursor`)).status).toBe(401);
  });

  it("names the model of the visitor's default_model arm in the Cursor setup; DNT gets the control", async () => {
    // New browsers until both arms are seen (the arm is a hash of the anonymous id: about half each).
    const byArm = new Map<string, Browser>();
    for (let i = 0; i < 40 && byArm.size < 2; i++) {
      const browser = new Browser();
      const visit = await apiCall(browser, "POST", "/api/funnel/visit", { path: "/ide" });
      expect(visit.status).toBe(200);
      if (!byArm.has(visit.body.variants.default_model)) byArm.set(visit.body.variants.default_model, browser);
    }
    expect([...byArm.keys()].sort()).toEqual(["brand_default", "budget"]);
    const noteFor = async (browser: Browser, headers: Record<string, string> = {}) => {
      await signUp(uniqueEmail("ide-arm"), "Arm", browser);
      const cfg = await apiCall(browser, "GET", "/api/ide-config?client=cursor", undefined, headers);
      expect(cfg.status).toBe(200);
      return (cfg.body.notes as string[]).find((n) => n.startsWith("For chat models"))!;
    };
    // The SwaggyStacks host: brand default openai/gpt-4o-mini, budget pick google/gemini-2.5-flash.
    expect(await noteFor(byArm.get("budget")!)).toContain("add the model google/gemini-2.5-flash");
    expect(await noteFor(byArm.get("brand_default")!)).toContain("add the model openai/gpt-4o-mini");
    // The same budget-arm browser once it sends Do Not Track: its arm is not read, the control applies.
    const dnt = await apiCall(byArm.get("budget")!, "GET", "/api/ide-config?client=cursor", undefined, { dnt: "1" });
    expect(dnt.body.notes.join(" ")).toContain("add the model openai/gpt-4o-mini");
  });

  it("lets admins save shared templates that members' configurations then use", async () => {
    const saved = await apiCall(owner, "PUT", "/api/ide/templates/team default", { serverName: "acme-llm", models: { main: "runpod/qwen-coder", fast: "runpod/qwen-small" } }, { "x-workspace-id": workspaceId });
    expect(saved.status).toBe(201);
    const again = await apiCall(owner, "PUT", "/api/ide/templates/team default", { serverName: "acme-llm", models: { main: "runpod/qwen-coder-2" } }, { "x-workspace-id": workspaceId });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(saved.body.id);
    const config = await apiCall(owner, "GET", `/api/ide-config?client=claude-code&template=${saved.body.id}`, undefined, { "x-workspace-id": workspaceId });
    expect(config.body.serverName).toBe("acme-llm");
    const settings = JSON.parse(config.body.files.find((f: { path: string }) => f.path === ".claude/settings.local.json").content);
    expect(settings.env.ANTHROPIC_MODEL).toBe("runpod/qwen-coder-2");
    const invalid = await apiCall(owner, "PUT", "/api/ide/templates/x", { serverName: "Not Valid!", models: {} }, { "x-workspace-id": workspaceId });
    expect(invalid.status).toBe(400);
    const stranger = await signUp(uniqueEmail("ide-stranger"));
    const foreign = await apiCall(stranger, "GET", `/api/ide-config?client=cursor&template=${saved.body.id}`);
    expect(foreign.status).toBe(404);
  });
});

describe("QR setup links", () => {
  it("mints a scoped key once, shows the configuration with it, and says so when reused", async () => {
    const made = await apiCall(owner, "POST", "/api/ide/links", { client: "claude-code" }, { "x-workspace-id": workspaceId });
    expect(made.status).toBe(201);
    expect(made.body.url).toMatch(new RegExp(`^${platform}/ide/setup/ide_[A-Za-z0-9_-]{43}$`));
    expect(made.body.scopes).toEqual(["bridge", "mcp:read", "mcp:write"]);
    expect(Date.parse(made.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(made.body.url).not.toMatch(/sk-/); // the QR code never holds a key

    const token = tokenOf(made.body.url);
    const first = await redeem(token);
    expect(first.status).toBe(200);
    const body = (await first.json()) as { config: { files: { path: string; content: string }[]; command: string }; key: { id: string; prefix: string; scopes: string[] } };
    const env = body.config.files.find((f) => f.path === ".env")!.content;
    const key = /SWAGGYSTACKS_API_KEY="(sk-[^"]+)"/.exec(env)![1]!;
    expect(body.config.command).toContain(key);
    const [head, tail] = body.key.prefix.split("…");
    expect(key.startsWith(head!) && key.endsWith(tail!)).toBe(true);

    // The key works for model traffic and MCP, and is listed (and revocable) with the workspace's keys.
    const models = await fetch(`${platform}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    const keys = await apiCall(owner, "GET", "/api/keys", undefined, { "x-workspace-id": workspaceId });
    expect(keys.body.keys.find((k: { id: string }) => k.id === body.key.id)).toMatchObject({ scopes: ["bridge", "mcp:read", "mcp:write"], revokedAt: null });

    const second = await redeem(token);
    expect(second.status).toBe(410);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe("link_used");

    expect((await apiCall(owner, "DELETE", `/api/keys/${body.key.id}`, undefined, { "x-workspace-id": workspaceId })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_100)); // the key cache's lifetime
    expect((await fetch(`${platform}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
  });

  it("expires, refuses unknown tokens, and is spent exactly once under concurrent opens", async () => {
    const made = await apiCall(owner, "POST", "/api/ide/links", { client: "cursor" }, { "x-workspace-id": workspaceId });
    const token = tokenOf(made.body.url);
    await query("UPDATE ide_link SET expires_at = ? WHERE used_at IS NULL AND client = 'cursor' AND user_id = ?", [Date.now() - 1, owner.userId]);
    const expired = await redeem(token);
    expect(expired.status).toBe(410);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe("link_expired");
    expect((await redeem(`ide_${"A".repeat(43)}`)).status).toBe(404);
    expect((await redeem("not-a-token")).status).toBe(404);

    const race = await apiCall(owner, "POST", "/api/ide/links", { client: "vscode" }, { "x-workspace-id": workspaceId });
    const results = await Promise.all(Array.from({ length: 6 }, () => redeem(tokenOf(race.body.url))));
    expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410, 410, 410, 410]);
    const minted = await query<{ n: number }>("SELECT count(*) AS n FROM api_key WHERE workspace_id = ? AND name LIKE 'vscode setup%'", [workspaceId]);
    expect(Number(minted[0]!.n)).toBe(1);
  });

  it("mints only the scopes asked for, and is made by a signed-in person only", async () => {
    const made = await apiCall(owner, "POST", "/api/ide/links", { client: "windsurf", scopes: ["mcp:read"] }, { "x-workspace-id": workspaceId });
    const out = (await (await redeem(tokenOf(made.body.url))).json()) as { config: { files: { path: string; content: string }[] }; key: { scopes: string[] } };
    expect(out.key.scopes).toEqual(["mcp:read"]);
    const key = /SWAGGYSTACKS_API_KEY="(sk-[^"]+)"/.exec(out.config.files.find((f) => f.path === ".env")!.content)![1]!;
    expect((await fetch(`${platform}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401); // no bridge scope
    const byKey = await new Browser().fetch("/api/ide/links", { method: "POST", json: { client: "cursor" }, headers: { authorization: `Bearer ${key}` } });
    expect(byKey.status).toBe(403);
    const badScope = await apiCall(owner, "POST", "/api/ide/links", { client: "cursor", scopes: ["root"] });
    expect(badScope.status).toBe(400);
  });

  it("opens on the desktop as a page: a button first (previews cannot spend it), then the files", async () => {
    const made = await apiCall(owner, "POST", "/api/ide/links", { client: "vscode" }, { "x-workspace-id": workspaceId });
    const page = await fetch(made.body.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    const shown = await fetch(made.body.url, { method: "POST" });
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain(".vscode/mcp.json");
    expect(html).toContain("${input:swaggystacks-api-key}");
    const again = await fetch(made.body.url, { method: "POST" });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("already used");
  });
});
