/**
 * generateContent / streamGenerateContent / countTokens, pure: Google's request checks, the deterministic
 * turn, and GenerateContentResponse objects (fixtures/upstream/gemini/*). Streams are the same objects
 * split into chunks, each carrying cumulative usageMetadata; the last carries finishReason.
 */
import { countTokens, chunkText, stableId } from "../lib/text";
import { lowerSchemaTypes, planTurn, signatureFor, type ToolChoice, type Turn, type TurnInput } from "../lib/turn";
import type { GeminiModel } from "./models";
import { camelizeKeys, fromZodIssue, generateRequest, invalidArgument, type Content, type GenerateBody, type Part } from "./schema";

/** What Gemini bills an image (258 tokens per image up to 384px). */
const IMAGE_TOKENS = 258;

export function parseGenerateRequest(raw: unknown, root = "GenerateContentRequest"): GenerateBody {
  const parsed = generateRequest.safeParse(camelizeKeys(raw), { reportInput: true });
  if (!parsed.success) throw fromZodIssue(parsed.error.issues[0]!, root);
  return parsed.data;
}

const PART_DATA = ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"] as const;

/** Checks beyond types, in Google's words. */
export function checkGenerate(body: GenerateBody, model: GeminiModel, root = "GenerateContentRequest"): void {
  const contents = body.contents ?? [];
  if (!contents.length) throw invalidArgument(`* ${root}.contents: contents is not specified\n`);
  contents.forEach((c, i) => {
    // "function" is what older SDKs (@google/generative-ai) send for functionResponse turns; the API still takes it.
    if (c.role !== undefined && !["", "user", "model", "function"].includes(c.role)) throw invalidArgument("Please use a valid role: user, model.");
    if (!c.parts.length) throw invalidArgument(`* ${root}.contents[${i}].parts: contents.parts must not be empty.\n`);
    c.parts.forEach((p, j) => {
      const set = PART_DATA.filter((k) => p[k] !== undefined);
      if (set.length === 0 && p.thoughtSignature === undefined) {
        throw invalidArgument(`* ${root}.contents[${i}].parts[${j}].data: required oneof field 'data' must have one initialized field\n`);
      }
      if (set.length > 1) throw invalidArgument(`Invalid JSON payload received. Oneof field 'data' is already set. Cannot set '${set[1]}'`);
      if (p.functionCall && !p.functionCall.name) throw invalidArgument(`* ${root}.contents[${i}].parts[${j}].function_call.name: Name cannot be empty.\n`);
    });
  });
  const gc = body.generationConfig;
  if ((gc?.responseSchema || gc?.responseJsonSchema !== undefined) && !/^(application\/json|text\/x\.enum)$/.test(gc?.responseMimeType ?? "")) {
    throw invalidArgument(`* ${root}.generation_config.response_mime_type: response_mime_type must be one of ['application/json', 'text/x.enum'] when response_schema is set.\n`);
  }
  if (gc?.responseMimeType && !/^(text\/plain|application\/json|text\/x\.enum)$/.test(gc.responseMimeType)) {
    throw invalidArgument(`* ${root}.generation_config.response_mime_type: allowed mimetypes are \`text/plain\`, \`application/json\`, \`application/xml\`, \`application/yaml\` and \`text/x.enum\`.\n`);
  }
  const budget = gc?.thinkingConfig?.thinkingBudget;
  if (budget === 0 && model.thinkingRequired) throw invalidArgument("Budget 0 is invalid. This model only works in thinking mode.");
  if (gc?.thinkingConfig && !/^gemini-(2\.5|3)/.test(model.id) && (budget ?? 0) !== 0) throw invalidArgument("Thinking is not supported for this model.");
  const names = (body.tools ?? []).flatMap((t) => (t.functionDeclarations ?? []).map((f) => f.name));
  const fcc = body.toolConfig?.functionCallingConfig;
  for (const n of fcc?.allowedFunctionNames ?? []) {
    if (!names.includes(n)) throw invalidArgument(`* ${root}.tool_config.function_calling_config.allowed_function_names: Function "${n}" is not declared.\n`);
  }
}

