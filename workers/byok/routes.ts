import { Hono } from "hono";
import { z } from "zod";
import { requireWorkspace } from "../auth/middleware";
import { api } from "../openapi/describe";
import { audit } from "../audit/record";
import type { AppEnv } from "../env";
import { notFound } from "../errors";
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
  .get("/", requireWorkspace({ bridge: ["read"] }, { sessionOnly: true }), api({ tag: "Provider keys", summary: "List the workspace's own provider keys (last four characters)", auth: "session" }), async (c) => c.json({ providerKeys: await listProviderKeys(c.env, c.var.workspace.id) }))
  .put("/:provider", requireWorkspace({ bridge: ["update"] }, { sessionOnly: true }), api({ tag: "Provider keys", summary: "Store the workspace's own key for a provider", auth: "session", body: putBody, what: "provider key", params: { provider: "openai, anthropic, google or runpod" } }), async (c) => {
    const provider = providerParam(c.req.param("provider"));
    const body = c.req.valid("json");
    await saveProviderKey(c.env, c.var.workspace.id, provider, body.apiKey, body.baseUrl, c.var.user.id);
    await audit(c, { action: "provider_key.set", target: { type: "provider_key", id: provider }, after: { provider, last4: body.apiKey.slice(-4), baseUrl: body.baseUrl ?? null } });
    return c.json({ provider, last4: body.apiKey.slice(-4), baseUrl: body.baseUrl ?? null });
  })
  .delete("/:provider", requireWorkspace({ bridge: ["update"] }, { sessionOnly: true }), api({ tag: "Provider keys", summary: "Remove the workspace's key for a provider", auth: "session", params: { provider: "openai, anthropic, google or runpod" }, responses: { 204: { description: "Removed" } } }), async (c) => {
    const provider = providerParam(c.req.param("provider"));
    if (!(await deleteProviderKey(c.env, c.var.workspace.id, provider))) throw notFound(`No ${provider} key stored`);
    await audit(c, { action: "provider_key.delete", target: { type: "provider_key", id: provider } });
    return c.body(null, 204);
  });
