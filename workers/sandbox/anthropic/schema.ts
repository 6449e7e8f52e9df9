/**
 * Request bodies of the Anthropic Messages API, as zod schemas, and zod issues turned into Anthropic's
 * (pydantic-worded) 400 messages: `max_tokens: Field required`, `messages.0.role: Input should be 'user'
 * or 'assistant'`. Top-level unknown fields are tolerated: Claude Code sends new beta fields often, and
 * the real API accepts them under the matching `anthropic-beta` header.
 */
import { z } from "zod";
import { innermostIssue } from "../lib/zod-issue";

export class AnthropicRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = status === 404 ? "not_found_error" : status === 401 ? "authentication_error" : "invalid_request_error",
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new AnthropicRequestError(400, message);

const cacheControl = z.looseObject({ type: z.literal("ephemeral"), ttl: z.enum(["5m", "1h"]).optional() }).nullable().optional();

const textBlock = z.looseObject({ type: z.literal("text"), text: z.string(), cache_control: cacheControl });
const imageBlock = z.looseObject({
  type: z.literal("image"),
  source: z.discriminatedUnion("type", [
    z.looseObject({ type: z.literal("base64"), media_type: z.enum(["image/jpeg", "image/png", "image/gif", "image/webp"]), data: z.string() }),
    z.looseObject({ type: z.literal("url"), url: z.string() }),
    z.looseObject({ type: z.literal("file"), file_id: z.string() }),
  ]),
  cache_control: cacheControl,
});
const loose = (type: string) => z.looseObject({ type: z.literal(type) });

export const contentBlock = z.discriminatedUnion("type", [
  textBlock,
  imageBlock,
  z.looseObject({ type: z.literal("document"), source: z.looseObject({ type: z.string() }) }),
  z.looseObject({ type: z.literal("search_result"), source: z.string(), title: z.string(), content: z.array(textBlock) }),
  z.looseObject({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) }),
  z.looseObject({
    type: z.literal("tool_result"),
    tool_use_id: z.string(),
    content: z.union([z.string(), z.array(z.union([textBlock, imageBlock, z.looseObject({ type: z.string() })]))]).optional(),
    is_error: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() }),
  z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() }),
  loose("server_tool_use"),
  loose("web_search_tool_result"),
  loose("web_fetch_tool_result"),
  loose("code_execution_tool_result"),
  loose("bash_code_execution_tool_result"),
  loose("text_editor_code_execution_tool_result"),
  loose("mcp_tool_use"),
  loose("mcp_tool_result"),
  loose("container_upload"),
  loose("tool_reference"),
]);

export type ContentBlock = z.infer<typeof contentBlock>;

export const messageParam = z.looseObject({
  role: z.enum(["user", "assistant"]),
  content: z.union([z.string(), z.array(contentBlock)]),
});
export type MessageParam = z.infer<typeof messageParam>;

const tool = z.looseObject({
  name: z.string().min(1).max(128),
  type: z.string().nullable().optional(),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal("object") }).optional(),
});

const disableParallel = z.boolean().optional();
const toolChoice = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("auto"), disable_parallel_tool_use: disableParallel }),
  z.looseObject({ type: z.literal("any"), disable_parallel_tool_use: disableParallel }),
  z.looseObject({ type: z.literal("tool"), name: z.string(), disable_parallel_tool_use: disableParallel }),
  z.looseObject({ type: z.literal("none") }),
]);

const thinking = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("enabled"), budget_tokens: z.number().int().min(1024) }),
  z.looseObject({ type: z.literal("disabled") }),
  z.looseObject({ type: z.literal("adaptive") }),
]);

const countShape = {
  model: z.string().min(1),
  messages: z.array(messageParam),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  thinking: thinking.optional(),
};

export const countTokensRequest = z.looseObject(countShape);
export type CountTokensBody = z.infer<typeof countTokensRequest>;

export const messagesRequest = z.looseObject({
  ...countShape,
  max_tokens: z.number().int().min(1),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).optional(),
  service_tier: z.enum(["auto", "standard_only"]).optional(),
});
export type MessagesBody = z.infer<typeof messagesRequest>;

const TYPE_WORDS: Record<string, string> = {
  string: "a valid string", int: "a valid integer", number: "a valid number", boolean: "a valid boolean",
  array: "a valid list", object: "a valid dictionary",
};

/** zod reports `expected: "number"` for a string sent to an integer field; the API says "integer". */
const INTEGER_FIELDS = /(^|\.)(max_tokens|top_k|budget_tokens)$/;

function orList(values: readonly unknown[]): string {
  const q = values.map((v) => `'${String(v)}'`);
  return q.length > 1 ? `${q.slice(0, -1).join(", ")} or ${q.at(-1)}` : (q[0] ?? "");
}

/** The first zod issue in Anthropic's words. */
export function fromZodIssue(raw: z.core.$ZodIssue): AnthropicRequestError {
  const issue = innermostIssue(raw);
  const path = issue.path.map(String).join(".");
  const at = (msg: string) => invalid(path ? `${path}: ${msg}` : msg);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "invalid_type": {
      if (input === undefined) return at("Field required");
      const expected = issue.expected === "number" && INTEGER_FIELDS.test(path) ? "int" : issue.expected;
      return at(`Input should be ${TYPE_WORDS[expected] ?? expected}`);
    }
    case "invalid_value":
      return at(`Input should be ${orList(issue.values)}`);
    case "invalid_union": {
      const disc = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: unknown[] }).options;
      if (disc && options) {
        const tag = input && typeof input === "object" ? (input as Record<string, unknown>)[disc] : undefined;
        const parent = issue.path.slice(0, -1).map(String).join(".");
        const prefix = parent ? `${parent}: ` : "";
        if (tag === undefined) return invalid(`${prefix}Unable to extract tag using discriminator '${disc}'`);
        return invalid(`${prefix}Input tag '${String(tag)}' found using '${disc}' does not match any of the expected tags: ${options.map((o) => `'${String(o)}'`).join(", ")}`);
      }
      return at("Input is not valid");
    }
    case "unrecognized_keys":
      return invalid(`${[...issue.path.map(String), issue.keys[0]].join(".")}: Extra inputs are not permitted`);
    case "too_small":
      if (issue.origin === "array") return at(`List should have at least ${issue.minimum} item${Number(issue.minimum) === 1 ? "" : "s"} after validation, not ${Array.isArray(input) ? input.length : 0}`);
      if (issue.origin === "string") return at(`String should have at least ${issue.minimum} character${Number(issue.minimum) === 1 ? "" : "s"}`);
      return at(`Input should be greater than or equal to ${issue.minimum}`);
    case "too_big":
      if (issue.origin === "string") return at(`String should have at most ${issue.maximum} characters`);
      return at(`Input should be less than or equal to ${issue.maximum}`);
    default:
      return at(issue.message);
  }
}
