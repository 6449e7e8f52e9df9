import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { upsertRowIfNotOlder } from "../../workers/catalog/mirror";
import { catalogRow, type CatalogRow } from "../../workers/catalog/mirror-row";

/** The Hub webhook's write (workers/catalog/mirror.ts): never an older revision over a newer one. */
function row(lastModified: string, downloads: number, pipeline_tag: string): CatalogRow {
  const r = catalogRow({ id: "hook-mirror/Tiny-1B", pipeline_tag, library_name: "transformers", downloads, lastModified, createdAt: "2026-01-01T00:00:00Z" });
  if (!r.ok) throw new Error(r.reason);
  return r.row;
}

const stored = () => env.DB.prepare("SELECT downloads, task, modified_at FROM hf_model WHERE id = 'hook-mirror/Tiny-1B'").first<{ downloads: number; task: string; modified_at: number }>();
const categories = async () => (await env.DB.prepare("SELECT category FROM hf_model_category WHERE model_id = 'hook-mirror/Tiny-1B' ORDER BY category").all<{ category: string }>()).results.map((r) => r.category);

beforeEach(async () => {
  await env.DB.batch([env.DB.prepare("DELETE FROM hf_model_category"), env.DB.prepare("DELETE FROM hf_model")]);
});

describe("upsertRowIfNotOlder", () => {
  it("writes a new or newer revision with its categories, and leaves a newer one alone with its categories", async () => {
    const chat = row("2026-11-02T00:00:00Z", 10, "text-generation");
    expect(await upsertRowIfNotOlder(env.DB, chat, 1)).toBe(true);
    expect(await stored()).toMatchObject({ downloads: 10, task: "text-generation", modified_at: Date.parse("2026-11-02T00:00:00Z") });
    const chatCategories = await categories();
    expect(chatCategories.length).toBeGreaterThan(0);

    // Older: nothing changes, not even the category rows.
    const older = row("2026-11-01T00:00:00Z", 99, "feature-extraction");
    expect(await upsertRowIfNotOlder(env.DB, older, 1)).toBe(false);
    expect(await stored()).toMatchObject({ downloads: 10, task: "text-generation" });
    expect(await categories()).toEqual(chatCategories);

    // The same revision again (counters moved) and a newer one are written, categories follow.
    expect(await upsertRowIfNotOlder(env.DB, row("2026-11-02T00:00:00Z", 12, "text-generation"), 1)).toBe(true);
    expect((await stored())!.downloads).toBe(12);
    const embed = row("2026-11-03T00:00:00Z", 13, "feature-extraction");
    expect(await upsertRowIfNotOlder(env.DB, embed, 1)).toBe(true);
    expect(await stored()).toMatchObject({ downloads: 13, task: "feature-extraction" });
    expect(await categories()).toEqual([...embed.categories].sort());
    expect(await categories()).not.toEqual(chatCategories);
  });
});
