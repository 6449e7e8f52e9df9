import { Hono } from "hono";
import { z } from "zod";
import { requireWorkspace } from "../auth/middleware";
import { audit } from "../audit/record";
import type { AppEnv } from "../env";
import { AppError, badRequest, notFound } from "../errors";
import { BYOK_PROVIDERS, deleteProviderKey, listProviderKeys, saveProviderKey, type ByokProvider } from "./store";

/**
 * /api/provider-keys: bring your own OpenAI, Anthropic, Google or RunPod key. Admins and owners set and
 * remove them; everyone sees which providers have one (last four characters only). The key is never returned.
 */
const putBody = z
  .object({
    apiKey: z.string().trim().min(8).max(500),
    baseUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
  })
  .strict();

function providerParam(value: string): ByokProvider {
  if (!(BYOK_PROVIDERS as readonly string[]).includes(value)) throw notFound(`Unknown provider '${value}'; one of ${BYOK_PROVIDERS.join(", ")}`);
  return value as ByokProvider;
}

export const providerKeyRoutes = new Hono<AppEnv>()
  .get("/", requireWorkspace({ bridge: ["read"] }), async (c) => c.json({ providerKeys: await listProviderKeys(c.env, c.var.workspace.id) }))
  .put("/:provider", requireWorkspace({ bridge: ["update"] }), async (c) => {
    const provider = providerParam(c.req.param("provider"));
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw new AppError(400, "invalid_json", "Request body is not valid JSON");
    }
    const parsed = putBody.safeParse(raw);
    if (!parsed.success) throw badRequest("Invalid provider key", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
    await saveProviderKey(c.env, c.var.workspace.id, provider, parsed.data.apiKey, parsed.data.baseUrl, c.var.user.id);
    await audit(c, { action: "provider_key.set", target: { type: "provider_key", id: provider }, after: { provider, last4: parsed.data.apiKey.slice(-4), baseUrl: parsed.data.baseUrl ?? null } });
    return c.json({ provider, last4: parsed.data.apiKey.slice(-4), baseUrl: parsed.data.baseUrl ?? null });
  })
  .delete("/:provider", requireWorkspace({ bridge: ["update"] }), async (c) => {
    const provider = providerParam(c.req.param("provider"));
    if (!(await deleteProviderKey(c.env, c.var.workspace.id, provider))) throw notFound(`No ${provider} key stored`);
    await audit(c, { action: "provider_key.delete", target: { type: "provider_key", id: provider } });
    return c.body(null, 204);
  });
