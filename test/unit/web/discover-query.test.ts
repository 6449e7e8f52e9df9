import { describe, expect, it } from "vitest";
import { parseSearchQuery } from "../../../workers/catalog/search-query";
import {
  clearFilters,
  compactNumber,
  contextLabel,
  deployBody,
  describeFilters,
  estimateQueryString,
  filtersFromSearch,
  filtersToSearch,
  isBrowse,
  mergePage,
  modelIdFromPath,
  modelPath,
  parameterLabel,
  searchQueryString,
  setWorkers,
  taskLabel,
  toggleFilter,
  wholeNumber,
  type DiscoverFilters,
} from "../../../web/src/lib/discover-query";

/** The Discover screen's pure helpers (web/src/lib/discover-query.ts). */
describe("discover query helpers", () => {
  it("reads the address, dropping what the API would refuse, and writes it back", () => {
    const f = filtersFromSearch("?q=qwen+coder&task=text-generation&category=code&size=small&deployable=vllm&license=apache-2.0&gated=false&sort=likes");
    expect(f).toEqual({ q: "qwen coder", task: "text-generation", category: "code", size: "small", deployable: "vllm", license: "apache-2.0", gated: false, sort: "likes" });
    expect(filtersFromSearch(filtersToSearch(f))).toEqual(f);
    expect(filtersFromSearch("?sort=random&size=enormous&deployable=tpu&gated=perhaps&task=a%20b&cursor=x")).toEqual({ q: "", sort: "trending" });
    expect(filtersToSearch({ q: "", sort: "trending" })).toBe("");
    expect(filtersToSearch({ q: "", sort: "recent", gated: true })).toBe("?gated=true&sort=recent");
  });

  it("builds the API's query: facets with the first page only, the cursor after; the API accepts it", () => {
    const f: DiscoverFilters = { q: "  qwen ", category: "code", gated: false, sort: "downloads" };
    expect(searchQueryString(f)).toBe("q=qwen&category=code&gated=false&sort=downloads&limit=20&facets=true");
    expect(searchQueryString(f, "MTAwOjU")).toBe("q=qwen&category=code&gated=false&sort=downloads&limit=20&cursor=MTAwOjU");
    const parsed = parseSearchQuery(Object.fromEntries(new URLSearchParams(searchQueryString({ q: "llama", task: "text-generation", size: "tiny", deployable: "sglang", license: "MIT", sort: "recent" }))));
    expect(parsed.ok).toBe(true);
  });

  it("toggles a chip on and off, and clears all but the sort", () => {
    const f: DiscoverFilters = { q: "qwen", sort: "likes" };
    const on = toggleFilter(f, "category", "code");
    expect(on).toEqual({ q: "qwen", sort: "likes", category: "code" });
    expect(toggleFilter(on, "category", "code")).toEqual(f);
    expect(toggleFilter(on, "category", "chat").category).toBe("chat");
    expect(toggleFilter(f, "gated", false).gated).toBe(false);
    expect(clearFilters({ ...on, size: "tiny" })).toEqual({ q: "", sort: "likes" });
    expect(isBrowse({ q: " ", sort: "likes" })).toBe(true);
    expect(isBrowse(on)).toBe(false);
  });

  it("appends a page without showing a model twice", () => {
    expect(mergePage([{ id: "a/1" }, { id: "b/2" }], [{ id: "b/2" }, { id: "c/3" }, { id: "c/3" }]).map((m) => m.id)).toEqual(["a/1", "b/2", "c/3"]);
  });

  it("maps paths to model ids and back", () => {
    expect(modelIdFromPath("/models/Qwen/Qwen2.5-7B-Instruct")).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect(modelIdFromPath("/models/Qwen/Qwen2.5-7B-Instruct/")).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect(modelIdFromPath("/models")).toBeNull();
    expect(modelIdFromPath("/models/")).toBeNull();
    expect(modelIdFromPath("/models/only-owner")).toBeNull();
    expect(modelIdFromPath("/models/-bad/x")).toBeNull();
    expect(modelIdFromPath("/models/a/b/c")).toBeNull();
    expect(modelIdFromPath("/models/%E0%A4%A/x")).toBeNull();
    expect(modelPath("Qwen/Qwen2.5-7B-Instruct")).toBe("/models/Qwen/Qwen2.5-7B-Instruct");
  });

  it("says numbers and filters the way a card and the empty state do", () => {
    expect([compactNumber(999), compactNumber(577_757), compactNumber(1_234_567), compactNumber(9_200_000_000)]).toEqual(["999", "578K", "1.2M", "9.2B"]);
    expect([parameterLabel(135e6), parameterLabel(7.6e9), parameterLabel(null)]).toEqual(["135M", "7.6B", "unknown"]);
    expect([contextLabel(32_768), contextLabel(131_072), contextLabel(1_048_576), contextLabel(8000), contextLabel(null)]).toEqual(["32K", "128K", "1M", "8,000", "unknown"]);
    expect(taskLabel("text-generation")).toBe("Text generation");
    // Grouped by hand (no Intl on the hot path), exactly as en-US's own formatter groups whole numbers.
    for (const n of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 577_757_123, -4200, 9_007_199_254_740_991]) expect(wholeNumber(n)).toBe(n.toLocaleString("en-US"));
    expect(describeFilters({ q: "zzqxv", sort: "trending", deployable: "sglang", category: "code", gated: true }, (c) => c.toUpperCase())).toBe("“zzqxv” · CODE · deployable on SGLang · gated");
  });

  it("prices and deploys what was chosen, keeping min ≤ max", () => {
    expect(estimateQueryString("Qwen/Qwen2.5-7B-Instruct", { scaling: {} })).toBe("model=Qwen%2FQwen2.5-7B-Instruct");
    expect(estimateQueryString("a/b", { engine: "sglang", gpu: " ADA_24 ", scaling: { workersMax: 4, idleTimeoutSeconds: 60 } })).toBe("model=a%2Fb&engine=sglang&gpu=ADA_24&workersMax=4&idleTimeoutSeconds=60");
    expect(deployBody("a/b", { gpu: "", scaling: {}, hfToken: " " })).toEqual({ model: "a/b" });
    expect(deployBody("a/b", { engine: "vllm", gpu: "AMPERE_24", scaling: { workersMin: 1, workersMax: undefined }, hfToken: "hf_abcdefgh" })).toEqual({
      model: "a/b",
      engine: "vllm",
      gpu: "AMPERE_24",
      scaling: { workersMin: 1 },
      settings: { hfToken: "hf_abcdefgh" },
    });
    const shown = { workersMin: 0, workersMax: 2 };
    expect(setWorkers({}, shown, "workersMin", 5)).toEqual({ workersMin: 5, workersMax: 5 });
    expect(setWorkers({ workersMin: 3 }, { workersMin: 3, workersMax: 3 }, "workersMax", 1)).toEqual({ workersMin: 1, workersMax: 1 });
    expect(setWorkers({}, shown, "workersMax", 4)).toEqual({ workersMax: 4 });
  });
});
