import { z } from "zod";
import type { KeyScope } from "../keys/scopes";
import type { Api } from "./api";

/**
 * The MCP tools, as data: name, what a model needs to know to use it, input and output schemas, the scope
 * it needs, and one call into the platform's API. No tool has logic of its own beyond shaping the answer.
 */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolDef {
  name: string;
  title: string;
  description: string;
  scope: KeyScope;
  annotations: ToolAnnotations;
  input: z.ZodObject;
  output: z.ZodObject;
  run(api: Api, args: Record<string, unknown>): Promise<Record<string, unknown>>;
}

const READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };

const MODEL_ID = z.string().regex(/^[A-Za-z0-9][\w.-]{0,95}\/[\w.-]{1,96}$/, "a Hugging Face model id, owner/name");
const DEPLOYMENT_ID = z.string().min(1).max(64).describe("The deployment's id (dep_…) as list_deployments shows it");

const scaling = z
  .object({
    workersMin: z.number().int().min(0).max(10).optional().describe("Workers kept warm (0 scales to zero when idle)"),
    workersMax: z.number().int().min(1).max(10).optional().describe("Most workers under load"),
    idleTimeoutSeconds: z.number().int().min(1).max(3600).optional().describe("How long an idle worker stays up"),
  })
  .strict();

const modelSummary = z.looseObject({
  id: z.string(),
  task: z.string().nullable(),
  downloads: z.number(),
  likes: z.number(),
  parameters: z.number().nullable(),
  sizeBucket: z.string(),
  categories: z.array(z.string()),
  deployable: z.object({ vllm: z.boolean(), sglang: z.boolean() }),
  hubUrl: z.string(),
});

const deployment = z.looseObject({ id: z.string(), name: z.string(), model: z.string(), state: z.string() });

const query = (params: Record<string, unknown>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
};
const dep = (id: unknown) => `/api/deployments/${encodeURIComponent(String(id))}`;
const asRecord = (v: unknown) => v as Record<string, unknown>;

