import { badRequest } from "./errors";

/**
 * Decoding of Stripe's form encoding (`a[b][0][c]=x`, `expand[]=customer`) into plain objects, the way
 * the API reads what the SDKs send (`qs`-style indexed arrays, brackets encoded or not).
 */
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

const MAX_DEPTH = 8;

/** `a[b][0]` -> ["a", "b", "0"]; `a[]` -> ["a", ""]. A key with stray brackets is kept whole. */
export function splitKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  const rest = key.slice(open);
  const re = /\[([^[\]]*)\]/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(rest))) {
    parts.push(m[1] ?? "");
    consumed = re.lastIndex;
  }
  if (consumed !== rest.length) return [key];
  return parts;
}

type Node = Map<string, Node | string>;

function insert(root: Node, path: string[], value: string, fullKey: string): void {
  if (path.length > MAX_DEPTH) throw badRequest(`Invalid request: too deeply nested parameter ${fullKey}`, fullKey);
  let node = root;
  for (let i = 0; i < path.length; i++) {
    let seg = path[i]!;
    if (seg === "") seg = String(node.size); // `a[]` appends
    const last = i === path.length - 1;
    const existing = node.get(seg);
    if (last) {
      if (existing instanceof Map) throw badRequest(`Invalid hash`, path.slice(0, i + 1).join("."));
      node.set(seg, value);
      return;
    }
    if (typeof existing === "string") {
      // Stripe treats `metadata=` followed by `metadata[k]=v` as a reset then a value; anything else is malformed.
      if (existing !== "") throw badRequest(`Invalid hash`, path.slice(0, i + 1).join("."));
    }
    let child = existing instanceof Map ? existing : undefined;
    if (!child) {
      child = new Map();
      node.set(seg, child);
    }
    node = child;
  }
}

function materialize(node: Node): FormObject | FormValue[] {
  const keys = [...node.keys()];
  const numeric = keys.length > 0 && keys.every((k) => /^\d+$/.test(k));
  const convert = (v: Node | string): FormValue => (typeof v === "string" ? v : materialize(v));
  if (numeric) {
    return keys
      .map((k) => [Number(k), node.get(k)!] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, v]) => convert(v));
  }
  const out: FormObject = {};
  for (const k of keys) out[k] = convert(node.get(k)!);
  return out;
}

export function decodeForm(pairs: Iterable<[string, string]>): FormObject {
  const root: Node = new Map();
  for (const [key, value] of pairs) {
    if (!key) continue;
    insert(root, splitKey(key), value, key);
  }
  const out = materialize(root);
  return Array.isArray(out) ? Object.fromEntries(out.map((v, i) => [String(i), v])) : out;
}

/** Query string plus (for writes) the form body; body wins on conflicts, as it is what the SDK sends. */
export function decodeRequestParams(query: string, body: string): FormObject {
  const pairs: [string, string][] = [...new URLSearchParams(query), ...new URLSearchParams(body)];
  return decodeForm(pairs);
}
