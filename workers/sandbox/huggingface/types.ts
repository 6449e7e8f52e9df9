/**
 * The stored form of one Hub model repository, as the sample file holds it and the generator produces
 * it. Field names are the Hub's own (`/api/models` JSON, HF-JS `ApiModelInfo`), except `configJson` and
 * the `size` of each sibling, which are repo contents rather than API fields (served by /resolve and
 * used for `usedStorage`).
 */
export type Gated = false | "auto" | "manual";

export interface Safetensors {
  parameters: Record<string, number>;
  total: number;
}

export interface Gguf {
  total: number;
  architecture: string;
  context_length: number;
  chat_template?: string;
  bos_token?: string;
  eos_token?: string;
}

export interface Sibling {
  rfilename: string;
  size: number;
}

export interface InferenceProviderEntry {
  provider: string;
  providerId: string;
  status: "live" | "staging";
  task: string;
}

export interface HubModel {
  _id: string;
  id: string;
  author: string;
  sha: string;
  createdAt: string;
  lastModified: string;
  private: boolean;
  gated: Gated;
  disabled: boolean;
  downloads: number;
  downloadsAllTime: number;
  likes: number;
  trendingScore: number;
  pipeline_tag?: string;
  library_name?: string;
  tags: string[];
  cardData: Record<string, unknown>;
  /** What the API's `config` field shows (architectures, model_type, quantization_config, tokenizer_config...). */
  config?: Record<string, unknown>;
  /** The repository's config.json, when it has one. */
  configJson?: Record<string, unknown>;
  safetensors?: Safetensors;
  gguf?: Gguf;
  siblings: Sibling[];
  usedStorage: number;
  transformersInfo?: { auto_model: string; pipeline_tag?: string; processor?: string };
  inferenceProviderMapping?: InferenceProviderEntry[];
  mask_token?: string;
}
