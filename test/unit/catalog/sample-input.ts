import type { CategoryInput } from "../../../workers/catalog/categories";
import { SAMPLE_MODELS } from "../../../workers/sandbox/huggingface/sample";
import type { HubModel } from "../../../workers/sandbox/huggingface/types";

/** A real Hub record from the shipped sample (465 models captured from huggingface.co). */
export function sampleHub(id: string): HubModel {
  const m = SAMPLE_MODELS.find((x) => x.id === id);
  if (!m) throw new Error(`${id} is not in workers/sandbox/huggingface/sample-models.json`);
  return m;
}

/** What the catalog mirror keeps of a Hub listing entry, read the way mirror-row.ts reads it. */
export function categoryInput(m: HubModel): CategoryInput {
  const archs = (m.config as { architectures?: unknown } | undefined)?.architectures;
  return {
    id: m.id,
    task: m.pipeline_tag ?? null,
    tags: m.tags,
    architecture: Array.isArray(archs) && typeof archs[0] === "string" ? archs[0] : null,
    library: m.library_name ?? null,
    params: m.safetensors?.total ?? null,
  };
}

export const sampleInput = (id: string) => categoryInput(sampleHub(id));
