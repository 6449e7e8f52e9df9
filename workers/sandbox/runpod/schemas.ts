import { z } from "zod";

/**
 * Request bodies of RunPod REST v2 (RP-V2-SPEC components.schemas), strict like the spec's
 * `unevaluatedProperties: false`: an unknown field is a 422, as it is upstream (which is how a host still
 * on the old flat shape rejects `queueDelay`/`requestCount`/`idleTimeout`).
 */

const int = () => z.number().int();
const cudaVersion = z.string().regex(/^\d+\.\d+$/);

const containerConfig = {
  image: z.string(),
  args: z.string(),
  disk: int().min(1),
  env: z.record(z.string(), z.string()),
  ports: z.array(z.string()),
  registry: z.string().nullable(),
};

export const flashboot = z.enum(["OFF", "FLASHBOOT", "PRIORITY_FLASHBOOT"]);
export const endpointType = z.enum(["QUEUE", "LOAD_BALANCER"]);

export const endpointWorkers = z.strictObject({
  min: int().min(0),
  max: int().min(0),
  idleTimeout: int().min(1).max(3600),
});

export const endpointScaling = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("QUEUE_DELAY"), queueDelay: z.number().min(0.5) }),
  z.strictObject({ type: z.literal("REQUEST_COUNT"), requestCount: int().min(1) }),
]);

const excludedTypes = z.array(z.string().regex(/^\s*[^-\s]/));

const createGpu = z.strictObject({
  pools: z.array(z.string()).min(1),
  excludedTypes: excludedTypes.optional(),
  count: int().min(1).optional(),
  allowedCudaVersions: z.array(cudaVersion).optional(),
  minCudaVersion: cudaVersion.optional(),
});

const updateGpu = z.strictObject({
  pools: z.array(z.string()).min(1).optional(),
  excludedTypes: excludedTypes.optional(),
  count: int().min(1).optional(),
  allowedCudaVersions: z.array(cudaVersion).optional(),
  // An explicit "" clears the floor on update.
  minCudaVersion: z.string().regex(/^$|^\d+\.\d+$/).optional(),
});

const cpuConfig = z.strictObject({ id: z.string().min(1), vcpuCount: int().min(2) });

function uniqueItems(items: readonly unknown[] | undefined, path: (string | number)[], ctx: z.RefinementCtx) {
  if (!items) return;
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const key = JSON.stringify(item);
    const first = seen.get(key);
    if (first !== undefined) ctx.addIssue({ code: "custom", path, message: `items at ${first} and ${i} are equal`, input: items });
    else seen.set(key, i);
  });
}

/** Container settings as both create (with a template) and update take them: every field optional. */
const optionalContainer = {
  ...containerConfig,
  image: containerConfig.image.optional(),
  args: containerConfig.args.optional(),
  disk: containerConfig.disk.optional(),
  env: containerConfig.env.optional(),
  ports: containerConfig.ports.optional(),
  registry: containerConfig.registry.optional(),
};

export const createEndpointRequest = z
  .strictObject({
    ...optionalContainer,
    name: z.string().min(1),
    type: endpointType,
    scaling: endpointScaling,
    gpu: createGpu.optional(),
    cpu: z.array(cpuConfig).min(1).optional(),
    dataCenterIds: z.array(z.string()).optional(),
    flashboot: flashboot.optional(),
    networkVolumes: z.array(z.string()).optional(),
    templateId: z.string().min(1).optional(),
    timeout: int().optional(),
    workers: endpointWorkers.partial().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.templateId === undefined && body.image === undefined) {
      ctx.addIssue({ code: "invalid_type", expected: "string", path: ["image"], input: undefined, message: "missing image" });
    }
    if (body.type === "LOAD_BALANCER" && body.scaling.type !== "REQUEST_COUNT") {
      ctx.addIssue({ code: "invalid_value", values: ["REQUEST_COUNT"], path: ["scaling", "type"], input: body.scaling.type, message: "" });
    }
    uniqueItems(body.cpu, ["cpu"], ctx);
    uniqueItems(body.gpu?.excludedTypes?.map((t) => t.trim()), ["gpu", "excludedTypes"], ctx);
  });

export const updateEndpointRequest = z
  .strictObject({
    ...optionalContainer,
    name: z.string().min(1).optional(),
    scaling: endpointScaling.optional(),
    gpu: updateGpu.optional(),
    cpu: z.array(cpuConfig).min(1).optional(),
    dataCenterIds: z.array(z.string()).optional(),
    flashboot: flashboot.optional(),
    networkVolumes: z.array(z.string()).optional(),
    templateId: z.string().optional(),
    timeout: int().optional(),
    workers: endpointWorkers.partial().optional(),
  })
  .superRefine((body, ctx) => {
    // dependentRequired: an exclusion only means something against a restated pool selection.
    if (body.gpu?.excludedTypes !== undefined && body.gpu.pools === undefined) {
      ctx.addIssue({ code: "invalid_type", expected: "array", path: ["gpu", "pools"], input: undefined, message: "missing pools" });
    }
    uniqueItems(body.cpu, ["cpu"], ctx);
  });

export type CreateEndpointInput = z.output<typeof createEndpointRequest>;
export type UpdateEndpointInput = z.output<typeof updateEndpointRequest>;
export type EndpointScaling = z.output<typeof endpointScaling>;

const templateMounts = z.strictObject({
  persistent: z.strictObject({ size: int().min(10), path: z.string() }).optional(),
});
const templateCategory = z.enum(["CPU", "NVIDIA", "AMD"]);

export const createTemplateRequest = z.strictObject({
  ...containerConfig,
  args: containerConfig.args.optional(),
  disk: containerConfig.disk.optional(),
  env: containerConfig.env.optional(),
  ports: containerConfig.ports.optional(),
  registry: containerConfig.registry.optional(),
  name: z.string().min(1),
  allowedCudaVersions: z.array(cudaVersion).optional(),
  category: templateCategory.optional(),
  mounts: templateMounts.optional(),
  public: z.boolean().optional(),
  serverless: z.boolean().optional(),
  startJupyter: z.boolean().optional(),
  startSsh: z.boolean().optional(),
});

export const updateTemplateRequest = createTemplateRequest.partial();

export type CreateTemplateInput = z.output<typeof createTemplateRequest>;
export type UpdateTemplateInput = z.output<typeof updateTemplateRequest>;
