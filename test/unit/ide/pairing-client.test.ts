import { describe, expect, it } from "vitest";
import { PAIRING_CLIENT_ID } from "../../../workers/auth/options";
import { buildIdeConfig, IDE_CLIENTS } from "../../../workers/ide/config";
import {
  afterPollError, afterTransientFailure, CONNECT_CLIENT_ID, formatUserCode, parseConnectArgs, resolveIdePath, startPolling, validDeviceGrant, type PollStep,
} from "../../../workers/ide/pairing-client";

const defaults = { dir: "/work/project", home: "/home/ada", device: "ada-laptop" };
const parse = (...argv: string[]) => parseConnectArgs(argv, defaults);
const errorOf = (...argv: string[]) => {
  const r = parse(...argv);
  return r.ok ? "" : r.error;
};

describe("connect arguments", () => {
  it("defaults to Claude Code on localhost in the current directory", () => {
    expect(parse()).toEqual({ ok: true, value: { url: "http://localhost:8787", client: "claude-code", dir: "/work/project", home: "/home/ada", device: "ada-laptop", help: false } });
  });

  it("reads every option, as --name value or --name=value", () => {
    const r = parse("--url=https://swaggystacks.com/", "--client", "cursor", "--dir", "./p", "--home=/tmp/h", "--scopes", "bridge, mcp:read,bridge", "--template", "tpl_1", "--workspace", "ws_9", "--device", "  build box ");
    expect(r).toEqual({
      ok: true,
      value: { url: "https://swaggystacks.com", client: "cursor", dir: "./p", home: "/tmp/h", scopes: ["bridge", "mcp:read"], template: "tpl_1", workspace: "ws_9", device: "build box", help: false },
    });
    expect(parse("-h")).toMatchObject({ ok: true, value: { help: true } });
  });

  it("names the five clients when the client is unknown", () => {
    expect(errorOf("--client", "emacs")).toBe('Unknown client "emacs"; choose one of: claude-code, cursor, vscode, windsurf, claude-desktop');
  });

  it("says what is wrong with other arguments", () => {
    expect(errorOf("--client")).toBe("--client needs a value");
    expect(errorOf("--dir", "--client", "cursor")).toBe("--dir needs a value");
    expect(errorOf("--colour", "red")).toContain("Unknown option --colour");
    expect(errorOf("cursor")).toContain('Unexpected argument "cursor"');
    expect(errorOf("--client", "cursor", "--client", "vscode")).toBe("--client given twice");
    expect(errorOf("--url", "localhost:8787")).toContain("--url must be an http(s) address");
    expect(errorOf("--url", "ftp://example.com")).toContain("--url must be an http(s) address");
    expect(errorOf("--scopes", "bridge,admin")).toBe('Unknown scope "admin"; choose from: bridge, mcp:read, mcp:write, mcp:admin');
    expect(errorOf("--scopes", ",")).toContain("--scopes needs at least one");
    expect(errorOf("--device", " ")).toBe("--device must not be empty");
    expect(errorOf("--template", "x".repeat(65))).toContain("--template");
    expect(errorOf("--workspace", " ")).toContain("--workspace");
  });

  it("keeps a long hostname within the server's 80 characters", () => {
    const r = parseConnectArgs([], { ...defaults, device: "h".repeat(200) });
    expect(r.ok && r.value.device).toBe("h".repeat(80));
    const blank = parseConnectArgs([], { ...defaults, device: "" });
    expect(blank.ok && blank.value.device).toBe("a paired computer");
  });

  it("uses the client id the server accepts", () => {
    expect(CONNECT_CLIENT_ID).toBe(PAIRING_CLIENT_ID);
  });
});

describe("user codes", () => {
  it("are shown in groups of four", () => {
    expect(formatUserCode("ABCDEFGH")).toBe("ABCD-EFGH");
    expect(formatUserCode("ABCDEF")).toBe("ABCD-EF");
    expect(formatUserCode("")).toBe("");
  });
});

