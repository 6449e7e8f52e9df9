import { z } from "zod";
import { SERVICES, type Service } from "./lib/errors";
import { nextRandom, seedFrom } from "./lib/prng";

/**
 * Fault rules: what tests and people use to make a stand-in misbehave on purpose. Pure: the
 * SandboxState Durable Object stores the rules and calls `decide` for each request.
 */
export const faultRuleInput = z
  .object({
    service: z.enum(SERVICES as [Service, ...Service[]]),
    /** Narrow the rule: only requests for this model, path prefix (within the service) or method. */
    match: z
      .object({
        model: z.string().min(1).max(256).optional(),
        path: z.string().startsWith("/").max(512).optional(),
        method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).optional(),
      })
      .strict()
      .optional(),
    /** Answer with this status, in the service's own error shape. */
    status: z.number().int().min(400).max(599).optional(),
    message: z.string().min(1).max(2000).optional(),
    /** Delay before answering (before the first byte). */
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    /** For streams: send this many events, then drop the connection without the terminating event. */
    cutAfterChunks: z.number().int().min(0).max(1_000_000).optional(),
    /** For streams: pause between events, as a slow model does (lets callers hang up mid-stream). */
    chunkDelayMs: z.number().int().min(1).max(10_000).optional(),
    /** Allow `limit` requests per `windowMs`; beyond that answer 429 with Retry-After. */
    rateLimit: z.object({ limit: z.number().int().min(0).max(1_000_000), windowMs: z.number().int().min(100).max(3_600_000) }).strict().optional(),
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
    /**
     * Let the first N matching requests through untouched (they pass on to later rules), then apply:
     * `after: 2, times: 1` fails exactly the third matching request (say, page 3 of a listing).
     */
    after: z.number().int().min(1).max(1_000_000).optional(),
    /** Apply to the next N matching requests, then retire. Absent = until deleted. */
    times: z.number().int().min(1).max(1_000_000).optional(),
    /** Apply to a matching request only with this probability ("30% of calls fail"); misses pass on to later rules. */
    probability: z.number().gt(0).max(1).optional(),
    /** Seed of the rule's PRNG, so a flaky run replays exactly. Absent = derived from the rule id. */
    seed: z.number().int().min(0).max(0xffff_ffff).optional(),
    /** RunPod queue (`/run`, `/runsync`): the job is accepted, runs, then ends FAILED with this error (the handler raised). */
    jobError: z.string().min(1).max(2000).optional(),
    /** RunPod queue (`/run`): the job's webhook is never delivered (the caller has to poll `/status`). */
    dropWebhook: z.literal(true).optional(),
  })
  .strict()
  .refine((r) => r.status !== undefined || r.latencyMs !== undefined || r.cutAfterChunks !== undefined || r.chunkDelayMs !== undefined || r.rateLimit !== undefined || r.jobError !== undefined || r.dropWebhook !== undefined, {
    message: "A fault needs at least one effect: status, latencyMs, cutAfterChunks, chunkDelayMs, rateLimit, jobError or dropWebhook",
  })
  .refine((r) => r.seed === undefined || r.probability !== undefined, { message: "seed only applies together with probability", path: ["seed"] });

export type FaultRuleInput = z.infer<typeof faultRuleInput>;

export interface FaultRule extends FaultRuleInput {
  id: string;
  createdAt: number;
  /** Requests this rule has applied to (for `times`). */
  applied: number;
  /** Matching requests let through so far because of `after`. */
  passed?: number;
  /** Request timestamps inside the current rate-limit window. */
  hits?: number[];
  /** PRNG state after the last draw of a `probability` rule (absent = no draw yet: start from the seed). */
  rngState?: number;
}

export interface RequestFacts {
  service: Service;
  path: string;
  method: string;
  model?: string | undefined;
}

export interface FaultEffect {
  ruleId: string;
  status?: number;
  message?: string;
  latencyMs?: number;
  cutAfterChunks?: number;
  chunkDelayMs?: number;
  retryAfterSeconds?: number;
  jobError?: string;
  dropWebhook?: boolean;
}

export function matches(rule: FaultRule, req: RequestFacts): boolean {
  if (rule.service !== req.service) return false;
  const m = rule.match;
  if (!m) return true;
  if (m.model !== undefined && m.model !== req.model) return false;
  if (m.path !== undefined && !req.path.startsWith(m.path)) return false;
  if (m.method !== undefined && m.method !== req.method.toUpperCase()) return false;
  return true;
}

/**
 * Whether a rule that would apply does apply: always without `probability`, else one draw of the rule's own
 * PRNG (advancing `rngState` on the copy `decide` works on). Per-rule state keeps each rule's sequence
 * independent of traffic that other rules see, so a seeded rule fails the same requests on every run.
 */
function rolls(rule: FaultRule): boolean {
  if (rule.probability === undefined) return true;
  const { value, state } = nextRandom(rule.rngState ?? rule.seed ?? seedFrom(rule.id));
  rule.rngState = state;
  return value < rule.probability;
}

/**
 * The effect of the first matching rule, and the rules as they are after this request (counters moved,
 * exhausted `times` rules removed). A rule with `after` lets that many matching requests through first
 * (they count for nothing else: no rate-limit hit, no draw, no `times`). A rate-limit rule only produces an
 * effect once its limit is exceeded; a `probability` rule only when its draw says so (a miss counts for
 * nothing, not even `times`).
 */
export function decide(rules: FaultRule[], req: RequestFacts, now: number): { effect: FaultEffect | undefined; rules: FaultRule[] } {
  const next = rules.map((r) => ({ ...r }));
  for (const rule of next) {
    if (!matches(rule, req)) continue;
    if (rule.after !== undefined && (rule.passed ?? 0) < rule.after) {
      rule.passed = (rule.passed ?? 0) + 1;
      continue;
    }
    if (rule.rateLimit) {
      const hits = (rule.hits ?? []).filter((t) => t > now - rule.rateLimit!.windowMs);
      if (hits.length < rule.rateLimit.limit) {
        rule.hits = [...hits, now];
        continue; // under the limit: this rule lets the request through; later rules may still apply
      }
      rule.hits = hits;
      if (!rolls(rule)) continue;
      const oldest = hits[0] ?? now;
      const retryAfterSeconds = rule.retryAfterSeconds ?? Math.max(1, Math.ceil((oldest + rule.rateLimit.windowMs - now) / 1000));
      return { effect: withDefined({ ruleId: rule.id, status: 429, message: rule.message ?? "Rate limit exceeded", retryAfterSeconds, latencyMs: rule.latencyMs }), rules: next };
    }
    if (!rolls(rule)) continue;
    rule.applied += 1;
    const remaining = rule.times === undefined || rule.applied < rule.times ? next : next.filter((r) => r.id !== rule.id);
    const effect = withDefined({
      ruleId: rule.id,
      status: rule.status,
      message: rule.message ?? (rule.status !== undefined ? `Injected fault: HTTP ${rule.status}` : undefined),
      latencyMs: rule.latencyMs,
      cutAfterChunks: rule.cutAfterChunks,
      chunkDelayMs: rule.chunkDelayMs,
      retryAfterSeconds: rule.retryAfterSeconds ?? (rule.status === 429 || rule.status === 503 ? 1 : undefined),
      jobError: rule.jobError,
      dropWebhook: rule.dropWebhook,
    });
    return { effect, rules: remaining };
  }
  return { effect: undefined, rules: next };
}

function withDefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
