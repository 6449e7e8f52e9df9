import type { Usage } from "../gateway/canonical";

/**
 * List prices of the Western models the bridge speaks to, in integer micro-dollars per million tokens
 * (so $2.50 per 1M tokens is 2_500_000), public list prices as of November 2026, standard tier, short
 * context. Keyed by provider/model; dated snapshots resolve to their family via `priceFor`.
 */
export interface Price {
  input: number;
  output: number;
  /** Prompt-cache reads; defaults to the input price when the provider has no discount. */
  cachedInput?: number;
  /** Prompt-cache writes (Anthropic); defaults to the input price. */
  cacheWrite?: number;
}

const M = 1_000_000;
const p = (input: number, output: number, cachedInput?: number, cacheWrite?: number): Price => ({
  input: Math.round(input * M),
  output: Math.round(output * M),
  ...(cachedInput !== undefined ? { cachedInput: Math.round(cachedInput * M) } : {}),
  ...(cacheWrite !== undefined ? { cacheWrite: Math.round(cacheWrite * M) } : {}),
});

export const WESTERN_PRICES: Record<string, Price> = {
  "openai/gpt-5": p(1.25, 10, 0.125),
  "openai/gpt-5-mini": p(0.25, 2, 0.025),
  "openai/gpt-5-nano": p(0.05, 0.4, 0.005),
  "openai/gpt-4.1": p(2, 8, 0.5),
  "openai/gpt-4.1-mini": p(0.4, 1.6, 0.1),
  "openai/gpt-4.1-nano": p(0.1, 0.4, 0.025),
  "openai/gpt-4o": p(2.5, 10, 1.25),
  "openai/gpt-4o-mini": p(0.15, 0.6, 0.075),
  "openai/o3": p(2, 8, 0.5),
  "openai/o4-mini": p(1.1, 4.4, 0.275),
  "openai/text-embedding-3-small": p(0.02, 0),
  "openai/text-embedding-3-large": p(0.13, 0),
  "anthropic/claude-opus-4-5": p(5, 25, 0.5, 6.25),
  "anthropic/claude-opus-4-1": p(15, 75, 1.5, 18.75),
  "anthropic/claude-sonnet-4-5": p(3, 15, 0.3, 3.75),
  "anthropic/claude-sonnet-4": p(3, 15, 0.3, 3.75),
  "anthropic/claude-haiku-4-5": p(1, 5, 0.1, 1.25),
  "anthropic/claude-3-5-haiku": p(0.8, 4, 0.08, 1),
  "google/gemini-3-pro-preview": p(2, 12, 0.2),
  "google/gemini-2.5-pro": p(1.25, 10, 0.125),
  "google/gemini-2.5-flash": p(0.3, 2.5, 0.03),
  "google/gemini-2.5-flash-lite": p(0.1, 0.4, 0.01),
  "google/gemini-2.0-flash": p(0.1, 0.4, 0.025),
};

/**
 * The price for a provider/model, tolerating dated or suffixed snapshots
 * (`claude-sonnet-4-5-20250929`, `gpt-4o-2024-08-06`, `gemini-2.5-flash-001`) by longest known prefix.
 */
export function priceFor(qualified: string, table: Record<string, Price> = WESTERN_PRICES): Price | undefined {
  if (table[qualified]) return table[qualified];
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (qualified.startsWith(`${key}-`) && (!best || key.length > best.length)) best = key;
  }
  return best ? table[best] : undefined;
}

/** Cost of a call in micro-dollars (integer, rounded up so we never bill less than the upstream costs us). */
export function costMicros(usage: Usage, price: Price): number {
  const cached = usage.cachedInputTokens ?? 0;
  const written = usage.cacheWriteTokens ?? 0;
  const plain = Math.max(0, usage.inputTokens - cached - written);
  const total =
    plain * price.input + cached * (price.cachedInput ?? price.input) + written * (price.cacheWrite ?? price.input) + usage.outputTokens * price.output;
  return Math.ceil(total / M);
}

/** Micro-dollars as the decimal string carried in x-cost-usd / x-savings-usd. */
export function formatUsd(micros: number): string {
  return (micros / M).toFixed(6);
}

/**
 * A per-token price for a model on a RunPod serverless GPU, from the GPU's per-second price and the
 * deployment's throughput (measured once it serves traffic; assumed before). Prefill runs about ten times
 * faster than decoding, so input tokens cost a tenth of output tokens.
 */
export function runpodPrice(gpuUsdPerSecond: number, outputTokensPerSecond: number, inputTokensPerSecond = outputTokensPerSecond * 10): Price {
  return {
    input: Math.max(1, Math.round((gpuUsdPerSecond / inputTokensPerSecond) * M * M)),
    output: Math.max(1, Math.round((gpuUsdPerSecond / outputTokensPerSecond) * M * M)),
  };
}

/** Until a deployment reports its own GPU and throughput: an A100 80GB ($0.00076/s) serving 1,200 tokens/s. */
export const DEFAULT_RUNPOD_PRICE = runpodPrice(0.00076, 1200);
