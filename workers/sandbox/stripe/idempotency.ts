import { badRequest, idempotencyError } from "./errors";
import type { FormObject, FormValue } from "./form";

/**
 * Stripe's idempotency: the first result for a key is saved and replayed for 24 hours; reusing the key
 * for another endpoint or other parameters is an idempotency_error. Keys are scoped to the API key.
 */
export interface IdemRecord {
  method: string;
  path: string;
  fingerprint: string;
  status: number;
  body: string;
  requestId: string;
  created: number;
}

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
export const MAX_KEY_LENGTH = 255;

function canonical(v: FormValue): unknown {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(canonical);
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k]!)]));
}

/** Parameter identity independent of the order they were encoded in. */
export function fingerprint(params: FormObject): string {
  return JSON.stringify(canonical(params));
}

export type IdemDecision = { kind: "fresh" } | { kind: "replay"; record: IdemRecord };

export function decideIdempotency(
  key: string,
  record: IdemRecord | undefined,
  req: { method: string; path: string; fingerprint: string; now: number },
): IdemDecision {
  if (key.length > MAX_KEY_LENGTH) throw badRequest(`Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters long.`);
  if (!record || record.created + IDEMPOTENCY_TTL_SECONDS < req.now) return { kind: "fresh" };
  const tail = `Try using a key other than '${key}' if you meant to execute a different request.`;
  if (record.method !== req.method || record.path !== req.path) {
    throw idempotencyError(
      `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${record.method} ${record.path}' vs '${req.method} ${req.path}'). ${tail}`,
    );
  }
  if (record.fingerprint !== req.fingerprint) {
    throw idempotencyError(`Keys for idempotent requests can only be used with the same parameters they were first used with. ${tail}`);
  }
  return { kind: "replay", record };
}

/**
 * Stripe saves a result once the endpoint has started executing, including errors it produced; a
 * request rejected by validation (400) saves nothing, so a corrected retry with the same key works.
 */
export const shouldSave = (status: number) => status !== 400 && status !== 401 && status !== 409;

export async function storageKey(apiKey: string, idemKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${apiKey}\u0000${idemKey}`));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
