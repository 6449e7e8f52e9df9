/**
 * Model addressing (pure): which upstream targets serve a requested model name, in fallback order, and
 * which Western model a call is measured against for savings.
 *
 * - `provider/model` names go to that provider (`google/` and `gemini/` are the same provider);
 * - bare well-known names go to their provider (`gpt-4o` -> openai, `claude-*` -> anthropic, `gemini-*` -> google);
 * - an organization's bridge map overrides both: exact names or globs (`claude-*`, `gpt-4o*`) map to an
 *   ordered list of targets; the most specific rule wins (exact, then the glob with the most literal characters).
 */
import type { Price } from "../catalog/prices";
import { baselineFor } from "./savings";

export type ProviderName = "openai" | "anthropic" | "google" | "runpod";

export interface TargetRef {
  provider: ProviderName;
  /** The provider's own model id (a bound RunPod target is `<endpoint id>/<served model>`). */
  model: string;
  /** A RunPod deployment's own price (the list prices cover the rest). */
  price?: Price | undefined;
  /** The workspace deployment this target is (`runpod/<name>`), once bound. */
  deployment?: string | undefined;
  /** Its workers were scaled to zero when the call started: the first byte waits for a cold start. */
  coldStart?: boolean | undefined;
}

export interface BridgeRule {
  match: string;
  targets: string[];
}

export interface Route {
  requested: string;
  targets: TargetRef[];
  /** The Western model this call replaces (for x-savings-usd), when there is one. */
  baseline: string | undefined;
  /** The bridge-map rule that chose the targets, if any. */
  rule: string | undefined;
  /** Targets the caller's plan could not use, said out loud (x-bridge-warnings). */
  warnings?: string[] | undefined;
  /** Why an `auto` route chose its target (x-route-reason). */
  reason?: string | undefined;
}

const PREFIXES: Record<string, ProviderName> = { openai: "openai", anthropic: "anthropic", google: "google", gemini: "google", runpod: "runpod" };

export function qualified(t: TargetRef): string {
  return `${t.provider}/${t.model}`;
}

/** A name's provider by its own spelling, or undefined when only a bridge map could route it. */
export function parseModelName(name: string): TargetRef | undefined {
  const slash = name.indexOf("/");
  if (slash > 0) {
    const provider = PREFIXES[name.slice(0, slash).toLowerCase()];
    const model = name.slice(slash + 1);
    if (provider && model) return { provider, model };
    return undefined;
  }
  if (/^(gpt-|chatgpt-|o1|o3|o4|text-embedding-|davinci|babbage)/.test(name)) return { provider: "openai", model: name };
  if (/^claude-/.test(name)) return { provider: "anthropic", model: name };
  if (/^(gemini-|text-embedding-004|gemma-)/.test(name)) return { provider: "google", model: name };
  return undefined;
}

export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

function specificity(rule: BridgeRule): number {
  if (!/[*?]/.test(rule.match)) return Number.MAX_SAFE_INTEGER;
  return rule.match.replace(/[*?]/g, "").length;
}

export function matchRule(name: string, rules: BridgeRule[]): BridgeRule | undefined {
  let best: BridgeRule | undefined;
  for (const rule of rules) {
    if (!(rule.match === name || globToRegExp(rule.match).test(name))) continue;
    if (!best || specificity(rule) > specificity(best)) best = rule;
  }
  return best;
}

export class UnknownModelError extends Error {
  constructor(readonly model: string) {
    super(`The model '${model}' does not exist or you do not have access to it. Use provider/model (openai/…, anthropic/…, google/…, runpod/<deployment>) or add it to your bridge map.`);
    this.name = "UnknownModelError";
  }
}

/**
 * `rules` may be layers (a workspace's own map, then the platform defaults): the first layer with a matching
 * rule decides, so a workspace's `claude-*` beats a more specific platform default.
 */
export function resolveRoute(requested: string, rules: BridgeRule[] | BridgeRule[][] = [], defaultBaseline?: string): Route {
  const own = parseModelName(requested);
  const layers: BridgeRule[][] = rules.length && Array.isArray(rules[0]) ? (rules as BridgeRule[][]) : [rules as BridgeRule[]];
  let rule: BridgeRule | undefined;
  for (const layer of layers) if ((rule = matchRule(requested, layer))) break;
  if (rule) {
    const targets = rule.targets.map((t) => parseModelName(t)).filter((t): t is TargetRef => t !== undefined);
    if (!targets.length) throw new UnknownModelError(requested);
    return { requested, targets, baseline: baselineFor(own, targets, defaultBaseline), rule: rule.match };
  }
  if (!own) throw new UnknownModelError(requested);
  return { requested, targets: [own], baseline: baselineFor(own, undefined, defaultBaseline), rule: undefined };
}

/** Validates a bridge map for storage: every target must be addressable. Returns problems, empty when fine. */
export function validateRules(rules: BridgeRule[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (!r.match.trim()) problems.push(`rules[${i}].match is empty`);
    if (seen.has(r.match)) problems.push(`rules[${i}].match '${r.match}' appears twice`);
    seen.add(r.match);
    if (!r.targets.length) problems.push(`rules[${i}].targets is empty`);
    r.targets.forEach((t, j) => {
      if (!parseModelName(t)) problems.push(`rules[${i}].targets[${j}] '${t}' is not a provider/model name`);
    });
  });
  return problems;
}
