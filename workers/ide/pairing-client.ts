import { KEY_SCOPES, type KeyScope } from "../keys/scopes";
import { IDE_CLIENTS, type IdeClient, type IdeFile } from "./config";

/**
 * The decisions of the `connect` CLI (scripts/connect.ts), kept pure so they can be tested without a
 * terminal, a clock or a server: its arguments, the RFC 8628 polling rules (§3.4, §3.5) and where each
 * generated file goes on this computer. The CLI does all of the I/O.
 */

/**
 * Must equal PAIRING_CLIENT_ID in workers/auth/options.ts (a unit test holds them together); importing it
 * from there would load better-auth and its plugins into a CLI that only speaks HTTP.
 */
export const CONNECT_CLIENT_ID = "platform-connect";
export const DEVICE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
export const DEFAULT_URL = "http://localhost:8787";
export const DEFAULT_CLIENT: IdeClient = "claude-code";
/** The server's limit on the device name (workers/ide/pairing.ts). */
const DEVICE_MAX = 80;

export interface ConnectArgs {
  /** The platform's origin, without a trailing slash. */
  url: string;
  client: IdeClient;
  dir: string;
  home: string;
  /** Absent: the server's choice (the template's scopes, else the IDE default). */
  scopes?: KeyScope[];
  template?: string;
  /** The workspace the key belongs to (its id); absent: the person's personal workspace. */
  workspace?: string;
  device: string;
  help: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const USAGE = `Usage: npm run connect -- [options]

Pairs this computer with your account: scan the QR code with your phone (signed in), approve, and the
chosen IDE's files and a .env are written here with a new, scoped API key.

Options:
  --url <origin>        the platform (default ${DEFAULT_URL})
  --client <name>       ${IDE_CLIENTS.join(" | ")} (default ${DEFAULT_CLIENT})
  --dir <path>          the project to configure (default: the current directory)
  --home <path>         where user-level files go (default: your home directory)
  --scopes <a,b>        the key's scopes: ${KEY_SCOPES.join(", ")} (default: the template's, else bridge,mcp:read,mcp:write)
  --workspace <id>      the workspace the key belongs to (default: your personal one)
  --template <id>       a shared IDE template of that workspace
  --device <name>       how the key is named in your key list (default: this computer's name)
  -h, --help            this text`;

const OPTIONS = ["url", "client", "dir", "home", "scopes", "template", "workspace", "device"] as const;
type Option = (typeof OPTIONS)[number];

/** `argv` without the node and script entries; the defaults come from the environment (cwd, homedir, hostname). */
export function parseConnectArgs(argv: readonly string[], defaults: { dir: string; home: string; device: string }): Parsed<ConnectArgs> {
  const raw: Partial<Record<Option, string>> = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-h" || arg === "--help") {
      help = true;
      continue;
    }
    const m = /^--([a-z]+)(?:=(.*))?$/s.exec(arg);
    if (!m) return { ok: false, error: `Unexpected argument "${arg}" (options start with --; see --help)` };
    const name = m[1]!;
    if (!(OPTIONS as readonly string[]).includes(name)) return { ok: false, error: `Unknown option --${name}; known: ${OPTIONS.map((o) => `--${o}`).join(", ")}` };
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      // A following option is not a value: `--dir --client cursor` is a forgotten value, not a dir named "--client".
      if (next === undefined || next.startsWith("--")) return { ok: false, error: `--${name} needs a value` };
      value = next;
      i++;
    }
    if (raw[name as Option] !== undefined) return { ok: false, error: `--${name} given twice` };
    raw[name as Option] = value;
  }

  let url: string;
  try {
    const u = new URL(raw.url ?? DEFAULT_URL);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    url = u.origin;
  } catch {
    return { ok: false, error: `--url must be an http(s) address like ${DEFAULT_URL}, not "${raw.url}"` };
  }

  const client = raw.client ?? DEFAULT_CLIENT;
  if (!isIdeClient(client)) return { ok: false, error: `Unknown client "${client}"; choose one of: ${IDE_CLIENTS.join(", ")}` };

  let scopes: KeyScope[] | undefined;
  if (raw.scopes !== undefined) {
    const list = raw.scopes.split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = list.filter((s) => !(KEY_SCOPES as readonly string[]).includes(s));
    if (unknown.length) return { ok: false, error: `Unknown scope ${unknown.map((s) => `"${s}"`).join(", ")}; choose from: ${KEY_SCOPES.join(", ")}` };
    if (!list.length) return { ok: false, error: `--scopes needs at least one of: ${KEY_SCOPES.join(", ")}` };
    scopes = [...new Set(list as KeyScope[])];
  }

  if (raw.template !== undefined && (raw.template.trim() === "" || raw.template.length > 64)) return { ok: false, error: "--template must be a template id (1 to 64 characters)" };
  if (raw.workspace !== undefined && (raw.workspace.trim() === "" || raw.workspace.length > 128)) return { ok: false, error: "--workspace must be a workspace id (1 to 128 characters)" };
  for (const o of ["dir", "home"] as const) if (raw[o] !== undefined && raw[o].trim() === "") return { ok: false, error: `--${o} must not be empty` };
  if (raw.device !== undefined && raw.device.trim() === "") return { ok: false, error: "--device must not be empty" };
  // A hostname can be empty or long; the server takes 1 to 80 characters.
  const device = (raw.device ?? defaults.device).trim().slice(0, DEVICE_MAX) || "a paired computer";

  return {
    ok: true,
    value: {
      url,
      client,
      dir: raw.dir ?? defaults.dir,
      home: raw.home ?? defaults.home,
      ...(scopes ? { scopes } : {}),
      ...(raw.template !== undefined ? { template: raw.template.trim() } : {}),
      ...(raw.workspace !== undefined ? { workspace: raw.workspace.trim() } : {}),
      device,
      help,
    },
  };
}

