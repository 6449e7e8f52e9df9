/**
 * Where each outside service lives, and whether it is the real thing or a local stand-in.
 * Pure: reads only the configuration names from DESIGN.md, so it is testable without bindings.
 *
 * Rule: an upstream with a key configured is real (at its configured URL or the public default).
 * Without a key it points at the sandbox worker (`SANDBOX_URL`), unless an explicit URL was given.
 * Without a key and without a sandbox (production) it is "unconfigured".
 */
export type UpstreamName = "openai" | "anthropic" | "gemini" | "runpodRest" | "runpodServerless" | "huggingface" | "stripe";
export type UpstreamMode = "real" | "sandbox" | "unconfigured";

export interface Upstream {
  name: UpstreamName;
  baseUrl: string;
  apiKey: string | undefined;
  mode: UpstreamMode;
}

interface UpstreamSpec {
  urlVar: string;
  keyVar: string;
  publicUrl: string;
  /** Path under the sandbox origin where this service's stand-in is mounted. */
  sandboxPath: string;
  /** Hugging Face's public API works without a token, so no key does not mean "use the stand-in" in production. */
  keyOptional?: boolean;
}

export const UPSTREAM_SPECS: Record<UpstreamName, UpstreamSpec> = {
  openai: { urlVar: "UPSTREAM_OPENAI_URL", keyVar: "OPENAI_API_KEY", publicUrl: "https://api.openai.com/v1", sandboxPath: "/openai/v1" },
  anthropic: { urlVar: "UPSTREAM_ANTHROPIC_URL", keyVar: "ANTHROPIC_API_KEY", publicUrl: "https://api.anthropic.com", sandboxPath: "/anthropic" },
  gemini: { urlVar: "UPSTREAM_GEMINI_URL", keyVar: "GEMINI_API_KEY", publicUrl: "https://generativelanguage.googleapis.com", sandboxPath: "/gemini" },
  runpodRest: { urlVar: "RUNPOD_REST_URL", keyVar: "RUNPOD_API_KEY", publicUrl: "https://api.runpod.io/v2", sandboxPath: "/runpod/v2" },
  runpodServerless: { urlVar: "RUNPOD_SERVERLESS_URL", keyVar: "RUNPOD_API_KEY", publicUrl: "https://api.runpod.ai/v2", sandboxPath: "/runpod-ai/v2" },
  huggingface: { urlVar: "HF_HUB_URL", keyVar: "HF_TOKEN", publicUrl: "https://huggingface.co", sandboxPath: "/hf", keyOptional: true },
  stripe: { urlVar: "STRIPE_API_URL", keyVar: "STRIPE_SECRET_KEY", publicUrl: "https://api.stripe.com", sandboxPath: "" },
};

/** The key every stand-in accepts; sent when an upstream is in sandbox mode so auth code paths still run. */
export const SANDBOX_API_KEY = "sk-sandbox";
/** The Stripe stand-in signs its webhooks with this published secret (workers/sandbox/wrangler.toml). */
export const SANDBOX_STRIPE_WEBHOOK_SECRET = "whsec_sandbox_local_development_only";
/** Hub webhooks (`X-Webhook-Secret`) are accepted with this published secret while the Hub is the stand-in; production sets HF_WEBHOOK_SECRET. */
export const SANDBOX_HF_WEBHOOK_SECRET = "hf_webhook_sandbox_local_development_only";

type Config = Record<string, unknown>;

function str(config: Config, name: string): string | undefined {
  const v = config[name];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

export function sandboxOrigin(config: Config): string | undefined {
  return str(config, "SANDBOX_URL")?.replace(/\/+$/, "");
}

export function resolveUpstream(config: Config, name: UpstreamName): Upstream {
  const spec = UPSTREAM_SPECS[name];
  const key = str(config, spec.keyVar);
  const url = str(config, spec.urlVar)?.replace(/\/+$/, "");
  const sandbox = sandboxOrigin(config);
  const sandboxUrl = sandbox === undefined ? undefined : `${sandbox}${spec.sandboxPath}`;

  if (key) {
    const baseUrl = url ?? spec.publicUrl;
    // A key pointed at the sandbox (tests do this) is still the stand-in.
    const mode: UpstreamMode = sandbox !== undefined && baseUrl.startsWith(sandbox) ? "sandbox" : "real";
    return { name, baseUrl, apiKey: key, mode };
  }
  if (url) {
    const mode: UpstreamMode = sandbox !== undefined && url.startsWith(sandbox) ? "sandbox" : spec.keyOptional ? "real" : "unconfigured";
    return { name, baseUrl: url, apiKey: mode === "sandbox" ? SANDBOX_API_KEY : undefined, mode };
  }
  if (sandboxUrl !== undefined) return { name, baseUrl: sandboxUrl, apiKey: SANDBOX_API_KEY, mode: "sandbox" };
  return { name, baseUrl: spec.publicUrl, apiKey: undefined, mode: spec.keyOptional ? "real" : "unconfigured" };
}

export function resolveUpstreams(config: Config): Record<UpstreamName, Upstream> {
  const out = {} as Record<UpstreamName, Upstream>;
  for (const name of Object.keys(UPSTREAM_SPECS) as UpstreamName[]) out[name] = resolveUpstream(config, name);
  return out;
}

/**
 * The upstream as a workspace's own credentials make it (bring your own key): its key, and its endpoint if it
 * gave one, else the configured or public URL. Always "real" unless that endpoint is the sandbox.
 */
export function resolveUpstreamWith(config: Config, name: UpstreamName, apiKey: string, baseUrl?: string): Upstream {
  const spec = UPSTREAM_SPECS[name];
  return resolveUpstream({ ...config, [spec.keyVar]: apiKey, ...(baseUrl ? { [spec.urlVar]: baseUrl } : {}) }, name);
}
