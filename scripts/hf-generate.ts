/**
 * The Hub stand-in's large catalog from the command line.
 *   npx tsx scripts/hf-generate.ts --from 0 --count 3 [--size 500000]   print generated models as JSON lines
 *   npx tsx scripts/hf-generate.ts --bench [--size 500000]              time generation and sorted paging
 * `--size` is the catalog's hfLargeSize (sample models included), as in PATCH /_control/settings.
 */
import { catalogFor, generatedCount, listPage } from "../workers/sandbox/huggingface/catalog";
import { generatedLite, generatedModel } from "../workers/sandbox/huggingface/generate";
import { parseModelQuery } from "../workers/sandbox/huggingface/query";
import { SAMPLE_MODELS } from "../workers/sandbox/huggingface/sample";

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const size = opt("size", 500_000);
const settings = { hfCatalog: "large" as const, hfLargeSize: size };
const n = generatedCount(settings);

function time<T>(label: string, fn: () => T): T {
  const start = performance.now();
  const out = fn();
  console.log(`${label.padEnd(52)} ${(performance.now() - start).toFixed(1).padStart(9)} ms`);
  return out;
}

if (args.includes("--bench")) {
  console.log(`catalog: ${size} models (${n} generated)`);
  time("generate 100,000 lite records", () => { for (let i = 0; i < 100_000; i++) generatedLite(i % n, n); });
  time("generate 10,000 full records", () => { for (let i = 0; i < 10_000; i++) generatedModel(i % n, n); });
  const catalog = catalogFor(settings);
  for (const sort of ["downloads", "likes", "trendingScore", "createdAt", "lastModified"]) {
    const q = parseModelQuery(new URLSearchParams(`sort=${sort}&limit=100`));
    if (!q.ok) throw new Error(q.error);
    time(`first page of 100, sort=${sort}`, () => listPage(catalog.streams(q.value.sort), q.value));
    time(`page of 100 at position ${Math.floor(n / 2)}, sort=${sort}`, () => listPage(catalog.streams(q.value.sort), q.value, [SAMPLE_MODELS.length, Math.floor(n / 2)]));
  }
  const miss = parseModelQuery(new URLSearchParams("search=no-such-model-anywhere&limit=100"));
  if (miss.ok) time("search with no match (full scan)", () => listPage(catalog.streams(miss.value.sort), miss.value));
} else {
  const from = opt("from", 0);
  const count = opt("count", 5);
  for (let i = from; i < Math.min(n, from + count); i++) console.log(JSON.stringify(generatedModel(i, n)));
}
