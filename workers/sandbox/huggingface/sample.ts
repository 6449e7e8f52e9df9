import data from "./sample-models.json";
import type { ModelLite } from "./lite";
import { liteOf } from "./lite";
import type { HubModel } from "./types";

/**
 * The shipped sample catalog (written by scripts/hf-sample-models.ts), sorted by downloads descending.
 * Parsed once per isolate; lookups by id are case-insensitive like the Hub's.
 */
export const SAMPLE_MODELS: readonly HubModel[] = data as unknown as HubModel[];

export const SAMPLE_LITE: readonly ModelLite[] = SAMPLE_MODELS.map(liteOf);

const byId = new Map(SAMPLE_MODELS.map((m, i) => [m.id.toLowerCase(), i]));

export function sampleIndexOf(id: string): number | undefined {
  return byId.get(id.toLowerCase());
}

/** How many sample repositories name each model as their base (the Hub's `childrenModelCount`). */
export const SAMPLE_CHILDREN: ReadonlyMap<string, number> = (() => {
  const counts = new Map<string, number>();
  for (const m of SAMPLE_MODELS) {
    const base = m.cardData.base_model;
    if (typeof base === "string") counts.set(base.toLowerCase(), (counts.get(base.toLowerCase()) ?? 0) + 1);
  }
  return counts;
})();
