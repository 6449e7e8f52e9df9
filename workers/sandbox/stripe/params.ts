import { invalidParam, missingParam, unknownParam } from "./errors";
import type { FormObject, FormValue } from "./form";

export type Metadata = Record<string, string>;

const fmtList = (values: readonly string[]) =>
  values.length <= 1 ? values.join("") : `${values.slice(0, -1).join(", ")}, or ${values[values.length - 1]}`;

/**
 * Typed, validated access to a decoded form, reporting problems with Stripe's messages and the
 * parameter's full bracket name (`line_items[0][price]`), as the real API does.
 */
export class Params {
  constructor(
    readonly raw: FormObject,
    private readonly prefix = "",
  ) {}

  name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  /** Rejects keys outside `allowed` (`expand` is always allowed), like Stripe's parameter_unknown. */
  only(allowed: readonly string[]): this {
    for (const key of Object.keys(this.raw)) {
      if (key !== "expand" && !allowed.includes(key)) throw unknownParam(this.name(key));
    }
    return this;
  }

  private scalar(key: string): string | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw invalidParam(this.name(key), `Invalid string: ${JSON.stringify(v)}`);
    return v;
  }

  str(key: string, opts: { required?: boolean; max?: number } = {}): string | undefined {
    const v = this.scalar(key);
    if (v === undefined || v === "") {
      if (opts.required) throw missingParam(this.name(key));
      return undefined;
    }
    if (opts.max !== undefined && v.length > opts.max)
      throw invalidParam(this.name(key), `Invalid string: ${v.slice(0, 20)}...; must be at most ${opts.max} characters`);
    return v;
  }

  /** An empty string means "unset" in Stripe's encoding: `undefined` = not sent, `null` = cleared. */
  nullableStr(key: string, opts: { max?: number } = {}): string | null | undefined {
    const v = this.scalar(key);
    if (v === undefined) return undefined;
    if (v === "") return null;
    return this.str(key, opts);
  }

  int(key: string, opts: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const v = this.scalar(key);
    if (v === undefined || v === "") {
      if (opts.required) throw missingParam(this.name(key));
      return undefined;
    }
    if (!/^-?\d+$/.test(v.trim())) throw invalidParam(this.name(key), `Invalid integer: ${v}`, "parameter_invalid_integer");
    const n = Number(v);
    if (opts.min !== undefined && n < opts.min) throw invalidParam(this.name(key), `This value must be greater than or equal to ${opts.min}.`);
    if (opts.max !== undefined && n > opts.max) throw invalidParam(this.name(key), `This value must be less than or equal to ${opts.max}.`);
    return n;
  }

  decimal(key: string): number | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    if (!/^-?\d+(\.\d+)?$/.test(v)) throw invalidParam(this.name(key), `Invalid decimal: ${v}`);
    return Number(v);
  }

  bool(key: string): boolean | undefined {
    const v = this.scalar(key);
    if (v === undefined || v === "") return undefined;
    if (v === "true") return true;
    if (v === "false") return false;
    throw invalidParam(this.name(key), `Invalid boolean: ${v}`);
  }

  enumOf<T extends string>(key: string, values: readonly T[], opts: { required?: boolean } = {}): T | undefined {
    const v = this.str(key, opts);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) throw invalidParam(this.name(key), `Invalid ${this.name(key)}: must be one of ${fmtList(values)}`);
    return v as T;
  }

  email(key: string): string | null | undefined {
    const v = this.nullableStr(key, { max: 512 });
    if (v && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) throw invalidParam(this.name(key), `Invalid email address: ${v}`, "email_invalid");
    return v;
  }

  url(key: string, opts: { required?: boolean } = {}): string | undefined {
    const v = this.str(key, { ...opts, max: 5000 });
    if (v === undefined) return undefined;
    let ok = false;
    try {
      const u = new URL(v.replaceAll("{CHECKOUT_SESSION_ID}", "x"));
      ok = u.protocol === "http:" || u.protocol === "https:";
    } catch {
      ok = false;
    }
    if (!ok) throw invalidParam(this.name(key), "Not a valid URL", "url_invalid");
    return v;
  }

  obj(key: string, opts: { required?: boolean } = {}): Params | undefined {
    const v = this.raw[key];
    if (v === undefined || v === "") {
      if (opts.required) throw missingParam(this.name(key));
      return undefined;
    }
    if (typeof v === "string" || Array.isArray(v)) throw invalidParam(this.name(key), "Invalid object");
    return new Params(v, this.name(key));
  }

  arr(key: string, opts: { required?: boolean } = {}): Params[] | undefined {
    const list = this.rawArray(key, opts);
    return list?.map((v, i) => {
      const name = `${this.name(key)}[${i}]`;
      if (typeof v === "string" || Array.isArray(v)) throw invalidParam(name, "Invalid object");
      return new Params(v, name);
    });
  }

  strArr(key: string, opts: { required?: boolean } = {}): string[] | undefined {
    const list = this.rawArray(key, opts);
    return list?.map((v, i) => {
      if (typeof v !== "string") throw invalidParam(`${this.name(key)}[${i}]`, `Invalid string: ${JSON.stringify(v)}`);
      return v;
    });
  }

  private rawArray(key: string, opts: { required?: boolean }): FormValue[] | undefined {
    const v = this.raw[key];
    if (v === undefined || v === "") {
      if (opts.required) throw missingParam(this.name(key));
      return undefined;
    }
    if (Array.isArray(v)) return v;
    // A single `expand=customer` is accepted as a one-element array.
    if (typeof v === "string") return [v];
    const keys = Object.keys(v);
    if (keys.every((k) => /^\d+$/.test(k))) return keys.sort((a, b) => Number(a) - Number(b)).map((k) => v[k]!);
    throw invalidParam(this.name(key), "Invalid array");
  }

  expand(): string[] {
    return this.strArr("expand") ?? [];
  }

  /** `metadata[k]=v` sets, `metadata[k]=` deletes, `metadata=` clears everything (on update). */
  metadata(key = "metadata", current: Metadata = {}): Metadata | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (v === "") return {};
    if (typeof v === "string" || Array.isArray(v)) throw invalidParam(this.name(key), "Invalid object");
    const out: Metadata = { ...current };
    for (const [k, val] of Object.entries(v)) {
      if (typeof val !== "string") throw invalidParam(`${this.name(key)}[${k}]`, `Invalid string: ${JSON.stringify(val)}`);
      if (k.length > 40) throw invalidParam(`${this.name(key)}[${k}]`, "Metadata keys must be at most 40 characters.");
      if (val.length > 500) throw invalidParam(`${this.name(key)}[${k}]`, "Metadata values must be at most 500 characters.");
      if (val === "") delete out[k];
      else out[k] = val;
    }
    if (Object.keys(out).length > 50) throw invalidParam(this.name(key), "Metadata can have at most 50 keys.");
    return out;
  }

  /** A nested object passed through as given (addresses and the like), values kept as strings. */
  passthrough(key: string): FormValue | null | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    return v === "" ? null : v;
  }
}
