import type { BrandId } from "../brand/brands";

/**
 * The A/B experiments, as data. A visitor is assigned one variant of each experiment on their first visit,
 * deterministically from their anonymous id (so a retry or a second tab lands in the same arm), and the
 * assignment is stored with the visitor: changing weights later moves new visitors only, never old ones.
 * The first variant of each experiment is the control, which is also what visitors who ask not to be
 * tracked (DNT / GPC) and sign-ups that never visited get. Pure: imported by the worker, the PWA and tests.
 *
 * To add an experiment: append it here with a new id (ids are stored, never reuse one); to end one, remove
 * it (stored assignments of removed experiments are ignored by the report).
 */
export interface Variant {
  id: string;
  /** Relative weight (any positive number); the share of visitors is weight / sum of weights. */
  weight: number;
}

export interface Experiment {
  id: string;
  description: string;
  variants: readonly Variant[];
}

export const EXPERIMENTS = [
  {
    id: "copy",
    description: "Home-screen headline: the brand's tagline (control) or one that leads with the saving",
    variants: [
      { id: "tagline", weight: 1 },
      { id: "savings", weight: 1 },
    ],
  },
  {
    id: "default_model",
    description: "Model pre-selected in the PWA and in generated IDE configs: the brand's default (control) or a cheaper one",
    variants: [
      { id: "brand_default", weight: 1 },
      { id: "budget", weight: 1 },
    ],
  },
  {
    id: "pricing_order",
    description: "Order of the plans on the pricing screen: cheapest first (control) or most capable first",
    variants: [
      { id: "ascending", weight: 1 },
      { id: "descending", weight: 1 },
    ],
  },
] as const satisfies readonly Experiment[];

export type ExperimentId = (typeof EXPERIMENTS)[number]["id"];
/** experiment id -> variant id. */
export type Assignment = Record<string, string>;

/** The variant sign-ups without a (recorded) visit are reported under. */
export const NO_VARIANT = "none";

/** Everyone in the control arm: what a visitor who opted out of tracking sees. */
export function controlAssignment(experiments: readonly Experiment[] = EXPERIMENTS): Assignment {
  return Object.fromEntries(experiments.map((e) => [e.id, e.variants[0]!.id]));
}

/** A uniform number in [0, 1) from the first 32 bits of SHA-256("<experiment>:<anonymous id>"). */
async function bucket(experimentId: string, anonId: string): Promise<number> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${experimentId}:${anonId}`)));
  return (((digest[0]! << 24) >>> 0) + (digest[1]! << 16) + (digest[2]! << 8) + digest[3]!) / 2 ** 32;
}

/** Picks the variant whose cumulative weight band holds `u` (u in [0, 1)). */
export function pickVariant(experiment: Experiment, u: number): string {
  const total = experiment.variants.reduce((sum, v) => sum + v.weight, 0);
  let edge = 0;
  for (const v of experiment.variants) {
    edge += v.weight / total;
    if (u < edge) return v.id;
  }
  return experiment.variants[experiment.variants.length - 1]!.id;
}

/**
 * One variant per experiment, a pure function of the anonymous id. Each experiment hashes with its own id
 * as salt, so the arms of different experiments are independent of each other.
 */
export async function assignVariants(anonId: string, experiments: readonly Experiment[] = EXPERIMENTS): Promise<Assignment> {
  const out: Assignment = {};
  for (const e of experiments) out[e.id] = pickVariant(e, await bucket(e.id, anonId));
  return out;
}

/** What the PWA applies for an assignment on a brand: the headline, the pre-selected model, the plan order. */
export interface VariantConfig {
  /** null = the brand's own tagline. */
  headline: string | null;
  defaultModel: string;
  pricingOrder: Array<"free" | "pro" | "team" | "enterprise">;
}

const SAVINGS_HEADLINE: Record<BrandId, string> = {
  swaggystacks: "Same code, same SDKs: your LLM bill, cut to a fraction.",
  scientiacapital: "Move governed workloads off Western APIs and cut inference spend.",
};

const BUDGET_MODEL: Record<BrandId, string> = {
  swaggystacks: "google/gemini-2.5-flash",
  scientiacapital: "openai/gpt-4o-mini",
};

const PLAN_ORDER = ["free", "pro", "team", "enterprise"] as const;

export function variantConfig(brand: { id: BrandId; defaults: { model: string } }, assignment: Assignment): VariantConfig {
  return {
    headline: assignment.copy === "savings" ? SAVINGS_HEADLINE[brand.id] : null,
    defaultModel: assignment.default_model === "budget" ? BUDGET_MODEL[brand.id] : brand.defaults.model,
    pricingOrder: assignment.pricing_order === "descending" ? [...PLAN_ORDER].reverse() : [...PLAN_ORDER],
  };
}

/**
 * Whether the browser asked not to be tracked: `DNT: 1` or Global Privacy Control (`Sec-GPC: 1`). Then
 * nothing is recorded and no cookie is set; the visitor sees the control arm.
 */
export function trackingAllowed(headers: { get(name: string): string | null }): boolean {
  return headers.get("dnt")?.trim() !== "1" && headers.get("sec-gpc")?.trim() !== "1";
}
