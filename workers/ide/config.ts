/**
 * The configuration each IDE client reads, as data (pure). One function per client builds the exact file
 * its documentation describes (../shared/reference/upstream-apis.md §3.1–3.6 and §4), the one-line CLI
 * command where the client has one, and the environment that points the client's model traffic at the
 * bridge. Secrets stay out of committed files: project files reference an environment variable (or, in
 * VS Code, an input prompted once and stored by the editor); only `.env` and Claude Code's
 * `settings.local.json` (both meant to stay local) may carry the key itself.
 */
export const IDE_CLIENTS = ["claude-code", "cursor", "vscode", "windsurf", "claude-desktop"] as const;
export type IdeClient = (typeof IDE_CLIENTS)[number];

export interface IdeModels {
  /** What Claude Code uses for the session and its aliases (Anthropic dialect, through the bridge). */
  main: string;
  /** Claude Code's background model (ANTHROPIC_DEFAULT_HAIKU_MODEL). */
  fast: string;
  /** The OpenAI-dialect default (Cursor's and the OpenAI SDK's model). */
  openai: string;
  /** The Gemini-dialect default. */
  gemini: string;
}

export interface IdeConfigInput {
  client: IdeClient;
  /** The brand's origin, e.g. https://swaggystacks.com (the bridge, /mcp and the PWA live there). */
  origin: string;
  /** Brand id, used as the MCP server's name and in the variable name (SWAGGYSTACKS_API_KEY). */
  brandId: string;
  brandName: string;
  models: IdeModels;
  /** A freshly minted key (QR link, device pairing); without one the files reference the variable only. */
  key?: string;
  /** Name of the MCP server entry; defaults to the brand id. */
  serverName?: string;
}

export interface IdeFile {
  /** Where the client reads it: relative to the project, or under `~` for user-level files. */
  path: string;
  scope: "project" | "user" | "local";
  /** JSON is strict JSON; JSONC files may carry comments but we write none. */
  format: "json" | "jsonc" | "dotenv";
  /** The key under which our entry lives, so a writer merges instead of overwriting (e.g. "mcpServers"). */
  mergeKey?: string;
  /** Whether the file carries the key itself (keep it out of version control). */
  containsSecret: boolean;
  content: string;
}

export interface IdeConfig {
  client: IdeClient;
  title: string;
  serverName: string;
  mcpUrl: string;
  /** The variable holding the key, as the files reference it. */
  keyVariable: string;
  files: IdeFile[];
  /** The client's own one-line setup, when it has one. */
  command?: string;
  /** OAuth sign-in instead of a key, where the client supports it. */
  oauthCommand?: string;
  notes: string[];
}

const TITLES: Record<IdeClient, string> = {
  "claude-code": "Claude Code",
  cursor: "Cursor",
  vscode: "VS Code (GitHub Copilot)",
  windsurf: "Windsurf",
  "claude-desktop": "Claude Desktop",
};