export function partText(p: Part): string {
  if (p.text !== undefined) return p.text;
  if (p.functionCall) return `${p.functionCall.name} ${JSON.stringify(p.functionCall.args ?? {})}`;
  if (p.functionResponse) return `${p.functionResponse.name} ${JSON.stringify(p.functionResponse.response)}`;
  return "";
}

const contentText = (c: Content) => c.parts.filter((p) => !p.thought).map(partText).join("");

export function promptTokenDetails(body: GenerateBody): Array<{ modality: string; tokenCount: number }> {
  const all = [...(body.systemInstruction ? [body.systemInstruction] : []), ...(body.contents ?? [])];
  const text = all.map(contentText).join("\n");
  const tools = body.tools?.length ? countTokens(JSON.stringify(body.tools)) : 0;
  const images = all.reduce((n, c) => n + c.parts.filter((p) => p.inlineData?.mimeType.startsWith("image/") || p.fileData).length, 0);
  const details = [{ modality: "TEXT", tokenCount: countTokens(text) + tools }];
  if (images) details.push({ modality: "IMAGE", tokenCount: images * IMAGE_TOKENS });
  return details;
}

export const promptTokens = (body: GenerateBody) => promptTokenDetails(body).reduce((n, d) => n + d.tokenCount, 0);

function toolChoiceOf(body: GenerateBody): ToolChoice {
  const mode = body.toolConfig?.functionCallingConfig?.mode;
  return mode === "ANY" ? { type: "required" } : mode === "NONE" ? { type: "none" } : { type: "auto" };
}

export function thinkingEnabled(body: GenerateBody, model: GeminiModel): boolean {
  const budget = body.generationConfig?.thinkingConfig?.thinkingBudget;
  if (budget === 0) return false;
  return model.thinks || model.thinkingRequired || (budget !== undefined && /^gemini-(2\.5|3)/.test(model.id));
}

export function generateTurnInput(body: GenerateBody, model: GeminiModel, requested: string): TurnInput {
  const contents = body.contents ?? [];
  const last = contents.at(-1);
  const responses = last?.parts.filter((p) => p.functionResponse) ?? [];
  const lastUser = [...contents].reverse().find((c) => c.role !== "model" && c.parts.some((p) => p.text !== undefined));
  const gc = body.generationConfig;
  const json = gc?.responseMimeType === "application/json"
    ? { schema: gc.responseJsonSchema ?? (gc.responseSchema ? lowerSchemaTypes(gc.responseSchema) : undefined) }
    : undefined;
  return {
    model: requested,
    prompt: lastUser ? contentText(lastUser) : "",
    toolResult: responses.length ? responses.map(partText).join("\n") : undefined,
    tools: (body.tools ?? []).flatMap((t) => (t.functionDeclarations ?? []).map((f) => ({ name: f.name, schema: f.parametersJsonSchema ?? lowerSchemaTypes(f.parameters) }))),
    toolChoice: toolChoiceOf(body),
    allowedTools: body.toolConfig?.functionCallingConfig?.allowedFunctionNames,
    parallel: true,
    json: json && json.schema === undefined ? {} : json,
    maxTokens: gc?.maxOutputTokens,
    stop: gc?.stopSequences ?? [],
    thinking: thinkingEnabled(body, model),
  };
}

export interface GeneratePlan {
  responseId: string;
  modelVersion: string;
  turn: Turn;
  candidates: number;
  includeThoughts: boolean;
  signature: string | undefined;
  promptDetails: Array<{ modality: string; tokenCount: number }>;
}

export function planGenerate(body: GenerateBody, model: GeminiModel, requested: string): GeneratePlan {
  const input = generateTurnInput(body, model, requested);
  const gc = body.generationConfig;
  if (gc?.responseMimeType === "text/x.enum") {
    const schema = (gc.responseJsonSchema ?? gc.responseSchema) as { enum?: unknown[] } | undefined;
    input.json = undefined;
    input.prompt = String(schema?.enum?.[0] ?? "");
  }
  // Thinking tokens count against maxOutputTokens on thinking models.
  const probe = planTurn({ ...input, maxTokens: undefined });
  if (input.maxTokens !== undefined) input.maxTokens = Math.max(0, input.maxTokens - probe.thinkingTokens);
  let turn = planTurn(input);
  if (gc?.responseMimeType === "text/x.enum" && !turn.toolCalls.length) turn = { ...turn, text: input.prompt, outputTokens: countTokens(input.prompt) };
  return {
    responseId: stableId(JSON.stringify(body) + requested, 22),
    modelVersion: requested,
    turn,
    candidates: gc?.candidateCount ?? 1,
    includeThoughts: gc?.thinkingConfig?.includeThoughts === true,
    signature: turn.thinking ? signatureFor(turn.thinking, requested) : undefined,
    promptDetails: promptTokenDetails(body),
  };
}

