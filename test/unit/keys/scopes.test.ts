import { describe, expect, it } from "vitest";
import { hasScope, parseScopes, scopesAllow } from "../../../workers/keys/scopes";

describe("credential scopes", () => {
  it("cover reads with mcp:read, changes with mcp:write, the bridge map with mcp:admin", () => {
    expect(scopesAllow(["mcp:read"], { deployment: ["read"], usage: ["read"], collection: ["read"], bridge: ["read"], ide: ["read"] })).toBe(true);
    expect(scopesAllow(["mcp:read"], { deployment: ["create"] })).toBe(false);
    expect(scopesAllow(["mcp:write"], { deployment: ["create", "update", "delete"], collection: ["create"] })).toBe(true);
    expect(scopesAllow(["mcp:write"], { bridge: ["update"] })).toBe(false);
    expect(scopesAllow(["mcp:admin"], { bridge: ["update"], ide: ["manage"] })).toBe(true);
    expect(scopesAllow(["mcp:admin"], { deployment: ["create"] })).toBe(false); // admin is not write
  });

  it("never reach keys, members, billing changes, SSO or the audit log", () => {
    const all = ["bridge", "mcp:read", "mcp:write", "mcp:admin"] as const;
    for (const permission of [{ apiKey: ["read"] }, { apiKey: ["create"] }, { audit: ["read"] }, { sso: ["manage"] }, { billing: ["manage"] }, { member: ["create"] }] as const) {
      expect(scopesAllow([...all], permission as never)).toBe(false);
    }
  });

  it("let write and admin read, and the bridge scope reach no API route", () => {
    expect(hasScope(["mcp:write"], "mcp:read")).toBe(true);
    expect(hasScope(["mcp:admin"], "mcp:read")).toBe(true);
    expect(hasScope(["bridge"], "mcp:read")).toBe(false);
    expect(scopesAllow(["bridge"], { usage: ["read"] })).toBe(false);
  });

  it("read stored scopes, keeping keys older than scopes as bridge keys", () => {
    expect(parseScopes(null)).toEqual(["bridge"]);
    expect(parseScopes('["mcp:read","nonsense"]')).toEqual(["mcp:read"]);
    expect(parseScopes("not json")).toEqual([]);
  });
});
