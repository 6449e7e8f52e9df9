import type { IdeFile } from "./config";

/**
 * Writing a generated file into one that may already exist (pure; the `connect` CLI does the I/O). Only our
 * own entry changes: other MCP servers, other settings and other variables stay as they were. An existing
 * file that cannot be read as JSON is never overwritten: the caller is told, and writes nothing.
 */
export type MergeResult = { ok: true; content: string; changed: boolean } | { ok: false; reason: string };

/** JSONC → JSON: drops // and /* *\/ comments and trailing commas, leaving strings untouched. */
export function stripJsonc(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function mergeJson(existing: string, file: IdeFile): MergeResult {
  let current: unknown;
  try {
    current = existing.trim() ? JSON.parse(file.format === "jsonc" ? stripJsonc(existing) : existing) : {};
  } catch {
    return { ok: false, reason: `${file.path} is not valid JSON; fix or move it, then run again` };
  }
  if (!isObject(current)) return { ok: false, reason: `${file.path} does not hold a JSON object` };
  const ours = JSON.parse(file.content) as Record<string, unknown>;
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(ours)) {
    if (key === "inputs" && Array.isArray(value)) {
      // VS Code inputs: ours replace any with the same id, the rest stay.
      const had = Array.isArray(current.inputs) ? (current.inputs as unknown[]) : [];
      const ids = new Set(value.map((v) => (isObject(v) ? v.id : undefined)));
      next.inputs = [...had.filter((v) => !(isObject(v) && ids.has(v.id))), ...value];
    } else if (isObject(value)) {
      const had = current[key];
      if (had !== undefined && !isObject(had)) return { ok: false, reason: `${file.path}: "${key}" is not an object` };
      next[key] = { ...(had ?? {}), ...value };
    } else {
      next[key] = value;
    }
  }
  const content = `${JSON.stringify(next, null, 2)}\n`;
  return { ok: true, content, changed: content !== existing };
}

const DOTENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;

function mergeDotenv(existing: string, file: IdeFile): MergeResult {
  const ours = new Map<string, string>();
  for (const line of file.content.split("\n")) {
    const m = DOTENV_LINE.exec(line);
    if (m) ours.set(m[1]!, line);
  }
  const kept: string[] = [];
  for (const line of existing.split("\n")) {
    const m = DOTENV_LINE.exec(line);
    if (m && ours.has(m[1]!)) {
      kept.push(ours.get(m[1]!)!);
      ours.delete(m[1]!);
    } else kept.push(line);
  }
  while (kept.length && kept.at(-1) === "") kept.pop();
  const added = [...ours.values()];
  const header = file.content.split("\n")[0]!;
  const body = existing.trim() ? [...kept, ...(added.length ? ["", header, ...added] : [])] : file.content.trimEnd().split("\n");
  const content = `${body.join("\n")}\n`;
  return { ok: true, content, changed: content !== existing };
}

export function mergeIdeFile(existing: string | undefined, file: IdeFile): MergeResult {
  if (existing === undefined) return { ok: true, content: file.content, changed: true };
  return file.format === "dotenv" ? mergeDotenv(existing, file) : mergeJson(existing, file);
}
