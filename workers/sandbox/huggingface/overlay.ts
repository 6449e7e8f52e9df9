import { z } from "zod";
import { safetensorsBytes, safetensorsFiles, sortSiblings, storageOf } from "./arch";
import { apiConfigOf } from "./assemble";
import { hexOf, objectId } from "./hash";
import { SAMPLE_MODELS, sampleIndexOf } from "./sample";
import type { HubModel, Sibling } from "./types";

/**
 * Changes made to the Hub stand-in's sample catalog through the control API (PUT/DELETE
 * /_control/hf/models/..., POST /_control/hf/malformed), so a catalog sync can be tested against
 * incremental updates, deletions and malformed listing entries. The SandboxState Durable Object stores
 * the overlay; everything here is pure.
 *
 * Every model of the overlaid catalog has a `rank`, the tie-breaker of every sort order and part of a
 * listing cursor: a sample model keeps its index in the sample file (so an untouched catalog orders exactly
 * as before), a model created here gets one past all earlier ones.
 */

export type OverlayEntry = { deleted: true } | { deleted?: false; model: HubModel; rank: number };

export type MalformedPosition = "first" | "last";

export interface MalformedSpec {
  count: number;
  position: MalformedPosition;
}

export interface HubOverlay {
  /** Changes with every mutation: callers cache what they derive from an overlay by it. */
  version: string;
  /** By lower-cased repo id: changed or created models, and tombstones of deleted sample models. */
  models: Map<string, OverlayEntry>;
  malformed: MalformedSpec | null;
  /** Ranks handed to created models so far (ranks start after the sample's). */
  created: number;
}

export const MAX_OVERLAY_MODELS = 5000;
/** Largest stored record (JSON characters), well inside a Durable Object value. */
export const MAX_MODEL_JSON = 256 * 1024;

export function emptyOverlay(version = "empty"): HubOverlay {
  return { version, models: new Map(), malformed: null, created: 0 };
}

// ---- the PUT body: any Hub fields; a top-level field replaces the stored one, null removes an optional one

const REPO_PART = /^[A-Za-z0-9][\w.-]{0,95}$/;

/** `owner/name` when both parts are valid Hub names, else undefined. */
export function repoIdOf(owner: string, name: string): string | undefined {
  return REPO_PART.test(owner) && REPO_PART.test(name) && !name.endsWith(".git") ? `${owner}/${name}` : undefined;
}

const isoDate = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const json = z.record(z.string(), z.unknown());
const label = z.string().min(1).max(200);

export const modelPatch = z
  .object({
    /** Accepted when it names the same repo as the path (bodies copied from the Hub carry it). */
    id: z.string().optional(),
    modelId: z.string().optional(),
    _id: z.string().regex(/^[0-9a-f]{24}$/).optional(),
    author: z.string().min(1).max(96).optional(),
    sha: z.string().regex(/^[0-9a-f]{40}$/).optional(),
    createdAt: isoDate.optional(),
    lastModified: isoDate.optional(),
    private: z.boolean().optional(),
    gated: z.union([z.literal(false), z.enum(["auto", "manual"])]).optional(),
    disabled: z.boolean().optional(),
    downloads: count.optional(),
    downloadsAllTime: count.optional(),
    likes: count.optional(),
    trendingScore: z.number().min(-1e12).max(1e12).optional(),
    pipeline_tag: label.nullable().optional(),
    library_name: label.nullable().optional(),
    tags: z.array(z.string().min(1).max(300)).max(500).optional(),
    cardData: json.optional(),
    config: json.nullable().optional(),
    configJson: json.nullable().optional(),
    safetensors: z.object({ parameters: z.record(z.string().min(1).max(32), count), total: count.optional() }).strict().nullable().optional(),
    gguf: z.object({ total: count, architecture: z.string().max(100), context_length: count }).catchall(z.unknown()).nullable().optional(),
    siblings: z.array(z.object({ rfilename: z.string().min(1).max(1000), size: count.optional() }).strict()).max(10_000).optional(),
    usedStorage: count.optional(),
    transformersInfo: z.object({ auto_model: z.string(), pipeline_tag: z.string().optional(), processor: z.string().optional() }).strict().nullable().optional(),
    inferenceProviderMapping: z
      .array(z.object({ provider: z.string().min(1), providerId: z.string().min(1), status: z.enum(["live", "staging"]), task: z.string().min(1) }).strict())
      .max(50)
      .nullable()
      .optional(),
    mask_token: z.string().max(100).nullable().optional(),
  })
  .strict();

export type ModelPatch = z.infer<typeof modelPatch>;

