import { safetensorsBytes } from "./arch";
import type { Gated, HubModel } from "./types";

/**
 * What listing needs to filter and order a model without building its full record: the generated
 * catalog produces these cheaply for every scanned index and the full record only for returned ones.
 */
export interface ModelLite {
  id: string;
  author: string;
  pipeline_tag?: string | undefined;
  library_name?: string | undefined;
  tags: string[];
  gated: Gated;
  downloads: number;
  likes: number;
  trendingScore: number;
  /** Epoch milliseconds (kept numeric: scans compare them, only returned models need ISO strings). */
  createdAtMs: number;
  lastModifiedMs: number;
  /** Parameter count (safetensors or GGUF total), -1 when unknown. */
  params: number;
  /** Bytes of the main weights, for `sort=mainSize`. */
  size: number;
  providers: string[];
}

export function liteOf(m: HubModel): ModelLite {
  const params = m.safetensors?.total ?? m.gguf?.total ?? -1;
  const size = m.safetensors ? safetensorsBytes(m.safetensors) : m.usedStorage;
  return {
    id: m.id, author: m.author, pipeline_tag: m.pipeline_tag, library_name: m.library_name, tags: m.tags, gated: m.gated,
    downloads: m.downloads, likes: m.likes, trendingScore: m.trendingScore, createdAtMs: Date.parse(m.createdAt), lastModifiedMs: Date.parse(m.lastModified),
    params, size, providers: (m.inferenceProviderMapping ?? []).filter((p) => p.status === "live").map((p) => p.provider),
  };
}
