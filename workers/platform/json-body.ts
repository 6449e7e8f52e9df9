import type { z } from "zod";
import { AppError, badRequest } from "../errors";

/**
 * Reads a JSON body against a schema: malformed JSON is 400 `invalid_json`, a schema violation 400
 * `invalid_request` listing each problem with its path; never a 500. Routes do not call this any more: they
 * put `api({ body })` (workers/openapi/describe.ts) in their chain, which validates the same way and puts the
 * schema into the OpenAPI document. Kept for code that reads a body outside a route.
 */
export async function readJsonBody<T extends z.ZodTypeAny>(req: Request, schema: T, what = "request body"): Promise<z.infer<T>> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    throw new AppError(400, "invalid_json", "Request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw badRequest(`Invalid ${what}`, parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  return parsed.data;
}
