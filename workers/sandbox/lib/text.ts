/**
 * Deterministic "model" behaviour for the LLM stand-ins: the same request always gets the same answer,
 * so tests can assert exact text, tool calls and token counts.
 */

/** Rough tokenizer: about four characters per token, never zero for non-empty text (like BPE models on English). */
export function countTokens(text: string): number {
  if (!text) return 0;
  return Math.max(1, Math.ceil(text.length / 4));
}

/** The stand-in's reply to a prompt: a fixed sentence quoting the prompt's start. */
export function replyFor(prompt: string, model: string): string {
  const quoted = prompt.replace(/\s+/g, " ").trim().slice(0, 80);
  return `Hello from the ${model} sandbox. You said: "${quoted}". This is a deterministic stand-in reply.`;
}

/** Splits a reply into stream deltas of a few words each (whitespace kept, so deltas concatenate back exactly). */
export function chunkText(text: string, wordsPerChunk = 3): string[] {
  const words = text.match(/\S+\s*/g) ?? [];
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerChunk) chunks.push(words.slice(i, i + wordsPerChunk).join(""));
  const leading = text.match(/^\s+/)?.[0];
  if (leading && chunks.length) chunks[0] = leading + chunks[0];
  return chunks.length ? chunks : [text];
}

/** Splits a JSON string into pieces, as providers stream tool-call arguments. */
export function chunkJson(json: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size));
  return out.length ? out : [""];
}

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; default?: unknown };

/** A value that satisfies a (simple) JSON schema: used as the arguments of a stand-in tool call. */
export function sampleFromSchema(schema: Schema | undefined, name = "value"): unknown {
  if (!schema || typeof schema !== "object") return {};
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type ?? (schema.properties ? "object" : "string")) {
    case "object": {
      const out: Record<string, unknown> = {};
      const props = schema.properties ?? {};
      const keys = schema.required?.length ? schema.required : Object.keys(props);
      for (const key of keys) out[key] = sampleFromSchema(props[key], key);
      return out;
    }
    case "array":
      return [sampleFromSchema(schema.items, name)];
    case "integer":
    case "number":
      return 1;
    case "boolean":
      return true;
    default:
      return `sample ${name}`;
  }
}

/** Deterministic id fragment from a string (FNV-1a), for ids that are stable across runs. */
export function stableId(input: string, length = 24): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < input.length; i++) {
    h1 = Math.imul(h1 ^ input.charCodeAt(i), 16777619);
    h2 = Math.imul(h2 ^ input.charCodeAt(i), 2246822519);
  }
  let out = "";
  let a = h1 >>> 0;
  let b = h2 >>> 0;
  while (out.length < length) {
    out += (a % 36).toString(36) + (b % 36).toString(36);
    a = Math.imul(a, 1103515245) + 12345 >>> 0;
    b = Math.imul(b, 2654435761) + 1 >>> 0;
  }
  return out.slice(0, length);
}
