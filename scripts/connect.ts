/**
 * `npm run connect`: pairs this computer with a signed-in phone (RFC 8628 device authorization through
 * better-auth's plugin), then writes the chosen IDE's files and a `.env` with a new, scoped API key.
 * Existing files are merged (workers/ide/merge.ts), never replaced; one that cannot be merged is left as
 * it was. The decisions live in workers/ide/pairing-client.ts; this file does the terminal, network and
 * disk.
 *
 * Exit codes: 0 files written, 2 denied on the phone, 3 the code expired, 1 anything else.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir, hostname } from "node:os";
import path from "node:path";
import { renderUnicodeCompact } from "uqr";
import type { IdeConfig } from "../workers/ide/config";
import { mergeIdeFile } from "../workers/ide/merge";
import {
  afterPollError, afterTransientFailure, CONNECT_CLIENT_ID, DEVICE_GRANT_TYPE, describeKey, formatUserCode, parseConnectArgs, resolveIdePath, startPolling, USAGE,
  validDeviceGrant, type ConnectArgs, type DeviceGrant, type PollStep,
} from "../workers/ide/pairing-client";

const EXIT = { ok: 0, error: 1, denied: 2, expired: 3 } as const;
/** A request that hangs this long counts as a timeout (§3.5: back off, keep going until the deadline). */
const REQUEST_TIMEOUT_MS = 30_000;

interface PairResponse {
  config: IdeConfig;
  key: { id: string; prefix: string; scopes: string[] };
}

class Failure extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.error,
  ) {
    super(message);
  }
}

const say = (line = "") => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(argv: string[]): Promise<number> {
  const parsed = parseConnectArgs(argv, { dir: process.cwd(), home: homedir(), device: hostname() });
  if (!parsed.ok) {
    process.stderr.write(`connect: ${parsed.error}\nRun with --help for the options.\n`);
    return EXIT.error;
  }
  const args = parsed.value;
  if (args.help) {
    say(USAGE);
    return EXIT.ok;
  }
  try {
    const grant = await requestDeviceCode(args);
    showCode(grant);
    const accessToken = await pollForToken(args, grant);
    say("Approved. Creating the key…");
    const paired = await pair(args, accessToken);
    return await writeFiles(args, paired);
  } catch (e) {
    if (e instanceof Failure) {
      process.stderr.write(`connect: ${e.message}\n`);
      return e.code;
    }
    throw e;
  }
}

/** JSON of a response, or undefined when it has none (an HTML error page from a proxy, say). */
async function jsonOf(res: Response): Promise<unknown> {
  try {
    return JSON.parse(await res.text()) as unknown;
  } catch {
    return undefined;
  }
}

const field = (body: unknown, name: string): unknown => (typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined);

/** The platform's error message ({error: {message}}), or better-auth's ({error, error_description} / {message}). */
function errorText(status: number, body: unknown): string {
  const error = field(body, "error");
  const message = field(error, "message") ?? field(body, "error_description") ?? field(body, "message") ?? error;
  return typeof message === "string" ? `${status} ${message}` : `HTTP ${status}`;
}

/**
 * The RFC 6749 §5.2 error code: `error` itself, or `error.code` when the platform's `{error: {code,
 * message}}` envelope wraps it (the PWA's client reads both the same way).
 */
function oauthErrorOf(body: unknown): string | undefined {
  const error = field(body, "error");
  const code = typeof error === "string" ? error : field(error, "code");
  return typeof code === "string" && code ? code : undefined;
}

/**
 * RFC 8628 asks for form-encoded requests (§3.1, §3.4), and better-auth's /device/code takes them; its
 * /device/token takes JSON only (415 otherwise), so the token request goes as JSON.
 */
function post(url: string, fields: Record<string, string>, as: "form" | "json"): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": as === "form" ? "application/x-www-form-urlencoded" : "application/json", accept: "application/json" },
    body: as === "form" ? new URLSearchParams(fields) : JSON.stringify(fields),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

function unreachable(url: string, e: unknown): Failure {
  const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
  return new Failure(`cannot reach ${url}: ${cause}`);
}

async function requestDeviceCode(args: ConnectArgs): Promise<DeviceGrant> {
  let res: Response;
  try {
    // The scope is informational here (the key's scopes travel with /api/ide/pair); it lets the approving
    // screen show what this computer asks for.
    res = await post(`${args.url}/api/auth/device/code`, { client_id: CONNECT_CLIENT_ID, ...(args.scopes ? { scope: args.scopes.join(" ") } : {}) }, "form");
  } catch (e) {
    throw unreachable(args.url, e);
  }
  const body = await jsonOf(res);
  if (!res.ok) throw new Failure(`could not start pairing: ${errorText(res.status, body)}`);
  if (!validDeviceGrant(body)) throw new Failure(`could not start pairing: unexpected answer from ${args.url}/api/auth/device/code`);
  return body;
}

function showCode(grant: DeviceGrant): void {
  const target = grant.verification_uri_complete ?? grant.verification_uri;
  say("Scan this with your phone (signed in), then approve:");
  say();
  say(renderUnicodeCompact(target, { border: 2 }));
  say();
  say(`Or open ${grant.verification_uri} and enter the code: ${formatUserCode(grant.user_code)}`);
  say(`The code is valid for ${Math.round(grant.expires_in / 60)} minutes. Waiting for approval…`);
}

