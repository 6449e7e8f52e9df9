/**
 * Gemini request bodies (generativelanguage v1beta, proto3 JSON) as zod schemas, and zod issues worded the
 * way Google's JSON transcoder words them (`Unknown name "x" at 'generation_config': Cannot find field.`).
 * Proto3 JSON accepts snake_case and camelCase field names alike, so bodies are camel-cased first.
 */
import { z } from "zod";
import { innermostIssue } from "../lib/zod-issue";

export class GeminiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string) => new GeminiRequestError(400, message);

/** Keys whose values are caller-defined maps (function args, schemas' property names): never renamed. */
const OPAQUE = new Set(["args", "response", "parametersJsonSchema", "responseJsonSchema", "labels", "partialArgs"]);

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());

export function camelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = camel(k);
    if (OPAQUE.has(key)) out[key] = v;
    else if (key === "properties" && v && typeof v === "object" && !Array.isArray(v)) {
      out[key] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([name, s]) => [name, camelizeKeys(s)]));
    } else out[key] = camelizeKeys(v);
  }
  return out;
}

const blob = z.strictObject({ mimeType: z.string(), data: z.string() });

export const partSchema = z.strictObject({
  text: z.string().optional(),
  inlineData: blob.optional(),
  fileData: z.strictObject({ mimeType: z.string().optional(), fileUri: z.string() }).optional(),
  functionCall: z.looseObject({ name: z.string(), args: z.record(z.string(), z.unknown()).optional(), id: z.string().optional() }).optional(),
  functionResponse: z.looseObject({ name: z.string(), response: z.record(z.string(), z.unknown()), id: z.string().optional() }).optional(),
  executableCode: z.looseObject({}).optional(),
  codeExecutionResult: z.looseObject({}).optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  videoMetadata: z.looseObject({}).optional(),
  partMetadata: z.looseObject({}).optional(),
  mediaResolution: z.unknown().optional(),
});
export type Part = z.infer<typeof partSchema>;

export const contentSchema = z.strictObject({ role: z.string().optional(), parts: z.array(partSchema) });
export type Content = z.infer<typeof contentSchema>;

const functionDeclaration = z.looseObject({
  name: z.string(),
  description: z.string().optional(),
  parameters: z.looseObject({}).optional(),
  parametersJsonSchema: z.unknown().optional(),
  response: z.unknown().optional(),
  responseJsonSchema: z.unknown().optional(),
  behavior: z.string().optional(),
});

const toolSchema = z.looseObject({ functionDeclarations: z.array(functionDeclaration).optional() });

const toolConfig = z.looseObject({
  functionCallingConfig: z
    .looseObject({ mode: z.enum(["MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED"]).optional(), allowedFunctionNames: z.array(z.string()).optional() })
    .optional(),
});

const generationConfig = z.looseObject({
  stopSequences: z.array(z.string()).max(5).optional(),
  responseMimeType: z.string().optional(),
  responseSchema: z.looseObject({}).optional(),
  responseJsonSchema: z.unknown().optional(),
  candidateCount: z.number().int().min(1).max(8).optional(),
  maxOutputTokens: z.number().int().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  topK: z.number().min(0).optional(),
  seed: z.number().int().optional(),
  presencePenalty: z.number().optional(),
  frequencyPenalty: z.number().optional(),
  responseLogprobs: z.boolean().optional(),
  logprobs: z.number().int().optional(),
  responseModalities: z.array(z.string()).optional(),
  thinkingConfig: z
    .looseObject({ includeThoughts: z.boolean().optional(), thinkingBudget: z.number().int().min(-1).optional(), thinkingLevel: z.string().optional() })
    .optional(),
});

const generateShape = {
  model: z.string().optional(),
  contents: z.array(contentSchema).optional(),
  systemInstruction: contentSchema.optional(),
  tools: z.array(toolSchema).optional(),
  toolConfig: toolConfig.optional(),
  safetySettings: z.array(z.looseObject({ category: z.string(), threshold: z.string() })).optional(),
  generationConfig: generationConfig.optional(),
  cachedContent: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  serviceTier: z.string().optional(),
};

export const generateRequest = z.strictObject(generateShape);
export type GenerateBody = z.infer<typeof generateRequest>;

export const countTokensRequest = z.strictObject({
  contents: z.array(contentSchema).optional(),
  generateContentRequest: generateRequest.optional(),
});

const snake = (k: string) => k.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${snake(String(p))}` : snake(String(p));
  return out;
}

const PROTO_TYPES: Record<string, string> = { string: "TYPE_STRING", int: "TYPE_INT32", number: "TYPE_FLOAT", boolean: "TYPE_BOOL" };

/** The first zod issue in Google's words. `root` names the request message (`GenerateContentRequest`). */
export function fromZodIssue(raw: z.core.$ZodIssue, root: string): GeminiRequestError {
  const issue = innermostIssue(raw);
  const path = fieldPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys":
      return invalidArgument(`Invalid JSON payload received. Unknown name "${issue.keys[0]}"${path ? ` at '${path}'` : ""}: Cannot find field.`);
    case "invalid_type":
      if (input === undefined) return invalidArgument(`* ${root}.${path}: ${String(issue.path.at(-1))} is not specified\n`);
      if (PROTO_TYPES[issue.expected]) return invalidArgument(`Invalid value at '${path}' (${PROTO_TYPES[issue.expected]}), ${JSON.stringify(input)}`);
      return invalidArgument(`Invalid JSON payload received. Expected ${issue.expected === "array" ? "a list" : "an object"} for '${path}'.`);
    case "invalid_value":
      return invalidArgument(`Invalid value at '${path}' (TYPE_ENUM), ${JSON.stringify(input)}`);
    case "too_small":
    case "too_big":
      return invalidArgument(`* ${root}.${path}: ${issue.message}\n`);
    default:
      return invalidArgument(`* ${root}.${path}: ${issue.message}\n`);
  }
}
