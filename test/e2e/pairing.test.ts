import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, request as httpRequest, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiCall, query, signUp, uniqueEmail, type SignedUp } from "./auth-client";
import { until } from "./wait";

/**
 * Device pairing end to end (RFC 8628): `npm run connect` as a child process against the running
 * platform, the phone's part done through the API as the PWA does it (open the verification link while
 * signed in, which claims the code, then approve or deny). The server polls at 5 s, so each run takes one
 * interval or a little more.
 */
const platform = inject("platformUrl");
const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = path.join(root, "node_modules/.bin/tsx");
// The CLI must run on the repository's Node 22, whatever the test runner's PATH says.
const nodeBin = path.join(root, "node_modules/node/bin");
const CODE = /code: ([A-Z0-9]{4}-[A-Z0-9]{4})/;

interface Run {
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function connect(args: string[]): Run {
  const child = spawn(tsx, ["scripts/connect.ts", ...args], {
    cwd: root,
    env: { ...process.env, PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ""}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { stdout: () => out, stderr: () => err, exit };
}

async function userCodeOf(run: Run): Promise<string> {
  const out = await until(async () => run.stdout(), (o) => CODE.test(o), 15_000);
  const code = CODE.exec(out)?.[1];
  if (!code) throw new Error(`no user code printed:\n${out}\n${run.stderr()}`);
  return code;
}

/** What the phone does: open verification_uri_complete signed in (claims the code for this user), then decide. */
async function phone(user: SignedUp, userCode: string, decision: "approve" | "deny") {
  const opened = await apiCall(user, "GET", `/api/auth/device?user_code=${encodeURIComponent(userCode)}`);
  expect(opened.status).toBe(200);
  expect(opened.body.status).toBe("pending");
  const decided = await apiCall(user, "POST", `/api/auth/device/${decision}`, { userCode });
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
}

/**
 * Stands between the CLI and the platform to see the access token the CLI receives (it never prints it),
 * so the test can show the token is dead afterwards. The Host stays the platform's, so the generated
 * configuration points at the platform itself.
 */
let proxy: Server;
let proxyUrl = "";
const issuedTokens: string[] = [];

let tmp = "";
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "connect-e2e-"));
  const upstream = new URL(platform);
  proxy = createServer((req, res) => {
    // Without accept-encoding the answer comes uncompressed, readable as it passes.
    const { "accept-encoding": _, ...headers } = req.headers;
    const up = httpRequest(new URL(req.url ?? "/", upstream), { method: req.method, headers: { ...headers, host: upstream.host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (c: Buffer) => chunks.push(c));
      answer.on("end", () => {
        if (req.url !== "/api/auth/device/token" || answer.statusCode !== 200) return;
        const token = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { access_token?: unknown }).access_token;
        if (typeof token === "string") issuedTokens.push(token);
      });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function projectDir(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

describe("npm run connect", () => {
  it("pairs after approval on the phone, merges the files, and leaves a working key but no session", async () => {
    const user = await signUp(uniqueEmail("connect"));
    const workspaceId = (await apiCall(user, "GET", "/api/workspace")).body.id as string;
    const dir = await projectDir("approved");
    await mkdir(path.join(dir, ".cursor"));
    await writeFile(path.join(dir, ".cursor/mcp.json"), JSON.stringify({ mcpServers: { github: { url: "https://gh.example/mcp" } } }, null, 2));
    await writeFile(path.join(dir, ".env"), "MY_OWN_SETTING=kept\n");

    const run = connect(["--url", proxyUrl, "--client", "cursor", "--dir", dir, "--home", dir, "--scopes", "bridge,mcp:read", "--device", "e2e laptop"]);
    const userCode = await userCodeOf(run);
    expect(run.stdout()).toContain("/device");
    await phone(user, userCode, "approve");
    expect(await run.exit, run.stdout() + run.stderr()).toBe(0);

    const mcp = JSON.parse(await readFile(path.join(dir, ".cursor/mcp.json"), "utf8"));
    expect(mcp.mcpServers.github).toEqual({ url: "https://gh.example/mcp" });
    expect(mcp.mcpServers.swaggystacks).toEqual({ url: `${platform}/mcp`, headers: { Authorization: "Bearer ${env:SWAGGYSTACKS_API_KEY}" } });
    const env = await readFile(path.join(dir, ".env"), "utf8");
    expect(env).toContain("MY_OWN_SETTING=kept");
    const key = /^SWAGGYSTACKS_API_KEY="([^"]+)"$/m.exec(env)?.[1];
    expect(key).toBeTruthy();
    expect(run.stdout()).not.toContain(key!); // only the prefix is shown

    const models = await fetch(`${platform}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    const keys = await apiCall(user, "GET", "/api/keys", undefined, { "x-workspace-id": workspaceId });
    const listed = (keys.body.keys as Array<{ prefix: string; name: string; scopes: string[]; revokedAt: string | null }>).find((k) => run.stdout().includes(k.prefix));
    expect(listed).toMatchObject({ name: "cursor on e2e laptop", scopes: ["bridge", "mcp:read"], revokedAt: null });

    // The session the phone approved did its one job and is gone.
    expect(issuedTokens).toHaveLength(1);
    const stale = await fetch(`${platform}/api/me`, { headers: { authorization: `Bearer ${issuedTokens[0]}` } });
    expect(stale.status).toBe(401);
    const sessions = await query<{ token: string }>("SELECT token FROM session WHERE user_id = ?", [user.userId]);
    expect(sessions.map((s) => s.token)).not.toContain(issuedTokens[0]);
  });

  it("exits 2 and writes nothing when the phone denies", async () => {
    const user = await signUp(uniqueEmail("connect-deny"));
    const dir = await projectDir("denied");
    const run = connect(["--url", platform, "--client", "cursor", "--dir", dir, "--home", dir]);
    await phone(user, await userCodeOf(run), "deny");
    expect(await run.exit, run.stdout() + run.stderr()).toBe(2);
    expect(run.stderr()).toContain("denied");
    expect(existsSync(path.join(dir, ".cursor"))).toBe(false);
    expect(existsSync(path.join(dir, ".env"))).toBe(false);
  });

  it("exits 3 when the code expires before approval", async () => {
    const dir = await projectDir("expired");
    const run = connect(["--url", platform, "--client", "cursor", "--dir", dir, "--home", dir]);
    const userCode = (await userCodeOf(run)).replace("-", "");
    await query("UPDATE device_code SET expires_at = ? WHERE user_code = ?", [Date.now() - 1000, userCode]);
    expect(await run.exit, run.stdout() + run.stderr()).toBe(3);
    expect(run.stderr()).toContain("expired");
    expect(existsSync(path.join(dir, ".env"))).toBe(false);
    // The server forgot the code when it answered expired_token.
    expect(await query("SELECT id FROM device_code WHERE user_code = ?", [userCode])).toEqual([]);
  });

  it("leaves a file it cannot merge untouched, writes the rest, and exits 1", async () => {
    const user = await signUp(uniqueEmail("connect-broken"));
    const dir = await projectDir("broken");
    await mkdir(path.join(dir, ".cursor"));
    const broken = '{ "mcpServers": { "github": ';
    await writeFile(path.join(dir, ".cursor/mcp.json"), broken);
    const run = connect(["--url", platform, "--client", "cursor", "--dir", dir, "--home", dir]);
    await phone(user, await userCodeOf(run), "approve");
    expect(await run.exit, run.stdout() + run.stderr()).toBe(1);
    expect(await readFile(path.join(dir, ".cursor/mcp.json"), "utf8")).toBe(broken);
    expect(run.stdout()).toContain("not valid JSON");
    expect(await readFile(path.join(dir, ".env"), "utf8")).toMatch(/^SWAGGYSTACKS_API_KEY="/m);
  });

  it("refuses bad arguments before contacting anyone", async () => {
    const run = connect(["--url", platform, "--client", "emacs"]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain("claude-code, cursor, vscode, windsurf, claude-desktop");
  });
});
