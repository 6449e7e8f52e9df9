import { DurableObject } from "cloudflare:workers";
import type { SandboxEnv } from "./env";
import { decide, type FaultEffect, type FaultRule, type FaultRuleInput, type RequestFacts } from "./faults";
import { deleteModel, emptyOverlay, putModel, withEntry, type HubOverlay, type MalformedSpec, type ModelPatch, type OverlayEntry, type PutOutcome } from "./huggingface/overlay";
import type { HubModel } from "./huggingface/types";
import { ENDPOINT_NS, type EndpointRecord } from "./runpod/endpoint";
import { hasCapacity } from "./runpod/capacity";
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
  /**
   * Serverless GPU capacity per pool (`{ "AMPERE_16": 0 }`): a pool at 0 has no GPU free, so an endpoint
   * whose every pool is at 0 shows its workers `throttled` in `/health`, jobs stay `IN_QUEUE`, and the
   * catalog's `include=AVAILABILITY` answers `NONE` for the pool's cards. Unlisted pools (or any value
   * above 0) have capacity. `null` clears it.
   */
  runpodPoolCapacity?: Record<string, number> | null;
}

export const DEFAULT_SETTINGS: SandboxSettings = { runpodReadyDelayMs: 3000, runpodColdStartMs: 2000, hfCatalog: "sample", hfLargeSize: 500_000 };

/** What the Hub stand-in needs per request: the settings and, unless the caller already has this version, the overlay. */
export interface HubView {
  settings: SandboxSettings;
  version: string;
  overlay?: HubOverlay;
}

export type HubMutation<T> = { ok: true; value: T } | { ok: false; status: 400 | 404 | 409; message: string };

/**
 * The Hub methods as callers see them through the stub. Model records hold free-form JSON
 * (`Record<string, unknown>`: cardData, config), which the RPC typings cannot express though it clones fine.
 */
export interface HubStateApi {
  hubView(knownVersion?: string): Promise<HubView>;
  hubOverlay(): Promise<HubOverlay>;
  putHubModel(id: string, patch: ModelPatch): Promise<HubMutation<{ created: boolean; model: HubModel }>>;
  deleteHubModel(id: string): Promise<HubMutation<null>>;
  setHubMalformed(spec: MalformedSpec | null): Promise<HubMutation<MalformedSpec | null>>;
  clearHub(): Promise<void>;
  getSettings(): Promise<SandboxSettings>;
}

const HF_MODEL = "hf:model:";
const HF_MALFORMED = "hf:malformed";
const HF_CREATED = "hf:created";
const largeRefusal = { ok: false as const, status: 409 as const, message: "The Hub stand-in serves the generated large catalog (hfCatalog: large), which cannot be changed; PATCH /_control/settings {\"hfCatalog\":\"sample\"} first" };

/**
 * The sandbox's memory: fault rules, settings and each stand-in's records (RunPod endpoints, Stripe
 * customers, ...). One instance (named "sandbox") so every stand-in sees the same world, SQLite-backed so
 * that world survives a restart of `npm start` exactly as the real services' state would.
 * Fault rules are also cached in memory because every sandbox request consults them.
 */
export class SandboxState extends DurableObject<SandboxEnv> {
  private faults: FaultRule[] = [];
  private settings: SandboxSettings = DEFAULT_SETTINGS;
  /** Changes to the Hub stand-in's sample catalog (huggingface/overlay.ts), replaced (never mutated) on each change. */
  private hf: HubOverlay = emptyOverlay(overlayVersion());

  constructor(ctx: DurableObjectState, env: SandboxEnv) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.faults = (await ctx.storage.get<FaultRule[]>("faults")) ?? [];
      this.settings = { ...DEFAULT_SETTINGS, ...((await ctx.storage.get<Partial<SandboxSettings>>("settings")) ?? {}) };
      const models = new Map<string, OverlayEntry>();
      for (const [key, entry] of await ctx.storage.list<OverlayEntry>({ prefix: HF_MODEL })) models.set(key.slice(HF_MODEL.length), entry);
      this.hf = {
        version: overlayVersion(),
        models,
        malformed: (await ctx.storage.get<MalformedSpec>(HF_MALFORMED)) ?? null,
        created: (await ctx.storage.get<number>(HF_CREATED)) ?? 0,
      };
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

  // ---- the Hub stand-in's catalog changes
  hubView(knownVersion?: string): HubView {
    return knownVersion === this.hf.version ? { settings: this.settings, version: this.hf.version } : { settings: this.settings, version: this.hf.version, overlay: this.hf };
  }

  hubOverlay(): HubOverlay {
    return this.hf;
  }

  async putHubModel(id: string, patch: ModelPatch): Promise<HubMutation<{ created: boolean; model: HubModel }>> {
    if (this.settings.hfCatalog === "large") return largeRefusal;
    const out: PutOutcome = putModel(this.hf, id, patch, Date.now());
    if (!out.ok) return out;
    const key = id.toLowerCase();
    await this.ctx.storage.put<unknown>({ [HF_MODEL + key]: out.entry, [HF_CREATED]: out.createdCount });
    this.hf = withEntry(this.hf, key, out.entry, overlayVersion(), out.createdCount);
    return { ok: true, value: { created: out.created, model: out.entry.model } };
  }

  async deleteHubModel(id: string): Promise<HubMutation<null>> {
    if (this.settings.hfCatalog === "large") return largeRefusal;
    const out = deleteModel(this.hf, id);
    if (!out) return { ok: false, status: 404, message: `No model ${id} in the sample catalog` };
    if (out.entry) await this.ctx.storage.put(HF_MODEL + out.key, out.entry);
    else await this.ctx.storage.delete(HF_MODEL + out.key);
    this.hf = withEntry(this.hf, out.key, out.entry, overlayVersion());
    return { ok: true, value: null };
  }

  async setHubMalformed(spec: MalformedSpec | null): Promise<HubMutation<MalformedSpec | null>> {
    if (spec && this.settings.hfCatalog === "large") return largeRefusal;
    this.hf = { ...this.hf, version: overlayVersion(), malformed: spec };
    if (spec) await this.ctx.storage.put(HF_MALFORMED, spec);
    else await this.ctx.storage.delete(HF_MALFORMED);
    return { ok: true, value: spec };
  }

  /** Drops every change to the Hub catalog (the rest of the sandbox stays as it is). */
  async clearHub(): Promise<void> {
    const keys = [...(await this.ctx.storage.list({ prefix: HF_MODEL })).keys(), HF_MALFORMED, HF_CREATED];
    for (let i = 0; i < keys.length; i += 128) await this.ctx.storage.delete(keys.slice(i, i + 128));
    this.hf = emptyOverlay(overlayVersion());
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
    const woke = wake(rec, Date.now(), this.settings.runpodColdStartMs, busyMs, hasCapacity(rec, this.settings));
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

  /** Back to a fresh sandbox: no faults, default settings, no records, no changes to the Hub catalog. */
  async reset(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.faults = [];
    this.settings = DEFAULT_SETTINGS;
    this.hf = emptyOverlay(overlayVersion());
  }
}

let versions = 0;
/** A fresh overlay version: unique within this object's life and across restarts (the clock moved on). */
function overlayVersion(): string {
  versions += 1;
  return `${Date.now().toString(36)}.${versions}`;
}
