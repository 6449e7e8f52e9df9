/**
 * What the playground's model picker shows (pure): /v1/models' entries for the workspace, reduced to a
 * name, where it runs and its price per million tokens in dollars.
 */
export type PlaygroundModelKind = "deployment" | "bridge" | "western";

export interface PlaygroundModel {
  id: string;
  kind: PlaygroundModelKind;
  /** For a deployment, the Hugging Face model it serves. */
  servedModel?: string;
  inputPerMillionUsd: number | null;
  outputPerMillionUsd: number | null;
}

interface ListedModel {
  id?: unknown;
  owned_by?: unknown;
  served_model?: unknown;
  pricing?: { input_per_million_usd?: unknown; output_per_million_usd?: unknown };
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

export function toPlaygroundModels(listed: ReadonlyArray<Record<string, unknown>>): PlaygroundModel[] {
  return listed.map((raw) => {
    const m = raw as ListedModel;
    const kind: PlaygroundModelKind = m.owned_by === "runpod" ? "deployment" : m.owned_by === "bridge" ? "bridge" : "western";
    return {
      id: String(m.id),
      kind,
      ...(typeof m.served_model === "string" ? { servedModel: m.served_model } : {}),
      inputPerMillionUsd: num(m.pricing?.input_per_million_usd),
      outputPerMillionUsd: num(m.pricing?.output_per_million_usd),
    };
  });
}
