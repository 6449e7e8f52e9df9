/**
 * What deleting an account does to the shared workspaces its user belongs to, decided in one pure
 * function so the rules can be read (and tested) apart from the SQL that carries them out:
 * - the user leaves every shared workspace;
 * - where they are the only owner, ownership goes to the longest-standing admin (earliest joined);
 * - where they are the only owner and there is no admin, nothing happens and the workspace is named in
 *   `blocked`: handing a team (its keys, budget, bills) to a plain member or deleting it outright are calls
 *   the team should make, so the deletion is refused until someone is promoted or the workspace is deleted;
 * - SSO providers the user registered for a workspace are re-attached to a remaining owner (`steward`), since
 *   better-auth would otherwise delete them with the user and lock the whole company out of SSO.
 */
export interface SharedMember {
  memberId: string;
  userId: string;
  /** better-auth's role string, possibly several comma-separated ("admin,member"). */
  roles: string;
  joinedAt: number;
}

export interface SharedWorkspace {
  id: string;
  name: string;
  members: SharedMember[];
}

export interface Departure {
  workspaceId: string;
  workspaceName: string;
  /** The leaving user's membership. */
  member: SharedMember;
  /** The admin promoted to owner, when the leaving user was the only owner. */
  successor: SharedMember | null;
  /** Who remains responsible (successor, else the earliest remaining owner); SSO providers move to them. */
  stewardUserId: string | null;
}

export interface DeparturePlan {
  departures: Departure[];
  blocked: Array<{ id: string; name: string }>;
}

const holds = (roles: string, role: string) => roles.split(",").some((r) => r.trim() === role);
const byTenure = (a: SharedMember, b: SharedMember) => a.joinedAt - b.joinedAt || (a.memberId < b.memberId ? -1 : 1);

export function planDeparture(userId: string, workspaces: readonly SharedWorkspace[]): DeparturePlan {
  const departures: Departure[] = [];
  const blocked: DeparturePlan["blocked"] = [];
  for (const ws of workspaces) {
    const member = ws.members.find((m) => m.userId === userId);
    if (!member) continue;
    const others = ws.members.filter((m) => m.userId !== userId).sort(byTenure);
    const otherOwners = others.filter((m) => holds(m.roles, "owner"));
    let successor: SharedMember | null = null;
    if (holds(member.roles, "owner") && otherOwners.length === 0) {
      successor = others.find((m) => holds(m.roles, "admin")) ?? null;
      if (!successor) {
        blocked.push({ id: ws.id, name: ws.name });
        continue;
      }
    }
    departures.push({
      workspaceId: ws.id,
      workspaceName: ws.name,
      member,
      successor,
      stewardUserId: successor?.userId ?? otherOwners[0]?.userId ?? null,
    });
  }
  return { departures, blocked };
}

/** How a user proves it is them before their account is deleted. */
export type Reauth = { kind: "password" } | { kind: "recent_sign_in"; fresh: boolean };

/** SSO-only accounts have no password to ask for: a sign-in this recent stands in for it. */
export const RECENT_SIGN_IN_MS = 5 * 60_000;

export function reauthFor(hasPassword: boolean, sessionCreatedAt: number, now: number): Reauth {
  if (hasPassword) return { kind: "password" };
  return { kind: "recent_sign_in", fresh: now - sessionCreatedAt >= 0 && now - sessionCreatedAt <= RECENT_SIGN_IN_MS };
}