export const TOOLS: ToolDef[] = [
  {
    name: "search_models",
    title: "Search open models",
    description:
      "Search the Hugging Face Hub catalog (hundreds of thousands of open models) by words in the id, author or tags, with filters. Returns the first page and a cursor for the next.",
    scope: "mcp:read",
    annotations: READ,
    input: z.object({
      query: z.string().max(200).optional().describe("Words to find, e.g. 'qwen coder 7b'"),
      task: z.string().max(100).optional().describe("Hub pipeline tag, e.g. text-generation"),
      category: z.string().max(100).optional().describe("chat, code, reasoning, vision-language, embeddings, speech, image-generation, …"),
      size: z.enum(["tiny", "small", "medium", "large", "huge", "unknown"]).optional(),
      deployable: z.enum(["vllm", "sglang", "any"]).optional().describe("Only models this platform can serve with that engine"),
      sort: z.enum(["trending", "downloads", "likes", "recent"]).optional(),
      limit: z.number().int().min(1).max(50).optional(),
      cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
    }),
    output: z.object({ models: z.array(modelSummary), nextCursor: z.string().nullable() }),
    async run(api, a) {
      const r = await api.call<{ models: z.infer<typeof modelSummary>[]; nextCursor: string | null }>(
        "GET",
        `/api/models${query({ q: a.query, task: a.task, category: a.category, size: a.size, deployable: a.deployable, sort: a.sort, limit: a.limit ?? 10, cursor: a.cursor })}`,
      );
      return { models: r.body.models, nextCursor: r.body.nextCursor };
    },
  },
  {
    name: "get_model",
    title: "Model detail",
    description: "Facts about one Hub model: task, size, license, context, whether it deploys on vLLM/SGLang (with reasons), VRAM, the recommended GPU and price, and the Western models it can replace with the saving.",
    scope: "mcp:read",
    annotations: READ,
    input: z.object({ id: MODEL_ID }),
    output: z.looseObject({ id: z.string() }),
    async run(api, a) {
      const [owner, name] = String(a.id).split("/");
      return asRecord((await api.call("GET", `/api/models/${encodeURIComponent(owner!)}/${encodeURIComponent(name!)}`)).body);
    },
  },
  {
    name: "estimate_cost",
    title: "Estimate deploy cost",
    description: "What serving a model on RunPod serverless would cost: the GPU plan, price per second and hour per worker, a monthly range, the price per million tokens, and the saving against Western models.",
    scope: "mcp:read",
    annotations: READ,
    input: z.object({
      model: MODEL_ID,
      engine: z.enum(["vllm", "sglang"]).optional(),
      gpu: z.string().max(40).optional().describe("A GPU pool or type id; the planner picks the cheapest that fits if absent"),
      gpuCount: z.number().int().min(1).max(8).optional(),
      ...scaling.shape,
    }),
    output: z.looseObject({ model: z.string(), plan: z.looseObject({}), estimate: z.looseObject({}) }),
    async run(api, a) {
      return asRecord((await api.call("GET", `/api/deployments/estimate${query(a)}`)).body);
    },
  },
  {
    name: "deploy_model",
    title: "Deploy a model",
    description:
      "Deploy a Hub model to RunPod serverless in this workspace (vLLM or SGLang). Returns at once with the deployment in state 'planned'; poll get_deployment until 'ready', then call it through the bridge as runpod/<name>.",
    scope: "mcp:write",
    annotations: { ...WRITE, idempotentHint: true },
    input: z.object({
      model: MODEL_ID,
      name: z.string().max(48).optional().describe("lowercase letters, digits and dashes; derived from the model if absent"),
      engine: z.enum(["vllm", "sglang"]).optional(),
      gpu: z.string().max(40).optional(),
      gpuCount: z.number().int().min(1).max(8).optional(),
      scaling: scaling.optional(),
      idempotencyKey: z.string().min(8).max(100).optional().describe("Repeat it on a retry to get the same deployment back"),
    }),
    output: deployment,
    async run(api, a) {
      const { idempotencyKey, ...body } = a;
      const headers: Record<string, string> = idempotencyKey ? { "idempotency-key": String(idempotencyKey) } : {};
      return asRecord((await api.call("POST", "/api/deployments", stripUndefined(body), headers)).body);
    },
  },
  {
    name: "list_deployments",
    title: "List deployments",
    description: "This workspace's deployments with their state, GPU, scaling, price and the bridge model name to call them by.",
    scope: "mcp:read",
    annotations: READ,
    input: z.object({ includeDeleted: z.boolean().optional() }),
    output: z.object({ deployments: z.array(deployment) }),
    async run(api, a) {
      return asRecord((await api.call("GET", `/api/deployments${a.includeDeleted ? "?include=deleted" : ""}`)).body);
    },
  },
  {
    name: "get_deployment",
    title: "Deployment status",
    description: "One deployment: its state (planned, creating, initializing, ready, failed, deleting, deleted), the steps so far, its endpoint, workers and cost so far.",
    scope: "mcp:read",
    annotations: READ,
    input: z.object({ id: DEPLOYMENT_ID }),
    output: deployment,
    async run(api, a) {
      return asRecord((await api.call("GET", dep(a.id))).body);
    },
  },
  {
    name: "scale_deployment",
    title: "Scale a deployment",
    description: "Change a deployment's workers (min/max) or idle timeout. Applied to RunPod by the deployment's state machine.",
    scope: "mcp:write",
    annotations: { ...WRITE, idempotentHint: true },
    input: z.object({ id: DEPLOYMENT_ID, ...scaling.shape }),
    output: deployment,
    async run(api, a) {
      const { id, ...rest } = a;
      return asRecord((await api.call("PATCH", dep(id), { scaling: stripUndefined(rest) })).body);
    },
  },
  {
    name: "delete_deployment",
    title: "Delete a deployment",
    description: "Tear a deployment down: its bridge route goes first, then its RunPod endpoint. Cannot be undone.",
    scope: "mcp:write",
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    input: z.object({ id: DEPLOYMENT_ID }),
    output: deployment,
    async run(api, a) {
      return asRecord((await api.call("DELETE", dep(a.id))).body);
    },
  },
  {
    name: "chat",
    title: "Chat with a model",
    description:
      "Send one prompt to any model the bridge reaches (openai/…, anthropic/…, google/…, runpod/<deployment>, or a name the workspace's bridge map routes) and get the answer with its cost and the saving against the Western model it replaced.",
    scope: "mcp:write",
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    input: z.object({
      model: z.string().min(1).max(200),
      prompt: z.string().min(1).max(100_000),
      system: z.string().max(20_000).optional(),
      maxTokens: z.number().int().min(1).max(32_000).optional(),
    }),
    output: z.object({
      answer: z.string(),
      model: z.string(),
      provider: z.string(),
      usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
      costUsd: z.number(),
      savingsUsd: z.number(),
    }),
    async run(api, a) {
      const messages = [...(a.system ? [{ role: "system", content: a.system }] : []), { role: "user", content: a.prompt }];
      const r = await api.call<{ choices: { message: { content: string | null } }[]; usage?: { prompt_tokens: number; completion_tokens: number } }>("POST", "/v1/chat/completions", {
        model: a.model,
        messages,
        ...(a.maxTokens ? { max_tokens: a.maxTokens } : {}),
      });
      return {
        answer: r.body.choices[0]?.message.content ?? "",
        model: r.headers.get("x-model") ?? String(a.model),
        provider: r.headers.get("x-provider") ?? "unknown",
        usage: { inputTokens: r.body.usage?.prompt_tokens ?? 0, outputTokens: r.body.usage?.completion_tokens ?? 0 },
        costUsd: Number(r.headers.get("x-cost-usd") ?? 0),
        savingsUsd: Number(r.headers.get("x-savings-usd") ?? 0),
      };
    },
  },
  {
    name: "get_usage",
    title: "Usage and budget",
    description: "This month's tokens used and left in the workspace's plan, spend and savings, by day, model and key.",
    scope: "mcp:read",
    annotations: READ,
    input: z.object({}),
    output: z.looseObject({ plan: z.string(), budgetTokens: z.number().nullable(), usedTokens: z.number(), remainingTokens: z.number().nullable(), costUsd: z.number(), savingsUsd: z.number() }),
    async run(api) {
      return asRecord((await api.call("GET", "/api/usage")).body);
    },
  },
  {
    name: "get_bridge_map",
    title: "Read the bridge map",
    description: "Where the workspace's model names go: rules of {match, targets} (globs like claude-* to a RunPod deployment), tried in order, with fallbacks.",
    scope: "mcp:read",
    annotations: READ,
    input: z.object({}),
    output: z.looseObject({ rules: z.array(z.looseObject({ match: z.string(), targets: z.array(z.string()) })) }),
    async run(api) {
      return asRecord((await api.call("GET", "/api/bridge")).body);
    },
  },
  {
    name: "set_bridge_map",
    title: "Change the bridge map",
    description: "Replace the workspace's bridge map (admins only). Each rule sends model names matching `match` to `targets` in order of fallback.",
    scope: "mcp:admin",
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    input: z.object({
      rules: z.array(z.object({ match: z.string().min(1).max(200), targets: z.array(z.string().min(3).max(300)).min(1).max(10) })).max(200),
    }),
    output: z.looseObject({ rules: z.array(z.looseObject({ match: z.string(), targets: z.array(z.string()) })) }),
    async run(api, a) {
      return asRecord((await api.call("PUT", "/api/bridge", { rules: a.rules })).body);
    },
  },
  {
    name: "list_collections",
    title: "Collections",
    description: "Your own model collections and the workspace's team collections, with their models and notes.",
    scope: "mcp:read",
    annotations: READ,
    input: z.object({ scope: z.enum(["mine", "workspace", "all"]).optional() }),
    output: z.looseObject({ collections: z.array(z.looseObject({ id: z.string(), name: z.string() })) }),
    async run(api, a) {
      return asRecord((await api.call("GET", `/api/collections${query({ scope: a.scope })}`)).body);
    },
  },
];

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
