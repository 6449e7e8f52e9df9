/**
 * The OpenAI stand-in's model catalog. A request may name a listed id or a listed id followed by a
 * "-suffix" (dated snapshots like `gpt-4o-2024-08-06`, and test-scoped names like `gpt-4o-mini-cut-1`
 * so fault rules can match one test's requests); anything else is `model_not_found`, as on OpenAI.
 */
export type ModelKind = "chat" | "reasoning" | "completion" | "embedding";

export const OPENAI_MODELS: ReadonlyArray<{ id: string; kind: ModelKind; created: number; dims?: number }> = [
  { id: "gpt-5", kind: "reasoning", created: 1754425777 },
  { id: "gpt-5-mini", kind: "reasoning", created: 1754425928 },
  { id: "gpt-5-nano", kind: "reasoning", created: 1754426384 },
  { id: "gpt-4.1", kind: "chat", created: 1744316542 },
  { id: "gpt-4.1-mini", kind: "chat", created: 1744318173 },
  { id: "gpt-4.1-nano", kind: "chat", created: 1744321707 },
  { id: "gpt-4o", kind: "chat", created: 1715367049 },
  { id: "gpt-4o-mini", kind: "chat", created: 1721172741 },
  { id: "gpt-3.5-turbo", kind: "chat", created: 1677610602 },
  { id: "o3", kind: "reasoning", created: 1744225308 },
  { id: "o3-mini", kind: "reasoning", created: 1737146383 },
  { id: "o4-mini", kind: "reasoning", created: 1744225351 },
  { id: "gpt-3.5-turbo-instruct", kind: "completion", created: 1692901427 },
  { id: "davinci-002", kind: "completion", created: 1692634301 },
  { id: "babbage-002", kind: "completion", created: 1692634615 },
  { id: "text-embedding-3-small", kind: "embedding", created: 1705948997, dims: 1536 },
  { id: "text-embedding-3-large", kind: "embedding", created: 1705953180, dims: 3072 },
  { id: "text-embedding-ada-002", kind: "embedding", created: 1671217299, dims: 1536 },
];

export const OPENAI_MODEL_IDS = OPENAI_MODELS.map((m) => m.id);

/** The listed model a requested id stands for: exact, else the longest listed id it extends with "-...". */
export function resolveModel(requested: string, ids: readonly string[], allowSuffix: boolean): string | undefined {
  if (ids.includes(requested)) return requested;
  if (!allowSuffix) return undefined;
  let best: string | undefined;
  for (const id of ids) if (requested.startsWith(`${id}-`) && (!best || id.length > best.length)) best = id;
  return best;
}

export function openAiModelInfo(id: string) {
  return OPENAI_MODELS.find((m) => m.id === id);
}