/** Where a model's current record comes from: the overlay, else the sample (undefined = no such model). */
export function currentModel(overlay: HubOverlay, id: string): { model: HubModel; rank: number } | undefined {
  const entry = overlay.models.get(id.toLowerCase());
  if (entry) return entry.deleted ? undefined : entry;
  const i = sampleIndexOf(id);
  return i === undefined ? undefined : { model: SAMPLE_MODELS[i]!, rank: i };
}

/** Swaps the tag derived from an old field value for the new one (pipeline, library, license). */
function retag(tags: string[], before: string | undefined, after: string | undefined): string[] {
  if (before === after) return tags;
  let out = before ? tags.filter((t) => t !== before) : [...tags];
  if (after && !out.includes(after)) {
    const region = out.findIndex((t) => t.startsWith("region:"));
    out = region < 0 ? [...out, after] : [...out.slice(0, region), after, ...out.slice(region)];
  }
  return out;
}

const licenseOf = (m: { cardData: Record<string, unknown> }) => (typeof m.cardData.license === "string" ? m.cardData.license : undefined);
const licenseTag = (license: string | undefined) => (license ? `license:${license}` : undefined);

/** The tags the Hub would show for a new repository with these fields. */
function derivedTags(m: HubModel): string[] {
  const tags = [
    m.library_name,
    m.safetensors ? "safetensors" : undefined,
    m.gguf ? "gguf" : undefined,
    typeof m.configJson?.model_type === "string" ? m.configJson.model_type : undefined,
    m.pipeline_tag,
    licenseTag(licenseOf(m)),
    "region:us",
  ];
  return [...new Set(tags.filter((t): t is string => !!t))];
}

/** The files of a new repository: README, config.json when it has one, the weights. */
function derivedSiblings(m: HubModel): Sibling[] {
  const files: Sibling[] = [{ rfilename: ".gitattributes", size: 1519 }, { rfilename: "README.md", size: 2048 }];
  if (m.configJson) files.push({ rfilename: "config.json", size: 1024 });
  if (m.safetensors) files.push(...safetensorsFiles(safetensorsBytes(m.safetensors)));
  return sortSiblings(files);
}

export type PutOutcome =
  | { ok: true; created: boolean; entry: { model: HubModel; rank: number }; createdCount: number }
  | { ok: false; status: 400 | 409; message: string };

/**
 * The record a PUT leaves behind: the patch over the current record (or over a fresh repository's defaults),
 * with `lastModified` = the body's value or `now`, a new commit sha, and derived fields (tags, files,
 * storage, the API's `config` digest) kept consistent with what changed.
 */
export function putModel(overlay: HubOverlay, id: string, patch: ModelPatch, now: number): PutOutcome {
  for (const key of ["id", "modelId"] as const) {
    const given = patch[key];
    if (given !== undefined && given.toLowerCase() !== id.toLowerCase()) return { ok: false, status: 400, message: `Body ${key} '${given}' does not match the path's ${id}` };
  }
  const current = currentModel(overlay, id);
  const created = current === undefined;
  if (!overlay.models.has(id.toLowerCase()) && overlay.models.size >= MAX_OVERLAY_MODELS) {
    return { ok: false, status: 409, message: `The sandbox holds at most ${MAX_OVERLAY_MODELS} changed models; DELETE /_control/hf to start over` };
  }
  const nowIso = new Date(now).toISOString();
  const lastModified = patch.lastModified ?? nowIso;
  // A new repository is created now, unless the body dates its last change earlier.
  const createdAt = patch.createdAt ?? current?.model.createdAt ?? (Date.parse(lastModified) < now ? lastModified : nowIso);
  const canonical = current?.model.id ?? id;
  const prev: HubModel = current?.model ?? {
    _id: objectId(canonical, createdAt), id: canonical, author: canonical.split("/")[0]!, sha: "", createdAt, lastModified, private: false, gated: false,
    disabled: false, downloads: 0, downloadsAllTime: 0, likes: 0, trendingScore: 0, tags: [], cardData: {}, siblings: [], usedStorage: 0,
  };

  const m = { ...prev } as HubModel & Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (key === "id" || key === "modelId" || value === undefined) continue;
    if (value === null) delete m[key];
    else m[key] = value;
  }
  m.id = canonical;
  m.createdAt = createdAt;
  m.lastModified = lastModified;
  m.sha = patch.sha ?? hexOf(`sha:${canonical}:${lastModified}:${prev.sha}`, 40);
  if (patch.safetensors) m.safetensors = { parameters: patch.safetensors.parameters, total: patch.safetensors.total ?? Object.values(patch.safetensors.parameters).reduce((a, b) => a + b, 0) };
  if (patch.downloadsAllTime === undefined) m.downloadsAllTime = Math.max(created ? 0 : prev.downloadsAllTime, m.downloads);
  if (patch.configJson && patch.config === undefined) {
    const tokenizer = prev.config?.tokenizer_config;
    m.config = { ...apiConfigOf(patch.configJson), ...(tokenizer ? { tokenizer_config: tokenizer } : {}) };
  }

  if (patch.tags === undefined) {
    if (created) m.tags = derivedTags(m);
    else {
      let tags = retag(prev.tags, prev.pipeline_tag, m.pipeline_tag);
      tags = retag(tags, prev.library_name, m.library_name);
      m.tags = retag(tags, licenseTag(licenseOf(prev)), licenseTag(licenseOf(m)));
    }
  }

  let siblings: Sibling[];
  if (patch.siblings) siblings = sortSiblings(patch.siblings.map((s) => ({ rfilename: s.rfilename, size: s.size ?? 1024 })));
  else if (created) siblings = derivedSiblings(m);
  else siblings = m.configJson && !prev.siblings.some((s) => s.rfilename === "config.json") ? sortSiblings([...prev.siblings, { rfilename: "config.json", size: 1024 }]) : prev.siblings;
  m.siblings = siblings;
  if (patch.usedStorage === undefined && siblings !== prev.siblings) m.usedStorage = storageOf(siblings);

  if (JSON.stringify(m).length > MAX_MODEL_JSON) return { ok: false, status: 400, message: `The model record exceeds ${MAX_MODEL_JSON} characters` };
  const rank = current?.rank ?? SAMPLE_MODELS.length + overlay.created;
  return { ok: true, created, entry: { model: m, rank }, createdCount: overlay.created + (created ? 1 : 0) };
}

