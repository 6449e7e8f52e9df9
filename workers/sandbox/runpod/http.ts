import { serviceError } from "../lib/errors";

/** Small request helpers shared by the RunPod REST and runtime stand-ins. */

export type JsonBody = { ok: true; value: unknown } | { ok: false };

export async function readJson(req: Request): Promise<JsonBody> {
  const text = await req.text();
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** REST v2 takes only `Authorization: Bearer <key>`; any non-empty key is accepted. */
export function bearerKey(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S.*)$/i.exec(header?.trim() ?? "");
  return m?.[1]?.trim() || undefined;
}

/** The runtime (api.runpod.ai) accepts the raw key or `Bearer <key>` (both appear in RunPod's docs). */
export function runtimeKey(header: string | undefined): string | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  return /^Bearer(\s|$)/i.test(value) ? bearerKey(value) : value;
}

/** RFC 9457 problem body of REST v2 (`{title, status, detail, errors?}`). */
export function problem(status: number, detail: string, errors?: string[]): Response {
  return serviceError("runpod", status, detail, errors ? { errors } : {});
}

export const notFound = () => problem(404, "resource not found");
export const badJson = () => problem(400, "request body is not valid JSON");
export const validationFailed = (errors: string[]) => problem(422, "Request validation failed.", errors);

/** 405 with the `Allow` header, as the spec's MethodNotAllowedError. */
export function methodNotAllowed(allow: string): Response {
  const res = problem(405, "The requested method is not allowed for this path.");
  res.headers.set("allow", allow);
  return res;
}

/** Runtime errors: RunPod's runtime body shape is undocumented; `{error}` is what its clients read. */
export function runtimeError(status: number, message: string): Response {
  return serviceError("runpod-serverless", status, message);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
