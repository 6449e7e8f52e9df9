import { gpuTypesInPools, isPool } from "./gpus";
import type { CreateEndpointInput, EndpointScaling, UpdateEndpointInput } from "./schemas";
import type { Template } from "./template";

/**
 * RunPod v2 serverless endpoints as the sandbox stores them: built from a create body, changed by PATCH,
 * with the upstream's defaults and rule checks (RP-V2-SPEC). Pure: the routes load and save records;
 * endpoint-view.ts turns a record into the `Endpoint` body.
 */

export const ENDPOINT_NS = "runpod:endpoint";

export interface EndpointGpu {
  pools: string[];
  excludedTypes?: string[];
  count: number;
  allowedCudaVersions: string[];
  minCudaVersion: string | null;
}

export interface EndpointCpu {
  id: string;
  vcpuCount: number;
  memory: number;
}

export interface EndpointRecord {
  id: string;
  name: string;
  type: "QUEUE" | "LOAD_BALANCER";
  image: string;
  args: string;
  disk: number;
  ports: string[];
  env: Record<string, string>;
  registry: string | null;
  gpu: EndpointGpu | null;
  cpu: EndpointCpu[] | null;
  workers: { min: number; max: number; idleTimeout: number };
  scaling: EndpointScaling;
  dataCenterIds: string[];
  networkVolumes: string[];
  timeout: number;
  flashboot: "OFF" | "FLASHBOOT" | "PRIORITY_FLASHBOOT";
  createdAt: string;
  // Sandbox bookkeeping, never sent. The ready time is fixed at creation (from the sandbox setting then
  // in force) so changing the setting later does not make existing endpoints flip back to initializing.
  readyAt: number;
  // Scale-to-zero bookkeeping (see scaling.ts), also never sent. Records stored before it existed lack it.
  /** End of the latest job or OpenAI request known (may be ahead: a queued job's end); absent = readyAt. */
  lastActiveAt?: number;
  /** End of the latest cold start: a request found no warm worker and started one. */
  coldStartUntil?: number;
  /** Workers the current busy spell keeps warm (absent = all of `workers.max`, as after the first boot). */
  warmWorkers?: number;
  /** Creation order: lists come back oldest first. */
  seq: number;
  /** Configuration version: container changes make a new release (workers' `endpointVersion`). */
  version: number;
  /** Template the endpoint was created from, so deleting that template answers "in use". */
  templateId: string | null;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: 400 | 422; detail: string; errors?: string[] };

const bad = (detail: string): Outcome<never> => ({ ok: false, status: 400, detail });
const invalid = (errors: string[]): Outcome<never> => ({ ok: false, status: 422, detail: "Request validation failed.", errors });

/** CPU flavors (GET /v2/catalog/cpus ids) and their RAM per vCPU, GB. */
const CPU_RAM_PER_VCPU: Record<string, number> = { cpu3c: 2, cpu3g: 4, cpu3m: 8, cpu5c: 2, cpu5g: 4, cpu5m: 8 };

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function checkGpu(gpu: EndpointGpu): string | undefined {
  for (const pool of gpu.pools) if (!isPool(pool)) return `unknown GPU pool '${pool}'; valid pools are the 'pool' values of GET /v2/catalog/gpus`;
  if (gpu.excludedTypes?.length) {
    const inPools = gpuTypesInPools(gpu.pools).map((g) => g.id);
    for (const t of gpu.excludedTypes) if (!inPools.includes(t)) return `excluded GPU type '${t}' is not in pools ${gpu.pools.join(", ")}`;
    if (inPools.every((id) => gpu.excludedTypes!.includes(id))) return "gpu.excludedTypes removes every GPU type of the selected pools";
  }
  if (gpu.allowedCudaVersions.length && gpu.minCudaVersion) return "gpu.allowedCudaVersions and gpu.minCudaVersion are mutually exclusive";
  return undefined;
}

