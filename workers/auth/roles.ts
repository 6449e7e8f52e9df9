import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, memberAc, ownerAc } from "better-auth/plugins/organization/access";

/**
 * What a workspace role may do. The organization plugin enforces the built-in resources (organization,
 * member, invitation, team) on its own endpoints; the platform's resources below are enforced by
 * `requireWorkspace(permission)` on our routes. Pure data: importable anywhere, checked statically.
 *
 *                 viewer   member        admin                      owner
 *   apiKey        read     read, create  read, create, manage       all
 *   bridge        read     read          read, update               all
 *   deployment    read     read          read/create/update/delete  all
 *   billing       read     read          read, manage               all
 *   usage         read     read          read                       all
 *   audit         -        -             read                       all
 *   sso           -        -             read                       all (claiming a domain is the owner's call)
 *   collection    read     read, create  read/create/update/delete  all
 *   ide           read     read          read, manage               all   (shared IDE setup templates)
 *   members       (list)   (list)        invite, change roles, remove   + delete the workspace
 *
 * `apiKey:create` is "create and revoke your own keys"; `apiKey:manage` is "any key in the workspace".
 * `collection:create` is "create team collections, change your own, add items and remove the ones you added";
 * `collection:update`/`delete` reach every team collection and item (workers/catalog/collections/rules.ts).
 */
export const statements = {
  ...defaultStatements,
  apiKey: ["read", "create", "manage"],
  bridge: ["read", "update"],
  deployment: ["read", "create", "update", "delete"],
  billing: ["read", "manage"],
  usage: ["read"],
  audit: ["read"],
  sso: ["read", "manage"],
  collection: ["read", "create", "update", "delete"],
  ide: ["read", "manage"],
  notification: ["read", "manage"],
} as const;

export const ac = createAccessControl(statements);

const readOnly = {
  ide: ["read"],
  apiKey: ["read"],
  bridge: ["read"],
  deployment: ["read"],
  billing: ["read"],
  usage: ["read"],
  collection: ["read"],
} as const;

/** What admins and owners both run; they differ on SSO (claiming a domain is the owner's call). */
const manages = {
  ide: ["read", "manage"],
  apiKey: ["read", "create", "manage"],
  bridge: ["read", "update"],
  deployment: ["read", "create", "update", "delete"],
  billing: ["read", "manage"],
  usage: ["read"],
  audit: ["read"],
  collection: ["read", "create", "update", "delete"],
  notification: ["read", "manage"], // webhook and email endpoints (workers/notify/)
} as const;

export const roles = {
  viewer: ac.newRole({ ...memberAc.statements, ...readOnly }),
  member: ac.newRole({ ...memberAc.statements, ...readOnly, apiKey: ["read", "create"], collection: ["read", "create"] }),
  admin: ac.newRole({ ...adminAc.statements, ...manages, sso: ["read"] }),
  owner: ac.newRole({ ...ownerAc.statements, ...manages, sso: ["read", "manage"] }),
};

export type WorkspaceRole = keyof typeof roles;
export const WORKSPACE_ROLES = Object.keys(roles) as WorkspaceRole[];

type Statements = typeof statements;
/** A permission request, e.g. `{ apiKey: ["manage"] }`; every listed action is required. */
export type Permission = { [R in keyof Statements]?: Statements[R][number][] };

/**
 * Whether a member's role string allows `permission`. better-auth stores several roles comma-separated
 * ("admin,member"); any one of them granting the whole request is enough, as in the plugin itself.
 */
export function roleAllows(role: string, permission: Permission): boolean {
  return role
    .split(",")
    .map((r) => r.trim())
    .some((r) => r in roles && roles[r as WorkspaceRole].authorize(permission).success);
}

/** The highest of a comma-separated role string, for display (`/api/me`) and `c.var.workspace.role`. */
export function primaryRole(role: string): WorkspaceRole {
  const held = new Set(role.split(",").map((r) => r.trim()));
  return (["owner", "admin", "member", "viewer"] as const).find((r) => held.has(r)) ?? "viewer";
}
