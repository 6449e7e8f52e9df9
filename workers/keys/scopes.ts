import type { Permission } from "../auth/roles";
import { KEY_SCOPES, type KeyScope } from "./view";

/**
 * What a credential that is not a signed-in session (an API key, an MCP OAuth token) may do. Pure data.
 * A scope never adds to the holder's role: a request passes when the role of the key's creator allows it
 * AND a scope covers it, so demoting or removing the person disarms their keys at once.
 *
 *   bridge     model traffic on /v1 (the OpenAI, Anthropic and Gemini dialects)
 *   mcp:read   reading the workspace: models, deployments, usage, the bridge map, collections
 *   mcp:write  what a developer does: deploy, scale and delete deployments, chat, change collections
 *   mcp:admin  what an admin does besides: change the bridge map
 *
 * Keys, members, billing changes, SSO and the audit log are never reachable by key or token: those need a
 * person signed in.
 */
export { KEY_SCOPES, type KeyScope };

/** Keys made before scopes existed were bridge keys, and stay so. */
export const LEGACY_SCOPES: readonly KeyScope[] = ["bridge"];
/** What a key for an IDE gets unless asked otherwise: model traffic and the developer's MCP tools. */
export const IDE_SCOPES: readonly KeyScope[] = ["bridge", "mcp:read", "mcp:write"];

export function isKeyScope(s: string): s is KeyScope {
  return (KEY_SCOPES as readonly string[]).includes(s);
}

/** Per resource and action, the scope that covers it (absent: never by key). */
const NEEDS: Record<string, Record<string, KeyScope>> = {
  deployment: { read: "mcp:read", create: "mcp:write", update: "mcp:write", delete: "mcp:write" },
  collection: { read: "mcp:read", create: "mcp:write", update: "mcp:write", delete: "mcp:write" },
  usage: { read: "mcp:read" },
  bridge: { read: "mcp:read", update: "mcp:admin" },
  billing: { read: "mcp:read" },
  ide: { read: "mcp:read", manage: "mcp:admin" },
};

/** Whether `scopes` include `scope`; mcp:write and mcp:admin include mcp:read. */
export function hasScope(scopes: readonly KeyScope[], scope: KeyScope): boolean {
  return scopes.includes(scope) || (scope === "mcp:read" && (scopes.includes("mcp:write") || scopes.includes("mcp:admin")));
}

/** Whether `scopes` cover every action of `permission`. */
export function scopesAllow(scopes: readonly KeyScope[], permission: Permission): boolean {
  const has = (s: KeyScope) => hasScope(scopes, s);
  for (const [resource, actions] of Object.entries(permission)) {
    for (const action of actions ?? []) {
      const need = NEEDS[resource]?.[action];
      if (!need || !has(need)) return false;
    }
  }
  return true;
}

/** The scopes stored on a key row (JSON array; null for keys older than scopes). */
export function parseScopes(raw: string | null): KeyScope[] {
  if (raw === null) return [...LEGACY_SCOPES];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((s): s is KeyScope => typeof s === "string" && isKeyScope(s)) : [];
  } catch {
    return [];
  }
}

/** What a workspace role can use by OAuth (the consent page caps what a person grants by this). */
const ROLE_SCOPES: Record<string, KeyScope[]> = {
  viewer: ["mcp:read"],
  member: ["mcp:read", "mcp:write"],
  admin: ["mcp:read", "mcp:write", "mcp:admin"],
  owner: ["mcp:read", "mcp:write", "mcp:admin"],
};

/** better-auth stores several roles comma-separated: the union of what each allows, in scope order. */
export function scopesForRole(roles: string): KeyScope[] {
  const allowed = new Set(roles.split(",").flatMap((r) => ROLE_SCOPES[r.trim()] ?? []));
  return KEY_SCOPES.filter((s) => allowed.has(s));
}