function toCpu(cpu: { id: string; vcpuCount: number }[]): Outcome<EndpointCpu[]> {
  const out: EndpointCpu[] = [];
  for (const c of cpu) {
    const ram = CPU_RAM_PER_VCPU[c.id];
    if (ram === undefined) return bad(`unknown CPU flavor '${c.id}'`);
    if ((c.vcpuCount & (c.vcpuCount - 1)) !== 0) return bad(`cpu vcpuCount ${c.vcpuCount} is not a power of two`);
    out.push({ id: c.id, vcpuCount: c.vcpuCount, memory: c.vcpuCount * ram });
  }
  return { ok: true, value: out };
}

const trimmed = (types: string[] | undefined) => (types?.length ? types.map((t) => t.trim()) : undefined);

/** idleTimeout does not apply to queue endpoints scaling on request count: rejected when sent. */
function idleTimeoutRejected(type: EndpointRecord["type"], scaling: EndpointScaling, sentIdleTimeout: boolean): boolean {
  return sentIdleTimeout && type === "QUEUE" && scaling.type === "REQUEST_COUNT";
}

const IDLE_TIMEOUT_ERROR = "$.workers.idleTimeout: not applicable to queue-based endpoints scaling on requestCount";

function withGpu(gpu: EndpointGpu): EndpointGpu {
  const { excludedTypes, ...rest } = gpu;
  return excludedTypes?.length ? { ...rest, excludedTypes } : rest;
}

export interface BuildContext {
  id: string;
  seq: number;
  now: number;
  readyDelayMs: number;
  template?: Template | undefined;
}

export function buildEndpoint(input: CreateEndpointInput, ctx: BuildContext): Outcome<EndpointRecord> {
  const t = ctx.template;
  if (t && !t.serverless) return { ok: false, status: 422, detail: `template ${t.id} is not a serverless template` };
  if (input.gpu && input.cpu) return bad("set exactly one of gpu or cpu, not both");
  if (!input.gpu && !input.cpu) return bad("set exactly one of gpu or cpu");
  if (idleTimeoutRejected(input.type, input.scaling, input.workers?.idleTimeout !== undefined)) return invalid([IDLE_TIMEOUT_ERROR]);

  let gpu: EndpointGpu | null = null;
  if (input.gpu) {
    const g = input.gpu;
    gpu = withGpu({
      pools: g.pools,
      excludedTypes: trimmed(g.excludedTypes),
      count: g.count ?? 1,
      // The template's CUDA set seeds a GPU create, unless the body states a floor (spec CreateEndpointRequest.templateId).
      allowedCudaVersions: g.allowedCudaVersions ?? (g.minCudaVersion ? [] : (t?.allowedCudaVersions ?? [])),
      minCudaVersion: g.minCudaVersion ?? null,
    });
    const problem = checkGpu(gpu);
    if (problem) return bad(problem);
  }
  let cpu: EndpointCpu[] | null = null;
  if (input.cpu) {
    const built = toCpu(input.cpu);
    if (!built.ok) return built;
    cpu = built.value;
  }
  const workers = { min: input.workers?.min ?? 0, max: input.workers?.max ?? 3, idleTimeout: input.workers?.idleTimeout ?? 10 };
  if (workers.min > workers.max) return bad(`workers.min (${workers.min}) exceeds workers.max (${workers.max})`);

  return {
    ok: true,
    value: {
      id: ctx.id,
      name: input.name,
      type: input.type,
      image: input.image ?? t?.image ?? "",
      args: input.args ?? t?.args ?? "",
      disk: input.disk ?? t?.disk ?? 20,
      ports: input.ports ?? t?.ports ?? [],
      env: { ...(t?.env ?? {}), ...(input.env ?? {}) },
      registry: input.registry !== undefined ? input.registry : (t?.registry ?? null),
      gpu,
      cpu,
      workers,
      scaling: input.scaling,
      dataCenterIds: input.dataCenterIds ?? [],
      networkVolumes: input.networkVolumes ?? [],
      timeout: input.timeout ?? 300_000,
      flashboot: input.flashboot ?? "OFF",
      createdAt: isoSeconds(ctx.now),
      readyAt: ctx.now + ctx.readyDelayMs,
      // The first boot counts as activity: its workers stay warm for idleTimeout before scaling down.
      lastActiveAt: ctx.now + ctx.readyDelayMs,
      seq: ctx.seq,
      version: 1,
      templateId: t?.id ?? null,
    },
  };
}

