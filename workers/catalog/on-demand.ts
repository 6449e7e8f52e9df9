import { HubApiError, modelInfo, type ModelEntry } from "@huggingface/hub";
import { loadSyncState, upsertRows } from "./mirror";
import { catalogRow, type CatalogRow } from "./mirror-row";

/**
 * A model the mirror does not have yet (new on the Hub since the last sync, or beyond the backfill so
 * far) is fetched with `@huggingface/hub`'s modelInfo when someone asks for it, and mirrored at once.
 * The Hub webhook (hub-webhook-routes.ts) reads through the same fetch, then decides whether to write.
 */
const FIELDS = ["author", "tags", "library_name", "createdAt", "safetensors", "config", "cardData", "trendingScore", "sha"] as const;

export type HubFetch =
  | { ok: true; row: CatalogRow; sha: string | null; private: boolean }
  | { ok: false; status: 404 | 502 | 503; message: string };

export type OnDemand = { ok: true; row: CatalogRow } | { ok: false; status: 404 | 502 | 503; message: string };

/** The Hub's current entry for `id` as a catalog row, with its head commit (`sha`); nothing is written. */
export async function fetchHubModel(hub: { baseUrl: string; apiKey: string | undefined }, id: string): Promise<HubFetch> {
  let entry: ModelEntry & Record<string, unknown>;
  try {
    const base = (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      if (hub.apiKey) headers.set("authorization", `Bearer ${hub.apiKey}`);
      return fetch(input, { ...init, headers });
    };
    entry = (await modelInfo({ name: id, hubUrl: hub.baseUrl, additionalFields: FIELDS as unknown as ("author" | "tags")[], fetch: base })) as unknown as ModelEntry & Record<string, unknown>;
  } catch (err) {
    if (err instanceof HubApiError) {
      if (err.statusCode === 404 || err.statusCode === 401) return { ok: false, status: 404, message: `No model '${id}' on the Hugging Face Hub` };
      if (err.statusCode === 429 || err.statusCode >= 500) return { ok: false, status: 503, message: `The Hugging Face Hub did not answer for ${id}; try again shortly` };
      return { ok: false, status: 502, message: `The Hugging Face Hub refused the request for ${id}: ${err.message}` };
    }
    return { ok: false, status: 503, message: `The Hugging Face Hub is unreachable: ${err instanceof Error ? err.message : String(err)}` };
  }
  const updatedAt = entry.updatedAt instanceof Date && !Number.isNaN(entry.updatedAt.getTime()) ? entry.updatedAt.toISOString() : undefined;
  const row = catalogRow({ ...entry, id: entry.name, pipeline_tag: entry.task, lastModified: updatedAt });
  if (!row.ok) return { ok: false, status: 502, message: `The Hub's entry for ${id} is malformed (${row.reason})` };
  return { ok: true, row: row.row, sha: typeof entry.sha === "string" ? entry.sha : null, private: entry.private === true };
}

export async function fetchAndMirror(db: D1Database, hub: { baseUrl: string; apiKey: string | undefined }, id: string): Promise<OnDemand> {
  const fetched = await fetchHubModel(hub, id);
  if (!fetched.ok) return fetched;
  const pass = Math.max(1, (await loadSyncState(db, "backfill")).pass);
  await upsertRows(db, [fetched.row], pass);
  return { ok: true, row: fetched.row };
}
