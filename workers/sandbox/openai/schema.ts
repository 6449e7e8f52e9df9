/**
 * Request bodies the OpenAI stand-in accepts, as zod schemas. OpenAI rejects unknown top-level arguments
 * ("Unrecognized request argument supplied"), so its schemas are strict at the top; vLLM takes many
 * extra sampling parameters (top_k, min_p, chat_template_kwargs...), so the vLLM flavor is loose there.
 */
import { z } from "zod";

const toolName = z.string().min(1).max(64).regex(/^[a-zA-Z0-9_-]+$/);

const textPart = z.looseObject({ type: z.literal("text"), text: z.string() });
const userPart = z.discriminatedUnion("type", [
  textPart,
  z.looseObject({ type: z.literal("image_url"), image_url: z.looseObject({ url: z.string(), detail: z.enum(["auto", "low", "high"]).optional() }) }),
  z.looseObject({ type: z.literal("input_audio"), input_audio: z.looseObject({ data: z.string(), format: z.string() }) }),
  z.looseObject({ type: z.literal("file"), file: z.looseObject({}) }),
]);
const assistantPart = z.discriminatedUnion("type", [textPart, z.looseObject({ type: z.literal("refusal"), refusal: z.string() })]);

const textContent = z.union([z.string(), z.array(textPart)]);

export const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

export const messageSchema = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content: textContent, name: z.string().optional() }),
  z.looseObject({ role: z.literal("developer"), content: textContent, name: z.string().optional() }),
  z.looseObject({ role: z.literal("user"), content: z.union([z.string(), z.array(userPart)]), name: z.string().optional() }),
  z.looseObject({
    role: z.literal("assistant"),
    content: z.union([z.string(), z.array(assistantPart)]).nullable().optional(),
    refusal: z.string().nullable().optional(),
    tool_calls: z.array(toolCallSchema).optional(),
    name: z.string().optional(),
  }),
  z.looseObject({ role: z.literal("tool"), content: textContent, tool_call_id: z.string() }),
  z.looseObject({ role: z.literal("function"), content: z.string().nullable(), name: z.string() }),
]);

export type ChatMessage = z.infer<typeof messageSchema>;

const toolSchema = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: toolName,
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

const toolChoice = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
]);

const responseFormat = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: toolName,
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);

const stop = z.union([z.string(), z.array(z.string()).max(4)]).nullable().optional();
const streamOptions = z.looseObject({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() }).nullable().optional();
const optNum = (min: number, max: number) => z.number().min(min).max(max).nullable().optional();
const optInt = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max).nullable().optional();

const chatShape = {
  model: z.string(),
  messages: z.array(messageSchema).min(1),
  audio: z.unknown().optional(),
  frequency_penalty: optNum(-2, 2),
  presence_penalty: optNum(-2, 2),
  function_call: z.unknown().optional(),
  functions: z.array(z.unknown()).optional(),
  logit_bias: z.record(z.string(), z.number()).nullable().optional(),
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: optInt(0, 20),
  max_completion_tokens: optInt(1),
  max_tokens: optInt(1),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  modalities: z.array(z.enum(["text", "audio"])).nullable().optional(),
  n: optInt(1, 128),
  parallel_tool_calls: z.boolean().optional(),
  prediction: z.unknown().optional(),
  prompt_cache_key: z.string().optional(),
  prompt_cache_retention: z.string().nullable().optional(),
  reasoning_effort: z.enum(["none", "minimal", "low", "medium", "high", "xhigh"]).nullable().optional(),
  response_format: responseFormat.optional(),
  safety_identifier: z.string().optional(),
  seed: z.number().int().nullable().optional(),
  service_tier: z.enum(["auto", "default", "flex", "scale", "priority"]).nullable().optional(),
  stop,
  store: z.boolean().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: streamOptions,
  temperature: optNum(0, 2),
  top_p: optNum(0, 1),
  tool_choice: toolChoice.optional(),
  tools: z.array(toolSchema).max(128).optional(),
  user: z.string().optional(),
  verbosity: z.enum(["low", "medium", "high"]).nullable().optional(),
  web_search_options: z.unknown().optional(),
};

export const chatRequestStrict = z.strictObject(chatShape);
export const chatRequestLoose = z.looseObject(chatShape);
export type ChatRequestBody = z.infer<typeof chatRequestStrict>;

const promptInput = z.union([z.string(), z.array(z.string()), z.array(z.number().int()), z.array(z.array(z.number().int()))]);

const completionShape = {
  model: z.string(),
  prompt: promptInput.nullable().optional(),
  best_of: optInt(1, 20),
  echo: z.boolean().nullable().optional(),
  frequency_penalty: optNum(-2, 2),
  presence_penalty: optNum(-2, 2),
  logit_bias: z.record(z.string(), z.number()).nullable().optional(),
  logprobs: optInt(0, 5),
  max_tokens: optInt(0),
  n: optInt(1, 128),
  seed: z.number().int().nullable().optional(),
  stop,
  stream: z.boolean().nullable().optional(),
  stream_options: streamOptions,
  suffix: z.string().nullable().optional(),
  temperature: optNum(0, 2),
  top_p: optNum(0, 1),
  user: z.string().optional(),
};

export const completionRequestStrict = z.strictObject(completionShape);
export const completionRequestLoose = z.looseObject(completionShape);
export type CompletionRequestBody = z.infer<typeof completionRequestStrict>;

const embeddingShape = {
  model: z.string(),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048), z.array(z.number().int()).min(1), z.array(z.array(z.number().int()).min(1)).min(1).max(2048)]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: z.number().int().min(1).optional(),
  user: z.string().optional(),
};

export const embeddingRequestStrict = z.strictObject(embeddingShape);
export const embeddingRequestLoose = z.looseObject(embeddingShape);
export type EmbeddingRequestBody = z.infer<typeof embeddingRequestStrict>;
