import { DurableObject } from "cloudflare:workers";
import type { SandboxEnv } from "./env";
import { decide, type FaultEffect, type FaultRule, type FaultRuleInput, type RequestFacts } from "./faults";
import { ENDPOINT_NS, type EndpointRecord } from "./runpod/endpoint";
import { wake, type Wake } from "./runpod/scaling";

export interface SandboxSettings {
  /** How long a new RunPod endpoint's /health reports workers initializing before they become ready. */
  runpodReadyDelayMs: number;
  /**
   * How long a RunPod endpoint that scaled to zero takes to bring a worker back for the next request
   * (FlashBoot shortens it). Read when the cold start begins, so a change never alters one under way.
   */
  runpodColdStartMs: number;
  /** Which Hugging Face catalog the Hub stand-in serves: the shipped sample or the generated large one. */
  hfCatalog: "sample" | "large";
  /** Size of the generated catalog (benchmarks use 500,000). */
  hfLargeSize: number;
  /** Where the Stripe stand-in delivers webhooks; unset or null = `${PLATFORM_URL}/webhooks/stripe`. */
  stripeWebhookUrl?: string | null;
}

export const DEFAULT_SETTINGS: SandboxSettings = { runpodReadyDelayMs: 3000, runpodColdStartMs: 2000, hfCatalog: "sample", hfLargeSize: 500_000 };

/**
 * The sandbox's memory: fault rules, settings and each stand-in's records (RunPod endpoints, Stripe
 * customers, ...). One instance (named "sandbox") so every stand-in sees the same world, SQLite-backed so
 * that world survives a restart of `npm start` exactly as the real services' state would.
 * Fault rules are also cached in memory because every sandbox request consults them.
 */
export class SandboxState extends DurableObject<SandboxEnv> {
  private faults: FaultRule[] = [];
  private settings: SandboxSettings = DEFAULT_SETTINGS;

  constructor(ctx: DurableObjectState, env: SandboxEnv) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.faults = (await ctx.storage.get<FaultRule[]>("faults")) ?? [];
      this.settings = { ...DEFAULT_SETTINGS, ...((await ctx.storage.get<Partial<SandboxSettings>>("settings")) ?? {}) };
    });
  }

  // ---- faults
  async addFault(input: FaultRuleInput): Promise<FaultRule> {
    const seq = ((await this.ctx.storage.get<number>("seq:fault")) ?? 0) + 1;
    const rule: FaultRule = { ...input, id: `fault_${seq}`, createdAt: Date.now(), applied: 0 };
    this.faults = [...this.faults, rule];
    await this.ctx.storage.put({ "seq:fault": seq, faults: this.faults });
    return rule;
  }

  listFaults(): FaultRule[] {
    return this.faults;
  }

  async deleteFault(id: string): Promise<boolean> {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    await this.ctx.storage.put("faults", this.faults);
    return this.faults.length < before;
  }

  async clearFaults(): Promise<void> {
    this.faults = [];
    await this.ctx.storage.put("faults", this.faults);
  }

  async applyFaults(req: RequestFacts): Promise<FaultEffect | undefined> {
    if (this.faults.length === 0) return undefined;
    const { effect, rules } = decide(this.faults, req, Date.now());
    this.faults = rules;
    await this.ctx.storage.put("faults", rules);
    return effect;
  }

  // ---- settings
  getSettings(): SandboxSettings {
    return this.settings;
  }

  async patchSettings(patch: Partial<SandboxSettings>): Promise<SandboxSettings> {
    this.settings = { ...this.settings, ...patch };
    await this.ctx.storage.put("settings", this.settings);
    return this.settings;
  }

  // ---- records: a small document store per namespace ("runpod:endpoint", "stripe:customer", ...)
  async nextSeq(ns: string): Promise<number> {
    const key = `seq:${ns}`;
    const seq = ((await this.ctx.storage.get<number>(key)) ?? 0) + 1;
    await this.ctx.storage.put(key, seq);
    return seq;
  }

  async getDoc<T>(ns: string, id: string): Promise<T | undefined> {
    return this.ctx.storage.get<T>(`doc:${ns}:${id}`);
  }

  async putDoc<T>(ns: string, id: string, value: T): Promise<T> {
    await this.ctx.storage.put(`doc:${ns}:${id}`, value);
    return value;
  }

  /**
   * Shallow-merges `fields` into a stored record in one step (no other request runs between the read and
   * the write), so a writer that changes some fields never rolls back others changed meanwhile.
   */
  async mergeDoc<T extends object>(ns: string, id: string, fields: Partial<T>): Promise<T | undefined> {
    const key = `doc:${ns}:${id}`;
    const current = await this.ctx.storage.get<T>(key);
    if (current === undefined) return undefined;
    const merged = { ...current, ...fields };
    await this.ctx.storage.put(key, merged);
    return merged;
  }

  /**
   * A request reached RunPod endpoint `id` (runpod/scaling.ts `wake`): decided and stored in one step
   * here, where requests are serialized, so concurrent requests to a scaled-down endpoint join a single
   * cold start. Undefined when the endpoint is gone.
   */
  async wakeRunpodEndpoint(id: string, busyMs: number): Promise<Wake | undefined> {
    const key = `doc:${ENDPOINT_NS}:${id}`;
    const rec = await this.ctx.storage.get<EndpointRecord>(key);
    if (!rec) return undefined;
    const woke = wake(rec, Date.now(), this.settings.runpodColdStartMs, busyMs);
    if (woke.record !== rec) await this.ctx.storage.put(key, woke.record);
    return woke;
  }

  async deleteDoc(ns: string, id: string): Promise<boolean> {
    return this.ctx.storage.delete(`doc:${ns}:${id}`);
  }

  /** Records of a namespace in insertion-key order. */
  async listDocs<T>(ns: string, limit = 1000): Promise<T[]> {
    const map = await this.ctx.storage.list<T>({ prefix: `doc:${ns}:`, limit });
    return [...map.values()];
  }

  /** Back to a fresh sandbox: no faults, default settings, no records. */
  async reset(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.faults = [];
    this.settings = DEFAULT_SETTINGS;
  }
}