async function pollForToken(args: ConnectArgs, grant: DeviceGrant): Promise<string> {
  let step: PollStep = startPolling(grant, Date.now());
  for (;;) {
    if (step.action === "stop") throw new Failure(step.message, step.outcome === "denied" ? EXIT.denied : step.outcome === "expired" ? EXIT.expired : EXIT.error);
    await sleep(step.waitMs);
    const state = step.state;
    let res: Response;
    try {
      res = await post(`${args.url}/api/auth/device/token`, { grant_type: DEVICE_GRANT_TYPE, device_code: grant.device_code, client_id: CONNECT_CLIENT_ID }, "json");
    } catch {
      step = afterTransientFailure(state, Date.now());
      continue;
    }
    const body = await jsonOf(res);
    const token = field(body, "access_token");
    if (res.ok && typeof token === "string" && token) return token;
    const error = oauthErrorOf(body);
    // An OAuth error answer says what to do next; anything else (a 5xx page, a rate limit) is treated as a
    // server in trouble.
    if (res.status < 500 && res.status !== 429 && error) {
      const description = field(body, "error_description");
      step = afterPollError(state, error, typeof description === "string" ? description : undefined, Date.now());
    } else if (res.status >= 500 || res.status === 429) {
      step = afterTransientFailure(state, Date.now());
    } else {
      throw new Failure(`unexpected answer while waiting for approval: ${errorText(res.status, body)}`);
    }
  }
}

async function pair(args: ConnectArgs, accessToken: string): Promise<PairResponse> {
  const auth = { authorization: `Bearer ${accessToken}` };
  let res: Response;
  try {
    res = await fetch(`${args.url}/api/ide/pair`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", ...(args.workspace ? { "x-workspace-id": args.workspace } : {}) },
      body: JSON.stringify({ client: args.client, device: args.device, ...(args.template ? { templateId: args.template } : {}), ...(args.scopes ? { scopes: args.scopes } : {}) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (e) {
    throw unreachable(args.url, e);
  }
  const body = await jsonOf(res);
  if (res.status === 201 && isPairResponse(body)) return body;
  // The server signs the session out only after a successful pairing; do it here so a failed attempt
  // leaves no full session behind (best effort: it expires on its own anyway).
  await fetch(`${args.url}/api/auth/sign-out`, { method: "POST", headers: { ...auth, origin: args.url }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).catch(() => undefined);
  throw new Failure(`could not create the key: ${errorText(res.status, body)}`);
}

function isPairResponse(body: unknown): body is PairResponse {
  const config = field(body, "config");
  const key = field(body, "key");
  return Array.isArray(field(config, "files")) && typeof field(key, "prefix") === "string" && Array.isArray(field(key, "scopes"));
}

const errnoOf = (e: unknown): string | undefined => (e instanceof Error && "code" in e && typeof e.code === "string" ? e.code : undefined);

async function writeFiles(args: ConnectArgs, { config, key }: PairResponse): Promise<number> {
  const ctx = {
    dir: path.resolve(args.dir),
    home: path.resolve(args.home),
    platform: process.platform,
    // With --home, everything user-level stays under it (a test, a second profile); else Windows' real place.
    ...(args.home === homedir() && process.env.APPDATA ? { appData: process.env.APPDATA } : {}),
  };
  say();
  say(`Key ${describeKey(key)} created for ${config.title}.`);
  let refused = 0;
  const skip = (shown: string, why: string) => {
    refused++;
    say(`  not written  ${shown}: ${why}`);
  };
  for (const file of config.files) {
    const where = resolveIdePath(file, ctx);
    if (!where.ok) {
      skip(file.path, where.error);
      continue;
    }
    const target = where.value;
    let existing: string | undefined;
    try {
      existing = await readFile(target, "utf8");
    } catch (e) {
      // Only a missing file may be created; one we cannot read might hold settings we would destroy.
      if (errnoOf(e) !== "ENOENT") {
        skip(target, `cannot read it (${errnoOf(e) ?? String(e)}), left as it is`);
        continue;
      }
    }
    const merged = mergeIdeFile(existing, file);
    if (!merged.ok) {
      skip(target, `${merged.reason}; left as it is`);
      continue;
    }
    if (!merged.changed) {
      say(`  unchanged    ${target}`);
      continue;
    }
    try {
      await mkdir(path.dirname(target), { recursive: true });
      // In place rather than write-and-rename: a symlinked config (dotfiles) stays a symlink. The mode only
      // applies to a new file; a secret-bearing one is then readable by its owner alone.
      await writeFile(target, merged.content, { mode: file.containsSecret ? 0o600 : 0o666 });
    } catch (e) {
      skip(target, `cannot write it (${errnoOf(e) ?? String(e)})`);
      continue;
    }
    say(`  ${existing === undefined ? "created" : "updated"}      ${target}${file.containsSecret ? "  (holds the key: keep it out of version control)" : ""}`);
  }
  if (config.notes.length) {
    say();
    for (const note of config.notes) say(`- ${note}`);
  }
  if (refused) {
    say();
    say(`${refused} file(s) were not written; the key ${key.prefix} exists anyway (revoke it in the app if unused).`);
    return EXIT.error;
  }
  return EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`connect: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT.error;
  },
);
