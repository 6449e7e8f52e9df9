/**
 * Embeddings, pure. Vectors are a hashed bag of words (each word adds +-1 to a few hashed dimensions, then
 * the vector is normalised to length 1): deterministic, and texts sharing words come out closer, so a
 * retrieval demo against the sandbox ranks sensibly. `base64` is the little-endian float32 bytes, which is
 * what the openai SDK asks for by default and decodes.
 */
import { countTokens } from "../lib/text";
import { badRequest } from "./errors";
import type { EmbeddingRequestBody } from "./schema";

function fnv(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function embedText(text: string, dims: number): Float32Array {
  const v = new Float32Array(dims);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [text];
  for (const w of words) {
    for (let k = 0; k < 4; k++) {
      const h = fnv(w, k);
      v[h % dims]! += (h & 0x80000000) === 0 ? 1 : -1;
    }
  }
  // A small text-specific component so different texts with the same words are not identical.
  for (let k = 0; k < 8; k++) {
    const h = fnv(text, 100 + k);
    v[h % dims]! += ((h & 0x80000000) === 0 ? 1 : -1) * 0.25;
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dims; i++) v[i] = v[i]! / norm;
  return v;
}

export function float32ToBase64(v: Float32Array): string {
  const bytes = new Uint8Array(v.length * 4);
  const view = new DataView(bytes.buffer);
  v.forEach((x, i) => view.setFloat32(i * 4, x, true));
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Inputs as texts: token-id arrays are embedded by their ids' decimal text (the stand-in has no tokenizer). */
export function embeddingInputs(input: EmbeddingRequestBody["input"]): string[] {
  if (typeof input === "string") return [input];
  if (input.length && typeof input[0] === "number") return [(input as number[]).join(" ")];
  return (input as Array<string | number[]>).map((x) => (typeof x === "string" ? x : x.join(" ")));
}

export function embeddingResponse(
  body: EmbeddingRequestBody,
  opts: { responseModel: string; nativeDims: number; dimensionsAllowed: boolean },
): Record<string, unknown> {
  const texts = embeddingInputs(body.input);
  if (texts.some((t) => t === "")) {
    throw badRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.");
  }
  if (body.dimensions !== undefined && !opts.dimensionsAllowed) throw badRequest("This model does not support specifying dimensions.");
  if (body.dimensions !== undefined && body.dimensions > opts.nativeDims) {
    throw badRequest(`Invalid value for 'dimensions' = ${body.dimensions}. Must be less than or equal to ${opts.nativeDims}.`, "dimensions");
  }
  const dims = body.dimensions ?? opts.nativeDims;
  const data = texts.map((t, index) => {
    const v = embedText(t, dims);
    return { object: "embedding", index, embedding: body.encoding_format === "base64" ? float32ToBase64(v) : Array.from(v) };
  });
  const tokens = texts.reduce((n, t) => n + countTokens(t), 0);
  return { object: "list", data, model: opts.responseModel, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}
