import type { z } from "zod";
import { AppError, badRequest } from "../errors";

/**
 * The one way /api routes read a JSON body: malformed JSON is 400 `invalid_json`, a schema violation 400
 * `invalid_request` listing each problem with its path; never a 500.
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
