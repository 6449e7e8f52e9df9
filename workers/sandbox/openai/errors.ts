/**
 * OpenAI-shaped errors: `{error:{message,type,param,code}}`. The same app also plays vLLM (RunPod's
 * OpenAI route), whose errors keep that envelope but name the type after the HTTP status and put the
 * numeric status in `code` (vllm/entrypoints/openai/protocol.py ErrorResponse).
 */
import type { z } from "zod";
import { innermostIssue } from "../lib/zod-issue";

export type OpenAiFlavor = "openai" | "runpod-serverless";

export interface OpenAiErrorInfo {
  status: number;
  message: string;
  param?: string | null;
  code?: string | null;
  type?: string;
}

export class OpenAiRequestError extends Error {
  constructor(readonly info: OpenAiErrorInfo) {
    super(info.message);
  }
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null): OpenAiRequestError =>
  new OpenAiRequestError({ status: 400, message, param, code });

const VLLM_TYPES: Record<number, string> = { 400: "BadRequestError", 401: "Unauthorized", 404: "NotFoundError", 422: "BadRequestError", 500: "InternalServerError" };

export function openAiErrorBody(flavor: OpenAiFlavor, e: OpenAiErrorInfo): { error: Record<string, unknown> } {
  if (flavor === "runpod-serverless") {
    return { error: { message: e.message, type: VLLM_TYPES[e.status] ?? "BadRequestError", param: e.param ?? null, code: e.status } };
  }
  const type = e.type ?? (e.status >= 500 ? "server_error" : "invalid_request_error");
  return { error: { message: e.message, type, param: e.param ?? null, code: e.code ?? null } };
}

export const INVALID_JSON_MESSAGE =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
  "The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, " +
  "please contact us through our help center at help.openai.com.)";

export const MISSING_KEY_MESSAGE =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth " +
  "(i.e. Authorization: Bearer YOUR_KEY), or as the basic auth username and password field (i.e. http://YOUR_KEY@api.openai.com/v1/...), " +
  "or as an organization header. You can obtain an API key from https://platform.openai.com/account/api-keys.";

/** `["messages", 0, "content"]` -> `messages[0].content`, the way OpenAI names a parameter. */
export function paramPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "number") return Number.isInteger(v) ? "an integer" : "a decimal";
  if (typeof v === "object") return "an object";
  return `a ${typeof v}`;
}

const EXPECTED: Record<string, string> = {
  string: "a string", number: "a number", int: "an integer", boolean: "a boolean", array: "an array", object: "an object",
};

function listValues(values: readonly unknown[]): string {
  const quoted = values.map((v) => `'${String(v)}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")}, and ${quoted.at(-1)}` : (quoted[0] ?? "");
}

/** OpenAI words range errors by the parameter's declared type, not by the value sent. */
const DECIMAL_PARAMS = /(^|\.)(temperature|top_p|frequency_penalty|presence_penalty)$/;
const numberKind = (param: string, input: unknown) => (DECIMAL_PARAMS.test(param) || !Number.isInteger(input) ? "decimal" : "integer");

/** The first zod issue as the error OpenAI would give for that mistake. */
export function fromZodIssue(raw: z.core.$ZodIssue): OpenAiRequestError {
  const issue = innermostIssue(raw);
  const param = paramPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "invalid_type":
      if (input === undefined) return badRequest(`Missing required parameter: '${param}'.`, param, "missing_required_parameter");
      return badRequest(`Invalid type for '${param}': expected ${EXPECTED[issue.expected] ?? issue.expected}, but got ${jsonType(input)} instead.`, param, "invalid_type");
    case "invalid_value":
      return badRequest(`Invalid value: '${String(input)}'. Supported values are: ${listValues(issue.values)}.`, param, "invalid_value");
    case "invalid_union": {
      const disc = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: unknown[] }).options;
      if (disc && options) {
        const value = input && typeof input === "object" ? (input as Record<string, unknown>)[disc] : undefined;
        if (value === undefined) return badRequest(`Missing required parameter: '${param}'.`, param, "missing_required_parameter");
        return badRequest(`Invalid value: '${String(value)}'. Supported values are: ${listValues(options)}.`, param, "invalid_value");
      }
      if (input === undefined) return badRequest(`Missing required parameter: '${param}'.`, param, "missing_required_parameter");
      return badRequest(`Invalid type for '${param}': got ${jsonType(input)} instead.`, param, "invalid_type");
    }
    case "unrecognized_keys":
      if (!issue.path.length) return badRequest(`Unrecognized request argument supplied: ${issue.keys.join(", ")}`);
      return badRequest(`Invalid '${param}': unknown parameter${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}.`, param, "unknown_parameter");
    case "too_small":
      if (issue.origin === "array" && Number(issue.minimum) === 1) {
        return badRequest(`Invalid '${param}': empty array. Expected an array with minimum length 1, but got an empty array instead.`, param, "empty_array");
      }
      if (issue.origin === "string") return badRequest(`Invalid '${param}': string too short. Expected a string with minimum length ${issue.minimum}, but got a string with length ${String(input ?? "").length} instead.`, param, "string_below_min_length");
      return badRequest(`Invalid '${param}': ${numberKind(param, input)} below minimum value. Expected a value >= ${issue.minimum}, but got ${String(input)} instead.`, param, `${numberKind(param, input)}_below_min_value`);
    case "too_big":
      if (issue.origin === "array") return badRequest(`Invalid '${param}': array too long. Expected an array with maximum length ${issue.maximum}, but got an array with length ${Array.isArray(input) ? input.length : "?"} instead.`, param, "array_above_max_length");
      if (issue.origin === "string") return badRequest(`Invalid '${param}': string too long. Expected a string with maximum length ${issue.maximum}, but got a string with length ${String(input ?? "").length} instead.`, param, "string_above_max_length");
      return badRequest(`Invalid '${param}': ${numberKind(param, input)} above maximum value. Expected a value <= ${issue.maximum}, but got ${String(input)} instead.`, param, `${numberKind(param, input)}_above_max_value`);
    case "invalid_format":
      return badRequest(`Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '${String((issue as { pattern?: unknown }).pattern ?? "").replace(/^\/|\/[a-z]*$/g, "")}'.`, param, "invalid_value");
    default:
      return badRequest(`Invalid '${param}': ${issue.message}.`, param, "invalid_value");
  }
}