/** The overlay entry a DELETE leaves (a tombstone for sample models, nothing for created ones), or undefined when there is no such model. */
export function deleteModel(overlay: HubOverlay, id: string): { key: string; entry: OverlayEntry | null } | undefined {
  const current = currentModel(overlay, id);
  if (!current) return undefined;
  return { key: id.toLowerCase(), entry: sampleIndexOf(id) === undefined ? null : { deleted: true } };
}

/** A new overlay with `key`'s entry set (null: removed); the old one is left as it was. */
export function withEntry(overlay: HubOverlay, key: string, entry: OverlayEntry | null, version: string, createdCount = overlay.created): HubOverlay {
  const models = new Map(overlay.models);
  if (entry) models.set(key, entry);
  else models.delete(key);
  return { ...overlay, version, models, created: createdCount };
}

// ---- malformed listing entries

export const malformedInput = z
  .object({
    count: z.number().int().min(1).max(1000).optional(),
    position: z.enum(["first", "last"]).optional(),
  })
  .strict();

/** What each malformed entry is, in the order they cycle. */
export const MALFORMED_KINDS = ["object without id", "numeric id", "null", "string", "array"] as const;

/** `count` entries a client must refuse: objects without a string `id`, and non-objects. */
export function malformedEntries(count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => {
    const _id = hexOf(`malformed:${i}`, 24);
    switch (i % MALFORMED_KINDS.length) {
      case 0: return { _id, likes: 0, private: false, downloads: 0, tags: [], lastModified: "2026-01-01T00:00:00.000Z" };
      case 1: return { _id, id: 1_000_000 + i, likes: 0, private: false, downloads: 0 };
      case 2: return null;
      case 3: return `sandbox malformed entry ${i}`;
      default: return [{ _id, id: `sandbox-malformed/entry-${i}` }];
    }
  });
}

/** A listing page with the malformed entries at the start of the first page or the end of the last. */
export function withMalformed(items: unknown[], spec: MalformedSpec | null, page: { first: boolean; last: boolean }): unknown[] {
  if (!spec) return items;
  if (spec.position === "first" && page.first) return [...malformedEntries(spec.count), ...items];
  if (spec.position === "last" && page.last) return [...items, ...malformedEntries(spec.count)];
  return items;
}

/** A summary of the overlay for GET /_control/hf. */
export function describeOverlay(overlay: HubOverlay): { models: Array<{ id: string; status: "created" | "changed" | "deleted"; lastModified?: string }>; malformed: MalformedSpec | null } {
  const models = [...overlay.models.entries()].map(([key, e]) => {
    if (e.deleted) return { id: SAMPLE_MODELS[sampleIndexOf(key) ?? -1]?.id ?? key, status: "deleted" as const };
    return { id: e.model.id, status: e.rank >= SAMPLE_MODELS.length ? ("created" as const) : ("changed" as const), lastModified: e.model.lastModified };
  });
  return { models, malformed: overlay.malformed };
}
