import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildIdeConfig, IDE_CLIENTS, keyVariableFor, type IdeConfigInput } from "../../../workers/ide/config";

/**
 * Each client's documented shape (../shared/reference/upstream-apis.md §3.1–3.6), as a schema the
 * generated files must satisfy: a wrong root key, a missing `type` for Claude Code (read as stdio), a `url`
 * where Windsurf wants `serverUrl`, or a secret in a committed file all fail here.
 */
const headers = z.object({ Authorization: z.string().regex(/^Bearer \S+$/) }).strict();
const claudeCode = z.object({ mcpServers: z.record(z.string(), z.object({ type: z.enum(["http", "streamable-http"]), url: z.url(), headers }).strict()) }).strict();
const cursor = z.object({ mcpServers: z.record(z.string(), z.object({ url: z.url(), headers }).strict()) }).strict();
const vscode = z
  .object({
    inputs: z.array(z.object({ type: z.literal("promptString"), id: z.string(), description: z.string(), password: z.literal(true) }).strict()),
    servers: z.record(z.string(), z.object({ type: z.enum(["http", "sse"]), url: z.url(), headers }).strict()),
  })
  .strict();
const windsurf = z.object({ mcpServers: z.record(z.string(), z.object({ serverUrl: z.url(), headers }).strict()) }).strict();
const claudeDesktop = z.object({ mcpServers: z.record(z.string(), z.object({ command: z.string(), args: z.array(z.string()), env: z.record(z.string(), z.string()) }).strict()) }).strict();

const input = (client: IdeConfigInput["client"], key?: string): IdeConfigInput => ({
  client,
  origin: "https://swaggystacks.com",
  brandId: "swaggystacks",
  brandName: "SwaggyStacks",
  models: { main: "claude-sonnet-4-5", fast: "runpod/qwen-coder", openai: "openai/gpt-4o-mini", gemini: "google/gemini-2.5-flash" },
  key,
});

const KEY = "sk_live_abcdefghijklmnopqrstuvwxyz0123456789";

describe("IDE configuration", () => {
  it("writes each client's file in its documented shape", () => {
    const file = (client: IdeConfigInput["client"], path: string) => JSON.parse(buildIdeConfig(input(client)).files.find((f) => f.path === path)!.content);
    const cc = claudeCode.parse(file("claude-code", ".mcp.json"));
    expect(cc.mcpServers.swaggystacks).toEqual({ type: "http", url: "https://swaggystacks.com/mcp", headers: { Authorization: "Bearer ${SWAGGYSTACKS_API_KEY}" } });
    expect(cursor.parse(file("cursor", ".cursor/mcp.json")).mcpServers.swaggystacks!.headers.Authorization).toBe("Bearer ${env:SWAGGYSTACKS_API_KEY}");
    const vs = vscode.parse(file("vscode", ".vscode/mcp.json"));
    expect(vs.servers.swaggystacks!.headers.Authorization).toBe(`Bearer \${input:${vs.inputs[0]!.id}}`);
    expect(windsurf.parse(file("windsurf", "~/.codeium/windsurf/mcp_config.json")).mcpServers.swaggystacks!.serverUrl).toBe("https://swaggystacks.com/mcp");
    const desktop = claudeDesktop.parse(file("claude-desktop", "claude_desktop_config.json"));
    expect(desktop.mcpServers.swaggystacks!.args).toEqual(["-y", "mcp-remote", "https://swaggystacks.com/mcp", "--header", "Authorization:${AUTH_HEADER}"]);
  });

  it("keeps a minted key out of every file meant for version control", () => {
    for (const client of IDE_CLIENTS) {
      const config = buildIdeConfig(input(client, KEY));
      for (const f of config.files) {
        expect(f.content.includes(KEY)).toBe(f.containsSecret);
        if (f.scope === "project" && f.format !== "dotenv") expect(f.containsSecret).toBe(false);
      }
      expect(config.files.some((f) => f.content.includes(KEY))).toBe(true);
    }
  });

  it("points every SDK's model traffic at the bridge", () => {
    const env = buildIdeConfig(input("cursor", KEY)).files.find((f) => f.path === ".env")!.content;
    const vars = Object.fromEntries(env.split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), JSON.parse(l.slice(l.indexOf("=") + 1))]));
    expect(vars).toMatchObject({
      SWAGGYSTACKS_API_KEY: KEY,
      OPENAI_BASE_URL: "https://swaggystacks.com/v1", // the OpenAI SDK appends /chat/completions to it
      OPENAI_API_KEY: KEY,
      ANTHROPIC_BASE_URL: "https://swaggystacks.com", // Claude Code appends /v1/messages
      ANTHROPIC_AUTH_TOKEN: KEY,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: "runpod/qwen-coder",
      GOOGLE_GEMINI_BASE_URL: "https://swaggystacks.com",
    });
    const settings = JSON.parse(buildIdeConfig(input("claude-code", KEY)).files.find((f) => f.path === ".claude/settings.local.json")!.content);
    expect(settings.env).toMatchObject({ ANTHROPIC_BASE_URL: "https://swaggystacks.com", ANTHROPIC_AUTH_TOKEN: KEY, ANTHROPIC_MODEL: "claude-sonnet-4-5" });
  });

  it("gives the one-line commands the clients document", () => {
    const cc = buildIdeConfig(input("claude-code", KEY));
    expect(cc.command).toBe(`claude mcp add --transport http --scope user swaggystacks https://swaggystacks.com/mcp --header 'Authorization: Bearer ${KEY}'`);
    expect(cc.oauthCommand).toBe("claude mcp add --transport http --scope user swaggystacks https://swaggystacks.com/mcp");
    expect(buildIdeConfig(input("claude-code")).command).toContain("'Authorization: Bearer $SWAGGYSTACKS_API_KEY'");
    const vs = buildIdeConfig(input("vscode")).command!;
    expect(JSON.parse(vs.slice("code --add-mcp '".length, -1))).toEqual({ name: "swaggystacks", type: "http", url: "https://swaggystacks.com/mcp" });
    expect(keyVariableFor("scientiacapital")).toBe("SCIENTIACAPITAL_API_KEY");
  });
});
