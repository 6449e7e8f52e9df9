import { expect, inject } from "vitest";

/**
 * A minimal browser for the auth end-to-end tests: one cookie jar per origin, manual redirects (so tests
 * see each hop), the Origin header better-auth checks on cookie-carrying POSTs, and a client address of
 * its own (cf-connecting-ip) so per-IP auth rate limits only bite where a test wants them to.
 */
// Random per test file (files run in parallel workers), sequential within one.
let ipSeq = Math.floor(Math.random() * 2 ** 24);
const nextIp = () => {
  const n = ++ipSeq % 2 ** 24;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

export class Browser {
  readonly cookies = new Map<string, string>();
  readonly ip: string;

  constructor(
    readonly base: string = inject("platformUrl"),
    ip?: string,
  ) {
    this.ip = ip ?? nextIp();
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async fetch(pathOrUrl: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const url = new URL(pathOrUrl, this.base);
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.cookieHeader());
    headers.set("cf-connecting-ip", this.ip);
    if (!headers.has("origin") && (init.method ?? "GET") !== "GET") headers.set("origin", new URL(this.base).origin);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    const res = await fetch(url, { ...init, headers, body, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  post(path: string, json: unknown, headers: Record<string, string> = {}) {
    return this.fetch(path, { method: "POST", json, headers });
  }

  /** Follows redirects by hand while they stay on this browser's origin; returns the last response. */
  async follow(res: Response): Promise<Response> {
    let current = res;
    for (let hops = 0; hops < 10 && current.status >= 300 && current.status < 400; hops++) {
      const next = new URL(current.headers.get("location")!, this.base);
      if (next.origin !== new URL(this.base).origin) return current;
      current = await this.fetch(next.href);
    }
    return current;
  }
}

export const PASSWORD = "correct horse battery staple";

let userSeq = 0;
/** A unique address per call, so test files can share one platform without colliding. */
export function uniqueEmail(label: string, domain = "example.com"): string {
  return `${label}-${Date.now().toString(36)}-${++userSeq}@${domain}`;
}

export interface SignedUp {
  browser: Browser;
  userId: string;
  token: string;
  email: string;
}

export async function signUp(email: string, name = "Test User", browser = new Browser()): Promise<SignedUp> {
  const res = await browser.post("/api/auth/sign-up/email", { email, password: PASSWORD, name });
  if (res.status !== 200) throw new Error(`sign-up ${email}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; user: { id: string } };
  return { browser, userId: body.user.id, token: body.token, email };
}

export interface Me {
  user: { id: string; email: string; name: string };
  workspaces: Array<{ id: string; name: string; slug: string; role: string; personal: boolean }>;
  activeWorkspaceId: string | null;
}

export async function me(browser: Browser, headers: Record<string, string> = {}): Promise<Me> {
  const res = await browser.fetch("/api/me", { headers });
  if (res.status !== 200) throw new Error(`/api/me: ${res.status} ${await res.text()}`);
  return (await res.json()) as Me;
}

/** Runs one statement on the platform's throw-away D1 (test-only endpoint from global-setup). */
export async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const res = await fetch(inject("d1Url"), { method: "POST", body: JSON.stringify({ sql, params }) });
  if (!res.ok) throw new Error(`d1: ${await res.text()}`);
  return (await res.json()) as T[];
}

export interface ApiResult {
  status: number;
  headers: Headers;
  /** Parsed JSON, the raw text when the body is not JSON, or null when empty. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One /api call as the signed-in user (or a bare browser), with an optional JSON body and extra headers. */
export async function apiCall(who: SignedUp | Browser, method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<ApiResult> {
  const browser = who instanceof Browser ? who : who.browser;
  const res = await browser.fetch(path, { method, ...(json !== undefined ? { json } : {}), headers });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

export type PlanName = "free" | "pro" | "team" | "enterprise";

/**
 * Puts a workspace on a plan straight in D1, where the admin API and Stripe's webhooks put it. Call it before
 * the workspace's first bridge request: the bridge caches a plan for 5 s per isolate.
 */
export async function setPlan(workspaceId: string, plan: PlanName, monthlyTokens: number | null = null): Promise<void> {
  await query(
    "insert into workspace_plan (workspace_id, plan, monthly_tokens, updated_at) values (?, ?, ?, ?) on conflict(workspace_id) do update set plan = excluded.plan, monthly_tokens = excluded.monthly_tokens, updated_at = excluded.updated_at",
    [workspaceId, plan, monthlyTokens, Date.now()],
  );
}

/**
 * A new user whose personal workspace is on a paid plan: for tests that call the Western stand-ins, which
 * the Free plan does not serve (it serves open models only).
 */
export async function signUpOnPlan(label: string, plan: PlanName = "pro"): Promise<SignedUp & { workspaceId: string }> {
  const user = await signUp(uniqueEmail(label));
  const workspaceId = (await me(user.browser)).workspaces[0]!.id;
  await setPlan(workspaceId, plan);
  return { ...user, workspaceId };
}

/** The platform operator (ADMIN_EMAILS in global-setup). */
export const ADMIN_EMAIL = "admin@platform.test";

/** The operator account is one per platform; another test file may have made it already. */
export async function operatorAccount(): Promise<SignedUp> {
  const browser = new Browser();
  const signIn = await browser.post("/api/auth/sign-in/email", { email: ADMIN_EMAIL, password: PASSWORD });
  if (signIn.status === 200) {
    const body = (await signIn.json()) as { token: string; user: { id: string } };
    return { browser, userId: body.user.id, token: body.token, email: ADMIN_EMAIL };
  }
  return signUp(ADMIN_EMAIL, "Operator", browser);
}

/** Invites `who` into the workspace with `role` and has them accept: the invitation's id and their membership. */
export async function inviteAndAccept(inviter: SignedUp | Browser, workspaceId: string, who: SignedUp, role: string): Promise<{ invitationId: string; member: { id: string; role: string } }> {
  const browser = inviter instanceof Browser ? inviter : inviter.browser;
  const invited = await browser.post("/api/auth/organization/invite-member", { email: who.email, role, organizationId: workspaceId });
  expect(invited.status, await invited.clone().text()).toBe(200);
  const { id } = (await invited.json()) as { id: string };
  const accepted = await who.browser.post("/api/auth/organization/accept-invitation", { invitationId: id });
  expect(accepted.status, await accepted.clone().text()).toBe(200);
  return { invitationId: id, member: ((await accepted.json()) as { member: { id: string; role: string } }).member };
}

/** A team workspace made by `owner`, with the others invited in their roles; returns its id. */
export async function teamWith(owner: SignedUp, name: string, members: [SignedUp, string][] = []): Promise<string> {
  const created = await owner.browser.post("/api/auth/organization/create", { name, slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${Date.now().toString(36)}-${++userSeq}` });
  if (created.status !== 200) throw new Error(`create ${name}: ${created.status} ${await created.text()}`);
  const id = ((await created.json()) as { id: string }).id;
  for (const [who, role] of members) await inviteAndAccept(owner, id, who, role);
  return id;
}
