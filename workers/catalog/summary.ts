/**
 * A catalog model as /api/models answers it (pure type, no imports): the server builds it (search.ts
 * toSummary) and the PWA reads it (web/src/lib/catalog-api.ts), from this one definition.
 */
export interface ModelSummary {
  id: string;
  author: string;
  task: string | null;
  library: string | null;
  license: string | null;
  tags: string[];
  downloads: number;
  likes: number;
  trendingScore: number;
  createdAt: string | null;
  lastModified: string | null;
  gated: false | "auto" | "manual";
  parameters: number | null;
  contextLength: number | null;
  architecture: string | null;
  sizeBucket: string;
  categories: string[];
  deployable: { vllm: boolean; sglang: boolean };
  hubUrl: string;
}
