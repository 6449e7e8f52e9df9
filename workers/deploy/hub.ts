import { HubApiError, modelInfo } from "@huggingface/hub";
import { modelFacts, type HubModelInfo, type ModelFacts } from "./model-facts";

/**
 * Reads a model's facts from the Hugging Face Hub (or the sandbox stand-in at `${SANDBOX}/hf`): the
 * model info through `@huggingface/hub`'s `modelInfo`, then config.json from the repo. The library
 * keeps every requested additional field as the API sent it and only renames the defaults (`id` is
 * the Mongo `_id`, the repo id is `name`, `pipeline_tag` is `task`), which `modelFacts` accepts, so
 * there is no need to call the API by hand.
 */

export interface HubOptions {
  hubUrl: string;
  token?: string;
  fetch?: typeof fetch;
}

/** The Hub could not be reached or failed on its side (network, 429, 5xx): worth retrying later. */
export class HubUnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "HubUnavailableError";
  }
}

/** The Hub refused the request for a reason retrying won't fix (e.g. an invalid token). */
export class HubRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "HubRequestError";
  }
}

/** "org/name" or a legacy unnamespaced id; anything else (slashes, "..") never reaches a URL. */
const REPO_ID = /^(?:[A-Za-z0-9][\w.-]{0,95}\/)?[A-Za-z0-9][\w.-]{0,95}$/;

const ADDITIONAL_FIELDS = ["safetensors", "config", "tags", "library_name", "cardData"] as const;

const unavailable = (status: number) => status === 429 || status >= 500;

/**
 * The Hub answers 401 "Repository not found" to anonymous callers for repos that don't exist (it
 * won't confirm private ones), and 404 otherwise; both mean "no such model" to us.
 */
function isNotFound(err: HubApiError): boolean {
  if (err.statusCode === 404) return true;
  const data = err.data as { error?: unknown } | undefined;
  const message = typeof data?.error === "string" ? data.error : err.message;
  return err.statusCode === 401 && /repository not found/i.test(message);
}

/** Facts for a Hub model; undefined when it doesn't exist. Throws HubUnavailableError when the Hub is down. */
export async function fetchModelFacts(opts: HubOptions, id: string): Promise<ModelFacts | undefined> {
  if (!REPO_ID.test(id) || id.includes("..")) return undefined;
  // Called unbound, as the library does: a bare `fetch` invoked as a method of `opts` throws "Illegal invocation" on Workers.
  const f = opts.fetch ?? fetch;
  const hubUrl = opts.hubUrl.replace(/\/+$/, "");
  let info: HubModelInfo;
  try {
    // The token rides in our own fetch rather than `accessToken`: the library throws a TypeError for
    // tokens not starting with "hf_", which would turn a sandbox or legacy token into a fake outage.
    info = await modelInfo({ name: id, hubUrl, additionalFields: [...ADDITIONAL_FIELDS], fetch: withToken(f, opts.token) });
  } catch (err) {
    if (!(err instanceof HubApiError)) throw new HubUnavailableError(`Hugging Face Hub unreachable: ${errorMessage(err)}`);
    if (isNotFound(err)) return undefined;
    if (unavailable(err.statusCode)) throw new HubUnavailableError(`Hugging Face Hub answered ${err.statusCode} for ${id}`, err.statusCode);
    throw new HubRequestError(`Hugging Face Hub refused ${id}: ${err.message}`, err.statusCode);
  }
  const config = await fetchConfig(hubUrl, opts.token, f, id);
  return modelFacts(info, config);
}

/**
 * The repo's config.json, or undefined when it has none or we may not read it (a gated repo without a
 * granted token answers 401/403; the API's `config` field still gives architecture and quantization).
 */
async function fetchConfig(hubUrl: string, token: string | undefined, f: typeof fetch, id: string): Promise<Record<string, unknown> | undefined> {
  let res: Response;
  try {
    res = await f(`${hubUrl}/${id}/resolve/main/config.json`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch (err) {
    throw new HubUnavailableError(`Hugging Face Hub unreachable: ${errorMessage(err)}`);
  }
  if (unavailable(res.status)) {
    await res.body?.cancel();
    throw new HubUnavailableError(`Hugging Face Hub answered ${res.status} for ${id}/config.json`, res.status);
  }
  if (!res.ok) {
    await res.body?.cancel();
    return undefined;
  }
  try {
    const json: unknown = await res.json();
    return json !== null && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // A config.json that isn't JSON is as good as none.
  }
}

function withToken(f: typeof fetch, token: string | undefined): typeof fetch {
  if (!token) return f;
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("authorization", `Bearer ${token}`);
    return f(input, { ...init, headers });
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
