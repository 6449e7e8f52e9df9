import { beforeAll, describe, expect, inject, it } from "vitest";
import { encodeCursor, pageSql, parseSearchQuery, searchWords, SORTS, type SortKey } from "../../workers/catalog/search-query";
import { query } from "./auth-client";
import { catalogReady } from "./catalog-ready";

/**
 * The windowed scan (search-query.ts) on the platform's own D1, against a brute-force reading of the same
 * rows: with windows far smaller than the synced sample, the window's far end falls inside the catalog (and
 * inside runs of equal sort values), which the 500k benchmark exercises but the sample otherwise never would.
 * A page must be exactly the first `limit` matches among the first `window` rows of the sort order after
 * the cursor.
 */
const platform = inject("platformUrl");

interface Row {
  rowid: number;
  trending: number;
  downloads: number;
  likes: number;
  modified_at: number;
  search_text: string;
  task: string | null;
}
let rows: Row[] = [];

beforeAll(async () => {
  await catalogReady(platform);
  rows = await query<Row>("SELECT rowid, trending, downloads, likes, modified_at, search_text, task FROM hf_model");
}, 60_000);

function expected(sort: SortKey, words: string[], task: string | undefined, window: number, limit: number, cursor?: { value: number; rowid: number }): number[] {
  const col = SORTS[sort] as keyof Row;
  const ordered = [...rows].sort((a, b) => Number(b[col]) - Number(a[col]) || b.rowid - a.rowid);
  const after = cursor ? ordered.filter((r) => Number(r[col]) < cursor.value || (Number(r[col]) === cursor.value && r.rowid < cursor.rowid)) : ordered;
  return after
    .slice(0, window)
    .filter((r) => words.every((w, i) => r.search_text.includes(i === words.length - 1 ? ` ${w}` : ` ${w} `)) && (task === undefined || r.task === task))
    .slice(0, limit)
    .map((r) => r.rowid);
}

describe("windowed scan", () => {
  const cases: { q: string; sort: SortKey; task?: string; window: number; limit: string }[] = [
    { q: "qwen", sort: "trending", window: 7, limit: "5" },
    { q: "qwen", sort: "trending", window: 60, limit: "5" },
    { q: "instruct", sort: "downloads", window: 150, limit: "10" },
    { q: "llama", sort: "likes", task: "text-generation", window: 90, limit: "3" },
    { q: "b", sort: "recent", window: 40, limit: "20" },
    { q: "qwen", sort: "trending", window: 100_000, limit: "8" },
  ];
  for (const c of cases) {
    it(`'${c.q}' by ${c.sort}${c.task ? ` in ${c.task}` : ""}, window ${c.window}: the first matches of the window, in order, and on through a cursor`, async () => {
      const parsed = parseSearchQuery({ q: c.q, sort: c.sort, limit: c.limit, ...(c.task ? { task: c.task } : {}) });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const words = searchWords(c.q);
      const limit = Number(c.limit) + 1;
      const first = pageSql(parsed.query, "scan", c.window);
      const got = (await query<{ rowid: number }>(first.sql, first.params)).map((r) => r.rowid);
      expect(got).toEqual(expected(c.sort, words, c.task, c.window, limit));
      // Page two starts after the last row of page one; its window counts from there.
      const last = rows.find((r) => r.rowid === got.at(-1));
      if (!last) return;
      const col = SORTS[c.sort] as keyof Row;
      const cursor = { value: Number(last[col]), rowid: last.rowid };
      const next = parseSearchQuery({ q: c.q, sort: c.sort, limit: c.limit, cursor: encodeCursor(cursor.value, cursor.rowid), ...(c.task ? { task: c.task } : {}) });
      if (!next.ok) throw new Error(JSON.stringify(next.errors));
      const second = pageSql(next.query, "scan", c.window);
      expect((await query<{ rowid: number }>(second.sql, second.params)).map((r) => r.rowid)).toEqual(expected(c.sort, words, c.task, c.window, limit, cursor));
    });
  }
});
