import { describe, expect, it } from "vitest";
import { buildIdeConfig } from "../../../workers/ide/config";
import { mergeIdeFile, stripJsonc } from "../../../workers/ide/merge";

const config = (client: "cursor" | "vscode" | "claude-code") =>
  buildIdeConfig({ client, origin: "http://localhost:8787", brandId: "swaggystacks", brandName: "SwaggyStacks", models: { main: "m", fast: "f", openai: "o", gemini: "g" }, key: "sk_test_key" });

describe("merging into existing IDE files", () => {
  it("adds our server beside the ones already configured, replacing only our own entry", () => {
    const file = config("cursor").files.find((f) => f.path === ".cursor/mcp.json")!;
    const existing = JSON.stringify({ mcpServers: { github: { url: "https://gh.example/mcp" }, swaggystacks: { url: "http://old" } }, other: true });
    const r = mergeIdeFile(existing, file);
    if (!r.ok) throw new Error(r.reason);
    const merged = JSON.parse(r.content);
    expect(merged.other).toBe(true);
    expect(merged.mcpServers.github).toEqual({ url: "https://gh.example/mcp" });
    expect(merged.mcpServers.swaggystacks.url).toBe("http://localhost:8787/mcp");
    const again = mergeIdeFile(r.content, file);
    expect(again.ok && again.changed).toBe(false); // idempotent
  });

  it("reads VS Code's JSONC and keeps other inputs", () => {
    const file = config("vscode").files.find((f) => f.path === ".vscode/mcp.json")!;
    const existing = `{
  // my servers
  "inputs": [{ "type": "promptString", "id": "gh", "description": "GitHub", "password": true },],
  "servers": { "gh": { "type": "http", "url": "https://gh.example/mcp" /* remote */ } },
}`;
    const r = mergeIdeFile(existing, file);
    if (!r.ok) throw new Error(r.reason);
    const merged = JSON.parse(r.content);
    expect(merged.inputs.map((i: { id: string }) => i.id)).toEqual(["gh", "swaggystacks-api-key"]);
    expect(Object.keys(merged.servers)).toEqual(["gh", "swaggystacks"]);
    expect(stripJsonc('{"a": "// not a comment", "b": "/* nor */"}')).toBe('{"a": "// not a comment", "b": "/* nor */"}');
  });

  it("never overwrites a file it cannot read", () => {
    const file = config("claude-code").files.find((f) => f.path === ".mcp.json")!;
    expect(mergeIdeFile("{ not json", file)).toEqual({ ok: false, reason: expect.stringContaining("not valid JSON") });
    expect(mergeIdeFile('{"mcpServers": []}', file)).toEqual({ ok: false, reason: expect.stringContaining('"mcpServers" is not an object') });
  });

  it("updates our variables in .env and keeps every other line", () => {
    const file = config("claude-code").files.find((f) => f.path === ".env")!;
    const existing = "DATABASE_URL=postgres://x\n# mine\nOPENAI_API_KEY=old\n";
    const r = mergeIdeFile(existing, file);
    if (!r.ok) throw new Error(r.reason);
    const lines = r.content.split("\n");
    expect(lines[0]).toBe("DATABASE_URL=postgres://x");
    expect(lines[1]).toBe("# mine");
    expect(lines[2]).toBe('OPENAI_API_KEY="sk_test_key"');
    expect(lines.filter((l) => l.startsWith("OPENAI_API_KEY")).length).toBe(1);
    expect(r.content).toContain('ANTHROPIC_BASE_URL="http://localhost:8787"');
    const again = mergeIdeFile(r.content, file);
    expect(again.ok && again.changed).toBe(false);
  });
});
