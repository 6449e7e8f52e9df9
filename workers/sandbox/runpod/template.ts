import type { CreateTemplateInput, UpdateTemplateInput } from "./schemas";

/** RunPod v2 `Template` (RP-V2-SPEC): every required key present, defaults as the create schema states. */
export interface Template {
  id: string;
  name: string;
  image: string;
  args: string;
  disk: number;
  mounts: { persistent?: { size: number; path: string } };
  ports: string[];
  env: Record<string, string>;
  registry: string | null;
  serverless: boolean;
  public: boolean;
  category: "CPU" | "NVIDIA" | "AMD";
  startSsh: boolean;
  startJupyter: boolean;
  allowedCudaVersions: string[];
}

export const TEMPLATE_NS = "runpod:template";

export function buildTemplate(id: string, input: CreateTemplateInput): Template {
  return {
    id,
    name: input.name,
    image: input.image,
    args: input.args ?? "",
    // v1's containerDiskInGb default; the v2 schema names no default.
    disk: input.disk ?? 50,
    mounts: input.mounts ?? {},
    ports: input.ports ?? [],
    env: input.env ?? {},
    registry: input.registry ?? null,
    serverless: input.serverless ?? false,
    public: input.public ?? false,
    category: input.category ?? "NVIDIA",
    startSsh: input.startSsh ?? true,
    startJupyter: input.startJupyter ?? true,
    allowedCudaVersions: input.allowedCudaVersions ?? [],
  };
}

/** PATCH: only provided fields change; `mounts: {}` leaves the mount as it is (spec TemplateMounts). */
export function patchTemplate(t: Template, patch: UpdateTemplateInput): Template {
  const next: Template = { ...t };
  for (const [key, value] of Object.entries(patch) as [keyof Template, unknown][]) {
    if (value === undefined || key === "mounts") continue;
    (next as unknown as Record<string, unknown>)[key] = value;
  }
  if (patch.mounts?.persistent) next.mounts = { persistent: patch.mounts.persistent };
  return next;
}
