import { runpodPrice, WESTERN_PRICES, type Price } from "../catalog/prices";
import type { DeploymentPlan } from "./planner";

/**
 * What a plan costs: per worker, per month at the scaling bounds, and per million tokens at full
 * utilisation, set against the Western models a deployment of its class replaces. Pure arithmetic on
 * the plan; prices per token use `runpodPrice` so the bridge bills deployments the same way.
 */

export type ModelClass = "small" | "medium" | "large" | "embedding";

export interface CostEstimate {
  gpu: { pool: string; label: string; count: number };
  perWorker: { usdPerSecond: number; usdPerHour: number };
  /** min = workersMin always on (730 h), max = workersMax always on. */
  monthly: { minUsd: number; maxUsd: number; note: string };
  /** At full utilisation, blended 3:1 input:output (embeddings: input only). */
  perMillionTokens: { usd: number; outputTokensPerSecond: number; note: string };
  comparison: { model: string; usdPerMillion: number; savingPercent: number }[];
  class: ModelClass;
}

/** Hours in an average month (8,760 / 12). */
export const HOURS_PER_MONTH = 730;
/** Chat traffic reads about three tokens for every one it writes (prompts, history, tool results). */
export const INPUT_PER_OUTPUT = 3;

/** The Western models a deployment of each class stands in for (keys of WESTERN_PRICES). */
export const COMPARABLES: Record<ModelClass, readonly string[]> = {
  small: ["openai/gpt-4o-mini", "google/gemini-2.5-flash-lite", "anthropic/claude-haiku-4-5"],
  medium: ["openai/gpt-4.1-mini", "google/gemini-2.5-flash", "anthropic/claude-haiku-4-5"],
  large: ["openai/gpt-4.1", "anthropic/claude-sonnet-4-5", "google/gemini-2.5-pro"],
  embedding: ["openai/text-embedding-3-small", "openai/text-embedding-3-large"],
};

/**
 * Size class by "effective" parameters: a dense model's count, or for an MoE the geometric mean of
 * total and active parameters, the usual rule of thumb for which dense model an MoE performs like
 * (Mixtral 8x7B ≈ 25B, Qwen3-30B-A3B ≈ 10B).
 */
export function modelClass(plan: Pick<DeploymentPlan, "kind" | "parameters" | "activeParameters">): ModelClass {
  if (plan.kind === "embedding") return "embedding";
  const effective = Math.sqrt(plan.parameters * plan.activeParameters);
  if (effective <= 15e9) return "small";
  if (effective <= 80e9) return "medium";
  return "large";
}

const cents = (n: number) => Math.round(n * 100) / 100;
const fourDecimals = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * USD per million tokens for a worker costing usdPerSecond at the given rates, blended 3:1 (embeddings:
 * input only). The same arithmetic as `runpodPrice`, without its rounding to whole micro-dollars.
 */
export function usdPerMillionTokens(usdPerSecond: number, rates: { outputTokensPerSecond: number; inputTokensPerSecond: number }, embedding: boolean): number {
  const input = (usdPerSecond / Math.max(1, rates.inputTokensPerSecond)) * 1e6;
  if (embedding) return input;
  const output = (usdPerSecond / Math.max(1, rates.outputTokensPerSecond)) * 1e6;
  return (INPUT_PER_OUTPUT * input + output) / (INPUT_PER_OUTPUT + 1);
}

/** USD per million tokens, blended 3:1, from a price in micro-dollars per million; embeddings bill input only. */
function blendedUsd(price: Price, embedding: boolean): number {
  const micros = embedding ? price.input : (INPUT_PER_OUTPUT * price.input + price.output) / (INPUT_PER_OUTPUT + 1);
  return micros / 1_000_000;
}

export function estimateCost(plan: DeploymentPlan): CostEstimate {
  const usdPerSecond = plan.gpu.usdPerSecond * plan.gpu.count;
  const usdPerHour = usdPerSecond * 3600;
  const embedding = plan.kind === "embedding";
  const { outputTokensPerSecond, inputTokensPerSecond } = plan.throughput;

  // runpodPrice divides by throughput; an embedding plan has no output rate, so give it a harmless one.
  const price = runpodPrice(usdPerSecond, Math.max(1, outputTokensPerSecond), Math.max(1, inputTokensPerSecond));
  const ours = blendedUsd(price, embedding);

  const cls = modelClass(plan);
  const comparison = COMPARABLES[cls].flatMap((model) => {
    const western = WESTERN_PRICES[model];
    if (!western) return [];
    const usd = blendedUsd(western, embedding);
    return [{ model, usdPerMillion: fourDecimals(usd), savingPercent: usd > 0 ? Math.round(((usd - ours) / usd) * 1000) / 10 : 0 }];
  });

  const { workersMin, workersMax } = plan.scaling;
  return {
    gpu: { pool: plan.gpu.pool, label: plan.gpu.label, count: plan.gpu.count },
    perWorker: { usdPerSecond, usdPerHour: fourDecimals(usdPerHour) },
    monthly: {
      minUsd: cents(workersMin * usdPerHour * HOURS_PER_MONTH),
      maxUsd: cents(workersMax * usdPerHour * HOURS_PER_MONTH),
      note:
        workersMin === 0
          ? `Scales to zero: you pay only while a worker runs, from $0 up to ${workersMax} worker${workersMax === 1 ? "" : "s"} busy all month (${HOURS_PER_MONTH} h).`
          : `${workersMin} always-on worker${workersMin === 1 ? "" : "s"} (${HOURS_PER_MONTH} h/month) at the least, ${workersMax} busy all month at the most.`,
    },
    perMillionTokens: {
      usd: fourDecimals(ours),
      outputTokensPerSecond,
      note: embedding
        ? `At full utilisation, ~${inputTokensPerSecond.toLocaleString("en-US")} input tokens/s per worker (estimated); idle time raises the real figure.`
        : `At full utilisation, blended ${INPUT_PER_OUTPUT}:1 input:output, ~${outputTokensPerSecond.toLocaleString("en-US")} output tokens/s per worker (estimated); idle time raises the real figure.`,
    },
    comparison,
    class: cls,
  };
}
