import { describe, expect, it } from "vitest";
import { BROAD, choosePlan, countFacets, FACET_SAMPLE, FACET_WINDOW, facetScanFits, scanDepthSql, searchText, decodeCursor, encodeCursor, facetRowsSql, ftsMatch, pageSql, parseSearchQuery, type GlobalFacets } from "../../../workers/catalog/search-query";

describe("catalog search queries", () => {
  it("parses filters, sorts, limits and cursors, and says what is wrong with bad ones", () => {
    const ok = parseSearchQuery({ q: "llama 3", task: "text-generation", license: "Apache-2.0", size: "small", deployable: "vllm", gated: "false", sort: "likes", limit: "50", facets: "true" });
    expect(ok).toEqual({
      ok: true,
      query: { q: "llama 3", task: "text-generation", license: "apache-2.0", size: "small", deployable: "vllm", gated: false, sort: "likes", limit: 50, facets: true },
    });
    const bad = parseSearchQuery({ sort: "random", limit: "500", size: "gigantic", gated: "maybe", cursor: "!!", task: "drop table;", surprise: "1" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.param).sort()).toEqual(["cursor", "gated", "limit", "size", "sort", "surprise", "task"]);
    expect(parseSearchQuery({})).toEqual({ ok: true, query: { sort: "trending", limit: 20, facets: false } });
  });

  it("never hands user text to FTS5 as syntax", () => {
    // One-character words are tested on search_text, not looked up in FTS5 (their doclists are huge).
    expect(ftsMatch("Llama-3.1 8B")).toBe('"llama" "8b"*');
    expect(ftsMatch("3 1")).toBe('"3" "1"*');
    expect(ftsMatch('qwen" OR *')).toBe('"qwen" "or"*');
    expect(ftsMatch("  --  ")).toBeUndefined();
    expect(ftsMatch("mistral")).toBe('"mistral"*');
  });

  it("round-trips keyset cursors and refuses forged ones", () => {
    expect(decodeCursor(encodeCursor(12345, 99))).toEqual({ value: 12345, rowid: 99 });
    expect(decodeCursor("bm9wZQ")).toBeUndefined();
    expect(decodeCursor(encodeCursor(5, 0))).toBeUndefined();
  });

  it("seeks few matches and scans the sort index for many, with the same filters either way", () => {
    const parsed = parseSearchQuery({ q: "qwen", task: "text-generation", category: "code", sort: "downloads", cursor: encodeCursor(100, 7) });
    if (!parsed.ok) throw new Error("parse");
    const seek = pageSql(parsed.query, "seek");
    expect(seek.sql).toContain("JOIN hf_model_category c ON c.model_id = m.id AND c.category = ?");
    expect(seek.sql).toContain("m.rowid IN (SELECT rowid FROM hf_model_fts WHERE hf_model_fts MATCH ?)");
    expect(seek.sql).toContain("(m.downloads < ? OR (m.downloads = ? AND m.rowid < ?))");
    expect(seek.sql).toMatch(/ORDER BY \+m\.downloads DESC, m\.rowid DESC LIMIT \?$/);
    expect(seek.params).toEqual(["code", '"qwen"*', "text-generation", 100, 100, 7, 21]);
    const scan = pageSql(parsed.query, "scan");
    expect(scan.sql).toContain("FROM hf_model m INDEXED BY hf_model_downloads_idx");
    expect(scan.sql).not.toContain("hf_model_fts");
    expect(scan.sql).toContain("instr(m.search_text, ?) > 0");
    expect(scan.sql).toContain("m.categories LIKE ?");
    expect(scan.params).toEqual([" qwen", "text-generation", "%,code,%", 100, 100, 7, 21]);
    const facets = facetRowsSql(parsed.query, "scan");
    expect(facets.sql).not.toContain("m.downloads < ?"); // facets ignore the page cursor
    expect(facets.params.at(-1)).toBe(FACET_SAMPLE + 1);
    expect(facets.sql).toContain("ORDER BY m.downloads DESC"); // a scan samples the top of the order
    const seekFacets = facetRowsSql(parsed.query, "seek");
    expect(seekFacets.sql).not.toContain("ORDER BY"); // a seek's sample is its first matches, unsorted
    expect(seekFacets.params.at(-1)).toBe(FACET_SAMPLE + 1);
  });

  it("samples facets by scanning only when the page's density says the sample is near", () => {
    // 20 matches in the first 100 rows: 501 matches in about 2,500 rows, well inside the window.
    expect(facetScanFits(20, 100)).toBe(true);
    // 20 matches took 3,000 rows (a narrow query deep in a catalog of its fine-tunes): 75,000 rows to walk.
    expect(facetScanFits(20, 3000)).toBe(false);
    // The edge: the predicted walk plus a quarter must fit the window.
    const edge = Math.floor((FACET_WINDOW / 1.25) * (20 / (FACET_SAMPLE + 1)));
    expect(facetScanFits(20, edge)).toBe(true);
    expect(facetScanFits(20, edge + 2)).toBe(false);
    expect(facetScanFits(0, 10)).toBe(false);
  });

  it("counts a page's depth on the sort index, from its cursor when it has one", () => {
    const first = parseSearchQuery({ sort: "recent" });
    if (!first.ok) throw new Error("parse");
    const top = scanDepthSql(first.query, { value: 50, rowid: 9 });
    expect(top.sql).toContain("INDEXED BY hf_model_modified_idx WHERE modified_at > ?");
    expect(top.sql).toContain("modified_at = ? AND rowid >= ?");
    expect(top.params).toEqual([50, 50, 9]);
    const later = parseSearchQuery({ sort: "recent", cursor: encodeCursor(80, 4) });
    if (!later.ok) throw new Error("parse");
    expect(scanDepthSql(later.query, { value: 50, rowid: 9 }).params).toEqual([50, 50, 9, 80, 80, 4]);
  });

  it("tests words in a broad scan exactly as the FTS expression means them", () => {
    const text = searchText("Qwen/Qwen2.5-Coder-7B-Instruct", "Qwen", ["text-generation", "code", "license:apache-2.0"]);
    expect(text).toBe(" qwen qwen2 5 coder 7b instruct qwen text generation code license apache 2 0 ");
    const parsed = parseSearchQuery({ q: "Coder 7", sort: "likes" });
    if (!parsed.ok) throw new Error("parse");
    const scan = pageSql(parsed.query, "scan");
    expect(scan.params.slice(0, 2)).toEqual([" coder ", " 7"]); // whole word, then a prefix
    expect(text.includes(" coder ") && text.includes(" 7")).toBe(true);
    expect(text.includes(" code ")).toBe(true);
    expect(text.includes(" cod ")).toBe(false);
  });

  it("chooses the plan from the text's match count or the filters' catalog-wide shares", () => {
    const q = (p: Record<string, string>) => {
      const r = parseSearchQuery(p);
      if (!r.ok) throw new Error("parse");
      return r.query;
    };
    const global: GlobalFacets = { total: 100_000, task: { "text-generation": 60_000, "text-to-image": 500 }, library: {}, license: { mit: 30_000 }, size: {}, gated: { open: 98_000, gated: 2_000 }, deployable: { vllm: 50_000 }, category: { code: 8_000 } };
    expect(choosePlan(q({ q: "llama" }), { ftsMatches: BROAD })).toBe("scan");
    expect(choosePlan(q({ q: "qwen coder" }), { ftsMatches: 40 })).toBe("seek");
    expect(choosePlan(q({ task: "text-generation" }), { global })).toBe("scan");
    expect(choosePlan(q({ task: "text-to-image" }), { global })).toBe("seek");
    // 100k × 0.6 × 0.08 × 0.3 = 1,440 expected: few enough to seek.
    expect(choosePlan(q({ task: "text-generation", category: "code", license: "mit" }), { global })).toBe("seek");
    expect(choosePlan(q({ task: "text-generation", author: "Qwen" }), { global })).toBe("seek");
    expect(choosePlan(q({ task: "text-generation" }), {})).toBe("seek");
  });

  it("counts facets over rows of facet columns", () => {
    const f = countFacets([
      { task: "text-generation", library: "transformers", license: "mit", size_bucket: "small", gated: 0, deployable: 3, categories: ",chat,code," },
      { task: "text-generation", library: "gguf", license: null, size_bucket: "small", gated: 2, deployable: 0, categories: ",chat," },
    ]);
    expect(f.task).toEqual([{ value: "text-generation", count: 2 }]);
    expect(f.category).toEqual([{ value: "chat", count: 2 }, { value: "code", count: 1 }]);
    expect(f.deployable).toEqual([{ value: "sglang", count: 1 }, { value: "vllm", count: 1 }]);
    expect(f.gated).toEqual([{ value: "gated", count: 1 }, { value: "open", count: 1 }]);
    expect(f.license).toEqual([{ value: "mit", count: 1 }]);
  });

  it("checks one-character words on search_text in a seek", () => {
    const parsed = parseSearchQuery({ q: "qwen2.5 coder 7b" });
    if (!parsed.ok) throw new Error("parse");
    const seek = pageSql(parsed.query, "seek");
    expect(seek.params.slice(0, 2)).toEqual(['"qwen2" "coder" "7b"*', " 5 "]);
    expect(seek.sql).toContain("instr(m.search_text, ?) > 0");
  });

  it("windows an optimistic scan: the keyset inside the window, the filters outside", () => {
    const parsed = parseSearchQuery({ q: "llama", task: "text-generation", sort: "likes", cursor: encodeCursor(9, 3) });
    if (!parsed.ok) throw new Error("parse");
    const w = pageSql(parsed.query, "scan", 10_000);
    // The window's far end: the 10,000th row from the cursor, found on the sort index alone.
    expect(w.sql).toContain("WITH b AS MATERIALIZED (SELECT m.likes AS v, m.rowid AS r FROM hf_model m INDEXED BY hf_model_likes_idx WHERE m.likes <= ? AND (m.likes < ? OR (m.likes = ? AND m.rowid < ?)) ORDER BY m.likes DESC, m.rowid DESC LIMIT 1 OFFSET ?)");
    // Then one walk of the same index from the cursor to that row, filters applied, in index order.
    expect(w.sql).toContain("FROM hf_model m INDEXED BY hf_model_likes_idx WHERE m.likes <= ? AND (m.likes < ? OR (m.likes = ? AND m.rowid < ?)) AND m.likes >= coalesce((SELECT v FROM b), -9223372036854775808)");
    expect(w.sql).toMatch(/AND instr\(m\.search_text, \?\) > 0 AND m\.task = \? ORDER BY m\.likes DESC, m\.rowid DESC LIMIT \?$/);
    expect(w.params).toEqual([9, 9, 9, 3, 9_999, 9, 9, 9, 3, " llama", "text-generation", 21]);
  });
});