function usageMetadata(plan: GeneratePlan, candidatesTokens: number): Record<string, unknown> {
  const prompt = plan.promptDetails.reduce((n, d) => n + d.tokenCount, 0);
  const thoughts = plan.turn.thinkingTokens;
  const usage: Record<string, unknown> = { promptTokenCount: prompt };
  if (candidatesTokens) usage.candidatesTokenCount = candidatesTokens * plan.candidates;
  usage.totalTokenCount = prompt + candidatesTokens * plan.candidates + thoughts * plan.candidates;
  usage.promptTokensDetails = plan.promptDetails;
  if (thoughts) usage.thoughtsTokenCount = thoughts * plan.candidates;
  return usage;
}

const finishOf = (t: Turn) => (t.finish === "length" ? "MAX_TOKENS" : "STOP");

/** The answer's parts: thought summary (if asked), then text or function calls; the signature rides on the first call or the last text. */
export function responseParts(plan: GeneratePlan): Part[] {
  const { turn } = plan;
  const parts: Part[] = [];
  if (turn.thinking && plan.includeThoughts) parts.push({ text: turn.thinking, thought: true });
  if (turn.toolCalls.length) {
    turn.toolCalls.forEach((c, i) => {
      const part: Part = { functionCall: { name: c.name, args: c.args as Record<string, unknown> } };
      if (i === 0 && plan.signature) part.thoughtSignature = plan.signature;
      parts.push(part);
    });
  } else {
    const part: Part = { text: turn.text };
    if (plan.signature) part.thoughtSignature = plan.signature;
    parts.push(part);
  }
  return parts;
}

function response(plan: GeneratePlan, parts: Part[], finish: string | undefined, candidatesTokens: number, extra: Record<string, unknown> = {}) {
  const candidates = Array.from({ length: plan.candidates }, (_, index) => ({
    content: { parts, role: "model" },
    ...(finish ? { finishReason: finish } : {}),
    index,
    ...extra,
  }));
  return { candidates, usageMetadata: usageMetadata(plan, candidatesTokens), modelVersion: plan.modelVersion, responseId: plan.responseId };
}

export function generateResponse(plan: GeneratePlan): Record<string, unknown> {
  const extra = plan.turn.toolCalls.length ? { finishMessage: "Model generated function call(s)." } : {};
  return response(plan, responseParts(plan), finishOf(plan.turn), plan.turn.outputTokens, extra);
}

/** The stream's chunks (each a full GenerateContentResponse), for `alt=sse` events or a JSON array. */
export function generateChunks(plan: GeneratePlan): Array<Record<string, unknown>> {
  const { turn } = plan;
  const chunks: Array<Record<string, unknown>> = [];
  let emitted = 0;
  if (turn.thinking && plan.includeThoughts) chunks.push(response(plan, [{ text: turn.thinking, thought: true }], undefined, 0));
  if (turn.toolCalls.length) {
    const calls = responseParts(plan).filter((p) => p.functionCall);
    chunks.push(response(plan, calls, undefined, turn.outputTokens));
    chunks.push(response(plan, [{ text: "" }], finishOf(turn), turn.outputTokens));
    return chunks;
  }
  const pieces = chunkText(turn.text);
  pieces.forEach((piece, i) => {
    emitted += piece.length;
    const lastPiece = i === pieces.length - 1;
    const part: Part = { text: piece };
    if (lastPiece && plan.signature) part.thoughtSignature = plan.signature;
    const tokens = lastPiece ? turn.outputTokens : countTokens(turn.text.slice(0, emitted));
    chunks.push(response(plan, [part], lastPiece ? finishOf(turn) : undefined, tokens));
  });
  return chunks;
}
