import type { z } from "zod";

/**
 * RunPod v2 validates bodies against its OpenAPI schema and lists each failure in `errors[]` as
 * `<JSONPath>: <message>`, e.g. `$: additional properties 'bogus' not allowed` (RP-V2-SPEC ErrorResponse).
 * The messages follow the JSON-schema validator's English wording; this turns zod issues into them.
 */

export function jsonPath(path: readonly PropertyKey[]): string {
  let out = "$";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : `.${String(seg)}`;
  return out;
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

const quoteKeys = (keys: readonly string[]) => keys.map((k) => `'${k}'`).join(", ");
const display = (v: unknown) => JSON.stringify(v);

function isMissing(issue: z.core.$ZodIssue): boolean {
  // With reportInput, zod leaves `input` out exactly when the property was absent.
  return (issue.code === "invalid_type" || issue.code === "invalid_value") && (!("input" in issue) || issue.input === undefined);
}

function sizeOf(input: unknown): number | undefined {
  if (typeof input === "string") return [...input].length;
  if (Array.isArray(input)) return input.length;
  return undefined;
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type": {
      const want = issue.expected === "int" ? "integer" : issue.expected;
      return `got ${jsonType(issue.input)}, want ${want}`;
    }
    case "too_small": {
      const got = sizeOf(issue.input) ?? issue.input;
      const kw = issue.origin === "string" ? "minLength" : issue.origin === "array" ? "minItems" : issue.inclusive === false ? "exclusiveMinimum" : "minimum";
      return `${kw}: got ${String(got)}, want ${String(issue.minimum)}`;
    }
    case "too_big": {
      const got = sizeOf(issue.input) ?? issue.input;
      const kw = issue.origin === "string" ? "maxLength" : issue.origin === "array" ? "maxItems" : issue.inclusive === false ? "exclusiveMaximum" : "maximum";
      return `${kw}: got ${String(got)}, want ${String(issue.maximum)}`;
    }
    case "invalid_value":
      return issue.values.length === 1 ? `value must be ${display(issue.values[0])}` : `value must be one of ${issue.values.map(display).join(", ")}`;
    case "invalid_format":
      return issue.format === "regex" && issue.pattern
        ? `'${String(issue.input)}' does not match pattern '${issue.pattern.replace(/^\/|\/[a-z]*$/g, "")}'`
        : `'${String(issue.input)}' is not valid ${issue.format}`;
    case "invalid_union":
      if (issue.discriminator && "options" in issue && issue.options) return `value must be one of ${issue.options.map(display).join(", ")}`;
      return "value does not match any of the allowed shapes";
    case "not_multiple_of":
      return `multipleOf: got ${String(issue.input)}, want ${issue.divisor}`;
    default:
      return issue.message;
  }
}

/** One message per failure; missing properties of one object are grouped as the validator does. */
export function validationErrors(issues: readonly z.core.$ZodIssue[]): string[] {
  const missing = new Map<string, string[]>();
  const out: string[] = [];
  const addMissing = (parent: readonly PropertyKey[], key: string) => {
    const at = jsonPath(parent);
    if (!missing.has(at)) {
      missing.set(at, []);
      out.push(at); // placeholder keeps the order of first appearance
    }
    missing.get(at)!.push(key);
  };
  for (const issue of issues) {
    const path = issue.path;
    if (isMissing(issue) && path.length) {
      addMissing(path.slice(0, -1), String(path.at(-1)));
    } else if (issue.code === "invalid_union" && issue.discriminator && path.at(-1) === issue.discriminator && jsonType(issue.input) === "object" && !(issue.discriminator in (issue.input as object))) {
      addMissing(path.slice(0, -1), issue.discriminator);
    } else if (issue.code === "unrecognized_keys") {
      out.push(`${jsonPath(path)}: additional properties ${quoteKeys(issue.keys)} not allowed`);
    } else {
      out.push(`${jsonPath(path)}: ${describe(issue)}`);
    }
  }
  return out.map((entry) => {
    const keys = missing.get(entry);
    if (!keys) return entry;
    return keys.length === 1 ? `${entry}: missing property ${quoteKeys(keys)}` : `${entry}: missing properties ${quoteKeys(keys)}`;
  });
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export function check<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  const parsed = schema.safeParse(input, { reportInput: true });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: validationErrors(parsed.error.issues) };
}