function isIdeClient(s: string): s is IdeClient {
  return (IDE_CLIENTS as readonly string[]).includes(s);
}

/** `ABCDEFGH` → `ABCD-EFGH`: easier to compare with the phone's screen; the server ignores the dash. */
export function formatUserCode(code: string): string {
  return code.match(/.{1,4}/g)?.join("-") ?? code;
}

// ---- Polling (RFC 8628 §3.4, §3.5) ----

/** What the device authorization endpoint answered (§3.2). */
export interface DeviceGrant {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

export interface PollState {
  /** Seconds to wait before the next token request; only ever grows. */
  interval: number;
  /** When the device code expires (ms since the epoch); polling after it is pointless. */
  deadline: number;
}

export type PollStep =
  | { action: "poll"; state: PollState; waitMs: number }
  | { action: "stop"; outcome: "denied" | "expired" | "error"; message: string };

/** §3.2: "If no value is provided, clients MUST use 5 as the default." */
const DEFAULT_INTERVAL = 5;
/** §3.5: on slow_down "the interval MUST be increased by 5 seconds for this and all subsequent requests". */
const SLOW_DOWN_STEP = 5;

export function validDeviceGrant(body: unknown): body is DeviceGrant {
  if (typeof body !== "object" || body === null) return false;
  const g = body as Record<string, unknown>;
  return typeof g.device_code === "string" && typeof g.user_code === "string" && typeof g.verification_uri === "string" && typeof g.expires_in === "number" && g.expires_in > 0;
}

/** The first step after the grant: wait one interval, then ask (there is nothing to get earlier). */
export function startPolling(grant: Pick<DeviceGrant, "expires_in" | "interval">, now: number): PollStep {
  const interval = typeof grant.interval === "number" && grant.interval > 0 ? grant.interval : DEFAULT_INTERVAL;
  return schedule({ interval, deadline: now + grant.expires_in * 1000 }, now);
}

function schedule(state: PollState, now: number): PollStep {
  // The next request would land after the code died: the server can only say expired_token, so say it now.
  if (now + state.interval * 1000 >= state.deadline) return { action: "stop", outcome: "expired", message: "The code expired before it was approved" };
  return { action: "poll", state, waitMs: state.interval * 1000 };
}

/** The next step after a token request answered with an OAuth error (§3.5). */
export function afterPollError(state: PollState, error: string, description: string | undefined, now: number): PollStep {
  switch (error) {
    case "authorization_pending":
      return schedule(state, now);
    case "slow_down":
      return schedule({ ...state, interval: state.interval + SLOW_DOWN_STEP }, now);
    case "access_denied":
      return { action: "stop", outcome: "denied", message: "The request was denied on the phone" };
    case "expired_token":
      return { action: "stop", outcome: "expired", message: "The code expired before it was approved" };
    default:
      // invalid_grant, invalid_client, …: polling again cannot fix these.
      return { action: "stop", outcome: "error", message: `The server refused the request: ${error}${description ? ` (${description})` : ""}` };
  }
}

/**
 * After a request that got no OAuth answer (connection failure, timeout, a 5xx page). §3.5 asks for
 * exponential backoff on timeouts, so a struggling server is not hammered; the deadline still ends it.
 */
export function afterTransientFailure(state: PollState, now: number): PollStep {
  return schedule({ ...state, interval: state.interval * 2 }, now);
}

// ---- Where the files go ----

export interface PathContext {
  /** The project directory (--dir). */
  dir: string;
  /** The home directory (--home). */
  home: string;
  /** `process.platform`: Claude Desktop's configuration lives in a different place on each. */
  platform: string;
  /** %APPDATA% on Windows, when the real home is used (with --home, files stay under it). */
  appData?: string;
}

/** Claude Desktop's per-platform folder (IdeConfig's notes for claude-desktop list the same places). */
function claudeDesktopDir(ctx: PathContext): string {
  if (ctx.platform === "darwin") return join(ctx.home, "Library/Application Support/Claude");
  if (ctx.platform === "win32") return join(ctx.appData ?? join(ctx.home, "AppData/Roaming"), "Claude");
  return join(ctx.home, ".config/Claude");
}

function join(base: string, rel: string): string {
  // Forward slashes work on Windows too; only the trailing separator of the base needs care.
  const b = base.length > 1 ? base.replace(/[\\/]+$/, "") : base;
  return b.endsWith("/") || b.endsWith("\\") ? `${b}${rel}` : `${b}/${rel}`;
}

/**
 * The relative part of a path the server sent must stay inside its base: a compromised or mistaken server
 * must not make the CLI write ~/.bashrc through `../`, or anywhere through an absolute path.
 */
function safeRelative(rel: string): boolean {
  if (!rel || /^[\\/]/.test(rel) || /^[A-Za-z]:/.test(rel)) return false;
  return rel.split(/[\\/]/).every((seg) => seg !== "" && seg !== "." && seg !== "..");
}

/** Where a generated file is written on this computer. */
export function resolveIdePath(file: Pick<IdeFile, "path" | "scope">, ctx: PathContext): Parsed<string> {
  let base: string;
  let rel: string;
  if (file.scope === "user") {
    if (file.path.startsWith("~/")) {
      base = ctx.home;
      rel = file.path.slice(2);
    } else {
      // A bare file name at user scope is one whose folder depends on the platform (Claude Desktop).
      base = claudeDesktopDir(ctx);
      rel = file.path;
    }
  } else {
    base = ctx.dir;
    rel = file.path;
  }
  if (!safeRelative(rel)) return { ok: false, error: `refusing to write "${file.path}": the path leaves its folder` };
  return { ok: true, value: join(base, rel) };
}

/** What the CLI prints for a key: never the key, only the prefix the key list shows too. */
export function describeKey(key: { prefix: string; scopes: readonly string[] }): string {
  return `${key.prefix} (scopes: ${key.scopes.join(", ")})`;
}
