import { hexOf } from "./hash";
import type { ExpandKey } from "./query";
import { SAMPLE_CHILDREN } from "./sample";
import type { HubModel } from "./types";

/**
 * Which properties of a model a response carries: list items by default, with `full`, `config`,
 * `cardData`, or exactly the `expand`ed ones (plus `_id` and `id`); model info likewise.
 */

type Field = ExpandKey | "_id" | "id" | "modelId";

/** `curl /api/models?limit=1` (2026 capture): _id, id, likes, trendingScore, private, downloads, tags, ... */
const LIST_DEFAULT: Field[] = ["_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag", "library_name", "createdAt", "modelId"];
const LIST_FULL: Field[] = ["_id", "id", "author", "gated", "lastModified", "likes", "trendingScore", "private", "sha", "downloads", "tags", "pipeline_tag", "library_name", "createdAt", "modelId", "siblings"];
const INFO_DEFAULT: Field[] = [
  "_id", "id", "private", "pipeline_tag", "library_name", "tags", "downloads", "likes", "modelId", "author", "sha", "lastModified", "gated",
  "disabled", "mask_token", "widgetData", "model-index", "config", "cardData", "transformersInfo", "siblings", "spaces", "createdAt",
  "safetensors", "gguf", "inference", "inferenceProviderMapping", "usedStorage",
];

function baseRelation(m: HubModel): string {
  const tag = m.tags.find((t) => /^base_model:[a-z]+:/.test(t));
  return tag?.split(":")[1] ?? "finetune";
}

function value(m: HubModel, field: Field): unknown {
  switch (field) {
    case "modelId": return m.id;
    case "siblings": return m.siblings.map((s) => ({ rfilename: s.rfilename }));
    case "spaces": return [];
    case "evalResults": return [];
    case "widgetData": return undefined;
    case "model-index": return undefined;
    case "resourceGroup": return undefined;
    case "gitalyUid": return hexOf(`gitaly:${m.id}`, 64);
    case "childrenModelCount": return SAMPLE_CHILDREN.get(m.id.toLowerCase()) ?? 0;
    case "baseModels": {
      const base = m.cardData.base_model;
      return typeof base === "string" ? { relation: baseRelation(m), models: [{ id: base }] } : undefined;
    }
    case "inference": return m.inferenceProviderMapping?.some((p) => p.status === "live") ? "warm" : undefined;
    case "inferenceProviderMapping": return m.inferenceProviderMapping ?? [];
    default: return (m as unknown as Record<string, unknown>)[field];
  }
}

function pick(m: HubModel, fields: Field[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = value(m, f);
    if (v !== undefined) out[f] = v;
  }
  return out;
}

export interface Projection {
  full?: boolean;
  config?: boolean;
  cardData?: boolean;
  expand?: ExpandKey[] | undefined;
}

export function listItem(m: HubModel, p: Projection): Record<string, unknown> {
  if (p.expand) return pick(m, ["_id", "id", ...p.expand]);
  const fields = [...(p.full ? LIST_FULL : LIST_DEFAULT)];
  if (p.config) fields.push("config");
  if (p.cardData) fields.push("cardData");
  return pick(m, fields);
}

export function modelInfo(m: HubModel, expand: ExpandKey[] | undefined): Record<string, unknown> {
  return pick(m, expand ? ["_id", "id", ...expand] : INFO_DEFAULT);
}