describe("polling (RFC 8628 §3.4, §3.5)", () => {
  const t0 = 1_000_000;
  const grant = { expires_in: 1800, interval: 5 };
  const polling = (step: PollStep) => {
    if (step.action !== "poll") throw new Error(`stopped: ${step.message}`);
    return step;
  };

  it("waits the server's interval before asking, 5 s when it names none", () => {
    expect(startPolling(grant, t0)).toEqual({ action: "poll", state: { interval: 5, deadline: t0 + 1_800_000 }, waitMs: 5000 });
    expect(polling(startPolling({ expires_in: 600 }, t0)).waitMs).toBe(5000);
    expect(polling(startPolling({ expires_in: 600, interval: 0 }, t0)).waitMs).toBe(5000);
    expect(polling(startPolling({ expires_in: 600, interval: 8 }, t0)).waitMs).toBe(8000);
  });

  it("keeps the interval while authorization is pending", () => {
    const first = polling(startPolling(grant, t0));
    expect(afterPollError(first.state, "authorization_pending", undefined, t0 + 5000)).toEqual(first);
  });

  it("adds 5 s on slow_down, for that and every later request", () => {
    let step = polling(startPolling(grant, t0));
    step = polling(afterPollError(step.state, "slow_down", "Polling too frequently", t0 + 5000));
    expect(step.waitMs).toBe(10_000);
    step = polling(afterPollError(step.state, "authorization_pending", undefined, t0 + 15_000));
    expect(step.waitMs).toBe(10_000);
    step = polling(afterPollError(step.state, "slow_down", undefined, t0 + 25_000));
    expect(step.waitMs).toBe(15_000);
    step = polling(afterPollError(step.state, "authorization_pending", undefined, t0 + 40_000));
    expect(step.waitMs).toBe(15_000);
  });

  it("stops on denial and on expiry", () => {
    const { state } = polling(startPolling(grant, t0));
    expect(afterPollError(state, "access_denied", undefined, t0)).toMatchObject({ action: "stop", outcome: "denied" });
    expect(afterPollError(state, "expired_token", undefined, t0)).toMatchObject({ action: "stop", outcome: "expired" });
  });

  it("stops on errors that polling cannot fix, and says which", () => {
    const { state } = polling(startPolling(grant, t0));
    expect(afterPollError(state, "invalid_grant", "Invalid device code", t0)).toEqual({ action: "stop", outcome: "error", message: "The server refused the request: invalid_grant (Invalid device code)" });
    expect(afterPollError(state, "invalid_client", undefined, t0)).toMatchObject({ outcome: "error" });
  });

  it("gives up at expires_in without asking the server again", () => {
    const { state } = polling(startPolling({ expires_in: 12, interval: 5 }, t0));
    expect(afterPollError(state, "authorization_pending", undefined, t0 + 5000)).toMatchObject({ action: "poll" }); // next at 10 s
    expect(afterPollError(state, "authorization_pending", undefined, t0 + 10_000)).toMatchObject({ action: "stop", outcome: "expired" }); // 15 s > 12 s
    expect(startPolling({ expires_in: 3, interval: 5 }, t0)).toMatchObject({ action: "stop", outcome: "expired" });
  });

  it("backs off exponentially when the server does not answer", () => {
    let step = polling(startPolling(grant, t0));
    step = polling(afterTransientFailure(step.state, t0 + 5000));
    expect(step.waitMs).toBe(10_000);
    step = polling(afterTransientFailure(step.state, t0 + 15_000));
    expect(step.waitMs).toBe(20_000);
    // A pending answer afterwards does not undo the backoff (the interval only grows).
    expect(polling(afterPollError(step.state, "authorization_pending", undefined, t0 + 35_000)).waitMs).toBe(20_000);
  });

  it("recognises a device authorization answer", () => {
    expect(validDeviceGrant({ device_code: "d", user_code: "ABCDEFGH", verification_uri: "http://x/device", expires_in: 1800, interval: 5 })).toBe(true);
    expect(validDeviceGrant({ device_code: "d", user_code: "ABCDEFGH", verification_uri: "http://x/device" })).toBe(false);
    expect(validDeviceGrant({ error: "invalid_client" })).toBe(false);
    expect(validDeviceGrant(null)).toBe(false);
  });
});

describe("where the files go", () => {
  const ctx = { dir: "/work/project", home: "/home/ada", platform: "linux" };

  it("puts project and local files in the project, user files under home", () => {
    expect(resolveIdePath({ path: ".cursor/mcp.json", scope: "project" }, ctx)).toEqual({ ok: true, value: "/work/project/.cursor/mcp.json" });
    expect(resolveIdePath({ path: ".claude/settings.local.json", scope: "local" }, ctx)).toEqual({ ok: true, value: "/work/project/.claude/settings.local.json" });
    expect(resolveIdePath({ path: "~/.codeium/windsurf/mcp_config.json", scope: "user" }, ctx)).toEqual({ ok: true, value: "/home/ada/.codeium/windsurf/mcp_config.json" });
    expect(resolveIdePath({ path: ".env", scope: "project" }, { ...ctx, dir: "/work/project/" })).toEqual({ ok: true, value: "/work/project/.env" });
    expect(resolveIdePath({ path: ".env", scope: "project" }, { ...ctx, dir: "/" })).toEqual({ ok: true, value: "/.env" });
  });

  it("finds Claude Desktop's folder on each platform", () => {
    const file = { path: "claude_desktop_config.json", scope: "user" as const };
    expect(resolveIdePath(file, ctx)).toEqual({ ok: true, value: "/home/ada/.config/Claude/claude_desktop_config.json" });
    expect(resolveIdePath(file, { ...ctx, platform: "darwin" })).toEqual({ ok: true, value: "/home/ada/Library/Application Support/Claude/claude_desktop_config.json" });
    expect(resolveIdePath(file, { dir: "C:\\src", home: "C:\\Users\\ada", platform: "win32", appData: "C:\\Users\\ada\\AppData\\Roaming\\" })).toEqual({ ok: true, value: "C:\\Users\\ada\\AppData\\Roaming/Claude/claude_desktop_config.json" });
    expect(resolveIdePath(file, { dir: "C:\\src", home: "C:\\Users\\ada", platform: "win32" })).toEqual({ ok: true, value: "C:\\Users\\ada/AppData/Roaming/Claude/claude_desktop_config.json" });
  });

  it("never writes outside the folder a path belongs to", () => {
    for (const path of ["../.bashrc", "a/../../b", "/etc/passwd", "C:\\Windows\\x", "~/../x", "./", ""]) {
      const scope = path.startsWith("~/") ? "user" : "project";
      const r = resolveIdePath({ path, scope }, ctx);
      expect(r.ok, path).toBe(false);
    }
    expect(resolveIdePath({ path: "~/.ssh/../.bashrc", scope: "user" }, ctx)).toMatchObject({ ok: false, error: expect.stringContaining("leaves its folder") });
  });

  it("places every file every client gets", () => {
    for (const client of IDE_CLIENTS) {
      const config = buildIdeConfig({ client, origin: "http://localhost:8787", brandId: "swaggystacks", brandName: "SwaggyStacks", models: { main: "m", fast: "f", openai: "o", gemini: "g" }, key: "sk_test" });
      for (const file of config.files) expect(resolveIdePath(file, ctx).ok, `${client} ${file.path}`).toBe(true);
    }
  });
});
