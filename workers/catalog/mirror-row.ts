import { categorize, deployableMask, sizeBucket, type Category, type SizeBucket } from "./categories";

/**
 * One Hub listing entry -> one catalog row (pure). The Hub's JSON is taken as untrusted: an entry that is
 * not an object, has no string id of the form owner/name, or carries fields of the wrong type is refused
 * with a reason (the sync counts those), never half-written.
 */
export interface CatalogRow {
  id: string;
  author: string;
  task: string | null;
  library: string | null;
  license: string | null;
  tags: string[];
  downloads: number;
  likes: number;
  trending: number;
  createdAt: number | null;
  modifiedAt: number | null;
  gated: 0 | 1 | 2;
  params: number | null;
  contextLength: number | null;
  architecture: string | null;
  sizeBucket: SizeBucket;
  categories: Category[];
  deployable: number;
}

export type RowResult = { ok: true; row: CatalogRow } | { ok: false; reason: string };

const HF_ID = /^[A-Za-z0-9][\w.-]{0,95}\/[\w.-]{1,96}$/;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

function time(v: unknown): number | null {
  if (typeof v !== "string" && typeof v !== "number") return null;
  const t = new Date(v).getTime();
  return Number.isFinite(t) ? t : null;
}

function gatedOf(v: unknown): 0 | 1 | 2 {
  return v === "manual" ? 2 : v === "auto" || v === true ? 1 : 0;
}

/** The parameter count from `safetensors.total` (what the Hub computes from the weight files). */
function paramsOf(v: unknown): number | null {
  if (!isObj(v)) return null;
  const total = v.total;
  return typeof total === "number" && Number.isFinite(total) && total > 0 ? Math.round(total) : null;
}

function licenseOf(item: Record<string, unknown>, tags: string[]): string | null {
  const card = isObj(item.cardData) ? str(item.cardData.license) : null;
  if (card) return card.toLowerCase();
  const tag = tags.find((t) => t.startsWith("license:"));
  return tag ? tag.slice("license:".length).toLowerCase() : null;
}

function contextOf(config: unknown): number | null {
  if (!isObj(config)) return null;
  for (const c of [config, isObj(config.text_config) ? config.text_config : undefined]) {
    if (!c) continue;
    for (const k of ["max_position_embeddings", "max_seq_len", "seq_length", "n_positions", "max_sequence_length"]) {
      const v = c[k];
      if (typeof v === "number" && Number.isFinite(v) && v > 0) return Math.round(v);
    }
  }
  return null;
}

/** `item` is one element of the Hub's /api/models array (raw JSON, any expand set). */
export function catalogRow(item: unknown): RowResult {
  if (!isObj(item)) return { ok: false, reason: "not an object" };
  const id = item.id ?? item.modelId;
  if (typeof id !== "string") return { ok: false, reason: "no string id" };
  if (!HF_ID.test(id)) return { ok: false, reason: `id '${id.slice(0, 100)}' is not owner/name` };
  if (item.tags !== undefined && !Array.isArray(item.tags)) return { ok: false, reason: `${id}: tags is not an array` };
  const tags = ((item.tags as unknown[] | undefined) ?? []).filter((t): t is string => typeof t === "string").slice(0, 200);
  const config = isObj(item.config) ? item.config : undefined;
  const architecture = config && Array.isArray(config.architectures) && typeof config.architectures[0] === "string" ? config.architectures[0] : null;
  const task = str(item.pipeline_tag);
  const library = str(item.library_name);
  const params = paramsOf(item.safetensors);
  const author = str(item.author) ?? id.split("/")[0]!;
  return {
    ok: true,
    row: {
      id,
      author,
      task,
      library,
      license: licenseOf(item, tags),
      tags,
      downloads: count(item.downloads),
      likes: count(item.likes),
      trending: count(item.trendingScore),
      createdAt: time(item.createdAt),
      modifiedAt: time(item.lastModified),
      gated: gatedOf(item.gated),
      params,
      contextLength: contextOf(item.configJson ?? config),
      architecture,
      sizeBucket: sizeBucket(params),
      categories: categorize({ id, task, tags, architecture, library, params }),
      deployable: deployableMask({ task, architecture, tags }),
    },
  };
}
