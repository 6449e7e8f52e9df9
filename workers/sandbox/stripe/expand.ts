import { badRequest } from "./errors";

/**
 * `expand[]` handling: replaces id strings at the given dotted paths by the objects they name.
 * The resolver answers `undefined` for a value that is not an expandable id (Stripe's 400) and `null`
 * for an id whose object is gone (left as the id).
 */
export type Resolver = (id: string) => Promise<unknown | null | undefined>;

const MAX_LEVELS = 4;

function cannot(prop: string, hint?: string): never {
  throw badRequest(`This property cannot be expanded (${prop}).${hint ? ` You may want to try expanding '${hint}' instead.` : ""}`);
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

async function walk(container: unknown, segs: string[], resolve: Resolver, full: string): Promise<void> {
  if (Array.isArray(container)) {
    for (const item of container) await walk(item, segs, resolve, full);
    return;
  }
  if (!isObj(container)) cannot(full);
  const [key, ...rest] = segs;
  if (key === undefined) return;
  if (!(key in container)) cannot(key, container.object === "list" ? `data.${full}` : undefined);
  let value = container[key];
  if (typeof value === "string") {
    const resolved = await resolve(value);
    if (resolved === undefined) cannot(key);
    if (resolved === null) return;
    container[key] = value = resolved;
  } else if (rest.length === 0 && !isObj(value) && value !== null) {
    cannot(key);
  }
  if (rest.length && value !== null) await walk(value, rest, resolve, full);
}

export async function expandPaths<T>(obj: T, paths: readonly string[], resolve: Resolver): Promise<T> {
  if (!paths.length) return obj;
  const copy = structuredClone(obj);
  for (const path of paths) {
    const segs = path.split(".");
    // Lists count `data` as a level of their own, as Stripe does.
    if (segs.length > MAX_LEVELS + (segs[0] === "data" ? 1 : 0))
      throw badRequest(`You cannot expand more than ${MAX_LEVELS} levels of a property. Property: ${path}`);
    await walk(copy, segs, resolve, path);
  }
  return copy;
}
