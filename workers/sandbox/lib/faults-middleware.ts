import type { MiddlewareHandler } from "hono";
import { sandboxState, type SandboxAppEnv } from "../env";
import { serviceError, type Service } from "./errors";

const MAX_SNIFF_BYTES = 256 * 1024;

/** The model a request is for, from the JSON body (`model`) or a Gemini-style path (`models/{model}:method`). */
async function modelOf(req: Request, path: string): Promise<string | undefined> {
  const fromPath = /\/models\/([^/:]+)(?::|$)/.exec(path)?.[1];
  if (fromPath) return decodeURIComponent(fromPath);
  if (req.method === "GET" || !(req.headers.get("content-type") ?? "").includes("json")) return undefined;
  const length = Number(req.headers.get("content-length") ?? "0");
  if (length > MAX_SNIFF_BYTES) return undefined;
  try {
    const body = (await req.clone().json()) as { model?: unknown };
    return typeof body?.model === "string" ? body.model : undefined;
  } catch {
    return undefined; // the stand-in itself reports the malformed body in its own shape
  }
}

/**
 * Consults the fault rules before a stand-in answers: waits the injected latency, answers an injected
 * status in the service's error shape, or leaves `cutAfterChunks` for the stream writer.
 * `mountPath` is stripped so rules match on the service's own paths (`/v1/chat/completions`, `/api/models`).
 */
export function withFaults(service: Service, mountPath: string): MiddlewareHandler<SandboxAppEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const path = url.pathname.slice(mountPath.length) || "/";
    const model = await modelOf(c.req.raw, path);
    const effect = await sandboxState(c.env).applyFaults({ service, path, method: c.req.method, model });
    c.set("fault", effect);
    if (effect?.latencyMs) await new Promise((r) => setTimeout(r, effect.latencyMs));
    if (effect?.status !== undefined) {
      const opts = effect.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: effect.retryAfterSeconds };
      return serviceError(service, effect.status, effect.message ?? `Injected fault: HTTP ${effect.status}`, opts);
    }
    await next();
  };
}
