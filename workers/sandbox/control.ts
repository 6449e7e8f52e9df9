import { Hono } from "hono";
import { z } from "zod";
import { hubState, sandboxState, type SandboxAppEnv } from "./env";
import { faultRuleInput } from "./faults";
import { describeOverlay, malformedInput, modelPatch, repoIdOf } from "./huggingface/overlay";

/**
 * The sandbox's own control surface (not part of any real API): inject faults, change settings, reset.
 * Errors here use the platform's `{ error: { code, message } }` shape.
 */
const settingsPatch = z
  .object({
    runpodReadyDelayMs: z.number().int().min(0).max(3_600_000).optional(),
    runpodColdStartMs: z.number().int().min(0).max(3_600_000).optional(),
    hfCatalog: z.enum(["sample", "large"]).optional(),
    hfLargeSize: z.number().int().min(1).max(5_000_000).optional(),
    stripeWebhookUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
    runpodPoolCapacity: z.record(z.string().regex(/^[A-Z0-9_]{2,40}$/), z.number().int().min(0).max(1000)).nullable().optional(),
  })
  .strict();

const bad = (message: string, code = "invalid_request", details?: unknown) => ({ error: { code, message, ...(details ? { details } : {}) } });

async function readJson(req: Request): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await req.json() };
  } catch {
    return { ok: false };
  }
}

function issues(err: z.ZodError) {
  return err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

export const controlRoutes = new Hono<SandboxAppEnv>()
  .get("/", (c) =>
    c.json({
      name: "llm-sandbox",
      services: {
        openai: "/openai/v1",
        anthropic: "/anthropic",
        gemini: "/gemini",
        runpod: "/runpod/v2",
        "runpod-serverless": "/runpod-ai/v2",
        huggingface: "/hf",
        stripe: "/v1 (at the root, as api.stripe.com)",
      },
      control: [
        "GET|POST|DELETE /_control/faults",
        "DELETE /_control/faults/:id",
        "GET|PATCH /_control/settings",
        "POST /_control/reset",
        "GET|DELETE /_control/hf",
        "PUT|DELETE /_control/hf/models/:owner/:name",
        "POST|DELETE /_control/hf/malformed",
        "POST /_sandbox/stripe/checkout/:id/complete",
        "POST /_sandbox/stripe/subscriptions/:id/renew",
        "GET /_sandbox/stripe/deliveries",
      ],
    }),
  )
  .get("/faults", async (c) => c.json({ faults: await sandboxState(c.env).listFaults() }))
  .post("/faults", async (c) => {
    const body = await readJson(c.req.raw);
    if (!body.ok) return c.json(bad("Body is not valid JSON", "invalid_json"), 400);
    const parsed = faultRuleInput.safeParse(body.value);
    if (!parsed.success) return c.json(bad("Invalid fault rule", "invalid_request", issues(parsed.error)), 400);
    return c.json(await sandboxState(c.env).addFault(parsed.data), 201);
  })
  .delete("/faults", async (c) => {
    await sandboxState(c.env).clearFaults();
    return c.body(null, 204);
  })
  .delete("/faults/:id", async (c) => {
    const deleted = await sandboxState(c.env).deleteFault(c.req.param("id"));
    return deleted ? c.body(null, 204) : c.json(bad(`No fault ${c.req.param("id")}`, "not_found"), 404);
  })
  .get("/settings", async (c) => c.json(await sandboxState(c.env).getSettings()))
  .patch("/settings", async (c) => {
    const body = await readJson(c.req.raw);
    if (!body.ok) return c.json(bad("Body is not valid JSON", "invalid_json"), 400);
    const parsed = settingsPatch.safeParse(body.value);
    if (!parsed.success) return c.json(bad("Invalid settings", "invalid_request", issues(parsed.error)), 400);
    return c.json(await sandboxState(c.env).patchSettings(parsed.data));
  })
  // ---- Hugging Face Hub stand-in: changes to the sample catalog (huggingface/overlay.ts)
  .get("/hf", async (c) => {
    const state = hubState(c.env);
    const [settings, overlay] = await Promise.all([state.getSettings(), state.hubOverlay()]);
    return c.json({ catalog: settings.hfCatalog, ...describeOverlay(overlay) });
  })
  .delete("/hf", async (c) => {
    await hubState(c.env).clearHub();
    return c.body(null, 204);
  })
  .put("/hf/models/:owner/:name", async (c) => {
    const id = repoIdOf(c.req.param("owner"), c.req.param("name"));
    if (!id) return c.json(bad("Not a valid repository id (owner/name)"), 400);
    const body = await readJson(c.req.raw);
    if (!body.ok) return c.json(bad("Body is not valid JSON", "invalid_json"), 400);
    const parsed = modelPatch.safeParse(body.value);
    if (!parsed.success) return c.json(bad("Invalid model fields", "invalid_request", issues(parsed.error)), 400);
    const out = await hubState(c.env).putHubModel(id, parsed.data);
    if (!out.ok) return c.json(bad(out.message, out.status === 409 ? "conflict" : "invalid_request"), out.status);
    return c.json(out.value, out.value.created ? 201 : 200);
  })
  .delete("/hf/models/:owner/:name", async (c) => {
    const id = repoIdOf(c.req.param("owner"), c.req.param("name"));
    if (!id) return c.json(bad("Not a valid repository id (owner/name)"), 400);
    const out = await hubState(c.env).deleteHubModel(id);
    if (!out.ok) return c.json(bad(out.message, out.status === 409 ? "conflict" : out.status === 404 ? "not_found" : "invalid_request"), out.status);
    return c.body(null, 204);
  })
  .post("/hf/malformed", async (c) => {
    const text = await c.req.text();
    let value: unknown = {};
    if (text.trim()) {
      try {
        value = JSON.parse(text);
      } catch {
        return c.json(bad("Body is not valid JSON", "invalid_json"), 400);
      }
    }
    const parsed = malformedInput.safeParse(value);
    if (!parsed.success) return c.json(bad("Invalid malformed-entries request", "invalid_request", issues(parsed.error)), 400);
    const out = await hubState(c.env).setHubMalformed({ count: parsed.data.count ?? 3, position: parsed.data.position ?? "first" });
    if (!out.ok) return c.json(bad(out.message, "conflict"), out.status);
    return c.json({ malformed: out.value });
  })
  .delete("/hf/malformed", async (c) => {
    await hubState(c.env).setHubMalformed(null);
    return c.body(null, 204);
  })
  .post("/reset", async (c) => {
    await sandboxState(c.env).reset();
    return c.body(null, 204);
  });
