/**
 * The Batch API's input file (pure): one request per line, `{custom_id, method: "POST", url, body}`, as
 * OpenAI's Batch API takes it. Every line is checked before anything runs; problems are reported the way
 * OpenAI reports them in a failed batch's `errors`: a code, a sentence, the parameter and the line number
 * (1-based). A line whose body the model would refuse (bad messages, say) is not a file error: it runs and
 * comes back as that item's 4xx, as on OpenAI.
 */

export const BATCH_ENDPOINTS = ["/v1/chat/completions"] as const;
export type BatchEndpoint = (typeof BATCH_ENDPOINTS)[number];

/** Most requests one batch may hold (OpenAI: 50,000). */
export const MAX_BATCH_REQUESTS = 50_000;
/** Most errors listed for one file: a file broken on every line says so in the first hundred. */
export const MAX_REPORTED_ERRORS = 100;

export interface BatchLineError {
  code: string;
  message: string;
  param: string | null;
  line: number | null;
}

/** Where a line's model runs: resolved by the caller (the workspace's ready RunPod deployments). */
export interface ResolvedModel {
  /** As the line named it, e.g. `runpod/qwen2-5-0-5b-instruct`. */
  requested: string;
  endpointId: string;
  servedModel: string;
  /** Integer micro-dollars per million tokens (catalog/prices.ts Price). */
  price: { input: number; output: number; cachedInput?: number };
  deployment?: string;
}

export interface BatchInputItem {
  /** 0-based position in the file (among request lines), which orders the output. */
  index: number;
  line: number;
  customId: string;
  body: Record<string, unknown>;
  model: ResolvedModel;
}

export type ParseResult = { ok: true; items: BatchInputItem[] } | { ok: false; errors: BatchLineError[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Parses and validates the whole file. `resolve` answers a model name with where it runs, or a sentence
 * saying why this workspace cannot batch it.
 */
export function parseBatchInput(text: string, endpoint: string, resolve: (model: string) => ResolvedModel | string): ParseResult {
  const errors: BatchLineError[] = [];
  const items: BatchInputItem[] = [];
  const seen = new Map<string, number>();
  const add = (e: BatchLineError) => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
  };
  const lines = text.split(/\r?\n/);
  let requests = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (!raw) continue;
    const line = i + 1;
    requests++;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      add({ code: "invalid_json_line", message: `Line ${line} is not valid JSON.`, param: null, line });
      continue;
    }
    if (!isObject(value)) {
      add({ code: "invalid_json_line", message: `Line ${line} must be a JSON object.`, param: null, line });
      continue;
    }
    const customId = value.custom_id;
    if (typeof customId !== "string" || customId.length === 0 || customId.length > 512) {
      add({ code: "missing_required_parameter", message: `Line ${line}: custom_id must be a non-empty string of at most 512 characters.`, param: "custom_id", line });
      continue;
    }
    const first = seen.get(customId);
    if (first !== undefined) {
      add({ code: "duplicate_custom_id", message: `Line ${line}: custom_id '${customId}' is already used on line ${first}; every request needs its own.`, param: "custom_id", line });
      continue;
    }
    seen.set(customId, line);
    if (value.method !== "POST") {
      add({ code: "invalid_method", message: `Line ${line}: method must be "POST".`, param: "method", line });
      continue;
    }
    if (value.url !== endpoint) {
      add({ code: "invalid_url", message: `Line ${line}: url ${JSON.stringify(value.url)} does not match the batch's endpoint ${endpoint}.`, param: "url", line });
      continue;
    }
    const body = value.body;
    if (!isObject(body)) {
      add({ code: "missing_required_parameter", message: `Line ${line}: body must be a JSON object (the request).`, param: "body", line });
      continue;
    }
    if (typeof body.model !== "string" || !body.model) {
      add({ code: "missing_required_parameter", message: `Line ${line}: body.model is required.`, param: "body.model", line });
      continue;
    }
    if (body.stream === true) {
      add({ code: "invalid_request", message: `Line ${line}: streaming is not available in a batch; remove body.stream.`, param: "body.stream", line });
      continue;
    }
    const model = resolve(body.model);
    if (typeof model === "string") {
      add({ code: "model_not_found", message: `Line ${line}: ${model}`, param: "body.model", line });
      continue;
    }
    items.push({ index: items.length, line, customId, body, model });
  }
  if (requests === 0) return { ok: false, errors: [{ code: "empty_file", message: "The input file has no requests.", param: null, line: null }] };
  if (requests > MAX_BATCH_REQUESTS) {
    return { ok: false, errors: [{ code: "too_many_requests", message: `The input file has ${requests} requests; a batch takes at most ${MAX_BATCH_REQUESTS}.`, param: null, line: null }, ...errors].slice(0, MAX_REPORTED_ERRORS) };
  }
  return errors.length ? { ok: false, errors } : { ok: true, items };
}