const CONTAINER_KEYS = ["image", "args", "disk", "ports", "env", "registry"] as const;

/** PATCH semantics: only provided fields change; a template given here is applied once, like body fields. */
export function patchEndpoint(rec: EndpointRecord, patch: UpdateEndpointInput, template?: Template): Outcome<EndpointRecord> {
  if (patch.gpu && patch.cpu) return bad("set at most one of gpu or cpu");
  if (patch.gpu && rec.cpu) return bad("gpu is not valid for a CPU endpoint: the compute family of an endpoint cannot change");
  if (patch.cpu && rec.gpu) return bad("cpu is only valid for an existing CPU endpoint: the compute family of an endpoint cannot change");
  if (template && !template.serverless) return { ok: false, status: 422, detail: `template ${template.id} is not a serverless template` };

  const next: EndpointRecord = { ...rec, workers: { ...rec.workers } };
  const container: Partial<Pick<EndpointRecord, (typeof CONTAINER_KEYS)[number]>> = {};
  if (template) Object.assign(container, { image: template.image, args: template.args, disk: template.disk, ports: template.ports, registry: template.registry });
  for (const key of CONTAINER_KEYS) if (patch[key] !== undefined) Object.assign(container, { [key]: patch[key] });
  // env merges template and body per key (body wins) and then replaces the endpoint's env as a whole.
  if (template || patch.env) container.env = { ...(template?.env ?? {}), ...(patch.env ?? {}) };
  const changed = CONTAINER_KEYS.some((k) => container[k] !== undefined && JSON.stringify(container[k]) !== JSON.stringify(rec[k]));
  Object.assign(next, container);
  if (changed) next.version = rec.version + 1;

  if (patch.name !== undefined) next.name = patch.name;
  if (patch.dataCenterIds !== undefined) next.dataCenterIds = patch.dataCenterIds;
  if (patch.networkVolumes !== undefined) next.networkVolumes = patch.networkVolumes;
  if (patch.timeout !== undefined) next.timeout = patch.timeout;
  if (patch.flashboot !== undefined) next.flashboot = patch.flashboot;
  if (patch.scaling !== undefined) next.scaling = patch.scaling;
  if (next.type === "LOAD_BALANCER" && next.scaling.type !== "REQUEST_COUNT") return invalid([`$.scaling.type: value must be "REQUEST_COUNT"`]);
  if (idleTimeoutRejected(next.type, next.scaling, patch.workers?.idleTimeout !== undefined)) return invalid([IDLE_TIMEOUT_ERROR]);
  if (patch.workers) Object.assign(next.workers, Object.fromEntries(Object.entries(patch.workers).filter(([, v]) => v !== undefined)));
  if (next.workers.min > next.workers.max) return bad(`workers.min (${next.workers.min}) exceeds workers.max (${next.workers.max})`);

  if (patch.gpu && rec.gpu) {
    const g = patch.gpu;
    const gpu: EndpointGpu = { ...rec.gpu };
    // pools and excludedTypes are one selection: restating pools without exclusions clears them.
    if (g.pools !== undefined) gpu.excludedTypes = trimmed(g.excludedTypes);
    if (g.pools !== undefined) gpu.pools = g.pools;
    if (g.count !== undefined) gpu.count = g.count;
    if (g.allowedCudaVersions !== undefined) gpu.allowedCudaVersions = g.allowedCudaVersions;
    if (g.minCudaVersion !== undefined) gpu.minCudaVersion = g.minCudaVersion === "" ? null : g.minCudaVersion;
    next.gpu = withGpu(gpu);
    const problem = checkGpu(next.gpu);
    if (problem) return bad(problem);
  }
  if (patch.cpu) {
    const built = toCpu(patch.cpu);
    if (!built.ok) return built;
    next.cpu = built.value;
  }
  return { ok: true, value: next };
}