/** `SWAGGYSTACKS_API_KEY` for brand `swaggystacks`. */
export function keyVariableFor(brandId: string): string {
  return `${brandId.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_API_KEY`;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Shell-safe single quoting (the key and URLs never contain a quote, but a template name might). */
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The environment that sends each SDK's model traffic through the bridge (the `.env` every client gets). */
export function bridgeEnv(input: IdeConfigInput): Record<string, string> {
  const key = input.key ?? `<your ${input.brandName} API key>`;
  return {
    [keyVariableFor(input.brandId)]: key,
    OPENAI_BASE_URL: `${input.origin}/v1`,
    OPENAI_API_KEY: key,
    ANTHROPIC_BASE_URL: input.origin,
    ANTHROPIC_AUTH_TOKEN: key,
    ANTHROPIC_MODEL: input.models.main,
    ANTHROPIC_DEFAULT_SONNET_MODEL: input.models.main,
    ANTHROPIC_DEFAULT_OPUS_MODEL: input.models.main,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: input.models.fast,
    GOOGLE_GEMINI_BASE_URL: input.origin,
    GEMINI_API_KEY: key,
  };
}

/** dotenv text; values are double-quoted with `"` and `\` escaped, so any value round-trips. */
export function toDotenv(vars: Record<string, string>, header: string): string {
  const lines = Object.entries(vars).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  return `# ${header}\n${lines.join("\n")}\n`;
}

function envFile(input: IdeConfigInput): IdeFile {
  return {
    path: ".env",
    scope: "project",
    format: "dotenv",
    containsSecret: input.key !== undefined,
    content: toDotenv(bridgeEnv(input), `${input.brandName}: model traffic through the bridge and the MCP key (keep out of git)`),
  };
}

export function buildIdeConfig(input: IdeConfigInput): IdeConfig {
  const serverName = input.serverName ?? input.brandId;
  const mcpUrl = `${input.origin}/mcp`;
  const variable = keyVariableFor(input.brandId);
  const base = { client: input.client, title: TITLES[input.client], serverName, mcpUrl, keyVariable: variable };
  const bearer = (ref: string) => ({ Authorization: `Bearer ${ref}` });
  switch (input.client) {
    case "claude-code": {
      const env = bridgeEnv(input);
      const settingsEnv = Object.fromEntries(
        ["ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_MODEL", "ANTHROPIC_DEFAULT_SONNET_MODEL", "ANTHROPIC_DEFAULT_OPUS_MODEL", "ANTHROPIC_DEFAULT_HAIKU_MODEL"].map((k) => [k, env[k]!]),
      );
      // Gateways may not understand Anthropic's pre-release betas; Claude Code stops sending them.
      settingsEnv.CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS = "1";
      return {
        ...base,
        files: [
          // `type` is required: Claude Code reads an entry without one as a stdio server.
          { path: ".mcp.json", scope: "project", format: "json", mergeKey: "mcpServers", containsSecret: false, content: json({ mcpServers: { [serverName]: { type: "http", url: mcpUrl, headers: bearer(`\${${variable}}`) } } }) },
          { path: ".claude/settings.local.json", scope: "local", format: "json", mergeKey: "env", containsSecret: input.key !== undefined, content: json({ env: settingsEnv }) },
          envFile(input),
        ],
        command: `claude mcp add --transport http --scope user ${serverName} ${mcpUrl} --header ${sq(`Authorization: Bearer ${input.key ?? `$${variable}`}`)}`,
        oauthCommand: `claude mcp add --transport http --scope user ${serverName} ${mcpUrl}`,
        notes: [
          "The MCP server reads the key from the environment variable; export it (or source .env) before starting Claude Code.",
          ".claude/settings.local.json sends Claude Code's own model traffic through the bridge; it is local-only by design, do not commit it.",
          "Without a key, the OAuth command signs in from the browser instead (/mcp in Claude Code).",
        ],
      };
    }
    case "cursor":
      return {
        ...base,
        files: [
          { path: ".cursor/mcp.json", scope: "project", format: "json", mergeKey: "mcpServers", containsSecret: false, content: json({ mcpServers: { [serverName]: { url: mcpUrl, headers: bearer(`\${env:${variable}}`) } } }) },
          envFile(input),
        ],
        notes: [
          "Cursor reads ${env:…} from the environment it was started in; export the key first, or sign in with OAuth from Cursor's MCP settings.",
          `For chat models, set Cursor's OpenAI base URL to ${input.origin}/v1 and its API key to your key, and add the model ${input.models.openai} (Settings › Models).`,
        ],
      };
    case "vscode": {
      const inputId = `${input.brandId}-api-key`;
      return {
        ...base,
        files: [
          {
            path: ".vscode/mcp.json",
            scope: "project",
            format: "jsonc",
            mergeKey: "servers",
            containsSecret: false,
            content: json({
              inputs: [{ type: "promptString", id: inputId, description: `${input.brandName} API key`, password: true }],
              servers: { [serverName]: { type: "http", url: mcpUrl, headers: bearer(`\${input:${inputId}}`) } },
            }),
          },
          envFile(input),
        ],
        command: `code --add-mcp ${sq(JSON.stringify({ name: serverName, type: "http", url: mcpUrl }))}`,
        notes: ["VS Code asks for the key once and keeps it in its secret storage.", "The command adds the server to your profile; VS Code then offers OAuth sign-in."],
      };
    }
    case "windsurf":
      return {
        ...base,
        files: [
          { path: "~/.codeium/windsurf/mcp_config.json", scope: "user", format: "json", mergeKey: "mcpServers", containsSecret: false, content: json({ mcpServers: { [serverName]: { serverUrl: mcpUrl, headers: bearer(`\${env:${variable}}`) } } }) },
          envFile(input),
        ],
        notes: ["Windsurf reads ${env:…} from its environment; export the key before starting it."],
      };
    case "claude-desktop":
      return {
        ...base,
        files: [
          {
            path: "claude_desktop_config.json",
            scope: "user",
            format: "json",
            mergeKey: "mcpServers",
            containsSecret: input.key !== undefined,
            // The file takes stdio servers only; mcp-remote bridges to our HTTP endpoint.
            content: json({
              mcpServers: {
                [serverName]: {
                  command: "npx",
                  args: ["-y", "mcp-remote", mcpUrl, "--header", "Authorization:${AUTH_HEADER}"],
                  env: { AUTH_HEADER: `Bearer ${input.key ?? `<your ${input.brandName} API key>`}` },
                },
              },
            }),
          },
        ],
        notes: [
          `Preferred: Settings › Connectors › Add custom connector with ${mcpUrl}; Claude signs in with OAuth (the server must be reachable from the internet).`,
          "The file lives at ~/Library/Application Support/Claude/claude_desktop_config.json (macOS), %APPDATA%\\Claude\\claude_desktop_config.json (Windows) or ~/.config/Claude/claude_desktop_config.json (Linux).",
        ],
      };
  }
}
